"""Consistency checks over a loaded dataset: what the services guarantee row by row, checked in bulk.

Used by the tests and by ``chibo demo --check``. Each problem is one line of text; none means the
data is consistent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from chibo.core.errors import ChiboError
from chibo.core.models import OPEN, AuditEvent
from chibo.core.text import fold
from chibo.members.models import CommunityPosition, Member, Membership, Position, StatusPeriod
from chibo.members.validation import age_on, check_citizen_id
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion, path_segment

LIMIT = 20  # problems reported per check


def _add_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _covering(periods: list[tuple[dt.date, dt.date, Any]], lo: dt.date, hi: dt.date) -> list[Any]:
    """Values of the periods overlapping [lo, hi)."""
    return [v for a, b, v in periods if a < hi and lo < b]


def check_database(*, today: dt.date) -> list[str]:
    problems: list[str] = []

    def problem(kind: str, text: str) -> None:
        if sum(1 for p in problems if p.startswith(kind)) < LIMIT:
            problems.append(f"{kind}: {text}")

    # The tree ------------------------------------------------------------------------------
    versions: dict[int, list[OrgVersion]] = defaultdict(list)
    for v in OrgVersion.objects.order_by("org_id", "valid_from"):
        versions[v.org_id].append(v)
    periods = {org: [(v.valid_from, v.valid_to, v) for v in vs] for org, vs in versions.items()}
    for org in Organisation.objects.all():
        vs = versions.get(org.pk, [])
        if not vs:
            problem("tree", f"{org.code} has no version")
            continue
        if vs[0].valid_from != org.founded_on or vs[-1].valid_to != org.dissolved_on:
            problem("tree", f"{org.code}: versions {vs[0].valid_from}..{vs[-1].valid_to} vs life {org.founded_on}..{org.dissolved_on}")
        for prev, nxt in zip(vs, vs[1:], strict=False):
            if prev.valid_to != nxt.valid_from:
                problem("tree", f"{org.code}: gap or overlap at {prev.valid_to}/{nxt.valid_from}")
    for vs in versions.values():
        for v in vs:
            if v.name_folded != fold(v.name):
                problem("tree", f"{v.name}: name_folded {v.name_folded!r}")
            if v.depth != v.path.count("/") - 2 or not v.path.endswith("/" + path_segment(v.org_id)):
                problem("tree", f"{v.name}: path {v.path} depth {v.depth}")
            if v.parent_id is None:
                if v.path != "/" + path_segment(v.org_id):
                    problem("tree", f"root {v.name} path {v.path}")
                continue
            parents: list[OrgVersion] = _covering(periods.get(v.parent_id, []), v.valid_from, v.valid_to)
            covered = sum(((min(p.valid_to, v.valid_to) - max(p.valid_from, v.valid_from)).days for p in parents), 0)
            if covered != (v.valid_to - v.valid_from).days:
                problem("tree", f"{v.name} [{v.valid_from}, {v.valid_to}): parent does not exist all along")
            for p in parents:
                if p.kind in CELL_KINDS:
                    problem("tree", f"{v.name}: parent {p.name} is a cell")
                if v.path != p.path + path_segment(v.org_id):
                    problem("tree", f"{v.name} [{v.valid_from}, {v.valid_to}): path {v.path} under {p.path}")
            if v.sector == "residential" and v.kind in CELL_KINDS and not v.area_name:
                problem("tree", f"{v.name}: residential cell without area")

    # Members -------------------------------------------------------------------------------
    memberships: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for m_id, org_id, a, b in Membership.objects.order_by("member_id", "valid_from").values_list("member_id", "org_id", "valid_from", "valid_to"):
        memberships[m_id].append((a, b, org_id))
    statuses: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for m_id, status, a, b in StatusPeriod.objects.order_by("member_id", "valid_from").values_list("member_id", "status", "valid_from", "valid_to"):
        statuses[m_id].append((a, b, status))
    serials: dict[str, int] = {}
    fields = ["id", "surname", "middle_name", "given_name", "full_name", "name_folded", "date_of_birth", "sex", "admitted_on", "official_on", "citizen_id", "party_card_number"]
    for row in Member.objects.values_list(*fields).iterator(chunk_size=5000):
        pk, surname, middle, given, full, folded, born, sex, admitted, official, cid, card = row
        label = f"#{pk} {full}"
        if full != " ".join(p for p in (surname, middle, given) if p) or folded != fold(full):
            problem("member", f"{label}: name parts or folding")
        if not dt.date(1940, 1, 1) <= born <= dt.date(2003, 12, 31):
            problem("member", f"{label}: born {born}")
        if not 18 <= age_on(born, admitted) <= 45 or admitted > today:
            problem("member", f"{label}: admitted {admitted} (born {born})")
        expected_official = _add_year(admitted) if _add_year(admitted) <= today else None
        if official != expected_official:
            problem("member", f"{label}: official {official}, expected {expected_official}")
        if bool(card) != bool(official) or (card and (len(card) != 8 or not card.isdigit())):
            problem("member", f"{label}: card {card!r} official {official}")
        try:
            check_citizen_id(cid, date_of_birth=born, sex=sex)
        except ChiboError as exc:
            problem("member", f"{label}: citizen ID {cid}: {exc.message}")
        if cid[-6:] in serials:
            problem("member", f"{label}: citizen ID serial {cid[-6:]} also #{serials[cid[-6:]]}")
        serials[cid[-6:]] = pk
        ms, ss = memberships.get(pk, []), statuses.get(pk, [])
        for seq, what in ((ms, "membership"), (ss, "status")):
            if not seq or seq[-1][1] != OPEN or sum(1 for p in seq if p[1] == OPEN) != 1:
                problem("member", f"{label}: not exactly one open {what}")
            for x, y in zip(seq, seq[1:], strict=False):
                if x[1] > y[0]:
                    problem("member", f"{label}: overlapping {what}s")
        if ss and ss[0][0] != admitted:
            problem("member", f"{label}: first status from {ss[0][0]}, admitted {admitted}")
        for x2, y2 in zip(ss, ss[1:], strict=False):
            if x2[1] != y2[0]:
                problem("member", f"{label}: gap between statuses")
        for a, b, org_id in ms:
            cells = _covering(periods.get(org_id, []), a, b)
            covered = sum(((min(c.valid_to, b) - max(c.valid_from, a)).days for c in cells), 0)
            if covered != (b - a).days or any(c.kind not in CELL_KINDS for c in cells):
                problem("member", f"{label}: membership [{a}, {b}) in org {org_id} which is not a cell all along")
            if a > today:
                problem("member", f"{label}: membership from the future {a}")

    # Positions -----------------------------------------------------------------------------
    def status_at(m_id: int, day: dt.date) -> str:
        return next((s for a, b, s in statuses.get(m_id, []) if a <= day < b), "")

    def cell_at(m_id: int, day: dt.date) -> int | None:
        return next((o for a, b, o in memberships.get(m_id, []) if a <= day < b), None)

    secretaries: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for m_id, org_id, kind, a, b in Position.objects.values_list("member_id", "org_id", "kind", "valid_from", "valid_to"):
        last = min(b, today + dt.timedelta(days=1)) - dt.timedelta(days=1)
        for day in (a, last):
            if day < a:
                continue
            if cell_at(m_id, day) != org_id or status_at(m_id, day) != "official":
                problem("position", f"member #{m_id} {kind} of org {org_id} from {a}: not an official member of it on {day}")
        if kind == "secretary":
            secretaries[org_id].append((a, b, m_id))
    for org_id, terms in secretaries.items():
        terms.sort()
        for x, y in zip(terms, terms[1:], strict=False):
            if x[1] > y[0]:
                problem("position", f"org {org_id}: two secretaries at once on {y[0]}")

    # Residential secretaries are village heads ---------------------------------------------
    heads: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for m_id, a, b in CommunityPosition.objects.values_list("member_id", "valid_from", "valid_to"):
        heads[m_id].append((a, b))
    current = {v.org_id: v for vs in versions.values() for v in vs if v.valid_from <= today < v.valid_to}
    counted = 0
    for org_id, v in current.items():
        if v.kind not in CELL_KINDS:
            continue
        holders = [m for a, b, m in secretaries.get(org_id, []) if a <= today < b]
        if len(holders) != 1:
            problem("position", f"{v.name}: {len(holders)} current secretaries")
            continue
        if v.sector == "residential" and any(a <= today < b for a, b in heads.get(holders[0], [])):
            counted += 1
    if counted == 0 and any(v.sector == "residential" for v in current.values()):
        problem("position", "no residential secretary is a village head")

    # Meetings: the stored attendance counts are the rows' --------------------------------------
    for text in stored_count_mismatches():
        problem("meeting", text)

    # Audit ---------------------------------------------------------------------------------
    if AuditEvent.objects.filter(verb="demo.load").count() != 1:
        problem("audit", "expected one demo.load event")
    return problems


def stored_count_mismatches(*, meeting_ids: list[int] | None = None) -> list[str]:
    """Meetings whose stored counts (Meeting.n_*) differ from a count of their attendance rows."""
    from django.db.models import Count, Q

    from chibo.meetings.models import EXPECTED_STANDINGS, Attendance, Meeting

    expected = Q(standing__in=EXPECTED_STANDINGS)
    rows = Attendance.objects.all() if meeting_ids is None else Attendance.objects.filter(meeting_id__in=meeting_ids)
    counted = {
        r["meeting_id"]: (r["e"], r["p"], r["x"], r["u"])
        for r in rows.values("meeting_id").annotate(
            e=Count("id", filter=expected),
            p=Count("id", filter=expected & Q(status="present")),
            x=Count("id", filter=Q(status="excused")),
            u=Count("id", filter=Q(status="unexcused")),
        )
    }
    meetings = Meeting.objects.all() if meeting_ids is None else Meeting.objects.filter(pk__in=meeting_ids)
    out = []
    for pk, *stored in meetings.values_list("pk", "n_expected", "n_present", "n_excused", "n_unexcused").iterator():
        if tuple(stored) != counted.get(pk, (0, 0, 0, 0)):
            out.append(f"meeting {pk}: stored {tuple(stored)}, rows {counted.get(pk, (0, 0, 0, 0))}")
            if len(out) >= LIMIT:
                break
    return out
