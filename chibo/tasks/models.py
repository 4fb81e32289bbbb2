"""Member tasks (phân công nhiệm vụ): assigned by the cell, reported on by the members, checked by the
chi ủy at the monthly meeting, closed as done, done late or not done.

Rules are enforced in services.py; the database keeps what it can (status values, one assignee row per
member, one check per meeting, one reminder per task, member and meeting).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting, ResolutionItem
from chibo.members.models import Member
from chibo.orgs.models import Organisation


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    DONE_LATE = "done_late", _("Hoàn thành muộn")
    NOT_DONE = "not_done", _("Không hoàn thành")


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.NOT_DONE)


class Task(models.Model):
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="member_tasks")
    title = models.CharField(_("Nhiệm vụ"), max_length=300)
    expected_result = models.TextField(_("Kết quả cần đạt"), max_length=2000)
    due_on = models.DateField(_("Hạn hoàn thành"))
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    # Only an item of an adopted resolution of the same cell (services.task_create).
    resolution_item = models.ForeignKey(ResolutionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    # A residential-area matter: a petition of the same cell (services.task_create), and/or free text.
    petition = models.ForeignKey("petitions.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    area_matter = models.CharField(_("Việc của khu dân cư"), max_length=300, blank=True, default="")
    assignees = models.ManyToManyField(Member, through="TaskAssignee", related_name="assigned_tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Closing: the day the result was reached (done / done late), the note, who and at which meeting.
    finished_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="closed_tasks")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "done", "done_late", "not_done"]), name="task_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="task_closed_iff_not_open",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(status__in=["done", "done_late"]),
                name="task_finished_only_when_done",
            ),
        ]
        indexes = [models.Index(fields=["cell", "status", "due_on"], name="task_cell_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    def overdue_on(self, day: object) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < day  # type: ignore[operator]


class TaskAssignee(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignee_rows")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="task_rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "member"], name="task_assignee_unique")]
        indexes = [models.Index(fields=["member", "task"], name="task_assignee_member_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.member_id}"


class TaskReport(models.Model):
    """A member's progress report, with an optional photo or file checked by content."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    file = models.FileField(upload_to="tasks/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["task", "created_at"], name="task_report_task_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class CheckOutcome(models.TextChoices):
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    NO_REPORT = "no_report", _("Chưa báo cáo")


class TaskCheck(models.Model):
    """The chi ủy's check of a task at a meeting; it goes into that meeting's minutes."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checks")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="task_checks")
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    note = models.CharField(max_length=1000, blank=True, default="")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "meeting"], name="task_check_one_per_meeting"),
            models.CheckConstraint(condition=Q(outcome__in=["on_track", "behind", "no_report"]), name="task_check_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}@{self.meeting_id}: {self.outcome}"


class TaskReminder(models.Model):
    """A reminder sent before a meeting: at most one per task, member and meeting."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "member", "meeting"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.member_id}/{self.meeting_id}"
