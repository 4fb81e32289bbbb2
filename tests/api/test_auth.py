from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from chibo.accounts.models import LoginFailure
from tests.api.conftest import PERSONAS
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def test_token_obtain_and_use(world):
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": "canboxa", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/v1/orgs/")
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {world.commune.pk, world.cell.pk, world.cell2.pk}
    # The same token comes back on the next login.
    again = APIClient().post(TOKEN_URL, {"username": "canboxa", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token


def test_bad_credentials_are_401_in_vietnamese(world):
    response = APIClient().post(TOKEN_URL, {"username": "canboxa", "password": "sai-mat-khau"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng.", "code": "authentication_failed", "fields": {}}
    assert "token" not in response.json()
    unknown = APIClient().post(TOKEN_URL, {"username": "khongco", "password": "x"}, format="json")
    assert unknown.status_code == 401
    assert unknown.json() == response.json()


def test_missing_fields_are_listed_in_the_error_shape_in_vietnamese(world):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Dữ liệu gửi lên chưa hợp lệ ở 2 trường: username, password.",
        "code": "invalid",
        "fields": {"username": ["Trường này là bắt buộc."], "password": ["Trường này là bắt buộc."]},
    }


@override_settings(CHIBO_LOGIN_MAX_FAILURES=5)
def test_throttle_after_five_failures(world):
    client = APIClient()
    for _attempt in range(5):
        response = client.post(TOKEN_URL, {"username": "bithu", "password": "sai"}, format="json")
        assert response.status_code == 401
    assert LoginFailure.objects.filter(username="bithu").count() == 5
    # Blocked now, even with the right password; a blocked attempt is not counted again.
    blocked = client.post(TOKEN_URL, {"username": "BiThu", "password": PASSWORD}, format="json")
    assert blocked.status_code == 429
    assert blocked.json() == {"detail": "Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.", "code": "throttled", "fields": {}}
    assert int(blocked["Retry-After"]) > 0
    blocked = client.post(TOKEN_URL, {"username": "bithu", "password": PASSWORD}, format="json")
    assert blocked.status_code == 429
    assert "token" not in blocked.json()
    assert LoginFailure.objects.filter(username="bithu").count() == 5
    # Other users are not affected.
    assert client.post(TOKEN_URL, {"username": "canboxa", "password": PASSWORD}, format="json").status_code == 200


def test_success_clears_earlier_failures(world):
    client = APIClient()
    for _attempt in range(3):
        client.post(TOKEN_URL, {"username": "bithu", "password": "sai"}, format="json")
    assert LoginFailure.objects.filter(username="bithu").count() == 3
    assert client.post(TOKEN_URL, {"username": "bithu", "password": PASSWORD}, format="json").status_code == 200
    assert not LoginFailure.objects.filter(username="bithu").exists()


def test_inactive_user_gets_no_token(world):
    user = world.users["staff"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = APIClient().post(TOKEN_URL, {"username": "canboxa", "password": PASSWORD}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "url",
    ["/api/v1/orgs/", "/api/v1/orgs/1/", "/api/v1/orgs/1/children/", "/api/v1/members/", "/api/v1/members/1/", "/api/v1/schema/"],
)
def test_every_endpoint_requires_authentication(world, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa xác thực")
    assert response.json()["code"] == "not_authenticated" and response.json()["fields"] == {}
    assert response["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token khong-phai-khoa")
    response = bad.get(url)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Khóa truy cập không hợp lệ, hoặc tài khoản đã bị khóa.",
        "code": "authentication_failed",
        "fields": {},
    }


def test_writes_require_authentication(world):
    assert APIClient().post("/api/v1/members/", {}, format="json").status_code == 401
    assert APIClient().patch(f"/api/v1/members/{world.member.pk}/", {}, format="json").status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
def test_session_and_token_give_the_same_answer(world, client_for, api_for, persona):
    by_session = client_for(persona).get("/api/v1/members/")
    by_token = api_for(persona).get("/api/v1/members/")
    assert by_session.status_code == by_token.status_code == 200
    assert by_session.json() == by_token.json()


def test_session_writes_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    response = client.patch(f"/api/v1/members/{world.member.pk}/", {"phone": "0987654321"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
