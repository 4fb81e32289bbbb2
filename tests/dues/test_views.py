"""Dues pages: forms answer in Vietnamese under their fields, outsiders get 404, query counts pinned."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo.dues import services
from chibo.dues.models import DuesBasis, DuesMonth, Receipt, Remittance
from tests.factories import make_member

D = dt.date


@pytest.fixture
def based(world, june):
    services.basis_set(actor=None, member=world.member, category="other", base_vnd=None, month_from=D(2026, 1, 1))
    return world


def test_secretary_sets_a_basis_and_errors_land_under_fields(world, client_for, june) -> None:
    c = client_for("secretary")
    url = reverse("dues:basis", args=[world.member.pk])
    r = c.post(url, {"category": "salary", "base_vnd": "", "month_from": "13/2026"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "không đúng dạng tháng mm/yyyy" in html
    r = c.post(url, {"category": "salary", "base_vnd": "", "month_from": "03/2026"})
    assert r.status_code == 400 and "Hãy nhập số tiền lương hoặc lương hưu" in r.content.decode()
    assert not DuesBasis.objects.exists()
    r = c.post(url, {"category": "salary", "base_vnd": "7.000.000", "month_from": "03/2026"})
    assert r.status_code == 302
    assert DuesBasis.objects.get().base_vnd == 7_000_000 and DuesMonth.objects.filter(member=world.member).count() == 4


def test_relief_13_months_refused_in_the_page(based, client_for) -> None:
    c = client_for("secretary")
    data = {"kind": "reduce", "reason": "illness", "note": "Đơn xin giảm", "percent": "30", "month_from": "01/2026", "month_to": "01/2027"}
    r = c.post(reverse("dues:relief", args=[based.member.pk]), data)
    assert r.status_code == 400 and "Mỗi lần giảm đảng phí không quá 12 tháng." in r.content.decode()
    r = c.post(reverse("dues:relief", args=[based.member.pk]), {**data, "month_to": "12/2026"})
    assert r.status_code == 302


def test_collect_two_months_then_the_member_sees_the_receipt(based, client_for) -> None:
    c = client_for("secretary")
    url = reverse("dues:receipt_new", args=[based.member.pk])
    page = c.get(url).content.decode()
    assert 'value="2026-01-01"' in page and 'value="2026-09-01"' in page
    r = c.post(url, {"months": ["2026-01-01", "2026-02-01"], "paid_on": "15/06/2026", "amount_vnd": "20.000", "method": "cash"})
    assert r.status_code == 400 and "30.000 đồng" in r.content.decode()
    r = c.post(url, {"months": ["2026-07-01"], "paid_on": "16/06/2026", "method": "portal"})
    assert r.status_code == 400
    assert "Ngày nộp không được sau hôm nay." in r.content.decode()
    assert not Receipt.objects.exists()
    r = c.post(url, {"months": ["2026-01-01", "2026-02-01"], "paid_on": "15/06/2026", "method": "cash"})
    receipt = Receipt.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("dues:receipt", args=[receipt.pk])
    mine = client_for("member").get(reverse("dues:receipt", args=[receipt.pk])).content.decode()
    assert "30.000 đ" in mine and "01/2026, 02/2026" in mine
    assert client_for("outsider").get(reverse("dues:receipt", args=[receipt.pk])).status_code == 404
    assert client_for("member").get(reverse("dues:receipt_new", args=[based.member.pk])).status_code == 404


def test_remit_from_the_cell_page(based, client_for) -> None:
    services.receipt_create(actor=None, member=based.member, months=[D(2026, 1, 1), D(2026, 2, 1)], paid_on=D(2026, 6, 1))
    c = client_for("secretary")
    page = c.get(reverse("dues:cell", args=[based.cell.pk])).content.decode()
    assert 'value="21000"' in page  # the share passed up, offered
    r = c.post(reverse("dues:remit", args=[based.cell.pk]), {"month": "06/2026", "to_org": str(based.other_commune.pk), "amount_vnd": "21000", "remitted_on": "15/06/2026"})
    assert r.status_code == 400 and not Remittance.objects.exists()
    r = c.post(reverse("dues:remit", args=[based.cell.pk]), {"month": "06/2026", "to_org": str(based.commune.pk), "amount_vnd": "21000", "remitted_on": "15/06/2026"})
    assert r.status_code == 302 and Remittance.objects.get().to_org_id == based.commune.pk
    report = client_for("staff").get(reverse("dues:report", args=[based.commune.pk])).content.decode()
    assert "21.000 đ" in report


def test_report_xlsx_agrees_with_the_page(based, client_for) -> None:
    services.receipt_create(actor=None, member=based.member, months=[D(2026, 1, 1)], paid_on=D(2026, 6, 1))
    r = client_for("staff").get(reverse("dues:report_xlsx", args=[based.commune.pk]) + "?year=2026&month=6")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["Dang phi"].iter_rows(values_only=True))
    assert rows[2][1:6] == (90_000, 15_000, 1, 60_000, 0)
    r = client_for("staff").get(reverse("dues:report", args=[based.commune.pk]) + "?year=abc&month=13")
    assert r.status_code == 400 and "Tháng từ 1 đến 12." in r.content.decode()


def test_region_page(world, client_for, june) -> None:
    c = client_for("staff")
    r = c.post(reverse("dues:region", args=[world.commune.pk]), {"region": "V"})
    assert r.status_code == 400
    assert c.post(reverse("dues:region", args=[world.commune.pk]), {"region": "III"}).status_code == 302
    assert "<b>III</b>" in c.get(reverse("dues:region", args=[world.commune.pk])).content.decode()
    assert client_for("secretary").get(reverse("dues:region", args=[world.cell.pk])).status_code == 404


def _more(world, n: int) -> None:
    for i in range(n):
        m = make_member(world.cell, given_name=["Ba", "Bốn", "Năm"][i], born=D(1980 + i, 1, 1))
        services.basis_set(actor=None, member=m, category="other", base_vnd=None, month_from=D(2026, 1, 1))
        services.receipt_create(actor=None, member=m, months=[D(2026, 1, 1)], paid_on=D(2026, 6, 1))


# session, user; grants; the cell's version; cell_dues: memberships, members, statuses, owing, bases,
# this month's receipts, remittances, receipts by month, region; the ancestors for the form.
CELL_QUERIES = 2 + 1 + 1 + 9 + 1
MEMBER_QUERIES = 2 + 1 + 1 + 1 + 5 + 2  # ...; the member; can edit; the account; the cell (membership, version)


@pytest.mark.parametrize("extra", [0, 3])
def test_query_counts_do_not_grow(based, client_for, django_assert_num_queries, extra) -> None:
    _more(based, extra)
    sec, staff = client_for("secretary"), client_for("staff")
    with django_assert_num_queries(CELL_QUERIES):
        assert sec.get(reverse("dues:cell", args=[based.cell.pk])).status_code == 200
    with django_assert_num_queries(MEMBER_QUERIES):
        assert sec.get(reverse("dues:member", args=[based.member.pk])).status_code == 200
    with django_assert_num_queries(REPORT_QUERIES):
        assert staff.get(reverse("dues:report", args=[based.commune.pk])).status_code == 200


REPORT_QUERIES = 2 + 1 + 1 + 8 + 1  # session, user; grants; the version; the report (subtree, children, 5 figures, received list); the region link
