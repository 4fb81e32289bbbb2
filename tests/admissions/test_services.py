"""Admission services at every edge: order, introducers, age, votes, deadlines, the ceremony; quotas and
residential areas; nothing written on refusal, an audit row on success."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.admissions import jobs, selectors, services
from chibo.admissions.models import (
    AdmissionQuota,
    AdmissionStep,
    Candidate,
    ResidentialArea,
    State,
    StepKind,
)
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.core.workdays import add_working_days
from chibo.meetings.models import Notification
from chibo.members.models import Membership, Status, StatusPeriod
from tests.admissions.factories import DATES, PDF, advance, make_candidate, record
from tests.factories import make_member, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 6, 15, 10), tick=False):
        yield


@pytest.fixture
def late():
    with time_machine.travel(vn(2026, 11, 20, 10), tick=False):
        yield


def _audits(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def _refused(call, *, contains: str = "") -> ChiboError:
    with pytest.raises(ChiboError) as exc:
        call()
    assert contains in exc.value.message
    return exc.value


# Candidates -------------------------------------------------------------------------------------


def test_candidate_create_writes_audit_and_folds_the_name(world, frozen):
    candidate = make_candidate(world)
    assert candidate.full_name == "Lê Văn Tâm" and candidate.name_folded == "le van tam"
    assert candidate.deciding_org_id == world.commune.pk and candidate.step_done == 0
    assert _audits("admissions.candidate_create") == 1


def test_candidate_create_refuses_bad_input_and_writes_nothing(world, frozen):
    _refused(lambda: make_candidate(world, citizen_id="022095"), contains="12 chữ số")
    _refused(lambda: make_candidate(world, citizen_id=world.member.citizen_id, born=world.member.date_of_birth, sex="female"), contains="đã có trong danh sách đảng viên")
    _refused(lambda: make_candidate(world, given_name=""), contains="Tên")
    _refused(lambda: make_candidate(world, born=dt.date(2027, 1, 1), with_id=False), contains="tương lai")
    _refused(lambda: make_candidate(world, source="student"), contains="nguồn")
    _refused(lambda: make_candidate(world, phone="12ab"), contains="điện thoại")
    assert not Candidate.objects.exists() and _audits("admissions.candidate_create") == 0
    # a committee is not a cell
    _refused(lambda: make_candidate(world, cell=world.commune), contains="chi bộ")


# Order and dates ---------------------------------------------------------------------------------


def test_steps_out_of_order_are_refused_with_the_next_step(world, frozen):
    candidate = make_candidate(world)
    err = _refused(lambda: record(world, candidate, StepKind.APPLICATION), contains="bước tiếp theo là “1. Học lớp bồi dưỡng")
    assert err.field == "kind"
    record(world, candidate, StepKind.COURSE)
    _refused(lambda: record(world, candidate, StepKind.COURSE), contains="Chưa đến bước")
    _refused(lambda: record(world, candidate, StepKind.APPLICATION, dt.date(2026, 1, 4)), contains="trước bước đã ghi")
    _refused(lambda: record(world, candidate, StepKind.APPLICATION, dt.date(2026, 6, 16)), contains="tương lai")
    assert AdmissionStep.objects.count() == 1 and Candidate.objects.get().step_done == 1
    assert _audits("admissions.course") == 1 and _audits("admissions.application") == 0


def test_a_document_is_checked_by_content_and_stored(world, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate = make_candidate(world)
    _refused(lambda: record(world, candidate, StepKind.COURSE, data=b"MZ\x90\x00", name="virus.pdf"), contains="chương trình")
    assert not AdmissionStep.objects.exists()
    step = record(world, candidate, StepKind.COURSE, data=PDF, name="C:\\giay\\chung-nhan.pdf")
    assert step.original_name == "chung-nhan.pdf" and step.content_type == "application/pdf" and step.file.name.endswith(".pdf")


# Introducers ------------------------------------------------------------------------------------


def _to_introducers(world):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.APPLICATION)
    return candidate


def test_introducer_with_11_months_is_refused_12_accepted(world, frozen):
    candidate = _to_introducers(world)
    on = DATES[StepKind.INTRODUCERS]
    eleven = [(world.member, dt.date(2025, 3, 2)), (world.secretary_member, dt.date(2024, 1, 1))]
    err = _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=eleven), contains="mới công tác cùng quần chúng 11 tháng")
    assert err.field == "introducers" and not AdmissionStep.objects.filter(kind="introducers").exists()
    twelve = [(world.member, dt.date(2025, 2, 2)), (world.secretary_member, dt.date(2024, 1, 1))]
    step = record(world, candidate, StepKind.INTRODUCERS, on, introducers=twelve)
    assert sorted(i.member_id for i in step.introducers.all()) == sorted([world.member.pk, world.secretary_member.pk])


def test_introducers_must_be_official_on_the_day_and_two(world, frozen):
    candidate = _to_introducers(world)
    on = DATES[StepKind.INTRODUCERS]
    probationer = make_member(world.cell, given_name="Dự", admitted_on=dt.date(2025, 12, 1), official_on=None, joined_on=dt.date(2025, 12, 1))
    since = dt.date(2024, 1, 1)
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=[(world.member, since), (probationer, since)]), contains="không phải đảng viên chính thức")
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=[(world.member, since)]), contains="Cần hai người giới thiệu")
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=[(world.member, since), (world.member, since)]), contains="khác nhau")
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=[(world.member, None), (world.secretary_member, since)]), contains="Hãy ghi ngày")
    assert Candidate.objects.get().step_done == 2


def test_youth_union_one_introducer_with_the_resolution(world, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate = make_candidate(world, source="youth_union")
    advance(world, candidate, through=StepKind.APPLICATION)
    on, one = DATES[StepKind.INTRODUCERS], [(world.member, dt.date(2024, 1, 1))]
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=one), contains="nghị quyết giới thiệu của Đoàn")
    settings.CHIBO_ADMISSION_YOUTH_UNION_ONE_INTRODUCER = [("2000-01-01", True), ("2026-02-01", False)]
    _refused(lambda: record(world, candidate, StepKind.INTRODUCERS, on, introducers=one, data=PDF), contains="Cần hai người giới thiệu")
    settings.CHIBO_ADMISSION_YOUTH_UNION_ONE_INTRODUCER = [("2000-01-01", True)]
    record(world, candidate, StepKind.INTRODUCERS, on, introducers=one, data=PDF, name="nq-doan.pdf")
    assert Candidate.objects.get().step_done == 3


def test_comments_may_be_skipped_when_the_setting_says_so(world, frozen, settings):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.BACKGROUND)
    _refused(lambda: record(world, candidate, StepKind.CELL_VOTE), contains="5. Nhận xét")
    settings.CHIBO_ADMISSION_COMMENTS_REQUIRED = [("2000-01-01", False)]
    record(world, candidate, StepKind.CELL_VOTE)
    assert Candidate.objects.get().step_done == 6


# Age at the cell's review ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (dt.date(2008, 5, 1), False),  # 17 years 11 months on 01/04/2026
        (dt.date(2008, 4, 1), True),  # 18 years 0 months
        (dt.date(1966, 4, 1), True),  # 60 years 0 months
        (dt.date(1966, 3, 1), False),  # 60 years 1 month
    ],
)
def test_age_at_the_cells_review_in_months(world, frozen, born, ok):
    candidate = make_candidate(world, born=born)
    advance(world, candidate, through=StepKind.COMMENTS)
    if ok:
        record(world, candidate, StepKind.CELL_VOTE)
        assert Candidate.objects.get().step_done == 6
    else:
        err = _refused(lambda: record(world, candidate, StepKind.CELL_VOTE), contains="tính theo tháng")
        assert err.field == "on" and ("17 tuổi 11 tháng" in err.message or "60 tuổi 1 tháng" in err.message)
        assert not AdmissionStep.objects.filter(kind="cell_vote").exists()


# Votes -------------------------------------------------------------------------------------------


def test_cell_vote_at_exactly_two_thirds_passes_just_below_fails_and_may_be_repeated(world, frozen):
    make_member(world.cell, given_name="Ba")  # three official members on the vote day
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMENTS)
    failed = record(world, candidate, StepKind.CELL_VOTE, dt.date(2026, 4, 1), yes_votes=1)
    assert not failed.passed and failed.vote_base == 3 and Candidate.objects.get().step_done == 5
    assert AuditEvent.objects.filter(verb="admissions.cell_vote").last().summary.endswith("không đạt")
    _refused(lambda: record(world, candidate, StepKind.CELL_VOTE, dt.date(2026, 4, 2), yes_votes=4), contains="nhiều hơn số đảng viên chính thức")
    passed = record(world, candidate, StepKind.CELL_VOTE, dt.date(2026, 4, 2), yes_votes=2)
    candidate.refresh_from_db()
    assert passed.passed and candidate.step_done == 6 and candidate.cell_vote_on == dt.date(2026, 4, 2)
    assert AdmissionStep.objects.filter(kind="cell_vote").count() == 2


def test_cell_vote_counts_official_members_on_the_day_from_the_records(world, frozen):
    # a member who joined the cell after the vote day is not counted
    make_member(world.cell, given_name="Sau", joined_on=dt.date(2026, 5, 1))
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMENTS)
    step = record(world, candidate, StepKind.CELL_VOTE, yes_votes=2)
    assert step.vote_base == 2 and step.passed


def test_committee_vote_two_thirds_of_its_members(world, frozen):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.CELL_VOTE)
    assert not record(world, candidate, StepKind.COMMITTEE_VOTE, yes_votes=5, committee_members=8).passed  # 5/8 < 2/3
    _refused(lambda: record(world, candidate, StepKind.COMMITTEE_VOTE, yes_votes=10, committee_members=9), contains="đảng ủy viên")
    _refused(lambda: record(world, candidate, StepKind.COMMITTEE_VOTE, yes_votes=1, committee_members=0), contains="số đảng ủy viên")
    assert record(world, candidate, StepKind.COMMITTEE_VOTE, yes_votes=6, committee_members=9).passed  # exactly 2/3
    candidate.refresh_from_db()
    assert candidate.deadline == add_working_days(DATES[StepKind.CELL_VOTE], 60)


# Decision and ceremony deadlines ----------------------------------------------------------------


def test_decision_on_working_day_60_passes_61_is_refused(world, late):
    vote = DATES[StepKind.CELL_VOTE]
    for day, ok in ((61, False), (60, True)):
        candidate = make_candidate(world, given_name=f"Ngày{day}".replace("6", "S").replace("0", "K").replace("1", "M"), with_id=False)
        advance(world, candidate, through=StepKind.COMMITTEE_VOTE)
        on = add_working_days(vote, day)
        if ok:
            record(world, candidate, StepKind.DECISION, on, actor="staff")
            assert Candidate.objects.get(pk=candidate.pk).step_done == 8
        else:
            err = _refused(lambda c=candidate, d=on: record(world, c, StepKind.DECISION, d, actor="staff"), contains="ngày làm việc thứ 61")
            assert "gia hạn" in err.message and not AdmissionStep.objects.filter(candidate=candidate, kind="decision").exists()


def test_extension_once_by_30_working_days(world, late):
    vote = DATES[StepKind.CELL_VOTE]
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMITTEE_VOTE)
    _refused(lambda: services.extension_record(actor=world.users["staff"], candidate=candidate, on=add_working_days(vote, 10), reason=""), contains="lý do")
    _refused(lambda: services.extension_record(actor=world.users["staff"], candidate=candidate, on=add_working_days(vote, 61), reason="Chờ thẩm tra"), contains="hết hạn")
    services.extension_record(actor=world.users["staff"], candidate=candidate, on=add_working_days(vote, 50), reason="Chờ kết quả thẩm tra bổ sung")
    candidate.refresh_from_db()
    assert candidate.extended and candidate.deadline == add_working_days(vote, 90) and _audits("admissions.extension") == 1
    _refused(lambda: services.extension_record(actor=world.users["staff"], candidate=candidate, on=add_working_days(vote, 55), reason="Lần hai"), contains="một lần")
    _refused(lambda: record(world, candidate, StepKind.DECISION, add_working_days(vote, 91), actor="staff"), contains="90 ngày làm việc")
    record(world, candidate, StepKind.DECISION, add_working_days(vote, 90), actor="staff")


def test_ceremony_creates_the_probationary_member_within_30_working_days(world, late):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.DECISION)
    decision = DATES[StepKind.DECISION]
    assert candidate.deadline == add_working_days(decision, 30)
    _refused(lambda: record(world, candidate, StepKind.CEREMONY, add_working_days(decision, 31), actor="staff"), contains="Quá hạn tổ chức lễ kết nạp")
    on = add_working_days(decision, 30)
    record(world, candidate, StepKind.CEREMONY, on, actor="staff")
    candidate.refresh_from_db()
    member = candidate.member
    assert candidate.state == State.ADMITTED and candidate.admitted_on == on and member is not None
    assert member.admitted_on == on and member.official_on is None and member.full_name == "Lê Văn Tâm"
    assert StatusPeriod.objects.get(member=member).status == Status.PROBATIONARY
    assert Membership.objects.get(member=member).org_id == world.cell.pk
    assert _audits("admissions.ceremony") == 1 and _audits("member.create") >= 1
    _refused(lambda: record(world, candidate, StepKind.CEREMONY, on, actor="staff"), contains="không còn")


def test_ceremony_needs_a_citizen_id(world, late):
    candidate = make_candidate(world, with_id=False)
    advance(world, candidate, through=StepKind.DECISION)
    _refused(lambda: record(world, candidate, StepKind.CEREMONY, actor="staff"), contains="số căn cước")
    _refused(lambda: record(world, candidate, StepKind.CEREMONY, actor="staff", citizen_id="123"), contains="12 chữ số")
    assert Candidate.objects.get().state == State.IN_PROGRESS and not AdmissionStep.objects.filter(kind="ceremony").exists()


def test_stop_needs_a_reason(world, frozen):
    candidate = make_candidate(world)
    _refused(lambda: services.candidate_stop(actor=world.users["secretary"], candidate=candidate, on=None, reason="  "), contains="lý do")
    services.candidate_stop(actor=world.users["secretary"], candidate=candidate, on=None, reason="Chuyển đi nơi khác")
    candidate.refresh_from_db()
    assert candidate.state == State.STOPPED and candidate.stopped_on == dt.date(2026, 6, 15) and _audits("admissions.stop") == 1
    _refused(lambda: record(world, candidate, StepKind.COURSE), contains="không còn trong quá trình")


# The daily job ---------------------------------------------------------------------------------


def test_job_flags_overdue_decision_once_and_notifies(world, late):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.COMMITTEE_VOTE)
    deadline = candidate.deadline
    assert jobs.flag_overdue(today=deadline) == 0
    assert jobs.flag_overdue(today=deadline + dt.timedelta(days=1)) == 1
    assert jobs.flag_overdue(today=deadline + dt.timedelta(days=2)) == 0
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users == {"bithu", "canboxa"}
    assert _audits("admissions.overdue") == 1


def test_job_flags_overdue_ceremony(world, late):
    candidate = make_candidate(world)
    advance(world, candidate, through=StepKind.DECISION)
    assert jobs.flag_overdue(today=candidate.deadline + dt.timedelta(days=1)) == 1
    assert "lễ kết nạp" in Notification.objects.first().subject


# Quotas, residential areas and the summary -----------------------------------------------------


def test_quota_set_and_update(world, frozen):
    services.quota_set(actor=world.users["province"], org=world.commune, year=2026, target=5)
    services.quota_set(actor=world.users["province"], org=world.commune, year=2026, target=6)
    assert AdmissionQuota.objects.get().target == 6 and _audits("admissions.quota") == 2
    _refused(lambda: services.quota_set(actor=world.users["province"], org=world.cell, year=2026, target=0), contains="từ 1")
    _refused(lambda: services.quota_set(actor=world.users["province"], org=world.province, year=2026, target=3), contains="chi bộ hoặc đảng bộ cấp xã")
    _refused(lambda: services.quota_set(actor=world.users["province"], org=world.cell, year=1999, target=3), contains="Năm")
    assert AdmissionQuota.objects.count() == 1


def test_summary_counts_steps_sources_and_quota_progress(world, late):
    services.quota_set(actor=world.users["province"], org=world.commune, year=2026, target=4)
    services.quota_set(actor=world.users["staff"], org=world.cell, year=2026, target=2)
    admitted = make_candidate(world, source="youth_union")
    advance(world, admitted, through=StepKind.CEREMONY)
    waiting = make_candidate(world, given_name="Bình", with_id=False)
    advance(world, waiting, through=StepKind.APPLICATION)
    make_candidate(world, given_name="Cường", with_id=False, cell=world.other_cell)
    version = selectors.versions_on(dt.date(2026, 11, 20)).get(org_id=world.commune.pk)
    summary = selectors.committee_summary(version=version, year=2026, on=dt.date(2026, 11, 20))
    assert summary.admitted == 1 and summary.in_progress == 1
    assert dict((k, n) for k, _l, n in summary.by_step)[StepKind.INTRODUCERS] == 1
    assert {r.source: r.admitted for r in summary.by_source}["youth_union"] == 1
    assert summary.own_quota is not None and summary.own_quota.admitted == 1 and summary.own_quota.percent == 25
    assert [(r.name, r.admitted) for r in summary.quotas] == [("Chi bộ thôn Trung Sơn", 1)]
    assert selectors.committee_summary(version=version, year=2025, on=dt.date(2026, 11, 20)).admitted == 0


def test_white_villages(world, frozen):
    staff = world.users["staff"]
    for name in ("Trung Sơn", "Đồng Tâm", "Khe Mai"):
        services.area_add(actor=staff, commune=world.commune, kind="village", name=name)
    _refused(lambda: services.area_add(actor=staff, commune=world.commune, kind="village", name="trung son"), contains="đã có")
    _refused(lambda: services.area_add(actor=staff, commune=world.cell, kind="village", name="Mới"), contains="cấp xã")
    _refused(lambda: services.area_add(actor=staff, commune=world.commune, kind="", name="Mới"), contains="loại")
    assert ResidentialArea.objects.count() == 3 and _audits("admissions.area_add") == 3
    version = selectors.versions_on(dt.date(2026, 6, 15)).get(org_id=world.commune.pk)
    found = selectors.white_villages(version=version, on=dt.date(2026, 6, 15))
    problems = {r.area.name: r.problem for r in found["rows"]}
    assert problems == {"Trung Sơn": "", "Đồng Tâm": "no_member", "Khe Mai": "no_cell"}
    assert found["no_cell"] == 1 and found["no_member"] == 1


def test_sixty_at_the_cells_review_is_admitted_though_older_at_the_ceremony(world, frozen):
    """The age rule is read at the cell's review: 60 years 0 months on 01/04/2026, 60 years 1 month at
    the ceremony on 20/05/2026; the member is created (the registry's own check follows the review day)."""
    candidate = advance(world, make_candidate(world, born=dt.date(1966, 4, 1)), through=StepKind.CEREMONY)
    assert candidate.member is not None and candidate.member.admitted_on == dt.date(2026, 5, 20)
