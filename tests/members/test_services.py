import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from chibo.core.errors import ChiboError
from chibo.core.models import OPEN, AuditEvent
from chibo.members import services
from chibo.members.models import Member, Membership, Position, StatusPeriod
from tests.factories import citizen_id, make_member


def test_create_writes_member_membership_status_and_audit(world):
    before = AuditEvent.objects.count()
    m = make_member(world.cell, given_name="Lan", sex="female", born=dt.date(1990, 1, 1), official_on=None, admitted_on=dt.date(2025, 1, 1), joined_on=None)
    assert Membership.objects.get(member=m).org == world.cell
    assert StatusPeriod.objects.get(member=m).status == "probationary"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.verb == "member.create" and event.object_id == m.pk and event.after["citizen_id"] == m.citizen_id


def test_duplicate_citizen_id_is_refused_and_nothing_is_written(world):
    count = Member.objects.count()
    with pytest.raises(ChiboError, match="đã có"):
        services.member_create(actor=None, org=world.cell, data={"surname": "Lê", "given_name": "Minh", "sex": "female", "date_of_birth": dt.date(1985, 2, 1), "admitted_on": dt.date(2005, 1, 1), "citizen_id": world.member.citizen_id}, joined_on=dt.date(2020, 1, 1))
    assert Member.objects.count() == count


def test_member_cannot_join_a_committee(world):
    with pytest.raises(ChiboError, match="chi bộ"):
        make_member(world.commune, given_name="Sơn")


def test_move_closes_the_old_membership_and_ends_positions(world):
    services.member_move(actor=None, member=world.secretary_member, org=world.cell2, on=dt.date(2024, 6, 1))
    rows = list(Membership.objects.filter(member=world.secretary_member).order_by("valid_from"))
    assert [(r.org_id, r.valid_to) for r in rows] == [(world.cell.pk, dt.date(2024, 6, 1)), (world.cell2.pk, OPEN)]
    assert Position.objects.get(member=world.secretary_member).valid_to == dt.date(2024, 6, 1)
    assert AuditEvent.objects.filter(verb="member.move", object_id=world.secretary_member.pk).exists()


def test_a_member_is_in_one_cell_at_a_time_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=world.member, org=world.cell2, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2022, 1, 1))


def test_two_open_memberships_are_refused_by_the_database(world):
    Membership.objects.filter(member=world.member).update(valid_to=dt.date(2021, 1, 1))
    Membership.objects.create(member=world.member, org=world.cell2, valid_from=dt.date(2021, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=world.member, org=world.cell, valid_from=dt.date(2023, 1, 1))


def test_status_change_and_history(world):
    services.member_set_status(actor=None, member=world.member, status="exempted", on=dt.date(2024, 1, 1), note="Sức khỏe yếu")
    statuses = list(StatusPeriod.objects.filter(member=world.member).order_by("valid_from").values_list("status", "valid_to"))
    assert statuses == [("official", dt.date(2024, 1, 1)), ("exempted", OPEN)]


def test_deceased_member_cannot_be_made_active_again(world):
    services.member_set_status(actor=None, member=world.member, status="deceased", on=dt.date(2024, 1, 1))
    with pytest.raises(ChiboError, match="từ trần"):
        services.member_set_status(actor=None, member=world.member, status="official", on=dt.date(2024, 2, 1))


def test_new_secretary_ends_the_previous_term(world):
    services.position_assign(actor=None, member=world.member, kind="secretary", on=dt.date(2025, 1, 1))
    old = Position.objects.get(member=world.secretary_member, kind="secretary")
    assert old.valid_to == dt.date(2025, 1, 1)


def test_probationary_member_cannot_be_secretary(world):
    m = make_member(world.cell, given_name="Tâm", born=dt.date(1995, 1, 1), admitted_on=dt.date(2025, 6, 1), official_on=None, joined_on=None)
    with pytest.raises(ChiboError, match="chính thức"):
        services.position_assign(actor=None, member=m, kind="secretary", on=dt.date(2025, 7, 1))


def test_update_records_before_and_after(world):
    services.member_update(actor=world.users["secretary"], member=world.member, data={"phone": "0912345678"})
    event = AuditEvent.objects.filter(verb="member.update").latest("id")
    assert event.before["phone"] == "" and event.after["phone"] == "0912345678"
    assert event.actor == world.users["secretary"]


def test_update_with_bad_data_changes_nothing(world):
    with pytest.raises(ChiboError):
        services.member_update(actor=None, member=world.member, data={"citizen_id": "123", "phone": "0912345678"})
    world.member.refresh_from_db()
    assert world.member.phone == ""


def test_card_number_unique(world):
    services.member_update(actor=None, member=world.member, data={"party_card_number": "12345678"})
    with pytest.raises(ChiboError, match="thẻ"):
        services.member_update(actor=None, member=world.other_member, data={"party_card_number": "12345678"})


def test_citizen_id_helper_is_valid():
    assert len(citizen_id(born=dt.date(1990, 1, 1), sex="male")) == 12
