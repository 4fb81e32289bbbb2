"""Who holds which grant (chibo.accounts.selectors): by organisation, active users only, each once."""

from __future__ import annotations

import pytest

from chibo.accounts.models import Grant
from chibo.accounts.selectors import grant_holders, users_with_grant

pytestmark = pytest.mark.django_db


def test_holders_by_organisation_and_role(world):
    secretary, staff = world.users["secretary"], world.users["staff"]
    Grant.objects.create(user=secretary, role="staff", org=world.cell)  # two roles on the cell: listed once
    found = grant_holders(org_ids=[world.cell.pk, world.commune.pk, None], roles=["secretary", "staff"])
    assert found[world.cell.pk] == [secretary] and found[world.commune.pk] == [staff]
    assert users_with_grant(org_ids=[world.cell.pk, world.commune.pk], roles=["staff"]) == sorted([secretary, staff], key=lambda u: u.pk)
    staff.is_active = False
    staff.save()
    assert users_with_grant(org_ids=[world.commune.pk], roles=["staff"]) == []
    assert grant_holders(org_ids=[None], roles=["staff"]) == {}
