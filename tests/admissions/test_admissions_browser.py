"""One admission journey in a real Chromium (issue 9 §1): the secretary records a candidate and steps 1–7,
the commune staff record the decision and the ceremony, and the candidate is a probationary member of the
cell; the outsider gets 404 on the pages the journey went through."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.admissions.models import Candidate
from chibo.core.dates import fmt_date, today
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World, citizen_id

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def record_step(page: Page, step: str, *, on: str, **fields: str) -> None:
    form = page.get_by_test_id("step-form")
    expect(page.get_by_test_id("next-step")).to_contain_text(step)
    form.locator("#id_on").fill(on)
    for name, value in fields.items():
        if name.startswith("introducer"):
            form.locator(f"#id_{name}").select_option(label=value)
        else:
            form.locator(f"#id_{name}").fill(value)
    form.get_by_test_id("step-submit").click()
    expect(page.get_by_text("Đã ghi bước").first).to_be_visible()


def test_a_candidate_becomes_a_probationary_member(bworld: World, context: BrowserContext, page: Page) -> None:
    day = fmt_date(today())
    since = fmt_date(today() - dt.timedelta(days=800))
    born = dt.date(1998, 7, 12)

    login(page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("org-admissions").click()
    page.get_by_test_id("new-candidate").click()
    form = page.get_by_test_id("candidate-form")
    form.locator("#id_surname").fill("Phạm")
    form.locator("#id_middle_name").fill("Minh")
    form.locator("#id_given_name").fill("Đức")
    form.locator("#id_sex").select_option("male")
    form.locator("#id_date_of_birth").fill("12/07/1998")
    form.locator("#id_source").select_option("militia")
    form.get_by_test_id("candidate-submit").click()
    expect(page.get_by_test_id("candidate-name")).to_have_text("Phạm Minh Đức")
    candidate_url = page.url

    # a step that breaks a rule is refused with its reason, under its field
    page.get_by_test_id("step-form").locator("#id_on").fill("31/02/2026")
    page.get_by_test_id("step-form").get_by_test_id("step-submit").click()
    expect(page.get_by_test_id("error-on")).to_be_visible()

    record_step(page, "1. Học lớp bồi dưỡng", on=day)
    record_step(page, "2. Đơn xin vào Đảng", on=day)
    record_step(page, "3. Người giới thiệu", on=day, introducer1="Đặng Thị Hồng", since1=since, introducer2="Nguyễn Văn Hùng", since2=since)
    record_step(page, "4. Thẩm tra lý lịch", on=day)
    record_step(page, "5. Nhận xét", on=day)
    record_step(page, "6. Chi bộ xét", on=day, yes_votes="2")
    record_step(page, "7. Đảng ủy cơ sở", on=day, yes_votes="5", committee_members="7")
    expect(page.get_by_test_id("waiting-decision")).to_be_visible()
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(7)

    # the commune's staff decide and hold the ceremony (the citizen ID is entered then)
    context.clear_cookies()
    login(page, "canboxa")
    page.goto("/")
    page.get_by_test_id("home-admissions-decisions").get_by_role("link").first.click()
    record_step(page, "8. Quyết định kết nạp", on=day, decision_number="15-QĐ/ĐU")
    record_step(page, "9. Lễ kết nạp", on=day, citizen_id=citizen_id(born=born, sex="male"))
    expect(page.get_by_test_id("candidate-state")).to_have_text("Đã kết nạp")
    page.get_by_test_id("candidate-member").click()
    expect(page.get_by_text("Phạm Minh Đức").first).to_be_visible()
    expect(page.get_by_text("Dự bị").first).to_be_visible()
    candidate = Candidate.objects.get()
    assert candidate.member is not None and candidate.member.admitted_on == today()

    # on a phone the candidate's page fits the screen
    page.set_viewport_size(PHONE)
    page.goto(candidate_url)
    no_horizontal_scroll(page)

    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (candidate_url, f"/admissions/cell/{bworld.cell.pk}/", f"/admissions/org/{bworld.commune.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
