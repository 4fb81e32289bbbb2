"""The resident's identity: one rule (access.can_see_resident) for pages, exports and the API."""

from __future__ import annotations

import pytest

from chibo.core.access import Policy
from chibo.petitions import access, services
from tests.factories import World, make_user
from tests.petitions.factories import at_commune, raise_petition

pytestmark = pytest.mark.django_db


def _sees(world: World, persona: str, petition) -> bool:
    return access.can_see_resident(Policy(world.users[persona]), petition)


def test_identity_hidden_from_the_member_the_province_and_the_outsider_shown_to_handlers(world: World) -> None:
    petition = at_commune(world, actor=world.users["secretary"], raised_by=world.secretary_member)
    assert _sees(world, "secretary", petition)  # secretary grant on the cell itself
    assert _sees(world, "staff", petition)  # the commune holds it
    assert _sees(world, "admin", petition)
    assert not _sees(world, "member", petition)
    assert not _sees(world, "province", petition)  # above, but never held it
    assert not _sees(world, "outsider", petition)
    services.petition_forward(actor=world.users["staff"], petition=petition, to_org_id=world.province.pk)
    petition.refresh_from_db()
    assert _sees(world, "province", petition) and _sees(world, "staff", petition)  # every level that held it


def test_the_raiser_sees_what_they_wrote(world: World) -> None:
    petition = raise_petition(world)  # raised by the member persona in the app
    assert _sees(world, "member", petition)
    assert access.resident_identity(Policy(world.users["member"]), petition) == {
        "resident_name": "Lê Văn Dân", "resident_phone": "0912345678", "resident_address": "Xóm 3, thôn Trung Sơn"}


def test_a_secretary_grant_above_is_not_the_cell(world: World) -> None:
    petition = raise_petition(world)
    upper_secretary = make_user("bithuxa", role="secretary", org=world.commune)
    assert not access.can_see_resident(Policy(upper_secretary), petition)  # commune secretary, not holding it yet
    services.petition_send(actor=world.users["secretary"], petition=petition, to_org_id=world.commune.pk)
    assert access.can_see_resident(Policy(upper_secretary), petition)  # now one of the commune's handlers


def test_no_identity_recorded_shows_none(world: World) -> None:
    petition = raise_petition(world, resident_name="", resident_phone="", resident_address="")
    assert access.resident_identity(Policy(world.users["admin"]), petition) is None
