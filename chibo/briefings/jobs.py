"""Daily jobs of the briefings app (run by the job queue's scheduler)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.briefings import selectors as sel
from chibo.briefings.models import BriefingAttendance, BriefingReminder, BriefingStatus
from chibo.core.dates import fmt_date, fmt_time
from chibo.meetings.notify import Recipient, notify
from chibo.orgs.selectors import versions_on


def remind_invited(*, today: dt.date) -> int:
    """Remind each invitee of a planned briefing held within CHIBO_BRIEFING_REMIND_DAYS days (today
    included), once per briefing and person (BriefingReminder's uniqueness). Returns reminders sent."""
    days = int(getattr(settings, "CHIBO_BRIEFING_REMIND_DAYS", 3))
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days + 1), dt.time.min))
    rows = (
        BriefingAttendance.objects.filter(briefing__status=BriefingStatus.PLANNED, briefing__starts_at__gte=start, briefing__starts_at__lt=end)
        .select_related("briefing", "member", "member__user")
        .order_by("briefing_id", "member_id")
    )
    done = set(BriefingReminder.objects.filter(briefing__starts_at__gte=start, briefing__starts_at__lt=end).values_list("briefing_id", "member_id"))
    names: dict[int, str] = {}
    sent = 0
    for row in rows:
        if (row.briefing_id, row.member_id) in done:
            continue
        briefing = row.briefing
        if briefing.committee_id not in names:
            version = versions_on(sel.briefing_day(briefing)).filter(org_id=briefing.committee_id).first()
            names[briefing.committee_id] = version.name if version else ""
        user = getattr(row.member, "user", None)
        try:
            with transaction.atomic():
                BriefingReminder.objects.create(briefing=briefing, member=row.member, sent_on=today, user=user)
                subject = _("Mời dự giao ban %(period)s lúc %(time)s ngày %(day)s") % {
                    "period": sel.period_phrase(briefing), "time": fmt_time(briefing.starts_at), "day": fmt_date(briefing.starts_at),
                }
                body = _("%(body)s mời đồng chí dự hội nghị giao ban lúc %(time)s ngày %(day)s tại %(place)s.") % {
                    "body": names[briefing.committee_id], "time": fmt_time(briefing.starts_at), "day": fmt_date(briefing.starts_at),
                    "place": briefing.place or "—",
                }
                notify(recipients=[Recipient(user=user, email=row.member.email)], subject=subject, body=body, url=reverse("briefings:detail", args=[briefing.pk]))
        except IntegrityError:  # another run reminded this person meanwhile
            continue
        sent += 1
    return sent


DAILY = [remind_invited]
