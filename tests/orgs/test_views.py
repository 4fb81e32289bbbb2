"""The reorganisation pages, the cell page's flags and the as-of date, through the views."""

import datetime as dt

import pytest

from chibo.core.access import today
from chibo.core.models import OPEN, AuditEvent
from chibo.members.models import Membership
from chibo.orgs.models import Organisation, OrgVersion


def _current(org):
    return OrgVersion.objects.get(org=org, valid_to=OPEN)


def _snapshot():
    return (OrgVersion.objects.count(), Organisation.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


ON = "01/03/2025"


def test_staff_creates_a_child_cell(world, client_for):
    response = client_for("staff").post(
        f"/org/{world.commune.pk}/new-child/",
        {"name": "Chi bộ thôn Bình Minh", "kind": "cell", "sector": "residential", "admin_unit": "", "area_kind": "village", "area_name": "Bình Minh", "on": ON},
    )
    assert response.status_code == 302
    version = OrgVersion.objects.get(name="Chi bộ thôn Bình Minh")
    assert (version.parent_id, version.area_name, version.valid_from) == (world.commune.pk, "Bình Minh", dt.date(2025, 3, 1))
    assert response["Location"] == f"/org/{version.org_id}/"


def test_create_with_bad_input_changes_nothing_and_shows_every_error_under_its_field(world, client_for):
    before = _snapshot()
    response = client_for("staff").post(
        f"/org/{world.commune.pk}/new-child/",
        {"name": "x" * 201, "kind": "provincial", "sector": "mars", "area_kind": "", "area_name": "", "on": "31/02/2025"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "kind", "sector", "on"}
    assert errors["on"] == ["31/02/2025 không phải ngày có thật."]
    body = response.content.decode()
    assert 'data-testid="error-name"' in body and 'data-testid="error-on"' in body
    # The service's rule lands under its field: a residential cell names its area.
    response = client_for("staff").post(
        f"/org/{world.commune.pk}/new-child/",
        {"name": "Chi bộ thôn Mới", "kind": "cell", "sector": "residential", "area_kind": "village", "area_name": "", "on": ON},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["area_name"] == ["Chi bộ khu dân cư phải ghi rõ thôn, bản, khu phố mà chi bộ phụ trách."]
    assert _snapshot() == before


def test_staff_renames_a_cell_and_an_unchanged_form_is_refused(world, client_for):
    client = client_for("staff")
    current = _current(world.cell2)
    fields = {k: getattr(current, k) for k in ("name", "kind", "sector", "admin_unit", "area_kind", "area_name")}
    response = client.get(f"/org/{world.cell2.pk}/change/")
    assert response.status_code == 200 and response.context["form"]["name"].value() == "Chi bộ thôn Đồng Tâm"
    before = _snapshot()
    response = client.post(f"/org/{world.cell2.pk}/change/", {**fields, "on": ON})
    assert response.status_code == 400 and "Chưa có thay đổi nào." in response.content.decode()
    response = client.post(f"/org/{world.cell2.pk}/change/", {**fields, "name": "", "on": ""})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"name", "on"}
    assert _snapshot() == before
    response = client.post(f"/org/{world.cell2.pk}/change/", {**fields, "name": "Chi bộ thôn Đồng Tâm Mới", "on": ON})
    assert response.status_code == 302
    assert _current(world.cell2).name == "Chi bộ thôn Đồng Tâm Mới"


def test_province_staff_moves_a_cell_to_another_commune(world, client_for):
    client = client_for("province")
    before = _snapshot()
    response = client.post(f"/org/{world.cell2.pk}/move/", {"parent": world.cell.pk, "on": ON})
    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == ["Tổ chức đã chọn không có hoặc không thuộc phạm vi của bạn."]
    response = client.post(f"/org/{world.cell2.pk}/move/", {"parent": world.commune.pk, "on": ON})
    assert response.status_code == 400 and response.context["form"].errors["parent"][0].startswith("Tổ chức đã trực thuộc")
    assert _snapshot() == before
    response = client.post(f"/org/{world.cell2.pk}/move/", {"parent": world.other_commune.pk, "on": ON})
    assert response.status_code == 302
    assert _current(world.cell2).parent_id == world.other_commune.pk


def test_commune_staff_cannot_move_a_cell_out_of_their_scope(world, client_for):
    response = client_for("staff").post(f"/org/{world.cell2.pk}/move/", {"parent": world.other_commune.pk, "on": ON})
    assert response.status_code == 400
    assert _current(world.cell2).parent_id == world.commune.pk


def test_staff_merges_two_cells(world, client_for):
    client = client_for("staff")
    before = _snapshot()
    response = client.post(f"/org/{world.cell.pk}/merge/", {"name": "Chi bộ thôn Trung Tâm", "on": ON})
    assert response.status_code == 400 and response.context["form"].errors["others"] == ["Hãy chọn ít nhất một tổ chức cùng cấp để hợp nhất."]
    response = client.post(f"/org/{world.cell.pk}/merge/", {"others": [world.other_cell.pk], "name": "", "on": ON})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"others", "name"}
    assert _snapshot() == before
    response = client.post(f"/org/{world.cell.pk}/merge/", {"others": [world.cell2.pk], "name": "Chi bộ thôn Trung Tâm", "on": ON})
    assert response.status_code == 302
    merged = OrgVersion.objects.get(name="Chi bộ thôn Trung Tâm", valid_to=OPEN)
    assert Membership.objects.get(member=world.member, valid_to=OPEN).org_id == merged.org_id
    assert Organisation.objects.get(pk=world.cell.pk).dissolved_on == dt.date(2025, 3, 1)


def test_staff_splits_a_cell(world, client_for):
    client = client_for("staff")
    before = _snapshot()
    response = client.post(f"/org/{world.cell.pk}/split/", {"name": "Chi bộ thôn Trung Sơn 2", "area_name": "Trung Sơn Hai", "on": ON})
    assert response.status_code == 400 and "Hãy chọn đảng viên hoặc tổ chức" in response.content.decode()
    response = client.post(f"/org/{world.cell.pk}/split/", {"name": "Chi bộ thôn Trung Sơn Hai", "member_ids": [world.other_member.pk], "on": "x"})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"member_ids", "on"}
    assert _snapshot() == before
    response = client.post(f"/org/{world.cell.pk}/split/", {"name": "Chi bộ thôn Trung Sơn Hai", "area_name": "Trung Sơn Hai", "member_ids": [world.member.pk], "on": ON})
    assert response.status_code == 302
    new = OrgVersion.objects.get(name="Chi bộ thôn Trung Sơn Hai")
    assert Membership.objects.get(member=world.member, valid_to=OPEN).org_id == new.org_id
    assert Membership.objects.get(member=world.secretary_member, valid_to=OPEN).org_id == world.cell.pk


def test_staff_dissolves_an_empty_cell_but_not_one_with_members(world, client_for):
    client = client_for("staff")
    before = _snapshot()
    response = client.post(f"/org/{world.cell.pk}/dissolve/", {"on": ON})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    response = client.post(f"/org/{world.cell2.pk}/dissolve/", {"on": ""})
    assert response.status_code == 400 and "on" in response.context["form"].errors
    assert _snapshot() == before
    response = client.post(f"/org/{world.cell2.pk}/dissolve/", {"on": ON})
    assert response.status_code == 302 and response["Location"] == f"/org/{world.commune.pk}/"
    assert Organisation.objects.get(pk=world.cell2.pk).dissolved_on == dt.date(2025, 3, 1)


@pytest.mark.parametrize("page", ["new-child", "change", "move", "merge", "split", "dissolve"])
def test_reorganisation_pages_are_404_for_a_secretary_and_an_outsider(world, client_for, page):
    for persona in ("secretary", "outsider"):
        client = client_for(persona)
        assert client.get(f"/org/{world.cell.pk}/{page}/").status_code == 404
        assert client.post(f"/org/{world.cell.pk}/{page}/", {"on": ON, "name": "X"}).status_code == 404
    assert client_for("staff").get(f"/org/{world.commune.pk}/{page}/").status_code == 200


def test_a_cell_under_three_official_members_is_flagged_on_its_page_and_counted_above(world, client_for):
    body = client_for("secretary").get(f"/org/{world.cell.pk}/").content.decode()
    assert 'data-testid="below-official-minimum"' in body and "Chi bộ chỉ có 2 đảng viên chính thức" in body
    body = client_for("staff").get(f"/org/{world.commune.pk}/").content.decode()
    assert 'data-testid="count-cells-below-minimum"><b>2</b>' in body


def test_an_as_of_date_before_the_tree_says_there_is_no_data(world, client_for):
    response = client_for("secretary").get(f"/org/{world.cell.pk}/?as_of=31/12/2019")
    assert response.status_code == 200
    assert "Chưa có dữ liệu tổ chức vào ngày 31/12/2019." in response.content.decode()
    assert "phạm vi" not in response.content.decode()
    assert client_for("outsider").get(f"/org/{world.cell.pk}/?as_of=31/12/2019").status_code == 404
    assert client_for("secretary").get(f"/org/{world.cell.pk}/?as_of={today():%d/%m/%Y}").status_code == 200
