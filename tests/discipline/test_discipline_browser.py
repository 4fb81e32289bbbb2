"""Removal in a real Chromium: a member flagged for 3 months of unexcused absence (meetings and
attendance built with the meeting factories), the secretary proposes removal from the flag, the
commune staff decide it, the member's status is removed; the outsider gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import today
from chibo.discipline import jobs
from chibo.discipline.models import Removal, RemovalFlag
from chibo.members.models import Status, StatusPeriod
from tests.browser.helpers import login, no_horizontal_scroll
from tests.discipline.factories import absences
from tests.factories import World

pytestmark = pytest.mark.browser


def test_a_flagged_member_is_proposed_for_removal_and_removed(bworld: World, context: BrowserContext, page: Page) -> None:
    # Three months of this year have passed from March on; before that, the months of last year.
    day = today() if today().month >= 3 else dt.date(today().year - 1, 12, 31)
    meetings = absences(bworld.cell, bworld.member, [dt.date(day.year, m, 1) for m in (1, 2, 3)])
    assert jobs.flag_grounds(today=day) == 1
    flag = RemovalFlag.objects.get()

    login(page, "bithu")
    page.goto("/")
    page.get_by_test_id("home-discipline-flags").get_by_role("link").click()
    expect(page.get_by_test_id("flag-evidence").get_by_role("link")).to_have_count(3)
    expect(page.get_by_test_id("flag-evidence").get_by_role("link").first).to_have_attribute("href", f"/meetings/{meetings[0].pk}/")
    page.get_by_test_id("flag-propose").click()
    expect(page.locator("#id_ground")).to_have_value("absence")
    page.locator("#id_reason").fill(page.locator("#id_reason").input_value() + " Chi bộ đã gặp, nhắc nhở nhưng đồng chí không sinh hoạt lại.")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("removal-status")).to_have_text("Chi bộ đề nghị, chờ cấp ủy quyết định")
    expect(page.get_by_test_id("removal-decide")).to_have_count(0)  # the cell does not decide
    flag.refresh_from_db()
    assert flag.status == "proposed"

    context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "canboxa")
    page.goto("/")
    page.get_by_test_id("home-discipline-proposals").get_by_role("link").click()
    no_horizontal_scroll(page)
    form = page.get_by_test_id("removal-decide")
    form.get_by_label("Đồng ý", exact=True).check()
    form.locator("#id_document_number").fill("15-QĐ/ĐU")
    page.get_by_test_id("removal-decide-submit").click()
    expect(page.get_by_test_id("removal-status")).to_have_text("Đã quyết định xóa tên")
    page.goto(f"/members/{bworld.member.pk}/")
    expect(page.get_by_test_id("member-status")).to_have_text("Đã xóa tên, khai trừ")
    assert StatusPeriod.objects.get(member=bworld.member, valid_to=dt.date(9999, 12, 31)).status == Status.REMOVED

    context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "nguoingoai")
    removal = Removal.objects.get()
    for url in (f"/discipline/org/{bworld.cell.pk}/", f"/discipline/flags/{flag.pk}/", f"/discipline/removals/{removal.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
