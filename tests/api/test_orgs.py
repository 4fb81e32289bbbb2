from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.orgs import services as org_services
from chibo.orgs.models import OrgKind, Sector
from tests.api.conftest import PERSONAS
from tests.api.helpers import ORG_NAMES, VISIBLE_ORGS, org_id
from tests.factories import make_member

ORG_FIELDS = {"id", "code", "name", "kind", "sector", "admin_unit", "area_kind", "area_name", "parent", "depth", "valid_from"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_org_list_is_the_policy_scope(world, client_for, persona):
    response = client_for(persona).get("/api/v1/orgs/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(VISIBLE_ORGS[persona])
    assert {row["id"] for row in body["results"]} == {org_id(world, n) for n in VISIBLE_ORGS[persona]}
    for row in body["results"]:
        assert set(row) == ORG_FIELDS


def test_org_list_fields(world, api_for):
    rows = {row["id"]: row for row in api_for("admin").get("/api/v1/orgs/").json()["results"]}
    cell = rows[world.cell.pk]
    assert cell == {
        "id": world.cell.pk,
        "code": world.cell.code,
        "name": "Chi bộ thôn Trung Sơn",
        "kind": "cell",
        "sector": "residential",
        "admin_unit": "",
        "area_kind": "village",
        "area_name": "Trung Sơn",
        "parent": world.commune.pk,
        "depth": 2,
        "valid_from": "2020-01-01",
    }
    assert rows[world.province.pk]["parent"] is None
    assert rows[world.commune.pk]["admin_unit"] == "commune"


def test_org_list_parent_filter_and_order(world, api_for):
    body = api_for("province").get(f"/api/v1/orgs/?parent={world.commune.pk}").json()
    assert [row["id"] for row in body["results"]] == sorted([world.cell.pk, world.cell2.pk])
    # A parent outside the scope filters to nothing; it is not an error.
    assert api_for("outsider").get(f"/api/v1/orgs/?parent={world.commune.pk}").json()["count"] == 0
    # Tree order: the province first.
    ids = [row["id"] for row in api_for("admin").get("/api/v1/orgs/").json()["results"]]
    assert ids[0] == world.province.pk


def test_org_list_pagination(world, api_for):
    client = api_for("admin")
    first = client.get("/api/v1/orgs/?page_size=4").json()
    assert first["count"] == 6 and len(first["results"]) == 4 and first["next"]
    second = client.get("/api/v1/orgs/?page_size=4&page=2").json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    missing = client.get("/api/v1/orgs/?page=99")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Trang 99 không hợp lệ."


def test_as_of_uses_the_tree_of_that_date(world, api_for):
    # Đồng Tâm moves from Quảng Tân to Đại Bình in 2023: before, Quảng Tân's staff sees it; after, Đại Bình's.
    org_services.org_move(actor=None, org=world.cell2, new_parent=world.other_commune, on=dt.date(2023, 1, 1))
    staff, outsider = api_for("staff"), api_for("outsider")

    def ids(client, as_of=None):
        return {r["id"] for r in client.get("/api/v1/orgs/", {"as_of": as_of} if as_of else {}).json()["results"]}

    assert world.cell2.pk in ids(staff, "2022-06-30")
    assert world.cell2.pk not in ids(staff)
    assert world.cell2.pk in ids(outsider)
    assert world.cell2.pk not in ids(outsider, "2022-06-30")
    assert staff.get(f"/api/v1/orgs/{world.cell2.pk}/?as_of=2022-06-30").status_code == 200
    assert staff.get(f"/api/v1/orgs/{world.cell2.pk}/").status_code == 404
    old = staff.get(f"/api/v1/orgs/{world.commune.pk}/children/?as_of=2022-06-30").json()
    assert {c["id"] for c in old["children"]} == {world.cell.pk, world.cell2.pk}
    now = staff.get(f"/api/v1/orgs/{world.commune.pk}/children/").json()
    assert {c["id"] for c in now["children"]} == {world.cell.pk}
    # Before anything was founded, nothing is visible.
    assert ids(api_for("admin"), "2019-12-31") == set()
    assert api_for("admin").get(f"/api/v1/orgs/{world.province.pk}/?as_of=2019-12-31").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_org_detail_allowed_or_404(world, client_for, persona):
    client = client_for(persona)
    missing = client.get("/api/v1/orgs/987654321/")
    assert missing.status_code == 404
    for name in ORG_NAMES:
        response = client.get(f"/api/v1/orgs/{org_id(world, name)}/")
        if name in VISIBLE_ORGS[persona]:
            assert response.status_code == 200, name
            assert response.json()["id"] == org_id(world, name)
        else:
            assert response.status_code == 404, name
            # Out of scope answers exactly like missing.
            assert response.content == missing.content
            assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found", "fields": {}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_org_children_allowed_or_404(world, client_for, persona):
    client = client_for(persona)
    missing = client.get("/api/v1/orgs/987654321/children/")
    assert missing.status_code == 404
    for name in ORG_NAMES:
        response = client.get(f"/api/v1/orgs/{org_id(world, name)}/children/")
        if name in VISIBLE_ORGS[persona]:
            assert response.status_code == 200, name
            children = {c["id"] for c in response.json()["children"]}
            # Only visible children are listed.
            assert children <= {org_id(world, n) for n in VISIBLE_ORGS[persona]}
        else:
            assert response.status_code == 404, name
            assert response.content == missing.content


def test_org_detail_stats(world, api_for):
    response = api_for("staff").get(f"/api/v1/orgs/{world.commune.pk}/")
    body = response.json()
    assert set(body) == ORG_FIELDS | {"as_of", "stats"}
    assert body["name"] == "Đảng bộ xã Quảng Tân"
    stats = body["stats"]
    assert stats["cells"] == 2
    assert stats["residential_cells"] == 2
    assert stats["members"] == 2
    assert stats["members_by_status"] == {"official": 2}
    assert stats["secretaries_also_village_heads"] == 1
    province = api_for("province").get(f"/api/v1/orgs/{world.province.pk}/?as_of=2024-01-01").json()
    assert province["as_of"] == "2024-01-01"
    assert province["stats"]["members"] == 3
    assert province["stats"]["commune_committees"] == 2
    assert province["stats"]["grassroots_committees"] == 2


def test_org_children_counts(world, api_for):
    body = api_for("province").get(f"/api/v1/orgs/{world.commune.pk}/children/").json()
    assert body["org"]["id"] == world.commune.pk
    assert body["total"] == {"cells": 2, "members": 2, "by_status": {"official": 2}}
    children = {c["id"]: c for c in body["children"]}
    assert children[world.cell.pk]["counts"] == {"cells": 1, "members": 2, "by_status": {"official": 2}}
    assert children[world.cell2.pk]["counts"] == {"cells": 1, "members": 0, "by_status": {}}
    assert children[world.cell.pk]["code"] == world.cell.code
    assert set(children[world.cell.pk]) == ORG_FIELDS | {"counts"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("as_of=2024-13-01", "as_of"), ("as_of=01/02/2024", "as_of"), ("as_of=hom-nay", "as_of"), ("parent=abc", "parent"), ("parent=-1", "parent"), ("parent=99999999999999999999999", "parent")],
)
def test_bad_query_is_400_in_vietnamese(world, api_for, query, field):
    response = api_for("admin").get(f"/api/v1/orgs/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == [field]
    assert body["detail"].startswith(("Ngày", "Tham số", "2024-13-01 không phải ngày có thật"))
    for url in (f"/api/v1/orgs/{world.cell.pk}/?{query}", f"/api/v1/orgs/{world.cell.pk}/children/?{query}"):
        if field == "as_of":
            assert api_for("admin").get(url).json()["fields"].keys() == {"as_of"}


def test_huge_ids_are_404_not_500(world, api_for):
    client = api_for("admin")
    assert client.get("/api/v1/orgs/99999999999999999999999999/").status_code == 404
    assert client.get("/api/v1/orgs/9223372036854775807/children/").status_code == 404


def _grow(world, *, cells: int, members_per_cell: int) -> None:
    for i in range(cells):
        cell = org_services.org_create(
            actor=None, name=f"Chi bộ thôn Số {i}", kind=OrgKind.CELL, parent=world.commune,
            on=dt.date(2020, 1, 1), sector=Sector.RESIDENTIAL, area_name=f"Thôn {i}",
        )
        for j in range(members_per_cell):
            make_member(cell, given_name=f"Bình{'a' * j}", born=dt.date(1980, 1, 1 + j))


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_org_list_query_count_is_constant(world, api_for, django_assert_max_num_queries):
    client = api_for("province")
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/orgs/").status_code == 200
    small = _count(client, "/api/v1/orgs/")
    _grow(world, cells=12, members_per_cell=1)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/orgs/").json()
    assert body["count"] == 18
    assert _count(client, "/api/v1/orgs/") == small


def test_org_children_query_count_is_constant(world, api_for, django_assert_max_num_queries):
    client = api_for("staff")
    url = f"/api/v1/orgs/{world.commune.pk}/children/"
    small = _count(client, url)
    _grow(world, cells=10, members_per_cell=2)
    with django_assert_max_num_queries(8):
        body = client.get(url).json()
    assert len(body["children"]) == 12
    assert _count(client, url) == small
