"""Grounds of removal read from chibo's own records: a small registry of providers.

Each provider counts, for a year up to a day, the months in which a member has a ground (a regular
meeting of their cell missed without reason; dues not paid), with what each month rests on. The daily
job (jobs.flag_grounds) raises a flag for a member with CHIBO_REMOVAL_MONTHS distinct months or more.
The attendance provider is built in; the dues provider reads ``chibo.dues`` when that app is
installed (imported lazily, skipped otherwise). Another provider is one more entry in PROVIDERS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from chibo.core.dates import fmt_month
from chibo.discipline.models import RemovalFlag, RemovalGround
from chibo.meetings.models import EXPECTED_STANDINGS, REGULAR_KINDS, Attendance, AttendanceStatus

# member id → {first day of a month → evidence ids of that month (meeting ids; empty for dues)}
Months = dict[int, dict[dt.date, list[int]]]


class Provider(Protocol):
    ground: str  # a RemovalGround value

    def available(self) -> bool: ...

    def months(self, *, member_ids: list[int], year: int, until: dt.date) -> Months: ...

    def evidence_links(self, flag: RemovalFlag) -> list[tuple[str, str]]: ...


class AttendanceProvider:
    """Unexcused absences (Attendance "unexcused") from the regular meetings of the member's cell
    while the member was expected there (official or probationary on the meeting day: an exempted or
    temporarily transferred member's row does not count). A month counts once, whatever the meetings."""

    ground: str = RemovalGround.ABSENCE

    def available(self) -> bool:
        return True

    def months(self, *, member_ids: list[int], year: int, until: dt.date) -> Months:
        out: Months = {}
        for chunk in _chunks(member_ids):
            rows = Attendance.objects.filter(
                member_id__in=chunk, status=AttendanceStatus.UNEXCUSED, standing__in=EXPECTED_STANDINGS,
                meeting__kind__in=REGULAR_KINDS, meeting__month__gte=dt.date(year, 1, 1), meeting__month__lte=min(until, dt.date(year, 12, 31)),
            ).values_list("member_id", "meeting__month", "meeting_id")  # fmt: skip
            for member_id, month, meeting_id in rows:
                out.setdefault(member_id, {}).setdefault(month, []).append(meeting_id)
        return out

    def evidence_links(self, flag: RemovalFlag) -> list[tuple[str, str]]:
        return [
            (_("Sinh hoạt tháng %(m)s: vắng không lý do") % {"m": fmt_month(dt.date.fromisoformat(e["month"]))}, reverse("meetings:detail", args=[meeting]))
            for e in flag.evidence
            for meeting in e.get("ids", [])
        ]


class DuesProvider:
    """Months unpaid, from ``chibo.dues.selectors.unpaid_months`` (built by the dues app)."""

    ground: str = RemovalGround.DUES

    def available(self) -> bool:
        return apps.is_installed("chibo.dues")

    def months(self, *, member_ids: list[int], year: int, until: dt.date) -> Months:
        from chibo.dues import selectors as dues  # type: ignore[import-not-found,unused-ignore]

        out: Months = {}
        for chunk in _chunks(member_ids):
            for member_id, months in dues.unpaid_months(member_ids=chunk, year=year, until=until).items():
                for month in months:
                    out.setdefault(member_id, {})[month.replace(day=1)] = []
        return out

    def evidence_links(self, flag: RemovalFlag) -> list[tuple[str, str]]:
        try:
            url = reverse("dues:member", args=[flag.member_id])
        except NoReverseMatch:  # the dues app's page is not there (yet): the member's record
            url = reverse("members:detail", args=[flag.member_id])
        months = ", ".join(fmt_month(dt.date.fromisoformat(m)) for m in flag.months)
        return [(_("Đảng phí chưa đóng: %(months)s") % {"months": months}, url)]


PROVIDERS: list[Provider] = [AttendanceProvider(), DuesProvider()]


def active_providers() -> list[Provider]:
    return [p for p in PROVIDERS if p.available()]


def provider_for(ground: str) -> Provider | None:
    return next((p for p in PROVIDERS if p.ground == ground), None)


def evidence(months: dict[dt.date, list[int]]) -> list[dict[str, Any]]:
    """The JSON kept on a flag: one entry a month, oldest first."""
    return [{"month": m.isoformat(), "ids": sorted(set(ids))} for m, ids in sorted(months.items())]


def _chunks(ids: Iterable[int], size: int = 900) -> Iterable[list[int]]:
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
