from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings.models import Notification
from chibo.residence import services
from chibo.residence.models import ContactMeeting, Registration, ResidenceComment
from tests.factories import make_user, vn
from tests.residence.factories import agency_cell, agency_member, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def _frozen():
    with time_machine.travel(vn(2026, 3, 10, 9), tick=False):
        yield


@pytest.fixture
def agent(world):
    return agency_member(agency_cell(world.commune))


def _audits(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def test_register_writes_the_registration_and_its_audit(world, agent):
    reg = register(world, agent, on=DAY)
    assert reg.is_open and reg.residence_org_id == world.cell.pk and reg.exemption == ""
    assert reg.work_org_id == agent.memberships.get().org_id
    assert _audits("residence.register") == 1


def test_special_duty_and_combat_readiness_are_refused_with_the_reason(world, agent):
    for category in ("special_duty", "combat_ready"):
        with pytest.raises(ChiboError) as exc:
            register(world, agent, category=category, on=DAY)
        assert exc.value.field == "category" and "33-HD/BTCTW" in exc.value.message
    assert not Registration.objects.exists() and _audits("residence.register") == 0


def test_exempt_category_is_stored(world, agent):
    assert register(world, agent, category="barracks", on=DAY).exemption == "barracks"


def test_a_member_of_a_residential_cell_is_refused(world):
    with pytest.raises(ChiboError) as exc:
        register(world, world.member, on=DAY)
    assert exc.value.field == "member"
    assert not Registration.objects.exists()


def test_one_open_registration_per_member(world, agent):
    register(world, agent, on=DAY)
    with pytest.raises(ChiboError) as exc:
        register(world, agent, at=world.cell2, on=DAY)
    assert "chuyển nơi cư trú" in exc.value.message
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(("introduced", "registered", "field"), [
    (DAY, DAY + dt.timedelta(days=1), "registered_on"),  # tomorrow
    (DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1), "introduced_on"),
    (DAY, DAY - dt.timedelta(days=1), "registered_on"),  # before the introduction
])
def test_dates_at_their_edges(world, agent, introduced, registered, field):
    with pytest.raises(ChiboError) as exc:
        services.registration_create(actor=None, registering_org=world.commune, member_id=agent.pk, residence_org_id=world.cell.pk,
                                     introduced_on=introduced, registered_on=registered)
    assert exc.value.field == field
    assert not Registration.objects.exists()


def test_the_residence_cell_must_be_residential_and_under_the_commune(world, agent):
    for org in (world.other_cell, agency_cell(world.commune, name="Chi bộ Trường THCS")):
        with pytest.raises(ChiboError) as exc:
            register(world, agent, at=org, on=DAY)
        assert exc.value.field == "residence_org"
    assert not Registration.objects.exists()


def test_end_and_transfer(world, agent):
    reg = register(world, agent, on=dt.date(2026, 1, 5))
    with pytest.raises(ChiboError) as exc:
        services.registration_end(actor=None, registration=reg, on=dt.date(2026, 1, 5), reason="moved")
    assert exc.value.field == "on"
    with pytest.raises(ChiboError) as exc:
        services.registration_end(actor=None, registration=reg, on=DAY, reason="other")
    assert exc.value.field == "note"
    new = services.registration_transfer(actor=None, registration=reg, residence_org_id=world.cell2.pk, on=DAY)
    reg.refresh_from_db()
    assert (reg.ended_on, reg.end_reason) == (DAY, "moved") and new.is_open and new.residence_org_id == world.cell2.pk
    assert _audits("residence.transfer") == 1
    with pytest.raises(ChiboError):
        services.registration_end(actor=None, registration=new, on=DAY, reason="left")  # same day as registered


def test_contact_meeting_rules(world, agent):
    reg = register(world, agent, on=dt.date(2026, 1, 5))
    with pytest.raises(ChiboError) as exc:
        services.contact_meeting_record(actor=None, org=world.cell, held_on=DAY + dt.timedelta(days=1), registration_ids=[reg.pk])
    assert exc.value.field == "held_on"
    with pytest.raises(ChiboError) as exc:
        services.contact_meeting_record(actor=None, org=world.cell2, held_on=DAY, registration_ids=[reg.pk])
    assert exc.value.field == "attendees"
    with pytest.raises(ChiboError) as exc:  # before the registration
        services.contact_meeting_record(actor=None, org=world.cell, held_on=dt.date(2026, 1, 4), registration_ids=[reg.pk])
    assert not ContactMeeting.objects.exists()
    meeting = services.contact_meeting_record(actor=None, org=world.cell, held_on=DAY, registration_ids=[reg.pk], note="Gặp mặt")
    assert list(meeting.attendees.all()) == [reg] and _audits("residence.contact_meeting") == 1


def test_an_exempt_registration_gets_no_comment(world, agent):
    reg = register(world, agent, category="student", on=DAY)
    with pytest.raises(ChiboError):
        services.comment_save(actor=None, registration=reg, year=2026, text="x", assessment="good", commented_on=DAY)
    assert not ResidenceComment.objects.exists()


def test_comment_saved_edited_and_the_work_secretary_notified(world, agent):
    work_secretary = make_user("bithucoquan", role="secretary", org=agent.memberships.get().org)
    reg = register(world, agent, on=dt.date(2026, 1, 5))
    for bad, field in (({"commented_on": dt.date(2025, 12, 31)}, "commented_on"), ({"commented_on": DAY + dt.timedelta(days=1)}, "commented_on"),
                       ({"year": 2027}, "year"), ({"year": 2025, "commented_on": dt.date(2025, 6, 1)}, "year"), ({"assessment": "great"}, "assessment"),
                       ({"text": "  "}, "text")):
        kwargs = {"year": 2026, "text": "Tốt", "assessment": "good", "commented_on": DAY, **bad}
        with pytest.raises(ChiboError) as exc:
            services.comment_save(actor=world.users["secretary"], registration=reg, **kwargs)
        assert exc.value.field == field
    assert not ResidenceComment.objects.exists()
    comment = services.comment_save(actor=world.users["secretary"], registration=reg, year=2026, text="Gương mẫu", assessment="good", commented_on=DAY, front_head_name="Bà Lan")
    assert comment.author_name == world.secretary_member.full_name
    services.comment_save(actor=world.users["secretary"], registration=reg, year=2026, text="Hoàn thành", assessment="fulfilled", commented_on=DAY)
    assert ResidenceComment.objects.get().assessment == "fulfilled" and _audits("residence.comment") == 2
    assert Notification.objects.filter(user=work_secretary).count() == 2
