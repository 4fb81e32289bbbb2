"""Petition services: the state machine, routing up the tree, who may act, deadlines, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings.models import MeetingStatus, Notification
from chibo.petitions import services
from chibo.petitions.models import EventKind, Petition, PetitionEvent, RaisedVia, Status
from tests.factories import World, make_member, vn
from tests.meetings.factories import make_meeting
from tests.petitions.factories import at_commune, raise_petition

pytestmark = pytest.mark.django_db


def _state(petition: Petition) -> tuple:
    fresh = Petition.objects.get(pk=petition.pk)
    return (fresh.status, fresh.holder_id, fresh.holder_external, fresh.deadline, PetitionEvent.objects.filter(petition=petition).count(),
            AuditEvent.objects.filter(object_type="petitions.petition", object_id=petition.pk).count())


def test_raise_writes_the_petition_its_timeline_and_audit_and_tells_the_secretary(world: World) -> None:
    petition = raise_petition(world)
    assert petition.status == Status.OPEN and petition.holder_id is None and petition.deadline is None
    assert [e.kind for e in petition.events.all()] == [EventKind.RAISED]
    audit = AuditEvent.objects.get(object_type="petitions.petition", object_id=petition.pk)
    assert audit.verb == "petition.raised"
    assert "Lê Văn Dân" not in str(audit.after) and "0912345678" not in str(audit.after)  # identity not in the audit
    assert Notification.objects.filter(user=world.users["secretary"], url=f"/petitions/{petition.pk}/").exists()


def test_raise_refuses_a_member_of_another_cell_and_a_missing_raiser(world: World) -> None:
    with pytest.raises(ChiboError, match="không sinh hoạt tại chi bộ"):
        raise_petition(world, raised_by=world.other_member)
    with pytest.raises(ChiboError) as exc:
        raise_petition(world, raised_by=None, raised_by_name="  ")
    assert exc.value.field == "raised_by_name"
    with pytest.raises(ChiboError):
        raise_petition(world, raised_via=RaisedVia.MEETING)  # a meeting petition names its meeting
    with pytest.raises(ChiboError):
        raise_petition(world, cell=world.commune)  # raised in a cell only
    with pytest.raises(ChiboError):
        raise_petition(world, category="weather")
    assert not Petition.objects.exists()


def test_briefing_raise_names_a_resident_only(world: World) -> None:
    petition = services.petition_raise(
        actor=world.users["staff"], cell=world.cell, raised_via="briefing", raised_by_name="Trưởng thôn Trung Sơn",
        category="land", title="Cấp giấy chứng nhận", text="Chậm cấp giấy chứng nhận quyền sử dụng đất.",
    )
    assert petition.raised_via == RaisedVia.BRIEFING and petition.raised_by_id is None


@time_machine.travel(vn(2026, 4, 6, 9), tick=False)
def test_send_to_the_commune_sets_a_deadline_that_skips_the_holiday(world: World) -> None:
    petition = at_commune(world)
    # 15 working days from Monday 06/04/2026 would be 27/04, the Hùng Kings day made up: the next day.
    assert petition.deadline == dt.date(2026, 4, 28)
    assert petition.status == Status.AT_LEVEL and petition.holder_id == world.commune.pk
    assert Notification.objects.filter(user=world.users["staff"]).exists()
    assert not Notification.objects.filter(user=world.users["province"], subject__startswith="Kiến nghị chờ").exists()


def test_send_to_a_committee_not_above_the_cell_is_refused_and_writes_nothing(world: World) -> None:
    petition = raise_petition(world)
    before = _state(petition)
    for wrong in (world.other_commune.pk, world.cell2.pk, world.cell.pk, world.other_cell.pk):
        with pytest.raises(ChiboError, match="cấp ủy cấp trên của mình") as exc:
            services.petition_send(actor=world.users["secretary"], petition=petition, to_org_id=wrong)
        assert exc.value.field == "to_org"
    assert _state(petition) == before


def test_send_to_an_outside_authority_then_the_cell_relays_its_answer(world: World) -> None:
    petition = services.petition_send(actor=world.users["secretary"], petition=raise_petition(world), to_external="UBND xã Quảng Tân")
    assert petition.holder_id is None and petition.holder_external == "UBND xã Quảng Tân" and petition.deadline
    with pytest.raises(ChiboError):  # an outside authority's answer is relayed by the cell's secretary, not a member
        services.petition_answer(actor=world.users["member"], petition=petition, text="Đã có kế hoạch.")
    services.petition_answer(actor=world.users["secretary"], petition=petition, text="UBND xã trả lời: đã có kế hoạch sửa.")
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED and petition.answered_by_external == "UBND xã Quảng Tân"


def test_send_refuses_both_or_neither_destination(world: World) -> None:
    petition = raise_petition(world)
    with pytest.raises(ChiboError):
        services.petition_send(actor=world.users["secretary"], petition=petition)
    with pytest.raises(ChiboError):
        services.petition_send(actor=world.users["secretary"], petition=petition, to_org_id=world.commune.pk, to_external="UBND xã")
    with pytest.raises(ChiboError):
        services.petition_send(actor=world.users["member"], petition=petition, to_org_id=world.commune.pk)  # not the secretary
    assert Petition.objects.get(pk=petition.pk).status == Status.OPEN


def test_forward_only_to_a_committee_above_the_holder(world: World) -> None:
    petition = at_commune(world)
    before = _state(petition)
    for wrong in (world.other_commune.pk, world.commune.pk, world.cell.pk):
        with pytest.raises(ChiboError, match="cấp trên của cấp đang giữ"):
            services.petition_forward(actor=world.users["staff"], petition=petition, to_org_id=wrong)
    assert _state(petition) == before
    services.petition_forward(actor=world.users["staff"], petition=petition, to_org_id=world.province.pk, note="Vượt thẩm quyền xã.")
    petition.refresh_from_db()
    assert petition.holder_id == world.province.pk and petition.status == Status.AT_LEVEL
    event = petition.events.get(kind=EventKind.FORWARDED)
    assert (event.from_holder_id, event.to_holder_id, event.text) == (world.commune.pk, world.province.pk, "Vượt thẩm quyền xã.")


@pytest.mark.parametrize("persona", ["member", "secretary", "province", "outsider"])
def test_an_answer_by_someone_not_handling_it_is_refused(world: World, persona: str) -> None:
    """At the commune, only the commune's own staff (or admin) answer: not the cell, not the
    province above (its grant covers the commune's subtree, but it does not hold the petition)."""
    petition = at_commune(world)
    before = _state(petition)
    with pytest.raises(ChiboError, match="người xử lý"):
        services.petition_answer(actor=world.users[persona], petition=petition, text="Trả lời.")
    with pytest.raises(ChiboError):
        services.petition_forward(actor=world.users[persona], petition=petition, to_org_id=world.province.pk)
    with pytest.raises(ChiboError):
        services.petition_return(actor=world.users[persona], petition=petition, question="?")
    assert _state(petition) == before


def test_admin_may_answer_anywhere(world: World) -> None:
    petition = services.petition_answer(actor=world.users["admin"], petition=at_commune(world), text="Trả lời của quản trị.")
    assert petition.status == Status.ANSWERED and petition.answered_by_org_id == world.commune.pk


def test_answer_read_out_close(world: World) -> None:
    petition = at_commune(world)
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    with pytest.raises(ChiboError):
        services.petition_read_out(actor=world.users["secretary"], petition=petition, meeting=meeting)  # not answered yet
    services.petition_answer(actor=world.users["staff"], petition=petition, text="Xã sẽ sửa cầu trong quý I.")
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED and petition.holder_id is None and petition.deadline is None
    assert Notification.objects.filter(user=world.users["secretary"], subject__contains="đã được trả lời").exists()
    with pytest.raises(ChiboError):
        services.petition_close(actor=world.users["secretary"], petition=petition)  # not read out yet
    other = make_meeting(world.cell2, status=MeetingStatus.PUBLISHED)
    with pytest.raises(ChiboError, match="không phải của chi bộ"):
        services.petition_read_out(actor=world.users["secretary"], petition=petition, meeting=other)
    services.petition_read_out(actor=world.users["secretary"], petition=petition, meeting=meeting)
    with pytest.raises(ChiboError):
        services.petition_read_out(actor=world.users["secretary"], petition=petition, meeting=meeting)
    services.petition_close(actor=world.users["secretary"], petition=petition, note="Người dân đồng tình.")
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.read_out_meeting_id == meeting.pk
    kinds = list(petition.events.values_list("kind", flat=True))
    assert kinds == ["raised", "sent", "answered", "read_out", "closed"]
    assert AuditEvent.objects.filter(object_type="petitions.petition", object_id=petition.pk).count() == len(kinds)


def test_reopen_goes_back_to_the_level_that_answered(world: World) -> None:
    petition = at_commune(world)
    services.petition_forward(actor=world.users["staff"], petition=petition, to_org_id=world.province.pk)
    services.petition_answer(actor=world.users["province"], petition=petition, text="Tỉnh đã bố trí vốn.")
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    services.petition_read_out(actor=world.users["secretary"], petition=petition, meeting=meeting)
    with pytest.raises(ChiboError) as exc:
        services.petition_reopen(actor=world.users["secretary"], petition=petition, reason=" ")
    assert exc.value.field == "reason"
    services.petition_reopen(actor=world.users["secretary"], petition=petition, reason="Chưa thấy triển khai.")
    petition.refresh_from_db()
    assert petition.status == Status.REOPENED and petition.holder_id == world.province.pk and petition.deadline
    assert petition.read_out_at is not None  # kept until answered again
    services.petition_answer(actor=world.users["province"], petition=petition, text="Khởi công tháng sau.")
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED and petition.read_out_at is None


def test_return_then_send_again_and_close_out_of_scope(world: World) -> None:
    petition = at_commune(world)
    services.petition_return(actor=world.users["staff"], petition=petition, question="Cầu ở xóm nào?")
    petition.refresh_from_db()
    assert petition.status == Status.RETURNED and petition.holder_id is None
    services.petition_send(actor=world.users["secretary"], petition=petition, to_org_id=world.commune.pk, note="Xóm 3.")
    with pytest.raises(ChiboError) as exc:
        services.petition_close_out_of_scope(actor=world.users["staff"], petition=petition, reason="")
    assert exc.value.field == "reason"
    services.petition_close_out_of_scope(actor=world.users["staff"], petition=petition, reason="Thuộc thẩm quyền ngành điện.")
    petition.refresh_from_db()
    assert petition.status == Status.OUT_OF_SCOPE and petition.closed_reason
    with pytest.raises(ChiboError):
        services.petition_answer(actor=world.users["staff"], petition=petition, text="x")


def test_the_database_refuses_a_held_petition_without_a_holder(world: World) -> None:
    petition = raise_petition(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(status=Status.AT_LEVEL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(status=Status.CLOSED)


def test_text_too_long_is_refused(world: World) -> None:
    with pytest.raises(ChiboError) as exc:
        raise_petition(world, title="x" * 201)
    assert exc.value.field == "title"


def test_a_member_moved_away_cannot_be_named(world: World) -> None:
    stranger = make_member(world.cell2, given_name="Bình")
    with pytest.raises(ChiboError):
        raise_petition(world, raised_by=stranger)
