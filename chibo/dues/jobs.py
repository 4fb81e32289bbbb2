"""Daily jobs of the dues app (run by the job queue's scheduler; each idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.dues import services
from chibo.dues.models import DuesMonth, DuesReminder
from chibo.dues.templatetags.dues import vnd
from chibo.meetings.notify import Recipient, notify
from chibo.members.models import Member


def open_month(*, today: dt.date) -> int:
    """The records of this month for every member with a basis (once the month starts; a record
    already there is kept). Returns the records created."""
    return services.open_month(month=today.replace(day=1), on=today)


def remind_arrears(*, today: dt.date) -> int:
    """Once a month (DuesReminder's uniqueness), from the month's first day: remind each member owing
    the dues of past months. Returns the reminders sent."""
    month = today.replace(day=1)
    rows = (
        DuesMonth.objects.filter(amount_vnd__gt=0, receipt__isnull=True, month__lt=month)
        .values("member_id").annotate(n=Count("id"), v=Sum("amount_vnd")).order_by("member_id")
    )  # fmt: skip
    done = set(DuesReminder.objects.filter(month=month).values_list("member_id", flat=True))
    owing = {r["member_id"]: r for r in rows if r["member_id"] not in done}
    members = Member.objects.filter(pk__in=list(owing)).select_related("user")
    sent = 0
    for member in members:
        r = owing[member.pk]
        try:
            with transaction.atomic():
                DuesReminder.objects.create(member=member, month=month, months_owed=r["n"], sent_on=today)
                subject = _("Nhắc nộp đảng phí: còn %(n)s tháng") % {"n": r["n"]}
                body = _("Đồng chí %(name)s còn %(n)s tháng đảng phí chưa nộp, tổng %(total)s. Đồng chí nộp tại chi bộ hoặc trên Cổng Dịch vụ công quốc gia.") % {
                    "name": member.full_name, "n": r["n"], "total": vnd(r["v"])}  # fmt: skip
                user = getattr(member, "user", None)
                notify(recipients=[Recipient(user=user, email=member.email)], subject=subject, body=body, url=reverse("dues:member", args=[member.pk]))
        except IntegrityError:  # another run reminded this member this month
            continue
        sent += 1
    return sent


DAILY = [open_month, remind_arrears]
