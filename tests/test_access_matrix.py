"""Every persona against every page: allowed (200) or refused exactly like a missing page (404)."""

from __future__ import annotations

import re

import pytest

from chibo.core.models import AuditEvent
from chibo.members.models import Member

PERSONAS = ["member", "secretary", "staff", "province", "admin", "outsider"]

# page -> the personas that may open it (everyone else gets 404)
ALL_IN_COMMUNE = {"staff", "province", "admin"}
CELL_EDITORS = {"secretary", "staff", "province", "admin"}
PAGES: dict[str, tuple[str, set[str]]] = {
    "cell": ("/org/{cell}/", {"member"} | CELL_EDITORS),
    "cell_as_of": ("/org/{cell}/?as_of=31/12/2022", {"member"} | CELL_EDITORS),
    "cell_history": ("/org/{cell}/history/", {"member"} | CELL_EDITORS),
    "commune": ("/org/{commune}/", ALL_IN_COMMUNE),
    "other_cell": ("/org/{other_cell}/", {"province", "admin", "outsider"}),
    "reorg_create": ("/org/{commune}/new-child/", ALL_IN_COMMUNE),
    "reorg_change": ("/org/{cell}/change/", ALL_IN_COMMUNE),
    "reorg_move": ("/org/{cell}/move/", ALL_IN_COMMUNE),
    "reorg_merge": ("/org/{cell}/merge/", ALL_IN_COMMUNE),
    "reorg_split": ("/org/{cell}/split/", ALL_IN_COMMUNE),
    "reorg_dissolve": ("/org/{cell}/dissolve/", ALL_IN_COMMUNE),
    "own_member": ("/members/{member}/", {"member"} | CELL_EDITORS),
    "own_member_history": ("/members/{member}/history/", {"member"} | CELL_EDITORS),
    "other_member_same_cell": ("/members/{secretary_member}/", CELL_EDITORS),
    "member_edit": ("/members/{member}/edit/", CELL_EDITORS),
    "member_move": ("/members/{member}/move/", CELL_EDITORS),
    "member_status": ("/members/{member}/status/", CELL_EDITORS),
    "member_positions": ("/members/{member}/positions/", CELL_EDITORS),
    "member_other_commune": ("/members/{other_member}/", {"province", "admin", "outsider"}),
    "search_in_commune": ("/members/?org={commune}", ALL_IN_COMMUNE),
    "member_new": ("/members/new/?org={cell}", CELL_EDITORS),
    "export": ("/members/export.xlsx?org={cell}", CELL_EDITORS),
    "import": ("/members/import/?org={cell}", CELL_EDITORS),
}


def _url(template: str, world) -> str:
    return template.format(
        cell=world.cell.pk,
        commune=world.commune.pk,
        other_cell=world.other_cell.pk,
        member=world.member.pk,
        secretary_member=world.secretary_member.pk,
        other_member=world.other_member.pk,
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_policy_matrix(world, client_for, page):
    template, allowed = PAGES[page]
    url = _url(template, world)
    for persona in PERSONAS:
        response = client_for(persona).get(url)
        expected = 200 if persona in allowed else 404
        assert response.status_code == expected, f"{persona} {url}: {response.status_code}"


def test_missing_and_forbidden_answer_alike(world, client_for):
    client = client_for("outsider")
    forbidden = client.get(f"/members/{world.member.pk}/")
    missing = client.get("/members/999999/")
    assert forbidden.status_code == missing.status_code == 404

    def strip(body: bytes) -> str:
        text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", body.decode())
        return re.sub(r"/members/\d+/", "/members/N/", text)

    assert strip(forbidden.content) == strip(missing.content)


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(f"/org/{world.cell.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/members/{member}/edit/", {"surname": "X"}),
        ("/members/{member}/move/", {"org": "{other_cell}", "on": "01/01/2025"}),
        ("/members/{member}/status/", {"status": "deceased", "on": "01/01/2025"}),
        ("/members/{member}/positions/", {"action": "assign", "kind": "secretary", "on": "01/01/2025"}),
        ("/org/{cell}/change/", {"name": "Bị đổi", "on": "01/01/2025"}),
        ("/org/{cell}/dissolve/", {"on": "01/01/2025"}),
    ],
)
def test_outsider_writes_change_nothing(world, client_for, path, data):
    events = AuditEvent.objects.count()
    url = _url(path, world)
    response = client_for("outsider").post(url, {k: _url(v, world) for k, v in data.items()})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == events


def test_member_search_only_returns_scope(world, client_for):
    body = client_for("outsider").get("/members/?q=dang").content.decode()
    assert "Đặng Thị Hồng" not in body
    body = client_for("staff").get("/members/?q=dang").content.decode()
    assert "Đặng Thị Hồng" in body
    assert Member.objects.count() == 3
