"""Residence contact in a real Chromium: the commune staff register a member of an agency cell at a
village cell; the village cell's secretary records a contact meeting and the yearly comment; the work
cell's secretary reads it on the member's page; the outsider gets 404."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import fmt_date, today
from chibo.residence.models import Registration, ResidenceComment
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World, make_user
from tests.residence.factories import agency_cell, agency_member

pytestmark = pytest.mark.browser


def test_residence_comment_reaches_the_work_cell(bworld: World, context: BrowserContext, page: Page) -> None:
    work = agency_cell(bworld.commune)
    member = agency_member(work)
    make_user("bithucoquan", role="secretary", org=work)
    day = fmt_date(today())

    login(page, "canboxa")
    page.goto(f"/residence/org/{bworld.commune.pk}/register/")
    form = page.get_by_test_id("register-form")
    form.locator("#id_member").select_option(value=str(member.pk))
    form.locator("#id_residence_org").select_option(label="Chi bộ thôn Trung Sơn")
    form.locator("#id_introduced_on").fill(day)
    form.locator("#id_introduction_ref").fill("12-GGT/CB")
    form.locator("#id_registered_on").fill(day)
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("work-cell")).to_have_text("Chi bộ Ủy ban nhân dân xã")
    reg = Registration.objects.get()

    context.clear_cookies()
    login(page, "bithu")
    page.goto(f"/residence/org/{bworld.cell.pk}/cell/")
    expect(page.get_by_test_id(f"reg-{reg.pk}")).to_contain_text("Chưa gặp 6 tháng này")
    page.get_by_test_id("meeting-add").click()
    page.locator("#id_held_on").fill(day)
    page.locator("input[name=attendees]").first.check()
    page.locator("#id_note").fill("Gặp mặt, phổ biến nhiệm vụ đảng viên ở nơi cư trú")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id(f"reg-{reg.pk}")).to_contain_text("Đã gặp 6 tháng này")
    page.set_viewport_size({"width": 360, "height": 740})
    no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name=member.full_name).click()
    page.get_by_test_id("comment-link").click()
    page.locator("#id_assessment").select_option(value="good")
    page.locator("#id_text").fill("Gương mẫu, tích cực tham gia sinh hoạt khu dân cư.")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id(f"comment-{today().year}")).to_contain_text("Tốt")
    assert ResidenceComment.objects.get().registration_id == reg.pk

    context.clear_cookies()
    login(page, "bithucoquan")
    page.goto(f"/members/{member.pk}/")
    expect(page.get_by_test_id("member-residence")).to_contain_text("Gương mẫu, tích cực tham gia sinh hoạt khu dân cư.")

    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (f"/members/{member.pk}/", f"/residence/registrations/{reg.pk}/", f"/residence/org/{bworld.cell.pk}/cell/", f"/residence/org/{work.pk}/received/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
