"""The main pages of each persona on a cheap 360×640 phone, as an elderly member would use them.

On every page listed below, at 360×640:
(a) every visible link, button, field and menu summary is a tap target of at least 44×44 px
    (a checkbox or radio counts with the label around it or pointing at it);
(b) no visible text is smaller than 16 px, SVG text measured as drawn (its font size times the
    SVG's scale);
(c) nothing spills sideways, with text at 100% and at 200% (the root font size doubled);
(d) the page's main action (or, where a page has none, its title) starts on the first screen;
(e) text reaches 7:1 contrast against what it is drawn on (4.5:1 when large), WCAG AAA.

The pages are listed by URL, so a page that later moves or is rebuilt (the home page at "/")
is checked as it is then. One browser, one login per persona.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chibo.core.access import today
from chibo.meetings import services_record as services
from chibo.meetings.models import AgendaItem, MeetingStatus
from tests.browser.helpers import login
from tests.factories import World
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
MIN_TAP = 44
MIN_TEXT = 16

# Every interactive element with its box; a checkbox or radio is measured with its label.
TAP_TARGETS = """() => {
  const small = [];
  const seen = new Set();
  const items = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])');
  for (const el of items) {
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    let box = el;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    if (seen.has(box)) continue;
    seen.add(box);
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < %(min)s - 0.5 || r.height < %(min)s - 0.5) {
      const text = (box.innerText || box.value || box.getAttribute('aria-label') || box.outerHTML).trim().slice(0, 50);
      small.push(`<${box.tagName.toLowerCase()}> "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return small;
}""".replace("%(min)s", str(MIN_TAP))

# Every visible piece of text with the size it is drawn at.
SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'title', 'desc', 'TITLE']);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || skip.has(el.tagName)) continue;
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      if (m) size *= Math.sqrt(m.a * m.a + m.b * m.b);
    }
    if (size < %(min)s - 0.01) small.push(`<${el.tagName.toLowerCase()}> "${text.slice(0, 40)}" ${size.toFixed(1)}px`);
  }
  return small;
}""".replace("%(min)s", str(MIN_TEXT))

# Text colour against the background it is drawn on (the nearest painted ancestor, blended down to
# the page): 7:1, or 4.5:1 for large text (24 px, or 18.66 px bold), as WCAG AAA asks.
LOW_CONTRAST = """() => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g) || []; return m.map(Number).concat([1]).slice(0, 4); };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const low = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || el instanceof SVGElement) continue;
    seen.add(el);
    if (['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(el.tagName)) continue;
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 4.5 : 7) - 0.01) low.push(`<${el.tagName.toLowerCase()}> "${node.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1`);
  }
  return low;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# The main action's top plus a finger's height must lie within the first screen.
MAIN_ACTION_BOTTOM = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return r.top + window.scrollY + Math.min(r.height, %(min)s);
}""".replace("%(min)s", str(MIN_TAP))

DOUBLE_TEXT = """() => {
  const html = document.documentElement;
  html.style.fontSize = (parseFloat(getComputedStyle(html).fontSize) * 2) + 'px';
}"""


@dataclass(frozen=True)
class PhonePage:
    name: str
    url: str
    main: str  # CSS selector of the page's main action, or of its title where it has none


def _meeting(bworld: World):
    """An open meeting of the cell, today, with an agenda item and one member marked present."""
    day = today()  # Vietnam's date; the meeting began at midnight there, so it can open whatever the hour
    starts = dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    meeting = make_meeting(bworld.cell, month=day.replace(day=1), day=day.day, status=MeetingStatus.PUBLISHED, checkin_code="123456")
    meeting.starts_at = starts
    meeting.save(update_fields=["starts_at"])
    AgendaItem.objects.create(meeting=meeting, position=1, title="Đánh giá kết quả thực hiện nghị quyết tháng trước và phương hướng tháng tới")
    meeting = services.meeting_open(actor=None, meeting=meeting)
    services.attendance_mark(actor=None, meeting=meeting, member_id=bworld.secretary_member.pk, status="present")
    return meeting


def _check(page: Page, p: PhonePage, problems: list[str]) -> None:
    page.set_viewport_size(PHONE)
    response = page.goto(p.url)
    assert response is not None and response.ok, f"{p.name}: {p.url} answered {response and response.status}"
    page.wait_for_load_state("load")
    problems.extend(f"{p.name} ({page.url}): tap target under 44 px: {small}" for small in page.evaluate(TAP_TARGETS))
    problems.extend(f"{p.name} ({page.url}): text under 16 px: {small}" for small in page.evaluate(SMALL_TEXT))
    problems.extend(f"{p.name} ({page.url}): text under 7:1 contrast: {low}" for low in page.evaluate(LOW_CONTRAST))
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"{p.name} ({page.url}): {overflow}px wider than the screen at 100% text")
    bottom = page.evaluate(MAIN_ACTION_BOTTOM, p.main)
    if bottom is None:
        problems.append(f"{p.name} ({page.url}): main action {p.main!r} not found")
    elif bottom > PHONE["height"]:
        problems.append(f"{p.name} ({page.url}): main action {p.main!r} ends at {bottom:.0f}px, below the first screen")
    # The menu, opened: its links and buttons are tap targets too, and it fits.
    page.get_by_test_id("menu").click()
    problems.extend(f"{p.name} ({page.url}), menu open: tap target under 44 px: {small}" for small in page.evaluate(TAP_TARGETS))
    page.get_by_test_id("menu").click()
    page.evaluate(DOUBLE_TEXT)
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"{p.name} ({page.url}): {overflow}px wider than the screen at 200% text")
    page.get_by_test_id("menu").click()
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"{p.name} ({page.url}), menu open: {overflow}px wider than the screen at 200% text")


def test_main_pages_of_each_persona_fit_a_360px_phone(bworld: World, context: BrowserContext, page: Page) -> None:
    meeting = _meeting(bworld)
    m = meeting.pk
    personas: dict[str, list[PhonePage]] = {
        "dangvien": [
            PhonePage("member-home", "/", "main h1"),
            PhonePage("member-profile", f"/members/{bworld.member.pk}/", "main h1"),
            PhonePage("member-meeting", f"/meetings/{m}/", "main h1"),
            PhonePage("member-checkin", f"/meetings/{m}/checkin/", "button[name=status][value=present]"),
        ],
        "bithu": [
            PhonePage("secretary-cell", f"/org/{bworld.cell.pk}/", "main h1"),
            PhonePage("secretary-meeting", f"/meetings/{m}/", "main h1"),
            PhonePage("secretary-attendance", f"/meetings/{m}/attendance/", ".att-row button[value=present]"),
            PhonePage("secretary-minutes", f"/meetings/{m}/minutes/", "main form button, main h1"),
        ],
        "canboxa": [
            PhonePage("staff-commune", f"/org/{bworld.commune.pk}/", "main h1"),
            PhonePage("staff-stats", f"/meetings/stats/{bworld.commune.pk}/", "[data-testid=figures]"),
            PhonePage("staff-search", "/members/?q=nguyen", "main input[name=q]"),
        ],
        "quantri": [
            PhonePage("admin-accounts", "/accounts/users/", "main h1"),
        ],
    }
    problems: list[str] = []
    page.set_viewport_size(PHONE)
    for username, pages in personas.items():
        context.clear_cookies()
        login(page, username)
        for p in pages:
            _check(page, p, problems)
    assert not problems, "On a 360×640 phone:\n" + "\n".join(problems)


def test_the_attendance_page_marks_everyone_present_in_one_tap_and_keeps_the_count_in_sight(bworld: World, context: BrowserContext, page: Page) -> None:
    meeting = _meeting(bworld)  # the secretary is already present; the member is not marked
    page.set_viewport_size(PHONE)
    login(page, "bithu")
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    validity = page.locator("#validity")
    expect(validity).to_contain_text("1/2 có mặt")
    page.get_by_test_id("all-present").click()
    expect(validity).to_contain_text("Đủ điều kiện biểu quyết: 2/2 có mặt, cần ít nhất 2")
    expect(page.get_by_test_id("all-present")).to_be_hidden()  # nobody left unmarked
    # Then the exception: the member was absent after all, with a reason.
    row = page.locator(f"#att-{bworld.member.pk}")
    row.locator("summary").click()
    row.get_by_label("Lý do vắng").fill("Đi công tác")
    row.get_by_role("button", name="Vắng có lý do").click()
    # Absent with a reason leaves the vote base (domain.md): one of one present.
    expect(validity).to_contain_text("Đủ điều kiện biểu quyết: 1/1 có mặt, cần ít nhất 1")
    expect(page.locator("#att-counts")).to_contain_text("1 Vắng có lý do")
    expect(page.locator(f"#att-{bworld.member.pk}")).to_contain_text("Đi công tác")
    # Scrolled to the bottom, the count is still on the screen.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = validity.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]

