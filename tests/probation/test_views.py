import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.models import OPEN
from chibo.members.models import Status, StatusPeriod
from chibo.orgs import services as org_services
from chibo.orgs.models import OrgKind
from chibo.probation import services
from chibo.probation.models import CaseState, ProbationCase
from tests.factories import vn
from tests.probation.factories import add_officials, probationer

TODAY = dt.date(2026, 6, 15)
ADMITTED = dt.date(2025, 5, 20)
END = dt.date(2026, 5, 20)


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 6, 15, 10), tick=False):
        yield


@pytest.fixture
def p(world, frozen):
    add_officials(world.cell, 1)
    return probationer(world.cell, admitted_on=ADMITTED, given_name="Dự")


def test_secretary_records_the_vote_errors_under_their_fields(world, client_for, p):
    client = client_for("secretary")
    page = client.get(reverse("probation:member", args=[p.pk]))
    assert page.status_code == 200 and b'data-testid="vote-form"' in page.content and b"decision-form" not in page.content
    bad = client.post(reverse("probation:vote", args=[p.pk]), {"held_on": "19/05/2026", "yes_votes": "9"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'data-testid="error-held_on"' in html and "Chưa hết 12 tháng dự bị" in html and "20/05/2026" in html
    bad = client.post(reverse("probation:vote", args=[p.pk]), {"held_on": "31/02/2026", "yes_votes": "-1"})
    html = bad.content.decode()
    assert "không phải ngày có thật" in html and "Số phiếu tán thành không được âm." in html
    ok = client.post(reverse("probation:vote", args=[p.pk]), {"held_on": "20/05/2026", "yes_votes": "2"})
    assert ok.status_code == 302
    assert ProbationCase.objects.get(member=p).state == CaseState.VOTED


def test_only_the_superior_records_the_decision(world, client_for, p):
    services.vote_record(actor=None, member=p, held_on=END, yes_votes=3)
    data = {"outcome": "recognised", "decided_on": "15/06/2026", "number": "125-QĐ/ĐU", "official_on": "20/05/2026"}
    assert b"decision-form" not in client_for("secretary").get(reverse("probation:member", args=[p.pk])).content
    assert client_for("secretary").post(reverse("probation:decide", args=[p.pk]), data).status_code == 404
    assert client_for("outsider").post(reverse("probation:decide", args=[p.pk]), data).status_code == 404
    staff = client_for("staff")
    assert b"decision-form" in staff.get(reverse("probation:member", args=[p.pk])).content
    bad = staff.post(reverse("probation:decide", args=[p.pk]), {**data, "official_on": "19/05/2026"})
    assert bad.status_code == 400 and "Ngày chính thức không được trước ngày hết 12 tháng dự bị (20/05/2026)." in bad.content.decode()
    bad = staff.post(reverse("probation:decide", args=[p.pk]), {**data, "outcome": "not_recognised", "number": ""})
    html = bad.content.decode()
    assert 'data-testid="error-reason"' in html and 'data-testid="error-number"' in html
    assert staff.post(reverse("probation:decide", args=[p.pk]), data).status_code == 302
    current = StatusPeriod.objects.get(member=p, valid_to=OPEN)
    assert (current.status, current.valid_from) == (Status.OFFICIAL, END)
    page = staff.get(reverse("members:detail", args=[p.pk])).content.decode()
    assert "20/05/2026" in page and 'data-testid="member-probation"' in page


def test_outsider_gets_404(world, client_for, p):
    outsider = client_for("outsider")
    for url in (reverse("probation:member", args=[p.pk]), reverse("probation:cell", args=[world.cell.pk]), reverse("probation:pipeline", args=[world.commune.pk])):
        assert outsider.get(url).status_code == 404
    assert outsider.post(reverse("probation:vote", args=[p.pk]), {"held_on": "20/05/2026", "yes_votes": "3"}).status_code == 404
    assert not ProbationCase.objects.exists()


def test_cell_page_lists_probationers_with_end_and_next_step(world, client_for, p):
    soon = probationer(world.cell, admitted_on=dt.date(2025, 7, 1))
    html = client_for("secretary").get(reverse("probation:cell", args=[world.cell.pk])).content.decode()
    assert "Chờ chi bộ biểu quyết" in html and "20/05/2026" in html
    assert f'probationer-{soon.pk}' in html and "Sắp hết dự bị" in html
    assert client_for("member").get(reverse("probation:cell", args=[world.cell.pk])).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow_with_rows(world, client_for, p):
    client = client_for("staff")
    cell_url = reverse("probation:cell", args=[world.cell.pk])
    pipe_url = reverse("probation:pipeline", args=[world.commune.pk]) + "?show=due"
    first = (_count(client, cell_url), _count(client, pipe_url))
    for i in range(4):
        m = probationer(world.cell, admitted_on=dt.date(2025, 4, 1 + i))
        services.vote_record(actor=None, member=m, held_on=dt.date(2026, 4, 10), yes_votes=1 if i % 2 else 3)
        probationer(world.cell2, admitted_on=dt.date(2025, 5, 1 + i))
    assert (_count(client, cell_url), _count(client, pipe_url)) == first


def test_pipeline_groups_and_drill_down(world, client_for, p):
    add_officials(world.cell2, 3)
    voted = probationer(world.cell2, admitted_on=dt.date(2025, 3, 2))
    services.vote_record(actor=None, member=voted, held_on=dt.date(2026, 3, 2), yes_votes=3)  # decision overdue by now
    escalated = probationer(world.cell2, admitted_on=dt.date(2025, 5, 4))
    for _ in range(3):
        services.vote_record(actor=None, member=escalated, held_on=dt.date(2026, 6, 1), yes_votes=0)
    probationer(world.cell, admitted_on=dt.date(2025, 6, 20))  # ends 20/06/2026: upcoming
    probationer(world.cell, admitted_on=dt.date(2025, 1, 2))  # vote overdue
    partial = org_services.org_create(actor=None, name="Đảng bộ bộ phận Khu A", kind=OrgKind.PARTIAL_COMMITTEE, parent=world.commune, on=dt.date(2020, 1, 1))
    inner = org_services.org_create(actor=None, name="Chi bộ khu A1", kind=OrgKind.CELL, parent=partial, on=dt.date(2020, 1, 1))
    probationer(inner, admitted_on=ADMITTED)
    from chibo.probation import selectors

    version = world.commune.versions.get(valid_to=OPEN)
    found = selectors.pipeline(version=version, today=TODAY, show="overdue")
    assert found.totals == {"upcoming": 1, "due": 3, "voted": 1, "overdue": 2, "escalated": 1}
    by_name = {b.version.name: b.counts for b in found.branches}
    assert by_name["Đảng bộ bộ phận Khu A"]["due"] == 1
    assert by_name["Chi bộ thôn Đồng Tâm"] == {"upcoming": 0, "due": 0, "voted": 1, "overdue": 1, "escalated": 1}
    html = client_for("staff").get(reverse("probation:pipeline", args=[world.commune.pk]) + "?show=escalated").content.decode()
    assert escalated.full_name in html and reverse("probation:pipeline", args=[partial.pk]) in html
    # a cell's pipeline is its probationers' page
    assert client_for("staff").get(reverse("probation:pipeline", args=[world.cell.pk])).status_code == 302


def test_home_parts(world, client_for, p):
    html = client_for("secretary").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-probation-vote"' in html and p.full_name in html
    services.vote_record(actor=None, member=p, held_on=END, yes_votes=3)
    html = client_for("staff").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-probation-decide"' in html and p.full_name in html
    assert 'home-probation' not in client_for("outsider").get(reverse("core:home")).content.decode()
    assert 'home-probation' not in client_for("member").get(reverse("core:home")).content.decode()
