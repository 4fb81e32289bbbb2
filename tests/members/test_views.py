import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from chibo.core.models import AuditEvent
from chibo.members.models import Member, Membership
from tests.factories import citizen_id

GOOD = {
    "surname": "Hoàng",
    "middle_name": "Văn",
    "given_name": "Nam",
    "sex": "male",
    "date_of_birth": "12/03/1988",
    "admitted_on": "01/09/2012",
    "official_on": "01/09/2013",
}


def test_add_member_with_bad_citizen_id_shows_message_and_writes_nothing(world, client_for):
    client = client_for("secretary")
    count, events = Member.objects.count(), AuditEvent.objects.count()
    response = client.post(f"/members/new/?org={world.cell.pk}", {**GOOD, "citizen_id": "022188000001"})
    assert response.status_code == 400
    assert "Chữ số thứ 4" in response.content.decode() or "Chữ số thứ 5" in response.content.decode()
    assert (Member.objects.count(), AuditEvent.objects.count()) == (count, events)
    good_id = citizen_id(born=dt.date(1988, 3, 12), sex="male")
    response = client.post(f"/members/new/?org={world.cell.pk}", {**GOOD, "citizen_id": good_id})
    assert response.status_code == 302
    member = Member.objects.get(citizen_id=good_id)
    assert member.full_name == "Hoàng Văn Nam" and member.date_of_birth == dt.date(1988, 3, 12)


def test_bad_date_format_is_a_vietnamese_message(world, client_for):
    response = client_for("secretary").post(f"/members/new/?org={world.cell.pk}", {**GOOD, "date_of_birth": "1988-13-45", "citizen_id": "x"})
    assert response.status_code == 400
    assert "không đúng dạng dd/mm/yyyy" in response.content.decode()


def test_move_member_through_the_form(world, client_for):
    response = client_for("staff").post(f"/members/{world.member.pk}/move/", {"org": world.cell2.pk, "on": "01/03/2025"})
    assert response.status_code == 302
    assert Membership.objects.get(member=world.member, valid_to__gt=dt.date(2025, 3, 1)).org == world.cell2


def test_secretary_cannot_move_a_member_out_of_scope(world, client_for):
    response = client_for("secretary").post(f"/members/{world.member.pk}/move/", {"org": world.other_cell.pk, "on": "01/03/2025"})
    assert response.status_code == 400
    assert "phạm vi" in response.content.decode()


def test_history_page_shows_who_changed_what(world, client_for):
    client = client_for("secretary")
    response = client.post(f"/members/{world.member.pk}/edit/", {**GOOD, "surname": "Đặng", "middle_name": "Thị", "given_name": "Hồng", "sex": "female", "date_of_birth": "01/02/1985", "admitted_on": "02/03/2005", "official_on": "02/03/2006", "citizen_id": world.member.citizen_id, "phone": "0988111222"})
    assert response.status_code == 302, response.content.decode()
    body = client.get(f"/members/{world.member.pk}/history/").content.decode()
    assert "0988111222" in body and "Nguyễn Văn Hùng" in body


def test_search_ignores_diacritics_and_d(world, client_for):
    client = client_for("province")
    assert "Đặng Thị Hồng" in client.get("/members/?q=dang thi hong").content.decode()
    assert "Nguyễn Văn Hùng" in client.get("/members/?q=nguyen van hung").content.decode()
    assert "Đặng Thị Hồng" in client.get("/members/?q=Đặng").content.decode()
    htmx = client.get("/members/?q=dang", HTTP_HX_REQUEST="true").content.decode()
    assert "Đặng Thị Hồng" in htmx and "<html" not in htmx


def test_member_list_query_count_is_pinned(world, client_for, django_assert_max_num_queries):
    from tests.factories import make_member

    for i in range(15):
        make_member(world.cell, given_name=f"Thử{'abcdefghijklmno'[i]}", born=dt.date(1980, 1, 1 + i))
    client = client_for("province")
    client.get("/")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/members/?q=").status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(f"/org/{world.cell.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/org/{world.province.pk}/").status_code == 200


def test_export_is_a_real_xlsx(world, client_for):
    response = client_for("staff").get(f"/members/export.xlsx?org={world.commune.pk}")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][1:4] == ("Họ", "Tên đệm", "Tên")
    names = {(r[1], r[3]) for r in rows[2:]}
    assert names == {("Đặng", "Hồng"), ("Nguyễn", "Hùng")}


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Số căn cước", "Ngày vào Đảng", "Ngày chính thức"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "ds.xlsx"
    return buf


def test_import_dry_run_lists_bad_rows_and_commit_is_all_or_nothing(world, client_for):
    good = ["Lê", "Thị", "Mai", "05/06/1990", "Nữ", citizen_id(born=dt.date(1990, 6, 5), sex="female"), "01/01/2015", "01/01/2016"]
    bad = ["Phạm", "Văn", "Tú", "05/06/1990", "Nam", "022090000001", "01/01/2030", ""]
    client = client_for("secretary")
    count = Member.objects.count()
    response = client.post("/members/import/", {"org": world.cell.pk, "file": _xlsx([good, bad])})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dòng" in body and ">3<" in body and "tương lai" in body
    assert Member.objects.count() == count
    response = client.post("/members/import/", {"org": world.cell.pk, "file": _xlsx([good])})
    assert response.status_code == 200 and 'data-testid="import-commit"' in response.content.decode()
    assert Member.objects.count() == count
    token = client.session["import_token"]
    response = client.post("/members/import/", {"org": world.cell.pk, "token": token})
    assert response.status_code == 302
    assert Member.objects.count() == count + 1
    assert Member.objects.get(given_name="Mai").memberships.get().org == world.cell


def test_import_refuses_a_file_that_is_not_xlsx(world, client_for):
    fake = io.BytesIO(b"MZ this is not a spreadsheet")
    fake.name = "ds.xlsx"
    response = client_for("secretary").post("/members/import/", {"org": world.cell.pk, "file": fake})
    assert response.status_code == 400
    assert "không phải là bảng tính" in response.content.decode()
