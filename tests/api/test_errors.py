"""Every error of the API has one documented shape: {"detail", "code", "fields"}."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from chibo.core.views import server_error

SHAPE = {"detail", "code", "fields"}


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == SHAPE, body
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(
    ("url", "parameter", "detail"),
    [
        ("/api/v1/orgs/?page=0", "page", "Tham số page phải là một số nguyên từ 1 đến 1000000000."),
        ("/api/v1/orgs/?page=", "page", "Tham số page phải là một số nguyên từ 1 đến 1000000000."),
        ("/api/v1/orgs/?page=abc", "page", "Tham số page phải là một số nguyên từ 1 đến 1000000000."),
        ("/api/v1/orgs/?page=last", "page", "Tham số page phải là một số nguyên từ 1 đến 1000000000."),
        ("/api/v1/members/?page=-1", "page", "Tham số page phải là một số nguyên từ 1 đến 1000000000."),
        ("/api/v1/orgs/?page_size=0", "page_size", "Tham số page_size phải là một số nguyên từ 1 đến 200."),
        ("/api/v1/orgs/?page_size=201", "page_size", "Tham số page_size phải là một số nguyên từ 1 đến 200."),
        ("/api/v1/orgs/?page_size=", "page_size", "Tham số page_size phải là một số nguyên từ 1 đến 200."),
        ("/api/v1/orgs/?as_of=", "as_of", "Tham số as_of để trống: hãy bỏ nó đi, hoặc ghi một ngày YYYY-MM-DD."),
        ("/api/v1/orgs/?as_of=2024-W01-1", "as_of", "Ngày 2024-W01-1 không đúng dạng YYYY-MM-DD (ví dụ 2025-07-01)."),
        ("/api/v1/orgs/?as_of=20240101", "as_of", "Ngày 20240101 không đúng dạng YYYY-MM-DD (ví dụ 2025-07-01)."),
        ("/api/v1/orgs/?as_of=2024-02-30", "as_of", "2024-02-30 không phải ngày có thật."),
        ("/api/v1/orgs/?as_of=2025-13-01", "as_of", "2025-13-01 không phải ngày có thật."),
        ("/api/v1/orgs/?parent=", "parent", "Tham số parent phải là một số hiệu (số nguyên dương)."),
        ("/api/v1/members/?org=", "org", "Tham số org phải là một số hiệu (số nguyên dương)."),
        ("/api/v1/members/?status=", "status", "Trạng thái “” không hợp lệ."),
    ],
)
def test_a_malformed_query_parameter_is_400_naming_it(world, api_for, url, parameter, detail):
    body = _error(api_for("staff").get(url), 400, "invalid")
    assert body == {"detail": detail, "code": "invalid", "fields": {parameter: [detail]}}


def test_as_of_on_detail_pages_too(world, api_for):
    for url in (f"/api/v1/orgs/{world.cell.pk}/?as_of=", f"/api/v1/orgs/{world.cell.pk}/children/?as_of="):
        assert _error(api_for("staff").get(url), 400, "invalid")["fields"].keys() == {"as_of"}


def test_a_page_beyond_the_last_is_404_in_the_shape(world, api_for):
    body = _error(api_for("staff").get("/api/v1/orgs/?page=2"), 404, "not_found")
    assert body["detail"] == "Trang 2 không hợp lệ." and body["fields"] == {}


def test_an_empty_post_lists_every_missing_field(world, api_for):
    body = _error(api_for("staff").post("/api/v1/members/", {}, format="json"), 400, "invalid")
    assert set(body["fields"]) == {"org", "surname", "given_name", "date_of_birth", "sex", "citizen_id", "admitted_on"}
    assert all(messages == ["Trường này là bắt buộc."] for messages in body["fields"].values())


def test_errors_follow_the_request_language(world, api_for):
    from django.utils import translation

    try:
        english = api_for("staff").post("/api/v1/members/", {}, format="json", headers={"Accept-Language": "en"})
    finally:
        translation.deactivate()
    body = _error(english, 400, "invalid")
    assert body["fields"]["surname"] == ["This field is required."]


def test_unknown_api_address_is_404_in_the_shape(world, api_for, client):
    for response in (api_for("staff").get("/api/v1/khong-co/"), client.get("/api/v1/orgs/-1/")):
        assert _error(response, 404, "not_found") == {"detail": "Không tìm thấy.", "code": "not_found", "fields": {}}


def test_unauthenticated_forbidden_wrong_method_media_type_and_accept(world, api_for, client, client_for):
    _error(client.get("/api/v1/orgs/"), 401, "not_authenticated")
    # Session authentication without the CSRF token.
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.users["staff"])
    assert _error(csrf_client.post("/api/v1/members/", {}, content_type="application/json"), 403, "permission_denied")[
        "detail"
    ] == "Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF."
    response = api_for("staff").put(f"/api/v1/members/{world.member.pk}/", {}, format="json")
    _error(response, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"]
    _error(api_for("staff").generic("POST", "/api/v1/members/", "x", content_type="text/plain"), 415, "unsupported_media_type")
    _error(api_for("staff").get("/api/v1/orgs/", headers={"Accept": "text/html"}), 406, "not_acceptable")


def test_a_server_error_under_api_is_json_in_the_shape(rf: RequestFactory):
    response = server_error(rf.get("/api/v1/orgs/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "Lỗi máy chủ. Hãy thử lại sau.", "code": "server_error", "fields": {}}
    page = server_error(rf.get("/org/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_error_shape_on_every_operation(world, api_for):
    schema = api_for("staff").get("/api/v1/schema/").json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == SHAPE
    assert error["properties"]["fields"]["additionalProperties"]["items"]["type"] == "string"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = path == "/api/v1/auth/token/"
            expected = {"400", "406"} | (set() if public else {"401", "403", "404"})
            if method in ("post", "patch"):
                expected |= {"415", "422"}
            if public:
                expected |= {"401", "429"}
            errors = {code for code in operation["responses"] if code >= "400"}
            assert errors == expected, (method, path, errors)
            for code in errors:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)
