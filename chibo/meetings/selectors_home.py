"""What each persona's home page shows about the month (issue 7, §6), most local first.

- **member**: the next meeting of their own cell (an open one first, else the next published one),
  with its agenda, materials, comments and, while it is open, their own check-in; and their unread
  notifications. (Which materials a member opened is not recorded, so "not read yet" is the unread
  notifications.)
- **secretary** (a secretary grant on a cell): this month's steps for the cell (create, prepare,
  publish at least ``CHIBO_PUBLISH_MIN_HOURS`` ahead, hold, minutes, approve) with their state and
  deadline, read from the meeting's own status and flags; and last month's meeting if it is not
  approved yet.
- **committee** (a staff or secretary grant on a committee; admins: the roots of the tree): for this
  month and the last complete one, the cells under it that have not scheduled, not announced,
  announced late, not held or not approved their regular meeting.

The committee figures and the list behind each of them (:func:`missing_cells`) use the same
definitions, over the regular (or combined) meeting of the month, of which a cell has at most one
(a database constraint, so counting meetings counts cells):

- ``not_scheduled``: cells with no such meeting;
- ``not_announced``: its status is draft (never published);
- ``announced_late``: it was published less than the minimum ahead (``published_late``);
- ``not_held``: cells with no such meeting held (open, closed or approved);
- ``not_approved``: held (open or closed) but its minutes not approved yet.

Cells are those of the tree on the month's last day, or today for the current month
(:func:`tree_on`). The figures of one committee node cost two queries for both months, whatever the
number of cells; the list is one page of cells plus their meetings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import Grant
from chibo.core.access import Action, Policy
from chibo.meetings.models import (
    REGULAR_KINDS,
    AgendaItem,
    Attendance,
    Comment,
    Material,
    Meeting,
    MeetingStatus,
    Notification,
)
from chibo.meetings.selectors_prep import meeting_day_rule
from chibo.meetings.selectors_stats import (
    CELL_MEETING_KINDS,
    HELD_STATUSES,
    add_months,
    first_of_month,
    month_end,
)
from chibo.members.models import Membership
from chibo.orgs.models import CELL_KINDS, OrgVersion

EDITABLE = (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)
NOT_APPROVED = (MeetingStatus.OPEN, MeetingStatus.CLOSED)
# A published meeting stays "next" for a while after its start time (it may open late).
NEXT_GRACE = dt.timedelta(hours=12)
UNREAD_SHOWN = 5
COMMITTEE_NODES_SHOWN = 5

MISSING_STEPS: dict[str, Any] = {
    "not_scheduled": gettext_lazy("Chưa lên lịch họp"),
    "not_announced": gettext_lazy("Chưa thông báo"),
    "announced_late": gettext_lazy("Thông báo muộn"),
    "not_held": gettext_lazy("Chưa họp"),
    "not_approved": gettext_lazy("Chưa duyệt biên bản"),
}


def publish_hours() -> int:
    return int(getattr(settings, "CHIBO_PUBLISH_MIN_HOURS", 24))


def tree_on(month: dt.date, today: dt.date) -> dt.date:
    """The tree date of a month's figures: its last day, or today while the month is running."""
    return min(month_end(month), today)


# Unread -------------------------------------------------------------------------------------


@dataclass
class Unread:
    count: int
    latest: list[Notification]


def unread(*, user: Any) -> Unread:
    """The user's unread notifications: how many, and the latest few (two queries)."""
    qs = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    latest = list(qs.select_related("meeting").order_by("-created_at", "-id")[:UNREAD_SHOWN])
    count = len(latest) if len(latest) < UNREAD_SHOWN else qs.count()
    return Unread(count=count, latest=latest)


# Member ---------------------------------------------------------------------------------------


@dataclass
class NextMeeting:
    meeting: Meeting
    agenda: list[AgendaItem]
    materials: list[Material]
    comments_total: int
    own_comments: int
    can_comment: bool
    own: Attendance | None  # the member's attendance row, read while the meeting is open


@dataclass
class MemberHome:
    cell: OrgVersion
    next: NextMeeting | None


def member_home(*, policy: Policy, now: dt.datetime) -> MemberHome | None:
    """The member's own cell (if the policy lets them see it) and its next meeting."""
    member_id = policy.member_id
    if not member_id:
        return None
    on = timezone.localdate(now)
    own_cells = Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).values("org_id")
    cell = policy.versions(on=on, action=Action.VIEW_ORG).filter(org_id__in=own_cells, kind__in=CELL_KINDS).first()
    if cell is None:
        return None
    meeting = (
        Meeting.objects.filter(org_id=cell.org_id, kind__in=CELL_MEETING_KINDS)
        .filter(Q(status=MeetingStatus.OPEN) | Q(status=MeetingStatus.PUBLISHED, starts_at__gte=now - NEXT_GRACE))
        .order_by(Case(When(status=MeetingStatus.OPEN, then=0), default=1), "starts_at", "id")  # an open one first
        .first()
    )
    if meeting is None:
        return MemberHome(cell=cell, next=None)
    counts = Comment.objects.filter(meeting=meeting).aggregate(total=Count("id"), own=Count("id", filter=Q(author_id=member_id)))
    own = None
    if meeting.status == MeetingStatus.OPEN:
        own = Attendance.objects.filter(meeting=meeting, member_id=member_id).first()
    return MemberHome(
        cell=cell,
        next=NextMeeting(
            meeting=meeting,
            agenda=list(AgendaItem.objects.filter(meeting=meeting).order_by("position")),
            materials=list(Material.objects.filter(meeting=meeting).order_by("uploaded_at", "id")),
            comments_total=counts["total"],
            own_comments=counts["own"],
            can_comment=meeting.status in EDITABLE and now < meeting.starts_at,
            own=own,
        ),
    )


# Secretary ------------------------------------------------------------------------------------

DONE, LATE, TODO, OVERDUE, NOW, WAITING, MISSED = "done", "late", "todo", "overdue", "now", "waiting", "missed"
STATE_LABELS: dict[str, Any] = {
    DONE: gettext_lazy("Đã xong"),
    LATE: gettext_lazy("Xong, nhưng muộn"),
    TODO: gettext_lazy("Cần làm"),
    OVERDUE: gettext_lazy("Quá hạn"),
    NOW: gettext_lazy("Đang làm"),
    WAITING: gettext_lazy("Chờ bước trước"),
    MISSED: gettext_lazy("Còn thiếu"),  # the meeting was held without it
}


@dataclass
class Step:
    key: str
    label: str
    state: str
    url: str
    deadline: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class CellMonth:
    cell: OrgVersion
    month: dt.date
    meeting: Meeting | None
    planned_start: dt.datetime  # the meeting's start, or the meeting-day rule's when there is none
    steps: list[Step]
    previous: Meeting | None  # last month's regular meeting, when it is not approved yet
    previous_missing: bool  # last month had no regular meeting at all

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.state in (DONE, LATE))


def _due(deadline: dt.datetime, now: dt.datetime) -> str:
    return OVERDUE if now > deadline else TODO


def month_steps(*, cell: OrgVersion, meeting: Meeting | None, planned_start: dt.datetime, now: dt.datetime) -> list[Step]:
    """The six steps of a cell's month with their state, from the meeting's status and flags.

    ``meeting`` carries ``n_agenda`` and ``n_materials`` (annotated by :func:`secretary_home`).
    """
    hours = publish_hours()
    cell_url = reverse("meetings:cell_meetings", args=[cell.org_id])
    publish_by = planned_start - dt.timedelta(hours=hours)
    if meeting is None:
        later = [
            ("prepare", _("Chuẩn bị: chương trình, dự thảo nghị quyết, tài liệu")),
            ("publish", _("Thông báo trước ít nhất %(hours)s giờ") % {"hours": hours}),
            ("hold", _("Tổ chức họp")),
            ("minutes", _("Biên bản")),
            ("approve", _("Duyệt biên bản")),
        ]
        create = Step("create", _("Tạo cuộc họp tháng"), _due(publish_by, now), cell_url, publish_by)
        return [create, *(Step(key, label, WAITING, cell_url) for key, label in later)]

    m = meeting
    detail = reverse("meetings:detail", args=[m.pk])
    held = m.status in HELD_STATUSES
    publish_by = m.starts_at - dt.timedelta(hours=hours)
    steps = [Step("create", _("Tạo cuộc họp tháng"), DONE, detail)]

    n_agenda, n_materials = getattr(m, "n_agenda", 0), getattr(m, "n_materials", 0)
    prepared = n_agenda > 0 and bool(m.draft_resolution.strip())
    prepare = Step("prepare", _("Chuẩn bị: chương trình, dự thảo nghị quyết, tài liệu"), DONE if prepared else TODO, detail, publish_by)
    if not prepared:
        prepare.state = MISSED if held else _due(publish_by, now)
    prepare.notes.append(_("%(n)s nội dung trong chương trình") % {"n": n_agenda})
    prepare.notes.append(_("Dự thảo nghị quyết: đã có") if m.draft_resolution.strip() else _("Dự thảo nghị quyết: chưa có"))
    prepare.notes.append(_("%(n)s tài liệu") % {"n": n_materials})
    if m.late_material:
        prepare.state = LATE if prepare.state == DONE else prepare.state
        prepare.notes.append(_("Có tài liệu thêm hoặc sửa muộn"))
    steps.append(prepare)

    publish = Step(
        "publish", _("Thông báo trước ít nhất %(hours)s giờ") % {"hours": hours}, DONE, reverse("meetings:publish", args=[m.pk]), publish_by
    )
    if m.published_at is None:
        publish.state = MISSED if held else _due(publish_by, now)
    else:
        if m.published_late:
            publish.state = LATE
            publish.notes.append(_("Thông báo muộn"))
        if m.late_move:
            publish.state = LATE
            publish.notes.append(_("Dời họp sớm hơn sau khi đã thông báo"))
    steps.append(publish)

    attendance = reverse("meetings:attendance", args=[m.pk])
    hold = Step("hold", _("Tổ chức họp"), DONE, attendance, m.starts_at)
    if m.status == MeetingStatus.OPEN:
        hold.state = NOW
    elif not held:
        hold.state = NOW if timezone.localdate(now) == timezone.localdate(m.starts_at) else _due(m.starts_at, now)
    elif m.under_length:
        hold.state = LATE
        hold.notes.append(_("Họp ngắn hơn thời lượng tối thiểu"))
    steps.append(hold)

    minutes_url = reverse("meetings:minutes", args=[m.pk])
    minutes = Step("minutes", _("Biên bản"), WAITING, minutes_url)
    if m.status == MeetingStatus.OPEN:
        minutes.state = NOW
    elif m.status in (MeetingStatus.CLOSED, MeetingStatus.APPROVED):
        minutes.state = DONE
    steps.append(minutes)

    approve = Step("approve", _("Duyệt biên bản"), WAITING, minutes_url)
    if m.status == MeetingStatus.APPROVED:
        approve.state = DONE
    elif m.status == MeetingStatus.CLOSED:
        approve.state = TODO
        approve.notes.append(_("Chủ trì: đã duyệt") if m.approved_by_chair_at else _("Chủ trì: chưa duyệt"))
        approve.notes.append(_("Thư ký: đã duyệt") if m.approved_by_taker_at else _("Thư ký: chưa duyệt"))
    steps.append(approve)
    return steps


def secretary_cells(*, policy: Policy, on: dt.date) -> QuerySet[OrgVersion]:
    """The cells the user is the secretary of (a secretary grant on a cell), in their scope."""
    granted = Grant.objects.filter(user_id=policy.user.pk, role="secretary").values("org_id")
    return policy.versions(on=on, action=Action.EDIT_MEMBER).filter(org_id__in=granted, kind__in=CELL_KINDS).order_by("name")


def secretary_home(*, policy: Policy, now: dt.datetime) -> list[CellMonth]:
    """This month's steps for each of the user's cells (two queries, plus the meeting-day rule of a
    cell that has no meeting yet)."""
    if "secretary" not in policy.roles():  # the grants, already read: no query for others
        return []
    today = timezone.localdate(now)
    month = first_of_month(today)
    previous_month = add_months(month, -1)
    cells = list(secretary_cells(policy=policy, on=today)[:10])
    if not cells:
        return []
    meetings = {
        (m.org_id, m.month): m
        for m in Meeting.objects.filter(org_id__in=[c.org_id for c in cells], month__in=[month, previous_month], kind__in=REGULAR_KINDS)
        .annotate(n_agenda=Count("agenda", distinct=True), n_materials=Count("materials", distinct=True))
    }
    out = []
    for cell in cells:
        meeting = meetings.get((cell.org_id, month))
        if meeting is not None:
            planned = meeting.starts_at
        else:
            rule = meeting_day_rule(version=cell)
            planned = timezone.make_aware(dt.datetime.combine(month.replace(day=rule.day_of_month), rule.time))
        previous = meetings.get((cell.org_id, previous_month))
        out.append(
            CellMonth(
                cell=cell, month=month, meeting=meeting, planned_start=planned,
                steps=month_steps(cell=cell, meeting=meeting, planned_start=planned, now=now),
                previous=previous if previous is not None and previous.status != MeetingStatus.APPROVED else None,
                previous_missing=previous is None and cell.valid_from <= previous_month,
            )
        )  # fmt: skip
    return out


# Committee ------------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    count: int
    url: str


@dataclass
class MonthFigures:
    month: dt.date
    on: dt.date
    cells: int
    figures: list[Figure]
    current: bool


@dataclass
class CommitteeHome:
    node: OrgVersion
    months: list[MonthFigures]


def committee_nodes(*, policy: Policy, on: dt.date) -> list[OrgVersion]:
    """The committees whose cells the user follows: staff (or secretary) grants on a committee;
    for an admin, the roots of the tree."""
    if not policy.roles() & {"admin", "staff", "secretary"}:
        return []
    qs = policy.versions(on=on, action=Action.VIEW_ORG).exclude(kind__in=CELL_KINDS)
    if policy.is_admin:
        qs = qs.filter(parent__isnull=True)
    else:
        granted = Grant.objects.filter(user_id=policy.user.pk, role__in=["staff", "secretary"]).values("org_id")
        qs = qs.filter(org_id__in=granted)
    return list(qs.order_by("depth", "name")[:COMMITTEE_NODES_SHOWN])


def _cells_on(path: str, on: dt.date) -> QuerySet[OrgVersion]:
    return OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, path__startswith=path, kind__in=CELL_KINDS)


def month_figures(*, node: OrgVersion, today: dt.date) -> list[MonthFigures]:
    """This month's and the last complete month's figures for the cells under ``node`` (two queries)."""
    current = first_of_month(today)
    months = [(current, tree_on(current, today)), (add_months(current, -1), tree_on(add_months(current, -1), today))]
    cell_counts = OrgVersion.objects.filter(
        Q(valid_from__lte=months[0][1], valid_to__gt=months[0][1]) | Q(valid_from__lte=months[1][1], valid_to__gt=months[1][1]),
        path__startswith=node.path, kind__in=CELL_KINDS,
    ).aggregate(
        **{f"m{i}": Count("id", filter=Q(valid_from__lte=on, valid_to__gt=on)) for i, (_m, on) in enumerate(months)}
    )  # fmt: skip
    which = Q(pk__in=[])
    for m, on in months:
        which |= Q(month=m, org_id__in=_cells_on(node.path, on).values("org_id"))
    rows = {
        row["month"]: row
        for row in Meeting.objects.filter(which, kind__in=REGULAR_KINDS)
        .values("month")
        .annotate(
            scheduled=Count("id"),
            draft=Count("id", filter=Q(status=MeetingStatus.DRAFT)),
            late=Count("id", filter=Q(published_late=True)),
            held=Count("id", filter=Q(status__in=HELD_STATUSES)),
            approved=Count("id", filter=Q(status=MeetingStatus.APPROVED)),
        )
    }
    out = []
    for i, (m, on) in enumerate(months):
        n = cell_counts[f"m{i}"] or 0
        row = rows.get(m, {"scheduled": 0, "draft": 0, "late": 0, "held": 0, "approved": 0})
        counts = {
            "not_scheduled": n - row["scheduled"],
            "not_announced": row["draft"],
            "announced_late": row["late"],
            "not_held": n - row["held"],
            "not_approved": row["held"] - row["approved"],
        }
        base = reverse("meetings:cells_missing", args=[node.org_id])
        figures = [Figure(key, str(MISSING_STEPS[key]), counts[key], f"{base}?month={m:%Y-%m}&step={key}") for key in MISSING_STEPS]
        out.append(MonthFigures(month=m, on=on, cells=n, figures=figures, current=m == current))
    return out


def committee_home(*, policy: Policy, now: dt.datetime) -> list[CommitteeHome]:
    today = timezone.localdate(now)
    return [CommitteeHome(node=node, months=month_figures(node=node, today=today)) for node in committee_nodes(policy=policy, on=today)]


# The list behind a figure ---------------------------------------------------------------------


def _regular(month: dt.date, **extra: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(org_id=OuterRef("org_id"), month=month, kind__in=REGULAR_KINDS, **extra)


def missing_cells(*, policy: Policy, node: OrgVersion, month: dt.date, step: str, on: dt.date) -> QuerySet[OrgVersion]:
    """The cells under ``node`` (tree of ``on``, in the user's scope) missing ``step`` for ``month``,
    by name: the definitions of the module docstring, one query."""
    cells = policy.versions(on=on, action=Action.VIEW_ORG).filter(path__startswith=node.path, kind__in=CELL_KINDS)
    conditions = {
        "not_scheduled": ~Exists(_regular(month)),
        "not_announced": Exists(_regular(month, status=MeetingStatus.DRAFT)),
        "announced_late": Exists(_regular(month, published_late=True)),
        "not_held": ~Exists(_regular(month, status__in=HELD_STATUSES)),
        "not_approved": Exists(_regular(month, status__in=NOT_APPROVED)),
    }
    return cells.filter(conditions[step]).order_by("name", "org_id")


@dataclass
class MissingRow:
    cell: OrgVersion
    parent_name: str
    meeting: Meeting | None


def missing_rows(*, cells: list[OrgVersion], month: dt.date, on: dt.date) -> list[MissingRow]:
    """One page of :func:`missing_cells` with each cell's parent name and meeting (two queries)."""
    parents = dict(
        OrgVersion.objects.filter(org_id__in={c.parent_id for c in cells if c.parent_id}, valid_from__lte=on, valid_to__gt=on).values_list("org_id", "name")
    )
    meetings = {m.org_id: m for m in Meeting.objects.filter(org_id__in=[c.org_id for c in cells], month=month, kind__in=REGULAR_KINDS)}
    return [MissingRow(cell=c, parent_name=parents.get(c.parent_id or 0, ""), meeting=meetings.get(c.org_id)) for c in cells]


__all__ = ["MISSING_STEPS", "committee_home", "member_home", "missing_cells", "missing_rows", "secretary_home", "unread"]
