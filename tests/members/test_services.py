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
    services.member_set_status(actor=None, member=world.member, status="exempted", on=dt.date(2024, 1, 1), note="Sức khỏe yếu", owner="discipline")
    statuses = list(StatusPeriod.objects.filter(member=world.member).order_by("valid_from").values_list("status", "valid_to"))
    assert statuses == [("official", dt.date(2024, 1, 1)), ("exempted", OPEN)]


def test_deceased_member_cannot_be_made_active_again(world):
    services.member_set_status(actor=None, member=world.member, status="deceased", on=dt.date(2024, 1, 1))
    with pytest.raises(ChiboError, match="từ trần"):
        services.member_set_status(actor=None, member=world.member, status="official", on=dt.date(2024, 2, 1), owner="discipline")


@pytest.mark.parametrize("status", ["probationary", "official", "exempted", "temp_out", "transferred_out", "removed"])
def test_a_status_a_lifecycle_owns_is_refused_by_hand(world, status):
    """Issue 9: admission, official status, exemption, transfers, removal go through their lifecycle."""
    with pytest.raises(ChiboError, match="chỉ được thay đổi qua quy trình") as refused:
        services.member_set_status(actor=None, member=world.member, status=status, on=dt.date(2024, 2, 1))
    assert refused.value.field == "status"
    assert StatusPeriod.objects.filter(member=world.member).count() == 1
    with pytest.raises(ValueError):
        services.member_set_status(actor=None, member=world.member, status=status, on=dt.date(2024, 2, 1), owner="somebody")


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


# The cell's leadership under 294-QĐ/TW (domain.md §1) --------------------------------------------

_NAMES = ["Anh", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nga", "Oanh", "Phúc", "Quang", "Sơn", "Thảo", "Uyên", "Vinh", "Xuân"]


def _officials(cell, n, *, start=0):
    """``n`` more official members of ``cell`` (official since 2006)."""
    return [make_member(cell, given_name=_NAMES[start + i], born=dt.date(1980, 1, 1 + start + i)) for i in range(n)]


ON = dt.date(2025, 6, 1)


def test_no_cell_committee_under_nine_official_members_and_one_at_nine(world):
    # world.cell has 2 official members; 6 more make 8, and a probationary member does not count.
    extra = _officials(world.cell, 6)
    make_member(world.cell, given_name="Yến", sex="female", born=dt.date(1995, 1, 1), admitted_on=dt.date(2025, 1, 1), official_on=None, joined_on=dt.date(2025, 1, 1))
    with pytest.raises(ChiboError) as refused:
        services.position_assign(actor=None, member=extra[0], kind="committee_member", on=ON)
    assert refused.value.message.startswith("Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy (Quy định 294-QĐ/TW)")
    assert "có 8 đảng viên chính thức" in refused.value.message
    assert not Position.objects.filter(kind="committee_member").exists()
    ninth = _officials(world.cell, 1, start=6)[0]
    services.position_assign(actor=None, member=ninth, kind="committee_member", on=ON)
    assert Position.objects.filter(org=world.cell, kind="committee_member", member=ninth).exists()


def test_the_cell_committee_has_at_most_seven_secretary_and_deputy_included(world):
    members = _officials(world.cell, 9)  # 11 official members with the two of the world
    services.position_assign(actor=None, member=members[0], kind="deputy_secretary", on=ON)
    for m in members[1:6]:  # secretary + deputy + 5 = 7
        services.position_assign(actor=None, member=m, kind="committee_member", on=ON)
    events = AuditEvent.objects.count()
    with pytest.raises(ChiboError, match=r"tối đa 7 chi ủy viên, kể cả bí thư và phó bí thư \(Quy định 294-QĐ/TW\)"):
        services.position_assign(actor=None, member=members[6], kind="committee_member", on=ON)
    assert Position.objects.filter(org=world.cell, valid_to=OPEN).count() == 7
    assert AuditEvent.objects.count() == events
    # A new secretary from outside the committee replaces the old one: still 7 people.
    services.position_assign(actor=None, member=members[6], kind="secretary", on=ON)
    assert Position.objects.get(org=world.cell, kind="secretary", valid_to=OPEN).member == members[6]


def test_a_second_deputy_secretary_is_refused(world):
    members = _officials(world.cell, 2)
    services.position_assign(actor=None, member=members[0], kind="deputy_secretary", on=ON)
    with pytest.raises(ChiboError, match=r"chỉ có 1 phó bí thư \(Quy định 294-QĐ/TW\)"):
        services.position_assign(actor=None, member=members[1], kind="deputy_secretary", on=ON)
    assert Position.objects.filter(kind="deputy_secretary").count() == 1


def test_limits_are_settings(world, settings):
    settings.CHIBO_COMMITTEE_MIN_OFFICIAL = 3
    settings.CHIBO_DEPUTY_MAX = 2
    members = _officials(world.cell, 2)
    services.position_assign(actor=None, member=members[0], kind="committee_member", on=ON)
    services.position_assign(actor=None, member=members[0], kind="deputy_secretary", on=ON)
    services.position_assign(actor=None, member=members[1], kind="deputy_secretary", on=ON)
    assert Position.objects.filter(kind="deputy_secretary", valid_to=OPEN).count() == 2


# Ending positions ----------------------------------------------------------------------------------


def test_position_end_closes_the_term_with_an_audit_row(world):
    position = Position.objects.get(member=world.secretary_member, kind="secretary")
    services.position_end(actor=None, position=position, on=dt.date(2025, 3, 1))
    position.refresh_from_db()
    assert position.valid_to == dt.date(2025, 3, 1)
    event = AuditEvent.objects.latest("id")
    assert (event.verb, event.object_id, event.after["until"]) == ("position.end", world.secretary_member.pk, "2025-03-01")
    with pytest.raises(ChiboError, match="đã kết thúc"):
        services.position_end(actor=None, position=position, on=dt.date(2025, 4, 1))


def test_position_end_before_its_start_changes_nothing(world):
    position = Position.objects.get(member=world.secretary_member, kind="secretary")
    events = AuditEvent.objects.count()
    with pytest.raises(ChiboError, match="sau ngày bắt đầu") as refused:
        services.position_end(actor=None, position=position, on=position.valid_from)
    assert refused.value.field == "on"
    position.refresh_from_db()
    assert position.valid_to == OPEN and AuditEvent.objects.count() == events


def test_community_position_end_inside_the_term_only(world):
    from chibo.members.models import CommunityPosition

    cp = CommunityPosition.objects.get(member=world.secretary_member)
    for outside in (cp.valid_from, dt.date(2019, 12, 31)):
        with pytest.raises(ChiboError, match="nằm trong nhiệm kỳ"):
            services.community_position_end(actor=None, position=cp, on=outside)
    cp.refresh_from_db()
    assert cp.valid_to == OPEN
    services.community_position_end(actor=None, position=cp, on=dt.date(2024, 12, 15))
    cp.refresh_from_db()
    assert cp.valid_to == dt.date(2024, 12, 15)
    event = AuditEvent.objects.latest("id")
    assert (event.verb, event.object_id) == ("community.end", world.secretary_member.pk)
    with pytest.raises(ChiboError, match="nằm trong nhiệm kỳ"):
        services.community_position_end(actor=None, position=cp, on=dt.date(2025, 1, 1))


# Admission age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admitted", "ok"),
    [
        (dt.date(2018, 5, 1), False),  # 17 years 11 months
        (dt.date(2018, 6, 1), True),  # 18 years 0 months
        (dt.date(2060, 6, 1), True),  # 60 years 0 months (checked with a later "today")
        (dt.date(2060, 7, 1), False),  # 60 years 1 month
    ],
)
def test_admission_age_at_each_bound_through_the_service(world, admitted, ok, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: dt.date(2061, 1, 1))
    data = {"surname": "Lê", "given_name": "Tâm", "sex": "male", "date_of_birth": dt.date(2000, 6, 1), "admitted_on": admitted, "citizen_id": citizen_id(born=dt.date(2000, 6, 1), sex="male")}
    if ok:
        assert services.member_create(actor=None, org=world.cell, data=data, joined_on=None).admitted_on == admitted
    else:
        count = Member.objects.count()
        with pytest.raises(ChiboError) as refused:
            services.member_create(actor=None, org=world.cell, data=data, joined_on=None)
        assert refused.value.field == "admitted_on"
        assert Member.objects.count() == count


def test_official_date_not_before_the_twelve_months_of_probation(world):
    """Issue 9: a member was made official one day after admission; the official date is the end of the probation."""
    data = {"surname": "Lý", "middle_name": "Văn", "given_name": "Mười", "date_of_birth": dt.date(1990, 1, 1), "sex": "male",
            "admitted_on": dt.date(2024, 3, 31), "official_on": dt.date(2025, 3, 30), "citizen_id": "001090000077"}
    with pytest.raises(ChiboError, match="hết 12 tháng dự bị") as refused:
        services.member_create(actor=None, org=world.cell, data=data)
    assert refused.value.field == "official_on"
    member = services.member_create(actor=None, org=world.cell, data={**data, "official_on": dt.date(2025, 3, 31)})
    assert member.official_on == dt.date(2025, 3, 31)


def test_a_probationary_members_official_date_is_not_edited_by_hand(world):
    probationer = services.member_create(actor=None, org=world.cell, data={
        "surname": "Lý", "middle_name": "Thị", "given_name": "Mai", "date_of_birth": dt.date(1995, 5, 5), "sex": "female",
        "admitted_on": dt.date(2024, 1, 10), "citizen_id": "001195000078",
    })
    with pytest.raises(ChiboError, match="công nhận đảng viên chính thức") as refused:
        services.member_update(actor=None, member=probationer, data={"official_on": dt.date(2025, 1, 10)})
    assert refused.value.field == "official_on"
    probationer.refresh_from_db()
    assert probationer.official_on is None
    services.member_update(actor=None, member=probationer, data={"phone": "0912345678"})  # the rest still edits
