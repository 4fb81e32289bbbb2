"""Probation in a real Chromium: a probationer whose 12 months ended; the secretary records the cell's
vote, the commune staff record the decision, the member's page shows them official from the end of the
12 months (also on a 360 px phone); the outsider gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.dates import add_months, fmt_date, today
from chibo.members.models import Status
from chibo.probation import rules
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World
from tests.probation.factories import probationer

pytestmark = pytest.mark.browser


def test_a_probationer_becomes_official_from_the_end_of_the_twelve_months(bworld: World, context: BrowserContext, page: Page) -> None:
    admitted = add_months(today() - dt.timedelta(days=10), -12)
    end = rules.probation_end(admitted)
    member = probationer(bworld.cell, admitted_on=admitted, given_name="Dự")

    login(page, "bithu")
    page.goto("/")
    expect(page.get_by_test_id("home-probation-vote")).to_contain_text(member.full_name)
    page.get_by_test_id("home-probation-vote").get_by_role("link", name=member.full_name).click()
    expect(page.get_by_test_id("probation-end")).to_have_text(fmt_date(end))
    form = page.get_by_test_id("vote-form")
    form.locator("#id_held_on").fill(fmt_date(end - dt.timedelta(days=1)))
    form.locator("#id_yes_votes").fill("2")
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id("error-held_on")).to_contain_text("Chưa hết 12 tháng dự bị")
    page.get_by_test_id("vote-form").locator("#id_held_on").fill(fmt_date(end))
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id("probation-state")).to_have_text("Chi bộ đề nghị, chờ cấp trên quyết định")
    expect(page.get_by_test_id("probation-timeline")).to_contain_text("2/2")

    context.clear_cookies()
    login(page, "canboxa")
    page.goto("/")
    page.get_by_test_id("home-probation-decide").get_by_role("link", name=member.full_name).click()
    form = page.get_by_test_id("decision-form")
    expect(form.locator("#id_official_on")).to_have_value(fmt_date(end))
    form.locator("#id_number").fill("125-QĐ/ĐU")
    page.get_by_test_id("decision-submit").click()
    expect(page.get_by_test_id("probation-official-on")).to_have_text(fmt_date(end))
    page.goto(f"/members/{member.pk}/")
    expect(page.get_by_test_id("member-status")).to_have_text(str(Status.OFFICIAL.label))
    expect(page.locator("dl.props")).to_contain_text(fmt_date(end))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/probation/member/{member.pk}/")
    no_horizontal_scroll(page)
    page.goto(f"/probation/org/{bworld.commune.pk}/?show=due")
    no_horizontal_scroll(page)

    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (f"/probation/member/{member.pk}/", f"/probation/cell/{bworld.cell.pk}/", f"/probation/org/{bworld.commune.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
