from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from chibo.core.errors import ChiboError

FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse_date(value: str | None, *, field: str = "on", required: bool = True) -> dt.date | None:
    """A date typed as dd/mm/yyyy (also dd-mm-yyyy or ISO yyyy-mm-dd)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ChiboError(_("Hãy nhập ngày (dd/mm/yyyy)."), field=field)
        return None
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ChiboError(_("Ngày %(value)s không đúng dạng dd/mm/yyyy.") % {"value": value}, field=field)


def fmt(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_required_date(value: str | None, *, field: str = "on") -> dt.date:
    """Like :func:`parse_date`, for a date the form must have."""
    parsed = parse_date(value, field=field, required=True)
    assert parsed is not None
    return parsed
