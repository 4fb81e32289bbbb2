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
        ms, ss = memberships.get(pk, []), statuses.get(pk, [])
        expected_official = _add_year(admitted) if _add_year(admitted) <= today else None
        # A probationer whose 12 months have ended but whose cell has not voted yet (issue 9) has none.
        if official != expected_official and not (official is None and ss and ss[-1][2] == "probationary" and len(ss) == 1):
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
        # A member who left chibo (a transfer out of the province) has no open membership from that day.
        left = bool(ss) and ss[-1][2] == "transferred_out" and bool(ms) and ms[-1][1] == ss[-1][0]
        for seq, what in ((ms, "membership"), (ss, "status")):
            if left and seq is ms:
                continue
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

    # The follow-up loops (issue 8) ---------------------------------------------------------------
    member_cells = {m: [(a, b, o) for a, b, o in spans] for m, spans in memberships.items()}
    for kind, text in followup_problems(today=today, versions=versions, memberships=member_cells):
        problem(kind, text)

    # The member lifecycles (issue 9) -------------------------------------------------------------
    for kind, text in lifecycle_problems(today=today):
        problem(kind, text)

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


def _ancestors(versions: dict[int, list[OrgVersion]], org_id: int, day: dt.date) -> list[int]:
    v = next((x for x in versions.get(org_id, []) if x.valid_from <= day < x.valid_to), None)
    if v is None:
        return []
    return [i for i in reversed([int(x) for x in v.path.strip("/").split("/") if x]) if i != org_id]


def followup_problems(
    *, today: dt.date, versions: dict[int, list[OrgVersion]], memberships: dict[int, list[tuple[dt.date, dt.date, int]]],
) -> list[tuple[str, str]]:
    """Tasks, petitions, briefings and inspections checked against the meetings, the tree and the members."""
    from django.utils import timezone

    from chibo.briefings import selectors as briefing_sel
    from chibo.briefings import selectors_stats as briefing_stats
    from chibo.briefings.models import Briefing, BriefingAttendance, BriefingStatus
    from chibo.inspections import selectors_stats as inspection_stats
    from chibo.inspections.models import FollowUp, InspectionItem, ItemStatus
    from chibo.meetings.models import Meeting, Resolution
    from chibo.petitions import selectors_stats as petition_stats
    from chibo.petitions.models import HELD, EventKind, Petition, PetitionEvent, Status
    from chibo.petitions.services import deadline_from
    from chibo.tasks import selectors_stats as task_stats
    from chibo.tasks.models import Task, TaskAssignee, TaskCheck, TaskReport, TaskStatus

    out: list[tuple[str, str]] = []
    local = timezone.localdate

    def in_cell(member_id: int, cell_id: int, day: dt.date) -> bool:
        return any(o == cell_id and a <= day < b for a, b, o in memberships.get(member_id, []))

    meetings = {pk: (org, local(starts)) for pk, org, starts in Meeting.objects.values_list("pk", "org_id", "starts_at").iterator(chunk_size=20000)}
    adopted = {pk: m for pk, m in Resolution.objects.filter(adopted=True).values_list("pk", "meeting_id")}

    # Tasks: items of the cell's adopted resolutions, assignees in the cell on the day, checks at its later meetings.
    tasks = {}
    item_meeting = {}
    from chibo.meetings.models import ResolutionItem

    for pk, res in ResolutionItem.objects.filter(tasks__isnull=False).values_list("pk", "resolution_id").distinct():
        item_meeting[pk] = adopted.get(res)
    for t in Task.objects.values("pk", "cell_id", "resolution_item_id", "created_at", "due_on", "status", "finished_on", "closed_at", "closed_at_meeting_id").iterator(chunk_size=20000):
        created = local(t["created_at"])
        tasks[t["pk"]] = (t, created)
        label = f"task #{t['pk']}"
        if t["resolution_item_id"] is not None:
            meeting = item_meeting.get(t["resolution_item_id"])
            if meeting is None or meetings[meeting][0] != t["cell_id"] or meetings[meeting][1] > created:
                out.append(("task", f"{label}: not from an adopted resolution of its cell before it"))
        if t["due_on"] < created:
            out.append(("task", f"{label}: due before it was given"))
        status, finished = t["status"], t["finished_on"]
        if status == TaskStatus.DONE and not (finished and created <= finished <= t["due_on"]):
            out.append(("task", f"{label}: done on {finished}, due {t['due_on']}"))
        if status == TaskStatus.DONE_LATE and not (finished and t["due_on"] < finished <= today):
            out.append(("task", f"{label}: done late on {finished}, due {t['due_on']}"))
        if status != TaskStatus.OPEN:
            closing = t["closed_at_meeting_id"]
            if closing is None or meetings[closing][0] != t["cell_id"] or meetings[closing][1] < created:
                out.append(("task", f"{label}: closed at a meeting that is not a later one of its cell"))
    assignees: dict[int, set[int]] = defaultdict(set)
    for task_id, member_id in TaskAssignee.objects.values_list("task_id", "member_id").iterator(chunk_size=20000):
        assignees[task_id].add(member_id)
        t, created = tasks[task_id]
        if not in_cell(member_id, t["cell_id"], created):
            out.append(("task", f"task #{task_id}: assignee #{member_id} not in the cell on {created}"))
    for task_id, meeting_id in TaskCheck.objects.values_list("task_id", "meeting_id").iterator(chunk_size=20000):
        t, created = tasks[task_id]
        org, day = meetings[meeting_id]
        closing = t["closed_at_meeting_id"]
        if org != t["cell_id"] or day < created or (closing is not None and day > meetings[closing][1]):
            out.append(("task", f"task #{task_id}: checked at meeting {meeting_id} outside its life"))
    for task_id, member_id, at in TaskReport.objects.values_list("task_id", "member_id", "created_at").iterator(chunk_size=20000):
        t, _created = tasks[task_id]
        if member_id not in assignees[task_id] or at < t["created_at"] or (t["closed_at"] is not None and at > t["closed_at"]):
            out.append(("task", f"task #{task_id}: report by #{member_id} at {at} not by an assignee while open"))

    # Petitions: the status is the timeline's; holders are above the cell on the day; deadlines in working days.
    events: dict[int, list[Any]] = defaultdict(list)
    for e in PetitionEvent.objects.order_by("petition_id", "at", "pk").values(
        "petition_id", "kind", "on", "from_status", "to_status", "from_holder_id", "to_holder_id", "to_external", "deadline", "meeting_id"
    ).iterator(chunk_size=20000):
        events[e["petition_id"]].append(e)
    for p in Petition.objects.values(
        "pk", "org_id", "meeting_id", "raised_on", "status", "holder_id", "holder_external", "deadline", "escalation_count", "stalled_on",
        "answered_on", "read_out_meeting_id",
    ).iterator(chunk_size=20000):
        label = f"petition #{p['pk']}"
        es = events.get(p["pk"], [])
        if not es or es[0]["kind"] != EventKind.RAISED:
            out.append(("petition", f"{label}: timeline does not start with its raising"))
            continue
        if p["meeting_id"] is not None and meetings[p["meeting_id"]][0] != p["org_id"]:
            out.append(("petition", f"{label}: raised at a meeting of another cell"))
        for prev, nxt in zip(es, es[1:], strict=False):
            if nxt["from_status"] != prev["to_status"] or nxt["from_holder_id"] != prev["to_holder_id"]:
                out.append(("petition", f"{label}: {nxt['kind']} does not follow {prev['kind']}"))
        last = es[-1]
        if (last["to_status"], last["to_holder_id"], last["to_external"], last["deadline"]) != (p["status"], p["holder_id"], p["holder_external"], p["deadline"]):
            out.append(("petition", f"{label}: status {p['status']} is not its timeline's"))
        if sum(1 for e in es if e["kind"] == EventKind.ESCALATED) != p["escalation_count"]:
            out.append(("petition", f"{label}: escalation count"))
        for e in es:
            if e["kind"] in (EventKind.SENT, EventKind.FORWARDED, EventKind.ESCALATED, EventKind.REOPENED):
                if e["deadline"] != deadline_from(e["on"]):
                    out.append(("petition", f"{label}: {e['kind']} on {e['on']}: deadline {e['deadline']}"))
                if e["to_holder_id"] is not None and e["to_holder_id"] not in _ancestors(versions, p["org_id"], e["on"]):
                    out.append(("petition", f"{label}: {e['kind']} to an organisation not above the cell"))
            if e["kind"] in (EventKind.FORWARDED, EventKind.ESCALATED) and e["to_holder_id"] not in _ancestors(versions, e["from_holder_id"], e["on"]):
                out.append(("petition", f"{label}: {e['kind']} not upward"))
        if p["status"] in HELD and p["holder_id"] is not None:
            if p["holder_id"] not in _ancestors(versions, p["org_id"], today):
                out.append(("petition", f"{label}: held by an organisation not above the cell today"))
            root = not _ancestors(versions, p["holder_id"], today)
            # The daily escalation ran every day up to yesterday: overdue below the root only since yesterday.
            if p["deadline"] is not None and p["deadline"] < today - dt.timedelta(days=1) and not (root and p["stalled_on"] is not None):
                out.append(("petition", f"{label}: overdue since {p['deadline']} and not escalated"))
        answered = [e for e in es if e["kind"] == EventKind.ANSWERED]
        if p["status"] in (Status.ANSWERED, Status.CLOSED) and (not answered or answered[-1]["on"] != p["answered_on"]):
            out.append(("petition", f"{label}: answered on {p['answered_on']} is not its timeline's"))
        if p["read_out_meeting_id"] is not None:
            org, day = meetings[p["read_out_meeting_id"]]
            if org != p["org_id"] or p["answered_on"] is None or day < p["answered_on"]:
                out.append(("petition", f"{label}: read out at a meeting that is not a later one of its cell"))
        if p["status"] == Status.CLOSED and not any(e["kind"] == EventKind.READ_OUT for e in es):
            out.append(("petition", f"{label}: closed without being read out"))

    # Briefings: the invitees of the day; held ones before today, with someone present.
    marked: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for b_id, m_id, cell, role, status in BriefingAttendance.objects.values_list("briefing_id", "member_id", "cell_id", "role", "status").iterator(chunk_size=20000):
        marked[b_id].append((m_id, cell, role, status))
    for b in Briefing.objects.all():
        day = briefing_sel.briefing_day(b)
        rows = marked.get(b.pk, [])
        if b.status == BriefingStatus.HELD and (day >= today or not any(r[3] == "present" for r in rows)):
            out.append(("briefing", f"briefing #{b.pk}: held on {day} with {len(rows)} rows"))
        if b.status == BriefingStatus.PLANNED and any(r[3] for r in rows):
            out.append(("briefing", f"briefing #{b.pk}: planned but marked"))
        wanted = {(i.member_id, i.cell_id, i.role) for i in briefing_sel.invitees(committee_id=b.committee_id, on=day)}
        if {r[:3] for r in rows} != wanted:
            out.append(("briefing", f"briefing #{b.pk} on {day}: the list is not the invitees of the day"))

    # Inspections: done between the planned start and today; follow-ups of done items.
    out.extend(
        ("inspection", f"item #{pk}: done on {done_on}")
        for pk, start, done_on in InspectionItem.objects.filter(status=ItemStatus.DONE).values_list("pk", "month_from", "done_on")
        if done_on is None or not start <= done_on <= today
    )
    if FollowUp.objects.exclude(item__status=ItemStatus.DONE).exists():
        out.append(("inspection", "a follow-up of an item not done"))

    # chibo stats --json: the figures are the rows'.
    top = next((v for vs in versions.values() for v in vs if v.parent_id is None and v.valid_from <= today < v.valid_to), None)
    if top is not None:
        year = today.year
        f = task_stats.json_figures(path=top.path, year=year, on=today)
        rows_t = [t for t, c in tasks.values() if c.year == year]
        if sum(f[k] for k in ("open", "done", "done_late", "not_done")) != len(rows_t) or f["overdue"] != sum(
            1 for t in rows_t if t["status"] == TaskStatus.OPEN and t["due_on"] < today
        ):
            out.append(("stats", f"tasks {f} vs {len(rows_t)} rows"))
        f = petition_stats.json_figures(path=top.path, year=year, on=today)
        ps = Petition.objects.filter(raised_on__year=year)
        if f["open"] + f["answered"] + ps.filter(status=Status.OUT_OF_SCOPE).count() != ps.count() or f["escalated"] != ps.filter(escalation_count__gt=0).count():
            out.append(("stats", f"petitions {f} vs {ps.count()} rows"))
        f = briefing_stats.json_figures(path=top.path, year=year, on=today)
        bs = Briefing.objects.filter(year=year).exclude(status=BriefingStatus.CANCELLED)
        if (f["planned"], f["held"]) != (bs.count(), bs.filter(status=BriefingStatus.HELD).count()):
            out.append(("stats", f"briefings {f} vs {bs.count()} rows"))
        f = inspection_stats.json_figures(path=top.path, year=year, on=today)
        items = InspectionItem.objects.filter(plan__year=year).exclude(status=ItemStatus.CANCELLED)
        if (f["planned"], f["done"]) != (items.count(), items.filter(status=ItemStatus.DONE).count()):
            out.append(("stats", f"inspections {f} vs {items.count()} rows"))
    return out


def lifecycle_problems(*, today: dt.date) -> list[tuple[str, str]]:
    """Candidates, probationers, transfers, dues, residence registrations and residential areas checked
    against the members' memberships and statuses (a few queries, checked in Python)."""
    from django.conf import settings

    from chibo.admissions.models import AdmissionQuota, Candidate, ResidentialArea, State
    from chibo.dues import rates
    from chibo.dues.models import DuesMonth, Receipt, Remittance
    from chibo.dues.services import share_up
    from chibo.probation import rules as probation_rules
    from chibo.probation.models import ProbationVote
    from chibo.residence.models import ContactMeeting, Registration, ResidenceComment
    from chibo.transfers.models import State as TransferState
    from chibo.transfers.models import Transfer

    out: list[tuple[str, str]] = []
    open_cell = dict(Membership.objects.filter(valid_to=OPEN).values_list("member_id", "org_id"))
    open_status = dict(StatusPeriod.objects.filter(valid_to=OPEN).values_list("member_id", "status"))
    current = {v.org_id: v for v in OrgVersion.objects.filter(valid_from__lte=today, valid_to__gt=today)}

    # Admissions: every step, the admitted ones are members admitted that day, this year's quotas.
    steps = set(Candidate.objects.filter(state=State.IN_PROGRESS).values_list("step_done", flat=True))
    if not set(range(0, 9)) <= steps:
        out.append(("admission", f"candidates at steps {sorted(steps)}, not every step"))
    admitted = list(Candidate.objects.filter(state=State.ADMITTED).values_list("pk", "admitted_on", "member__admitted_on", "member_id"))
    if not admitted:
        out.append(("admission", "no admitted candidate"))
    out.extend(("admission", f"candidate #{pk}: admitted {a}, member admitted {b}") for pk, a, b, _m in admitted if a != b)
    out.extend(("admission", f"candidate #{pk}: its cell is not a current cell")
               for pk, cell in Candidate.objects.values_list("pk", "cell_id") if cell not in current or current[cell].kind not in CELL_KINDS)
    if not AdmissionQuota.objects.filter(year=today.year).exists():
        out.append(("admission", f"no quota for {today.year}"))

    # Probation: members due for their vote, their cases and votes.
    due = [m for m in Member.objects.filter(pk__in=[k for k, s in open_status.items() if s == "probationary"]).values("pk", "admitted_on")
           if probation_rules.probation_end(m["admitted_on"]) <= today]
    if not due:
        out.append(("probation", "no probationer due for the vote"))
    if not ProbationVote.objects.filter(passed=False).exists():
        out.append(("probation", "no failed probation vote"))
    for mid, state, ends_on, admitted_on in ProbationVote.objects.values_list(
        "case__member_id", "case__state", "case__ends_on", "case__member__admitted_on"
    ):
        if state in ("pending", "voted") and open_status.get(mid) != "probationary":
            out.append(("probation", f"member #{mid}: a {state} case but status {open_status.get(mid)}"))
        if ends_on != probation_rules.probation_end(admitted_on):
            out.append(("probation", f"member #{mid}: the case ends on {ends_on}"))

    # Transfers: in transit, still in the sending cell; out of chibo, gone from the day they left.
    states = set(Transfer.objects.values_list("state", flat=True))
    if not {TransferState.IN_TRANSIT, TransferState.RECEIVED} <= states:
        out.append(("transfer", f"transfers in states {sorted(states)}"))
    last_span = {m: (b, o) for m, b, o in Membership.objects.order_by("member_id", "valid_to").values_list("member_id", "valid_to", "org_id")}
    for pk, state, mid, from_org, to_org, received_on in Transfer.objects.values_list("pk", "state", "member_id", "from_org_id", "to_org_id", "received_on"):
        if mid is None:
            continue
        if state == TransferState.IN_TRANSIT and (open_cell.get(mid) != from_org or open_status.get(mid) not in ("official", "probationary")):
            out.append(("transfer", f"transfer #{pk} in transit: the member is not in the sending cell"))
        if state == TransferState.RECEIVED and to_org is None:
            left_on = StatusPeriod.objects.filter(member_id=mid, valid_to=OPEN, status="transferred_out").values_list("valid_from", flat=True).first()
            if left_on != received_on or mid in open_cell or last_span.get(mid) != (received_on, from_org):
                out.append(("transfer", f"transfer #{pk} out of the province: status or membership not closed on {received_on}"))

    # Dues: receipts cover owed months of the member at the cell, for their total; remittances are the share.
    owed = set(settings.CHIBO_DUES_OWED_STATUSES)
    months: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for rid, mid, amount, cell in DuesMonth.objects.filter(receipt__isnull=False).values_list("receipt_id", "member_id", "amount_vnd", "cell_id"):
        months[rid].append((mid, amount, cell))
    collected: dict[tuple[int, dt.date], int] = defaultdict(int)
    receipts = list(Receipt.objects.values_list("pk", "member_id", "cell_id", "amount_vnd", "paid_on"))
    if not receipts or not DuesMonth.objects.filter(receipt__isnull=True, amount_vnd__gt=0, month__lt=today.replace(day=1)).exists():
        out.append(("dues", "no receipts or no arrears"))
    for rid, mid, cell, amount, paid_on in receipts:
        rows = months.get(rid, [])
        if not rows or any(m != mid or a <= 0 or c != cell for m, a, c in rows) or sum(a for _m, a, _c in rows) != amount or paid_on > today:
            out.append(("dues", f"receipt #{rid}: not the owed months of its member at its cell"))
        collected[(cell, paid_on.replace(day=1))] += amount
    statuses: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for mid, a, b, st in StatusPeriod.objects.filter(member_id__in=DuesMonth.objects.values("member_id")).values_list("member_id", "valid_from", "valid_to", "status"):
        statuses[mid].append((a, b, st))
    for mid, month in DuesMonth.objects.values_list("member_id", "month"):
        day = min(rates.last_of_month(month), max(today, month))  # as chibo.dues.services decides a month
        if not any(a <= day < b and st in owed for a, b, st in statuses[mid]):
            out.append(("dues", f"member #{mid}: dues for {month} while not owing"))
    for cell, month, amount in Remittance.objects.values_list("cell_id", "month", "amount_vnd"):
        if amount != share_up(collected.get((cell, month), 0), month):
            out.append(("dues", f"remittance of cell #{cell} for {month}: {amount}"))

    # Residence: the member works in the introducing cell, lives in a residential cell of the commune.
    regs = list(Registration.objects.filter(ended_on=OPEN).values_list("pk", "member_id", "work_org_id", "residence_org_id", "registering_org_id", "registered_on"))
    recent = ContactMeeting.objects.filter(held_on__gt=today - dt.timedelta(days=190), held_on__lte=today)
    if not regs or not ResidenceComment.objects.filter(year=today.year - 1).exists() or not recent.exists():
        out.append(("residence", "no registrations, last year's comments or contact meetings in the last six months"))
    for pk, mid, work, home, commune, registered_on in regs:
        v = current.get(home)
        if open_cell.get(mid) != work or v is None or v.sector != "residential" or "/" + path_segment(commune) not in v.path or registered_on > today:
            out.append(("residence", f"registration #{pk}: not a member of its work cell living in a residential cell of the commune"))

    # Residential areas: some with no cell (white villages).
    cell_areas = {(fold(v.area_name), c) for v in current.values() if v.kind in CELL_KINDS and v.area_name
                  for c in (int(x) for x in v.path.strip("/").split("/") if x)}
    areas = list(ResidentialArea.objects.values_list("commune_id", "name_folded"))
    if not areas or all((name, commune) in cell_areas for commune, name in areas):
        out.append(("area", "no residential area without a cell"))
    return out
