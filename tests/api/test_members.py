from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.core.models import AuditEvent
from chibo.members.models import Member, Membership
from tests.api.conftest import PERSONAS
from tests.api.helpers import (
    EDITABLE_CELLS,
    EDITABLE_MEMBERS,
    MEMBER_NAMES,
    VISIBLE_MEMBERS,
    member_id,
    new_member_payload,
    org_id,
)
from tests.factories import make_member

SUMMARY_FIELDS = {
    "id", "full_name", "surname", "middle_name", "given_name", "sex", "date_of_birth", "admitted_on",
    "official_on", "party_card_number", "status", "cell",
}
PROFILE_FIELDS = SUMMARY_FIELDS | {
    "citizen_id", "phone", "email", "ethnicity", "religion", "hometown", "education", "theory_level",
    "occupation", "created_at", "updated_at",
}


def _counts() -> tuple[int, int, int]:
    return Member.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_member_list_is_the_policy_scope(world, client_for, persona):
    response = client_for(persona).get("/api/v1/members/")
    assert response.status_code == 200
    body = response.json()
    assert {row["id"] for row in body["results"]} == {member_id(world, n) for n in VISIBLE_MEMBERS[persona]}
    assert body["count"] == len(VISIBLE_MEMBERS[persona])
    for row in body["results"]:
        assert set(row) == SUMMARY_FIELDS
        assert "citizen_id" not in row


def test_member_list_summary(world, api_for):
    rows = {r["id"]: r for r in api_for("staff").get("/api/v1/members/").json()["results"]}
    assert rows[world.member.pk] == {
        "id": world.member.pk,
        "full_name": "Đặng Thị Hồng",
        "surname": "Đặng",
        "middle_name": "Thị",
        "given_name": "Hồng",
        "sex": "female",
        "date_of_birth": "1985-02-01",
        "admitted_on": "2005-03-02",
        "official_on": "2006-03-02",
        "party_card_number": "",
        "status": "official",
        "cell": {"id": world.cell.pk, "name": "Chi bộ thôn Trung Sơn"},
    }
    # Vietnamese order by given name: Hồng before Hùng.
    assert [r["given_name"] for r in api_for("staff").get("/api/v1/members/").json()["results"]] == ["Hồng", "Hùng"]


def test_member_search_ignores_diacritics(world, api_for):
    client = api_for("province")
    for query in ("dang thi hong", "ĐẶNG", "hong", "Hồng"):
        ids = [r["id"] for r in client.get("/api/v1/members/", {"q": query}).json()["results"]]
        assert ids == [world.member.pk], query
    assert client.get("/api/v1/members/", {"q": world.other_member.citizen_id[:8]}).json()["results"][0]["id"] == world.other_member.pk
    # Search never widens the scope.
    assert api_for("outsider").get("/api/v1/members/", {"q": "hong"}).json()["count"] == 0
    # Control characters are dropped rather than sent to the database.
    assert client.get("/api/v1/members/", {"q": "ho\x00ng"}).status_code == 200


def test_member_list_org_and_status_filters(world, api_for):
    client = api_for("province")
    in_commune = {r["id"] for r in client.get(f"/api/v1/members/?org={world.commune.pk}").json()["results"]}
    assert in_commune == {world.member.pk, world.secretary_member.pk}
    assert client.get(f"/api/v1/members/?org={world.cell2.pk}").json()["count"] == 0
    assert client.get("/api/v1/members/?status=official").json()["count"] == 3
    assert client.get("/api/v1/members/?status=probationary").json()["count"] == 0
    # An organisation outside the scope answers like a missing one.
    outsider = api_for("outsider")
    assert outsider.get(f"/api/v1/members/?org={world.commune.pk}").status_code == 404
    assert outsider.get("/api/v1/members/?org=987654321").status_code == 404


@pytest.mark.parametrize(("query", "field"), [("status=vip", "status"), ("org=abc", "org"), ("org=0", "org")])
def test_member_list_bad_query_is_400(world, api_for, query, field):
    response = api_for("admin").get(f"/api/v1/members/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]


@pytest.mark.parametrize("persona", PERSONAS)
def test_member_detail_allowed_or_404(world, client_for, persona):
    client = client_for(persona)
    missing = client.get("/api/v1/members/987654321/")
    assert missing.status_code == 404
    for name in MEMBER_NAMES:
        response = client.get(f"/api/v1/members/{member_id(world, name)}/")
        if name in VISIBLE_MEMBERS[persona]:
            assert response.status_code == 200, name
            assert set(response.json()) == PROFILE_FIELDS
        else:
            assert response.status_code == 404, name
            assert response.content == missing.content


def test_member_detail_profile(world, api_for):
    body = api_for("secretary").get(f"/api/v1/members/{world.member.pk}/").json()
    assert body["citizen_id"] == world.member.citizen_id
    assert body["cell"] == {"id": world.cell.pk, "name": "Chi bộ thôn Trung Sơn"}
    assert body["status"] == "official"
    assert body["ethnicity"] == "Kinh"


# Creating ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_allowed_or_404(world, client_for, persona):
    client = client_for(persona)
    for name in ("cell", "cell2", "other_cell"):
        before = _counts()
        response = client.post("/api/v1/members/", {"org": org_id(world, name), **new_member_payload()}, content_type="application/json")
        if name in EDITABLE_CELLS[persona]:
            assert response.status_code == 201, (name, response.json())
            assert response.json()["cell"]["id"] == org_id(world, name)
        else:
            assert response.status_code == 404, name
            assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found", "fields": {}}
            assert _counts() == before


def test_create_writes_member_membership_and_audit(world, api_for):
    before_members, before_memberships, before_audit = _counts()
    payload = {"org": world.cell2.pk, **new_member_payload(party_card_number="12345678", email="mai@example.vn")}
    response = api_for("staff").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == PROFILE_FIELDS
    assert body["full_name"] == "Lê Thị Mai"
    assert body["status"] == "official"
    assert body["phone"] == "0912345678"
    assert response["Location"] == f"/api/v1/members/{body['id']}/"
    assert _counts() == (before_members + 1, before_memberships + 1, before_audit + 1)
    event = AuditEvent.objects.get(verb="member.create", object_id=body["id"])
    assert event.actor_id == world.users["staff"].pk
    assert event.object_type == "members.member"
    assert event.after["org"] == "Chi bộ thôn Đồng Tâm"
    membership = Membership.objects.get(member_id=body["id"])
    assert membership.org_id == world.cell2.pk
    # Without joined_on the record starts on admission, or when the cell was founded if later.
    assert membership.valid_from == max(dt.date(2015, 5, 19), world.cell2.founded_on)
    # The new member is readable straight away.
    assert api_for("staff").get(f"/api/v1/members/{body['id']}/").status_code == 200


def test_create_probationary_with_joined_on(world, api_for):
    payload = {"org": world.cell.pk, **new_member_payload(official_on=None), "joined_on": "2020-06-01"}
    response = api_for("secretary").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "probationary"
    assert response.json()["official_on"] is None
    assert Membership.objects.get(member_id=response.json()["id"]).valid_from == dt.date(2020, 6, 1)


@pytest.mark.parametrize(
    ("citizen_id", "message_start"),
    [
        ("12345", "Số căn cước phải có đúng 12 chữ số"),
        ("abcdefghijkl", "Số căn cước chỉ gồm chữ số"),
        ("999190123456", "Ba chữ số đầu của số căn cước"),
        ("022090123456", "Chữ số thứ 4 của số căn cước"),
    ],
)
def test_create_with_bad_citizen_id_is_422_and_writes_nothing(world, api_for, citizen_id, message_start):
    before = _counts()
    payload = {"org": world.cell.pk, **new_member_payload(citizen_id=citizen_id)}
    response = api_for("staff").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "refused"
    body = response.json()
    assert list(body["fields"]) == ["citizen_id"]
    assert body["detail"].startswith(message_start)
    assert _counts() == before


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_required_text_is_400_naming_the_field(world, api_for, blank):
    before = _counts()
    payload = {"org": world.cell.pk, **new_member_payload(citizen_id=blank, surname=blank)}
    response = api_for("staff").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "surname": ["Trường này không được để trống."],
        "citizen_id": ["Trường này không được để trống."],
    }
    patch = api_for("staff").patch(f"/api/v1/members/{world.member.pk}/", {"citizen_id": blank}, format="json")
    assert patch.status_code == 400 and list(patch.json()["fields"]) == ["citizen_id"]
    assert _counts() == before


def test_a_form_body_is_415(world, api_for):
    response = api_for("staff").post("/api/v1/members/", {"org": world.cell.pk, **new_member_payload()})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_create_duplicate_citizen_id_is_422(world, api_for):
    before = _counts()
    payload = {"org": world.cell.pk, **new_member_payload(citizen_id=world.other_member.citizen_id, date_of_birth="1975-04-04", sex="male")}
    response = api_for("admin").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["citizen_id"]
    assert "đã có trong danh sách" in response.json()["detail"]
    assert _counts() == before


def test_create_in_a_committee_is_422(world, api_for):
    before = _counts()
    response = api_for("staff").post("/api/v1/members/", {"org": world.commune.pk, **new_member_payload()}, format="json")
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["org"]
    assert _counts() == before


def test_create_validation_errors_name_every_field_in_vietnamese(world, api_for):
    before = _counts()
    client = api_for("staff")
    response = client.post("/api/v1/members/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "fields"}
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"].startswith("Dữ liệu gửi lên chưa hợp lệ ở 7 trường: ")
    body = response.json()["fields"]
    for field in ("org", "surname", "given_name", "date_of_birth", "sex", "citizen_id", "admitted_on"):
        assert body[field] == ["Trường này là bắt buộc."], field
    response = client.post(
        "/api/v1/members/",
        {"org": "cell", **new_member_payload(date_of_birth="15/06/1990", sex="nam", surname="x" * 51, email="khong-phai-email")},
        format="json",
    )
    body = response.json()["fields"]
    assert response.status_code == 400
    assert body["org"] == ["Cần một số hiệu (số nguyên dương)."]
    assert body["date_of_birth"] == ["Ngày sai định dạng; hãy dùng YYYY-MM-DD."]
    assert body["sex"] == ["“nam” không phải là lựa chọn hợp lệ."]
    assert body["surname"] == ["Không được dài quá 50 ký tự."]
    assert body["email"] == ["Địa chỉ email không hợp lệ."]
    response = client.post("/api/v1/members/", {"org": world.cell.pk, **new_member_payload(given_name="Ma\x00i")}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Dữ liệu gửi lên chưa hợp lệ ở trường given_name.",
        "code": "invalid",
        "fields": {"given_name": ["Không được chứa ký tự NUL."]},
    }
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "2015-01-01"}, "admitted_on"),  # too young at admission
        ({"admitted_on": "2999-01-01", "official_on": None}, "admitted_on"),
        ({"official_on": "2010-01-01"}, "official_on"),
        ({"given_name": "Mai2"}, "given_name"),
        ({"phone": "12"}, "phone"),
        ({"party_card_number": "12ab"}, "party_card_number"),
        ({"date_of_birth": "0001-01-01"}, None),
        ({"joined_on": "2999-01-01"}, "joined_on"),
    ],
)
def test_create_rule_violations_are_422_not_500(world, api_for, overrides, field):
    before = _counts()
    response = api_for("admin").post("/api/v1/members/", {"org": world.cell.pk, **new_member_payload(**overrides)}, format="json")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "refused"
    if field is not None:
        assert list(response.json()["fields"]) == [field]
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "content_type", "status", "expected"),
    [
        ("{not json", "application/json", 400, ("Dữ liệu gửi lên không phải JSON hợp lệ.", "parse_error")),
        ("[1, 2]", "application/json", 400, ("Dữ liệu không hợp lệ: cần một đối tượng JSON, không phải list.", "invalid")),
        ("null", "application/json", 400, ("Không có dữ liệu gửi lên.", "invalid")),
        ("<x/>", "application/xml", 415, ("Kiểu nội dung không được hỗ trợ; hãy gửi JSON (Content-Type: application/json).", "unsupported_media_type")),
    ],
)
def test_malformed_bodies_are_4xx_in_vietnamese(world, client_for, body, content_type, status, expected):
    before = _counts()
    response = client_for("admin").generic("POST", "/api/v1/members/", body, content_type=content_type)
    assert response.status_code == status
    assert response.json() == {"detail": expected[0], "code": expected[1], "fields": {}}
    assert _counts() == before


def test_wrong_method_is_405_in_vietnamese(world, api_for):
    response = api_for("admin").delete(f"/api/v1/members/{world.member.pk}/")
    assert response.status_code == 405
    assert response.json() == {"detail": "Phương thức DELETE không được hỗ trợ ở địa chỉ này.", "code": "method_not_allowed", "fields": {}}
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH"}
    assert Member.objects.filter(pk=world.member.pk).exists()


# Updating ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_update_allowed_or_404(world, client_for, persona):
    client = client_for(persona)
    missing = client.patch("/api/v1/members/987654321/", {"phone": "0987654321"}, content_type="application/json")
    assert missing.status_code == 404
    for name in MEMBER_NAMES:
        response = client.patch(f"/api/v1/members/{member_id(world, name)}/", {"phone": "0987654321"}, content_type="application/json")
        if name in EDITABLE_MEMBERS[persona]:
            assert response.status_code == 200, name
            assert response.json()["phone"] == "0987654321"
        else:
            assert response.status_code == 404, name
            assert response.content == missing.content
            assert Member.objects.get(pk=member_id(world, name)).phone == ""


def test_member_cannot_edit_own_record(world, api_for):
    response = api_for("member").patch(f"/api/v1/members/{world.member.pk}/", {"phone": "0987654321"}, format="json")
    assert response.status_code == 404


def test_update_writes_audit(world, api_for):
    before_audit = AuditEvent.objects.count()
    response = api_for("secretary").patch(
        f"/api/v1/members/{world.member.pk}/", {"given_name": "Hương", "hometown": "Hải Hà"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Đặng Thị Hương"
    assert response.json()["citizen_id"] == world.member.citizen_id  # untouched fields stay
    assert AuditEvent.objects.count() == before_audit + 1
    event = AuditEvent.objects.get(verb="member.update", object_id=world.member.pk)
    assert event.actor_id == world.users["secretary"].pk
    assert event.before["given_name"] == "Hồng" and event.after["given_name"] == "Hương"
    # An empty PATCH changes nothing and records nothing.
    assert api_for("secretary").patch(f"/api/v1/members/{world.member.pk}/", {}, format="json").status_code == 200
    assert AuditEvent.objects.count() == before_audit + 1


@pytest.mark.parametrize("citizen_id", ["0220851", "02218500000x", "022000000001"])
def test_update_with_bad_citizen_id_is_422_and_writes_nothing(world, api_for, citizen_id):
    before = _counts()
    original = Member.objects.get(pk=world.member.pk)
    response = api_for("staff").patch(f"/api/v1/members/{world.member.pk}/", {"citizen_id": citizen_id, "phone": "0987654321"}, format="json")
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == ["citizen_id"]
    assert body["detail"].startswith(("Số căn cước", "Chữ số"))
    assert _counts() == before
    after = Member.objects.get(pk=world.member.pk)
    assert (after.citizen_id, after.phone, after.updated_at) == (original.citizen_id, original.phone, original.updated_at)


def test_update_null_for_a_required_field_is_400(world, api_for):
    response = api_for("staff").patch(f"/api/v1/members/{world.member.pk}/", {"surname": None, "official_on": None}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"surname": ["Trường này không được để trống (null)."]}


# Query counts ------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_member_list_query_count_is_constant(world, api_for, django_assert_max_num_queries):
    client = api_for("province")
    small = _count(client, "/api/v1/members/")
    small_search = _count(client, "/api/v1/members/?q=nguyen")
    for i in range(30):
        make_member(world.cell2 if i % 2 else world.other_cell, given_name="Bình", born=dt.date(1980, 1, 1 + i % 28))
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/members/").json()
    assert body["count"] == 33
    assert all(row["cell"] and row["status"] for row in body["results"])
    assert _count(client, "/api/v1/members/") == small
    assert _count(client, "/api/v1/members/?q=nguyen") == small_search
    # The org filter reads the organisation twice (scope, then its path); PostgreSQL adds a fuzzy-search probe.
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/v1/members/?q=binh&org={world.province.pk}").status_code == 200


def test_member_detail_query_count(world, api_for, django_assert_max_num_queries):
    client = api_for("staff")
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/members/{world.member.pk}/").status_code == 200



def test_errors_follow_accept_language(world, api_for):
    from django.utils import translation

    client = api_for("staff")
    try:
        payload = {"org": world.cell.pk, **new_member_payload(citizen_id="12345")}
        english = client.post("/api/v1/members/", payload, format="json", headers={"Accept-Language": "en"})
        assert english.json() == {
            "detail": "The citizen ID number must have exactly 12 digits (it has 5).",
            "code": "refused",
            "fields": {"citizen_id": ["The citizen ID number must have exactly 12 digits (it has 5)."]},
        }
    finally:
        translation.deactivate()
    vietnamese = client.post("/api/v1/members/", payload, format="json")
    assert vietnamese.json()["detail"] == "Số căn cước phải có đúng 12 chữ số (đang có 5)."
