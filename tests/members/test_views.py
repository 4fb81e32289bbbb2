import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from chibo.core.models import OPEN, AuditEvent
from chibo.members.models import CommunityPosition, Member, Membership, Position, StatusPeriod
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


def test_bad_dates_are_vietnamese_messages_shown_with_every_other_error(world, client_for):
    response = client_for("secretary").post(
        f"/members/new/?org={world.cell.pk}",
        {**GOOD, "date_of_birth": "31/02/1988", "admitted_on": "12.3.x", "citizen_id": "x", "sex": "", "given_name": ""},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["date_of_birth"] == ["31/02/1988 không phải ngày có thật."]
    assert form.errors["admitted_on"] == ["“12.3.x” không đúng dạng ngày dd/mm/yyyy."]
    assert form.errors["citizen_id"] == ["Số căn cước chỉ gồm chữ số."]
    assert set(form.errors) == {"date_of_birth", "admitted_on", "citizen_id", "sex", "given_name"}
    body = response.content.decode()
    assert 'data-testid="error-date_of_birth"' in body and 'data-testid="error-citizen_id"' in body


def test_a_5000_character_surname_is_a_form_error_never_stored(world, client_for):
    count = Member.objects.count()
    good_id = citizen_id(born=dt.date(1988, 3, 12), sex="male")
    response = client_for("secretary").post(f"/members/new/?org={world.cell.pk}", {**GOOD, "surname": "Nguyễn" * 1000, "citizen_id": good_id})
    assert response.status_code == 400
    [message] = response.context["form"].errors["surname"]
    assert "tối đa 50" in message and "6000" in message
    assert Member.objects.count() == count
    response = client_for("secretary").post(f"/members/{world.member.pk}/edit/", {**GOOD, "surname": "x" * 5000, "citizen_id": world.member.citizen_id, "sex": "female", "date_of_birth": "01/02/1985", "admitted_on": "02/03/2005"})
    assert response.status_code == 400 and "surname" in response.context["form"].errors
    world.member.refresh_from_db()
    assert world.member.surname == "Đặng"


@pytest.mark.parametrize(
    ("admitted", "message"),
    [
        ("01/02/2006", "Người vào Đảng phải đủ 18 tuổi (tính theo tháng): sinh ngày 01/03/1988, vào Đảng ngày 01/02/2006 là mới 17 tuổi 11 tháng."),
        ("01/03/2006", None),
    ],
)
def test_member_form_admission_age_lower_bound(world, client_for, admitted, message):
    born = dt.date(1988, 3, 1)
    data = {**GOOD, "date_of_birth": "01/03/1988", "admitted_on": admitted, "official_on": "", "citizen_id": citizen_id(born=born, sex="male")}
    response = client_for("secretary").post(f"/members/new/?org={world.cell.pk}", data)
    if message is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert response.context["form"].errors["admitted_on"] == [message]


def test_member_form_admission_age_upper_bound(world, client_for):
    born = dt.date(1960, 1, 1)
    data = {**GOOD, "date_of_birth": "01/01/1960", "admitted_on": "01/02/2020", "official_on": "", "citizen_id": citizen_id(born=born, sex="male")}
    response = client_for("secretary").post(f"/members/new/?org={world.cell.pk}", data)
    assert response.status_code == 400
    assert response.context["form"].errors["admitted_on"][0].startswith("Người vào Đảng không quá 60 tuổi")
    assert "60 tuổi 1 tháng" in response.context["form"].errors["admitted_on"][0]
    response = client_for("secretary").post(f"/members/new/?org={world.cell.pk}", {**data, "admitted_on": "01/01/2020"})
    assert response.status_code == 302


# Status and positions pages: in scope, good and bad input ---------------------------------------


def test_secretary_changes_a_status_through_the_form(world, client_for):
    response = client_for("secretary").post(f"/members/{world.member.pk}/status/", {"status": "deceased", "on": "01/03/2025", "note": "Từ trần"})
    assert response.status_code == 302
    assert StatusPeriod.objects.get(member=world.member, valid_to=OPEN).status == "deceased"


def test_the_status_form_offers_only_what_no_lifecycle_owns(world, client_for):
    """Issue 9: exemption, transfers, removal and official status go through their own steps."""
    client = client_for("secretary")
    page = client.get(f"/members/{world.member.pk}/status/")
    assert [value for value, _label in page.context["form"].fields["status"].choices] == ["deceased"]
    assert "qua quy trình riêng" in page.content.decode()
    response = client.post(f"/members/{world.member.pk}/status/", {"status": "exempted", "on": "01/03/2025", "note": "Tuổi cao"})
    assert response.status_code == 400 and "status" in response.context["form"].errors
    assert StatusPeriod.objects.get(member=world.member, valid_to=OPEN).status == "official"


def test_status_form_with_bad_input_changes_nothing_and_says_why_under_each_field(world, client_for):
    before = list(StatusPeriod.objects.filter(member=world.member).values_list("status", "valid_from", "valid_to"))
    events = AuditEvent.objects.count()
    response = client_for("secretary").post(f"/members/{world.member.pk}/status/", {"status": "khong-co", "on": "30/02/2025", "note": "x" * 301})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"status", "on", "note"}
    assert errors["on"] == ["30/02/2025 không phải ngày có thật."]
    assert list(StatusPeriod.objects.filter(member=world.member).values_list("status", "valid_from", "valid_to")) == before
    assert AuditEvent.objects.count() == events
    # A service refusal lands on its field too.
    response = client_for("secretary").post(f"/members/{world.member.pk}/status/", {"status": "deceased", "on": "01/03/2099"})
    assert response.status_code == 400
    assert response.context["form"].errors["on"] == ["Ngày hiệu lực không được ở tương lai."]


def test_staff_assigns_and_ends_positions_through_the_page(world, client_for):
    client = client_for("staff")
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "assign", "kind": "deputy_secretary", "on": "01/03/2025"})
    assert response.status_code == 302
    position = Position.objects.get(member=world.member, kind="deputy_secretary", valid_to=OPEN)
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "end", "position": position.pk, "on": "01/06/2025"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.valid_to == dt.date(2025, 6, 1)
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "community", "kind": "front_head", "area_name": "Trung Sơn", "on": "01/03/2025"})
    assert response.status_code == 302
    cp = CommunityPosition.objects.get(member=world.member)
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "end_community", "position": cp.pk, "on": "01/04/2025"})
    assert response.status_code == 302
    cp.refresh_from_db()
    assert cp.valid_to == dt.date(2025, 4, 1)


def test_positions_page_bad_input_changes_nothing_and_shows_the_rule(world, client_for):
    client = client_for("secretary")
    positions, events = Position.objects.count(), AuditEvent.objects.count()
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "assign", "kind": "committee_member", "on": "01/03/2025"})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["kind"][0].startswith("Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy (Quy định 294-QĐ/TW)")
    assert 'data-testid="error-kind"' in response.content.decode()
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "assign", "kind": "king", "on": "32/01/2025"})
    assert response.status_code == 400 and set(response.context["assign_form"].errors) == {"kind", "on"}
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "community", "kind": "village_head", "area_name": "", "on": ""})
    assert response.status_code == 400 and set(response.context["community_form"].errors) == {"area_name", "on"}
    secretary_position = Position.objects.get(member=world.secretary_member)
    response = client.post(f"/members/{world.secretary_member.pk}/positions/", {"action": "end", "position": secretary_position.pk, "on": "01/01/2019"})
    assert response.status_code == 400
    assert response.context["end_form"].errors["on"] == ["Ngày kết thúc phải sau ngày bắt đầu nhiệm kỳ."]
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "end", "position": secretary_position.pk, "on": "01/01/2025"})
    assert response.status_code == 400 and "Không tìm thấy chức vụ." in response.content.decode()
    response = client.post(f"/members/{world.member.pk}/positions/", {"action": "fly"})
    assert response.status_code == 400 and "Thao tác không hợp lệ." in response.content.decode()
    assert (Position.objects.count(), AuditEvent.objects.count()) == (positions, events)
    secretary_position.refresh_from_db()
    assert secretary_position.valid_to == OPEN


def test_outsider_gets_404_on_status_and_positions(world, client_for):
    for url in (f"/members/{world.member.pk}/status/", f"/members/{world.member.pk}/positions/"):
        assert client_for("outsider").post(url, {"action": "assign", "kind": "secretary", "status": "removed", "on": "01/03/2025"}).status_code == 404
    assert StatusPeriod.objects.get(member=world.member, valid_to=OPEN).status == "official"


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
    with django_assert_max_num_queries(20):  # 18 since the cell page shows its recorded term, 19 its task counts, 20 its reconciliation
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
