"""What people do with chibo, in a real Chromium against the live server, read as they read it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from chibo.orgs import services as org_services
from chibo.orgs.models import AreaKind, OrgKind, Sector
from tests.browser.helpers import login, move_member
from tests.factories import PASSWORD, World, make_member

pytestmark = pytest.mark.browser


def test_login_then_browse_the_tree_and_look_back_in_time(page: Page, bworld: World) -> None:
    # A cell founded in mid-2023 with one member: before that date the commune had two cells.
    founded = dt.date(2023, 6, 1)
    new_cell = org_services.org_create(actor=None, name="Chi bộ thôn Tân Lập", kind=OrgKind.CELL, parent=bworld.commune, on=founded, sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name="Tân Lập")
    make_member(new_cell, surname="Lê", middle_name="Thị", given_name="Mai", sex="female", born=dt.date(1990, 1, 1), admitted_on=dt.date(2015, 1, 1), official_on=dt.date(2016, 1, 1), joined_on=founded)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Tên đăng nhập").fill("canbotinh")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("error")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("canbotinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # Province staff land on their home (the month of their cells), and the tree opens on their province.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("home-committee")).to_contain_text("Đảng bộ tỉnh Quảng Ninh")
    page.goto("/org/")
    expect(page).to_have_url(re.compile(rf"/org/{bworld.province.pk}/$"))
    expect(page.get_by_test_id("org-name")).to_have_text("Đảng bộ tỉnh Quảng Ninh")
    expect(page.get_by_test_id("count-cells")).to_have_text("4")
    expect(page.get_by_test_id("count-members")).to_have_text("4")
    children = page.get_by_test_id("children")
    expect(children).to_contain_text("Đảng bộ xã Đại Bình")

    children.get_by_role("link", name="Đảng bộ xã Quảng Tân").click()
    expect(page.get_by_test_id("org-name")).to_have_text("Đảng bộ xã Quảng Tân")
    expect(page.locator(".crumbs")).to_contain_text("Đảng bộ tỉnh Quảng Ninh")
    expect(page.get_by_test_id("count-cells")).to_have_text("3")
    expect(page.get_by_test_id("count-members")).to_have_text("3")
    expect(page.get_by_test_id("children")).to_contain_text("Chi bộ thôn Tân Lập")

    # The same commune as it was on 01/01/2023: the new cell and its member are not counted yet.
    page.locator("#as_of").fill("01/01/2023")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"as_of=01%2F01%2F2023$"))
    expect(page.get_by_test_id("count-cells")).to_have_text("2")
    expect(page.get_by_test_id("count-members")).to_have_text("2")
    expect(page.get_by_test_id("children")).not_to_contain_text("Chi bộ thôn Tân Lập")
    expect(page.get_by_role("link", name="Hôm nay")).to_be_visible()
    expect(page.locator("main main")).to_have_count(0)

    # Links keep the date; the cell lists its members.
    page.get_by_test_id("children").get_by_role("link", name="Chi bộ thôn Trung Sơn").click()
    expect(page).to_have_url(re.compile(rf"/org/{bworld.cell.pk}/\?as_of=01/01/2023$"))
    expect(page.get_by_test_id("org-name")).to_have_text("Chi bộ thôn Trung Sơn")
    expect(page.locator("#as_of")).to_have_value("01/01/2023")
    expect(page.get_by_test_id("count-members")).to_have_text("2")
    members = page.get_by_test_id("member-list")
    expect(members.locator("tr", has_text="Đặng Thị Hồng")).to_contain_text("1985")  # a year, not "1.985"
    expect(members).to_contain_text("Nguyễn Văn Hùng")
    expect(page.get_by_test_id("leadership")).to_contain_text("Nguyễn Văn Hùng")

    # The new cell on a date before it was founded: no data for that date (not "not yours").
    response = page.goto(f"/org/{new_cell.pk}/?as_of=01/01/2023")
    assert response is not None and response.status == 200
    expect(page.get_by_test_id("no-data")).to_contain_text("Chưa có dữ liệu tổ chức vào ngày 01/01/2023.")


def test_search_without_diacritics_updates_results_live(page: Page, bworld: World) -> None:
    login(page, "canboxa")
    page.get_by_role("link", name="Tìm đảng viên", exact=True).click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    results = page.locator("#results")
    expect(results).to_contain_text("Nguyễn Văn Hùng")
    expect(results).not_to_contain_text("Trần Quốc Bảo")  # another commune's member
    search_url = page.url

    def live_search(response) -> bool:
        return "/members/?" in response.url and response.request.headers.get("hx-request") == "true"

    box = page.get_by_test_id("search-input")
    with page.expect_response(live_search):
        box.fill("dang thi hong")
    expect(results.get_by_test_id("results")).to_contain_text("Đặng Thị Hồng")
    expect(results).not_to_contain_text("Nguyễn Văn Hùng")
    expect(page.get_by_test_id("result-count")).to_have_text("1 đảng viên")

    with page.expect_response(live_search):
        box.fill("dang")
    expect(results.get_by_role("link", name="Đặng Thị Hồng")).to_be_visible()
    expect(results).not_to_contain_text("Nguyễn Văn Hùng")

    with page.expect_response(live_search):
        box.fill("khong co ai")
    expect(results).to_contain_text("Không có kết quả.")
    assert page.url == search_url  # updated in place, no page load

    # Submitting the form the ordinary way gives the same answer.
    box.fill("dang thi hong")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/members/\?(.*&)?q=dang\+thi\+hong"))
    results.get_by_role("link", name="Đặng Thị Hồng").click()
    expect(page.get_by_test_id("member-name")).to_have_text("Đặng Thị Hồng")

    # Searching within one organisation, from its page: the live search keeps to it.
    make_member(bworld.cell2, surname="Đặng", middle_name="Văn", given_name="Long", born=dt.date(1979, 3, 3))
    page.goto(f"/org/{bworld.commune.pk}/")
    page.get_by_role("link", name="Tìm đảng viên trong tổ chức").click()
    expect(page).to_have_url(re.compile(rf"/members/\?org={bworld.commune.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm đảng viên · Đảng bộ xã Quảng Tân")
    with page.expect_response(live_search) as live:
        box.fill("dang")
    assert f"org={bworld.commune.pk}&" in live.value.url
    expect(page.get_by_test_id("result-count")).to_have_text("2 đảng viên")
    expect(results).to_contain_text("Đặng Văn Long")


def test_add_member_fix_the_citizen_id_and_save(page: Page, bworld: World) -> None:
    login(page, "canboxa")
    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_test_id("add-member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm đảng viên")

    page.locator("#id_surname").fill("Lê")
    page.locator("#id_middle_name").fill("Thị")
    page.locator("#id_given_name").fill("Lan")
    page.locator("#id_date_of_birth").fill("15/03/1992")
    page.locator("#id_sex").select_option(label="Nữ")
    page.locator("#id_citizen_id").fill("022092123456")  # 4th digit 0 is for a man
    page.locator("#id_admitted_on").fill("10/10/2015")
    page.locator("#id_official_on").fill("10/10/2016")
    page.get_by_test_id("save").click()

    message = "Chữ số thứ 4 của số căn cước (0) không khớp với giới tính và thế kỷ sinh (phải là 1)."
    expect(page.get_by_test_id("error-summary")).to_contain_text("Có 1 mục cần sửa")
    expect(page.get_by_test_id("error-citizen_id")).to_have_text(message)
    citizen_id = page.locator("#id_citizen_id")
    expect(citizen_id).to_have_attribute("aria-invalid", "true")
    expect(citizen_id).to_be_focused()
    # What was typed is still there.
    expect(page.locator("#id_surname")).to_have_value("Lê")
    expect(page.locator("#id_sex")).to_have_value("female")
    expect(page.locator("#id_date_of_birth")).to_have_value("15/03/1992")

    citizen_id.fill("022192123456")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/members/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Đã thêm đảng viên Lê Thị Lan.")
    expect(page.get_by_test_id("member-name")).to_have_text("Lê Thị Lan")
    expect(page.locator(".props")).to_contain_text("022192123456")
    expect(page.locator(".props")).to_contain_text("15/03/1992")
    expect(page.get_by_test_id("membership-history")).to_contain_text("Chi bộ thôn Trung Sơn")
    expect(page.get_by_test_id("error-citizen_id")).to_have_count(0)


def test_move_member_to_another_cell(page: Page, bworld: World) -> None:
    login(page, "canboxa")
    member_id = bworld.member.pk

    # A wrong date first: the form says so and keeps the choice.
    page.goto(f"/members/{member_id}/move/")
    page.locator("#id_org").select_option(label="Chi bộ thôn Đồng Tâm")
    page.locator("#id_on").fill("31/02/2024")
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_test_id("error-on")).to_have_text("31/02/2024 không phải ngày có thật.")
    expect(page.locator("#id_org option:checked")).to_have_text("Chi bộ thôn Đồng Tâm")

    move_member(page, member_id, to="Chi bộ thôn Đồng Tâm", on="01/03/2024", note="Chuyển nơi ở")
    expect(page.locator(".crumbs")).to_have_text("Chi bộ thôn Đồng Tâm")
    history = page.get_by_test_id("membership-history")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Chi bộ thôn Trung Sơn")).to_contain_text("01/01/2020")
    expect(rows.filter(has_text="Chi bộ thôn Trung Sơn")).to_contain_text("01/03/2024")
    expect(rows.filter(has_text="Chi bộ thôn Đồng Tâm")).to_contain_text("01/03/2024")

    # The cells' lists follow.
    page.locator(".crumbs").get_by_role("link").click()
    expect(page.get_by_test_id("org-name")).to_have_text("Chi bộ thôn Đồng Tâm")
    expect(page.get_by_test_id("member-list")).to_contain_text("Đặng Thị Hồng")
    page.goto(f"/org/{bworld.cell.pk}/")
    expect(page.get_by_test_id("member-list")).not_to_contain_text("Đặng Thị Hồng")
    expect(page.get_by_test_id("count-members")).to_have_text("1")


def test_change_log_shows_the_move_and_who_made_it(page: Page, bworld: World) -> None:
    # Province staff may move a member across communes.
    login(page, "canbotinh")
    move_member(page, bworld.member.pk, to="Chi bộ thôn Làng Y", on="15/04/2024")
    page.get_by_test_id("history-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký thay đổi: Đặng Thị Hồng")
    row = page.get_by_test_id("audit").locator("tbody tr", has_text="Chuyển Đặng Thị Hồng")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chuyển Đặng Thị Hồng từ Chi bộ thôn Trung Sơn sang Chi bộ thôn Làng Y")
    expect(row.locator("td").nth(1)).to_have_text("canbotinh")


def test_outsider_and_plain_member_see_only_their_own(page: Page, bworld: World) -> None:
    member, cell = bworld.member, bworld.cell

    login(page, "nguoingoai")
    for url in (f"/members/{member.pk}/", f"/members/{member.pk}/history/", f"/org/{cell.pk}/", f"/members/?org={cell.pk}"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
        expect(page.locator("main")).not_to_contain_text("Đặng Thị Hồng")
    page.goto("/members/?q=dang")
    expect(page.locator("#results")).to_contain_text("Không có kết quả.")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    # A plain member lands on their home, and opens their own record from there.
    login(page, "dangvien")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("home-member")).to_contain_text("Chi bộ thôn Trung Sơn")
    page.goto(f"/members/{member.pk}/")
    expect(page.get_by_test_id("member-name")).to_have_text("Đặng Thị Hồng")
    expect(page.get_by_test_id("move-member")).to_have_count(0)
    expect(page.get_by_role("link", name="Tìm đảng viên", exact=True)).to_have_count(0)
    page.locator(".crumbs").get_by_role("link", name="Chi bộ thôn Trung Sơn").click()
    members = page.get_by_test_id("member-list")
    expect(members).to_contain_text("Nguyễn Văn Hùng")
    expect(members.get_by_role("link", name="Đặng Thị Hồng")).to_be_visible()
    expect(members.get_by_role("link", name="Nguyễn Văn Hùng")).to_have_count(0)
    expect(page.get_by_test_id("add-member")).to_have_count(0)
    for url in (f"/members/{bworld.secretary_member.pk}/", f"/members/{bworld.other_member.pk}/", f"/org/{bworld.cell2.pk}/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")


def test_rename_then_merge_cells(page: Page, bworld: World) -> None:
    make_member(bworld.cell2, surname="Phạm", middle_name="Văn", given_name="Đức", born=dt.date(1982, 7, 7))
    login(page, "canboxa")
    page.goto(f"/org/{bworld.cell.pk}/")

    page.get_by_text("Sắp xếp tổ chức").click()
    page.get_by_role("link", name="Đổi tên, thông tin").click()
    page.locator("#id_name").fill("Chi bộ thôn Trung Hòa")
    page.locator("#id_on").fill("01/06/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu thay đổi.")
    expect(page.get_by_test_id("org-name")).to_have_text("Chi bộ thôn Trung Hòa")

    page.get_by_role("link", name="Lịch sử").click()
    versions = page.get_by_test_id("versions").locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.filter(has_text="Chi bộ thôn Trung Sơn")).to_contain_text("01/01/2020")
    expect(versions.filter(has_text="Chi bộ thôn Trung Sơn")).to_contain_text("01/06/2024")
    expect(versions.filter(has_text="Chi bộ thôn Trung Hòa")).to_contain_text("01/06/2024")
    expect(page.get_by_test_id("audit")).to_contain_text("canboxa")

    # Looking back before the rename shows the old name.
    page.goto(f"/org/{bworld.cell.pk}/?as_of=01/01/2024")
    expect(page.get_by_test_id("org-name")).to_have_text("Chi bộ thôn Trung Sơn")

    page.goto(f"/org/{bworld.cell.pk}/")
    page.get_by_text("Sắp xếp tổ chức").click()
    page.get_by_role("link", name="Hợp nhất").click()
    page.get_by_label("Chi bộ thôn Đồng Tâm").check()
    page.locator("#id_name").fill("Chi bộ thôn Trung Đồng")
    page.locator("#id_on").fill("01/07/2024")
    page.get_by_role("button", name="Hợp nhất").click()
    expect(page.get_by_role("status")).to_have_text("Đã hợp nhất tổ chức.")
    expect(page.get_by_test_id("org-name")).to_have_text("Chi bộ thôn Trung Đồng")
    expect(page.get_by_test_id("count-members")).to_have_text("3")
    members = page.get_by_test_id("member-list")
    for name in ("Đặng Thị Hồng", "Nguyễn Văn Hùng", "Phạm Văn Đức"):
        expect(members).to_contain_text(name)

    page.locator(".crumbs").get_by_role("link", name="Đảng bộ xã Quảng Tân").click()
    children = page.get_by_test_id("children")
    expect(children.locator("tbody tr")).to_have_count(1)
    expect(children).to_contain_text("Chi bộ thôn Trung Đồng")
    expect(page.get_by_test_id("count-members")).to_have_text("3")


def test_language_switch(page: Page, bworld: World) -> None:
    with translation.override("en"):
        log_out_en = translation.gettext("Đăng xuất")
        search_en = translation.gettext("Tìm đảng viên")
    login(page, "canboxa")
    url = page.url
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == url  # back on the same page
    # Whatever the English catalogue says (the msgid itself while it is untranslated).
    expect(page.get_by_role("button", name=log_out_en, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=search_en, exact=True)).to_be_visible()
    page.goto(f"/org/{bworld.cell.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice sticks

    page.get_by_test_id("lang-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Đăng xuất", exact=True)).to_be_visible()
    expect(page.get_by_test_id("lang-en")).to_have_text("English")
