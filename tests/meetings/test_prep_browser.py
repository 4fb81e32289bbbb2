"""A browser journey through meeting preparation at 360 px: create, edit the agenda with HTMX, publish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser.helpers import login, shot  # noqa: E402
from tests.factories import World  # noqa: E402

pytestmark = pytest.mark.browser


def test_the_secretary_prepares_and_publishes_a_meeting_on_a_phone(page: Page, bworld: World) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("cell-meetings").click()
    page.get_by_text("Tạo cuộc họp mới").click()
    page.locator("#id_place").fill("Nhà văn hóa thôn")
    page.get_by_test_id("create-meeting").click()
    expect(page.get_by_test_id("meeting-title")).to_contain_text("Sinh hoạt thường kỳ")
    page.get_by_text("Thêm nội dung", exact=True).click()
    page.locator("#new-title").fill("Xét kết nạp quần chúng ưu tú")
    page.get_by_test_id("agenda-add").get_by_role("button", name="Thêm").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Xét kết nạp quần chúng ưu tú")
    shot(page, "meeting-prep-detail")
    page.get_by_test_id("publish").click()
    page.get_by_test_id("confirm-publish").click()
    expect(page.get_by_test_id("meeting-status")).to_contain_text("Đã thông báo")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 360:
        print(page.evaluate("""Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 362).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 60))"""))
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px)"


def test_the_secretary_records_the_cells_term_on_a_phone(page: Page, bworld: World) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    expect(page.get_by_test_id("cell-term")).to_contain_text("Chưa ghi nhiệm kỳ")
    page.get_by_test_id("cell-terms-link").click()
    form = page.get_by_test_id("term-form")
    form.get_by_label("Tên nhiệm kỳ").fill("2025–2030")
    form.get_by_label("Ngày đại hội (dd/mm/yyyy)").fill("20/04/2025")
    form.get_by_label("Bắt đầu nhiệm kỳ (dd/mm/yyyy)").fill("20/04/2025")
    # A four-year term is neither 2.5 nor 5 years (±6 months): refused with the rule named, the input kept.
    form.get_by_label("Kết thúc nhiệm kỳ (dd/mm/yyyy)").fill("20/04/2029")
    page.get_by_test_id("save-term").click()
    expect(page.get_by_test_id("error-ends_on")).to_contain_text("294-QĐ/TW")
    expect(page.get_by_test_id("term-form").get_by_label("Tên nhiệm kỳ")).to_have_value("2025–2030")
    page.get_by_test_id("term-form").get_by_label("Kết thúc nhiệm kỳ (dd/mm/yyyy)").fill("20/04/2030")
    page.get_by_test_id("save-term").click()
    expect(page.get_by_test_id("terms")).to_contain_text("2025–2030")
    expect(page.get_by_test_id("current-term")).to_contain_text("20/04/2030")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"/org/{bworld.cell.pk}/")
    expect(page.get_by_test_id("cell-term")).to_contain_text("Nhiệm kỳ 2025–2030")
