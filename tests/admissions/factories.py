"""Admission builders for tests, through the services (so every row is as the app writes it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from chibo.admissions import services
from chibo.admissions.models import STEPS, AdmissionStep, Candidate, StepKind
from chibo.core.dates import today
from tests.factories import citizen_id

if TYPE_CHECKING:
    from tests.factories import World

PDF = b"%PDF-1.4\n%%EOF\n"
BORN = dt.date(1995, 3, 10)
# One date per step (a Monday or a working day each), for a candidate born in 1995.
DATES = {
    StepKind.COURSE: dt.date(2026, 1, 5),
    StepKind.APPLICATION: dt.date(2026, 1, 20),
    StepKind.INTRODUCERS: dt.date(2026, 2, 2),
    StepKind.BACKGROUND: dt.date(2026, 3, 2),
    StepKind.COMMENTS: dt.date(2026, 3, 16),
    StepKind.CELL_VOTE: dt.date(2026, 4, 1),
    StepKind.COMMITTEE_VOTE: dt.date(2026, 4, 15),
    StepKind.DECISION: dt.date(2026, 5, 4),
    StepKind.CEREMONY: dt.date(2026, 5, 20),
}


def make_candidate(world: World, *, born: dt.date = BORN, sex: str = "male", source: str = "militia", with_id: bool = True, cell: Any = None, **extra: Any) -> Candidate:
    data = {
        "surname": "Lê", "middle_name": "Văn", "given_name": "Tâm", "sex": sex, "date_of_birth": born, "source": source,
        "citizen_id": citizen_id(born=born, sex=sex) if with_id else "", "phone": "0912345678", "residence": "Thôn Trung Sơn", **extra,
    }  # fmt: skip
    return services.candidate_create(actor=world.users["secretary"], cell=cell or world.cell, data=data)


def step_kwargs(world: World, kind: str, on: dt.date) -> dict[str, Any]:
    if kind == StepKind.INTRODUCERS:
        since = on.replace(year=on.year - 1)
        return {"introducers": [(world.member, since), (world.secretary_member, since)]}
    if kind == StepKind.CELL_VOTE:
        return {"yes_votes": 2}
    if kind == StepKind.COMMITTEE_VOTE:
        return {"yes_votes": 7, "committee_members": 9}
    return {}


def record(world: World, candidate: Candidate, kind: str, on: dt.date | None = None, *, actor: str = "secretary", **extra: Any) -> AdmissionStep:
    on = on or DATES[kind]  # type: ignore[index]
    kwargs = {**step_kwargs(world, kind, on), **extra}
    return services.step_record(actor=world.users[actor], candidate=candidate, kind=kind, on=on, **kwargs)


def advance(world: World, candidate: Candidate, *, through: str, dates: dict[str, dt.date] | None = None) -> Candidate:
    """Record the steps in order up to ``through`` (included), each on its date in DATES (or ``dates``)."""
    for kind in STEPS:
        actor = "staff" if kind in (StepKind.DECISION, StepKind.CEREMONY) else "secretary"
        record(world, candidate, kind, (dates or {}).get(kind) or DATES[kind], actor=actor)  # type: ignore[index]
        if kind == through:
            break
    candidate.refresh_from_db()
    return candidate


def admissions_scene(world: World) -> dict[str, int]:
    """For the access matrix: a candidate of the cell whose first step has a document."""
    candidate = make_candidate(world)
    step = record(world, candidate, StepKind.COURSE, today() - dt.timedelta(days=30), data=PDF, name="giay-chung-nhan.pdf")
    return {"candidate": candidate.pk, "admission_step": step.pk}
