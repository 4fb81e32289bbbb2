"""Probation to official member (issue 9 §3, domain.md §2): one case per probationary member, the
cell's votes on it and the superior's decision.

A case is created when it is first needed (the reminder before the end, the first vote, an overdue
flag); a member already probationary in the data gets theirs the same way, so the pages read the
members themselves and the case only for what has happened.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class CaseState(models.TextChoices):
    PENDING = "pending", _("Chờ chi bộ xét")
    VOTED = "voted", _("Chi bộ đề nghị, chờ cấp trên quyết định")
    ESCALATED = "escalated", _("Ba lần không đạt, chuyển cấp trên xem xét")
    OFFICIAL = "official", _("Đã công nhận đảng viên chính thức")
    NOT_RECOGNISED = "not_recognised", _("Không công nhận, xóa tên")


AWAITING_DECISION = (CaseState.VOTED, CaseState.ESCALATED)
CLOSED = (CaseState.OFFICIAL, CaseState.NOT_RECOGNISED)


class ProbationCase(models.Model):
    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="probation_case")
    ends_on = models.DateField(help_text="the day the 12 months end (admitted_on + 12 months)")
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.PENDING)
    reminded_on = models.DateField(null=True, blank=True)
    vote_overdue_on = models.DateField(null=True, blank=True, help_text="the day the missing vote was flagged")
    referred_on = models.DateField(null=True, blank=True, help_text="the vote that sent it to the superior")
    decision_overdue_on = models.DateField(null=True, blank=True, help_text="the day the missing decision was flagged")
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(max_length=100, blank=True, default="")
    decision_late = models.BooleanField(default=False)
    official_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "voted", "escalated", "official", "not_recognised"]), name="probationcase_state_valid"
            ),
            models.CheckConstraint(
                condition=(Q(state__in=["voted", "escalated", "official", "not_recognised"]) & Q(referred_on__isnull=False))
                | (Q(state="pending") & Q(referred_on__isnull=True)),
                name="probationcase_referred_after_vote",
            ),
            models.CheckConstraint(
                condition=(Q(state__in=["official", "not_recognised"]) & Q(decided_on__isnull=False) & Q(decided_by__isnull=False) & ~Q(decision_number=""))
                | (Q(state__in=["pending", "voted", "escalated"]) & Q(decided_on__isnull=True)),
                name="probationcase_decided_has_decision",
            ),
            # The official date is the day the 12 months end, even when the decision comes late.
            models.CheckConstraint(
                condition=(Q(state="official") & Q(official_on=F("ends_on"))) | (~Q(state="official") & Q(official_on__isnull=True)),
                name="probationcase_official_on_end",
            ),
            models.CheckConstraint(condition=~Q(state="not_recognised") | ~Q(reason=""), name="probationcase_not_recognised_reason"),
            models.CheckConstraint(condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("referred_on")), name="probationcase_decided_after_vote"),
        ]
        indexes = [models.Index(fields=["state", "referred_on"], name="probationcase_state_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.state}"


class ProbationVote(models.Model):
    """One vote of the cell on the member: the official members are counted from the records on the
    vote day, the yes votes typed; passed = 3·yes ≥ 2·official (a database check too)."""

    case = models.ForeignKey(ProbationCase, on_delete=models.CASCADE, related_name="votes")
    number = models.PositiveSmallIntegerField()
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", help_text="the cell that voted")
    held_on = models.DateField()
    official_members = models.PositiveSmallIntegerField()
    yes_votes = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    late = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="probationvote_one_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="probationvote_number_positive"),
            models.CheckConstraint(condition=Q(official_members__gte=1), name="probationvote_has_official_members"),
            models.CheckConstraint(condition=Q(yes_votes__lte=F("official_members")), name="probationvote_yes_within_members"),
            models.CheckConstraint(
                condition=(Q(passed=True) & GreaterThanOrEqual(F("yes_votes") * 3, F("official_members") * 2))
                | (Q(passed=False) & LessThan(F("yes_votes") * 3, F("official_members") * 2)),
                name="probationvote_passed_two_thirds",
            ),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"
