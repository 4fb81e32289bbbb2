"""Browser journeys where a person meets the cell's own rules and the admin's account form."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chibo.accounts.models import Grant, User
from chibo.members.models import Position
from tests.browser.helpers import login
from tests.factories import World


def test_secretary_meets_the_chi_uy_rule_and_the_small_cell_flag(page: Page, bworld: World) -> None:
    login(page, "bithu")
    page.goto(f"/org/{bworld.cell.pk}/")
    expect(page.get_by_test_id("below-official-minimum")).to_contain_text("Chi bộ chỉ có 2 đảng viên chính thức")

    page.goto(f"/members/{bworld.member.pk}/positions/")
    form = page.get_by_test_id("assign-form")
    form.get_by_label("Chức vụ").select_option(label="Chi ủy viên")
    form.get_by_label("Ngày hiệu lực").fill("01/03/2025")
    form.get_by_role("button", name="Giao").click()
    expect(page.get_by_test_id("error-kind")).to_contain_text("Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy (Quy định 294-QĐ/TW)")
    expect(page.locator("#assign_kind")).to_be_focused()
    assert not Position.objects.filter(member=bworld.member).exists()


def test_admin_creates_an_account_picking_the_organisation_from_the_tree(page: Page, bworld: World) -> None:
    login(page, "quantri")
    page.goto("/accounts/users/")
    form = page.get_by_test_id("create-form")
    form.get_by_label("Tên đăng nhập").fill("bithu_moi")
    form.get_by_label("Mật khẩu", exact=True).fill("mat-khau-moi-9")
    form.get_by_label("Nhập lại mật khẩu").fill("mat-khau-moi-9")
    form.get_by_label("Quyền đầu tiên (nếu có)").select_option(label="Bí thư, chi ủy")
    box = form.locator("#new_org")
    with page.expect_response(lambda r: "/accounts/users/org-options/" in r.url):
        box.press_sequentially("dong tam")
    options = page.locator("#org-options-new option")
    expect(options).to_have_count(1)
    box.fill(options.first.get_attribute("value") or "")
    form.get_by_role("button", name="Tạo", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu.")
    user = User.objects.get(username="bithu_moi")
    assert list(Grant.objects.filter(user=user).values_list("role", "org_id")) == [("secretary", bworld.cell2.pk)]
