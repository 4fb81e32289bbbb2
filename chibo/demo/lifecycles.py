"""Demo member lifecycles (issue 9 §9): admissions, probation, transfers, dues, residence contact and
residential areas, consistent with the members the plan already holds.

Two passes:

- :func:`prepare` adjusts the plan before it is loaded, so memberships and statuses (and the meetings
  generated from them) agree with the lifecycles: a few members whose 12 months of probation have
  ended stay probationary (their vote is due), and a member who transferred out of the province has
  their membership closed on the day they left;
- :func:`load_lifecycles` writes the rows in bulk after the members are loaded (no service call per
  row, no audit row per row: the ``demo.load`` event counts them): candidates at every step and this
  year's quotas, probation cases and votes, the two transfers, a year of dues for a few communes,
  agency members registered at their residence cells, and each commune's residential areas with a
  few that no cell serves ("white villages").

The province demo gets the same kinds of rows for a few communes only, so its build time barely
moves. Everything comes from a seeded generator (same seed and day, same rows).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chibo.admissions.models import (
    STEPS,
    AdmissionQuota,
    AdmissionStep,
    Candidate,
    Introducer,
    ResidentialArea,
    State,
    StepKind,
)
from chibo.admissions.services import is_commune_level
from chibo.core.dates import add_months
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.core.workdays import add_working_days
from chibo.demo import names
from chibo.demo.plan import Person, Plan
from chibo.dues import rates
from chibo.dues.models import DuesBasis, DuesMonth, Receipt, Remittance
from chibo.dues.services import _build_rows, share_up
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion
from chibo.probation import rules as probation_rules
from chibo.probation.models import CaseState, ProbationCase, ProbationVote
from chibo.residence.models import (
    Assessment,
    ContactAttendance,
    ContactMeeting,
    Registration,
    ResidenceComment,
)
from chibo.transfers import rules as transfer_rules
from chibo.transfers.models import EventKind, Kind, Transfer, TransferEvent
from chibo.transfers.models import State as TransferState

# How many communes get dues, residence registrations and candidates (None: every commune).
DUES_COMMUNES = {"district": 2, "province": 2}
OTHER_COMMUNES = {"district": None, "province": 3}
DUE_PROBATIONERS = {"district": 10, "province": 8}
OUT_OF_PROVINCE = "Chi bộ Khu phố 3, Đảng bộ phường Hiến Nam, tỉnh Hưng Yên"
WHITE_NAMES = ("Thôn Khe Mạ", "Thôn Đồng Bài", "Bản Khe Vằn", "Thôn Nà Pò")
SOURCES = ("youth_union", "youth_union", "militia", "village_worker", "reserve", "private_enterprise")
COMMENTS = (
    ("good", "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định của địa phương; tích cực tham gia các phong trào ở khu dân cư."),
    ("fulfilled", "Chấp hành tốt quy định nơi cư trú; giữ mối liên hệ với chi ủy, tham gia sinh hoạt khu dân cư khi được mời."),
    ("fulfilled", "Gia đình chấp hành tốt các quy định của địa phương; đảng viên tham gia đầy đủ các buổi gặp mặt."),
)


@dataclass
class Prepared:
    """Plan indexes chosen by :func:`prepare`."""

    due: list[int] = field(default_factory=list)  # probationers whose vote is due
    left: int | None = None  # transferred out of the province: (index), on its transferred_out day


def _plain(p: Person) -> bool:
    return not p.stable and not p.positions and not p.community and len(p.memberships) == 1


def prepare(plan: Plan) -> Prepared:
    """Adjust the plan so that the lifecycles' rows agree with memberships and statuses."""
    today = plan.today
    out = Prepared()
    personas = set(plan.persona_people.values())
    persona_cell = plan.persona_grants.get("bithu", ("", None))[1]
    wanted = DUE_PROBATIONERS.get(plan.scale, 8)
    # Probationers due for their vote: members whose probation ended in the last four months keep
    # their probationary status (the cell has not voted yet); the persona cell first.
    recent = today - dt.timedelta(days=120)
    found: list[int] = []
    for i, p in enumerate(plan.people):
        if i in personas or not _plain(p) or p.memberships[0][2] != OPEN or p.memberships[0][1] > p.admitted:
            continue
        if [s[0] for s in p.statuses] == ["probationary", "official"] and recent <= p.statuses[1][1] < today:
            found.append(i)
    persona_commune = plan.persona_grants.get("canboxa", ("", None))[1]

    def order(i: int) -> tuple[bool, bool, int]:
        key = plan.people[i].memberships[0][0]
        return key != persona_cell, plan.orgs[key].parent != persona_commune, i

    found.sort(key=order)
    in_persona = sum(1 for i in found if plan.people[i].memberships[0][0] == persona_cell)
    if in_persona < 2:  # pick recent admissions of the persona cell and date them back (a guess at "some")
        for i, p in enumerate(plan.people):
            if in_persona >= 2:
                break
            if i in personas or i in found or not _plain(p) or p.memberships[0][0] != persona_cell:
                continue
            admitted = add_months(today, -12) - dt.timedelta(days=20 + 15 * in_persona)
            if p.memberships[0][1] > admitted or p.statuses[-1][0] not in ("official", "probationary") or len(p.statuses) > 2:
                continue
            if not 18 * 366 <= (admitted - p.born).days <= 45 * 365 or (len(p.statuses) == 2 and p.statuses[1][1] >= today):
                continue
            p.admitted = admitted
            p.statuses = [("probationary", admitted, OPEN, "")]
            p.official, p.card = None, ""
            found.insert(0, i)
            in_persona += 1
    for i in found[:wanted]:
        p = plan.people[i]
        if p.statuses[-1][0] == "official":
            p.statuses = [("probationary", p.admitted, OPEN, "")]
            p.official, p.card = None, ""
        out.due.append(i)
    # Transferred out of the province: a member whose record already ends with a transfer out in the
    # last year; their membership closes on that day.
    for i, p in enumerate(plan.people):
        kind, start, _end, _note = p.statuses[-1]
        if i in personas or kind != "transferred_out" or not today - dt.timedelta(days=300) <= start < today - dt.timedelta(days=20):
            continue
        if len(p.memberships) == 1 and p.memberships[0][2] == OPEN and p.memberships[0][1] < start - dt.timedelta(days=60) and not p.positions:
            p.memberships = [(p.memberships[0][0], p.memberships[0][1], start)]
            p.statuses[-1] = (kind, start, OPEN, OUT_OF_PROVINCE[:300])
            out.left = i
            break
    return out


class Lifecycles:
    def __init__(self, plan: Plan, prepared: Prepared, *, org_ids: dict[int, int], member_ids: list[int]) -> None:
        self.plan = plan
        self.prepared = prepared
        self.today = plan.today
        self.rng = random.Random(f"chibo-demo-lifecycles-{plan.seed}")
        self.org_ids = org_ids
        self.member_ids = member_ids
        self.rows: dict[Any, list[Any]] = defaultdict(list)
        versions = list(OrgVersion.objects.filter(valid_to=OPEN).only(
            "org_id", "parent_id", "kind", "sector", "admin_unit", "area_kind", "area_name", "name", "path"))
        self.version = {v.org_id: v for v in versions}
        self.children: dict[int, list[int]] = defaultdict(list)
        for v in versions:
            if v.parent_id is not None:
                self.children[v.parent_id].append(v.org_id)
        self.communes = sorted(v.org_id for v in versions if is_commune_level(v))
        self.commune_of: dict[int, int] = {}
        for v in versions:
            if v.kind in CELL_KINDS:
                node: OrgVersion | None = self.version.get(v.parent_id) if v.parent_id else None
                while node is not None and not is_commune_level(node):
                    node = self.version.get(node.parent_id) if node.parent_id else None
                if node is not None:
                    self.commune_of[v.org_id] = node.org_id
        # Members in each cell today: (plan index, member id, status).
        self.in_cell: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for i, p in enumerate(plan.people):
            key = p.cell_on(self.today)
            status = p.status_on(self.today)
            if key is not None and status in ("official", "probationary", "exempted", "temp_out"):
                self.in_cell[org_ids[key]].append((i, member_ids[i], status))
        cell_key = plan.persona_grants.get("bithu", ("", None))[1]
        commune_key = plan.persona_grants.get("canboxa", ("", None))[1]
        self.persona_cell = org_ids[cell_key] if cell_key is not None else None
        self.persona_commune = org_ids[commune_key] if commune_key is not None else None
        chosen = OTHER_COMMUNES.get(plan.scale)
        others = [c for c in self.communes if c != self.persona_commune and self.cells_of(c)]
        if chosen is not None:
            others = self.rng.sample(others, min(chosen, len(others)))
        self.chosen = ([self.persona_commune] if self.persona_commune in self.communes else []) + sorted(others)
        self.dues_communes = self.chosen[: DUES_COMMUNES.get(plan.scale, 2)]
        self.persona_ids = {member_ids[i] for i in plan.persona_people.values()}
        self.in_transit_member: int | None = None

    def cells_of(self, commune: int) -> list[int]:
        return sorted(c for c, k in self.commune_of.items() if k == commune)

    def run(self) -> dict[Any, list[Any]]:
        self.areas()
        self.candidates()
        self.probation()
        self.transfers()
        self.residence()
        return self.rows

    # Residential areas and quotas ----------------------------------------------------------------

    def areas(self) -> None:
        for commune in self.chosen:
            seen: set[str] = set()
            for cell in self.cells_of(commune):
                v = self.version[cell]
                if v.sector == "residential" and v.area_name and fold(v.area_name) not in seen:
                    seen.add(fold(v.area_name))
                    self.rows[ResidentialArea].append(ResidentialArea(commune_id=commune, kind=v.area_kind or "village", name=v.area_name, name_folded=fold(v.area_name)))
            white = [n for n in WHITE_NAMES if fold(n) not in seen][: 2 if commune == self.persona_commune else 1 + self.rng.randint(0, 1)]
            for n in white:
                kind = "hamlet" if n.startswith("Bản") else "village"
                self.rows[ResidentialArea].append(ResidentialArea(commune_id=commune, kind=kind, name=n, name_folded=fold(n)))
            self.rows[AdmissionQuota].append(AdmissionQuota(org_id=commune, year=self.today.year, target=self.rng.randint(4, 12)))

    # Admissions ----------------------------------------------------------------------------------

    def candidates(self) -> None:
        rng = self.rng
        for commune in self.chosen:
            cells = [c for c in self.cells_of(commune) if len(self.officials(c)) >= 3]
            if not cells:
                continue
            steps = list(range(0, 9)) if commune == self.persona_commune else rng.sample(range(0, 9), 3)
            for n, step in enumerate(steps):
                cell = cells[n % len(cells)]
                if commune == self.persona_commune and step in (5, 2) and self.persona_cell in cells:
                    cell = self.persona_cell  # the persona cell has one at the cell vote and one earlier
                self.candidate(cell, commune, step_done=step)
            # One admitted this year: a recent admission of the commune, linked to their candidacy.
            for cell in cells:
                recent = [(i, mid) for i, mid, s in self.in_cell[cell] if s == "probationary" and self.plan.people[i].admitted.year >= self.today.year - 1]
                if recent and self.plan.people[recent[0][0]].admitted > self.today - dt.timedelta(days=360):
                    self.candidate(cell, commune, step_done=9, admitted=recent[0])
                    break

    def officials(self, cell: int) -> list[tuple[int, int]]:
        return [(i, mid) for i, mid, s in self.in_cell.get(cell, []) if s == "official"]

    def candidate(self, cell: int, commune: int, *, step_done: int, admitted: tuple[int, int] | None = None) -> None:
        rng, today = self.rng, self.today
        if admitted is not None:
            p = self.plan.people[admitted[0]]
            surname, middle, given, sex, born = p.surname, p.middle, p.given, p.sex, p.born
            last = p.admitted
        else:
            sex = "female" if rng.random() < 0.4 else "male"
            born = dt.date(today.year - rng.randint(19, 34), rng.randint(1, 12), rng.randint(1, 28))
            name = names.person_name(rng, sex=sex, born=born)
            surname, middle, given = name.surname, name.middle, name.given
            last = today - dt.timedelta(days=rng.randint(3, 25))
        gap = 24
        days = [last - dt.timedelta(days=gap * (step_done - k)) for k in range(1, step_done + 1)]
        full = " ".join(x for x in (surname, middle, given) if x)
        area = self.version[cell].area_name or self.version[cell].name
        c = Candidate(
            cell_id=cell, surname=surname, middle_name=middle, given_name=given, full_name=full, name_folded=fold(full), sex=sex,
            date_of_birth=born, residence=f"{area}, {self.version[commune].name.removeprefix('Đảng bộ ')}"[:300],
            source=rng.choice(SOURCES), step_done=step_done, deciding_org_id=commune,
        )
        officials = self.officials(cell)
        n_off = max(len(officials), 3)
        steps: list[AdmissionStep] = []
        introducers: list[tuple[int, int]] = []
        for k, on in zip(range(1, step_done + 1), days, strict=True):
            kind = STEPS[k - 1]
            s = AdmissionStep(kind=kind, on=on, passed=True)
            if kind == StepKind.CELL_VOTE:
                s.vote_base, s.yes_votes = n_off, n_off - rng.randint(0, n_off // 4)
                c.cell_vote_on = on
            elif kind == StepKind.COMMITTEE_VOTE:
                s.vote_base = 9
                s.yes_votes = 9 - rng.randint(0, 2)
            elif kind == StepKind.DECISION:
                s.decision_number = f"{rng.randint(10, 400)}-QĐ/ĐU"
            elif kind == StepKind.INTRODUCERS:
                introducers = [(len(steps), mid) for _i, mid in officials[:2]]
            steps.append(s)
        if admitted is not None:
            c.state, c.admitted_on, c.member_id = State.ADMITTED, last, admitted[1]
        elif step_done in (6, 7):
            c.deadline = add_working_days(c.cell_vote_on or today, 60)
        elif step_done == 8:
            c.deadline = add_working_days(days[-1], 30)
        self.rows[Candidate].append((c, steps, introducers))

    # Probation -----------------------------------------------------------------------------------

    def probation(self) -> None:
        rng, today = self.rng, self.today
        failed = voted = False
        for i in self.prepared.due:
            p = self.plan.people[i]
            mid = self.member_ids[i]
            cell = self.org_ids[p.memberships[0][0]]
            end = probation_rules.probation_end(p.admitted)
            held = min(end + dt.timedelta(days=rng.randint(5, 20)), today - dt.timedelta(days=1))
            n = max(len(self.officials(cell)), 1)
            if not failed and cell == self.persona_cell and held >= end:
                case = ProbationCase(member_id=mid, ends_on=end, state=CaseState.PENDING)
                yes = (2 * n - 1) // 3
                self.rows[ProbationCase].append((case, [ProbationVote(number=1, org_id=cell, held_on=held, official_members=n, yes_votes=yes, passed=False,
                                                                       note="Chưa đủ hai phần ba số đảng viên chính thức tán thành; chi bộ xét lại.")]))
                failed = True
            elif not voted and self.commune_of.get(cell) == self.persona_commune and cell != self.persona_cell and held >= end:
                case = ProbationCase(member_id=mid, ends_on=end, state=CaseState.VOTED, referred_on=held)
                yes = n - rng.randint(0, n // 4)
                yes = max(yes, -(-2 * n // 3))
                self.rows[ProbationCase].append((case, [ProbationVote(number=1, org_id=cell, held_on=held, official_members=n, yes_votes=yes, passed=True)]))
                voted = True

    # Transfers -----------------------------------------------------------------------------------

    def transfers(self) -> None:
        today = self.today
        left = self.prepared.left
        if left is not None:
            p = self.plan.people[left]
            on = p.statuses[-1][1]
            decided = on - dt.timedelta(days=40)
            letter = on - dt.timedelta(days=25)
            t = Transfer(
                kind=Kind.OFFICIAL, state=TransferState.RECEIVED, member_id=self.member_ids[left], person_name=p.full_name,
                from_org_id=self.org_ids[p.memberships[0][0]], to_text=OUT_OF_PROVINCE, decided_on=decided, letter_number=f"{self.rng.randint(10, 300)}-GGT/ĐU",
                letter_on=letter, letter_due=transfer_rules.letter_due(decided), present_due=transfer_rules.present_due(letter), received_on=on,
            )
            self.rows[Transfer].append((t, [(EventKind.DECIDED, decided), (EventKind.LETTER, letter), (EventKind.LEFT, on)]))
        # In transit: from a cell of another commune to a cell of the persona commune.
        target = [c for c in self.cells_of(self.persona_commune) if c != self.persona_cell] if self.persona_commune else []
        if not target:
            return
        due = {self.member_ids[i] for i in self.prepared.due}
        for commune in self.chosen[1:] + [c for c in self.communes if c not in self.chosen]:
            for cell in self.cells_of(commune):
                for i, mid in self.officials(cell):
                    p = self.plan.people[i]
                    if mid in due or not _plain(p) or p.memberships[0][2] != OPEN or p.statuses[-1][1] > today - dt.timedelta(days=90):
                        continue
                    decided, letter = today - dt.timedelta(days=30), today - dt.timedelta(days=12)
                    t = Transfer(
                        kind=Kind.OFFICIAL, state=TransferState.IN_TRANSIT, member_id=mid, person_name=p.full_name, from_org_id=cell,
                        to_org_id=target[0], decided_on=decided, letter_number=f"{self.rng.randint(10, 300)}-GGT/ĐU", letter_on=letter,
                        letter_due=transfer_rules.letter_due(decided), present_due=transfer_rules.present_due(letter),
                    )
                    self.rows[Transfer].append((t, [(EventKind.DECIDED, decided), (EventKind.LETTER, letter)]))
                    self.in_transit_member = mid
                    return

    # Residence contact ---------------------------------------------------------------------------

    def residence(self) -> None:
        rng, today = self.rng, self.today
        half = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
        last_year = today.year - 1
        busy = {self.member_ids[i] for i in self.prepared.due}
        for commune in self.chosen:
            cells = self.cells_of(commune)
            agency = [c for c in cells if self.version[c].sector == "agency"]
            homes = [c for c in cells if self.version[c].sector == "residential"]
            if not agency or not homes:
                continue
            picked: list[tuple[int, int, dt.date]] = []
            for cell in agency:
                for i, mid in self.officials(cell):
                    p = self.plan.people[i]
                    since = p.memberships[-1][1]
                    if mid not in busy and since < dt.date(last_year, 6, 1):
                        picked.append((cell, mid, max(since, dt.date(last_year - 1, 3, 1))))
                    if len(picked) >= 4:
                        break
                if len(picked) >= 4:
                    break
            by_home: dict[int, list[Registration]] = defaultdict(list)
            for n, (work, mid, since) in enumerate(picked):
                home = homes[n % len(homes)]
                introduced = since + dt.timedelta(days=rng.randint(10, 40))
                reg = Registration(member_id=mid, residence_org_id=home, work_org_id=work, registering_org_id=commune, introduced_on=introduced,
                                   introduction_ref=f"{rng.randint(5, 90)}-GGT/CB", registered_on=introduced + dt.timedelta(days=rng.randint(3, 15)))
                assessment, text = COMMENTS[n % len(COMMENTS)]
                comment = ResidenceComment(year=last_year, text=text, assessment=assessment or Assessment.FULFILLED, commented_on=dt.date(last_year, 12, 10),
                                           author_name=self.version[home].name, front_head_name="Trưởng ban công tác Mặt trận")
                self.rows[Registration].append((reg, comment))
                by_home[home].append(reg)
            for home, regs in by_home.items():
                # In this half-year; on its first day (1 January, 1 July), in the one before.
                start = half if today > half else add_months(half, -6)
                held = min(start + dt.timedelta(days=rng.randint(20, 60)), today - dt.timedelta(days=1))
                if held >= start:
                    meeting = ContactMeeting(org_id=home, held_on=held, note="Gặp mặt đảng viên đang công tác ở cơ quan, đơn vị cư trú trên địa bàn.")
                    self.rows[ContactMeeting].append((meeting, regs))

    # Dues ----------------------------------------------------------------------------------------

    def dues(self, users: dict[str, int]) -> dict[str, int]:
        """Bases, months, receipts and remittances for the members of a few communes (after the other rows)."""
        rng, today = self.rng, self.today
        this_month = today.replace(day=1)
        first = max(add_months(this_month, -11), dt.date(2026, 1, 1))
        months = rates.months_in(first, this_month)
        cells = [c for commune in self.dues_communes for c in self.cells_of(commune)]
        ids: list[int] = []
        bases: list[DuesBasis] = []
        persona_member = self.member_ids[self.plan.persona_people["dangvien"]] if "dangvien" in self.plan.persona_people else None
        for cell in cells:
            sector = self.version[cell].sector
            for i, mid, status in self.in_cell.get(cell, []):
                if status == "temp_out" or (rng.random() < 0.08 and mid != persona_member):
                    continue
                p = self.plan.people[i]
                age = (today - p.born).days // 365
                if sector == "residential":
                    category, base = ("pension", rng.choice((4_200_000, 5_600_000, 7_800_000))) if age >= 62 and rng.random() < 0.4 else ("other", None)
                else:
                    category, base = "salary", rng.choice((6_800_000, 8_400_000, 9_900_000, 12_600_000))
                bases.append(DuesBasis(member_id=mid, category=category, base_vnd=base, month_from=first))
                ids.append(mid)
        DuesBasis.objects.bulk_create(bases, batch_size=5000)
        months_rows = _build_rows(member_ids=ids, months=months, on=today)
        by_member: dict[int, list[DuesMonth]] = defaultdict(list)
        for r in months_rows:
            by_member[r.member_id].append(r)
        # Who pays what: most pay each month; some stop a few months back (arrears); a few pay by quarter.
        collector = users.get("bithu")
        receipts: list[tuple[Receipt, list[DuesMonth]]] = []
        forced = False  # one member of the persona cell in arrears, whatever the draw
        for mid in sorted(by_member):
            rows = sorted(by_member[mid], key=lambda r: r.month)
            roll = rng.random()
            late = roll < 0.12 or (not forced and rows[-1].cell_id == self.persona_cell and mid not in self.persona_ids)
            forced = forced or (late and rows[-1].cell_id == self.persona_cell)
            stop = len(rows) - rng.randint(2, 5) if late and mid != persona_member else len(rows)
            if mid == persona_member:
                stop = len(rows) - 1  # this month still to pay
            quarterly = roll > 0.9
            groups: list[list[DuesMonth]] = []
            for r in rows[:stop]:
                if r.amount_vnd <= 0:
                    continue
                if quarterly and groups and len(groups[-1]) < 3 and (groups[-1][0].month.month - 1) // 3 == (r.month.month - 1) // 3:
                    groups[-1].append(r)
                else:
                    groups.append([r])
            for g in groups:
                paid = min(g[-1].month + dt.timedelta(days=rng.randint(4, 20)), today)
                cell = g[0].cell_id
                rc = Receipt(cell_id=cell, year=paid.year, number=0, member_id=mid, paid_on=paid, amount_vnd=sum(r.amount_vnd for r in g),
                             collected_by_id=collector if cell == self.persona_cell else None)
                receipts.append((rc, g))
        receipts.sort(key=lambda x: (x[0].cell_id, x[0].paid_on, x[0].member_id))
        counter: dict[tuple[int, int], int] = defaultdict(int)
        for rc, _g in receipts:
            counter[(rc.cell_id, rc.year)] += 1
            rc.number = counter[(rc.cell_id, rc.year)]
        Receipt.objects.bulk_create([rc for rc, _g in receipts], batch_size=5000)
        for rc, g in receipts:
            for r in g:
                r.receipt_id = rc.pk
        DuesMonth.objects.bulk_create(months_rows, batch_size=5000)
        collected: dict[tuple[int, dt.date], int] = defaultdict(int)
        for rc, _g in receipts:
            collected[(rc.cell_id, rc.paid_on.replace(day=1))] += rc.amount_vnd
        remittances = []
        for (cell, month), total in sorted(collected.items()):
            commune = self.commune_of.get(cell)
            if month >= this_month or commune is None or commune == cell:
                continue
            on = min(add_months(month, 1) + dt.timedelta(days=rng.randint(2, 9)), today)
            amount = share_up(total, month)
            if amount > 0:
                remittances.append(Remittance(cell_id=cell, month=month, to_org_id=commune, amount_vnd=amount, remitted_on=on,
                                              note="Nộp đảng phí về Đảng ủy"))
        Remittance.objects.bulk_create(remittances, batch_size=5000)
        return {"dues.DuesBasis": len(bases), "dues.DuesMonth": len(months_rows), "dues.Receipt": len(receipts), "dues.Remittance": len(remittances)}


def load_lifecycles(
    plan: Plan, prepared: Prepared, *, orgs: dict[int, Organisation], members: list[Member], log: Callable[[str], None] = lambda _m: None,
) -> dict[str, int]:
    """Generate and write the lifecycles' rows of a loaded plan; returns row counts by table."""
    from chibo.accounts.models import User

    started = time.perf_counter()
    gen = Lifecycles(plan, prepared, org_ids={k: o.pk for k, o in orgs.items()}, member_ids=[m.pk for m in members])
    rows = gen.run()
    counts: dict[str, int] = {}
    for model in (ResidentialArea, AdmissionQuota):
        counts[model._meta.label] = len(model.objects.bulk_create(rows.get(model, []), batch_size=5000))
    cands = rows.get(Candidate, [])
    Candidate.objects.bulk_create([c for c, _s, _i in cands], batch_size=5000)
    steps, intros = [], []
    for c, ss, ii in cands:
        for s in ss:
            s.candidate_id = c.pk
        steps.extend(ss)
        intros.append((ss, ii))
    AdmissionStep.objects.bulk_create(steps, batch_size=5000)
    introducers = []
    for ss, ii in intros:
        for n, mid in ii:
            introducers.append(Introducer(step_id=ss[n].pk, member_id=mid, worked_since=ss[n].on - dt.timedelta(days=500)))
    Introducer.objects.bulk_create(introducers, batch_size=5000)
    counts.update({"admissions.Candidate": len(cands), "admissions.AdmissionStep": len(steps), "admissions.Introducer": len(introducers)})
    cases = rows.get(ProbationCase, [])
    ProbationCase.objects.bulk_create([c for c, _v in cases])
    votes = []
    for c, vv in cases:
        for v in vv:
            v.case_id = c.pk
            votes.append(v)
    ProbationVote.objects.bulk_create(votes)
    counts.update({"probation.ProbationCase": len(cases), "probation.ProbationVote": len(votes)})
    transfers = rows.get(Transfer, [])
    Transfer.objects.bulk_create([t for t, _e in transfers])
    events = [TransferEvent(transfer_id=t.pk, kind=k, on=on) for t, ee in transfers for k, on in ee]
    TransferEvent.objects.bulk_create(events)
    counts.update({"transfers.Transfer": len(transfers), "transfers.TransferEvent": len(events)})
    regs = rows.get(Registration, [])
    Registration.objects.bulk_create([r for r, _c in regs])
    comments = []
    for r, c in regs:
        c.registration_id = r.pk
        comments.append(c)
    ResidenceComment.objects.bulk_create(comments)
    meetings = rows.get(ContactMeeting, [])
    ContactMeeting.objects.bulk_create([m for m, _r in meetings])
    attendance = [ContactAttendance(meeting_id=m.pk, registration_id=r.pk) for m, rr in meetings for r in rr]
    ContactAttendance.objects.bulk_create(attendance)
    counts.update({"residence.Registration": len(regs), "residence.ResidenceComment": len(comments), "residence.ContactMeeting": len(meetings)})
    users = dict(User.objects.filter(username__in=["bithu"]).values_list("username", "id"))
    counts.update(gen.dues(users))
    log(f"  vòng đời đảng viên: {counts['admissions.Candidate']} quần chúng, {counts['probation.ProbationCase']} hồ sơ dự bị, "
        f"{counts['transfers.Transfer']} chuyển sinh hoạt, {counts['dues.DuesMonth']} tháng đảng phí, "
        f"{counts['residence.Registration']} đăng ký nơi cư trú ({time.perf_counter() - started:.1f} s)")
    return counts
