"""The scoped pickers (chibo.core.pickers): a select for a small subtree, a search box above
CHIBO_PICKER_SELECT_MAX; what they accept and refuse; the suggestions endpoints and their scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from chibo.briefings.models import BriefingIssue
from chibo.core.pickers import MemberPicker, OrgPicker
from chibo.inspections import services
from chibo.inspections.forms import ItemForm
from chibo.inspections.models import InspectionItem
from tests.briefings.factories import briefing_scene
from tests.factories import make_member, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 5, 10, 10), tick=False):
        yield


@pytest.fixture
def plan(world, frozen):
    return services.plan_create(actor=world.users["staff"], org=world.commune, year=2026)


def _select(body: str, name: str) -> list[str]:
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert found, f"no select {name}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", found[1])


GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Ngọc")


def _extra_name(n: int) -> dict[str, str]:
    return {"middle_name": MIDDLE[n // len(GIVEN) % len(MIDDLE)], "given_name": GIVEN[n % len(GIVEN)]}


def _item_post(world, **fields: str) -> dict[str, str]:
    return {"kind": "inspection", "topic": "Kiểm tra việc thu nộp đảng phí", "month_from": "06/2026", **fields}


def test_small_scope_is_a_select_in_vietnamese_order(world, client_for, plan):
    body = client_for("staff").get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert _select(body, "target_org") == ["—", "Đảng bộ xã Quảng Tân", "Chi bộ thôn Đồng Tâm", "Chi bộ thôn Trung Sơn"]
    assert _select(body, "target_member") == ["—", "Đặng Thị Hồng", "Nguyễn Văn Hùng"]  # by given name: Hồng < Hùng
    assert "Trần Quốc Bảo" not in body and 'type="search"' not in body


def test_large_scope_is_a_search_box_and_loads_no_choices(world, client_for, plan, settings):
    settings.CHIBO_PICKER_SELECT_MAX = 1
    body = client_for("staff").get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert '<select name="target_org"' not in body and '<select name="target_member"' not in body
    box = re.search(r'<input type="search" name="target_member"[^>]*>', body)
    assert box, body
    assert 'list="id_target_member_options"' in box[0] and 'hx-trigger="input changed delay:300ms"' in box[0]
    assert reverse("core:pick_members", args=[world.commune.pk]) + "?on=2026-05-10&amp;field=target_member" in box[0]
    assert '<datalist id="id_target_member_options"></datalist>' in body
    assert "Đặng Thị Hồng" not in body and "Chi bộ thôn Đồng Tâm" not in body


def test_the_form_counts_before_it_loads(world, plan, settings, django_assert_num_queries):
    for n in range(5):
        make_member(world.cell2, **_extra_name(n))
    settings.CHIBO_PICKER_SELECT_MAX = 1
    with django_assert_num_queries(2):  # one count per field, nothing loaded
        ItemForm(plan=plan)


def test_search_box_accepts_a_code_and_an_option_text(world, client_for, plan, settings):
    settings.CHIBO_PICKER_SELECT_MAX = 1
    client = client_for("staff")
    member_text = f"Đặng Thị Hồng — Chi bộ thôn Trung Sơn (#{world.member.pk})"
    response = client.post(reverse("inspections:item_add", args=[plan.pk]), _item_post(world, target_org=world.cell2.code, target_member=member_text))
    assert response.status_code == 302, response.content.decode()
    item = InspectionItem.objects.get()
    assert (item.target_org_id, item.target_member_id) == (world.cell2.pk, world.member.pk)
    # The option text of an organisation ("code — name — parents") and a bare "#pk" work too; the edit page shows the ids as text.
    edit = reverse("inspections:item_edit", args=[item.pk])
    body = client.get(edit).content.decode()
    assert f'value="{world.cell2.code} — Chi bộ thôn Đồng Tâm"' in body and f'value="{member_text}"' in body
    response = client.post(edit, _item_post(world, target_org=f"{world.cell.code} — Chi bộ thôn Trung Sơn — Đảng bộ xã Quảng Tân",
                                            target_member=f"#{world.secretary_member.pk}"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.target_org_id, item.target_member_id) == (world.cell.pk, world.secretary_member.pk)


def test_search_box_refuses_out_of_scope_and_garbage_all_at_once(world, client_for, plan, settings):
    settings.CHIBO_PICKER_SELECT_MAX = 1
    other = f"Trần Quốc Bảo — Chi bộ thôn Làng Y (#{world.other_member.pk})"
    response = client_for("staff").post(reverse("inspections:item_add", args=[plan.pk]), _item_post(world, target_org=world.other_cell.code, target_member=other, topic=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Không tìm thấy tổ chức “{world.other_cell.code}” trong phạm vi này." in body
    assert f"Không tìm thấy đảng viên “{other}” trong phạm vi này." in body
    assert "Hãy nhập nội dung kiểm tra, giám sát." in body  # every error at once
    assert f'value="{other}"' in body  # what was typed is shown back
    response = client_for("staff").post(reverse("inspections:item_add", args=[plan.pk]), _item_post(world, target_org="<b>xyz</b>", target_member="#abc"))
    body = response.content.decode()
    assert response.status_code == 400 and "Không tìm thấy tổ chức “&lt;b&gt;xyz&lt;/b&gt;”" in body and "Không tìm thấy đảng viên “#abc”" in body
    assert not InspectionItem.objects.exists()


def test_select_refuses_an_id_outside_the_scope(world, client_for, plan):
    response = client_for("staff").post(reverse("inspections:item_add", args=[plan.pk]),
                                        _item_post(world, target_org=str(world.other_cell.pk), target_member=str(world.other_member.pk)))
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Lựa chọn không có trong danh sách.") == 2
    assert not InspectionItem.objects.exists()


def test_a_member_name_typed_alone_is_found_when_unique(world, frozen):
    field = MemberPicker()
    field.scope(root_org_id=world.commune.pk, on=dt.date(2026, 5, 10))
    field.searching = True
    assert field.clean("dang thi hong") == world.member.pk
    make_member(world.cell2, surname="Đặng", middle_name="Thị", given_name="Hồng")
    with pytest.raises(Exception, match="Không tìm thấy"):
        field.clean("Đặng Thị Hồng")  # two of them: the list tells them apart
    assert field.clean("") is None


def test_briefing_issue_cell_picker(world, client_for, settings, frozen):
    settings.CHIBO_PICKER_SELECT_MAX = 1
    scene = briefing_scene(world, year=2026)
    client = client_for("staff")
    body = client.get(reverse("briefings:detail", args=[scene.briefing.pk])).content.decode()
    assert re.search(r'<input type="search" name="cell"[^>]*cells=1', body)
    response = client.post(reverse("briefings:issue_add", args=[scene.briefing.pk]), {"text": "Đề nghị sửa cống", "cell": world.cell2.code, "kind": "task"})
    assert response.status_code == 302
    assert BriefingIssue.objects.filter(text="Đề nghị sửa cống", cell_id=world.cell2.pk).exists()
    response = client.post(reverse("briefings:issue_add", args=[scene.briefing.pk]), {"text": "Khác", "cell": world.commune.code, "kind": "task"})
    assert response.status_code == 400 and "Không tìm thấy tổ chức" in response.content.decode()  # the commune is no cell
    edit = client.get(reverse("briefings:issue", args=[scene.issue.pk])).content.decode()
    assert f'value="{world.cell.code} — Chi bộ thôn Trung Sơn"' in edit


def test_org_picker_without_root_is_empty(world):
    field = OrgPicker()
    field.scope(root_org_id=None)
    assert field.clean("") is None
    with pytest.raises(Exception, match="Lựa chọn"):
        field.clean(str(world.cell.pk))


# The suggestions -------------------------------------------------------------------------------


def _options(response) -> list[str]:
    return re.findall(r'<option value="([^"]*)">', response.content.decode())


def test_member_suggestions_fold_and_stay_in_scope(world, client_for, frozen):
    url = reverse("core:pick_members", args=[world.commune.pk])
    client = client_for("province")
    assert _options(client.get(url, {"q": "dang"})) == [f"Đặng Thị Hồng — Chi bộ thôn Trung Sơn (#{world.member.pk})"]
    # HTMX sends the box under the field's own name
    assert _options(client.get(url, {"field": "target_member", "target_member": "HUNG"})) == [f"Nguyễn Văn Hùng — Chi bộ thôn Trung Sơn (#{world.secretary_member.pk})"]
    assert _options(client.get(url, {"q": "tran quoc"})) == []  # the province sees him, but he is in the other commune
    assert _options(client.get(url, {"q": "d"})) == []  # one letter: too many to be useful
    assert world.member.citizen_id not in client.get(url, {"q": "dang"}).content.decode()
    # the party card number's start
    type(world.member).objects.filter(pk=world.member.pk).update(party_card_number="12345678")
    assert _options(client.get(url, {"q": "1234"})) == [f"Đặng Thị Hồng — Chi bộ thôn Trung Sơn (#{world.member.pk})"]


def test_member_suggestions_are_what_the_user_may_see(world, client_for, frozen):
    url = reverse("core:pick_members", args=[world.cell.pk])
    assert client_for("outsider").get(url, {"q": "dang"}).status_code == 404
    assert client_for("outsider").get(reverse("core:pick_members", args=[world.commune.pk]), {"q": "dang"}).status_code == 404
    member = client_for("member")
    assert _options(member.get(url, {"q": "nguyen"})) == []  # a member opens no other member's record
    assert len(_options(member.get(url, {"q": "dang"}))) == 1  # but sees themselves
    assert len(_options(client_for("secretary").get(url, {"q": "nguyen"}))) == 1


def test_org_suggestions(world, client_for, frozen):
    url = reverse("core:pick_orgs", args=[world.commune.pk])
    client = client_for("staff")
    assert _options(client.get(url, {"q": "dong tam"})) == [f"{world.cell2.code} — Chi bộ thôn Đồng Tâm — Đảng bộ tỉnh Quảng Ninh › Đảng bộ xã Quảng Tân"]
    assert _options(client.get(url, {"q": world.cell.code[:6]})) == [f"{world.cell.code} — Chi bộ thôn Trung Sơn — Đảng bộ tỉnh Quảng Ninh › Đảng bộ xã Quảng Tân"]
    assert len(_options(client.get(url, {"q": "quang tan"}))) == 1 and _options(client.get(url, {"q": "quang tan", "cells": "1"})) == []
    assert _options(client.get(url, {"q": "lang y"})) == []  # the other commune's cell
    assert client_for("outsider").get(url, {"q": "chi bo"}).status_code == 404
    assert client.post(url, {"q": "chi bo"}).status_code == 405


def test_suggestions_query_count_is_pinned(world, client_for, frozen, django_assert_num_queries):
    for n in range(30):
        make_member(world.cell2 if n % 2 else world.cell, surname="Đặng", **_extra_name(n))
    client = client_for("staff")
    client.get(reverse("core:home"))
    members = reverse("core:pick_members", args=[world.commune.pk])
    orgs = reverse("core:pick_orgs", args=[world.commune.pk])
    with django_assert_num_queries(5):  # session, user, grants, the root, the members with their cells
        assert len(_options(client.get(members, {"q": "dang"}))) == 20
    with django_assert_num_queries(7):  # session, user, grants, the root, by name, by code, the parents
        assert len(_options(client.get(orgs, {"q": "chi bo"}))) == 2
