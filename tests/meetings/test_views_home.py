"""The list behind each figure of the committee's home: cells missing a step of the month."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from chibo.meetings.models import MeetingStatus
from chibo.meetings.views_home import PAGE_SIZE
from chibo.orgs import services as org_services
from chibo.orgs.models import OrgKind
from tests.meetings.factories import make_meeting

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 12, 10, 10, 0, tzinfo=VN)
DEC = dt.date(2026, 12, 1)
NOV = dt.date(2026, 11, 1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _url(org, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("meetings:cells_missing", args=[org.pk]) + (f"?{query}" if query else "")


def _names(response):
    return [row.cell.name for row in response.context["rows"]]


def test_each_step_lists_its_cells(world, client_for, frozen):
    make_meeting(world.cell, month=DEC, day=3, status=MeetingStatus.CLOSED)
    make_meeting(world.cell, month=NOV, day=3, status=MeetingStatus.APPROVED)
    make_meeting(world.cell2, month=NOV, day=3, status=MeetingStatus.PUBLISHED, published_late=True, published_at=NOW - dt.timedelta(days=40))
    client = client_for("staff")
    expected = {
        (DEC, "not_scheduled"): ["Chi bộ thôn Đồng Tâm"],
        (DEC, "not_announced"): [],
        (DEC, "not_held"): ["Chi bộ thôn Đồng Tâm"],
        (DEC, "not_approved"): ["Chi bộ thôn Trung Sơn"],
        (NOV, "not_scheduled"): [],
        (NOV, "announced_late"): ["Chi bộ thôn Đồng Tâm"],
        (NOV, "not_held"): ["Chi bộ thôn Đồng Tâm"],
        (NOV, "not_approved"): [],
    }
    for (month, step), names in expected.items():
        response = client.get(_url(world.commune, month=f"{month:%Y-%m}", step=step))
        assert response.status_code == 200, (month, step)
        assert _names(response) == names, (month, step)
    # the list shows the meeting behind a row, with a link to it
    html = client.get(_url(world.commune, month="2026-11", step="announced_late")).content.decode()
    assert "Thông báo muộn" in html and "/meetings/" in html


def test_the_home_figures_link_to_lists_of_as_many_cells(world, client_for, frozen):
    make_meeting(world.cell, month=DEC, day=15, status=MeetingStatus.DRAFT)
    client = client_for("province")
    home = client.get(reverse("core:home"))
    for months in [c.months for c in home.context["committees"]]:
        for mf in months:
            for figure in mf.figures:
                listed = client.get(figure.url)
                assert listed.status_code == 200
                assert listed.context["page"].paginator.count == figure.count, figure.url


def test_defaults_and_bad_input(world, client_for, frozen):
    client = client_for("staff")
    response = client.get(_url(world.commune))
    assert response.status_code == 200
    assert (response.context["month"], response.context["step"]) == (DEC, "not_held")
    bad = client.get(_url(world.commune, month="2026-13", step="nonsense"))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "2026-13" in html and 'data-testid="error-step"' in html
    future = client.get(_url(world.commune, month="2027-01"))
    assert future.status_code == 400 and "chưa tới" in future.content.decode()


def test_scope(world, client_for, frozen):
    assert client_for("outsider").get(_url(world.commune)).status_code == 404
    assert client_for("outsider").get(_url(world.other_commune)).status_code == 200
    assert client_for("member").get(_url(world.commune)).status_code == 404
    assert client_for("secretary").get(_url(world.commune)).status_code == 404
    assert client_for("staff").get(_url(world.province)).status_code == 404
    assert client_for("staff").get(_url(world.cell)).status_code == 404  # a cell has no cells under it
    assert client_for("province").get(_url(world.province)).status_code == 200
    assert client_for("admin").get(_url(world.commune)).status_code == 200
    assert client_for("staff").post(_url(world.commune)).status_code == 405


def test_pages_and_pinned_query_count(world, client_for, frozen, django_assert_num_queries):
    for i in range(PAGE_SIZE + 3):
        org_services.org_create(actor=None, name=f"Chi bộ khu phố {i:03d}", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2020, 1, 1))
    client = client_for("province")
    # session, user, grants, the node, the count, the page's cells, their parents, their meetings
    with django_assert_num_queries(8):
        first = client.get(_url(world.commune, month="2026-12", step="not_scheduled"))
    assert first.context["page"].paginator.count == PAGE_SIZE + 5
    assert len(first.context["rows"]) == PAGE_SIZE
    assert first.context["rows"][0].parent_name == "Đảng bộ xã Quảng Tân"
    second = client.get(_url(world.commune, month="2026-12", step="not_scheduled", page=2))
    assert len(second.context["rows"]) == 5
