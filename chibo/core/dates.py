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
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.errors import ChiboError

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_dmy(value: str) -> dt.date:
    """A date typed dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy or ISO yyyy-mm-dd): the one parser of
    typed dates (forms, "as of" boxes, imports, commands).

    Raises ValidationError with code "format" when the text is not a date at all, and with code
    "impossible" when it has the right shape but no such day exists (31/02/1990).
    """
    text = (value or "").strip()
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = _ISO.match(text)
        if not m:
            raise ValidationError(_("“%(value)s” không đúng dạng ngày dd/mm/yyyy.") % {"value": text}, code="format")
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(value)s không phải ngày có thật.") % {"value": f"{day:02d}/{month:02d}/{year:04d}"},
            code="impossible",
        ) from None


def parse_date(value: str | None, *, field: str = "on", required: bool = True) -> dt.date | None:
    """:func:`parse_dmy` for services and commands: a refusal is a ChiboError naming ``field``."""
    if not (value or "").strip():
        if required:
            raise ChiboError(_("Hãy nhập ngày (dd/mm/yyyy)."), field=field)
        return None
    try:
        return parse_dmy(value or "")
    except ValidationError as exc:
        raise ChiboError(" ".join(exc.messages), field=field) from None


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day n months later; the month's last day when it has no such day (31/01 + 1 → 28/02)."""
    index = day.year * 12 + (day.month - 1) + n
    year, month = index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


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

