"""Petition reads: the statistics of ``chibo stats --json`` and the home page's part."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from chibo.core.access import Policy
from chibo.meetings.models import MeetingStatus
from chibo.orgs.models import OrgVersion
from chibo.petitions import jobs, services
from chibo.petitions.selectors_home import petitions_home
from chibo.petitions.selectors_stats import json_figures
from tests.factories import World, vn
from tests.meetings.factories import make_meeting
from tests.petitions.factories import at_commune, raise_petition

pytestmark = pytest.mark.django_db


def _path(org) -> str:
    return OrgVersion.objects.get(org=org, valid_to=dt.date(9999, 12, 31)).path


@pytest.fixture
def stages(world: World) -> dict[str, object]:
    """Raised on Monday 02/03/2026: one at the cell, one answered after 5 working days, one
    answered after 11, one escalated (overdue at the commune on 24/03), one in the other commune."""
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        waiting = raise_petition(world, title="Chờ gửi")
        quick = at_commune(world, title="Trả lời nhanh")
        slow = at_commune(world, title="Trả lời chậm")
        late = at_commune(world, title="Quá hạn")
        elsewhere = raise_petition(world, cell=world.other_cell, raised_by=world.other_member, actor=world.users["outsider"], title="Xã khác")
    with time_machine.travel(vn(2026, 3, 9, 9), tick=False):
        services.petition_answer(actor=world.users["staff"], petition=quick, text="Đã sửa.")
    with time_machine.travel(vn(2026, 3, 17, 9), tick=False):
        services.petition_answer(actor=world.users["staff"], petition=slow, text="Đã xếp lịch.")
    with time_machine.travel(vn(2026, 3, 24, 6), tick=False):
        jobs.escalate_overdue(today=dt.date(2026, 3, 24))
    return {"waiting": waiting, "quick": quick, "slow": slow, "late": late, "elsewhere": elsewhere}


def test_figures_by_subtree_and_year(world: World, stages) -> None:
    on = dt.date(2026, 4, 10)
    assert json_figures(path=_path(world.commune), year=2026, on=on) == {
        "open": 2, "answered": 2, "overdue": 0, "escalated": 1, "median_days_to_answer": 8.0,
    }
    assert json_figures(path=_path(world.province), year=2026, on=on)["open"] == 3
    assert json_figures(path=_path(world.commune), year=2025, on=on) == {
        "open": 0, "answered": 0, "overdue": 0, "escalated": 0, "median_days_to_answer": None,
    }
    # On 20/04 the escalated one (new deadline 14/04 at the province) is overdue.
    assert json_figures(path=_path(world.cell), year=2026, on=dt.date(2026, 4, 20))["overdue"] == 1


def test_stats_command_has_the_petitions_key(world: World, stages) -> None:
    out = StringIO()
    call_command("stats", "--json", "--org", world.commune.code, "--year", "2026", "--as-of", "2026-05-01", stdout=out)
    data = json.loads(out.getvalue())
    assert data["petitions"] == {"open": 2, "answered": 2, "overdue": 1, "escalated": 1, "median_days_to_answer": 8.0}
    out = StringIO()
    call_command("stats", "--org", world.commune.code, "--year", "2026", "--as-of", "2026-05-01", stdout=out)
    assert "petitions 2026:" in out.getvalue()


def test_home_of_the_committee_and_of_the_secretary(world: World, client_for) -> None:
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        held = at_commune(world, title="Đang ở xã")
        answered = at_commune(world, title="Xã đã trả lời")
        services.petition_answer(actor=world.users["staff"], petition=answered, text="Trả lời.")
    staff_home = petitions_home(policy=Policy(world.users["staff"]), on=dt.date(2026, 4, 1))
    assert (staff_home.waiting_count, staff_home.overdue_count) == (1, 1)
    assert [r.petition.pk for r in staff_home.waiting] == [held.pk]
    secretary_home = petitions_home(policy=Policy(world.users["secretary"]), on=dt.date(2026, 4, 1))
    assert [r.petition.pk for r in secretary_home.to_read_out] == [answered.pk] and secretary_home.waiting_count == 0
    assert not petitions_home(policy=Policy(world.users["member"]), on=dt.date(2026, 4, 1))
    assert not petitions_home(policy=Policy(world.users["province"]), on=dt.date(2026, 4, 1))
    body = client_for("staff").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-petitions-waiting"' in body and "Đang ở xã" in body
    body = client_for("secretary").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-petitions-read-out"' in body and "Xã đã trả lời" in body
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    services.petition_read_out(actor=world.users["secretary"], petition=answered, meeting=meeting)
    assert not petitions_home(policy=Policy(world.users["secretary"]), on=dt.date(2026, 4, 1))
