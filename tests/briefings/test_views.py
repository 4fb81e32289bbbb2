"""Briefing pages: the year's list (query count pinned), plan form, detail with taps, issue form,
the PDF record read back with pdftotext, and the home parts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.briefings import services
from chibo.briefings.models import Briefing, BriefingAttendance, BriefingIssue
from tests.briefings.factories import held_on
from tests.factories import make_member, vn
from tests.meetings.test_docs_documents import check_pdf

pytestmark = pytest.mark.django_db
NOW = vn(2026, 5, 10, 10, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _plan(world):
    return services.plan_year(actor=world.users["staff"], committee=world.commune, year=2026, days={})


def test_list_planned_and_held_query_count(world, client_for, frozen):
    briefings = _plan(world)
    client = client_for("staff")
    url = reverse("briefings:org", args=[world.commune.pk]) + "?year=2026"
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Đã tổ chức: 0 · Dự kiến: 4" in body
    assert "Một buổi giao ban đã qua ngày dự kiến" in body  # the first quarter's, 25/03
    # more briefings, more invitees: the same number of queries
    from chibo.members import services as member_services

    member = make_member(world.cell2, surname="Lê", middle_name="Văn", given_name="Tư", born=dt.date(1980, 1, 1))
    member_services.position_assign(actor=None, member=member, kind="secretary", on=dt.date(2021, 1, 1))
    for b in briefings:
        services.refresh_invitees(actor=world.users["staff"], briefing=b)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few) <= 12


def test_plan_form_bad_input_and_cell(world, client_for, frozen):
    client = client_for("staff")
    url = reverse("briefings:plan_year", args=[world.commune.pk]) + "?year=2026"
    assert "Ngày giao ban kỳ 4" in client.get(url).content.decode()
    response = client.post(url, {"year": "năm nay", "time": "25:99", "day_1": "31/02/2026"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Năm không hợp lệ." in body and "31/02/2026 không phải ngày có thật." in body
    response = client.post(reverse("briefings:plan_year", args=[world.cell.pk]), {"year": "2026", "time": "08:00"})
    assert response.status_code == 400 and "Chỉ cấp ủy cấp trên chi bộ" in response.content.decode()
    assert not Briefing.objects.exists()
    response = client.post(url, {"year": "2026", "time": "07:30", "day_3": "15/09/2026"})
    assert response.status_code == 302
    assert Briefing.objects.get(period=3).starts_at == vn(2026, 9, 15, 7, 30)


def test_detail_taps_issue_and_hold(world, client_for, frozen):
    briefing = held_on(_plan(world)[1], dt.date(2026, 5, 10))
    client = client_for("staff")
    page = client.get(reverse("briefings:detail", args=[briefing.pk])).content.decode()
    assert "Nguyễn Văn Hùng" in page and "Bí thư chi bộ, trưởng thôn" in page
    mark = reverse("briefings:mark", args=[briefing.pk])
    response = client.post(mark, {"member": world.member.pk, "status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "không có tên trong danh sách mời" in response.content.decode()
    response = client.post(mark, {"member": world.secretary_member.pk, "status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="batt-{world.secretary_member.pk}"' in response.content.decode()
    assert BriefingAttendance.objects.get(briefing=briefing).status == "present"
    response = client.post(reverse("briefings:issue_add", args=[briefing.pk]), {"text": "", "owner": world.other_member.pk, "kind": "task"})
    body = response.content.decode()
    assert response.status_code == 400 and "Hãy ghi nội dung vấn đề." in body and 'id="id_owner"' in body
    assert not BriefingIssue.objects.exists()
    response = client.post(reverse("briefings:issue_add", args=[briefing.pk]), {"text": "Cần sửa cống thôn Trung Sơn", "cell": world.cell.pk, "owner": world.secretary_member.pk, "kind": "task"})
    assert response.status_code == 302
    response = client.post(reverse("briefings:status", args=[briefing.pk]), {"hold": "1"})
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == "held"
    response = client.post(reverse("briefings:status", args=[briefing.pk]), {"cancel": "1", "reason": ""})
    assert response.status_code == 400 and "Hãy ghi lý do hủy." in response.content.decode()


def test_pdf_record(world, client_for, frozen):
    briefing = held_on(_plan(world)[1], dt.date(2026, 5, 10))
    staff = world.users["staff"]
    services.briefing_update(actor=staff, briefing=briefing, starts_at=vn(2026, 5, 10, 8), place="Hội trường Đảng ủy xã", chair_name="Phạm Văn Bình", recorder_name="Lý Thị Thu")
    services.attendance_mark(actor=staff, briefing=briefing, member_id=world.secretary_member.pk, status="present")
    item = briefing.items.first()
    services.item_update(actor=staff, item=item, title=item.title, content="Chi bộ thôn Trung Sơn hoàn thành thu nộp đảng phí.", conclusion="Các chi bộ duy trì sinh hoạt đúng ngày 3.")
    services.issue_add(actor=staff, briefing=briefing, text="Đề nghị hỗ trợ kinh phí sửa nhà văn hóa", raised_by_name="Nguyễn Văn Hùng", cell_id=world.cell.pk, owner_id=world.secretary_member.pk, kind="petition")
    response = client_for("member").get(reverse("briefings:pdf", args=[briefing.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    draft = " ".join(check_pdf(response.content).split())
    assert "DỰ THẢO" in draft
    services.briefing_hold(actor=staff, briefing=briefing)
    text = " ".join(check_pdf(client_for("staff").get(reverse("briefings:pdf", args=[briefing.pk])).content).split())
    for expected in (
        "ĐẢNG BỘ TỈNH QUẢNG NINH", "ĐẢNG BỘ XÃ QUẢNG TÂN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Quảng Tân, ngày 10 tháng 5 năm 2026",
        "BIÊN BẢN", "Hội nghị giao ban quý II năm 2026", "Hồi 08 giờ 00 phút", "Hội trường Đảng ủy xã",
        "Chủ trì: đồng chí Phạm Văn Bình", "có mặt 1 đồng chí", "Nguyễn Văn Hùng, bí thư chi bộ, trưởng thôn — Chi bộ thôn Trung Sơn",
        "Chi bộ thôn Trung Sơn hoàn thành thu nộp đảng phí.", "Kết luận: Các chi bộ duy trì sinh hoạt đúng ngày 3.",
        "III. KIẾN NGHỊ, ĐỀ XUẤT", "Đề nghị hỗ trợ kinh phí sửa nhà văn hóa (Nguyễn Văn Hùng)", "Kiến nghị lên cấp trên; người phụ trách: đồng chí Nguyễn Văn Hùng",
        "THƯ KÝ", "CHỦ TRÌ", "Lý Thị Thu",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_home_parts(world, client_for, frozen):
    briefings = _plan(world)
    held_on(briefings[1], dt.date(2026, 5, 12))
    body = client_for("staff").get("/").content.decode()
    assert 'data-testid="home-next-briefing"' in body and "12/05/2026" in body
    assert 'data-testid="home-overdue-briefings"' in body and "25/03/2026" in body
    body = client_for("secretary").get("/").content.decode()
    assert 'data-testid="home-invited-briefing"' in body and "12/05/2026" in body
    body = client_for("member").get("/").content.decode()
    assert "home-briefings" not in body
    body = client_for("outsider").get("/").content.decode()
    assert "home-briefings" not in body


def test_cell_member_reads_the_briefing_its_secretary_is_invited_to(world, client_for, frozen):
    briefing = _plan(world)[0]
    client = client_for("member")
    assert client.get(reverse("briefings:detail", args=[briefing.pk])).status_code == 200
    assert "Ghi biên bản" not in client.get(reverse("briefings:detail", args=[briefing.pk])).content.decode()
    listing = client.get(reverse("briefings:org", args=[world.cell.pk]) + "?year=2026").content.decode()
    assert reverse("briefings:detail", args=[briefing.pk]) in listing
    assert client.get(reverse("briefings:org", args=[world.commune.pk])).status_code == 404


def test_a_bad_year_is_said_and_this_year_shown(world, client_for, frozen):
    _plan(world)
    body = client_for("staff").get(reverse("briefings:org", args=[world.commune.pk]) + "?year=20x6").content.decode()
    assert 'data-testid="year-error"' in body and "Năm không hợp lệ (từ 2000 đến 2100)." in body
    assert "Giao ban năm 2026" in body
