"""Daily job of residence contact: reminders to the residence cells (run by the job queue's scheduler).

- In the first month of each half-year (January, July): cells with registered members not yet met
  this half-year are reminded to hold their contact meeting.
- In December (``CHIBO_RESIDENCE_COMMENT_MONTH``): cells with members not met this half-year or a
  comment missing this year (exempt ones left out).
Each cell is reminded once per period: a ``ReminderSent`` row under a unique constraint, written in
the transaction that notifies its secretaries, so a second run (or a retry) sends nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.accounts.selectors import grant_holders
from chibo.meetings.notify import Recipient, notify
from chibo.orgs.selectors import versions_on
from chibo.residence import selectors as sel
from chibo.residence.models import Registration, ReminderSent


def comment_month() -> int:
    return int(getattr(settings, "CHIBO_RESIDENCE_COMMENT_MONTH", 12))


def remind_residence_cells(*, today: dt.date) -> int:
    """Returns the cells reminded."""
    kinds: list[tuple[str, str]] = []
    if today.month in (1, 7):
        kinds.append(("half_year", f"{today.year}-H{1 if today.month == 1 else 2}"))
    if today.month == comment_month():
        kinds.append(("year_end", str(today.year)))
    if not kinds:
        return 0
    start, _end = sel.half_year(today)
    rows = list(
        Registration.objects.filter(sel.open_on(today))
        .annotate(met=sel.met_since(start, today), commented=sel.has_comment(today.year))
        .values("residence_org_id")
        .annotate(not_met=Count("id", filter=Q(met=False)), missing=Count("id", filter=Q(exemption="", commented=False)))
    )
    done = set(ReminderSent.objects.filter(period__in=[p for _k, p in kinds]).values_list("org_id", "kind", "period"))
    secretaries = grant_holders(org_ids=[r["residence_org_id"] for r in rows], roles=["secretary"])
    names = dict(versions_on(today).filter(org_id__in=[r["residence_org_id"] for r in rows]).values_list("org_id", "name"))
    sent = 0
    for row in rows:
        org_id = row["residence_org_id"]
        for kind, period in kinds:
            missing = row["missing"] if kind == "year_end" else 0
            if (org_id, kind, period) in done or not (row["not_met"] or missing):
                continue
            parts = []
            if row["not_met"]:
                parts.append(_("%(n)s đồng chí chưa gặp trong 6 tháng %(half)s") % {"n": row["not_met"], "half": sel.half_year_label(today)})
            if missing:
                parts.append(_("%(n)s đồng chí chưa có nhận xét năm %(year)s") % {"n": missing, "year": today.year})
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(org_id=org_id, kind=kind, period=period, sent_on=today)
                    notify(
                        recipients=[Recipient(user=u, email=u.email or "") for u in secretaries.get(org_id, [])],
                        subject=_("Sinh hoạt nơi cư trú: %(cell)s") % {"cell": names.get(org_id, "")},
                        body=_("Đảng viên đăng ký sinh hoạt nơi cư trú: %(parts)s.") % {"parts": "; ".join(parts)},
                        url=reverse("residence:cell", args=[org_id]),
                    )
            except IntegrityError:  # another run reminded this cell meanwhile
                continue
            sent += 1
    return sent


DAILY = [remind_residence_cells]
