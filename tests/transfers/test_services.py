from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.core.workdays import add_working_days, working_days_between
from chibo.members.models import Membership, Status, StatusPeriod
from chibo.transfers import rules, services
from chibo.transfers.models import State, Transfer, TransferEvent
from tests.factories import vn

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        yield


def _status(member) -> str:
    return StatusPeriod.objects.get(member=member, valid_to=dt.date(9999, 12, 31)).status


def _cell_id(member) -> int:
    return Membership.objects.get(member=member, valid_to=dt.date(9999, 12, 31)).org_id


# Months, at their edges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "study", "ok"),
    [
        (dt.date(2026, 5, 2), False, False),  # 2 months
        (dt.date(2026, 6, 1), False, False),  # a day short of 3 months
        (dt.date(2026, 6, 2), False, True),  # 3 months
        (dt.date(2027, 3, 1), False, True),  # a day short of 12 months
        (dt.date(2027, 3, 2), False, False),  # 12 months, for work
        (dt.date(2027, 3, 2), True, True),  # 12 months, for study
        (dt.date(2028, 3, 2), True, True),  # 24 months, for study
        (dt.date(2028, 3, 3), True, False),  # a day over 24 months
        (dt.date(2028, 4, 2), True, False),  # 25 months, for study
        (dt.date(2026, 5, 2), True, False),  # 2 months, for study
    ],
)
def test_temporary_period_edges(end, study, ok):
    assert rules.temporary_period_ok(DAY, end, for_study=study) is ok


def test_whole_months():
    assert rules.whole_months(DAY, dt.date(2026, 6, 1)) == 2
    assert rules.whole_months(DAY, dt.date(2026, 6, 2)) == 3
    assert rules.whole_months(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 1
    assert rules.whole_months(DAY, DAY) == 0


# Temporary transfers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "study"), [(dt.date(2026, 5, 2), False), (dt.date(2027, 3, 2), False), (dt.date(2028, 4, 2), True)])
def test_temporary_refused_changes_nothing(world, frozen, end, study):
    before = AuditEvent.objects.count()
    with pytest.raises(ChiboError) as err:
        services.transfer_start(actor=world.users["staff"], member=world.member, kind="temporary", on=DAY, to_text="Trường Chính trị tỉnh", ends_on=end, for_study=study)
    assert err.value.field == "ends_on"
    assert "tháng" in err.value.message
    assert Transfer.objects.count() == 0 and AuditEvent.objects.count() == before
    assert _status(world.member) == Status.OFFICIAL


@pytest.mark.parametrize(("end", "study"), [(dt.date(2026, 6, 2), False), (dt.date(2027, 3, 2), True), (dt.date(2028, 3, 2), True)])
def test_temporary_accepted_sets_temp_out_then_returns(world, frozen, end, study):
    staff = world.users["staff"]
    t = services.transfer_start(actor=staff, member=world.member, kind="temporary", on=DAY, to_org=world.other_cell, ends_on=end, for_study=study)
    assert t.state == State.AWAY and _status(world.member) == Status.TEMP_OUT
    assert _cell_id(world.member) == world.cell.pk  # stays registered at home
    assert AuditEvent.objects.filter(verb="transfers.away", object_id=str(t.pk)).exists()
    with time_machine.travel(vn(2026, 7, 1, 9), tick=False):
        with pytest.raises(ChiboError):
            services.transfer_return(actor=staff, transfer=t, on=DAY)  # not after the start
        services.transfer_return(actor=staff, transfer=t, on=dt.date(2026, 7, 1))
    t.refresh_from_db()
    assert t.state == State.RETURNED and _status(world.member) == Status.OFFICIAL


def test_temporary_needs_an_official_member(world, frozen):
    from tests.factories import make_member

    probationary = make_member(world.cell, given_name="Bình", official_on=None, admitted_on=dt.date(2025, 9, 1), joined_on=dt.date(2025, 9, 1))
    with pytest.raises(ChiboError):
        services.transfer_start(actor=None, member=probationary, kind="temporary", on=DAY, to_text="X", ends_on=dt.date(2026, 7, 2))


# Official transfers -------------------------------------------------------------------------------


def test_official_inside_chibo_moves_the_member_on_receipt(world, frozen):
    staff = world.users["staff"]
    t = services.transfer_start(actor=staff, member=world.member, kind="official", on=DAY, to_org=world.other_cell)
    assert t.state == State.DECIDED and t.letter_due == add_working_days(DAY, 60) == dt.date(2026, 5, 28)
    with pytest.raises(ChiboError) as err:
        services.transfer_start(actor=staff, member=world.member, kind="official", on=DAY, to_org=world.cell2)
    assert "chưa xong" in err.value.message
    t = services.transfer_issue_letter(actor=staff, transfer=t, on=DAY, letter_number="7-GGT")
    assert t.state == State.IN_TRANSIT and t.present_due == add_working_days(DAY, 30)
    with pytest.raises(ChiboError):
        services.transfer_receive(actor=staff, transfer=t, on=DAY)  # not presented yet
    t = services.transfer_present(actor=staff, transfer=t, on=DAY)
    assert _cell_id(world.member) == world.cell.pk
    t = services.transfer_receive(actor=staff, transfer=t, on=DAY)
    assert t.state == State.RECEIVED and _cell_id(world.member) == world.other_cell.pk
    assert _status(world.member) == Status.OFFICIAL  # unchanged
    assert list(TransferEvent.objects.filter(transfer=t).values_list("kind", flat=True)) == ["decided", "letter", "presented", "received"]
    assert AuditEvent.objects.filter(verb="member.move", object_id=str(world.member.pk)).exists()


@pytest.mark.parametrize(("workdays", "late"), [(60, False), (61, True)])
def test_letter_on_working_day_60_and_61(world, workdays, late):
    letter_on = add_working_days(DAY, workdays)
    with time_machine.travel(vn(letter_on.year, letter_on.month, letter_on.day, 9), tick=False):
        t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)
        t = services.transfer_issue_letter(actor=None, transfer=t, on=letter_on, letter_number="1")
    assert working_days_between(DAY, letter_on) == workdays
    assert t.letter_late is late


@pytest.mark.parametrize(("workdays", "late"), [(30, False), (31, True)])
def test_presented_on_working_day_30_and_31(world, workdays, late):
    presented = add_working_days(DAY, workdays)
    with time_machine.travel(vn(presented.year, presented.month, presented.day, 9), tick=False):
        t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)
        t = services.transfer_issue_letter(actor=None, transfer=t, on=DAY, letter_number="1")
        t = services.transfer_present(actor=None, transfer=t, on=presented)
    assert t.present_late is late


def test_out_of_chibo_ends_transferred_out(world, frozen):
    t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_text="Đảng bộ phường Hồng Gai, tỉnh Quảng Ninh")
    with pytest.raises(ChiboError) as err:
        services.transfer_issue_letter(actor=None, transfer=t, on=DAY, letter_number=" ")
    assert err.value.field == "letter_number"
    t = services.transfer_issue_letter(actor=None, transfer=t, on=DAY, letter_number="9-GGT")
    with pytest.raises(ChiboError):
        services.transfer_present(actor=None, transfer=t, on=DAY)
    t = services.transfer_receive(actor=None, transfer=t, on=DAY)
    assert t.state == State.RECEIVED and _status(world.member) == Status.TRANSFERRED_OUT


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_org": None, "to_text": ""}, "to_org"),
        ({"to_text": "X"}, "to_org"),  # both
        ({"on": dt.date(2026, 3, 3)}, "on"),  # future
    ],
)
def test_start_refusals(world, frozen, kwargs, field):
    args = {"actor": None, "member": world.member, "kind": "official", "on": DAY, "to_org": world.cell2, **kwargs}
    with pytest.raises(ChiboError) as err:
        services.transfer_start(**args)
    assert err.value.field == field
    assert Transfer.objects.count() == 0


def test_to_own_cell_refused(world, frozen):
    with pytest.raises(ChiboError) as err:
        services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell)
    assert err.value.field == "to_org"


def test_letter_before_decision_refused(world):
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)
        with pytest.raises(ChiboError):
            services.transfer_issue_letter(actor=None, transfer=t, on=dt.date(2026, 3, 1), letter_number="1")


def test_cancel_needs_a_reason(world, frozen):
    t = services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)
    with pytest.raises(ChiboError) as err:
        services.transfer_cancel(actor=None, transfer=t, on=DAY, reason="  ")
    assert err.value.field == "reason"
    t = services.transfer_cancel(actor=None, transfer=t, on=DAY, reason="Đảng viên không chuyển nữa")
    assert t.state == State.CANCELLED
    assert AuditEvent.objects.filter(verb="transfers.cancelled").exists()
    # a new transfer may start once the old one is cancelled
    services.transfer_start(actor=None, member=world.member, kind="official", on=DAY, to_org=world.cell2)


def test_incoming_from_outside_creates_the_member(world, frozen):
    t = services.transfer_record_incoming(
        actor=None, to_org=world.cell, person_name="Lê Thị Hoa", from_text="Đảng bộ phường Bạch Đằng", letter_number="45",
        letter_on=dt.date(2026, 2, 20), presented_on=DAY,
    )  # fmt: skip
    assert t.state == State.PRESENTED and t.member is None
    profile = {
        "surname": "Lê", "middle_name": "Thị", "given_name": "Hoa", "sex": "female", "date_of_birth": dt.date(1990, 1, 5),
        "admitted_on": dt.date(2015, 5, 19), "official_on": dt.date(2016, 5, 19), "citizen_id": "",
    }  # fmt: skip
    from tests.factories import citizen_id

    profile["citizen_id"] = citizen_id(born=dt.date(1990, 1, 5), sex="female")
    with pytest.raises(ChiboError):
        services.transfer_receive_incoming(actor=None, transfer=t, on=dt.date(2026, 2, 27), profile=profile)  # before presented
    t = services.transfer_receive_incoming(actor=None, transfer=t, on=DAY, profile=profile)
    assert t.state == State.RECEIVED and t.member is not None and _cell_id(t.member) == world.cell.pk
    assert _status(t.member) == Status.OFFICIAL


def test_incoming_refusals(world, frozen):
    base = {"actor": None, "to_org": world.cell, "person_name": "A", "from_text": "B", "letter_number": "1", "letter_on": DAY, "presented_on": DAY}
    for key, value in (("person_name", " "), ("from_text", ""), ("letter_number", "")):
        with pytest.raises(ChiboError) as err:
            services.transfer_record_incoming(**{**base, key: value})
        assert err.value.field == key
    with pytest.raises(ChiboError) as err:
        services.transfer_record_incoming(**{**base, "letter_on": dt.date(2026, 3, 3), "presented_on": DAY})
    assert err.value.field == "letter_on"
    with pytest.raises(ChiboError):
        services.transfer_record_incoming(**{**base, "to_org": world.commune})
    assert Transfer.objects.count() == 0


def test_lifecycle_statuses_refused_without_the_owner(world, frozen):
    from chibo.members.services import member_set_status

    for status in (Status.TEMP_OUT, Status.TRANSFERRED_OUT):
        with pytest.raises(ChiboError):
            member_set_status(actor=None, member=world.member, status=status, on=DAY)
