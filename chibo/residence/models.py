"""Residence contact (213-QĐ/TW, 33-HD/BTCTW): members working in agencies, enterprises, public
service units and the armed forces, registered with the cell of the place where they live.

A :class:`Registration` is one stay of a member at a residence cell over [registered_on, ended_on)
(an open one ends on core.models.OPEN; one open registration per member). The residence cell meets
its registered members every six months (:class:`ContactMeeting`, who attended) and comments on each
of them once a year (:class:`ResidenceComment`), unless the registration is exempt (33-HD §1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.core.models import OPEN
from chibo.members.models import Member
from chibo.orgs.models import Organisation


class Exemption(models.TextChoices):
    """Introduced to the residence cell but exempt from the annual comment (33-HD §1)."""

    NONE = "", _("Không thuộc diện miễn")
    BARRACKS = "barracks", _("Quân nhân, công an ở tập trung trong doanh trại")
    MOBILE = "mobile", _("Làm việc lưu động")
    SECONDED = "seconded", _("Cán bộ biệt phái, đi công tác xa")
    STUDENT = "student", _("Học tập trung cả 12 tháng trong năm")


class NotIntroduced(models.TextChoices):
    """Never introduced to a residence cell (33-HD §1): a registration is refused with the reason."""

    SPECIAL_DUTY = "special_duty", _("Lực lượng vũ trang làm nhiệm vụ đặc biệt, hoạt động bí mật")
    COMBAT_READY = "combat_ready", _("Đơn vị đang làm nhiệm vụ sẵn sàng chiến đấu")


class EndReason(models.TextChoices):
    MOVED = "moved", _("Chuyển nơi cư trú")
    LEFT = "left", _("Thôi công tác ở cơ quan, đơn vị")
    OTHER = "other", _("Lý do khác")


class Assessment(models.TextChoices):
    """The residence cell's assessment of a member (a guessed short scale; docs/architecture.md)."""

    GOOD = "good", _("Tốt")
    FULFILLED = "fulfilled", _("Hoàn thành")
    NOT_FULFILLED = "not_fulfilled", _("Chưa hoàn thành")


class Registration(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="residence_registrations")
    residence_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="residence_registrations")
    work_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", help_text="the work cell that introduced the member")
    registering_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", help_text="the commune-level committee that recorded it")
    introduced_on = models.DateField()
    introduction_ref = models.CharField(max_length=100, blank=True, default="")
    registered_on = models.DateField()
    exemption = models.CharField(max_length=16, choices=Exemption.choices, blank=True, default="")
    ended_on = models.DateField(default=OPEN)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True, default="")
    end_note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(ended_on=OPEN), name="residence_one_open_registration"),
            models.CheckConstraint(condition=Q(ended_on__gt=F("registered_on")), name="residence_registration_period_positive"),
            models.CheckConstraint(condition=Q(registered_on__gte=F("introduced_on")), name="residence_registered_after_introduced"),
            models.CheckConstraint(condition=Q(exemption__in=["", "barracks", "mobile", "seconded", "student"]), name="residence_exemption_valid"),
            models.CheckConstraint(
                condition=(Q(ended_on=OPEN) & Q(end_reason="")) | (~Q(ended_on=OPEN) & Q(end_reason__in=["moved", "left", "other"])),
                name="residence_ended_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["residence_org", "registered_on", "ended_on"], name="residence_reg_org_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.residence_org_id} {self.registered_on}–{self.ended_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on == OPEN


class ContactMeeting(models.Model):
    """A meeting of the residence cell with its registered members (every six months, or as needed)."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="residence_contact_meetings")
    held_on = models.DateField()
    note = models.CharField(max_length=1000, blank=True, default="")
    attendees = models.ManyToManyField(Registration, through="ContactAttendance", related_name="contact_meetings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["org", "held_on"], name="residence_meeting_org_idx")]
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.held_on}"


class ContactAttendance(models.Model):
    meeting = models.ForeignKey(ContactMeeting, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "registration"], name="residence_attendance_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.registration_id}"


class ResidenceComment(models.Model):
    """The residence cell's yearly comment on a registered member, with the Front work committee."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="comments")
    year = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=5000)
    assessment = models.CharField(max_length=16, choices=Assessment.choices)
    commented_on = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=200)
    front_head_name = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "year"], name="residence_one_comment_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="residence_comment_year_range"),
            models.CheckConstraint(condition=Q(assessment__in=["good", "fulfilled", "not_fulfilled"]), name="residence_assessment_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="residence_comment_has_text"),
        ]
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.year}"


class ReminderSent(models.Model):
    """One reminder per residence cell, kind and period (the daily job's idempotence)."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)  # "half_year" or "year_end"
    period = models.CharField(max_length=8)  # "2026-H1", "2026-H2", "2026"
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "kind", "period"], name="residence_reminder_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.period}"
