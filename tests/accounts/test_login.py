from django.test import Client

from tests.factories import PASSWORD


def test_login_and_throttle_after_repeated_failures(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "bithu", "password": "sai"})
    assert response.status_code == 400
    assert "không đúng" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "bithu", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "bithu", "password": "sai"})
    response = client.post("/accounts/login/", {"username": "bithu", "password": PASSWORD})
    assert response.status_code == 400
    assert "quá nhiều lần" in response.content.decode()


def test_login_redirect_stays_on_site(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "bithu", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_home_shows_each_persona_their_month_and_the_tree_opens_on_their_node(world, client_for):
    # The home page itself: tests/core/test_home.py.
    assert 'data-testid="home-member"' in client_for("member").get("/").content.decode()
    assert 'data-testid="home-committee"' in client_for("staff").get("/").content.decode()
    assert client_for("staff").get("/org/")["Location"] == f"/org/{world.commune.pk}/"
    assert client_for("admin").get("/org/")["Location"] == f"/org/{world.province.pk}/"


def test_only_admins_manage_accounts_and_grants_are_audited(world, client_for):
    from chibo.accounts.models import Grant
    from chibo.core.models import AuditEvent

    for persona in ["member", "secretary", "staff", "province", "outsider"]:
        assert client_for(persona).get("/accounts/users/").status_code == 404
    admin = client_for("admin")
    assert admin.get("/accounts/users/").status_code == 200
    response = admin.post("/accounts/users/", {"action": "create", "username": "moi", "password": "mat-khau-moi-1", "password2": "mat-khau-moi-1", "citizen_id": world.other_member.citizen_id})
    assert response.status_code == 302
    from chibo.accounts.models import User

    user = User.objects.get(username="moi")
    assert user.member == world.other_member
    response = admin.post("/accounts/users/", {"action": "grant", "user": user.pk, "role": "secretary", "org": world.other_cell.code})
    assert response.status_code == 302
    grant = Grant.objects.get(user=user)
    assert AuditEvent.objects.filter(verb="grant.add", object_id=user.pk).exists()
    response = admin.post("/accounts/users/", {"action": "grant", "user": user.pk, "role": "staff", "org": "khong-co"})
    assert response.status_code == 400 and "Không có tổ chức" in response.content.decode()
    admin.post("/accounts/users/", {"action": "revoke", "grant": grant.pk})
    assert not Grant.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(verb="grant.remove", object_id=user.pk).exists()


def test_the_session_lookup_refuses_expired_sessions_deactivated_users_and_changed_passwords(world):
    """chibo.accounts.sessions and .backends read the session and its user in plain statements:
    Django's rules still hold."""
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    def logged_in() -> Client:
        client = Client()
        assert client.post("/accounts/login/", {"username": "bithu", "password": PASSWORD}).status_code == 302
        assert client.get("/org/").status_code in (200, 302)
        assert "/accounts/login/" not in client.get(f"/org/{world.cell.pk}/").get("Location", "")
        return client

    client = logged_in()
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/org/{world.cell.pk}/")["Location"].startswith("/accounts/login/")

    client = logged_in()
    user = world.users["secretary"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(f"/org/{world.cell.pk}/")["Location"].startswith("/accounts/login/")
    user.is_active = True
    user.save(update_fields=["is_active"])

    client = logged_in()
    user.set_password("mot-mat-khau-moi-2026")
    user.save(update_fields=["password"])
    assert client.get(f"/org/{world.cell.pk}/")["Location"].startswith("/accounts/login/")


def test_admin_creates_an_account_with_its_first_grant(world, client_for):
    from chibo.accounts.models import Grant, User

    admin = client_for("admin")
    response = admin.post("/accounts/users/", {"action": "create", "username": "bithu2", "password": "mat-khau-moi-2", "password2": "mat-khau-moi-2", "role": "secretary", "org": f"{world.cell.code} — Chi bộ thôn Trung Sơn"})
    assert response.status_code == 302
    user = User.objects.get(username="bithu2")
    assert user.check_password("mat-khau-moi-2") and user.member is None
    assert list(Grant.objects.filter(user=user).values_list("role", "org_id")) == [("secretary", world.cell.pk)]


def test_account_form_shows_every_error_at_once_and_creates_nothing(world, client_for):
    from chibo.accounts.models import Grant, User

    users, grants = User.objects.count(), Grant.objects.count()
    response = client_for("admin").post("/accounts/users/", {"action": "create", "username": "bithu", "password": "ngan", "password2": "khac", "citizen_id": "022000000000", "role": "staff", "org": ""})
    assert response.status_code == 400
    errors = response.context["create_form"].errors
    assert errors["username"] == ["Tên đăng nhập bithu đã có."]
    assert errors["password"] == ["Mật khẩu phải có ít nhất 8 ký tự."]
    assert errors["password2"] == ["Hai lần nhập mật khẩu không giống nhau."]
    assert errors["citizen_id"] == ["Không có đảng viên có số căn cước 022000000000."]
    assert errors["org"] == ["Hãy chọn tổ chức cho vai trò này."]
    body = response.content.decode()
    assert 'data-testid="error-password2"' in body and 'data-testid="error-org"' in body
    response = client_for("admin").post("/accounts/users/", {"action": "create", "username": "x" * 151, "password": "mat-khau-moi-3", "password2": "mat-khau-moi-3"})
    assert response.status_code == 400 and "username" in response.context["create_form"].errors
    # A grant that fails rolls the new account back.
    response = client_for("admin").post("/accounts/users/", {"action": "create", "username": "moi3", "password": "mat-khau-moi-3", "password2": "mat-khau-moi-3", "role": "staff", "org": "khong-co"})
    assert response.status_code == 400
    assert (User.objects.count(), Grant.objects.count()) == (users, grants)


def test_the_organisation_picker_searches_the_tree_for_admins_only(world, client_for):
    body = client_for("admin").get("/accounts/users/org-options/?q=trung son").content.decode()
    assert f'value="{world.cell.code} — Chi bộ thôn Trung Sơn — Đảng bộ tỉnh Quảng Ninh › Đảng bộ xã Quảng Tân"' in body
    assert "Đồng Tâm" not in body
    assert world.cell2.code in client_for("admin").get(f"/accounts/users/org-options/?q={world.cell2.code[:6]}").content.decode()
    assert client_for("admin").get("/accounts/users/org-options/?q=t").content.decode().strip() == ""
    for persona in ("member", "secretary", "staff", "province", "outsider"):
        assert client_for(persona).get("/accounts/users/org-options/?q=trung").status_code == 404


def test_grant_and_revoke_with_bad_input_change_nothing(world, client_for):
    from chibo.accounts.models import Grant

    admin = client_for("admin")
    grants = Grant.objects.count()
    response = admin.post("/accounts/users/", {"action": "grant", "user": 999999, "role": "boss", "org": ""})
    assert response.status_code == 400 and "Không tìm thấy tài khoản." in response.content.decode()
    response = admin.post("/accounts/users/", {"action": "revoke", "grant": 999999})
    assert response.status_code == 400 and "Không tìm thấy quyền." in response.content.decode()
    response = admin.post("/accounts/users/", {"action": "nothing"})
    assert response.status_code == 400 and "Thao tác không hợp lệ." in response.content.decode()
    assert Grant.objects.count() == grants
