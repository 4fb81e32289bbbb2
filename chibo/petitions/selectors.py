"""Reads for petitions, always reached through the access policy (views pass what it allowed).

Lists read the petitions in one query and the organisations' names in one more (never per row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q

from chibo.core.access import Policy
from chibo.core.text import sort_key
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members.models import Member, Membership
from chibo.orgs.models import OrgVersion
from chibo.petitions import access
from chibo.petitions.models import HELD, Petition, PetitionEvent, Status


def names(org_ids: Iterable[int | None]) -> dict[int, str]:
    """Today's names of these organisations (the last name of a dissolved one)."""
    ids = {i for i in org_ids if i}
    if not ids:
        return {}
    # Ordered by start: the latest version of each organisation wins.
    return dict(OrgVersion.objects.filter(org_id__in=ids).order_by("org_id", "valid_from").values_list("org_id", "name"))


@dataclass
class Row:
    petition: Petition
    cell_name: str
    holder_name: str
    overdue: bool


def rows_for(petitions: list[Petition], on: dt.date) -> list[Row]:
    found = names([p.org_id for p in petitions] + [p.holder_id for p in petitions])
    return [
        Row(
            petition=p, cell_name=found.get(p.org_id, ""), holder_name=found.get(p.holder_id or 0, "") or p.holder_external,
            overdue=p.status in HELD and p.deadline is not None and p.deadline < on,
        )
        for p in petitions
    ]


def cell_petitions(*, org_id: int, on: dt.date) -> list[Row]:
    qs = Petition.objects.filter(org_id=org_id).select_related("raised_by").order_by("-raised_on", "-pk")
    return rows_for(list(qs), on)


def inbox(*, policy: Policy, on: dt.date) -> list[Row]:
    """Petitions held by an organisation the user handles: the overdue first, then by deadline."""
    qs = Petition.objects.filter(status__in=HELD, holder__isnull=False)
    if not policy.is_admin:
        qs = qs.filter(holder_id__in=sorted(access.handled_org_ids(policy)))
    return rows_for(list(qs.select_related("raised_by").order_by("deadline", "pk")), on)


def my_petitions(*, user: object, member_id: int | None, on: dt.date) -> list[Row]:
    q = Q(created_by_id=getattr(user, "pk", None))
    if member_id:
        q |= Q(raised_by_id=member_id)
    return rows_for(list(Petition.objects.filter(q).select_related("raised_by").order_by("-raised_on", "-pk")), on)


def at_meeting(*, meeting: Meeting) -> list[Petition]:
    return list(Petition.objects.filter(meeting=meeting).select_related("raised_by").order_by("pk"))


@dataclass
class MeetingPart:
    pending: list[Petition]  # answered, not read out yet (anywhere)
    read_here: list[Petition]  # read out at this meeting
    raised: int  # raised at this meeting


def for_meeting(*, meeting: Meeting) -> MeetingPart:
    """The petitions part of a meeting's page in one query."""
    rows = list(
        Petition.objects.filter(
            Q(org_id=meeting.org_id, status=Status.ANSWERED, read_out_at__isnull=True) | Q(read_out_meeting=meeting) | Q(meeting=meeting)
        ).order_by("answered_at", "read_out_at", "pk")
    )
    return MeetingPart(
        pending=[p for p in rows if p.org_id == meeting.org_id and p.status == Status.ANSWERED and p.read_out_at is None],
        read_here=[p for p in rows if p.read_out_meeting_id == meeting.pk],
        raised=sum(1 for p in rows if p.meeting_id == meeting.pk),
    )


@dataclass
class Line:
    event: PetitionEvent
    from_name: str
    to_name: str


def timeline(petition: Petition) -> list[Line]:
    events = list(PetitionEvent.objects.filter(petition=petition).select_related("actor").order_by("at", "pk"))
    found = names([e.from_holder_id for e in events] + [e.to_holder_id for e in events])
    return [
        Line(event=e, from_name=found.get(e.from_holder_id or 0, "") or e.from_external, to_name=found.get(e.to_holder_id or 0, "") or e.to_external)
        for e in events
    ]


def cell_members(*, org_id: int, on: dt.date) -> list[Member]:
    ids = Membership.objects.filter(org_id=org_id, valid_from__lte=on, valid_to__gt=on).values("member_id")
    return sorted(Member.objects.filter(pk__in=ids), key=lambda m: (sort_key(m.given_name), sort_key(m.surname), sort_key(m.middle_name), m.pk))


def next_meeting(*, org_id: int) -> Meeting | None:
    """The cell's meeting where answers are read out next: the earliest not yet approved."""
    return (
        Meeting.objects.filter(org_id=org_id)
        .exclude(status__in=[MeetingStatus.APPROVED, MeetingStatus.DRAFT])
        .order_by("starts_at", "pk")
        .first()
    )


def member_cell(*, member_id: int | None, on: dt.date) -> int | None:
    if not member_id:
        return None
    row = Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).order_by("-valid_from").values_list("org_id", flat=True).first()
    return int(row) if row else None




def briefing_origin(petition: Petition) -> Any:
    """The briefing issue this petition came from (briefings.services.issue_convert), or None."""
    issue_model = apps.get_model("briefings", "BriefingIssue")  # briefings builds on petitions, not the reverse
    return issue_model.objects.filter(petition=petition).select_related("briefing").first()


def linked_tasks(petition: Petition) -> list[Any]:
    """The member tasks that serve this petition (the task's residential-area matter), newest first."""
    return list(petition.tasks.order_by("-due_on", "-pk"))  # type: ignore[attr-defined]
