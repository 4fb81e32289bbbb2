from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.transfers import services
from chibo.transfers.models import State, Transfer
from tests.factories import make_member, make_user, vn
from tests.transfers.factories import in_transit

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        yield


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_org_page_query_count_is_pinned(world, client_for, frozen):
    in_transit(world)
    client = client_for("staff")
    url = reverse("transfers:org", args=[world.commune.pk])
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert body.count(world.member.full_name) == 2  # incoming (cell2) and outgoing (cell): both in the commune
    for given in ("Bình", "Cường", "Dũng"):
        other = make_member(world.cell, given_name=given)
        in_transit(world, member=other, to=world.other_cell)
    services.transfer_start(actor=None, member=world.secretary_member, kind="temporary", on=dt.date(2026, 3, 2), to_text="Trường Chính trị", ends_on=dt.date(2026, 9, 2))
    with CaptureQueriesContext(connection) as more:
        body = client.get(url).content.decode()
    assert "Dũng" in body and "Trường Chính trị" in body
    assert len(more) == len(few) <= 12


def test_create_form_errors_in_vietnamese_under_fields(world, client_for, frozen):
    client = client_for("secretary")
    url = reverse("transfers:create", args=[world.member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "official", "on": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["on"] == ["Hãy nhập ngày."]
    assert "chỉ một trong hai" in form.errors["to_org"][0]
    response = client.post(url, {"kind": "temporary", "on": "02/03/2026", "ends_on": "02/05/2026", "to_text": "Trường Chính trị tỉnh"})
    assert response.status_code == 400
    assert "từ 3 tháng đến dưới 12 tháng" in response.context["form"].errors["ends_on"][0]
    assert Transfer.objects.count() == 0
    response = client.post(url, {"kind": "official", "on": "02/03/2026", "to_org": str(world.other_cell.pk)})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.state == State.DECIDED and transfer.to_org_id == world.other_cell.pk


def test_in_transit_visible_to_both_sides_and_nobody_else(world, client_for, frozen):
    member_url = reverse("members:detail", args=[world.member.pk])
    receiving = client_for("outsider")  # staff of the other commune
    stranger = _login(make_user("canbodongtam", role="staff", org=world.cell2))
    t = services.transfer_start(actor=None, member=world.member, kind="official", on=dt.date(2026, 3, 2), to_org=world.other_cell)
    assert receiving.get(member_url).status_code == 404  # decided only: not yet in transit
    services.transfer_issue_letter(actor=None, transfer=t, on=dt.date(2026, 3, 2), letter_number="3")
    detail = reverse("transfers:detail", args=[t.pk])
    for client in (client_for("staff"), client_for("secretary"), receiving):
        page = client.get(member_url)
        assert page.status_code == 200
        assert "Đang chuyển" in page.content.decode()
        assert client.get(detail).status_code == 200
    assert 'data-testid="transfer-new"' not in receiving.get(member_url).content.decode()  # read only
    assert reverse("members:edit", args=[world.member.pk]) not in receiving.get(member_url).content.decode()
    assert receiving.get(reverse("members:edit", args=[world.member.pk])).status_code == 404
    assert stranger.get(member_url).status_code == 404
    assert stranger.get(detail).status_code == 404
    assert client_for("member").get(detail).status_code == 404
    # both lists show it
    assert world.member.full_name in receiving.get(reverse("transfers:org", args=[world.other_commune.pk])).content.decode()
    assert world.member.full_name in client_for("staff").get(reverse("transfers:org", args=[world.commune.pk])).content.decode()
    # the receiving side's home
    assert 'data-testid="home-transfers-receive"' in receiving.get(reverse("core:home")).content.decode()


def test_step_by_the_wrong_side_is_refused(world, client_for, frozen):
    t = in_transit(world, to=world.other_cell)
    url = reverse("transfers:step", args=[t.pk])
    response = client_for("staff").post(url, {"on": "02/03/2026"})
    assert response.status_code == 400
    assert "Bước này do bên tiếp nhận thực hiện." in response.content.decode()
    assert client_for("outsider").post(url, {"on": "02/03/2026"}).status_code == 302
    t.refresh_from_db()
    assert t.state == State.PRESENTED
    response = client_for("outsider").post(url, {"on": "01/01/2026"})
    assert response.status_code == 400 and "trở đi" in response.content.decode()
    assert client_for("outsider").post(url, {"on": "02/03/2026"}).status_code == 302
    t.refresh_from_db()
    assert t.state == State.RECEIVED
    assert client_for("staff").get(reverse("members:detail", args=[world.member.pk])).status_code == 404


def test_letter_step_needs_its_number(world, client_for, frozen):
    t = services.transfer_start(actor=None, member=world.member, kind="official", on=dt.date(2026, 3, 2), to_org=world.cell2)
    response = client_for("secretary").post(reverse("transfers:step", args=[t.pk]), {"on": "02/03/2026", "letter_number": ""})
    assert response.status_code == 400
    assert response.context["step_form"].errors["letter_number"] == ["Hãy ghi số giấy giới thiệu."]


def test_cancel_from_the_page(world, client_for, frozen):
    t = in_transit(world)
    url = reverse("transfers:cancel", args=[t.pk])
    response = client_for("staff").post(url, {"on": "02/03/2026", "reason": ""})
    assert response.status_code == 400 and response.context["cancel_form"].errors["reason"] == ["Hãy ghi lý do hủy."]
    assert client_for("staff").post(url, {"on": "02/03/2026", "reason": "Không chuyển nữa"}).status_code == 302
    t.refresh_from_db()
    assert t.state == State.CANCELLED


def test_incoming_from_outside_through_the_pages(world, client_for, frozen):
    client = client_for("secretary")
    url = reverse("transfers:incoming_create", args=[world.cell.pk])
    response = client.post(url, {"person_name": "", "to_org": str(world.cell.pk)})
    assert response.status_code == 400 and response.context["form"].errors["person_name"] == ["Hãy ghi họ tên đảng viên."]
    response = client.post(url, {
        "person_name": "Lê Thị Hoa", "to_org": str(world.cell.pk), "from_text": "Đảng bộ phường Bạch Đằng", "letter_number": "45",
        "letter_on": "20/02/2026", "presented_on": "02/03/2026",
    })  # fmt: skip
    assert response.status_code == 302
    t = Transfer.objects.get()
    admit = reverse("transfers:admit", args=[t.pk])
    assert client.get(admit).status_code == 200
    from tests.factories import citizen_id

    response = client.post(admit, {
        "surname": "Lê", "middle_name": "Thị", "given_name": "Hoa", "sex": "female", "date_of_birth": "05/01/1990",
        "admitted_on": "19/05/2015", "official_on": "19/05/2016", "citizen_id": citizen_id(born=dt.date(1990, 1, 5), sex="female"),
        "joined_on": "02/03/2026", "theory_level": "",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    t.refresh_from_db()
    assert t.state == State.RECEIVED and t.member is not None
    body = client.get(reverse("members:detail", args=[t.member_id])).content.decode()
    assert 'data-testid="member-transfers"' in body


def test_member_page_links_to_a_new_transfer_and_keeps_the_correction(world, client_for, frozen):
    body = client_for("secretary").get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert reverse("transfers:create", args=[world.member.pk]) in body
    assert "Điều chỉnh chi bộ (sửa sai sót)" in body
    move = client_for("secretary").get(reverse("members:move", args=[world.member.pk])).content.decode()
    assert reverse("transfers:create", args=[world.member.pk]) in move
