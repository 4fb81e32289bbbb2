"""Reads over the member registry, always through the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from chibo.core.access import Action, Policy
from chibo.core.models import OPEN, AuditEvent
from chibo.core.text import fold
from chibo.members.models import (
    ACTIVE_STATUSES,
    OFFICIAL_OR_AWAY_STATUSES,
    CommunityKind,
    CommunityPosition,
    Member,
    Membership,
    Position,
    PositionKind,
    Status,
    StatusPeriod,
)
from chibo.orgs.models import OrgVersion

# Community positions that make a cell's secretary "also the head" of the village the cell serves
# (Quảng Ninh's "Dân tin – Đảng cử", domain.md §7): village head, or head of its Front work committee.
HEAD_KINDS = (CommunityKind.VILLAGE_HEAD, CommunityKind.FRONT_HEAD)


def with_current(qs: QuerySet[Member]) -> QuerySet[Member]:
    """Attach the current cell (version) and status to each member, without N+1 queries."""
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(valid_to=OPEN).select_related("org"),
            to_attr="current_memberships",
        ),
        Prefetch("status_periods", queryset=StatusPeriod.objects.filter(valid_to=OPEN), to_attr="current_statuses"),
    )


def current_cell_names(members: list[Member]) -> dict[int, OrgVersion]:
    """The current cell version of each member prefetched by :func:`with_current`, in one query."""
    current = {m.pk: getattr(m, "current_memberships", [])[0].org_id for m in members if getattr(m, "current_memberships", None)}
    versions = {v.org_id: v for v in OrgVersion.objects.filter(org_id__in=set(current.values()), valid_to=OPEN)}
    return {pk: versions[org_id] for pk, org_id in current.items() if org_id in versions}


STATUS_ALL = "all"  # the search's "all statuses" choice ("" = the active statuses)
SUGGEST_SCAN = 3000  # names read at most to suggest close ones (SQLite): bounded work
SUGGEST_SHOWN = 5


def _scoped(*, policy: Policy, org_id: int | None, status: str, include_departed: bool) -> QuerySet[Member]:
    qs = policy.members(Action.VIEW_MEMBER)
    if org_id is not None:
        path = OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN).values_list("path", flat=True).first() or "-"
        orgs = OrgVersion.objects.filter(valid_to=OPEN, path__startswith=path).values("org_id")
        qs = qs.filter(memberships__valid_to=OPEN, memberships__org_id__in=orgs)
    if status == STATUS_ALL or (not status and include_departed):
        return qs
    if status:
        return qs.filter(status_periods__valid_to=OPEN, status_periods__status=status)
    return qs.filter(status_periods__valid_to=OPEN, status_periods__status__in=ACTIVE_STATUSES)


def member_search(*, policy: Policy, query: str = "", org_id: int | None = None, status: str = "", include_departed: bool = False) -> QuerySet[Member]:
    """Members in the user's scope matching ``query`` (diacritics and đ ignored), in Vietnamese order.

    ``status``: one status, ``STATUS_ALL`` (every status) or "" (the active statuses, unless
    ``include_departed``). Names matching at the start of a word come first ("hung" finds Hùng
    before Phùng), then the others, each in Vietnamese order (the same ``LIKE`` on SQLite and
    PostgreSQL). On PostgreSQL, when no folded substring matches, trigram similarity finds near
    misses (typos); when nothing matches at all, :func:`suggest_names` offers close names.
    """
    qs = _scoped(policy=policy, org_id=org_id, status=status, include_departed=include_departed)
    order = ("given_name", "surname", "middle_name", "id")
    folded = fold(query)
    if folded:
        digits = folded.replace(" ", "")
        exact = Q(name_folded__contains=folded)
        if digits.isdigit() and len(digits) >= 4:
            exact |= Q(citizen_id__startswith=digits) | Q(party_card_number__startswith=digits) | Q(phone__contains=digits)
        matched = qs.filter(exact)
        if connection.vendor == "postgresql" and not digits.isdigit() and not matched.exists():
            from django.contrib.postgres.search import TrigramWordSimilarity

            # The <% operator (word similarity above pg_trgm.word_similarity_threshold, set
            # per connection in settings) can use the trigram index; a similarity() >= x filter cannot.
            return (
                qs.filter(name_folded__trigram_word_similar=folded)
                .annotate(similarity=TrigramWordSimilarity(folded, "name_folded"))
                .order_by("-similarity", *order)
            )
        word_start = Q(name_folded__startswith=folded) | Q(name_folded__contains=" " + folded)
        return matched.annotate(rank=Case(When(word_start, then=Value(0)), default=Value(1), output_field=IntegerField())).order_by("rank", *order)
    return qs.order_by(*order)


def _osa(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions ("hugn" → "hung" is 1); above ``limit``, ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return min(prev[-1], limit + 1)


def _name_distance(query: str, name: str) -> int | None:
    """The smallest edit distance between the query and as many consecutive words of the name
    (a given name alone, or "van hung", or the whole name); None when none is close enough."""
    words, n = name.split(), len(query.split())
    limit = 1 if len(query) <= 6 else 2 if len(query) <= 12 else 3
    best = limit + 1
    for start in range(0, max(len(words) - n, 0) + 1):
        best = min(best, _osa(query, " ".join(words[start : start + n]), limit))
    return best if best <= limit else None


def suggest_names(*, policy: Policy, query: str, org_id: int | None = None, status: str = "", limit: int = SUGGEST_SHOWN) -> list[Member]:
    """Close names in the user's scope for a query that matched nothing (for SQLite, which has no
    trigram index): an edit distance of 1 to 3 (by the query's length) to the folded name, or to
    as many of its consecutive words as the query has.

    Bounded work: only names with a word starting with the query's last word's first letter are
    read, at most ``SUGGEST_SCAN`` of them, in one query.
    """
    folded = fold(query)
    if not folded or folded.replace(" ", "").isdigit():
        return []
    first = folded.split()[-1][0]
    candidates = (
        _scoped(policy=policy, org_id=org_id, status=status, include_departed=False)
        .filter(Q(name_folded__startswith=first) | Q(name_folded__contains=" " + first))
        .order_by("id")
        .values_list("id", "name_folded")[:SUGGEST_SCAN]
    )
    scored = sorted((d, pk) for pk, name in candidates if (d := _name_distance(folded, name)) is not None)
    ids = [pk for _d, pk in scored[:limit]]
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def cell_members(*, version: OrgVersion, on: dt.date) -> QuerySet[Member]:
    """Members whose record is in the cell on ``on`` (every status), in Vietnamese order."""
    return (
        Member.objects.filter(memberships__org_id=version.org_id, memberships__valid_from__lte=on, memberships__valid_to__gt=on)
        .prefetch_related(
            Prefetch("status_periods", queryset=StatusPeriod.objects.filter(valid_from__lte=on, valid_to__gt=on), to_attr="statuses_on"),
            Prefetch("positions", queryset=Position.objects.filter(org_id=version.org_id, valid_from__lte=on, valid_to__gt=on), to_attr="positions_on"),
            Prefetch("community_positions", queryset=CommunityPosition.objects.filter(valid_from__lte=on, valid_to__gt=on), to_attr="community_on"),
        )
        .order_by("given_name", "surname", "middle_name", "id")
    )


@dataclass
class Leadership:
    secretary: Member | None
    deputies: list[Member]
    committee: list[Member]
    secretary_is_village_head: bool
    secretary_community_titles: list[str]


def same_area(a: str, b: str) -> bool:
    """Two names of a residential area are the same place: diacritics, đ, case and spacing ignored."""
    return bool(fold(a)) and fold(a) == fold(b)


def official_member_count(*, org_id: int, on: dt.date) -> int:
    """Official members (đảng viên chính thức) whose record is in the organisation on ``on``: status
    official, or exempted / temporarily away once their official date has come (domain.md §1)."""
    return (
        StatusPeriod.objects.filter(
            Q(status=Status.OFFICIAL) | Q(status__in=OFFICIAL_OR_AWAY_STATUSES, member__official_on__lte=on),
            valid_from__lte=on,
            valid_to__gt=on,
            member__memberships__org_id=org_id,
            member__memberships__valid_from__lte=on,
            member__memberships__valid_to__gt=on,
        )
        .values("member_id")
        .distinct()
        .count()
    )


def official_among(members: list[Member], *, on: dt.date) -> int:
    """:func:`official_member_count` over members listed by :func:`cell_members` (their ``statuses_on``)."""
    def official(m: Member) -> bool:
        statuses = {s.status for s in getattr(m, "statuses_on", [])}
        if Status.OFFICIAL in statuses:
            return True
        return bool(statuses & set(OFFICIAL_OR_AWAY_STATUSES)) and m.official_on is not None and m.official_on <= on

    return sum(1 for m in members if official(m))


def cell_leadership(*, members: list[Member], version: OrgVersion | None = None) -> Leadership:
    """Derived from position terms on the members listed by :func:`cell_members`.

    The secretary counts as "also village head" only for the residential area the cell serves
    (``version.area_name``); heading another village is listed but not counted.
    """
    secretary = None
    deputies: list[Member] = []
    committee: list[Member] = []
    for m in members:
        kinds = {p.kind for p in getattr(m, "positions_on", [])}
        if PositionKind.SECRETARY in kinds:
            secretary = m
        if PositionKind.DEPUTY_SECRETARY in kinds:
            deputies.append(m)
        if PositionKind.COMMITTEE_MEMBER in kinds:
            committee.append(m)
    area = version.area_name if version is not None else ""
    heads = [c for c in getattr(secretary, "community_on", []) if c.kind in HEAD_KINDS and same_area(c.area_name, area)]
    titles = [f"{CommunityKind(c.kind).label} {c.area_name}" for c in heads]
    return Leadership(
        secretary=secretary,
        deputies=deputies,
        committee=committee,
        secretary_is_village_head=bool(titles),
        secretary_community_titles=titles,
    )


def member_history(*, member: Member) -> dict[str, Any]:
    memberships = list(member.memberships.order_by("-valid_from"))
    versions = {
        (v.org_id): v for v in OrgVersion.objects.filter(org_id__in={m.org_id for m in memberships}).order_by("valid_from")
    }
    return {
        "memberships": [(m, versions.get(m.org_id)) for m in memberships],
        "statuses": list(member.status_periods.order_by("-valid_from")),
        "positions": list(member.positions.order_by("-valid_from")),
        "community": list(member.community_positions.order_by("-valid_from")),
        "position_orgs": {v.org_id: v for v in OrgVersion.objects.filter(org_id__in={p.org_id for p in member.positions.all()}, valid_to=OPEN)},
    }


def audit_for(*, object_type: str, object_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related("actor").order_by("-at", "-id")


def is_secretary_and_village_head(member: Member, on: dt.date) -> bool:
    """Secretary of a cell on ``on`` and head of the residential area that cell serves (not another village)."""
    cells = list(
        Position.objects.filter(member=member, kind=PositionKind.SECRETARY, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True)
    )
    if not cells:
        return False
    areas = OrgVersion.objects.filter(org_id__in=cells, valid_from__lte=on, valid_to__gt=on).values_list("area_name", flat=True)
    headed = CommunityPosition.objects.filter(member=member, kind__in=HEAD_KINDS, valid_from__lte=on, valid_to__gt=on).values_list("area_name", flat=True)
    return any(same_area(h, a) for h in headed for a in areas)


def current_cell_area(member: Member) -> str:
    """The residential area served by the member's current cell ("" if none)."""
    org_id = Membership.objects.filter(member=member, valid_to=OPEN).values_list("org_id", flat=True).first()
    if org_id is None:
        return ""
    return OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN).values_list("area_name", flat=True).first() or ""
