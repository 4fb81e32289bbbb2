import datetime as dt

import pytest
import time_machine

from chibo.core.models import AuditEvent
from chibo.core.workdays import add_working_days
from chibo.meetings.models import Notification
from chibo.probation import jobs, rules, services
from chibo.probation.models import CaseState, ProbationCase
from tests.factories import make_user, vn
from tests.probation.factories import add_officials, probationer

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 6, 15, 10), tick=False):
        yield


def notes(user):
    return Notification.objects.filter(user=user).count()


def test_reminder_once_thirty_days_before_the_end_to_the_secretary_and_the_member(world, frozen):
    end = TODAY + dt.timedelta(days=30)
    admitted = dt.date(end.year - 1, end.month, end.day)
    p = probationer(world.cell, admitted_on=admitted)
    assert rules.probation_end(admitted) == end
    later = probationer(world.cell, admitted_on=admitted + dt.timedelta(days=1))  # 31 days left: not yet
    user = make_user("duby", member=p)
    assert jobs.remind_ending(today=TODAY) == 1
    case = ProbationCase.objects.get(member=p)
    assert (case.reminded_on, case.state) == (TODAY, CaseState.PENDING)
    assert not ProbationCase.objects.filter(member=later).exists()
    assert notes(world.users["secretary"]) == 1 and notes(user) == 1
    assert AuditEvent.objects.filter(verb="probation.remind").count() == 1
    assert jobs.remind_ending(today=TODAY) == 0  # once
    assert notes(world.users["secretary"]) == 1
    assert jobs.remind_ending(today=TODAY + dt.timedelta(days=1)) == 1  # the next one, the day after


def test_members_already_past_their_end_get_a_case_and_one_reminder(world, frozen):
    """A member probationary in the data long before chibo held cases."""
    p = probationer(world.cell, admitted_on=dt.date(2024, 1, 10))
    assert jobs.remind_ending(today=TODAY) == 1
    assert jobs.flag_overdue(today=TODAY) == 1
    case = ProbationCase.objects.get(member=p)
    assert (case.reminded_on, case.vote_overdue_on) == (TODAY, TODAY)
    assert jobs.remind_ending(today=TODAY) == 0 and jobs.flag_overdue(today=TODAY) == 0


def test_vote_overdue_flagged_once_the_day_after_the_deadline(world, frozen):
    # the probation ending on the latest day whose deadline passed: overdue today, not yesterday
    end = rules.latest_with_deadline_before(TODAY, rules.vote_deadline)
    admitted = rules.admitted_by(end)
    p = probationer(world.cell, admitted_on=admitted)
    yesterday = TODAY - dt.timedelta(days=1)
    if rules.vote_deadline(rules.probation_end(admitted)) >= yesterday:
        assert jobs.flag_overdue(today=yesterday) == 0
    assert jobs.flag_overdue(today=TODAY) == 1
    assert ProbationCase.objects.get(member=p).vote_overdue_on == TODAY
    assert notes(world.users["secretary"]) == 1 and notes(world.users["staff"]) == 1
    assert jobs.flag_overdue(today=TODAY) == 0


def test_a_vote_held_in_time_is_not_flagged(world, frozen):
    add_officials(world.cell, 1)
    p = probationer(world.cell, admitted_on=dt.date(2025, 3, 2))
    services.vote_record(actor=None, member=p, held_on=rules.probation_end(dt.date(2025, 3, 2)), yes_votes=3)
    # voted on the end day: the decision is due 30 working days later
    end = rules.probation_end(dt.date(2025, 3, 2))
    due = add_working_days(end, 30)
    assert jobs.flag_overdue(today=due) == 0
    assert jobs.flag_overdue(today=due + dt.timedelta(days=1)) == 1
    case = ProbationCase.objects.get(member=p)
    assert case.decision_overdue_on == due + dt.timedelta(days=1) and case.vote_overdue_on is None
    assert jobs.flag_overdue(today=TODAY) == 0


def test_failed_votes_keep_the_vote_deadline(world, frozen):
    add_officials(world.cell, 1)
    p = probationer(world.cell, admitted_on=dt.date(2025, 3, 2))
    services.vote_record(actor=None, member=p, held_on=rules.probation_end(dt.date(2025, 3, 2)), yes_votes=1)
    assert jobs.flag_overdue(today=TODAY) == 1
    assert ProbationCase.objects.get(member=p).vote_overdue_on == TODAY


def test_daily_list():
    assert [jobs.remind_ending, jobs.flag_overdue] == jobs.DAILY
