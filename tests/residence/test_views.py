from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.dates import fmt_date, today
from chibo.residence import services
from chibo.residence.models import Registration
from tests.factories import make_user
from tests.residence.factories import agency_cell, agency_member, register, residence_scene

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_commune_registers_a_member_working_outside_it_by_the_letter(world, client_for):
    """The member works in an agency of the other commune: the staff cannot browse them, but the
    introduction letter's card number and name identify them."""
    far = agency_member(agency_cell(world.other_commune, name="Chi bộ Công an xã Đại Bình"), card="87654321")
    url = reverse("residence:register", args=[world.commune.pk])
    data = {"card_number": "87654321", "full_name": "Lê Văn Cường", "residence_org": world.cell.pk, "category": "",
            "introduced_on": fmt_date(today()), "registered_on": fmt_date(today()), "introduction_ref": "05-GGT"}
    bad = client_for("staff").post(url, {**data, "full_name": "Lê Văn Khác"})
    assert bad.status_code == 400 and "Không tìm thấy đảng viên có số thẻ" in bad.content.decode()
    refused = client_for("staff").post(url, {**data, "category": "special_duty"})
    assert refused.status_code == 400 and "33-HD/BTCTW" in refused.content.decode()
    assert not Registration.objects.exists()
    ok = client_for("staff").post(url, data)
    reg = Registration.objects.get()
    assert ok.status_code == 302 and reg.member_id == far.pk


def test_required_fields_answer_in_vietnamese_under_their_fields(world, client_for):
    response = client_for("staff").post(reverse("residence:register", args=[world.commune.pk]), {})
    body = response.content.decode()
    assert response.status_code == 400
    for message in ("Hãy chọn đảng viên, hoặc nhập số thẻ", "Hãy nhập ngày giới thiệu.", "Hãy nhập ngày tiếp nhận."):
        assert message in body


def test_the_residence_side_sees_name_and_work_cell_only(world, client_for):
    scene = residence_scene(world)
    secretary = client_for("secretary")
    page = secretary.get(reverse("residence:registration", args=[scene.registration.pk])).content.decode()
    assert scene.member.full_name in page and "Chi bộ Ủy ban nhân dân xã" in page
    assert scene.member.citizen_id not in page
    assert secretary.get(reverse("members:detail", args=[scene.member.pk])).status_code == 404


def test_the_comment_reaches_the_work_secretary_not_an_outsider(world, client_for):
    scene = residence_scene(world)
    work = _client(make_user("bithucoquan", role="secretary", org=scene.work_cell))
    page = work.get(reverse("members:detail", args=[scene.member.pk])).content.decode()
    assert 'data-testid="member-residence"' in page and scene.comment.text in page
    received = work.get(reverse("residence:received", args=[scene.work_cell.pk])).content.decode()
    assert scene.comment.text in received
    home = work.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-residence-received"' in home
    outsider = client_for("outsider")
    assert outsider.get(reverse("members:detail", args=[scene.member.pk])).status_code == 404
    assert outsider.get(reverse("residence:registration", args=[scene.registration.pk])).status_code == 404
    assert outsider.get(reverse("residence:received", args=[scene.work_cell.pk])).status_code == 404


def test_home_of_the_residence_secretary(world, client_for):
    register(world, agency_member(agency_cell(world.commune)))
    home = client_for("secretary").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-residence-cells"' in home and "chưa gặp 6 tháng này" in home


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_keep_their_query_count(world, client_for):
    work = agency_cell(world.commune)
    first = register(world, agency_member(work, given_name="An", card="20000001"))
    services.comment_save(actor=world.users["staff"], registration=first, year=today().year, text="Tốt", assessment="good", commented_on=today())
    staff, secretary = client_for("staff"), client_for("secretary")
    urls = [(secretary, reverse("residence:cell", args=[world.cell.pk])), (staff, reverse("residence:register", args=[world.commune.pk])),
            (staff, reverse("residence:report", args=[world.commune.pk])), (staff, reverse("residence:received", args=[world.commune.pk]))]
    few = [_count(c, u) for c, u in urls]
    for i, name in enumerate(["Bình", "Chi", "Dũng"]):
        reg = register(world, agency_member(work, given_name=name, card=f"2000001{i}"), at=world.cell2 if i else world.cell)
        services.comment_save(actor=world.users["staff"], registration=reg, year=today().year, text="Tốt", assessment="good", commented_on=today())
    assert [_count(c, u) for c, u in urls] == few == [7, 10, 7, 6]


def test_report_xlsx(world, client_for):
    residence_scene(world)
    response = client_for("province").get(reverse("residence:report_xlsx", args=[world.province.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][1:] == (1, 1, 0, 0, 0)
