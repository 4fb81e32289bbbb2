"""`chibo demo` at district scale: the personas, the command, `chibo bench registry`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from chibo.accounts.models import User
from chibo.core.access import today
from chibo.core.models import OPEN
from chibo.demo.build import build
from chibo.demo.personas import DEMO_PASSWORD, PERSONAS
from chibo.members.models import CommunityPosition, Membership, Position
from chibo.members.selectors import is_secretary_and_village_head
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import versions_on


def test_personas_log_in_and_hold_their_roles(db):
    build(scale="district", seed=1)
    for username in PERSONAS:
        assert Client().login(username=username, password=DEMO_PASSWORD), username

    dangvien = User.objects.get(username="dangvien")
    bithu = User.objects.get(username="bithu")
    cell = dangvien.grants.get().org
    assert dangvien.member is not None and bithu.member is not None
    assert Membership.objects.filter(member=dangvien.member, org=cell, valid_to=OPEN).exists()
    version = OrgVersion.objects.get(org=cell, valid_to=OPEN)
    assert version.sector == "residential" and version.kind == "cell"
    assert bithu.grants.get().org == cell and bithu.grants.get().role == "secretary"
    assert Position.objects.filter(member=bithu.member, org=cell, kind="secretary", valid_to=OPEN).exists()
    assert is_secretary_and_village_head(bithu.member, today())
    assert CommunityPosition.objects.filter(member=bithu.member, kind="village_head", area_name=version.area_name).exists()

    commune = User.objects.get(username="canboxa").grants.get()
    assert commune.role == "staff" and commune.org_id == version.parent_id  # the commune of today's tree
    province = User.objects.get(username="canbotinh").grants.get()
    assert province.org_id == versions_on(today()).get(parent__isnull=True).org_id
    assert User.objects.get(username="quantri").grants.get().role == "admin"

    client = Client()
    client.force_login(User.objects.get(username="canboxa"))
    assert client.get(f"/org/{cell.pk}/").status_code == 200


def test_command_refuses_a_database_with_data(db):
    out = StringIO()
    call_command("demo", scale="district", stdout=out)
    assert "dangvien" in out.getvalue()
    with pytest.raises(CommandError, match="đã có tổ chức"):
        call_command("demo", scale="district", stdout=StringIO())
    out = StringIO()
    call_command("demo", scale="district", if_empty=True, stdout=out)
    assert "không nạp" in out.getvalue()


# Benchmark ---------------------------------------------------------------------------------


def test_bench_registry_runs_on_the_district(db):
    build(scale="district", seed=1)
    out = StringIO()
    call_command("bench", "registry", repeat=1, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "district (seed 1)" in text
    assert "org_stats (gốc" in text and "SQL viết tay" in text
