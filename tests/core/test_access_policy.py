"""Policy.can (decided on one version row, on every check-in) and Policy.versions (the SQL scope of
every list) are two forms of one rule: they must always agree."""

from __future__ import annotations

import datetime as dt

from chibo.core.access import Action, Policy
from chibo.orgs import services as org_services
from chibo.orgs.models import OrgVersion


def _agree(world, on: dt.date) -> None:
    org_ids = sorted(set(OrgVersion.objects.values_list("org_id", flat=True)))
    for persona, user in world.users.items():
        for action in Action:
            policy = Policy(user)
            allowed = set(policy.versions(on=on, action=action).values_list("org_id", flat=True))
            for org_id in org_ids:
                assert Policy(user).can(action, org_id=org_id, on=on) == (org_id in allowed), (persona, action, org_id, on)


def test_can_agrees_with_the_sql_scope_for_every_persona_action_and_organisation(world):
    _agree(world, dt.date(2026, 10, 1))


def test_they_agree_after_a_move_on_both_sides_of_its_date(world):
    org_services.org_move(actor=None, org=world.cell2, new_parent=world.other_commune, on=dt.date(2026, 1, 1))
    for on in (dt.date(2025, 12, 31), dt.date(2026, 1, 1)):
        _agree(world, on)


def test_nothing_is_allowed_on_an_organisation_that_does_not_exist_on_the_date(world):
    assert not Policy(world.users["admin"]).can(Action.VIEW_ORG, org_id=world.cell.pk, on=dt.date(1900, 1, 1))
    assert not Policy(world.users["secretary"]).can(Action.VIEW_ORG, org_id=world.cell.pk, on=dt.date(1900, 1, 1))
