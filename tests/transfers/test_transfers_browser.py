"""A transfer between two communes in a real Chromium (issue 9 §4, §10): the sending commune's staff
decide it and issue the letter, the member is "in transit" on both sides, the receiving commune's
staff (nguoingoai, staff of the other commune) receive them; the member is then in the new cell,
the sender no longer sees them, and another outsider gets 404 throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World, make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_a_transfer_between_two_communes_loses_nobody(bworld: World, context: BrowserContext, page: Page) -> None:
    make_user("canbodongtam", role="staff", org=bworld.cell2)  # on neither side of this transfer
    member_url = f"/members/{bworld.member.pk}/"
    name = bworld.member.full_name

    # The sending commune's staff decide the transfer from the member's page and issue the letter.
    login(page, "canboxa")
    page.goto(member_url)
    page.get_by_test_id("transfer-new").click()
    page.locator("#id_to_org").select_option(label="Chi bộ thôn Làng Y")
    page.get_by_test_id("transfer-save").click()
    expect(page).to_have_url(re.compile(r"/transfers/\d+/$"))
    transfer_url = page.url
    expect(page.get_by_test_id("transfer-state")).to_have_text("Đã quyết định, chờ giới thiệu")
    page.locator("#id_letter_number").fill("15-GGT/ĐU")
    page.get_by_test_id("step-save").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("Đang chuyển (đã giới thiệu)")
    page.goto(member_url)
    expect(page.get_by_test_id("member-transfers")).to_contain_text("Đang chuyển")
    page.goto(f"/transfers/org/{bworld.commune.pk}/")
    expect(page.get_by_test_id("outgoing")).to_contain_text(name)

    # Another outsider sees nothing of it.
    context.clear_cookies()
    login(page, "canbodongtam")
    for url in (transfer_url, member_url):
        response = page.goto(url)
        assert response is not None and response.status == 404, url

    # The receiving commune's staff find it on their home page, open the member, then receive them.
    context.clear_cookies()
    login(page, "nguoingoai")
    page.goto("/")
    page.get_by_test_id("home-transfers-receive").get_by_role("link", name=name).click()
    expect(page).to_have_url(transfer_url)
    page.get_by_test_id("transfer-member").click()
    expect(page.get_by_test_id("member-name")).to_have_text(name)
    expect(page.get_by_test_id("member-transfers")).to_contain_text("Đang chuyển")
    page.goto(f"/transfers/org/{bworld.other_commune.pk}/")
    expect(page.get_by_test_id("incoming")).to_contain_text(name)
    page.set_viewport_size(PHONE)
    page.goto(transfer_url)
    no_horizontal_scroll(page)
    page.get_by_test_id("step-save").click()  # presented today
    expect(page.get_by_test_id("transfer-state")).to_have_text("Đã nộp giấy giới thiệu ở nơi đến")
    page.get_by_test_id("step-save").click()  # received today
    expect(page.get_by_test_id("transfer-state")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(4)
    page.get_by_test_id("transfer-member").click()
    expect(page.get_by_test_id("membership-history")).to_contain_text("Chi bộ thôn Làng Y")
    no_horizontal_scroll(page)

    # The sender no longer sees the member (the transfer stays on its list); the other outsider still nothing.
    context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "canboxa")
    response = page.goto(member_url)
    assert response is not None and response.status == 404
    context.clear_cookies()
    login(page, "canbodongtam")
    for url in (transfer_url, member_url):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
