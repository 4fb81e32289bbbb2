from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from chibo.core.access import today
from chibo.core.dates import parse_date
from chibo.core.errors import ChiboError


def as_of(request: HttpRequest) -> tuple[dt.date, str]:
    """The "as of" date of a page (?as_of=dd/mm/yyyy), today by default, and an error message if it was bad."""
    raw = request.GET.get("as_of", "")
    if not raw:
        return today(), ""
    try:
        value = parse_date(raw, field="as_of")
    except ChiboError as exc:
        return today(), exc.message
    assert value is not None
    return value, ""


def year_param(request: HttpRequest) -> tuple[int, str]:
    """The ``?year=`` of a yearly page (2000–2100; ``core.forms.PeriodForm``) and the error message
    of a bad one (the page then shows this year in Vietnam)."""
    from chibo.core.forms import PeriodForm

    form = PeriodForm(request.GET)
    year = form.value("year")
    error = " ".join(str(e) for e in form.errors.get("year", []))
    return (year if year is not None else today().year), error
