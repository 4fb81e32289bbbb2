"""Transfers of party activity (chuyển sinh hoạt đảng, 24-QĐ/TW §6.3).

A transfer moves a member between two cells of chibo, out of chibo (the destination named in text),
or into a cell from outside (the member is created when received). An official transfer goes
decided → letter issued (in transit) → presented at the new cell → received; a temporary one is
away from its start (the member stays at the home cell as temp_out) until it returns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class Kind(models.TextChoices):
    OFFICIAL = "official", _("Chuyển sinh hoạt chính thức")
    TEMPORARY = "temporary", _("Chuyển sinh hoạt tạm thời")


class State(models.TextChoices):
    DECIDED = "decided", _("Đã quyết định, chờ giới thiệu")
    IN_TRANSIT = "in_transit", _("Đang chuyển (đã giới thiệu)")
    PRESENTED = "presented", _("Đã nộp giấy giới thiệu ở nơi đến")
    RECEIVED = "received", _("Đã tiếp nhận")
    AWAY = "away", _("Đang sinh hoạt tạm thời nơi khác")
    RETURNED = "returned", _("Đã trở về")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATES = (State.DECIDED, State.IN_TRANSIT, State.PRESENTED, State.AWAY)
# Between the letter and the receipt both sides see the member (issue 9 §4 "in transit").
TRANSIT_STATES = (State.IN_TRANSIT, State.PRESENTED)


class Transfer(models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers")
    person_name = models.CharField(max_length=200)  # the member's name (an incoming member is created on receipt)
    from_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out")
    from_text = models.CharField(max_length=300, blank=True, default="")  # the sending organisation outside chibo
    to_org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_in")
    to_text = models.CharField(max_length=300, blank=True, default="")  # the receiving organisation outside chibo
    decided_on = models.DateField(null=True, blank=True)  # the decision or the permanent move date
    letter_number = models.CharField(max_length=50, blank=True, default="")
    letter_on = models.DateField(null=True, blank=True)
    letter_due = models.DateField(null=True, blank=True)  # decided_on + 60 working days
    presented_on = models.DateField(null=True, blank=True)
    present_due = models.DateField(null=True, blank=True)  # letter_on + 30 working days
    received_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)  # temporary transfers
    ends_on = models.DateField(null=True, blank=True)
    for_study = models.BooleanField(default=False)
    returned_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True, default="")
    note = models.CharField(max_length=300, blank=True, default="")
    # The day the daily job flagged a late step (each flag is sent once).
    letter_flagged_on = models.DateField(null=True, blank=True)
    present_flagged_on = models.DateField(null=True, blank=True)
    return_flagged_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(from_org__isnull=False) | ~Q(from_text=""), name="transfer_has_source"),
            models.CheckConstraint(condition=Q(to_org__isnull=False) | ~Q(to_text=""), name="transfer_has_destination"),
            models.CheckConstraint(condition=Q(from_org__isnull=False) | Q(to_org__isnull=False), name="transfer_touches_chibo"),
            models.CheckConstraint(condition=~Q(from_org=models.F("to_org")) | Q(to_org__isnull=True), name="transfer_two_cells"),
            models.CheckConstraint(
                condition=~Q(kind="temporary") | Q(starts_on__isnull=False, ends_on__gt=models.F("starts_on")),
                name="transfer_temporary_period",
            ),
            models.CheckConstraint(condition=Q(member__isnull=False) | Q(from_org__isnull=True), name="transfer_member_known"),
            models.UniqueConstraint(
                fields=["member"], condition=Q(state__in=["decided", "in_transit", "presented", "away"]), name="transfer_one_open_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["from_org", "state"], name="transfer_from_state_idx"),
            models.Index(fields=["to_org", "state"], name="transfer_to_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.kind} {self.state}"

    @property
    def is_incoming_external(self) -> bool:
        return self.from_org_id is None

    @property
    def is_outgoing_external(self) -> bool:
        return self.to_org_id is None

    @property
    def in_transit(self) -> bool:
        return self.state in TRANSIT_STATES

    @property
    def letter_late(self) -> bool:
        return bool(self.letter_on and self.letter_due and self.letter_on > self.letter_due)

    @property
    def present_late(self) -> bool:
        return bool(self.presented_on and self.present_due and self.presented_on > self.present_due)


class EventKind(models.TextChoices):
    DECIDED = "decided", _("Quyết định chuyển sinh hoạt")
    LETTER = "letter", _("Giới thiệu chuyển sinh hoạt")
    PRESENTED = "presented", _("Nộp giấy giới thiệu")
    RECEIVED = "received", _("Tiếp nhận")
    LEFT = "left", _("Đã chuyển ra ngoài")
    AWAY = "away", _("Bắt đầu sinh hoạt tạm thời")
    RETURNED = "returned", _("Trở về sinh hoạt")
    CANCELLED = "cancelled", _("Hủy")
    FLAGGED = "flagged", _("Cảnh báo quá hạn")


class TransferEvent(models.Model):
    """One step of a transfer's timeline (the audit row is written with it)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.kind} {self.on}"


# The next step of a transfer and the side that takes it ("from": the sending cell, "to": the receiving one).
STEP_LETTER, STEP_PRESENT, STEP_RECEIVE, STEP_LEFT, STEP_ADMIT, STEP_RETURN = "letter", "present", "receive", "left", "admit", "return"


def next_step(transfer: Transfer) -> tuple[str, str] | None:
    if transfer.state == State.DECIDED:
        return STEP_LETTER, "from"
    if transfer.state == State.IN_TRANSIT:
        return (STEP_PRESENT, "to") if transfer.to_org_id else (STEP_LEFT, "from")
    if transfer.state == State.PRESENTED:
        return (STEP_RECEIVE, "to") if transfer.member_id else (STEP_ADMIT, "to")
    if transfer.state == State.AWAY:
        return STEP_RETURN, "from"
    return None
