"""Probationers and cells with a chosen number of official members, built through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from chibo.members.models import Member
from chibo.orgs.models import Organisation
from tests.factories import World, make_member

_names = itertools.count(1)
GIVEN = ["Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quang", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]


def probationer(org: Organisation, *, admitted_on: dt.date, given_name: str | None = None) -> Member:
    """A probationary member of ``org`` whose ceremony was ``admitted_on`` (no official date)."""
    name = given_name or GIVEN[next(_names) % len(GIVEN)]
    return make_member(org, surname="Lê", middle_name="Văn", given_name=name, admitted_on=admitted_on, official_on=None, joined_on=admitted_on)


def add_officials(org: Organisation, n: int) -> list[Member]:
    """``n`` more official members of ``org`` (since 2020)."""
    return [make_member(org, surname="Phạm", given_name=GIVEN[next(_names) % len(GIVEN)]) for _ in range(n)]


def cell_with_officials(world: World, n: int) -> Organisation:
    """world.cell with exactly ``n`` official members (it has two: the member and the secretary)."""
    assert n >= 2
    add_officials(world.cell, n - 2)
    return world.cell
