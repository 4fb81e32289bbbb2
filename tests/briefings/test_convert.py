"""A briefing issue becomes a member task or a petition (issue 8 §4), and each side links to the other."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from chibo.briefings import services
from chibo.briefings.models import BriefingIssue, IssueKind, IssueStatus
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.petitions.models import Petition, PetitionEvent, RaisedVia, Status
from chibo.tasks.models import Task
from tests.briefings.factories import briefing_scene
from tests.factories import vn

pytestmark = pytest.mark.django_db
NOW = vn(2026, 5, 10, 10, 0)
DUE = dt.date(2026, 6, 30)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def held(world, frozen):
    """The commune's first briefing of 2026 (25/03), held, with the scene's issue owned by the cell's secretary."""
    staff = world.users["staff"]
    scene = briefing_scene(world, year=2026)
    services.attendance_mark(actor=staff, briefing=scene.briefing, member_id=world.secretary_member.pk, status="present")
    services.briefing_hold(actor=staff, briefing=scene.briefing)
    return scene


def test_a_task_issue_becomes_a_task_of_the_owner_in_the_owners_cell(world, held):
    staff = world.users["staff"]
    issue = services.issue_convert(actor=staff, issue=held.issue, due_on=DUE)
    assert issue.status == IssueStatus.CONVERTED and issue.petition is None
    task = Task.objects.get(pk=issue.task_id)
    assert task.cell_id == world.cell.pk and task.due_on == DUE
    assert task.expected_result == "Đường liên thôn xuống cấp" and task.title == "Đường liên thôn xuống cấp"
    assert list(task.assignees.all()) == [world.secretary_member]
    assert AuditEvent.objects.filter(verb="briefing.issue_convert", object_id=str(issue.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="task.create", object_id=str(task.pk)).count() == 1
    # Once converted it is not converted again, nor edited.
    with pytest.raises(ChiboError, match="không còn mở"):
        services.issue_convert(actor=staff, issue=issue, due_on=DUE)
    with pytest.raises(ChiboError, match="không sửa được"):
        services.issue_update(actor=staff, issue=issue, text="x", raised_by_name="", cell_id=None, owner_id=None, kind="task", status="open")
    assert Task.objects.count() == 1


def test_a_petition_issue_is_raised_in_the_cell_and_sent_to_the_briefings_committee(world, held):
    staff = world.users["staff"]
    issue = held.issue
    BriefingIssue.objects.filter(pk=issue.pk).update(kind=IssueKind.PETITION)
    issue.refresh_from_db()
    issue = services.issue_convert(actor=staff, issue=issue, category="infrastructure")
    petition = Petition.objects.get(pk=issue.petition_id)
    assert issue.task_id is None and issue.status == IssueStatus.CONVERTED
    assert (petition.org_id, petition.raised_via, petition.category) == (world.cell.pk, RaisedVia.BRIEFING, "infrastructure")
    assert petition.raised_by == world.secretary_member
    assert (petition.status, petition.holder_id) == (Status.AT_LEVEL, world.commune.pk)
    assert list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True).order_by("pk")) == ["raised", "sent"]


@pytest.mark.parametrize("case", ["planned", "no_owner", "no_due", "past_due", "closed"])
def test_convert_refusals_change_nothing(world, frozen, case):
    staff = world.users["staff"]
    scene = briefing_scene(world, year=2026)
    issue = scene.issue
    if case != "planned":
        services.attendance_mark(actor=staff, briefing=scene.briefing, member_id=world.secretary_member.pk, status="present")
        services.briefing_hold(actor=staff, briefing=scene.briefing)
    if case == "no_owner":
        BriefingIssue.objects.filter(pk=issue.pk).update(owner=None)
    if case == "closed":
        BriefingIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.CLOSED)
    issue.refresh_from_db()
    due = {"no_due": None, "past_due": dt.date(2026, 5, 9)}.get(case, DUE)
    audits = AuditEvent.objects.count()
    with pytest.raises(ChiboError) as refused:
        services.issue_convert(actor=staff, issue=issue, due_on=due)
    assert refused.value.args[0]
    issue.refresh_from_db()
    assert issue.status == (IssueStatus.CLOSED if case == "closed" else IssueStatus.OPEN) and issue.task_id is None
    assert Task.objects.count() == 0 and AuditEvent.objects.count() == audits


def test_the_database_keeps_a_converted_issue_linked_to_what_its_kind_says(world, held):
    other = services.issue_add(actor=world.users["staff"], briefing=held.briefing, text="Khác", owner_id=world.secretary_member.pk)
    task = Task.objects.create(cell=world.cell, title="t", expected_result="r", due_on=DUE)
    for change in (
        {"status": IssueStatus.CONVERTED},  # converted without its link
        {"task": task},  # a link while still open
        {"status": IssueStatus.CONVERTED, "kind": IssueKind.PETITION, "task": task},  # the link of the other kind
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            BriefingIssue.objects.filter(pk=other.pk).update(**change)
    BriefingIssue.objects.filter(pk=other.pk).update(status=IssueStatus.CONVERTED, task=task)  # the right one


def test_manual_status_converted_is_refused(world, held):
    with pytest.raises(ChiboError, match="Hãy dùng nút"):
        services.issue_update(actor=world.users["staff"], issue=held.issue, text="x", raised_by_name="", cell_id=None, owner_id=None, kind="task", status="converted")


# The page: a button on each open issue with an owner, errors under their field, links both ways.


def test_the_button_turns_the_issue_into_a_task_and_both_pages_link(world, held, client):
    client.force_login(world.users["staff"])
    url = f"/briefings/{held.briefing.pk}/"
    page = client.get(url).content.decode()
    assert f'data-testid="convert-{held.issue.pk}"' in page
    bad = client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"due_on": "31/02/2026"})
    assert bad.status_code == 400 and Task.objects.count() == 0
    assert "errorlist" in bad.content.decode() or "error" in bad.content.decode()
    past = client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"due_on": "01/05/2026"})
    assert past.status_code == 400 and "Hạn hoàn thành không được trước hôm nay." in past.content.decode() and Task.objects.count() == 0
    done = client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"due_on": "30/06/2026"})
    assert done.status_code == 302
    task = Task.objects.get()
    page = client.get(url).content.decode()
    assert f"/tasks/{task.pk}/" in page and f'data-testid="convert-{held.issue.pk}"' not in page
    again = client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"due_on": "30/06/2026"})
    assert again.status_code == 400 and "không còn mở" in again.content.decode() and Task.objects.count() == 1
    client.force_login(world.users["secretary"])  # the owner, on the task page
    assert f"/briefings/{held.briefing.pk}/" in client.get(f"/tasks/{task.pk}/").content.decode()


def test_the_petition_page_says_it_came_from_the_briefing(world, held, client):
    BriefingIssue.objects.filter(pk=held.issue.pk).update(kind=IssueKind.PETITION)
    client.force_login(world.users["staff"])
    bad = client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"category": "nope"})
    assert bad.status_code == 400 and "Hãy chọn lĩnh vực." in bad.content.decode() and not Petition.objects.exists()
    assert client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"category": "land"}).status_code == 302
    petition = Petition.objects.get()
    page = client.get(f"/petitions/{petition.pk}/").content.decode()
    assert 'data-testid="from-briefing"' in page and f"/briefings/{held.briefing.pk}/" in page


@pytest.mark.parametrize("persona", ["member", "secretary", "outsider", "province_other"])
def test_only_the_committees_staff_convert(world, held, client, persona):
    from tests.factories import make_user

    user = make_user("tinhkhac", role="staff", org=world.other_commune) if persona == "province_other" else world.users[persona]
    client.force_login(user)
    assert client.post(f"/briefings/issues/{held.issue.pk}/convert/", {"due_on": "30/06/2026"}).status_code == 404
    assert not Task.objects.exists()
