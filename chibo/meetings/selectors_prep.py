"""Reads for meeting preparation: schedule rules, meeting lists, agenda, comments, upper-level attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chibo.core.access import Action, Policy
from chibo.core.dates import add_months
from chibo.core.models import OPEN, AuditEvent
from chibo.meetings.models import (
    REGULAR_KINDS,
    THEMATIC_KINDS,
    AgendaItem,
    CellTerm,
    Comment,
    Meeting,
    MeetingDay,
    MeetingKind,
    Notification,
    UpperAssignment,
)
from chibo.members.models import Member, Position, Status
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.orgs.selectors import memberships_on

EXPECTED_STATUSES = (Status.OFFICIAL, Status.PROBATIONARY)


# Months ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)




# Schedule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRule:
    day_of_month: int
    time: dt.time
    org_id: int | None  # the organisation whose rule applies; None: the settings default


def default_rule() -> DayRule:
    hh, mm = str(settings.CHIBO_MEETING_TIME).split(":")[:2]
    return DayRule(day_of_month=int(settings.CHIBO_MEETING_DAY), time=dt.time(int(hh), int(mm)), org_id=None)


def path_ids(version: OrgVersion) -> list[int]:
    return [int(seg) for seg in version.path.strip("/").split("/") if seg]


def meeting_day_rule(*, version: OrgVersion) -> DayRule:
    """The nearest MeetingDay on the organisation or an ancestor (the path of ``version``), else settings."""
    ids = path_ids(version)
    rules = {r.org_id: r for r in MeetingDay.objects.filter(org_id__in=ids)}
    for org_id in reversed(ids):
        rule = rules.get(org_id)
        if rule is not None:
            return DayRule(day_of_month=rule.day_of_month, time=rule.time, org_id=org_id)
    return default_rule()


def default_starts_at(*, version: OrgVersion, month: dt.date) -> dt.datetime:
    rule = meeting_day_rule(version=version)
    return timezone.make_aware(dt.datetime.combine(month.replace(day=rule.day_of_month), rule.time))


def current_version(org_id: int) -> OrgVersion | None:
    return OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN).first()


# Terms -------------------------------------------------------------------------------------


def cell_terms(*, org_id: int) -> list[CellTerm]:
    """The cell's recorded terms, the latest first."""
    return list(CellTerm.objects.filter(org_id=org_id).order_by("-starts_on"))


def term_on(*, org_id: int, day: dt.date) -> CellTerm | None:
    """The recorded term covering ``day`` ([starts_on, ends_on)); None where none is recorded: never guessed."""
    return CellTerm.objects.filter(org_id=org_id, starts_on__lte=day, ends_on__gt=day).order_by("-starts_on").first()


# Meetings ----------------------------------------------------------------------------------


def cell_meetings(*, org_id: int) -> list[Meeting]:
    return list(Meeting.objects.filter(org_id=org_id).order_by("-month", "-starts_at", "-id")[:240])


def thematic_gaps(*, cells: Iterable[int], quarter_end: dt.date) -> set[int]:
    """Cells (ids) with no thematic or combined meeting in the CHIBO_THEMATIC_EVERY_MONTHS months ending with ``quarter_end``'s month."""
    ids = set(cells)
    if not ids:
        return set()
    months = int(getattr(settings, "CHIBO_THEMATIC_EVERY_MONTHS", 3))
    last = month_start(quarter_end)
    first = add_months(last, -(months - 1))
    covered = set(
        Meeting.objects.filter(org_id__in=ids, kind__in=THEMATIC_KINDS, month__gte=first, month__lte=last).values_list("org_id", flat=True)
    )
    return ids - covered


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))


def expected_members(*, meeting: Meeting) -> list[Member]:
    """Members of the cell on the meeting day who are official or probationary then; for a
    committee (chi ủy) meeting, only those holding a position in the cell that day."""
    day = timezone.localtime(meeting.starts_at).date()
    ids = memberships_on(day).filter(org_id=meeting.org_id, st__status__in=EXPECTED_STATUSES).values("member_id")  # type: ignore[misc]
    qs = Member.objects.filter(pk__in=ids)
    if meeting.kind == MeetingKind.COMMITTEE:
        holders = Position.objects.filter(org_id=meeting.org_id, valid_from__lte=day, valid_to__gt=day).values("member_id")
        qs = qs.filter(pk__in=holders)
    return list(qs)


def is_cell_member(*, member_id: int | None, meeting: Meeting) -> bool:
    """The member belongs to the meeting's cell on the meeting day, or today."""
    if not member_id:
        return False
    day = timezone.localtime(meeting.starts_at).date()
    return (
        memberships_on(day).filter(member_id=member_id, org_id=meeting.org_id).exists()
        or memberships_on(timezone.localdate()).filter(member_id=member_id, org_id=meeting.org_id).exists()
    )


@dataclass
class CommentGroup:
    item: AgendaItem | None
    comments: list[Comment] = field(default_factory=list)


def comments_by_item(*, meeting: Meeting, author_id: int | None = None) -> list[CommentGroup]:
    """Comments grouped by agenda item in agenda order; general comments (no item) first."""
    qs = Comment.objects.filter(meeting=meeting).select_related("author", "agenda_item").order_by("created_at", "id")
    if author_id is not None:
        qs = qs.filter(author_id=author_id)
    groups: dict[int | None, CommentGroup] = {}
    for c in qs:
        group = groups.setdefault(c.agenda_item_id, CommentGroup(item=c.agenda_item))
        group.comments.append(c)
    return sorted(groups.values(), key=lambda g: -1 if g.item is None else g.item.position)


def meeting_events(meeting: Meeting) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="meetings.meeting", object_id=meeting.pk).select_related("actor")[:200]


def upper_for_meeting(meeting: Meeting) -> list[UpperAssignment]:
    return list(UpperAssignment.objects.filter(cell_id=meeting.org_id, month=meeting.month).select_related("attendee"))


# Upper-level attendance --------------------------------------------------------------------


def committee_cells(*, policy: Policy, committee: OrgVersion) -> list[OrgVersion]:
    """Today's cells under the committee that the user may reorganise."""
    return list(
        policy.versions(action=Action.REORGANISE)
        .filter(path__startswith=committee.path, kind__in=CELL_KINDS)
        .exclude(org_id=committee.org_id)
        .order_by("name")[:3000]
    )


def upper_candidates(*, committee: OrgVersion) -> list[Any]:
    """Users who may be sent to cells' meetings: staff of the committee or an ancestor, and the
    committee's own current position holders who have an account."""
    from chibo.accounts.models import User

    ids = path_ids(committee)
    on = timezone.localdate()
    holders = Position.objects.filter(org_id=committee.org_id, valid_from__lte=on, valid_to__gt=on).values("member_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(grants__role="staff", grants__org_id__in=ids) | Q(member_id__in=holders))
        .distinct()
        .order_by("display_name", "username")
    )


@dataclass
class UpperRow:
    cell: OrgVersion
    assignments: list[UpperAssignment]
    meeting: Meeting | None


def upper_rows(*, cells: list[OrgVersion], month: dt.date) -> list[UpperRow]:
    ids = [c.org_id for c in cells]
    by_cell: dict[int, list[UpperAssignment]] = {}
    for a in UpperAssignment.objects.filter(cell_id__in=ids, month=month).select_related("attendee").order_by("id"):
        by_cell.setdefault(a.cell_id, []).append(a)
    meetings: dict[int, Meeting] = {}
    for m in Meeting.objects.filter(org_id__in=ids, month=month, kind__in=REGULAR_KINDS):
        meetings[m.org_id] = m
    return [UpperRow(cell=c, assignments=by_cell.get(c.org_id, []), meeting=meetings.get(c.org_id)) for c in cells]


@dataclass
class CoverageRow:
    cell: OrgVersion
    last_attended: dt.date | None


def upper_coverage(*, cells: list[OrgVersion], months: int, today: dt.date) -> list[CoverageRow]:
    """Cells with no upper-level attendee who actually attended (attended=True) in the last ``months`` months
    (the current month included), with the last month one did, if ever."""
    first = add_months(month_start(today), -(months - 1))
    ids = [c.org_id for c in cells]
    attended = UpperAssignment.objects.filter(cell_id__in=ids, attended=True)
    covered = set(attended.filter(month__gte=first, month__lte=month_start(today)).values_list("cell_id", flat=True))
    last: dict[int, dt.date] = dict(attended.order_by("month").values_list("cell_id", "month"))  # later months win
    return [CoverageRow(cell=c, last_attended=last.get(c.org_id)) for c in cells if c.org_id not in covered]


@dataclass
class QuotaRow:
    """One upper-level attendee's year against the yearly quota of their level (domain.md §3)."""

    user: Any
    level: str  # "province" | "commune"
    quota: int
    attended: int  # assignments of the year recorded as attended, in any cell
    assigned: int  # assignments of the year, in any cell

    @property
    def met(self) -> bool:
        return self.attended >= self.quota

    @property
    def missing(self) -> int:
        return max(0, self.quota - self.attended)


PROVINCE_LEVEL = "province"
COMMUNE_LEVEL = "commune"


def upper_quota(level: str) -> int:
    """The yearly quota of a level: CHIBO_UPPER_QUOTA_PROVINCE (2) or CHIBO_UPPER_QUOTA_COMMUNE (6)."""
    if level == PROVINCE_LEVEL:
        return int(getattr(settings, "CHIBO_UPPER_QUOTA_PROVINCE", 2))
    return int(getattr(settings, "CHIBO_UPPER_QUOTA_COMMUNE", 6))


def attendee_levels(*, user_ids: Iterable[int], fallback: str) -> dict[int, str]:
    """Each user's level from the organisation of their staff grants (today's kind): a provincial
    committee makes them provincial; any other committee (commune, ward, grassroots, directly
    subordinate) commune-level. Users without a staff grant (committee position holders) get ``fallback``."""
    from chibo.accounts.models import Grant
    from chibo.orgs.models import OrgKind

    ids = list(user_ids)
    rows = Grant.objects.filter(user_id__in=ids, role="staff", org__versions__valid_to=OPEN).values_list("user_id", "org__versions__kind")
    levels: dict[int, str] = {}
    for user_id, kind in rows:
        if levels.get(user_id) != PROVINCE_LEVEL:
            levels[user_id] = PROVINCE_LEVEL if kind == OrgKind.PROVINCIAL else COMMUNE_LEVEL
    return {i: levels.get(i, fallback) for i in ids}


def upper_quota_rows(*, committee: OrgVersion, cells: list[OrgVersion], year: int) -> list[QuotaRow]:
    """The committee's attendees (the candidates of upper_candidates, and anyone assigned to its cells
    in ``year``) with their year: attended and assigned meetings in any cell, against their level's
    quota. Not met first, provincial members first. Two queries whatever the number of people."""
    from chibo.accounts.models import User
    from chibo.orgs.models import OrgKind

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    in_year = UpperAssignment.objects.filter(month__gte=first, month__lte=last)
    assigned_here = in_year.filter(cell_id__in=[c.org_id for c in cells]).values("attendee_id")
    ids = path_ids(committee)
    on = timezone.localdate()
    holders = Position.objects.filter(org_id=committee.org_id, valid_from__lte=on, valid_to__gt=on).values("member_id")

    def count(**extra: Any) -> Any:
        qs = in_year.filter(attendee_id=OuterRef("pk"), **extra).order_by().values("attendee_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(qs), 0)

    users = list(
        User.objects.filter(is_active=True)
        .filter(Q(grants__role="staff", grants__org_id__in=ids) | Q(member_id__in=holders) | Q(pk__in=assigned_here))
        .distinct()
        .annotate(n_attended=count(attended=True), n_assigned=count())
        .order_by("display_name", "username")
    )
    fallback = PROVINCE_LEVEL if committee.kind == OrgKind.PROVINCIAL else COMMUNE_LEVEL
    levels = attendee_levels(user_ids=[u.pk for u in users], fallback=fallback)
    rows = [
        QuotaRow(user=u, level=levels[u.pk], quota=upper_quota(levels[u.pk]), attended=u.n_attended, assigned=u.n_assigned)  # type: ignore[attr-defined]
        for u in users
    ]
    return sorted(rows, key=lambda r: (r.met, r.level != PROVINCE_LEVEL))


@dataclass
class ScheduleRow:
    assignment: UpperAssignment
    cell_name: str
    meeting: Meeting | None


def my_schedule(*, user: Any) -> list[ScheduleRow]:
    assignments = list(UpperAssignment.objects.filter(attendee=user).order_by("-month", "id")[:200])
    cell_ids = {a.cell_id for a in assignments}
    names = dict(OrgVersion.objects.filter(org_id__in=cell_ids, valid_to=OPEN).values_list("org_id", "name"))
    meetings: dict[tuple[int, dt.date], Meeting] = {}
    months = {a.month for a in assignments}
    for m in Meeting.objects.filter(org_id__in=cell_ids, month__in=months, kind__in=REGULAR_KINDS):
        meetings[(m.org_id, m.month)] = m
    return [ScheduleRow(assignment=a, cell_name=names.get(a.cell_id, str(a.cell_id)), meeting=meetings.get((a.cell_id, a.month))) for a in assignments]


def own_cell_meetings(*, member_id: int | None, now: dt.datetime, upcoming: int = 3, recent: int = 3) -> tuple[list[Meeting], list[Meeting]]:
    """The meetings of the member's own cell (today's membership): the next ones, soonest first, and
    the last ones held or due, latest first. Empty for a user without a member record."""
    if not member_id:
        return [], []
    cells = memberships_on(timezone.localdate(now)).filter(member_id=member_id).values("org_id")
    qs = Meeting.objects.filter(org_id__in=cells)
    soon = list(qs.filter(starts_at__gte=now).order_by("starts_at", "id")[:upcoming])
    past = list(qs.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:recent])
    return soon, past


def notifications_for(*, user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("meeting").order_by("-created_at", "-id")[:100])


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
