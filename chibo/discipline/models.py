"""Exemption from Party work and activities, removal (xóa tên), discipline records, the grounds of
removal flagged from chibo's own records, and the half-yearly reconciliation of a cell's records.

Each record belongs to the cell that holds the member's record when it is made (``cell``), and is
reached through it: the one access policy decides on that organisation (chibo.discipline.access).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class ExemptionGround(models.TextChoices):
    AGE = "age", _("Tuổi cao")
    HEALTH = "health", _("Sức khỏe yếu")
    OTHER = "other", _("Lý do khác")


class ApplicationForm(models.TextChoices):
    WRITTEN = "written", _("Bằng văn bản")
    IN_PERSON = "in_person", _("Trực tiếp")


class ExemptionStatus(models.TextChoices):
    APPLIED = "applied", _("Đã nhận đơn, chờ chi bộ quyết định")
    EXEMPTED = "exempted", _("Được miễn công tác và sinh hoạt")
    REFUSED = "refused", _("Chi bộ không đồng ý")
    ENDED = "ended", _("Đã thôi miễn, sinh hoạt lại")


class Exemption(models.Model):
    """24-QĐ/TW §7.1: the member applies (in writing or in person); the cell decides and reports upward."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exemptions")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="exemptions")
    applied_on = models.DateField()
    form = models.CharField(max_length=16, choices=ApplicationForm.choices)
    ground = models.CharField(max_length=16, choices=ExemptionGround.choices)
    ground_note = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=16, choices=ExemptionStatus.choices, default=ExemptionStatus.APPLIED)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True, default="")
    ended_on = models.DateField(null=True, blank=True)
    end_note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["applied", "exempted", "refused", "ended"]), name="exemption_status_valid"),
            models.CheckConstraint(condition=Q(ground__in=["age", "health", "other"]), name="exemption_ground_valid"),
            models.CheckConstraint(
                condition=Q(status="applied", decided_on__isnull=True) | (~Q(status="applied") & Q(decided_on__gte=F("applied_on"))),
                name="exemption_decided_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__gt=F("decided_on")) | (~Q(status="ended") & Q(ended_on__isnull=True)),
                name="exemption_ended_has_date",
            ),
            # One exemption at a time: an application waiting or an exemption in force.
            models.UniqueConstraint(fields=["member"], condition=Q(status__in=["applied", "exempted"]), name="exemption_one_open"),
        ]
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} {self.applied_on}"


class RemovalGround(models.TextChoices):
    """24-QĐ/TW §8.1 and 01-QĐ/TW (domain.md §2, "Removal and discipline")."""

    ABSENCE = "absence", _("Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do")
    DUES = "dues", _("Không đóng đảng phí 3 tháng trong năm không có lý do")
    CARD = "card", _("Tự ý trả thẻ hoặc hủy thẻ đảng viên")
    NO_PROGRESS = "no_progress", _("Không tiến bộ 12 tháng sau khi chi bộ giáo dục")
    VIOLATIONS = "violations", _("Vi phạm 2 năm liên tiếp")
    STANDARDS = "standards", _("Không còn đủ tiêu chuẩn chính trị")
    OTHER = "other", _("Lý do khác")


class RemovalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chi bộ đề nghị, chờ cấp ủy quyết định")
    REMOVED = "removed", _("Đã quyết định xóa tên")
    REJECTED = "rejected", _("Cấp ủy không đồng ý")


class Removal(models.Model):
    """The cell's proposal to remove a member (xóa tên) and the competent committee's decision."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="removals")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="removals")
    ground = models.CharField(max_length=16, choices=RemovalGround.choices)
    reason = models.TextField()
    proposed_on = models.DateField()
    flag = models.ForeignKey("discipline.RemovalFlag", null=True, blank=True, on_delete=models.PROTECT, related_name="removals")
    status = models.CharField(max_length=16, choices=RemovalStatus.choices, default=RemovalStatus.PROPOSED)
    decided_on = models.DateField(null=True, blank=True)
    deciding_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_number = models.CharField(max_length=50, blank=True, default="")
    decision_note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["proposed", "removed", "rejected"]), name="removal_status_valid"),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_on__isnull=True, deciding_org__isnull=True)
                | (~Q(status="proposed") & Q(decided_on__gte=F("proposed_on"), deciding_org__isnull=False)),
                name="removal_decided_has_date_and_org",
            ),
            models.UniqueConstraint(fields=["member"], condition=Q(status="proposed"), name="removal_one_pending"),
        ]
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} {self.proposed_on}"


class DisciplineKind(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")


# The forms of discipline a probationary member can receive (domain.md §2, LOW: a versioned setting).
PROBATIONARY_KINDS = (DisciplineKind.REPRIMAND, DisciplineKind.WARNING)


class DisciplineRecord(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="discipline_records")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="discipline_records")
    kind = models.CharField(max_length=16, choices=DisciplineKind.choices)
    decided_on = models.DateField()
    deciding_body = models.CharField(max_length=200)
    reason = models.TextField()
    document_number = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["reprimand", "warning", "dismissal", "expulsion"]), name="discipline_kind_valid"),
            models.CheckConstraint(condition=~Q(deciding_body="") & ~Q(document_number=""), name="discipline_has_body_and_number"),
        ]
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.decided_on}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Chờ chi bộ xem xét")
    DISMISSED = "dismissed", _("Đã xem xét, không đề nghị")
    PROPOSED = "proposed", _("Đã đề nghị xóa tên")


class RemovalFlag(models.Model):
    """A ground of removal read from chibo's records (grounds.py): a prompt for the cell, never a removal.

    One a member, year and ground; the daily job adds months as they come (``months``: ISO dates of
    the first days; ``evidence``: what each month rests on, e.g. the meetings missed)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="removal_flags")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="removal_flags")
    year = models.PositiveSmallIntegerField()
    ground = models.CharField(max_length=16, choices=RemovalGround.choices)
    months = models.JSONField(default=list)
    evidence = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_on = models.DateField()
    dismissed_reason = models.CharField(max_length=300, blank=True, default="")
    dismissed_on = models.DateField(null=True, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "ground"], name="removalflag_one_a_year"),
            models.CheckConstraint(condition=Q(status__in=["open", "dismissed", "proposed"]), name="removalflag_status_valid"),
            models.CheckConstraint(
                condition=Q(status="dismissed", dismissed_on__isnull=False) & ~Q(dismissed_reason="") | ~Q(status="dismissed"),
                name="removalflag_dismissed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["cell", "status"], name="removalflag_cell_status_idx")]
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.ground} {self.year}"


class Reconciliation(models.Model):
    """01-HD/TW §8: the registry checked against the books of current members, members who left and
    deceased members, every CHIBO_RECONCILE_EVERY_MONTHS months. The registry's counts on the day are
    kept beside the books' counts."""

    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reconciliations")
    checked_on = models.DateField()
    checked_by = models.CharField(max_length=200)
    book_current = models.PositiveIntegerField()
    book_left = models.PositiveIntegerField()
    book_deceased = models.PositiveIntegerField()
    registry_current = models.PositiveIntegerField()
    registry_left = models.PositiveIntegerField()
    registry_deceased = models.PositiveIntegerField()
    differences = models.TextField(blank=True, default="")
    note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["cell", "checked_on"], name="reconciliation_cell_day_idx")]
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.checked_on}"

    @property
    def matches(self) -> bool:
        return (self.book_current, self.book_left, self.book_deceased) == (self.registry_current, self.registry_left, self.registry_deceased)
