"""Exemption, removal, discipline and reconciliation services: the rules at their edges, nothing
written on refusal, audit rows on success, statuses changed only through the discipline owner."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.discipline import services
from chibo.discipline.models import DisciplineRecord, Exemption, Reconciliation, Removal
from chibo.members.models import Status, StatusPeriod
from chibo.members.services import member_set_status
from tests.discipline.factories import discipline_scene
from tests.factories import VN, make_member

TODAY = dt.datetime(2026, 9, 15, 10, 0, tzinfo=VN)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def _status(member) -> str:
    return StatusPeriod.objects.get(member=member, valid_to=dt.date(9999, 12, 31)).status


def _verbs(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def _probationer(world):
    return make_member(world.cell, given_name="Dũng", born=dt.date(1998, 1, 1), admitted_on=dt.date(2026, 3, 1), official_on=None, joined_on=dt.date(2026, 3, 1))


# Exemption -------------------------------------------------------------------------------------


def test_exemption_and_its_end_change_the_status_through_the_owner(world, frozen):
    sec = world.users["secretary"]
    found = services.exemption_apply(actor=sec, member=world.member, applied_on=dt.date(2026, 9, 1), form="in_person", ground="health", ground_note="Điều trị 4 tháng")
    assert _status(world.member) == Status.OFFICIAL and _verbs("discipline.exemption_apply") == 1
    services.exemption_decide(actor=sec, exemption=found, approve=True, decided_on=dt.date(2026, 9, 5), note="8/8 đồng ý")
    assert _status(world.member) == Status.EXEMPTED
    assert AuditEvent.objects.filter(verb="member.status", object_id=world.member.pk).count() == 1
    services.exemption_end(actor=sec, exemption=found, ended_on=dt.date(2026, 9, 15))
    assert _status(world.member) == Status.OFFICIAL
    found.refresh_from_db()
    assert found.status == "ended" and _verbs("discipline.exemption_end") == 1


def test_the_exempted_status_cannot_be_set_by_hand(world, frozen):
    with pytest.raises(ChiboError):
        member_set_status(actor=None, member=world.member, status=Status.EXEMPTED, on=frozen)


def test_exemption_refused_needs_a_reason_and_leaves_the_status(world, frozen):
    found = services.exemption_apply(actor=None, member=world.member, applied_on=frozen, form="written", ground="age")
    with pytest.raises(ChiboError) as err:
        services.exemption_decide(actor=None, exemption=found, approve=False, decided_on=frozen)
    assert err.value.field == "note"
    services.exemption_decide(actor=None, exemption=found, approve=False, decided_on=frozen, note="Còn đủ sức khỏe")
    assert _status(world.member) == Status.OFFICIAL


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"applied_on": dt.date(2026, 9, 16)}, "applied_on"),  # tomorrow
        ({"form": "phone"}, "form"),
        ({"ground": "bored"}, "ground"),
        ({"ground": "other", "ground_note": "  "}, "ground_note"),
    ],
)
def test_a_bad_application_is_refused_and_writes_nothing(world, frozen, kwargs, field):
    data = {"applied_on": frozen, "form": "written", "ground": "age", "ground_note": "", **kwargs}
    with pytest.raises(ChiboError) as err:
        services.exemption_apply(actor=None, member=world.member, **data)
    assert err.value.field == field
    assert not Exemption.objects.exists() and _verbs("discipline.exemption_apply") == 0


def test_a_probationary_member_or_a_second_application_is_refused(world, frozen):
    with pytest.raises(ChiboError):
        services.exemption_apply(actor=None, member=_probationer(world), applied_on=frozen, form="written", ground="age")
    services.exemption_apply(actor=None, member=world.member, applied_on=frozen, form="written", ground="age")
    with pytest.raises(ChiboError):
        services.exemption_apply(actor=None, member=world.member, applied_on=frozen, form="written", ground="age")
    assert Exemption.objects.count() == 1


def test_decision_dates_at_their_edges(world, frozen):
    found = services.exemption_apply(actor=None, member=world.member, applied_on=dt.date(2026, 9, 10), form="written", ground="age")
    for day in (dt.date(2026, 9, 9), dt.date(2026, 9, 16)):  # before the application; tomorrow
        with pytest.raises(ChiboError) as err:
            services.exemption_decide(actor=None, exemption=found, approve=True, decided_on=day)
        assert err.value.field == "decided_on"
    services.exemption_decide(actor=None, exemption=found, approve=True, decided_on=dt.date(2026, 9, 10))  # the same day
    with pytest.raises(ChiboError) as err:
        services.exemption_end(actor=None, exemption=found, ended_on=dt.date(2026, 9, 10))  # not after the decision
    assert err.value.field == "ended_on" and _status(world.member) == Status.EXEMPTED


# Removal ---------------------------------------------------------------------------------------


def test_removal_is_proposed_by_the_cell_and_decided_above(world, frozen):
    found = services.removal_propose(actor=world.users["secretary"], member=world.member, ground="card", reason="Tự ý trả thẻ", proposed_on=frozen)
    assert _status(world.member) == Status.OFFICIAL
    with pytest.raises(ChiboError) as err:
        services.removal_decide(actor=None, removal=found, approve=True, decided_on=frozen, deciding_org=world.commune, document_number=" ")
    assert err.value.field == "document_number" and _status(world.member) == Status.OFFICIAL
    with pytest.raises(ChiboError):
        services.removal_decide(actor=None, removal=found, approve=True, decided_on=frozen, deciding_org=world.cell, document_number="12-QĐ/ĐU")
    services.removal_decide(actor=world.users["staff"], removal=found, approve=True, decided_on=frozen, deciding_org=world.commune, document_number="12-QĐ/ĐU")
    assert _status(world.member) == Status.REMOVED
    assert Removal.objects.get().status == "removed" and _verbs("discipline.removal_decide") == 1


def test_a_removal_needs_a_reason_and_one_waits_at_a_time(world, frozen):
    with pytest.raises(ChiboError) as err:
        services.removal_propose(actor=None, member=world.member, ground="card", reason=" ", proposed_on=frozen)
    assert err.value.field == "reason" and not Removal.objects.exists()
    services.removal_propose(actor=None, member=world.member, ground="card", reason="Trả thẻ", proposed_on=frozen)
    with pytest.raises(ChiboError):
        services.removal_propose(actor=None, member=world.member, ground="standards", reason="Khác", proposed_on=frozen)


def test_a_rejected_removal_keeps_the_member(world, frozen):
    found = services.removal_propose(actor=None, member=world.member, ground="card", reason="Trả thẻ", proposed_on=frozen)
    with pytest.raises(ChiboError) as err:
        services.removal_decide(actor=None, removal=found, approve=False, decided_on=frozen, deciding_org=world.commune)
    assert err.value.field == "note"
    services.removal_decide(actor=None, removal=found, approve=False, decided_on=frozen, deciding_org=world.commune, note="Chưa đủ căn cứ")
    assert _status(world.member) == Status.OFFICIAL


# Discipline ------------------------------------------------------------------------------------


def _record(member, kind: str, day: dt.date):
    return services.record_add(actor=None, member=member, kind=kind, decided_on=day, deciding_body="Đảng ủy xã", reason="Vi phạm", document_number="05-QĐ/ĐU")


def test_a_probationary_member_given_a_dismissal_is_refused_a_reprimand_accepted(world, frozen):
    member = _probationer(world)
    for kind in ("dismissal", "expulsion"):
        with pytest.raises(ChiboError) as err:
            _record(member, kind, frozen)
        assert err.value.field == "kind"
    assert not DisciplineRecord.objects.exists() and _verbs("discipline.record_add") == 0
    _record(member, "reprimand", frozen)
    _record(member, "warning", frozen)
    assert DisciplineRecord.objects.count() == 2 and _status(member) == Status.PROBATIONARY


def test_the_probationary_rule_is_a_versioned_setting(world, frozen, settings):
    settings.CHIBO_DISCIPLINE_PROBATIONARY_LIGHT_ONLY = [("2000-01-01", True), ("2026-09-01", False)]
    member = _probationer(world)
    with pytest.raises(ChiboError):
        _record(member, "dismissal", dt.date(2026, 8, 31))
    _record(member, "dismissal", dt.date(2026, 9, 1))


def test_expulsion_removes_the_member_through_the_owner(world, frozen):
    _record(world.member, "expulsion", frozen)
    assert _status(world.member) == Status.REMOVED
    with pytest.raises(ChiboError):  # a removed member receives no more discipline
        _record(world.member, "warning", frozen)


@pytest.mark.parametrize(("field", "value"), [("deciding_body", " "), ("reason", ""), ("document_number", "  "), ("kind", "fine")])
def test_a_discipline_record_missing_a_part_is_refused(world, frozen, field, value):
    data = {"kind": "warning", "decided_on": frozen, "deciding_body": "Chi bộ", "reason": "Vi phạm", "document_number": "01", field: value}
    with pytest.raises(ChiboError) as err:
        services.record_add(actor=None, member=world.member, **data)
    assert err.value.field == field and not DisciplineRecord.objects.exists()


def test_a_discipline_decision_tomorrow_is_refused(world, frozen):
    with pytest.raises(ChiboError) as err:
        _record(world.member, "warning", frozen + dt.timedelta(days=1))
    assert err.value.field == "decided_on"


# Flags -----------------------------------------------------------------------------------------


def test_a_flag_is_dismissed_with_a_reason_audited(world, frozen):
    scene = discipline_scene(world)
    with pytest.raises(ChiboError) as err:
        services.flag_dismiss(actor=None, flag=scene.flag, reason=" ")
    assert err.value.field == "reason"
    services.flag_dismiss(actor=world.users["secretary"], flag=scene.flag, reason="Đi làm ăn xa, đã báo chi bộ")
    scene.flag.refresh_from_db()
    assert scene.flag.status == "dismissed" and _verbs("discipline.flag_dismiss") == 1
    with pytest.raises(ChiboError):
        services.flag_dismiss(actor=None, flag=scene.flag, reason="again")


# Reconciliation --------------------------------------------------------------------------------


def test_reconciliation_keeps_the_registry_counts_and_needs_the_differences(world, frozen):
    member_set_status(actor=None, member=world.member, status=Status.DECEASED, on=frozen)
    data = {"checked_on": frozen, "checked_by": "Nguyễn Văn Hùng", "book_current": 1, "book_left": 0, "book_deceased": 0}
    with pytest.raises(ChiboError) as err:
        services.reconciliation_record(actor=None, cell=world.cell, **data)
    assert err.value.field == "differences" and not Reconciliation.objects.exists()
    found = services.reconciliation_record(actor=None, cell=world.cell, **{**data, "book_deceased": 1})
    assert (found.registry_current, found.registry_left, found.registry_deceased) == (1, 0, 1) and found.matches
    services.reconciliation_record(actor=None, cell=world.cell, **data, differences="Sổ từ trần chưa ghi đồng chí Hồng")
    assert _verbs("discipline.reconcile") == 2


def test_reconciliation_of_a_committee_or_tomorrow_is_refused(world, frozen):
    data = {"checked_by": "A", "book_current": 0, "book_left": 0, "book_deceased": 0, "differences": "x"}
    with pytest.raises(ChiboError):
        services.reconciliation_record(actor=None, cell=world.commune, checked_on=frozen, **data)
    with pytest.raises(ChiboError) as err:
        services.reconciliation_record(actor=None, cell=world.cell, checked_on=frozen + dt.timedelta(days=1), **data)
    assert err.value.field == "checked_on"
    with pytest.raises(ChiboError) as err:
        services.reconciliation_record(actor=None, cell=world.cell, checked_on=frozen, **{**data, "book_left": -1})
    assert err.value.field == "book_left"
