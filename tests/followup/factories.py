"""A year of the four follow-up loops across the test world, written as rows with chosen dates.

The apps' services stamp "now" on what they write; statistics need rows spread over a year, so the
scene writes the rows directly, keeping every model constraint (status and dates, holders, answers).

2026, cell2 moves from the commune to the other commune on 15/02/2026 (tests/meetings' MOVED_ON):

- tasks (created): cell 10/01 open due 01/03, 20/01 done, 05/02 done late; cell2 15/01 open due
  31/12, 03/03 not done; other_cell 02/02 open due 01/02; cell 31/12/2025 (another year).
- petitions (raised): cell 05/01 infrastructure answered by the commune 16/01 (9 working days);
  cell 05/01 land, sent to the commune, escalated to the province, deadline 10/02; cell2 25/03
  environment at the cell; cell2 05/01 returned; other_cell 12/01 security answered by the
  "UBND xã" outside the Party 09/02 and closed.
- briefings: the commune plans 4 (Q1 held), a 5th cancelled; the other commune 2 (Q1 held); the province 1 held.
- inspections: the commune's plan: done (January), planned (June), cancelled; the other commune's: done (March).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.briefings.models import Briefing, BriefingStatus
from chibo.inspections.models import InspectionItem, InspectionPlan, ItemStatus
from chibo.orgs import services as org_services
from chibo.petitions.models import EventKind, Petition, PetitionEvent, Status
from chibo.tasks.models import Task, TaskStatus
from tests.factories import World, vn

YEAR = 2026
MOVED_ON = dt.date(2026, 2, 15)
BEFORE_MOVE = dt.date(2026, 1, 31)
AFTER_MOVE = dt.date(2026, 3, 31)


@dataclass
class Scene:
    w: World
    tasks: list[Task]
    petitions: list[Petition]


def task(
    w: World, cell, created: dt.date, status: str = TaskStatus.OPEN, due: dt.date | None = None
) -> Task:
    closed = status != TaskStatus.OPEN
    t = Task.objects.create(
        cell=cell, title=f"Nhiệm vụ {created:%d/%m}", expected_result="Xong", due_on=due or created + dt.timedelta(days=30), status=status,
        closed_at=vn(created.year, created.month, created.day, 10) if closed else None,
        finished_on=created if status in (TaskStatus.DONE, TaskStatus.DONE_LATE) else None,
    )  # fmt: skip
    Task.objects.filter(pk=t.pk).update(created_at=vn(created.year, created.month, created.day, 9))
    return t


def petition(
    w: World, cell, raised: dt.date, category: str, status: str = Status.OPEN, **extra
) -> Petition:
    return Petition.objects.create(
        org=cell, raised_via="app", raised_by_name="Nguyễn Văn Dân", raised_on=raised, category=category,
        title=f"Kiến nghị {raised:%d/%m}", text="Nội dung", status=status, **extra,
    )  # fmt: skip


def event(
    p: Petition,
    kind: str,
    on: dt.date,
    *,
    to_status: str,
    from_holder=None,
    to_holder=None,
    to_external: str = "",
) -> None:
    PetitionEvent.objects.create(
        petition=p, kind=kind, at=vn(on.year, on.month, on.day, 8), on=on, to_status=to_status, from_holder=from_holder,
        to_holder=to_holder, to_external=to_external,
    )  # fmt: skip


def build(w: World) -> Scene:
    tasks = [
        task(w, w.cell, dt.date(2026, 1, 10), due=dt.date(2026, 3, 1)),
        task(w, w.cell, dt.date(2026, 1, 20), TaskStatus.DONE),
        task(w, w.cell, dt.date(2026, 2, 5), TaskStatus.DONE_LATE),
        task(w, w.cell2, dt.date(2026, 1, 15), due=dt.date(2026, 12, 31)),
        task(w, w.cell2, dt.date(2026, 3, 3), TaskStatus.NOT_DONE),
        task(w, w.other_cell, dt.date(2026, 2, 2), due=dt.date(2026, 2, 1)),
        task(w, w.cell, dt.date(2025, 12, 31)),
    ]
    answered = dict(
        answer="Đã sửa",
        answered_at=vn(2026, 1, 16, 9),
        answered_on=dt.date(2026, 1, 16),
        answered_by_org=w.commune,
    )
    p1 = petition(w, w.cell, dt.date(2026, 1, 5), "infrastructure", Status.ANSWERED, **answered)
    event(p1, EventKind.SENT, dt.date(2026, 1, 5), to_status=Status.AT_LEVEL, to_holder=w.commune)
    event(
        p1,
        EventKind.ANSWERED,
        dt.date(2026, 1, 16),
        to_status=Status.ANSWERED,
        from_holder=w.commune,
    )
    p2 = petition(
        w,
        w.cell,
        dt.date(2026, 1, 5),
        "land",
        Status.AT_LEVEL,
        holder=w.province,
        deadline=dt.date(2026, 2, 10),
        escalation_count=1,
    )
    event(p2, EventKind.SENT, dt.date(2026, 1, 5), to_status=Status.AT_LEVEL, to_holder=w.commune)
    event(
        p2,
        EventKind.ESCALATED,
        dt.date(2026, 1, 27),
        to_status=Status.AT_LEVEL,
        from_holder=w.commune,
        to_holder=w.province,
    )
    p3 = petition(w, w.cell2, dt.date(2026, 3, 25), "environment")
    p4 = petition(w, w.cell2, dt.date(2026, 1, 5), "environment", Status.RETURNED)
    event(p4, EventKind.SENT, dt.date(2026, 1, 6), to_status=Status.AT_LEVEL, to_holder=w.commune)
    p5 = petition(
        w, w.other_cell, dt.date(2026, 1, 12), "security", Status.CLOSED, answer="Đã tăng tuần tra", answered_at=vn(2026, 2, 9, 9),
        answered_on=dt.date(2026, 2, 9), answered_by_external="UBND xã Đại Bình", read_out_at=vn(2026, 2, 12, 19),
    )  # fmt: skip
    event(
        p5,
        EventKind.SENT,
        dt.date(2026, 1, 12),
        to_status=Status.AT_LEVEL,
        to_external="UBND xã Đại Bình",
    )

    def briefing(org, period: int, status: str = BriefingStatus.PLANNED) -> None:
        month = min((period - 1) * 3 + 2, 12)
        Briefing.objects.create(
            committee=org, year=YEAR, period=period, starts_at=vn(YEAR, month, 10, 8), status=status,
            held_at=vn(YEAR, month, 10, 8) if status == BriefingStatus.HELD else None,
            cancel_reason="Trùng lịch" if status == BriefingStatus.CANCELLED else "",
        )  # fmt: skip

    briefing(w.commune, 1, BriefingStatus.HELD)
    for period in (2, 3, 4):
        briefing(w.commune, period)
    briefing(w.commune, 5, BriefingStatus.CANCELLED)
    briefing(w.other_commune, 1, BriefingStatus.HELD)
    briefing(w.other_commune, 2)
    briefing(w.province, 1, BriefingStatus.HELD)

    def item(plan: InspectionPlan, month: int, status: str = ItemStatus.PLANNED) -> None:
        InspectionItem.objects.create(
            plan=plan, kind="inspection", target_org=w.cell, topic="Thực hiện nghị quyết", month_from=dt.date(YEAR, month, 1),
            month_to=dt.date(YEAR, month, 1), status=status, done_on=dt.date(YEAR, month, 20) if status == ItemStatus.DONE else None,
            cancel_reason="Không cần" if status == ItemStatus.CANCELLED else "",
        )  # fmt: skip

    plan = InspectionPlan.objects.create(org=w.commune, year=YEAR)
    item(plan, 1, ItemStatus.DONE)
    item(plan, 6)
    item(plan, 7, ItemStatus.CANCELLED)
    item(InspectionPlan.objects.create(org=w.other_commune, year=YEAR), 3, ItemStatus.DONE)

    org_services.org_move(actor=None, org=w.cell2, new_parent=w.other_commune, on=MOVED_ON)
    return Scene(w=w, tasks=tasks, petitions=[p1, p2, p3, p4, p5])
