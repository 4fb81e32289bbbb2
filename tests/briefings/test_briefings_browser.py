"""Briefings in a real Chromium: the commune staff plan the year, hold this quarter's briefing on a
phone (one tap per invitee, minutes, an issue with its owner) and read its PDF record back; the
outsider gets 404 on all of it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.briefings.models import Briefing, BriefingIssue
from chibo.core.dates import fmt_date, today
from tests.browser.helpers import login, no_horizontal_scroll
from tests.factories import World

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True, timeout=30)
    return " ".join(out.stdout.split())


def test_plan_the_year_and_hold_a_briefing(bworld: World, context: BrowserContext, page: Page, tmp_path: Path) -> None:
    day = today()
    year = day.year
    login(page, "canboxa")

    # a. Plan the year: four briefings, one a quarter.
    page.goto(f"/briefings/org/{bworld.commune.pk}/?year={year}")
    page.get_by_test_id("plan-year").click()
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("briefing-counts")).to_contain_text("Dự kiến: 4")
    briefing = Briefing.objects.get(committee=bworld.commune, year=year, period=(day.month - 1) // 3 + 1)

    # b. Hold this quarter's briefing today, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"/briefings/{briefing.pk}/")
    page.get_by_test_id("edit").click()
    page.locator("#id_date").fill(fmt_date(day))
    page.locator("#id_time").fill("00:05")
    page.locator("#id_place").fill("Hội trường Đảng ủy xã")
    page.locator("#id_chair_name").fill("Phạm Văn Bình")
    page.locator("#id_recorder_name").fill("Lý Thị Thu")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("briefing-title")).to_be_visible()
    row = page.get_by_test_id(f"att-{bworld.secretary_member.pk}")
    expect(row).to_contain_text("Nguyễn Văn Hùng")
    expect(row).to_contain_text("Bí thư chi bộ, trưởng thôn")
    page.get_by_test_id(f"present-{bworld.secretary_member.pk}").click()  # one tap (HTMX swaps the row)
    expect(page.get_by_test_id(f"att-{bworld.secretary_member.pk}").locator(".badge.ok")).to_have_text("Có mặt")
    no_horizontal_scroll(page)

    page.get_by_test_id("item-1").click()
    page.locator("#id_content").fill("Chi bộ thôn Trung Sơn duy trì sinh hoạt đều.")
    page.locator("#id_conclusion").fill("Các chi bộ hoàn thành thu nộp đảng phí trước ngày 10.")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Các chi bộ hoàn thành thu nộp đảng phí trước ngày 10.")

    form = page.get_by_test_id("issue-form")
    form.locator("#id_text").fill("Đường liên thôn Trung Sơn xuống cấp, đề nghị sửa")
    form.locator("#id_raised_by_name").fill("Nguyễn Văn Hùng")
    form.locator("#id_cell").select_option(label="Chi bộ thôn Trung Sơn")
    form.locator("#id_owner").select_option(value=str(bworld.secretary_member.pk))
    form.locator("#id_kind").select_option(value="petition")
    page.get_by_test_id("issue-add").click()
    expect(page.get_by_test_id("issues")).to_contain_text("Đường liên thôn Trung Sơn xuống cấp")
    issue = BriefingIssue.objects.get(briefing=briefing)
    assert (issue.owner_id, issue.kind, issue.cell_id) == (bworld.secretary_member.pk, "petition", bworld.cell.pk)

    page.get_by_test_id("hold").click()
    expect(page.get_by_test_id("briefing-status")).to_have_text("Đã tổ chức")

    # c. The PDF record.
    response = page.request.get(f"/briefings/{briefing.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    (tmp_path / "giao-ban.pdf").write_bytes(response.body())
    text = pdf_text(tmp_path / "giao-ban.pdf")
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN", "ĐẢNG BỘ XÃ QUẢNG TÂN", "Hội trường Đảng ủy xã", "Nguyễn Văn Hùng",
                     "Các chi bộ hoàn thành thu nộp đảng phí trước ngày 10.", "Đường liên thôn Trung Sơn xuống cấp"):
        assert expected in text, (expected, text[:1500])
    assert "DỰ THẢO" not in text

    # d. The outsider: 404 on every page of it.
    context.clear_cookies()
    login(page, "nguoingoai")
    for url in (f"/briefings/{briefing.pk}/", f"/briefings/{briefing.pk}/pdf/", f"/briefings/org/{bworld.commune.pk}/", f"/briefings/items/{briefing.items.first().pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
    assert re.search("Không tìm thấy", page.content())
