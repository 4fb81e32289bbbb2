"""Inspection and supervision (kiểm tra, giám sát): an organisation's yearly plan, its items, their
record (findings, conclusions) and the follow-up items each inspection leaves.

A plan belongs to a committee, or to a cell for its own self-inspection of assigned tasks: the same
records, with the cell as both the plan's organisation and the target.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class InspectionPlan(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="inspection_plans")
    year = models.PositiveSmallIntegerField()
    approved_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="inspectionplan_one_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="inspectionplan_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}"

    @property
    def approved(self) -> bool:
        return self.approved_on is not None


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SUPERVISION = "supervision", _("Giám sát")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang tiến hành")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class InspectionItem(models.Model):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=InspectionKind.choices)
    target_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    target_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=300)
    month_from = models.DateField(help_text="first day of the first planned month")
    month_to = models.DateField(help_text="first day of the last planned month")
    inspectors = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    findings = models.TextField(blank=True, default="")
    conclusions = models.TextField(blank=True, default="")
    done_on = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["inspection", "supervision"]), name="inspectionitem_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "cancelled"]), name="inspectionitem_status_valid"
            ),
            models.CheckConstraint(condition=Q(month_from__day=1, month_to__day=1), name="inspectionitem_months_first_day"),
            models.CheckConstraint(condition=Q(month_to__gte=F("month_from")), name="inspectionitem_months_ordered"),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False)) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="inspectionitem_done_has_date",
            ),
            models.CheckConstraint(condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="inspectionitem_cancel_has_reason"),
        ]
        indexes = [models.Index(fields=["target_org", "month_from"], name="inspectionitem_target_idx")]
        ordering = ["month_from", "id"]

    def __str__(self) -> str:
        return self.topic


class FollowUpStatus(models.TextChoices):
    """The states of a member task (issue 8 §2): open, then done or not done."""

    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    NOT_DONE = "not_done", _("Không hoàn thành")


class FollowUp(models.Model):
    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField()
    responsible = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")
    # The member task that tracks it when the responsible member is in a cell (services.follow_up_add);
    # its status then follows the task's (inspections.apps: the tasks' status signal).
    task = models.OneToOneField("membertasks.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "done", "not_done"]), name="followup_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True)) | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="followup_closed_has_date",
            ),
        ]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]
