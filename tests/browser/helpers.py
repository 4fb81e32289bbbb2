"""Steps shared by the browser journeys."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form and wait for the logged-in page behind it."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    # On a phone the logout button sits in the closed menu: present, not visible.
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_be_attached()


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def move_member(page: Page, member_id: int, *, to: str, on: str, note: str = "") -> None:
    """Move a member through the move form, starting from their page, and land back on it."""
    page.goto(f"/members/{member_id}/")
    page.get_by_test_id("move-member").click()
    page.locator("#id_org").select_option(label=to)
    page.locator("#id_on").fill(on)
    if note:
        page.locator("#id_note").fill(note)
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/members/{member_id}/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển sinh hoạt.")


def no_horizontal_scroll(page: Page) -> None:
    """The page fits its viewport: nothing pushes it wider than the screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"
