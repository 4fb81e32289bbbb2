"""Reads of the residence-contact records.

- **Registered on a date d**: a registration with registered_on <= d < ended_on.
- **Met this half-year** (on d): attended a contact meeting of the residence cell held in the
  half-year of d (January–June or July–December), on or before d.
- **Comment due for year Y**: a registration open at some time in Y, not exempt (33-HD §1), without
  a comment for Y. The compliance report counts, on d, the registrations open on d whose comment for
  d's year is missing.
- The **work cell** of a member is the cell holding their record (their membership) on the date.

``comments_for(member_id=, year=)`` is the one read the annual review uses (issue 9 §6): it is not
scoped; the caller has already reached the member through the access policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from chibo.core.access import Action, Policy
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.members.models import CommunityKind, CommunityPosition, Member, Membership
from chibo.orgs.models import CELL_KINDS, SEGMENT, OrgVersion, Sector, path_segment
from chibo.orgs.selectors import versions_on
from chibo.residence.models import Assessment, ContactAttendance, Registration, ResidenceComment


def half_year(on: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year of ``on``: its first day and the first day of the next one."""
    if on.month <= 6:
        return dt.date(on.year, 1, 1), dt.date(on.year, 7, 1)
    return dt.date(on.year, 7, 1), dt.date(on.year + 1, 1, 1)


def half_year_label(on: dt.date) -> str:
    return f"{'I' if on.month <= 6 else 'II'}/{on.year}"


def open_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}registered_on__lte": on, f"{prefix}ended_on__gt": on})


def open_in_year(year: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}registered_on__lte": dt.date(year, 12, 31), f"{prefix}ended_on__gt": dt.date(year, 1, 1)})


def met_since(start: dt.date, on: dt.date) -> Exists:
    """Whether the registration (the outer row) attended a contact meeting held in [start, on]."""
    return Exists(ContactAttendance.objects.filter(registration=OuterRef("pk"), meeting__held_on__gte=start, meeting__held_on__lte=on))


def has_comment(year: int) -> Exists:
    return Exists(ResidenceComment.objects.filter(registration=OuterRef("pk"), year=year))


def is_residence_cell(version: OrgVersion) -> bool:
    return version.kind in CELL_KINDS and version.sector == Sector.RESIDENTIAL


def work_cell_on(member_id: int, on: dt.date) -> OrgVersion | None:
    """The version on ``on`` of the cell holding the member's record then."""
    held = Membership.objects.filter(member_id=member_id, valid_from__lte=on, valid_to__gt=on).values("org_id")[:1]
    return versions_on(on).filter(org_id__in=Subquery(held)).first()


def _work_cell_name(on: dt.date, member_ref: str = "member_id") -> Subquery:
    held = Membership.objects.filter(member_id=OuterRef(OuterRef(member_ref)), valid_from__lte=on, valid_to__gt=on).values("org_id")[:1]
    return Subquery(versions_on(on).filter(org_id=Subquery(held)).values("name")[:1])


def find_introduced(*, card_number: str, full_name: str) -> int | None:
    """The member named by an introduction letter: its party card number and full name must both
    match (no browsing). Used by the commune's staff for a member working outside their subtree."""
    card = card_number.replace(" ", "")
    if not card or not full_name.strip():
        return None
    found = list(Member.objects.filter(party_card_number=card, name_folded=fold(full_name.strip())).values_list("pk", flat=True)[:2])
    return int(found[0]) if len(found) == 1 else None


def open_registration(member_id: int) -> Registration | None:
    return Registration.objects.filter(member_id=member_id, ended_on=OPEN).first()


def front_head_name(*, org_id: int, on: dt.date) -> str:
    """The head of the Front work committee of the residence cell's area on ``on`` ("" if unknown)."""
    version = versions_on(on).filter(org_id=org_id).first()
    if version is None or not version.area_name:
        return ""
    found = (
        CommunityPosition.objects.filter(kind=CommunityKind.FRONT_HEAD, area_name=version.area_name, valid_from__lte=on, valid_to__gt=on)
        .select_related("member").order_by("-valid_from").first()
    )  # fmt: skip
    return found.member.full_name if found else ""


# The residence cell's list -------------------------------------------------------------------


def cell_registrations(*, org_id: int, on: dt.date) -> QuerySet[Registration]:
    """The registrations of the residence cell open on ``on``, each with the member's work cell name,
    the last meeting attended, whether met this half-year, and this year's comment (``year_comment``
    through a prefetch): two queries, whatever the number of rows."""
    start, _end = half_year(on)
    last = ContactAttendance.objects.filter(registration=OuterRef("pk")).order_by("-meeting__held_on").values("meeting__held_on")[:1]
    return (
        Registration.objects.filter(open_on(on), residence_org_id=org_id)
        .select_related("member")
        .annotate(work_cell_name=_work_cell_name(on), last_met=Subquery(last), met=met_since(start, on))
        .prefetch_related(Prefetch("comments", queryset=ResidenceComment.objects.filter(year=on.year), to_attr="year_comments"))
        .order_by("member__given_name", "member__surname", "member__middle_name", "pk")
    )


def commune_registrations(*, version: OrgVersion, on: dt.date) -> QuerySet[Registration]:
    """Registrations open on ``on`` at residence cells under the committee (its version on ``on``)."""
    cells = versions_on(on).filter(path__startswith=version.path).values("org_id")
    return (
        Registration.objects.filter(open_on(on), residence_org_id__in=cells)
        .select_related("member")
        .annotate(
            work_cell_name=_work_cell_name(on),
            residence_name=Subquery(versions_on(on).filter(org_id=OuterRef("residence_org_id")).values("name")[:1]),
        )
        .order_by("-registered_on", "-pk")
    )


# Comments ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentRecord:
    """One residence comment, as the annual review reads it."""

    year: int
    assessment: str  # Assessment value: "good", "fulfilled", "not_fulfilled"
    assessment_label: str
    text: str
    commented_on: dt.date
    author_name: str
    front_head_name: str
    residence_org_id: int
    residence_name: str


def comments_for(*, member_id: int, year: int) -> list[CommentRecord]:
    """The residence comments on a member for a year (normally one; two when the member moved house
    during the year), oldest first. Not scoped: the caller has reached the member through the policy.
    Two queries."""
    comments = list(ResidenceComment.objects.filter(registration__member_id=member_id, year=year).select_related("registration").order_by("commented_on", "pk"))
    on = dt.date(year, 12, 31)
    ids = {c.registration.residence_org_id for c in comments}
    names: dict[int, str] = {}
    if ids:
        for v in OrgVersion.objects.filter(org_id__in=ids, valid_from__lte=on).order_by("org_id", "valid_from"):
            names[v.org_id] = v.name  # the last version starting by the year's end
    return [
        CommentRecord(
            year=c.year, assessment=c.assessment, assessment_label=str(Assessment(c.assessment).label), text=c.text,
            commented_on=c.commented_on, author_name=c.author_name, front_head_name=c.front_head_name,
            residence_org_id=c.registration.residence_org_id, residence_name=names.get(c.registration.residence_org_id, ""),
        )
        for c in comments
    ]  # fmt: skip


def received_comments(*, version: OrgVersion, year: int, on: dt.date) -> QuerySet[ResidenceComment]:
    """Comments of ``year`` on members whose record is, on ``on``, in a cell under the organisation."""
    orgs = versions_on(on).filter(path__startswith=version.path).values("org_id")
    members = Membership.objects.filter(valid_from__lte=on, valid_to__gt=on, org_id__in=orgs).values("member_id")
    return (
        ResidenceComment.objects.filter(year=year, registration__member_id__in=members)
        .select_related("registration__member")
        .annotate(
            residence_name=Subquery(versions_on(on).filter(org_id=OuterRef("registration__residence_org_id")).values("name")[:1]),
            work_cell_name=_work_cell_name(on, "registration__member_id"),
        )
        .order_by("-commented_on", "-pk")
    )


def member_registrations(*, member_id: int, on: dt.date) -> list[Registration]:
    """Every registration of the member, newest first, with the residence cell's name and its comments."""
    return list(
        Registration.objects.filter(member_id=member_id)
        .annotate(residence_name=Subquery(versions_on(on).filter(org_id=OuterRef("residence_org_id")).values("name")[:1]))
        .prefetch_related(Prefetch("comments", queryset=ResidenceComment.objects.order_by("-year")))
        .order_by("-registered_on", "-pk")
    )


# Compliance ----------------------------------------------------------------------------------


@dataclass
class Figures:
    registered: int = 0
    met: int = 0
    comments_missing: int = 0
    exempt: int = 0

    @property
    def not_met(self) -> int:
        return self.registered - self.met

    def add(self, other: Figures) -> None:
        self.registered += other.registered
        self.met += other.met
        self.comments_missing += other.comments_missing
        self.exempt += other.exempt

    def as_json(self) -> dict[str, int]:
        return {"registered": self.registered, "met_this_half_year": self.met, "comments_missing": self.comments_missing, "exempt": self.exempt}


@dataclass
class ChildRow:
    version: OrgVersion
    figures: Figures


@dataclass
class Compliance:
    version: OrgVersion
    on: dt.date
    total: Figures
    children: list[ChildRow] = field(default_factory=list)


def branch_figures(*, path: str, on: dt.date) -> dict[str, Figures]:
    """The figures of each child branch (path prefix) of the node at ``path``, on ``on``: one query.

    Registered: open on ``on`` at a residence cell whose version on ``on`` lies under the node; met:
    attended a contact meeting in the half-year of ``on``, up to ``on``; exempt: an exemption category;
    comments missing: not exempt and no comment for ``on``'s year."""
    from django.db.models import Count, FilteredRelation

    start, _end = half_year(on)
    rows = (
        Registration.objects.filter(open_on(on))
        .annotate(ver=FilteredRelation("residence_org__versions", condition=Q(residence_org__versions__valid_from__lte=on, residence_org__versions__valid_to__gt=on)))
        .filter(ver__path__startswith=path)
        .annotate(branch=Substr("ver__path", 1, len(path) + SEGMENT), met=met_since(start, on), commented=has_comment(on.year))
        .values("branch")
        .annotate(
            registered=Count("id"),
            n_met=Count("id", filter=Q(met=True)),
            n_exempt=Count("id", filter=~Q(exemption="")),
            n_missing=Count("id", filter=Q(exemption="", commented=False)),
        )
    )
    out: dict[str, Figures] = {}
    for row in rows:
        out[row["branch"]] = Figures(registered=row["registered"], met=row["n_met"], comments_missing=row["n_missing"], exempt=row["n_exempt"])
    return out


def compliance(*, policy: Policy, version: OrgVersion, on: dt.date) -> Compliance:
    """The node's figures and its visible children's (drill-down): two queries."""
    branches = branch_figures(path=version.path, on=on)
    total = Figures()
    for fig in branches.values():
        total.add(fig)
    children: list[ChildRow] = []
    if version.kind not in CELL_KINDS:
        visible = policy.versions(on=on, action=Action.VIEW_ORG).filter(parent_id=version.org_id).order_by("name")
        children = [ChildRow(version=child, figures=branches.get(child.path, Figures())) for child in visible]
    return Compliance(version=version, on=on, total=total, children=children)


def json_figures(*, org_path: str, on: dt.date) -> dict[str, int]:
    """For ``chibo stats --json`` (the lead wires it): the node's figures on ``on``."""
    total = Figures()
    for fig in branch_figures(path=org_path, on=on).values():
        total.add(fig)
    return total.as_json()


def in_subtree(*, root_id: int, org_id: int, on: dt.date) -> bool:
    return versions_on(on).filter(org_id=org_id, path__contains="/" + path_segment(root_id)).exists()
