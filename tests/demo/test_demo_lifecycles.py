"""Demo member lifecycles (issue 9 §9): candidates at every step and quotas, probationers due for
their vote, transfers in transit and out of the province, a year of dues, residence registrations
and white villages, consistent with the members; each persona finds its part on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from chibo.accounts.models import User
from chibo.admissions.models import AdmissionQuota, Candidate, ResidentialArea
from chibo.core.access import today
from chibo.core.models import OPEN, AuditEvent
from chibo.demo.build import build
from chibo.demo.checks import check_database
from chibo.dues.models import DuesBasis, DuesMonth, Receipt, Remittance
from chibo.members.models import Membership, StatusPeriod
from chibo.probation import rules as probation_rules
from chibo.probation.models import ProbationVote
from chibo.residence.models import ContactMeeting, Registration, ResidenceComment
from chibo.transfers.models import Transfer


@pytest.fixture
def district(db):
    return build(scale="district", seed=1)


def _persona_cell() -> int:
    return User.objects.get(username="bithu").grants.get(role="secretary").org_id


def test_the_lifecycles_are_there_and_consistent_with_the_members(district, client):
    day = today()
    assert check_database(today=day) == []
    load = AuditEvent.objects.get(verb="demo.load")
    assert load.after["candidates"] == Candidate.objects.count() > 0
    assert load.after["dues_months"] == DuesMonth.objects.count() > 0
    _admissions(day)
    _probation(day)
    _transfers()
    _dues(day)
    _residence(day)
    _homes(client)


def _admissions(day) -> None:
    cell = _persona_cell()
    assert set(range(0, 9)) <= set(Candidate.objects.filter(state="in_progress").values_list("step_done", flat=True))
    assert Candidate.objects.filter(cell_id=cell, state="in_progress", step_done=5).exists()  # at the cell vote
    for c in Candidate.objects.filter(state="admitted").select_related("member"):
        assert c.member.admitted_on == c.admitted_on and c.steps.filter(passed=True).count() == 9
    assert AdmissionQuota.objects.filter(year=day.year).exists()
    # White villages: areas of the commune that no cell names.
    assert ResidentialArea.objects.filter(name__startswith="Thôn Khe").exists() or ResidentialArea.objects.filter(name__startswith="Thôn Đồng Bài").exists()


def _probation(day) -> None:
    probationers = StatusPeriod.objects.filter(valid_to=OPEN, status="probationary").select_related("member")
    assert [p for p in probationers if probation_rules.probation_end(p.member.admitted_on) <= day]
    failed = ProbationVote.objects.get(passed=False)
    assert failed.org_id == _persona_cell() and failed.yes_votes * 3 < failed.official_members * 2
    assert ProbationVote.objects.filter(passed=True, case__state="voted").exists()


def _transfers() -> None:
    moving = Transfer.objects.get(state="in_transit")
    assert Membership.objects.get(member_id=moving.member_id, valid_to=OPEN).org_id == moving.from_org_id
    left = Transfer.objects.get(state="received", to_org__isnull=True)
    assert not Membership.objects.filter(member_id=left.member_id, valid_to=OPEN).exists()
    assert StatusPeriod.objects.get(member_id=left.member_id, valid_to=OPEN).status == "transferred_out"
    assert StatusPeriod.objects.get(member_id=left.member_id, valid_to=OPEN).valid_from == left.received_on
    assert set(left.events.values_list("kind", flat=True)) == {"decided", "letter", "left"}


def _dues(day) -> None:
    cell = _persona_cell()
    in_cell = Membership.objects.filter(org_id=cell, valid_to=OPEN).values("member_id")
    assert DuesBasis.objects.filter(member_id__in=in_cell).count() >= in_cell.count() * 0.8
    assert Receipt.objects.filter(cell_id=cell).count() > in_cell.count() * 3
    assert DuesMonth.objects.filter(cell_id=cell, receipt__isnull=True, amount_vnd__gt=0, month__lt=day.replace(day=1)).exists()  # arrears
    for r in Receipt.objects.filter(cell_id=cell)[:50]:
        assert r.months.aggregate(s=Sum("amount_vnd"))["s"] == r.amount_vnd
    assert Remittance.objects.filter(cell_id=cell).exists()
    # Only a few communes: far fewer members with dues than members.
    assert DuesBasis.objects.count() < Membership.objects.filter(valid_to=OPEN).count()


def _residence(day) -> None:
    reg = Registration.objects.first()
    assert reg is not None and Membership.objects.get(member_id=reg.member_id, valid_to=OPEN).org_id == reg.work_org_id
    assert ResidenceComment.objects.filter(year=day.year - 1).count() == Registration.objects.count()
    # This half-year's meeting; on its first day (1 January, 1 July), the last half-year's.
    assert ContactMeeting.objects.filter(held_on__gt=day - dt.timedelta(days=190), held_on__lte=day).exists()


def _home(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response


def _homes(client) -> None:
    # bithu: candidates, probationers, dues; canboxa: decisions due, transfers; dangvien: dues.
    response = _home(client, "bithu")
    ctx = response.context
    assert any(c.step_done == 5 for c in ctx["admissions_home"].cell)
    assert ctx["probation_home"].to_vote
    assert ctx["dues_home"].cells and ctx["dues_home"].cells[0].in_arrears
    assert b'data-testid="home-admissions-cell"' in response.content and b'data-testid="home-probation-vote"' in response.content
    response = _home(client, "canboxa")
    ctx = response.context
    assert ctx["admissions_home"].decisions and ctx["probation_home"].to_decide
    assert ctx["transfers_home"].to_receive
    assert b'data-testid="home-transfers-receive"' in response.content
    member = _home(client, "dangvien").context
    assert member["dues_home"].receipts and member["dues_home"].owing_months >= 1
