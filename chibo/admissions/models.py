"""Admission of party members (kết nạp đảng viên), quotas and residential areas.

A :class:`Candidate` (quần chúng) of a cell goes through nine steps in order (domain.md §2, issue 9 §1),
each an :class:`AdmissionStep` with its date, an optional document and an audit row; the cell's and the
committee's votes may fail and be held again. ``step_done`` is the last step passed (0 to 9), so a list
shows each candidate's current step without reading the steps. The ceremony creates the member
(probationary) and links it. Rules are enforced in services.py; the database keeps what it can.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import VietnameseCharField
from chibo.members.models import Member, Sex
from chibo.orgs.models import AreaKind, Organisation


class Source(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Đoàn viên thanh niên")
    MILITIA = "militia", _("Dân quân")
    RESERVE = "reserve", _("Quân nhân dự bị")
    VILLAGE_WORKER = "village_worker", _("Người hoạt động không chuyên trách ở thôn")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Doanh nghiệp tư nhân")
    OTHER = "other", _("Khác")


class State(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang xem xét")
    ADMITTED = "admitted", _("Đã kết nạp")
    STOPPED = "stopped", _("Dừng xem xét")


class StepKind(models.TextChoices):
    COURSE = "course", _("Học lớp bồi dưỡng nhận thức về Đảng")
    APPLICATION = "application", _("Đơn xin vào Đảng")
    INTRODUCERS = "introducers", _("Người giới thiệu")
    BACKGROUND = "background", _("Thẩm tra lý lịch")
    COMMENTS = "comments", _("Nhận xét của đoàn thể và chi ủy nơi cư trú")
    CELL_VOTE = "cell_vote", _("Chi bộ xét, biểu quyết")
    COMMITTEE_VOTE = "committee_vote", _("Đảng ủy cơ sở xét, biểu quyết")
    DECISION = "decision", _("Quyết định kết nạp")
    CEREMONY = "ceremony", _("Lễ kết nạp")
    EXTENSION = "extension", _("Gia hạn thời gian ra quyết định")


# The nine steps in order; their number is their index + 1. The extension is not a step of its own.
STEPS: list[str] = [
    StepKind.COURSE, StepKind.APPLICATION, StepKind.INTRODUCERS, StepKind.BACKGROUND, StepKind.COMMENTS,
    StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE, StepKind.DECISION, StepKind.CEREMONY,
]
STEP_NUMBER: dict[str, int] = {kind: i + 1 for i, kind in enumerate(STEPS)}
VOTES = (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE)


class Candidate(models.Model):
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="candidates")
    surname = VietnameseCharField(_("Họ"), max_length=50)
    middle_name = VietnameseCharField(_("Tên đệm"), max_length=80, blank=True, default="")
    given_name = VietnameseCharField(_("Tên"), max_length=50)
    full_name = VietnameseCharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True)
    sex = models.CharField(_("Giới tính"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("Ngày sinh"))
    citizen_id = models.CharField(_("Số căn cước"), max_length=12, blank=True, default="")
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True, default="")
    residence = models.CharField(_("Nơi cư trú"), max_length=300, blank=True, default="")
    source = models.CharField(_("Nguồn"), max_length=24, choices=Source.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    step_done = models.PositiveSmallIntegerField(default=0)  # the last step passed, 0..9
    # The committee that decides (the grassroots committee above the cell), read from the tree.
    deciding_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cell_vote_on = models.DateField(null=True, blank=True)  # the passing cell vote
    extended = models.BooleanField(default=False)
    # The deadline of the next step when it has one (the decision, the ceremony), and when the daily
    # job flagged it overdue (once).
    deadline = models.DateField(null=True, blank=True)
    overdue_flagged_on = models.DateField(null=True, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacy")
    stopped_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(step_done__gte=0, step_done__lte=9), name="candidate_step_range"),
            models.CheckConstraint(
                condition=Q(state="admitted", member__isnull=False, admitted_on__isnull=False, step_done=9)
                | (~Q(state="admitted") & Q(member__isnull=True, admitted_on__isnull=True)),
                name="candidate_admitted_iff_member",
            ),
            models.CheckConstraint(
                condition=Q(state="stopped", stopped_on__isnull=False) & ~Q(stop_reason="")
                | (~Q(state="stopped") & Q(stopped_on__isnull=True)),
                name="candidate_stopped_has_reason",
            ),
            models.CheckConstraint(condition=Q(citizen_id="") | Q(citizen_id__regex=r"^[0-9]{12}$"), name="candidate_citizen_id_12_digits"),
            models.CheckConstraint(condition=Q(state__in=["in_progress", "admitted", "stopped"]), name="candidate_state_valid"),
        ]
        indexes = [
            models.Index(fields=["cell", "state", "step_done"], name="candidate_cell_state_idx"),
            models.Index(fields=["state", "deadline"], name="candidate_deadline_idx"),
            models.Index(fields=["admitted_on"], name="candidate_admitted_idx"),
        ]
        ordering = ["given_name", "surname", "middle_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def next_step(self) -> str | None:
        if self.state != State.IN_PROGRESS or self.step_done >= len(STEPS):
            return None
        return STEPS[self.step_done]

    @property
    def next_step_label(self) -> str:
        kind = self.next_step
        return f"{STEP_NUMBER[kind]}. {StepKind(kind).label}" if kind else ""


class AdmissionStep(models.Model):
    """One step as recorded: a failed vote is kept (``passed`` false) and the vote may be held again."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    on = models.DateField()
    passed = models.BooleanField(default=True)
    note = models.CharField(max_length=1000, blank=True, default="")
    # Votes: yes votes over the base (the cell's official members counted from the records on the day, or
    # the committee's members as entered).
    yes_votes = models.PositiveIntegerField(null=True, blank=True)
    vote_base = models.PositiveIntegerField(null=True, blank=True)
    decision_number = models.CharField(max_length=50, blank=True, default="")
    file = models.FileField(upload_to="admissions/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], condition=Q(passed=True), name="admission_step_once"),
            models.CheckConstraint(condition=Q(passed=True) | Q(kind__in=["cell_vote", "committee_vote"]), name="admission_step_only_votes_fail"),
            models.CheckConstraint(
                condition=~Q(kind__in=["cell_vote", "committee_vote"])
                | Q(yes_votes__isnull=False, vote_base__gt=0, yes_votes__lte=models.F("vote_base")),
                name="admission_vote_counts",
            ),
        ]
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.kind} {self.on}"


class Introducer(models.Model):
    step = models.ForeignKey(AdmissionStep, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    worked_since = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "member"], name="introducer_once")]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.member_id}"


class AdmissionQuota(models.Model):
    """A yearly admission target set by the upper level for a cell or a commune-level organisation."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="admission_quotas")
    year = models.PositiveSmallIntegerField()
    target = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="admission_quota_once"),
            models.CheckConstraint(condition=Q(target__gte=1, target__lte=10000), name="admission_quota_target_range"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="admission_quota_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}: {self.target}"


class ResidentialArea(models.Model):
    """A village or residential group of a commune-level organisation (for the "white villages" list)."""

    commune = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="residential_areas")
    kind = models.CharField(_("Loại"), max_length=16, choices=[c for c in AreaKind.choices if c[0]])
    name = VietnameseCharField(_("Tên thôn, tổ dân phố"), max_length=200)
    name_folded = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "name_folded"], name="residential_area_once"),
            models.CheckConstraint(condition=~Q(name_folded=""), name="residential_area_named"),
        ]
        ordering = ["name_folded", "pk"]

    def __str__(self) -> str:
        return self.name
