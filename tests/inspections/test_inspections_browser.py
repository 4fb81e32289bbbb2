"""Inspection in a real Chromium: the commune staff make the year's plan, carry out an item with its
findings, conclusions and a follow-up, and see the completion rate; the outsider gets 404."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import fmt_date, today
from chibo.inspections.models import FollowUp, InspectionItem
from tests.browser.helpers import login
from tests.factories import World

pytestmark = pytest.mark.browser


def test_plan_and_carry_out_an_inspection_with_a_follow_up(bworld: World, context: BrowserContext, page: Page) -> None:
    day = today()
    year = day.year
    login(page, "canboxa")
    # d. An inspection plan, an item carried out with findings and a follow-up.
    page.goto(f"/inspections/org/{bworld.commune.pk}/?year={year}")
    page.get_by_test_id("plan-create-submit").click()
    expect(page.get_by_test_id("plan-title")).to_contain_text(str(year))
    form = page.get_by_test_id("item-form")
    form.locator("#id_kind").select_option(value="inspection")
    form.locator("#id_target_org").select_option(label="Chi bộ thôn Trung Sơn")
    form.locator("#id_topic").fill("Kiểm tra việc thực hiện nghị quyết về đảng phí")
    form.locator("#id_month_from").fill(f"{day:%m/%Y}")
    form.locator("#id_inspectors").fill("Ủy ban kiểm tra Đảng ủy")
    page.get_by_test_id("item-add").click()
    expect(page.get_by_test_id("items")).to_contain_text("Kiểm tra việc thực hiện nghị quyết về đảng phí")
    page.get_by_role("link", name="Kiểm tra việc thực hiện nghị quyết về đảng phí").click()
    page.get_by_test_id("record").click()
    page.locator("#id_status").select_option(value="done")
    page.locator("#id_findings").fill("Chi bộ thu nộp đủ, sổ sách chưa cập nhật.")
    page.locator("#id_conclusions").fill("Chi bộ thực hiện tốt; cập nhật sổ đảng phí.")
    page.locator("#id_done_on").fill(fmt_date(day))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("item-status")).to_have_text("Đã hoàn thành")
    form = page.get_by_test_id("follow-form")
    form.locator("#id_text").fill("Cập nhật sổ đảng phí")
    form.locator("#id_responsible").select_option(value=str(bworld.secretary_member.pk))
    form.locator("#id_due_on").fill(fmt_date(day))
    page.get_by_test_id("follow-add").click()
    expect(page.get_by_test_id("follow-ups")).to_contain_text("Cập nhật sổ đảng phí")
    item = InspectionItem.objects.get()
    assert item.status == "done" and FollowUp.objects.get(item=item).responsible_id == bworld.secretary_member.pk
    page.goto(f"/inspections/org/{bworld.commune.pk}/?year={year}")
    expect(page.get_by_test_id("total-all")).to_contain_text("1/1 (100%)")


    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (f"/inspections/org/{bworld.commune.pk}/", f"/inspections/plans/{item.plan_id}/", f"/inspections/items/{item.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
