"""An in-memory plan of a demo dataset: the tree, the reorganisations, and every member's history.

A plan is built from a seed and a date ("today") with no database access, so two builds with the
same seed and date are identical, and the tests can compare plans without loading them.
:mod:`chibo.demo.load` writes a plan to the database.

Member histories follow the rules the app enforces: periods are half-open [from, to) and end on
``OPEN`` when open; each member has one open membership and one open status and no overlaps;
probation lasts 12 months; a position holder is an official member of the cell for the whole term;
the secretary of a residential cell is also the village head over the same term.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from chibo.core.models import OPEN
from chibo.demo import names
from chibo.members.validation import century_sex_digit

# The history of a dataset starts here: the tree and the member records are known from this day.
START = dt.date(2022, 1, 1)
# Cell congresses: the 2022–2025 term started on 3 July 2022 (seed 001); the next term in spring 2025.
CONGRESSES = (dt.date(2022, 7, 3), dt.date(2025, 4, 20))
# Village-head terms ("Dân tin – Đảng cử"): the secretary is elected village head for the same years.
# The 2025–2027 village heads were elected on 15/12/2024 (docs/domain.md §7).
VILLAGE_TERMS = (
    (dt.date(2019, 12, 15), dt.date(2022, 7, 3)),
    (dt.date(2022, 7, 3), dt.date(2024, 12, 15)),
    (dt.date(2024, 12, 15), dt.date(2027, 12, 15)),
)
REORGANISATION = dt.date(2025, 7, 1)
# A cell's recorded congress term: name, congress day (None: not known), start, end (the next congress).
TermSpec = tuple[str, dt.date | None, dt.date, dt.date]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A day in [lo, hi] (lo when the range is empty)."""
    span = (hi - lo).days
    return lo + dt.timedelta(days=rng.randint(0, span)) if span > 0 else lo


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass(slots=True)
class OrgSpec:
    key: int
    code: str
    name: str
    kind: str
    parent: int | None
    sector: str = "other"
    admin_unit: str = ""
    area_kind: str = ""
    area_name: str = ""
    founded: dt.date = START
    # Created by an operation (a merge) rather than at the start; the loader leaves it to the op.
    by_op: bool = False
    # Which kind of people sit in the cell: residential, agency, school, coal, enterprise, ...
    profile: str = "other"


@dataclass(slots=True)
class Merge:
    on: dt.date
    sources: list[int]
    into: int  # an existing org, or a new one (OrgSpec.by_op) created by the merge


@dataclass(slots=True)
class Move:
    on: dt.date
    key: int
    parent: int


@dataclass(slots=True)
class Change:
    on: dt.date
    key: int
    changes: dict[str, str]


@dataclass(slots=True)
class Dissolve:
    on: dt.date
    key: int


Op = Merge | Move | Change | Dissolve


# ---------------------------------------------------------------------------------------------
# People


@dataclass(slots=True)
class Person:
    surname: str
    middle: str
    given: str
    sex: str
    born: dt.date
    admitted: dt.date
    official: dt.date | None
    card: str
    citizen_id: str
    phone: str
    ethnicity: str
    religion: str
    hometown: str
    education: str
    theory: str
    occupation: str
    memberships: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)
    statuses: list[tuple[str, dt.date, dt.date, str]] = field(default_factory=list)
    positions: list[tuple[int, str, dt.date, dt.date]] = field(default_factory=list)
    community: list[tuple[str, str, dt.date, dt.date]] = field(default_factory=list)
    # No events after START: may hold a position, may be a persona.
    stable: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)

    def status_on(self, day: dt.date) -> str:
        for status, start, end, _note in self.statuses:
            if start <= day < end:
                return status
        return ""

    def cell_on(self, day: dt.date) -> int | None:
        for org, start, end in self.memberships:
            if start <= day < end:
                return org
        return None


ACTIVE = ("probationary", "official", "exempted", "temp_out")

# Female share and birth-year profile (low, high, mode) by kind of cell.
PROFILES: dict[str, tuple[float, tuple[int, int, int]]] = {
    "residential": (0.38, (1940, 2003, 1957)),
    "agency": (0.45, (1966, 2001, 1981)),
    "school": (0.72, (1966, 2001, 1983)),
    "other": (0.55, (1966, 2001, 1982)),
    "coal": (0.12, (1967, 2002, 1986)),
    "enterprise": (0.30, (1967, 2002, 1984)),
    "police": (0.12, (1968, 2002, 1988)),
    "armed_forces": (0.06, (1968, 2002, 1988)),
}
ETHNIC_GROUPS = ("Dao", "Tày", "Sán Chỉ", "Sán Dìu")
LEADER_BIRTH_YEARS = (1958, 1990, 1970)


class People:
    """Generates members with consistent dates, names and unique identifiers."""

    def __init__(self, rng: random.Random, *, today: dt.date, capacity: int = 10_000) -> None:
        self.rng = rng
        self.today = today
        self.count = 0
        # Unique serials drawn without replacement: the last 6 digits of citizen IDs, card numbers.
        self._serials = rng.sample(range(1_000_000), capacity)
        self._cards = rng.sample(range(10_000_000, 100_000_000), capacity)

    def _citizen_id(self, *, code: str, born: dt.date, sex: str) -> str:
        return f"{code}{century_sex_digit(year=born.year, sex=sex)}{born.year % 100:02d}{self._serials[self.count]:06d}"

    def _card(self) -> str:
        return f"{self._cards[self.count]:08d}"

    def make(
        self,
        *,
        profile: str,
        ethnic_share: dict[str, float] | None = None,
        admitted_after: dt.date | None = None,
        admitted_before: dt.date = START,
        born_range: tuple[int, int, int] | None = None,
    ) -> Person:
        """A member admitted before ``admitted_before`` or, with ``admitted_after``, within [after, before)."""
        rng = self.rng
        female_share, (lo, hi, mode) = PROFILES.get(profile, PROFILES["other"])
        if born_range is not None:
            lo, hi, mode = born_range
        sex = "female" if rng.random() < female_share else "male"
        latest_birth = dt.date(2003, 12, 31)
        if admitted_after is not None:
            admitted = between(rng, admitted_after, admitted_before - dt.timedelta(days=1))
            age = int(rng.triangular(18, 38, 23)) if profile != "residential" else int(rng.triangular(18, 45, 25))
            born = add_years(admitted, -age) - dt.timedelta(days=rng.randint(1, 360))
            born = min(born, latest_birth)
            if add_years(born, 18) > admitted:  # only possible after the clamp: push admission later
                admitted = add_years(born, 18) + dt.timedelta(days=rng.randint(0, 30))
        else:
            year = int(rng.triangular(lo, hi + 1, mode))
            born = dt.date(min(year, 2003), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            earliest = add_years(born, 18)
            latest = min(add_years(born, 45), admitted_before - dt.timedelta(days=1))
            if latest < earliest:
                latest = earliest
            span = (latest - earliest).days
            admitted = earliest + dt.timedelta(days=int(rng.triangular(0, span, min(span, 6 * 365))) if span else 0)
        official = add_years(admitted, 1)
        official_on = official if official <= self.today else None
        ethnicity = "Kinh"
        if ethnic_share:
            roll = rng.random()
            for group in ETHNIC_GROUPS:
                share = ethnic_share.get(group, 0.0)
                if roll < share:
                    ethnicity = group
                    break
                roll -= share
        name = names.person_name(rng, sex=sex, born=born, ethnicity=ethnicity)
        if ethnicity == "Kinh" and rng.random() < 0.14:
            hometown, code = rng.choice(names.OTHER_HOMETOWNS)
            if rng.random() < 0.4:  # born in Quảng Ninh to a family from elsewhere
                code = "022"
        else:
            hometown, code = "Quảng Ninh", "022"
        citizen_id = self._citizen_id(code=code, born=born, sex=sex)
        card = self._card() if official_on else ""
        self.count += 1
        age_now = (self.today - born).days // 365
        phone = names.phone_number(rng) if rng.random() < (0.8 if age_now < 70 else 0.45) else ""
        education, theory, occupation = self._schooling(profile=profile, born=born, age_now=age_now)
        religion = "Không"
        roll = rng.random()
        if roll < 0.02:
            religion = "Phật giáo"
        elif roll < 0.025:
            religion = "Công giáo"
        person = Person(
            surname=name.surname, middle=name.middle, given=name.given, sex=sex, born=born,
            admitted=admitted, official=official_on, card=card, citizen_id=citizen_id, phone=phone,
            ethnicity=ethnicity, religion=religion, hometown=hometown, education=education,
            theory=theory, occupation=occupation,
        )
        if official_on:
            person.statuses = [("probationary", admitted, official_on, ""), ("official", official_on, OPEN, "")]
        else:
            person.statuses = [("probationary", admitted, OPEN, "")]
        return person

    def _schooling(self, *, profile: str, born: dt.date, age_now: int) -> tuple[str, str, str]:
        rng = self.rng
        general = rng.choice(names.EDUCATION_GENERAL_OLD) if born.year < 1970 else "12/12"
        if profile == "residential":
            education = general if rng.random() < 0.7 else f"{general}, {rng.choice(names.PROFESSIONAL[:3])}"
            theory = rng.choice(["", "", "elementary", "elementary", "intermediate"])
            occupation = rng.choice(names.OCCUPATIONS["residential_old" if age_now >= 60 else "residential"])
        else:
            education = f"{general}, {rng.choice(names.PROFESSIONAL)}"
            theory = rng.choice(["elementary", "elementary", "intermediate", "intermediate", "advanced", "bachelor"])
            occupation = rng.choice(names.OCCUPATIONS.get(profile, names.OCCUPATIONS["other"]))
        return education, theory, occupation


def set_status(person: Person, *, status: str, on: dt.date, note: str = "") -> None:
    """Close the open status on ``on`` and open ``status`` (``on`` after the open one's start)."""
    kind, start, _end, old_note = person.statuses[-1]
    assert on > start, (person.full_name, status, on, start)
    person.statuses[-1] = (kind, start, on, old_note)
    person.statuses.append((status, on, OPEN, note))
    if status == "official" and person.official is None:
        person.official = on


def populate_cell(
    plan: Plan,
    people: People,
    *,
    org: int,
    profile: str,
    active: int,
    departed: int = 0,
    new_share: float = 0.08,
    arrivals: int = 0,
    start: dt.date = START,
    ethnic_share: dict[str, float] | None = None,
    stable_min: int = 5,
) -> list[Person]:
    """Members of one cell whose record starts on ``start`` (or later for new and arriving members).

    ``active`` of them are counted today (official, probationary, exempted, temporarily away);
    ``departed`` more have died, transferred out or been removed since START. About ``new_share``
    of the active ones were admitted after ``start``; ``arrivals`` transferred in from elsewhere.
    The first ``stable_min`` are long-standing official members with no events (future office holders).
    """
    rng = plan.rng
    today = plan.today
    out: list[Person] = []
    n_new = min(int(round(active * new_share * rng.uniform(0.6, 1.4))), max(active - stable_min - arrivals, 0))
    n_arrivals = min(arrivals, max(active - stable_min - n_new, 0))
    n_old = active - n_new - n_arrivals
    for i in range(n_old + departed):
        if i < stable_min:  # long-standing members of working age: the cell's future office holders
            person = people.make(profile=profile, ethnic_share=ethnic_share, admitted_before=add_years(start, -1), born_range=LEADER_BIRTH_YEARS)
        else:
            person = people.make(profile=profile, ethnic_share=ethnic_share, admitted_before=start)
        person.memberships = [(org, start, OPEN)]
        if i < stable_min:
            person.stable = True
        elif i >= n_old:
            departed_ok = apply_departure(rng, person, today=today)
            assert departed_ok, person
        else:
            apply_active_event(rng, person, today=today)
        out.append(person)
    for _ in range(n_new):
        person = people.make(profile=profile, ethnic_share=ethnic_share, admitted_after=start, admitted_before=today)
        person.memberships = [(org, person.admitted, OPEN)]
        out.append(person)
    for _ in range(n_arrivals):
        person = people.make(profile=profile, ethnic_share=ethnic_share)
        arrived = between(rng, start + dt.timedelta(days=30), today - dt.timedelta(days=1))
        person.memberships = [(org, arrived, OPEN)]
        apply_active_event(rng, person, today=today)
        out.append(person)
    plan.people.extend(out)
    return out


def apply_departure(rng: random.Random, person: Person, *, today: dt.date) -> bool:
    """End an active member's record: death (elderly), transfer out, or removal. False if impossible."""
    since = max(person.statuses[-1][1], person.memberships[0][1]) + dt.timedelta(days=1)
    if since >= today:
        return False
    age = (today - person.born).days / 365.25
    roll = rng.random()
    if age >= 62 and roll < 0.75:
        set_status(person, status="deceased", on=between(rng, since, today - dt.timedelta(days=1)))
    elif roll < 0.96 or person.statuses[-1][0] == "exempted":
        set_status(person, status="transferred_out", on=between(rng, since, today - dt.timedelta(days=1)), note="Chuyển sinh hoạt đảng chính thức")
    else:
        set_status(person, status="removed", on=between(rng, since, today - dt.timedelta(days=1)), note="Xóa tên")
    return True


def apply_active_event(rng: random.Random, person: Person, *, today: dt.date) -> None:
    """Sometimes: an elderly official member is exempted, or a member works away for a while."""
    kind, start, _end, _note = person.statuses[-1]
    if kind != "official":
        return
    age = (today - person.born).days / 365.25
    if age >= 72 and rng.random() < 0.35:
        since = max(start + dt.timedelta(days=1), add_years(person.born, 70))
        if since < today:
            set_status(person, status="exempted", on=between(rng, since, today - dt.timedelta(days=1)), note="Tuổi cao, sức yếu")
    elif age < 55 and rng.random() < 0.012:
        since = max(start, person.memberships[0][1]) + dt.timedelta(days=1)
        if since < today:
            set_status(person, status="temp_out", on=between(rng, since, today - dt.timedelta(days=1)), note="Đi làm ăn xa")


# ---------------------------------------------------------------------------------------------
# Leadership


def term_bounds(*, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The cell's terms within [start, end): split at the congresses."""
    cuts = [start] + [c for c in CONGRESSES if start < c < end] + [end]
    return list(zip(cuts, cuts[1:], strict=False))


def _eligible(person: Person, org: int, lo: dt.date, hi: dt.date) -> bool:
    """Official member of ``org`` over the whole [lo, hi) (checked at the bounds; stable people don't change)."""
    last = min(hi - dt.timedelta(days=1), OPEN - dt.timedelta(days=1))
    return (
        person.cell_on(lo) == org
        and person.cell_on(last) == org
        and person.official is not None
        and person.official <= lo
        and person.status_on(lo) == "official"
        and person.status_on(last) == "official"
    )


def assign_leadership(
    rng: random.Random,
    *,
    org: int,
    area_name: str,
    pool: list[Person],
    size: int,
    start: dt.date,
    end: dt.date,
    community_kind: str | None,
) -> Person | None:
    """Positions for every term of a cell over [start, end); village-head terms for its secretary.

    ``pool`` holds the cell's stable members and ``size`` is the cell's membership. Under 9
    members the cell elects a secretary and usually a deputy; from 9, a cell committee (chi ủy)
    of 3 to 7 (docs/domain.md §1). The secretary changes only at the 2022 congress, when the
    village head is elected too; deputies and committee members may change at each congress.
    Returns the current secretary.
    """
    secretary: Person | None = None
    deputy: Person | None = None
    committee: list[Person] = []
    stints: list[tuple[Person, dt.date, dt.date]] = []
    for lo, hi in term_bounds(start=start, end=end):
        eligible = [p for p in pool if _eligible(p, org, lo, hi)]
        if not eligible:
            continue
        if secretary not in eligible or (lo == CONGRESSES[0] and rng.random() < 0.25):
            candidates = [p for p in eligible if p is not secretary] or eligible
            secretary = rng.choice(candidates)
        assert secretary is not None
        others = [p for p in eligible if p is not secretary]
        if deputy not in others or rng.random() < 0.2:
            deputy = rng.choice(others) if others and (size >= 9 or rng.random() < 0.9) else None
        n_committee = 0 if size < 9 else (1 if size < 30 else 3 if size < 60 else 5)
        keep = [p for p in committee if p in others and p is not deputy and rng.random() < 0.8]
        fresh = [p for p in others if p is not deputy and p not in keep]
        rng.shuffle(fresh)
        committee = (keep + fresh)[:n_committee]
        secretary.positions.append((org, "secretary", lo, hi))
        if deputy is not None:
            deputy.positions.append((org, "deputy_secretary", lo, hi))
        for p in committee:
            p.positions.append((org, "committee_member", lo, hi))
        if stints and stints[-1][0] is secretary and stints[-1][2] == lo:
            stints[-1] = (secretary, stints[-1][1], hi)
        else:
            stints.append((secretary, lo, hi))
    if community_kind:
        for person, lo, hi in stints:
            community_terms(person, kind=community_kind, area_name=area_name, lo=lo, hi=hi)
    return secretary


def plain_member(members: list[Person], *, org: int) -> Person:
    """A member of ``org`` with no position and an unchanged official record (the "dangvien" persona)."""
    def plain(p: Person) -> bool:
        return not p.positions and len(p.memberships) == 1 and p.memberships[0][0] == org and p.statuses[-1][0] == "official"

    return next((p for p in members if p.stable and plain(p)), None) or next(p for p in members if plain(p))


def community_terms(person: Person, *, kind: str, area_name: str, lo: dt.date, hi: dt.date) -> None:
    """Village-head terms matching a secretary's stint [lo, hi).

    A stint that starts with the data (START) continues a term elected earlier; one that starts
    later (a merged village) starts its village-head term the same day. A stint that ends (the
    cell merged, a new secretary) ends the term; an open stint keeps the term's own end.
    """
    for t_lo, t_hi in VILLAGE_TERMS:
        if t_hi <= lo or t_lo >= hi:
            continue
        a = t_lo if (t_lo >= lo or lo == START) else lo
        b = t_hi if (hi == OPEN or t_hi <= hi) else hi
        if b > a:
            person.community.append((kind, area_name, a, b))


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass
class Plan:
    scale: str
    seed: int
    today: dt.date
    orgs: list[OrgSpec] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # username -> person index (dangvien, bithu) and username -> (role, org key) for grants
    persona_people: dict[str, int] = field(default_factory=dict)
    persona_grants: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    # cell key -> its recorded terms, oldest first (meetings.CellTerm rows; see district.SEED_001_TERMS)
    cell_terms: dict[int, tuple[TermSpec, ...]] = field(default_factory=dict)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def add_org(self, **kwargs: Any) -> OrgSpec:
        spec = OrgSpec(key=len(self.orgs), **kwargs)
        self.orgs.append(spec)
        return spec

    def summary(self) -> dict[str, Any]:
        """Key figures, for determinism checks and the command's report."""
        today = self.today
        active = sum(1 for p in self.people if p.statuses[-1][0] in ACTIVE)
        return {
            "scale": self.scale,
            "seed": self.seed,
            "orgs": len(self.orgs),
            "ops": len(self.ops),
            "people": len(self.people),
            "active_today": active,
            "memberships": sum(len(p.memberships) for p in self.people),
            "statuses": sum(len(p.statuses) for p in self.people),
            "positions": sum(len(p.positions) for p in self.people),
            "community_positions": sum(len(p.community) for p in self.people),
            "first_names": [p.full_name for p in self.people[:5]],
            "citizen_ids": [p.citizen_id for p in self.people[:5]],
            "as_of": today.isoformat(),
        }
