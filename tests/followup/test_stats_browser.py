"""The follow-up statistics in a real Chromium (issue 8 §6): the province staff reach them from the
organisation page, read the same figures as the records, drill down to a commune, get a clear
message for a bad year, download the .xlsx and read it on a phone; the outsider gets 404."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World
from tests.followup.factories import AFTER_MOVE, YEAR, build

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_the_province_reads_drills_down_and_exports(bworld: World, context: BrowserContext, page: Page) -> None:
    build(bworld)
    login(page, "canbotinh")
    page.goto(f"/org/{bworld.province.pk}/?as_of={AFTER_MOVE:%d/%m/%Y}")
    page.get_by_test_id("followup-stats").click()
    expect(page.get_by_test_id("stats-title")).to_contain_text("Đảng bộ tỉnh Quảng Ninh")
    # The year and tree date in the form's boxes; the figures of the records (tests/followup/factories.py).
    page.get_by_label("Năm", exact=True).fill(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("stats-period")).to_contain_text(f"{AFTER_MOVE:%d/%m/%Y}")
    expect(page.get_by_test_id("tasks-open")).to_have_text("3")
    expect(page.get_by_test_id("tasks-overdue")).to_have_text("2")
    expect(page.get_by_test_id("petitions-escalated")).to_have_text("1")
    expect(page.get_by_test_id("petitions-median")).to_have_text("14,5")
    for chart in ("tasks", "petitions", "briefings", "inspections"):
        expect(page.get_by_test_id(f"chart-{chart}")).to_be_visible()

    # Drill down to the commune: its cells are listed.
    page.get_by_test_id("stats-children").get_by_role("link", name="Đảng bộ xã Quảng Tân").click()
    expect(page.get_by_test_id("stats-title")).to_contain_text("Đảng bộ xã Quảng Tân")
    expect(page.get_by_test_id("stats-children")).to_contain_text("Chi bộ thôn Trung Sơn")

    # A bad year: said under the box, the page still shows figures.
    page.get_by_label("Năm", exact=True).fill("1999")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("error-year")).to_have_text("Năm không hợp lệ (từ 2000 đến 2100).")
    expect(page.get_by_test_id("tasks")).to_be_visible()
    page.get_by_label("Năm", exact=True).fill(str(YEAR))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("error-year")).to_have_count(0)

    # The .xlsx: a real workbook with the commune's figures.
    with page.expect_download() as download:
        page.get_by_test_id("stats-xlsx").click()
    path = download.value.path()
    assert path is not None
    book = load_workbook(io.BytesIO(path.read_bytes()))
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    assert "Đảng bộ xã Quảng Tân" in text

    # On a phone, nothing pushes the page sideways.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("tasks")).to_be_visible()
    no_horizontal_scroll(page)
    url = page.url

    context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "nguoingoai")
    response = page.goto(url)
    assert response is not None and response.status == 404
