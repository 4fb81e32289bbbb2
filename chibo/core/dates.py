"""Dates and times as a person reads them: parsing dd/mm/yyyy, and the one formatting path.

Every date or time a person sees (pages, PDF/DOCX, XLSX, notifications and mails, the API) is
Vietnam's wall clock, ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh, UTC+7, no daylight saving). The
database stores UTC, so a meeting at 00:30 on 02/12 in Vietnam is 17:30 on 01/12 in the database:
taking ``.date()`` or ``strftime`` of the stored value shows the day before between 00:00 and 07:00.
Format through this module (or the template filters ``dmy``, ``hm``, ``dmy_hm``, ``my`` of
``chibo.core.templatetags.chibo``, which call it) and never format a raw datetime.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
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


# The one formatting path -------------------------------------------------------------------------


def zone() -> dt.tzinfo:
    """Vietnam's time zone (settings.TIME_ZONE): the one every person reads."""
    return timezone.get_default_timezone()


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime on Vietnam's wall clock; a naive one is taken as already local."""
    return timezone.localtime(value, zone()) if timezone.is_aware(value) else value


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar day in Vietnam: a datetime's local day, a date as it is."""
    return local(value).date() if isinstance(value, dt.datetime) else value


def now() -> dt.datetime:
    """Now on Vietnam's wall clock (aware)."""
    return local(timezone.now())


def today() -> dt.date:
    """Vietnam's date now, not the server's nor UTC's (``timezone.now().date()`` is UTC's)."""
    return timezone.localdate(timezone=zone())


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy; a datetime shows its day in Vietnam."""
    if value is None:
        return ""
    day = local_date(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def fmt_time(value: dt.datetime | dt.time | None) -> str:
    """HH:MM (24 h); a datetime shows its time in Vietnam."""
    if value is None:
        return ""
    moment = local(value) if isinstance(value, dt.datetime) else value
    return f"{moment.hour:02d}:{moment.minute:02d}"


def fmt_datetime(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam."""
    if value is None:
        return ""
    return f"{fmt_date(value)} {fmt_time(value)}"


def fmt_month(value: dt.date | dt.datetime | None) -> str:
    """mm/yyyy; a datetime shows its month in Vietnam."""
    if value is None:
        return ""
    day = local_date(value)
    return f"{day.month:02d}/{day.year:04d}"


def excel_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """For a spreadsheet cell: Vietnam's wall clock, naive (Excel has no time zones)."""
    if value is None:
        return None
    return local(value).replace(tzinfo=None)


def fmt(value: dt.date | dt.datetime | None) -> str:
    """Alias of :func:`fmt_date` (dd/mm/yyyy)."""
    return fmt_date(value)


def parse_required_date(value: str | None, *, field: str = "on") -> dt.date:
    """Like :func:`parse_date`, for a date the form must have."""
    parsed = parse_date(value, field=field, required=True)
    assert parsed is not None
    return parsed
