"""Discipline pages: forms with their Vietnamese errors, scope (404 outside), query counts pinned."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from chibo.discipline import services
from chibo.discipline.models import Exemption, Reconciliation, Removal
from chibo.members.models import Status, StatusPeriod
from chibo.orgs import services as org_services
from chibo.orgs.models import OrgKind
from tests.discipline.factories import discipline_scene
from tests.factories import START, VN, make_member

NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=VN)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


def test_the_secretary_records_an_application_and_the_cell_decides(world, client_for, frozen):
    client = client_for("secretary")
    url = reverse("discipline:exemption_apply", args=[world.member.pk])
    bad = client.post(url, {"applied_on": "31/02/2026"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Hãy chọn hình thức xin miễn." in html and "Hãy chọn lý do xin miễn." in html and not Exemption.objects.exists()
    response = client.post(url, {"applied_on": "01/09/2026", "form": "written", "ground": "health"})
    found = Exemption.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("discipline:exemption", args=[found.pk])
    decide = reverse("discipline:exemption_decide", args=[found.pk])
    refused = client.post(decide, {"approve": "no", "decided_on": "10/09/2026"})
    assert refused.status_code == 400 and "Hãy ghi lý do chi bộ không đồng ý." in refused.content.decode()
    assert client.post(decide, {"approve": "yes", "decided_on": "10/09/2026", "note": "5/5 đồng ý"}).status_code == 302
    assert StatusPeriod.objects.get(member=world.member, valid_to=dt.date(9999, 12, 31)).status == Status.EXEMPTED
    page = client_for("staff").get(reverse("discipline:org", args=[world.commune.pk])).content.decode()
    assert "Đặng Thị Hồng" in page  # reported upward: the commune sees it


def test_a_probationary_dismissal_is_refused_under_its_field(world, client_for, frozen):
    member = make_member(world.cell, given_name="Dũng", born=dt.date(1998, 1, 1), admitted_on=dt.date(2026, 3, 1), official_on=None, joined_on=dt.date(2026, 3, 1))
    data = {"kind": "dismissal", "decided_on": "15/09/2026", "deciding_body": "Đảng ủy xã", "document_number": "3-QĐ/ĐU", "reason": "Vi phạm"}
    response = client_for("secretary").post(reverse("discipline:record_add", args=[member.pk]), data)
    assert response.status_code == 400 and "chỉ bị kỷ luật bằng hình thức khiển trách hoặc cảnh cáo" in response.content.decode()
    ok = client_for("secretary").post(reverse("discipline:record_add", args=[member.pk]), {**data, "kind": "reprimand"})
    assert ok.status_code == 302
    page = client_for("secretary").get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Khiển trách" in page and "3-QĐ/ĐU" in page


def test_the_member_sees_their_own_record_and_not_the_cells_page(world, client_for, frozen):
    services.record_add(actor=None, member=world.member, kind="warning", decided_on=frozen, deciding_body="Chi bộ", reason="Vi phạm", document_number="7-QĐ")
    client = client_for("member")
    assert "7-QĐ" in client.get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert client.get(reverse("discipline:org", args=[world.cell.pk])).status_code == 404


def test_outsider_gets_404_everywhere(world, client_for, frozen):
    scene = discipline_scene(world)
    client = client_for("outsider")
    for url in (
        reverse("discipline:org", args=[world.cell.pk]), reverse("discipline:reconcile", args=[world.cell.pk]),
        reverse("discipline:exemption", args=[scene.exemption.pk]), reverse("discipline:removal", args=[scene.removal.pk]),
        reverse("discipline:flag", args=[scene.flag.pk]), reverse("discipline:record_add", args=[world.member.pk]),
    ):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("discipline:removal_decide", args=[scene.removal.pk]), {"approve": "yes"}).status_code == 404
    assert Removal.objects.get().status == "proposed"


def test_the_secretary_cannot_decide_a_removal(world, client_for, frozen):
    scene = discipline_scene(world)
    data = {"approve": "yes", "decided_on": "15/09/2026", "document_number": "9-QĐ/ĐU"}
    assert client_for("secretary").post(reverse("discipline:removal_decide", args=[scene.removal.pk]), data).status_code == 404
    assert client_for("staff").post(reverse("discipline:removal_decide", args=[scene.removal.pk]), data).status_code == 302
    removal = Removal.objects.get()
    assert removal.status == "removed" and removal.deciding_org_id == world.commune.pk


def test_reconciliation_due_on_day_six_months_plus_one(world, client_for):
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=VN), tick=False):
        services.reconciliation_record(actor=None, cell=world.cell, checked_on=dt.date(2026, 1, 15), checked_by="A", book_current=2, book_left=0, book_deceased=0)
        services.reconciliation_record(actor=None, cell=world.cell2, checked_on=dt.date(2026, 1, 15), checked_by="A", book_current=0, book_left=0, book_deceased=0)
    for day, overdue in ((dt.date(2026, 7, 15), False), (dt.date(2026, 7, 16), True)):
        with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=VN), tick=False):
            cell_page = client_for("secretary").get(reverse("orgs:detail", args=[world.cell.pk])).content.decode()
            assert ('data-testid="reconcile-overdue"' in cell_page) is overdue, day
            home = client_for("secretary").get(reverse("core:home")).content.decode()
            assert ('data-testid="home-discipline-due"' in home) is overdue, day
            staff_home = client_for("staff").get(reverse("core:home")).content.decode()
            assert ('data-testid="home-discipline-overdue"' in staff_home) is overdue, day


def test_the_reconcile_form_shows_errors_under_fields(world, client_for, frozen):
    url = reverse("discipline:reconcile", args=[world.cell.pk])
    response = client_for("secretary").post(url, {"checked_on": "15/09/2026", "checked_by": "B", "book_current": "-1", "book_left": "x", "book_deceased": "0"})
    assert response.status_code == 400 and response.content.decode().count("Hãy nhập số đảng viên (0 trở lên).") == 2
    mismatch = client_for("secretary").post(url, {"checked_on": "15/09/2026", "checked_by": "B", "book_current": "5", "book_left": "0", "book_deceased": "0"})
    assert mismatch.status_code == 400 and "hãy ghi chênh lệch tìm thấy" in mismatch.content.decode()
    ok = client_for("secretary").post(url, {"checked_on": "15/09/2026", "checked_by": "B", "book_current": "2", "book_left": "0", "book_deceased": "0"})
    assert ok.status_code == 302 and Reconciliation.objects.get().matches


NAMES = ["Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mai"]


def _more_cells(world, n: int) -> None:
    for i in range(n):
        cell = org_services.org_create(actor=None, name=f"Chi bộ số {i}", kind=OrgKind.CELL, parent=world.commune, on=START)
        member = make_member(cell, given_name=NAMES[i])
        scene_member = make_member(cell, given_name=NAMES[i + 4])
        services.exemption_apply(actor=None, member=member, applied_on=dt.date(2026, 9, 1), form="written", ground="age")
        services.record_add(actor=None, member=scene_member, kind="warning", decided_on=dt.date(2026, 9, 1), deciding_body="Chi bộ", reason="Vi phạm", document_number="1")
        services.removal_propose(actor=None, member=scene_member, ground="card", reason="Trả thẻ", proposed_on=dt.date(2026, 9, 1))


@pytest.mark.parametrize("name", ["discipline:org", "discipline:reconciliations"])
def test_list_query_counts_do_not_grow(world, client_for, frozen, django_assert_num_queries, name):
    discipline_scene(world)
    client = client_for("staff")
    url = reverse(name, args=[world.commune.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    _more_cells(world, 4)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
