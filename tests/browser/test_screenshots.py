"""Screenshots of the main pages on a phone (360 px) and a desk (1280 px), for people to look at.

Saved under test-artifacts/screenshots/<name>-<width>.png. Each page must also fit its width:
on a phone nothing may push the page sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import SCREENSHOTS, login, no_horizontal_scroll, shot
from tests.factories import World

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)


def test_screenshots_of_the_main_pages(page: Page, bworld: World) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/accounts/login/")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        no_horizontal_scroll(page)
        shot(page, "login")

    login(page, "canbotinh")
    pages = [
        ("tree-root", "/org/", "org-name"),
        ("commune", f"/org/{bworld.commune.pk}/", "children"),
        ("cell", f"/org/{bworld.cell.pk}/", "member-list"),
        ("member", f"/members/{bworld.secretary_member.pk}/", "membership-history"),
        ("search-results", "/members/?q=nguyen", "results"),
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, url, testid in pages:
            page.goto(url)
            expect(page.get_by_test_id(testid)).to_be_visible()
            no_horizontal_scroll(page)
            shot(page, name)

        page.goto(f"/members/new/?org={bworld.cell.pk}")
        page.locator("#id_surname").fill("Lê")
        page.locator("#id_middle_name").fill("Văn")
        page.locator("#id_given_name").fill("Tâm")
        page.locator("#id_date_of_birth").fill("02/09/1988")
        page.locator("#id_sex").select_option("male")
        page.locator("#id_citizen_id").fill("0221880001")
        page.locator("#id_admitted_on").fill("19/05/2012")
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("error-citizen_id")).to_have_text("Số căn cước phải có đúng 12 chữ số (đang có 10).")
        no_horizontal_scroll(page)
        shot(page, "member-form-error")


def test_screenshots_of_the_meeting_pages_on_a_phone(context: BrowserContext, page: Page, bworld: World) -> None:
    """The member's and the secretary's meeting pages at 360×640, first screen and whole page, and at 200% text."""
    from tests.browser.test_phone import PHONE, _meeting

    meeting = _meeting(bworld)
    page.set_viewport_size(PHONE)
    for username, pages in {
        "dangvien": [("checkin", f"/meetings/{meeting.pk}/checkin/"), ("meeting", f"/meetings/{meeting.pk}/"), ("profile", f"/members/{bworld.member.pk}/")],
        "bithu": [("attendance", f"/meetings/{meeting.pk}/attendance/"), ("cell", f"/org/{bworld.cell.pk}/"), ("minutes", f"/meetings/{meeting.pk}/minutes/")],
        "canboxa": [("stats", f"/meetings/stats/{bworld.commune.pk}/"), ("search", "/members/?q=nguyen")],
        "quantri": [("accounts", "/accounts/users/")],
    }.items():
        context.clear_cookies()
        login(page, username)
        for name, url in pages:
            page.goto(url)
            no_horizontal_scroll(page)
            shot(page, f"phone-{name}")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"phone-{name}-first-screen.png"))
            page.evaluate("document.documentElement.style.fontSize = '34px'")
            no_horizontal_scroll(page)
            shot(page, f"phone-{name}-200pct")
    page.goto(f"/org/{bworld.commune.pk}/")
    page.get_by_test_id("menu").click()
    page.screenshot(path=str(SCREENSHOTS / "phone-menu-open.png"))
    # The same pages on a desk: the menu is a bar, the attendance lines and the chart at full width.
    page.set_viewport_size({"width": 1280, "height": 800})
    for name, url in (("attendance", f"/meetings/{meeting.pk}/attendance/"), ("stats", f"/meetings/stats/{bworld.commune.pk}/")):
        page.goto(url)
        no_horizontal_scroll(page)
        shot(page, f"desk-{name}")
