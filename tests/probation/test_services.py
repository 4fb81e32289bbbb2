import datetime as dt

import pytest
import time_machine

from chibo.core.errors import ChiboError
from chibo.core.models import OPEN, AuditEvent
from chibo.core.workdays import add_working_days
from chibo.members.models import Member, Status, StatusPeriod
from chibo.members.services import member_set_status
from chibo.probation import rules, services
from chibo.probation.models import CaseState, ProbationCase, ProbationVote
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
    add_officials(world.cell, 1)  # 3 official members: the member, the secretary and one more
    return probationer(world.cell, admitted_on=ADMITTED)


def status(member):
    return StatusPeriod.objects.get(member=member, valid_to=OPEN).status


def audits(verb):
    return AuditEvent.objects.filter(verb=verb).count()


def test_vote_at_exactly_two_thirds_passes_and_sends_the_case_up(world, p):
    vote = services.vote_record(actor=world.users["secretary"], member=p, held_on=END, yes_votes=2)
    assert (vote.official_members, vote.yes_votes, vote.passed, vote.late, vote.number) == (3, 2, True, False, 1)
    case = ProbationCase.objects.get(member=p)
    assert (case.state, case.referred_on, case.ends_on) == (CaseState.VOTED, END, END)
    assert audits("probation.vote") == 1 and audits("probation.open") == 1
    assert status(p) == Status.PROBATIONARY  # the decision makes it official


def test_vote_just_below_two_thirds_fails(world, p):
    vote = services.vote_record(actor=world.users["secretary"], member=p, held_on=END, yes_votes=1)
    assert vote.passed is False
    assert ProbationCase.objects.get(member=p).state == CaseState.PENDING


def test_official_members_are_counted_from_the_records_on_the_vote_day(world, p):
    """A member who became official after the vote day does not count in it."""
    later = probationer(world.cell, admitted_on=dt.date(2020, 1, 1))
    ProbationCase.objects.create(member=later, ends_on=dt.date(2021, 1, 1))
    member_set_status(actor=None, member=later, status=Status.OFFICIAL, on=dt.date(2026, 6, 1), owner="admissions")
    assert services.vote_record(actor=None, member=p, held_on=END, yes_votes=2).official_members == 3
    with pytest.raises(ChiboError):  # 4 official members on 01/06: 2 is below 2/3, and the date is before the first vote
        services.vote_record(actor=None, member=p, held_on=dt.date(2026, 6, 1), yes_votes=2)


@pytest.mark.parametrize(
    ("held_on", "yes", "field"),
    [
        (END - dt.timedelta(days=1), 3, "held_on"),  # before the 12 months end
        (TODAY + dt.timedelta(days=1), 3, "held_on"),  # in the future
        (END, 4, "yes_votes"),  # more yes votes than official members
        (END, -1, "yes_votes"),
    ],
)
def test_bad_votes_are_refused_and_write_nothing(world, p, held_on, yes, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ChiboError) as exc:
        services.vote_record(actor=None, member=p, held_on=held_on, yes_votes=yes)
    assert exc.value.field == field
    assert not ProbationVote.objects.exists() and not ProbationCase.objects.exists()
    assert AuditEvent.objects.count() == before


def test_vote_before_the_end_names_the_end(world, p):
    with pytest.raises(ChiboError, match="20/05/2026"):
        services.vote_record(actor=None, member=p, held_on=dt.date(2026, 5, 19), yes_votes=3)


def test_a_vote_after_the_deadline_is_recorded_and_flagged_late(world, frozen):
    add_officials(world.cell, 1)
    admitted = dt.date(2025, 3, 2)
    member = probationer(world.cell, admitted_on=admitted)
    end = rules.probation_end(admitted)
    deadline = add_working_days(end, 30)
    assert deadline < TODAY
    on_time = services.vote_record(actor=None, member=member, held_on=deadline, yes_votes=1)
    late = services.vote_record(actor=None, member=member, held_on=add_working_days(deadline, 1), yes_votes=2)
    assert (on_time.late, late.late, late.passed) == (False, True, True)


def test_third_failed_vote_escalates_and_no_fourth_vote(world, p):
    for day in (END, END + dt.timedelta(days=7), END + dt.timedelta(days=14)):
        services.vote_record(actor=None, member=p, held_on=day, yes_votes=1)
    case = ProbationCase.objects.get(member=p)
    assert (case.state, case.referred_on, case.votes.count()) == (CaseState.ESCALATED, END + dt.timedelta(days=14), 3)
    with pytest.raises(ChiboError):
        services.vote_record(actor=None, member=p, held_on=TODAY, yes_votes=3)
    assert case.votes.count() == 3


def test_second_failed_vote_does_not_escalate(world, p):
    services.vote_record(actor=None, member=p, held_on=END, yes_votes=1)
    services.vote_record(actor=None, member=p, held_on=END, yes_votes=0)
    assert ProbationCase.objects.get(member=p).state == CaseState.PENDING


def test_a_vote_dated_before_the_previous_one_is_refused(world, p):
    services.vote_record(actor=None, member=p, held_on=END + dt.timedelta(days=5), yes_votes=1)
    with pytest.raises(ChiboError) as exc:
        services.vote_record(actor=None, member=p, held_on=END, yes_votes=1)
    assert exc.value.field == "held_on"


def test_an_official_member_cannot_be_voted_on(world, frozen):
    with pytest.raises(ChiboError):
        services.vote_record(actor=None, member=world.member, held_on=TODAY, yes_votes=1)


def _voted(p, on=END):
    services.vote_record(actor=None, member=p, held_on=on, yes_votes=3)


def test_decision_makes_official_from_the_end_of_probation(world, p):
    _voted(p)
    case = services.decide(actor=world.users["staff"], member=p, decided_on=TODAY, recognised=True, number="125-QĐ/ĐU")
    p.refresh_from_db()
    assert (case.state, case.official_on, p.official_on, case.decided_by_id) == (CaseState.OFFICIAL, END, END, world.commune.pk)
    assert StatusPeriod.objects.get(member=p, valid_to=OPEN).valid_from == END
    assert status(p) == Status.OFFICIAL
    assert audits("probation.decide") == 1 and audits("member.status") == 1
    assert case.decision_late is False


def test_decision_on_working_day_31_is_flagged_late_and_still_official_from_the_end(world, frozen):
    add_officials(world.cell, 1)
    member = probationer(world.cell, admitted_on=dt.date(2025, 3, 2))
    end = rules.probation_end(dt.date(2025, 3, 2))
    services.vote_record(actor=None, member=member, held_on=end, yes_votes=3)
    day_31 = add_working_days(end, 31)
    assert day_31 <= TODAY
    case = services.decide(actor=None, member=member, decided_on=day_31, recognised=True, number="9-QĐ/ĐU")
    assert case.decision_late is True and case.official_on == end
    other = probationer(world.cell, admitted_on=dt.date(2025, 3, 2))
    services.vote_record(actor=None, member=other, held_on=end, yes_votes=3)
    assert services.decide(actor=None, member=other, decided_on=add_working_days(end, 30), recognised=True, number="10-QĐ/ĐU").decision_late is False


def test_official_date_before_the_end_is_refused(world, p):
    _voted(p)
    before = AuditEvent.objects.count()
    with pytest.raises(ChiboError) as exc:
        services.decide(actor=None, member=p, decided_on=TODAY, recognised=True, number="1", official_on=END - dt.timedelta(days=1))
    assert exc.value.field == "official_on" and "20/05/2026" in exc.value.message
    assert status(p) == Status.PROBATIONARY and AuditEvent.objects.count() == before
    assert Member.objects.get(pk=p.pk).official_on is None
    with pytest.raises(ChiboError) as exc:  # nor after it: the official date is the end, even when late
        services.decide(actor=None, member=p, decided_on=TODAY, recognised=True, number="1", official_on=TODAY)
    assert exc.value.field == "official_on"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"decided_on": TODAY + dt.timedelta(days=1)}, "decided_on"),
        ({"decided_on": END - dt.timedelta(days=1)}, "decided_on"),  # before the vote
        ({"number": "  "}, "number"),
        ({"recognised": False, "reason": ""}, "reason"),
    ],
)
def test_bad_decisions_are_refused(world, p, kwargs, field):
    _voted(p)
    args = {"decided_on": TODAY, "recognised": True, "number": "12-QĐ/ĐU", **kwargs}
    with pytest.raises(ChiboError) as exc:
        services.decide(actor=None, member=p, **args)
    assert exc.value.field == field
    assert ProbationCase.objects.get(member=p).state == CaseState.VOTED


def test_no_decision_without_the_cells_vote(world, p):
    with pytest.raises(ChiboError):
        services.decide(actor=None, member=p, decided_on=TODAY, recognised=True, number="1")
    services.vote_record(actor=None, member=p, held_on=END, yes_votes=1)
    with pytest.raises(ChiboError):
        services.decide(actor=None, member=p, decided_on=TODAY, recognised=True, number="1")


def test_escalated_case_not_recognised_is_removed_with_the_reason(world, p):
    for _ in range(3):
        services.vote_record(actor=None, member=p, held_on=END, yes_votes=0)
    case = services.decide(actor=world.users["staff"], member=p, decided_on=TODAY, recognised=False, number="30-QĐ/ĐU", reason="Không đủ tư cách")
    assert (case.state, case.reason, case.official_on) == (CaseState.NOT_RECOGNISED, "Không đủ tư cách", None)
    current = StatusPeriod.objects.get(member=p, valid_to=OPEN)
    assert (current.status, current.valid_from, current.note) == (Status.REMOVED, TODAY, "Không đủ tư cách")


def test_escalated_case_recognised(world, p):
    for _ in range(3):
        services.vote_record(actor=None, member=p, held_on=END, yes_votes=1)
    case = services.decide(actor=None, member=p, decided_on=TODAY, recognised=True, number="31-QĐ/ĐU")
    assert case.state == CaseState.OFFICIAL and status(p) == Status.OFFICIAL


def test_status_cannot_be_set_official_around_the_lifecycle(world, p):
    with pytest.raises(ChiboError):
        member_set_status(actor=None, member=p, status=Status.OFFICIAL, on=END)
