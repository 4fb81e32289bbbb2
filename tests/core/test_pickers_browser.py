"""A scoped picker in a real Chromium: above CHIBO_PICKER_SELECT_MAX the inspection item's member
is a search box; typing part of a name brings the suggestion, and the item saved shows that member."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import today
from chibo.inspections import services
from chibo.inspections.models import InspectionItem
from tests.browser.helpers import login
from tests.factories import World

pytestmark = pytest.mark.browser


def test_pick_a_member_from_the_suggestions(bworld: World, context: BrowserContext, page: Page, settings) -> None:
    settings.CHIBO_PICKER_SELECT_MAX = 1
    day = today()
    plan = services.plan_create(actor=bworld.users["staff"], org=bworld.commune, year=day.year)
    login(page, "canboxa")
    page.goto(f"/inspections/plans/{plan.pk}/")
    form = page.get_by_test_id("item-form")
    box = form.locator("#id_target_member")
    expect(box).to_have_attribute("type", "search")
    box.press_sequentially("dang thi", delay=50)
    suggestion = form.locator("#id_target_member_options option")
    expect(suggestion).to_have_count(1)
    text = suggestion.get_attribute("value")
    assert text == f"Đặng Thị Hồng — Chi bộ thôn Trung Sơn (#{bworld.member.pk})"
    box.fill(text)  # what picking the suggestion does: the option's value goes into the box
    form.locator("#id_topic").fill("Kiểm tra việc thực hiện nhiệm vụ đảng viên")
    form.locator("#id_month_from").fill(f"{day:%m/%Y}")
    page.get_by_test_id("item-add").click()
    expect(page.get_by_test_id("items")).to_contain_text("Chi bộ thôn Trung Sơn · Đặng Thị Hồng")
    item = InspectionItem.objects.get()
    assert (item.target_member_id, item.target_org_id) == (bworld.member.pk, bworld.cell.pk)
