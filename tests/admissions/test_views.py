"""Admission pages: the cell's list and the committee's page (query counts pinned), the candidate's page
and its next-step form (Vietnamese errors under fields), who may record the decision, quotas, residential
areas, the home parts; outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.admissions import services
from chibo.admissions.models import AdmissionQuota, Candidate, ResidentialArea, StepKind
from tests.admissions.factories import advance, make_candidate
from tests.factories import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 5, 6, 10), tick=False):
        yield


def _form_data(form_values: dict[str, str]) -> dict[str, str]:
    return form_values


def test_cell_list_query_count_is_pinned(world, client_for, frozen):
    make_candidate(world)
    client = client_for("secretary")
    url = reverse("admissions:cell", args=[world.cell.pk])
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Lê Văn Tâm" in body and "Chờ bước 1. Học lớp bồi dưỡng" in body
    for i in range(4):
        c = make_candidate(world, given_name=f"Tư{'a' * i}", with_id=False)
        advance(world, c, through=StepKind.APPLICATION)
    with CaptureQueriesContext(connection) as more:
        body = client.get(url).content.decode()
    assert len(more) == len(few) and body.count('data-testid="candidate-row"') == 5
    assert "3. Người giới thiệu" in body


def test_create_shows_vietnamese_errors_under_fields(world, client_for, frozen):
    client = client_for("secretary")
    url = reverse("admissions:create", args=[world.cell.pk])
    response = client.post(url, {"surname": "", "given_name": "An", "sex": "male", "date_of_birth": "31/02/2000", "source": "militia"})
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-surname"' in body and 'data-testid="error-date_of_birth"' in body
    response = client.post(url, {"surname": "Lê", "given_name": "An", "sex": "male", "date_of_birth": "01/02/2000", "source": "militia", "citizen_id": "999200000001"})
    assert response.status_code == 400 and "không phải mã tỉnh" in response.content.decode()
    response = client.post(url, {"surname": "Lê", "given_name": "An", "sex": "male", "date_of_birth": "01/02/2000", "source": "militia", "residence": "Thôn Trung Sơn"})
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admissions:candidate", args=[candidate.pk])


def test_step_form_errors_and_the_decision_belongs_to_the_committee(world, client_for, frozen):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMENTS)
    secretary = client_for("secretary")
    url = reverse("admissions:step", args=[candidate.pk])
    response = secretary.post(url, {"kind": "cell_vote", "on": "01/04/2026", "yes_votes": "3"})
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-yes_votes"' in body and "nhiều hơn số đảng viên chính thức" in body
    response = secretary.post(url, {"kind": "cell_vote", "on": "01/04/2026", "yes_votes": "-1"})
    assert response.status_code == 400 and 'data-testid="error-yes_votes"' in response.content.decode()
    response = secretary.post(url, {"kind": "decision", "on": "01/04/2026"})
    assert response.status_code == 404  # the decision is not the cell's
    assert secretary.post(url, {"kind": "cell_vote", "on": "01/04/2026", "yes_votes": "2"}).status_code == 302
    assert secretary.post(url, {"kind": "committee_vote", "on": "15/04/2026", "yes_votes": "6", "committee_members": "9"}).status_code == 302
    page = secretary.get(reverse("admissions:candidate", args=[candidate.pk])).content.decode()
    assert 'data-testid="waiting-decision"' in page and 'data-testid="step-form"' not in page
    assert secretary.post(url, {"kind": "decision", "on": "04/05/2026"}).status_code == 404
    staff = client_for("staff")
    page = staff.get(reverse("admissions:candidate", args=[candidate.pk])).content.decode()
    assert 'data-testid="step-form"' in page and 'data-testid="extension-form"' in page
    response = staff.post(url, {"kind": "decision", "on": "04/05/2026", "decision_number": "123-QĐ/ĐU"})
    assert response.status_code == 302
    assert Candidate.objects.get().step_done == 8


def test_outsider_and_member_get_404(world, client_for, frozen):
    candidate = make_candidate(world)
    for persona in ("outsider", "member"):
        client = client_for(persona)
        assert client.get(reverse("admissions:candidate", args=[candidate.pk])).status_code == 404
        assert client.get(reverse("admissions:cell", args=[world.cell.pk])).status_code == 404
        assert client.post(reverse("admissions:step", args=[candidate.pk]), {"kind": "course", "on": "01/05/2026"}).status_code == 404
    assert client_for("outsider").get(reverse("admissions:org", args=[world.commune.pk])).status_code == 404


def test_org_page_query_count_quota_form_and_progress(world, client_for, frozen):
    province = client_for("province")
    url = reverse("admissions:org", args=[world.province.pk]) + "?year=2026"
    response = province.post(reverse("admissions:quota", args=[world.province.pk]) + "?year=2026", {"org": str(world.commune.pk), "year": "2026", "target": "0"})
    assert response.status_code == 400 and 'data-testid="error-target"' in response.content.decode()
    response = province.post(reverse("admissions:quota", args=[world.province.pk]), {"org": str(world.commune.pk), "year": "2026", "target": "5"})
    assert response.status_code == 302 and AdmissionQuota.objects.get().target == 5
    # the commune's staff cannot set their own commune's target (the upper level does)
    staff = client_for("staff")
    response = staff.post(reverse("admissions:quota", args=[world.commune.pk]), {"org": str(world.commune.pk), "year": "2026", "target": "9"})
    assert response.status_code == 400 and "cấp trên" in response.content.decode()
    assert staff.post(reverse("admissions:quota", args=[world.commune.pk]), {"org": str(world.cell.pk), "year": "2026", "target": "2"}).status_code == 302
    province.get(url)  # shows (and clears) the saved message
    with CaptureQueriesContext(connection) as few:
        body = province.get(url).content.decode()
    assert 'data-testid="quota-row"' in body
    for i in range(3):
        c = make_candidate(world, given_name=f"Năm{'a' * i}", with_id=False, cell=world.cell2 if i % 2 else world.cell)
        advance(world, c, through=StepKind.COURSE)
    services.quota_set(actor=world.users["province"], org=world.other_commune, year=2026, target=3)
    with CaptureQueriesContext(connection) as more:
        body = province.get(url).content.decode()
    assert len(more) == len(few) <= 12 and 'data-testid="waiting-application">3<' in body


def test_areas_page_lists_and_adds(world, client_for, frozen):
    staff = client_for("staff")
    url = reverse("admissions:areas", args=[world.commune.pk])
    response = staff.post(url, {"kind": "", "name": ""})
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-kind"' in body and 'data-testid="error-name"' in body
    assert staff.post(url, {"kind": "village", "name": "Khe Mai"}).status_code == 302
    assert staff.post(url, {"kind": "village", "name": "Đồng Tâm"}).status_code == 302
    assert staff.post(url, {"kind": "village", "name": "khe mai"}).status_code == 400
    body = staff.get(url).content.decode()
    assert body.count('data-problem="no_cell"') == 1 and body.count('data-problem="no_member"') == 1
    # the province sees the list over its subtree, without the form (areas belong to a commune)
    response = client_for("province").get(reverse("admissions:areas", args=[world.province.pk]))
    assert response.status_code == 200 and 'data-testid="area-form"' not in response.content.decode()
    assert client_for("province").post(reverse("admissions:areas", args=[world.province.pk]), {"kind": "village", "name": "X"}).status_code == 404
    assert ResidentialArea.objects.count() == 2


def test_home_parts(world, client_for, frozen):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMITTEE_VOTE)
    other = make_candidate(world, given_name="Bình", with_id=False)
    advance(world, other, through=StepKind.COURSE)
    body = client_for("secretary").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-admissions-cell"' in body and "Lê Văn Bình" in body and "2. Đơn xin vào Đảng" in body
    body = client_for("staff").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-admissions-decisions"' in body and "Lê Văn Tâm" in body
    body = client_for("outsider").get(reverse("core:home")).content.decode()
    assert 'data-testid="home-admissions' not in body


def test_document_download(world, client_for, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from tests.admissions.factories import PDF, record

    candidate = make_candidate(world)
    step = record(world, candidate, StepKind.COURSE, dt.date(2026, 1, 5), data=PDF, name="chung-nhan.pdf")
    response = client_for("secretary").get(reverse("admissions:document", args=[step.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for("outsider").get(reverse("admissions:document", args=[step.pk])).status_code == 404


def test_member_page_names_the_admission(world, client_for):
    with time_machine.travel(vn(2026, 11, 20, 10), tick=False):
        candidate = make_candidate(world)
        advance(world, candidate, through=StepKind.CEREMONY)
        body = client_for("secretary").get(reverse("members:detail", args=[candidate.member_id])).content.decode()
        assert 'data-testid="member-admission"' in body and "20/05/2026" in body
        assert 'data-testid="member-admission-file"' in body  # the file, for those who manage the cell
        body = client_for("secretary").get(reverse("members:detail", args=[world.member.pk])).content.decode()
        assert 'data-testid="member-admission"' not in body
