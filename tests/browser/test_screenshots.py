"""Screenshots of the main pages on a phone (360 px) and a desk (1280 px), for people to look at.

Saved under test-artifacts/screenshots/<name>-<width>.png. Each page must also fit its width:
on a phone nothing may push the page sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login, no_horizontal_scroll, shot
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
