"""Demo follow-up loops (issue 8 §7): tasks, petitions, briefings and inspections consistent with the
meetings, every petition stage present, and something for each persona on their home page."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from chibo.accounts.models import User
from chibo.briefings.models import Briefing, BriefingAttendance, BriefingIssue
from chibo.core.access import today
from chibo.core.dates import local_date
from chibo.core.models import AuditEvent
from chibo.core.workdays import is_working_day
from chibo.demo.build import build
from chibo.demo.checks import check_database
from chibo.inspections.models import FollowUp, InspectionItem, InspectionPlan
from chibo.petitions.models import Petition, PetitionEvent
from chibo.tasks.models import Task, TaskCheck, TaskReport


@pytest.fixture
def district(db):
    return build(scale="district", seed=1)


def test_the_loops_are_consistent_with_the_meetings_and_the_tree(district):
    problems = check_database(today=today())
    assert problems == []
    # Figures in the one demo.load audit row, no audit row per generated row (as for the meetings).
    load = AuditEvent.objects.get(verb="demo.load")
    assert load.after["tasks"] == Task.objects.count() > 0
    assert load.after["petitions"] == Petition.objects.count() > 0
    assert not AuditEvent.objects.filter(verb__startswith="petition.").exists()
    # One build for all (each build is some seconds): the loops' content.
    _tasks_have_every_outcome_reports_and_checks()
    _petitions_at_every_stage()
    _briefings_and_inspection_plans()
    _stats_json_has_the_loops()


def _tasks_have_every_outcome_reports_and_checks() -> None:
    statuses = dict(Task.objects.values_list("status").annotate(n=Count("id")))
    assert {"open", "done", "done_late", "not_done"} <= set(statuses)
    assert Task.objects.filter(status="open", due_on__lt=today()).exists()  # overdue
    assert TaskReport.objects.count() > Task.objects.count()
    assert {"on_track", "behind", "no_report"} <= set(TaskCheck.objects.values_list("outcome", flat=True))
    assert not Task.objects.filter(resolution_item__isnull=True).exists()


def _petitions_at_every_stage() -> None:
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"open", "at_level", "answered", "returned", "out_of_scope", "closed", "reopened"} <= statuses
    kinds = set(PetitionEvent.objects.values_list("kind", flat=True))
    assert {"raised", "sent", "forwarded", "escalated", "answered", "returned", "read_out", "closed", "reopened"} <= kinds
    assert Petition.objects.exclude(resident_name="").exists() and Petition.objects.filter(resident_name="").exists()
    # Answered at the commune and at the province (the root).
    root = User.objects.get(username="canbotinh").grants.get().org_id
    assert Petition.objects.filter(answered_by_org_id=root).exists()
    assert Petition.objects.exclude(answered_by_org_id=root).filter(answered_by_org__isnull=False).exists()
    assert Petition.objects.filter(read_out_meeting__isnull=False, status="closed").exists()


def _briefings_and_inspection_plans() -> None:
    assert Briefing.objects.filter(status="held").exists() and Briefing.objects.filter(status="planned").exists()
    assert BriefingAttendance.objects.filter(status="present").exists() and BriefingIssue.objects.exists()
    year = today().year
    plans = InspectionPlan.objects.filter(year=year)
    assert plans.count() >= 5
    past = InspectionItem.objects.filter(plan__year=year, month_to__lt=today().replace(day=1))
    if past.exists():
        assert past.filter(status="done").count() >= 0.6 * past.count()
        assert FollowUp.objects.exists()


def _stats_json_has_the_loops() -> None:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["briefings"]["planned"] >= data["briefings"]["held"]
    assert data["inspections"]["planned"] > 0  # this year's plans
    # tasks come from the meetings: on 1 January none is from this year yet, so ask the year of the latest
    year = local_date(Task.objects.latest("created_at").created_at).year
    out = StringIO()
    call_command("stats", "--json", "--year", str(year), stdout=out)
    data = json.loads(out.getvalue())
    assert data["tasks"]["done"] + data["tasks"]["open"] > 0


def _home(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.context


def test_each_persona_finds_each_loop_on_the_home_page(district, client):
    member = _home(client, "dangvien")
    assert member["tasks_home"].mine and member["tasks_home"].my_overdue >= 1
    secretary = _home(client, "bithu")
    assert secretary["tasks_home"].cells and secretary["petitions_home"].to_read_out
    assert secretary["briefings_home"].invited
    assert secretary["inspections_home"].cell
    staff = _home(client, "canboxa")
    assert staff["petitions_home"].waiting_count >= 3
    if is_working_day(today() - dt.timedelta(days=1)):  # overdue since yesterday; today's escalation has not run
        assert staff["petitions_home"].overdue_count >= 1
    assert staff["briefings_home"].committees and staff["inspections_home"].due
    province = _home(client, "canbotinh")
    assert province["petitions_home"].waiting_count >= 1 and province["inspections_home"].due
