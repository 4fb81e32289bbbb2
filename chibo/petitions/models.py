"""Petitions and recommendations (đề xuất, kiến nghị): raised in a cell, sent up the tree (or to an
outside authority), answered at some level, read out at the cell's next meeting, then closed.

The state machine (services.py enforces the moves; the constraints below keep the rows honest):

    open ──send──▶ at_level ──forward/escalate──▶ at_level
                   │  ├─answer──▶ answered ──read out──▶ (answered, read_out_at) ─┬─close──▶ closed
                   │  ├─return──▶ returned ──send again──▶ at_level              └─reopen─▶ reopened
                   │  └─close out of scope──▶ out_of_scope                               (= at_level)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.orgs.models import Organisation


class RaisedVia(models.TextChoices):
    MEETING = "meeting", _("Tại cuộc họp chi bộ")
    UPPER = "upper", _("Qua cấp ủy viên cấp trên dự họp")
    APP = "app", _("Đảng viên gửi giữa hai kỳ họp")
    BRIEFING = "briefing", _("Tại hội nghị giao ban")


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Hạ tầng, giao thông")
    LAND = "land", _("Đất đai")
    ENVIRONMENT = "environment", _("Môi trường")
    SOCIAL_POLICY = "social_policy", _("Chính sách xã hội")
    SECURITY = "security", _("An ninh, trật tự")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    OPEN = "open", _("Mới, tại chi bộ")
    AT_LEVEL = "at_level", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    RETURNED = "returned", _("Trả lại, cần làm rõ")
    OUT_OF_SCOPE = "out_of_scope", _("Đóng: không thuộc thẩm quyền")
    CLOSED = "closed", _("Đã khép lại")
    REOPENED = "reopened", _("Mở lại")


HELD = (Status.AT_LEVEL, Status.REOPENED)  # somewhere above the cell (or outside), with a deadline
AT_CELL = (Status.OPEN, Status.RETURNED)  # waiting for the cell to send it
OPEN_STATUSES = (*AT_CELL, *HELD)
FINAL = (Status.OUT_OF_SCOPE, Status.CLOSED)


class Petition(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="petitions")  # the originating cell
    raised_via = models.CharField(max_length=16, choices=RaisedVia.choices)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions")
    raised_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions")
    raised_by_name = models.CharField(max_length=200, blank=True, default="")  # a resident, a village head…
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    category = models.CharField(max_length=32, choices=Category.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)
    # The resident's identity: optional and private (access.can_see_resident decides who reads it).
    resident_name = models.CharField(max_length=200, blank=True, default="")
    resident_phone = models.CharField(max_length=20, blank=True, default="")
    resident_address = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Who holds it now: a committee above the cell, or an authority outside the Party named in words.
    holder = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="held_petitions")
    holder_external = models.CharField(max_length=200, blank=True, default="")
    deadline = models.DateField(null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(default=0)
    stalled_on = models.DateField(null=True, blank=True)  # overdue at the root: flagged, not moved
    # The answer, and who gave it (kept after it goes back to the cell: a re-opening returns there).
    answer = models.TextField(blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_by_external = models.CharField(max_length=200, blank=True, default="")
    read_out_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions_read_out")
    read_out_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(raised_by__isnull=False) | ~Q(raised_by_name=""), name="petition_has_raiser"),
            models.CheckConstraint(condition=~Q(raised_via="meeting") | Q(meeting__isnull=False), name="petition_meeting_named"),
            # Held: exactly one holder (a committee or an outside authority) and a deadline.
            models.CheckConstraint(
                condition=~Q(status__in=["at_level", "reopened"])
                | (Q(deadline__isnull=False) & ((Q(holder__isnull=False) & Q(holder_external="")) | (Q(holder__isnull=True) & ~Q(holder_external="")))),
                name="petition_held_has_one_holder",
            ),
            # Not held: no holder and no deadline.
            models.CheckConstraint(
                condition=Q(status__in=["at_level", "reopened"]) | (Q(holder__isnull=True) & Q(holder_external="") & Q(deadline__isnull=True)),
                name="petition_unheld_has_no_holder",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "closed"]) | (~Q(answer="") & Q(answered_at__isnull=False) & Q(answered_on__isnull=False)),
                name="petition_answered_has_answer",
            ),
            models.CheckConstraint(condition=~Q(status="closed") | Q(read_out_at__isnull=False), name="petition_closed_after_read_out"),
            models.CheckConstraint(condition=~Q(status="out_of_scope") | ~Q(closed_reason=""), name="petition_out_of_scope_reason"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="petition_status_known"),
        ]
        indexes = [
            models.Index(fields=["holder", "status", "deadline"], name="petition_holder_idx"),
            models.Index(fields=["org", "status"], name="petition_org_status_idx"),
            models.Index(fields=["status", "deadline"], name="petition_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.status in HELD

    @property
    def holder_label(self) -> str:
        return self.holder_external or ""


class EventKind(models.TextChoices):
    RAISED = "raised", _("Ghi nhận kiến nghị")
    SENT = "sent", _("Chi bộ gửi lên")
    FORWARDED = "forwarded", _("Chuyển lên cấp trên")
    ESCALATED = "escalated", _("Quá hạn, tự động chuyển lên cấp trên")
    STALLED = "stalled", _("Quá hạn ở cấp cao nhất")
    ANSWERED = "answered", _("Trả lời")
    RETURNED = "returned", _("Trả lại, đề nghị làm rõ")
    OUT_OF_SCOPE = "out_of_scope", _("Đóng: không thuộc thẩm quyền")
    READ_OUT = "read_out", _("Đã đọc tại cuộc họp chi bộ")
    CLOSED = "closed", _("Khép lại")
    REOPENED = "reopened", _("Mở lại")


JOB_KINDS = (EventKind.ESCALATED, EventKind.STALLED)


class PetitionEvent(models.Model):
    """One line of a petition's timeline: every status change, hand-over, answer and read-out."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")  # None: the daily job
    at = models.DateTimeField()
    on = models.DateField()  # the Vietnamese day of ``at``: the daily job writes at most one a day
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=16, choices=Status.choices)
    from_holder = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_external = models.CharField(max_length=200, blank=True, default="")
    to_holder = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_external = models.CharField(max_length=200, blank=True, default="")
    deadline = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "on"], condition=Q(kind__in=["escalated", "stalled"]), name="petitionevent_job_once_a_day"),
            models.CheckConstraint(condition=~Q(kind__in=["escalated", "stalled"]) | Q(actor__isnull=True), name="petitionevent_job_has_no_actor"),
        ]
        indexes = [models.Index(fields=["to_holder", "petition"], name="petitionevent_holder_idx")]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"
