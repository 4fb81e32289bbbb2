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


def test_home_sends_each_persona_to_their_work(world, client_for):
    assert client_for("member").get("/")["Location"] == f"/members/{world.member.pk}/"
    assert client_for("staff").get("/")["Location"] == "/org/"
    assert client_for("staff").get("/org/")["Location"] == f"/org/{world.commune.pk}/"
    assert client_for("admin").get("/org/")["Location"] == f"/org/{world.province.pk}/"
