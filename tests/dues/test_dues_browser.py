"""Dues in a real Chromium: the secretary sets a member's basis and collects two months with one receipt,
the cell remits to the commune, the commune's staff see it in their report and download the .xlsx;
the member reads the receipt on a 360 px phone; the outsider gets 404."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import add_months, today
from chibo.dues.models import Receipt, Remittance
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World

pytestmark = pytest.mark.browser


def test_collect_remit_report_and_the_member_reads_the_receipt(bworld: World, context: BrowserContext, page: Page) -> None:
    this_month = today().replace(day=1)
    last_month = add_months(this_month, -1)
    member = bworld.member

    login(page, "bithu")
    page.goto(f"/members/{member.pk}/")
    page.get_by_test_id("dues-link").click()
    form = page.get_by_test_id("basis-form")
    form.locator("#id_category").select_option(value="salary")
    form.locator("#id_base_vnd").fill("7.000.000")
    form.locator("#id_month_from").fill(f"{last_month:%m/%Y}")
    page.get_by_test_id("basis-save").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu căn cứ đóng đảng phí.")
    expect(page.get_by_test_id("owing-vnd")).to_have_text("140.000 đ")

    page.get_by_test_id("collect").click()
    page.locator(f'input[name="months"][value="{last_month.isoformat()}"]').check()
    page.locator(f'input[name="months"][value="{this_month.isoformat()}"]').check()
    page.get_by_test_id("receipt-save").click()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("140.000 đ")
    expect(page.get_by_test_id("receipt-months")).to_have_text(f"{last_month:%m/%Y}, {this_month:%m/%Y}")
    receipt = Receipt.objects.get()
    assert (receipt.number, receipt.amount_vnd, receipt.months.count()) == (1, 140_000, 2)

    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("org-dues").click()
    expect(page.get_by_test_id("collected-month")).to_have_text("140.000 đ")
    remit = page.get_by_test_id("remit-form")
    expect(remit.locator("#id_amount_vnd")).to_have_value("98000")  # the cell keeps 30%
    expect(remit.locator("#id_to_org")).to_have_value(str(bworld.commune.pk))
    page.get_by_test_id("remit-save").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nộp đảng phí lên cấp trên.")
    assert Remittance.objects.get().to_org_id == bworld.commune.pk

    context.clear_cookies()
    login(page, "canboxa")
    page.goto(f"/dues/org/{bworld.commune.pk}/report/")
    expect(page.get_by_test_id("total-collected")).to_have_text("140.000 đ")
    expect(page.get_by_test_id("total-received")).to_have_text("98.000 đ")
    expect(page.get_by_test_id("received")).to_contain_text("Chi bộ thôn Trung Sơn")
    expect(page.get_by_test_id("chart-dues-months")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("report-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book["Dang phi"].iter_rows(values_only=True))
    assert rows[2][0] == "Đảng bộ xã Quảng Tân" and rows[2][2] == 140_000 and rows[2][6] == 98_000
    assert ("Chi bộ thôn Trung Sơn", 140_000) in [(r[0], r[2]) for r in rows[3:]]

    context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "dangvien")
    page.goto("/")
    page.get_by_test_id("home-dues-mine").get_by_role("link", name=re.compile("Biên lai")).click()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("140.000 đ")
    expect(page.get_by_test_id("receipt-member")).to_have_text(member.full_name)
    no_horizontal_scroll(page)

    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (f"/dues/member/{member.pk}/", f"/dues/receipts/{receipt.pk}/", f"/dues/cell/{bworld.cell.pk}/",
                f"/dues/org/{bworld.commune.pk}/report/", f"/dues/org/{bworld.commune.pk}/report.xlsx"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
