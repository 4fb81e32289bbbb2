"""Briefings (giao ban): a committee meets the secretaries (and village heads) of the cells under it.

A committee plans them by period (quarterly by default, ``CHIBO_BRIEFING_PER_YEAR``); each one has an
agenda with its minutes, an attendance list drawn from the cells under the committee on the day, and
the issues raised there (each with an owner; ``services.issue_convert`` turns one into a member task
or a petition, and the issue keeps the link).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation
from chibo.petitions.models import Petition
from chibo.tasks.models import Task


class BriefingStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


class Briefing(models.Model):
    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="briefings")
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField(help_text="1..CHIBO_BRIEFING_PER_YEAR: the period of the year it belongs to")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, default="")
    chair_name = models.CharField(max_length=200, blank=True, default="")
    recorder_name = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.PLANNED)
    cancel_reason = models.CharField(max_length=300, blank=True, default="")
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["planned", "held", "cancelled"]), name="briefing_status_valid"),
            models.CheckConstraint(condition=Q(period__gte=1, period__lte=12), name="briefing_period_1_12"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="briefing_year_range"),
            models.CheckConstraint(condition=~Q(status="held") | Q(held_at__isnull=False), name="briefing_held_has_time"),
            models.CheckConstraint(condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="briefing_cancel_has_reason"),
            models.UniqueConstraint(fields=["committee", "year", "period"], name="briefing_one_per_period"),
        ]
        indexes = [models.Index(fields=["committee", "starts_at"], name="briefing_committee_start_idx")]
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.period}/{self.year}"


class BriefingItem(models.Model):
    """An agenda item and what the minutes say about it."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    content = models.TextField(blank=True, default="")
    conclusion = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["briefing", "position"], name="briefingitem_unique_position")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class InviteRole(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư chi bộ")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn, khu phố")
    BOTH = "both", _("Bí thư chi bộ, trưởng thôn")


class BriefingAttendance(models.Model):
    """One invitee: a secretary or village head of a cell under the committee on the briefing day."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=InviteRole.choices)
    status = models.CharField(max_length=16, blank=True, default="")  # "" | meetings' AttendanceStatus values
    reason = models.CharField(max_length=300, blank=True, default="")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["briefing", "member"], name="briefingattendance_unique_member"),
            models.CheckConstraint(condition=Q(status__in=["", "present", "excused", "unexcused"]), name="briefingattendance_status_valid"),
        ]
        indexes = [models.Index(fields=["member", "briefing"], name="briefingatt_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.briefing_id}: {self.status}"


class IssueKind(models.TextChoices):
    TASK = "task", _("Giao nhiệm vụ")
    PETITION = "petition", _("Kiến nghị lên cấp trên")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Đang theo dõi")
    CONVERTED = "converted", _("Đã chuyển thành nhiệm vụ, kiến nghị")
    CLOSED = "closed", _("Đã xong")


class BriefingIssue(models.Model):
    """An issue raised at a briefing: who raised it, who owns it, and what it should become."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="issues")
    text = models.TextField()
    raised_by_name = models.CharField(max_length=200, blank=True, default="")
    cell = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=IssueKind.choices, default=IssueKind.TASK)
    status = models.CharField(max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    # What it became (services.issue_convert): exactly the link of its kind once converted, none before.
    task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="briefing_issue")
    petition = models.OneToOneField(Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="briefing_issue")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["task", "petition"]), name="briefingissue_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["open", "converted", "closed"]), name="briefingissue_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(status="converted", kind="task", task__isnull=False, petition__isnull=True)
                    | Q(status="converted", kind="petition", task__isnull=True, petition__isnull=False)
                    | (~Q(status="converted") & Q(task__isnull=True, petition__isnull=True))
                ),
                name="briefingissue_converted_has_its_link",
            ),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class BriefingReminder(models.Model):
    """A reminder sent to one invitee: at most one per briefing and person (the job's dedupe)."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["briefing", "member"], name="briefingreminder_once")]

    def __str__(self) -> str:
        return f"{self.briefing_id}:{self.member_id}"
