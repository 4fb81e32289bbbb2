"""Member imports as commune offices send them (issue 7, section 5) and an all-or-nothing commit (section 8).

Every spreadsheet is a real .xlsx built with openpyxl; expected values are written by hand.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from chibo.core.access import Policy
from chibo.core.models import AuditEvent
from chibo.members import legacy_text
from chibo.members.imports import import_members, proper_case, read_date
from chibo.members.models import Member, Membership
from chibo.members.validation import check_citizen_id
from tests.factories import make_member

TITLE = "DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ QUẢNG TÂN"
HEADER = ["STT", "HỌ VÀ TÊN", "Ngày sinh", "Giới tính", "Số CCCD:", "SĐT", "Ngày kết nạp", "Ngày chính thức", "Số thẻ đảng", "Chi bộ", "Ghi chú"]


def xlsx(rows: list[list], *, name: str = "ds.xlsx") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


def messy_rows(world, *, with_bad_rows: bool) -> list[list]:
    good = [
        # capitals, the cell named without diacritics, a real date cell, d.m.yyyy text
        [1, "NGUYỄN VĂN AN", "05/06/1990", "Nam", "022090100001", "0912345678", dt.datetime(2015, 1, 3), "3.1.2016", "", "chi bo thon trung son", "bí thư cũ"],
        [],  # an empty row in the middle
        # TCVN3 (typed in .VnTime), the cell by its code, an Excel serial date (25569 = 1/1/1970), a phone read as a number
        [2, "Lª ThÞ Hång Nhung", 25569, "N÷", "022170100002", 912345678, "2/9/1995", "02-09-1996", "", world.cell2.code, ""],
        # VNI (typed in VNI-Times), a citizen ID that lost its leading zero, the cell's short name without diacritics
        [3, "Traàn Quoác Tuaán", "07-03-1985", "Nam", 22085100003, "", "15.05.2010", "15/05/2011", "", "thon dong tam", ""],
    ]
    bad = [
        # an 11-digit ID (a float) that a leading zero does not repair: a woman's ID must have 1 as 4th digit
        [4, "Phạm Thị Lan", "12/12/1992", "Nữ", 22092100004.0, "", "01/06/2015", "", "", "Chi bộ thôn Trung Sơn", ""],
        # a cell outside the commune staff's scope
        [5, "Hoàng Văn Bình", "01/01/1988", "Nam", "022088100005", "", "01/01/2012", "", "", "Chi bộ thôn Làng Y", ""],
        # a date that does not exist
        [6, "Vũ Thị Hoa", "31/02/1990", "Nữ", "022190100006", "", "01/01/2015", "", "", "Chi bộ thôn Trung Sơn", ""],
    ]
    return [[TITLE], ["(Kèm theo báo cáo tháng 11/2026)"], [], HEADER, [f"({i})" for i in range(1, 12)], *good, *(bad if with_bad_rows else [])]


def test_a_messy_office_spreadsheet_dry_run_says_exactly_what_it_will_do(world, client_for):
    client = client_for("staff")
    before = (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/members/import/?org={world.commune.pk}", {"org": world.commune.pk, "file": xlsx(messy_rows(world, with_bad_rows=True))})
    assert response.status_code == 400
    result = response.context["result"]
    assert result.header_row == 4
    assert result.unused_columns == ["Ghi chú"]
    assert [(e.row, e.message) for e in result.errors] == [
        (10, "Số CCCD: “22092100004” chỉ có 11 chữ số; thêm số 0 đầu thành 022092100004 vẫn không hợp lệ: "
             "Chữ số thứ 4 của số căn cước (0) không khớp với giới tính và thế kỷ sinh (phải là 1)."),
        (11, "Không có chi bộ “Chi bộ thôn Làng Y” trong phạm vi của bạn."),
        (12, "Ngày sinh: 31/02/1990 không phải ngày có thật."),
    ]
    assert [(n.row, n.message) for n in result.notices] == [
        (8, "Đã chuyển mã TCVN3 sang Unicode (Họ và tên, Giới tính)."),
        (8, "Số điện thoại 912345678 mất số 0 đầu (Excel lưu thành số); đã khôi phục thành 0912345678."),
        (9, "Đã chuyển mã VNI sang Unicode (Họ và tên)."),
        (9, "Số CCCD 22085100003 mất số 0 đầu (Excel lưu thành số); đã khôi phục thành 022085100003."),
    ]
    body = response.content.decode()
    assert "Cột không dùng: Ghi chú" in body
    assert "Dòng 8: Đã chuyển mã TCVN3 sang Unicode" in body
    assert "31/02/1990 không phải ngày có thật" in body
    assert (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_messy_office_spreadsheet_imports_exactly_as_described(world, client_for):
    client = client_for("staff")
    url = f"/members/import/?org={world.commune.pk}"
    response = client.post(url, {"org": world.commune.pk, "file": xlsx(messy_rows(world, with_bad_rows=False))})
    assert response.status_code == 200, response.context["result"].errors if response.context["result"] else response.content
    preview = [(p.row, p.full_name, p.citizen_id, p.cell) for p in response.context["result"].preview]
    assert preview == [
        (6, "Nguyễn Văn An", "022090100001", "Chi bộ thôn Trung Sơn"),
        (8, "Lê Thị Hồng Nhung", "022170100002", "Chi bộ thôn Đồng Tâm"),
        (9, "Trần Quốc Tuấn", "022085100003", "Chi bộ thôn Đồng Tâm"),
    ]
    response = client.post(url, {"org": world.commune.pk, "token": client.session["import_token"]})
    assert response.status_code == 302
    an = Member.objects.get(citizen_id="022090100001")
    assert (an.surname, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
    assert (an.date_of_birth, an.admitted_on, an.official_on, an.phone) == (dt.date(1990, 6, 5), dt.date(2015, 1, 3), dt.date(2016, 1, 3), "0912345678")
    assert an.memberships.get().org == world.cell
    nhung = Member.objects.get(citizen_id="022170100002")
    assert (nhung.full_name, nhung.sex, nhung.date_of_birth, nhung.phone) == ("Lê Thị Hồng Nhung", "female", dt.date(1970, 1, 1), "0912345678")
    assert (nhung.admitted_on, nhung.official_on) == (dt.date(1995, 9, 2), dt.date(1996, 9, 2))
    assert nhung.memberships.get().org == world.cell2
    tuan = Member.objects.get(citizen_id="022085100003")
    assert (tuan.surname, tuan.middle_name, tuan.given_name, tuan.date_of_birth) == ("Trần", "Quốc", "Tuấn", dt.date(1985, 3, 7))
    assert tuan.memberships.get().org == world.cell2
    for member in (an, nhung, tuan):
        for value in (member.surname, member.middle_name, member.given_name, member.full_name):
            assert value == __import__("unicodedata").normalize("NFC", value)


def test_an_import_commit_that_meets_a_bad_row_writes_nothing(world):
    """Issue 7 §8: a duplicate citizen ID inserted by someone else between the dry run and the commit."""
    staff = world.users["staff"]
    rows = [HEADER]
    rows.append([1, "Lê Văn Một", "01/02/1980", "Nam", "022080200001", "", "01/02/2005", "01/02/2006", "", "Chi bộ thôn Trung Sơn", ""])
    rows.append([2, "Lê Văn Hai", "01/02/1981", "Nam", "022081200002", "", "01/02/2005", "01/02/2006", "", "Chi bộ thôn Đồng Tâm", ""])
    rows.append([3, "Lê Thị Ba", "01/02/1982", "Nữ", "022182200003", "", "01/02/2005", "01/02/2006", "", "Chi bộ thôn Trung Sơn", ""])
    dry = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.commune, commit=False)
    assert dry.ok and dry.created == 3 and not dry.committed
    # Meanwhile another secretary adds the third person by hand (their own transaction, committed).
    make_member(world.cell2, surname="Lê", middle_name="Thị", given_name="Ba", sex="female", born=dt.date(1982, 2, 1), citizen_id="022182200003")
    before = (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.commune, commit=True)
    assert not result.committed and result.created == 0
    assert [(e.row, e.message) for e in result.errors] == [(4, "Số CCCD: Số căn cước 022182200003 đã có trong danh sách đảng viên.")]
    assert (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before
    assert not Member.objects.filter(citizen_id__in=["022080200001", "022081200002"]).exists()


def test_the_commit_step_through_the_page_writes_nothing_when_a_row_went_bad(world, client_for):
    client = client_for("secretary")
    rows = [["Họ tên", "Ngày sinh", "Giới tính", "Số căn cước", "Ngày vào Đảng"],
            ["Đỗ Văn Tư", "01/02/1980", "Nam", "022080300001", "01/02/2005"],
            ["Đỗ Văn Năm", "01/02/1981", "Nam", "022081300002", "01/02/2005"]]
    url = f"/members/import/?org={world.cell.pk}"
    assert client.post(url, {"org": world.cell.pk, "file": xlsx(rows)}).status_code == 200
    make_member(world.cell, given_name="Năm", born=dt.date(1981, 2, 1), citizen_id="022081300002")
    before = (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = client.post(url, {"org": world.cell.pk, "token": client.session["import_token"]})
    assert response.status_code == 400
    assert "022081300002 đã có trong danh sách" in response.content.decode()
    assert (Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


# --- Headers and cells -------------------------------------------------------------------------------------


def test_separate_name_columns_header_variants_and_a_cell_chosen_on_the_page(world):
    secretary = world.users["secretary"]
    rows = [
        ["Danh sách chi bộ"],
        ["TT", "Họ", "Tên lót", "Tên", "Ngày tháng năm sinh", "Giới", "Số định danh cá nhân", "Điện thoại", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Trình độ LLCT", "Quê quán"],
        [1, "phan", "thị", "ngọc ánh", "09/10/1991", "nữ", "022191400001", "0987 654 321", "10/10/2015", "", "", "so cap", "Quảng Ninh"],
    ]
    result = import_members(actor=secretary, policy=Policy(secretary), file=xlsx(rows), org=world.cell, commit=True)
    assert result.committed, result.errors
    member = Member.objects.get(citizen_id="022191400001")
    assert (member.surname, member.middle_name, member.given_name) == ("Phan", "Thị", "Ngọc Ánh")
    assert (member.theory_level, member.phone, member.hometown, member.official_on) == ("elementary", "0987654321", "Quảng Ninh", None)
    assert member.memberships.get().org == world.cell
    assert result.unused_columns == []


def test_a_name_header_merged_over_two_columns_and_a_column_without_header(world):
    secretary = world.users["secretary"]
    rows = [
        ["STT", "Họ và tên", None, "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng", None],
        [1, "Trương Thị", "Bích", "01/03/1984", "Nữ", "022184800001", "01/03/2010", "x"],
        [2, "Trương Văn Cường", None, "01/03/1983", "Nam", "022083800002", "01/03/2010", None],
    ]
    result = import_members(actor=secretary, policy=Policy(secretary), file=xlsx(rows), org=world.cell, commit=True)
    assert result.committed, result.errors
    assert result.unused_columns == ["(cột H, không có tiêu đề)"]
    bich = Member.objects.get(citizen_id="022184800001")
    assert (bich.surname, bich.middle_name, bich.given_name) == ("Trương", "Thị", "Bích")
    cuong = Member.objects.get(citizen_id="022083800002")
    assert (cuong.surname, cuong.middle_name, cuong.given_name) == ("Trương", "Văn", "Cường")


def test_sex_marked_under_nam_or_nu_a_sorting_name_column_lengths_and_emails(world):
    secretary = world.users["secretary"]
    rows = [
        ["STT", "Họ và tên", "Tên", "Nam", "Nữ", "Ngày sinh", "Số CCCD", "Ngày vào Đảng", "Quê quán", "Email"],
        [1, "Đinh Thị Hoa", "Hoa", "", "x", "02/03/1986", "022186900001", "02/03/2012", "Hạ Long", "hoa@example.vn"],
        [2, "Đinh Văn Hải", "Hải", "x", "", "02/03/1987", "022087900002", "02/03/2012", "x" * 201, "hai@"],
        [3, "Đinh Văn Hà", "Hà", "x", "x", "1987", "022087900003", "02/03/2012", "", ""],
    ]
    result = import_members(actor=secretary, policy=Policy(secretary), file=xlsx(rows), org=world.cell, commit=False)
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Quê quán: dài 201 ký tự, quá 200 ký tự cho phép."),
        (3, "Email: “hai@” không phải địa chỉ email."),
        (4, "Ngày sinh: chỉ có năm 1987; cần đủ ngày/tháng/năm (dd/mm/yyyy)."),
        (4, "Giới tính: có dấu ở cả cột Nam và cột Nữ."),
    ]
    result = import_members(actor=secretary, policy=Policy(secretary), file=xlsx(rows[:2]), org=world.cell, commit=True)
    hoa = Member.objects.get(citizen_id="022186900001")
    assert (hoa.surname, hoa.middle_name, hoa.given_name, hoa.sex, hoa.email) == ("Đinh", "Thị", "Hoa", "female", "hoa@example.vn")


def test_a_two_row_header_under_merged_cells(world):
    """The classic party list: "Năm sinh" over "Nam | Nữ" (the date sits under the sex), "Ngày tháng năm" over
    "Vào Đảng | Chính thức"."""
    secretary = world.users["secretary"]
    rows = [
        ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN TRUNG SƠN"],
        ["STT", "Họ và tên", "Năm sinh", None, "Số CCCD", "Ngày tháng năm", None],
        [None, None, "Nam", "Nữ", None, "Vào Đảng", "Chính thức"],
        [1, "Cao Văn Khải", "04/05/1979", None, "022079990001", "04/05/2004", "04/05/2005"],
        [2, "Cao Thị Loan", None, "06/07/1980", "022180990002", "06/07/2005", None],
    ]
    result = import_members(actor=secretary, policy=Policy(secretary), file=xlsx(rows), org=world.cell, commit=True)
    assert result.committed, result.errors
    assert result.unused_columns == []
    khai = Member.objects.get(citizen_id="022079990001")
    assert (khai.sex, khai.date_of_birth, khai.admitted_on, khai.official_on) == ("male", dt.date(1979, 5, 4), dt.date(2004, 5, 4), dt.date(2005, 5, 4))
    loan = Member.objects.get(citizen_id="022180990002")
    assert (loan.sex, loan.date_of_birth, loan.admitted_on, loan.official_on) == ("female", dt.date(1980, 7, 6), dt.date(2005, 7, 6), None)


def test_a_cell_name_shared_by_two_cells_asks_for_the_code(world):
    from chibo.orgs import services as org_services
    from chibo.orgs.models import AreaKind, OrgKind, Sector

    twin = org_services.org_create(actor=None, name="Chi bộ thôn Trùng Sơn", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2020, 1, 1),
                                   sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name="Trùng Sơn")
    staff = world.users["staff"]
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Ngày vào Đảng", "Chi bộ"],
            ["Mai Văn Sáu", "01/02/1980", "Nam", "022080500001", "01/02/2005", "Chi bo thon Trung Son"],
            ["Mai Văn Bảy", "01/02/1980", "Nam", "022080500002", "01/02/2005", "Chi bộ thôn Trùng Sơn"]]
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.commune, commit=False)
    codes = ", ".join(sorted([world.cell.code, twin.code]))
    assert [(e.row, e.message) for e in result.errors] == [(2, f"Có 2 chi bộ tên “Chi bo thon Trung Son” (mã {codes}); hãy ghi mã chi bộ.")]


def test_a_cell_outside_the_chosen_scope_is_an_error_on_its_row(world):
    staff = world.users["staff"]
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Ngày vào Đảng", "Chi bộ"],
            ["Mai Văn Tám", "01/02/1980", "Nam", "022080600001", "01/02/2005", "Chi bộ thôn Đồng Tâm"],
            ["Mai Văn Chín", "01/02/1980", "Nam", "022080600002", "01/02/2005", ""]]
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.cell, commit=False)
    assert [(e.row, e.message) for e in result.errors] == [(2, "Chi bộ “Chi bộ thôn Đồng Tâm” không thuộc Chi bộ thôn Trung Sơn đã chọn khi nhập.")]
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows[:1] + rows[2:]), org=world.commune, commit=False)
    assert [(e.row, e.message) for e in result.errors] == [(2, "Chưa rõ chi bộ: hãy ghi cột Chi bộ, hoặc chọn một chi bộ khi nhập.")]


def test_a_file_without_a_header_row_or_with_missing_columns_says_why(world):
    staff = world.users["staff"]
    policy = Policy(staff)
    from chibo.core.errors import ChiboError

    with pytest.raises(ChiboError, match="Không tìm thấy dòng tiêu đề"):
        import_members(actor=staff, policy=policy, file=xlsx([["a", "b"], [1, 2]]), org=world.cell, commit=False)
    with pytest.raises(ChiboError, match=r"Dòng tiêu đề \(dòng 2\) thiếu cột: Số CCCD, Ngày vào Đảng."):
        import_members(actor=staff, policy=policy, file=xlsx([["Danh sách"], ["Họ và tên", "Ngày sinh", "Giới tính"], ["A B", "01/01/1980", "Nam"]]), org=world.cell, commit=False)


# --- Citizen IDs, dates, names -------------------------------------------------------------------------------


def test_an_id_in_scientific_notation_lost_its_digits_and_is_refused(world):
    staff = world.users["staff"]
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Ngày vào Đảng"], ["Mai Văn Mười", "01/02/1980", "Nam", "2.208E+10", "01/02/2005"]]
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.cell, commit=False)
    assert [e.message for e in result.errors] == [
        "Số CCCD: “2.208E+10” đã bị Excel đổi sang dạng số mũ và mất chữ số; hãy để cột ở dạng Văn bản (Text) rồi gõ lại số."
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/06/1990", dt.date(1990, 6, 5)),
        ("5/6/1990", dt.date(1990, 6, 5)),
        ("05-06-1990", dt.date(1990, 6, 5)),
        ("05.06.1990", dt.date(1990, 6, 5)),
        (dt.datetime(1990, 6, 5), dt.date(1990, 6, 5)),
        (25569, dt.date(1970, 1, 1)),  # Excel's serial for the Unix epoch
        (36526.0, dt.date(2000, 1, 1)),
        ("36526", dt.date(2000, 1, 1)),
        (None, None),
    ],
)
def test_dates_are_read_from_every_shape_offices_use(value, expected):
    assert read_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("31/02/1990", "31/02/1990 không phải ngày có thật."), (1990, "chỉ có năm 1990"), ("05/06/90", "không đúng dạng")],
)
def test_impossible_or_partial_dates_say_why(value, message):
    from chibo.core.errors import ChiboError

    with pytest.raises(ChiboError) as info:
        read_date(value)
    assert message in info.value.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("NGUYỄN VĂN AN", "Nguyễn Văn An"), ("đặng thị hồng", "Đặng Thị Hồng"), ("H'HEN NIÊ", "H'Hen Niê"), ("Lê Thị ánh", "Lê Thị Ánh")],
)
def test_names_are_stored_in_proper_case(typed, stored):
    assert proper_case(typed) == stored


# --- Legacy encodings ----------------------------------------------------------------------------------------

# Written by hand from the code tables (and as they look in old files), not produced by the encoder.
TCVN3_SEEN_IN_FILES = {
    "§¶ng Céng s¶n ViÖt Nam": "Đảng Cộng sản Việt Nam",
    "NguyÔn V¨n An": "Nguyễn Văn An",
    "Hå ChÝ Minh": "Hồ Chí Minh",
    "TrÇn Quèc To¶n": "Trần Quốc Toản",
    "Lª ThÞ Hång Nhung": "Lê Thị Hồng Nhung",
    "Ph¹m Ngäc Th¹ch": "Phạm Ngọc Thạch",
    "Vâ Nguyªn Gi¸p": "Võ Nguyên Giáp",
    "§ç M\u00adêi": "Đỗ Mười",  # ư is 0xAD, a soft hyphen in Latin-1
    "Hoµng V¨n Thô": "Hoàng Văn Thụ",
    "L\u00ad¬ng ThÕ Vinh": "Lương Thế Vinh",
    # typed in capitals with the upper-case font .VnTimeH: the toned letters keep their lower-case codes
    "NGUYÔN V¡N AN": "NGUYỄN VĂN AN",
    "TRÇN THÞ H¦¥NG": "TRẦN THỊ HƯƠNG",
}
VNI_SEEN_IN_FILES = {
    "Ñaûng Coäng saûn Vieät Nam": "Đảng Cộng sản Việt Nam",
    "Nguyeãn Vaên An": "Nguyễn Văn An",
    "Traàn Quoác Tuaán": "Trần Quốc Tuấn",
    "Phaïm Ngoïc Thaïch": "Phạm Ngọc Thạch",
    "Voõ Nguyeân Giaùp": "Võ Nguyên Giáp",
    "Ñoã Möôøi": "Đỗ Mười",
    "Hoaøng Vaên Thuï": "Hoàng Văn Thụ",
    "Löông Theá Vinh": "Lương Thế Vinh",
    "Huyønh Taán Phaùt": "Huỳnh Tấn Phát",
    "NGUYEÃN THÒ MYÕ": "NGUYỄN THỊ MỸ",
}


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SEEN_IN_FILES.items())
def test_tcvn3_text_is_converted(legacy, unicode):
    found = legacy_text.detect(legacy)
    assert (found.text, found.encoding, found.refused) == (unicode, "TCVN3", "")


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SEEN_IN_FILES.items())
def test_vni_text_is_converted(legacy, unicode):
    found = legacy_text.detect(legacy)
    assert (found.text, found.encoding, found.refused) == (unicode, "VNI", "")


# Real names that together use every tone on every vowel, and đ/Đ.
NAMES = [
    "Nguyễn Thị Ánh Tuyết", "Đặng Thùy Dương", "Trần Quốc Toản", "Lê Thị Ngọc Ẩn", "Phạm Ưng Đức",
    "Vũ Đình Khải", "Đỗ Thị Ỷ Lan", "Ngô Sĩ Liên", "Huỳnh Tấn Phát", "Quách Thị Ẩm", "Lý Thường Kiệt",
    "Đinh Bộ Lĩnh", "Võ Thị Sáu", "Dương Văn Mạnh", "Đoàn Thị Điểm", "Nguyễn Hữu Ước", "Trịnh Công Sơn", "Hồ Xuân Hương",
    "Lương Thế Vinh", "Chu Văn An", "Giáp Thị Mỹ", "Tạ Quang Bửu", "Khúc Hạo", "Mạc Đĩnh Chi", "Đào Duy Từ",
    "Ông Ích Khiêm", "Hà Huy Tập", "Tô Hiến Thành", "Lã Văn Cầu", "Kiều Thị Mỹ Lệ", "Nguyễn Thị Ỷ Vân", "Phùng Khắc Khoan",
]


def _every_letter() -> str:
    import unicodedata

    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    return " ".join(unicodedata.normalize("NFC", "Đ" + v + t + "ng") for v in "aăâeêioôơuưy" for t in tones)


@pytest.mark.parametrize("name", [*NAMES, _every_letter(), _every_letter().lower(), _every_letter().upper()])
def test_round_trip_through_both_legacy_encodings(name):
    assert legacy_text.detect(name).text == name and not legacy_text.detect(name).converted  # Unicode stays as it is
    vni = legacy_text.encode_vni(name)
    assert legacy_text.detect(vni).text == name
    # TCVN3 has no codes for capitals with a tone (they were typed in a separate upper-case font).
    assert legacy_text.detect(legacy_text.encode_tcvn3(name)).text.lower() == name.lower()


@pytest.mark.parametrize(
    "text",
    ["Hoà Bình", "Thuỷ", "Khoẻ", "Quỳnh", "Nguyễn Thị Giang", "Y Moan Niê", "H'Hen Niê", "Ksor Y Byă", "Kỹ sư – xây dựng", "Số 5, ngõ 3", "Giáo viên (THCS)"],
)
def test_vietnamese_unicode_is_never_taken_for_a_legacy_encoding(text):
    found = legacy_text.detect(text)
    assert (found.text, found.encoding, found.refused) == (text, "", "")


def test_decomposed_text_and_the_icelandic_eth_are_stored_as_vietnamese_nfc():
    import unicodedata

    assert legacy_text.detect(unicodedata.normalize("NFD", "Nguyễn Văn Đức")).text == "Nguyễn Văn Đức"
    assert legacy_text.detect("Phạm Ưng \u00d0ức").text == "Phạm Ưng Đức"


def test_legacy_text_that_cannot_be_converted_is_refused_never_stored_garbled(world):
    assert legacy_text.detect("Ng¿y¤n").refused == "garbled"
    staff = world.users["staff"]
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "CCCD", "Ngày vào Đảng"], ["Ng¿y¤n V¨n An", "01/02/1980", "Nam", "022080700001", "01/02/2005"]]
    result = import_members(actor=staff, policy=Policy(staff), file=xlsx(rows), org=world.cell, commit=True)
    assert not result.committed
    assert result.errors[0].message.startswith("Họ và tên: “Ng¿y¤n V¨n An” có ký tự lạ của phông chữ cũ")
    assert not Member.objects.filter(citizen_id="022080700001").exists()


# --- The page, the template, the command ---------------------------------------------------------------------


def test_the_template_downloads_for_import_roles_and_reads_back(world, client_for):
    assert client_for("member").get("/members/import/template.xlsx").status_code == 404
    assert client_for("secretary").get("/members/import/template.xlsx").status_code == 200
    assert client_for("secretary").post("/members/import/template.xlsx").status_code == 405
    assert client_for("admin").get("/members/import/template.xlsx").status_code == 200
    response = client_for("outsider").get("/members/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Danh sách", "Hướng dẫn"]
    ws = wb["Danh sách"]
    header = [c.value for c in ws[2]]
    assert header[:6] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại"]
    example = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert example["STT"] == "Ví dụ"
    assert check_citizen_id(example["Số CCCD"], date_of_birth=dt.date(1985, 8, 15), sex="female") == "022185000123"
    assert ws.column_dimensions["B"].width >= 20
    guide = {row[0]: row[1] for row in wb["Hướng dẫn"].iter_rows(min_row=5, values_only=True)}
    assert set(header) <= set(guide)
    # The template as downloaded imports cleanly: nothing but the example row, which is skipped.
    from chibo.core.errors import ChiboError

    with pytest.raises(ChiboError, match="không có dòng dữ liệu"):
        import_members(actor=world.users["secretary"], policy=Policy(world.users["secretary"]), file=io.BytesIO(response.content), org=world.cell, commit=False)


def test_the_page_links_the_template_and_lists_its_choices(world, client_for):
    body = client_for("staff").get(f"/members/import/?org={world.commune.pk}").content.decode()
    assert "/members/import/template.xlsx" in body
    assert "Chi bộ thôn Trung Sơn" in body and "Chi bộ thôn Đồng Tâm" in body and "Làng Y" not in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ds.xls", b"\xd0\xcf\x11\xe0old excel", "Chỉ nhận tệp .xlsx"),
        ("ds.csv", b"a,b", "Chỉ nhận tệp .xlsx"),
        ("ds.xlsx", b"MZ not a zip", "không phải là bảng tính"),
    ],
)
def test_the_form_refuses_files_it_cannot_read(world, client_for, name, content, message):
    upload = io.BytesIO(content)
    upload.name = name
    response = client_for("secretary").post(f"/members/import/?org={world.cell.pk}", {"org": world.cell.pk, "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_form_refuses_a_file_over_the_size_limit(world, client_for, settings):
    settings.CHIBO_IMPORT_MAX_BYTES = 1024 * 1024
    upload = io.BytesIO(b"PK\x03\x04" + b"0" * (1024 * 1024 + 1))
    upload.name = "ds.xlsx"
    response = client_for("secretary").post(f"/members/import/?org={world.cell.pk}", {"org": world.cell.pk, "file": upload})
    assert response.status_code == 400
    assert "Tệp quá lớn (1.0 MB); tối đa 1 MB." in response.content.decode()


def test_an_empty_post_and_an_expired_token_say_so(world, client_for):
    client = client_for("secretary")
    url = f"/members/import/?org={world.cell.pk}"
    response = client.post(url, {"org": world.cell.pk})
    assert response.status_code == 400 and "Hãy chọn tệp .xlsx." in response.content.decode()
    response = client.post(url, {"org": world.cell.pk, "token": "0" * 32})
    assert response.status_code == 400 and "Phiên nhập đã hết hạn" in response.content.decode()


def test_outsiders_get_404_for_the_page_and_for_a_post(world, client_for):
    outsider = client_for("outsider")
    assert outsider.get(f"/members/import/?org={world.cell.pk}").status_code == 404
    assert outsider.post(f"/members/import/?org={world.cell.pk}", {"org": world.cell.pk}).status_code == 404
    assert outsider.post("/members/import/", {"org": world.cell.pk, "file": xlsx([HEADER])}).status_code == 404
    assert client_for("member").get(f"/members/import/?org={world.cell.pk}").status_code == 404


def test_the_command_reports_notices_and_commits_with_org_as_scope(world, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx(messy_rows(world, with_bad_rows=False)).getvalue())
    out = io.StringIO()
    call_command("import_members", str(path), "--org", world.commune.code, "--as-user", "canboxa", stdout=out)
    text = out.getvalue()
    assert "Cột không dùng: Ghi chú" in text and "Dòng 9: Đã chuyển mã VNI sang Unicode (Họ và tên)." in text
    assert not Member.objects.filter(citizen_id="022085100003").exists()
    call_command("import_members", str(path), "--org", world.commune.code, "--as-user", "canboxa", "--commit", stdout=io.StringIO())
    assert Member.objects.get(citizen_id="022085100003").memberships.get().org == world.cell2


@pytest.mark.browser
def test_a_commune_officer_imports_an_office_spreadsheet_in_the_browser(page, bworld) -> None:
    import re

    from playwright.sync_api import expect

    from tests.browser.helpers import login, shot

    def upload(rows: list[list]) -> None:
        page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
            files=[{"name": "danh-sach.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": xlsx(rows).getvalue()}]
        )
        page.get_by_role("button", name="Kiểm tra tệp").click()

    login(page, "canboxa")
    page.goto(f"/org/{bworld.commune.pk}/")
    page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page.get_by_test_id("import-template")).to_have_attribute("href", "/members/import/template.xlsx")
    expect(page.get_by_label("Nhập vào")).to_have_value(str(bworld.commune.pk))

    upload(messy_rows(bworld, with_bad_rows=True))
    expect(page.get_by_test_id("import-failed")).to_contain_text("Có 3 lỗi; chưa nhập dòng nào.")
    expect(page.get_by_test_id("import-errors")).to_contain_text("31/02/1990 không phải ngày có thật.")
    expect(page.get_by_test_id("import-unused")).to_have_text("Cột không dùng: Ghi chú")
    expect(page.get_by_test_id("import-notices")).to_contain_text("Dòng 8: Đã chuyển mã TCVN3 sang Unicode (Họ và tên, Giới tính).")
    shot(page, "import-dry-run-errors")

    upload(messy_rows(bworld, with_bad_rows=False))
    expect(page.get_by_test_id("import-preview")).to_contain_text("Lê Thị Hồng Nhung")
    expect(page.get_by_test_id("import-preview")).to_contain_text("Trần Quốc Tuấn")
    shot(page, "import-dry-run-ok")
    page.get_by_test_id("import-commit").click()
    expect(page).to_have_url(re.compile(rf"/org/{bworld.commune.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 3 đảng viên.")
    expect(page.get_by_test_id("count-members")).to_have_text("5")
