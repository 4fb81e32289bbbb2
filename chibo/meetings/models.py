"""The monthly cell meeting: schedule, preparation, attendance, minutes, resolution, quality.

Rules (../shared/domain.md §3) are named where they are enforced, in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class MeetingDay(models.Model):
    """The regular meeting day for an organisation's subtree; the nearest ancestor's rule applies."""

    org = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="meeting_day")
    day_of_month = models.PositiveSmallIntegerField()
    time = models.TimeField()
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="meetingday_1_28"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.day_of_month}"


class CellTerm(models.Model):
    """A cell's congress term; resolution numbers count from 01 within it."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(max_length=40)  # "2025–2030"
    starts_on = models.DateField()
    ends_on = models.DateField()
    congress_on = models.DateField(null=True, blank=True)  # the day of the congress that opened the term

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="cellterm_period_positive"),
            models.UniqueConstraint(fields=["org", "starts_on"], name="cellterm_unique_start"),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    COMBINED = "combined", _("Thường kỳ kết hợp chuyên đề")
    COMMITTEE = "committee", _("Họp chi ủy")


# Meetings that count as the month's regular meeting.
REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    PUBLISHED = "published", _("Đã thông báo")
    OPEN = "open", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")
    APPROVED = "approved", _("Đã duyệt, khóa sổ")


class Meeting(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    month = models.DateField(help_text="the first day of the month the meeting belongs to")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, default="")
    topic = models.CharField(max_length=300, blank=True, default="")
    moved_reason = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_late = models.BooleanField(default=False)  # less than 1 day ahead (42-HD/BTCTW)
    # Documents late in other ways (counted, not refused): a material added or changed less than
    # 24 hours before the start; the meeting moved earlier after it was published.
    late_material = models.BooleanField(default=False)
    late_move = models.BooleanField(default=False)
    # Held for less than the minimum (90 minutes; 120 when combined with a thematic meeting):
    # flagged when it closes, counted in the statistics and the quality criteria.
    under_length = models.BooleanField(default=False)
    draft_resolution = models.TextField(blank=True, default="")
    chair = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minute_taker = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checkin_code = models.CharField(max_length=8, blank=True, default="")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Approval of the minutes (and of the resolution, if any): both lock the meeting.
    approved_by_chair_at = models.DateTimeField(null=True, blank=True)
    approved_by_taker_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Attendance counts, kept by services_record.refresh_attendance_counts in the transaction of every
    # attendance change, so statistics read meetings instead of attendance rows:
    # expected = official or probationary rows; present = of those, present; excused and
    # unexcused = rows with that status, whatever the standing.
    n_expected = models.PositiveIntegerField(default=0)
    n_present = models.PositiveIntegerField(default=0)
    n_excused = models.PositiveIntegerField(default=0)
    n_unexcused = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "month"], condition=Q(kind__in=["regular", "combined"]), name="meeting_one_regular_a_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="meeting_month_first_day"),
            models.CheckConstraint(condition=Q(n_present__lte=F("n_expected")), name="meeting_present_within_expected"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(opened_at__isnull=False, closed_at__gte=F("opened_at")),
                name="meeting_closes_after_it_opens",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "org"], name="meeting_month_org_idx"),
            models.Index(fields=["org", "starts_at"], name="meeting_org_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y}"


class AgendaSection(models.TextChoices):
    OPENING = "opening", _("Phần mở đầu")
    NEWS = "news", _("Thông tin thời sự, văn bản mới")
    THINKING = "thinking", _("Tình hình tư tưởng đảng viên")
    REVIEW = "review", _("Kiểm điểm tháng trước")
    STUDY = "study", _("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    NEXT_TASKS = "next_tasks", _("Nhiệm vụ tháng tới")
    DISCUSSION = "discussion", _("Thảo luận")
    CONCLUSION = "conclusion", _("Kết luận, biểu quyết nghị quyết")
    OTHER = "other", _("Nội dung khác")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=16, choices=AgendaSection.choices, default=AgendaSection.OTHER)
    title = models.CharField(max_length=300)
    details = models.TextField(blank=True, default="")
    conclusion = models.TextField(blank=True, default="")  # the chair's conclusion, in the minutes

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="materials/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """A member's opinion on the draft resolution before the meeting, optionally on one agenda item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:40]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    UNEXCUSED = "unexcused", _("Vắng không lý do")


class Standing(models.TextChoices):
    """A member's standing on the meeting day, which decides whether they count in the vote base."""

    OFFICIAL = "official", _("Chính thức")
    PROBATIONARY = "probationary", _("Dự bị")
    EXEMPTED = "exempted", _("Miễn sinh hoạt")
    TEMP_OUT = "temp_out", _("Chuyển sinh hoạt tạm thời")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt")


# Standings expected at the meeting: the attendance rate counts these rows (rules.attendance_rate).
EXPECTED_STANDINGS = ("official", "probationary")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")
    standing = models.CharField(max_length=16, choices=Standing.choices)
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices, blank=True, default="")
    reason = models.CharField(max_length=300, blank=True, default="")
    checked_in_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, blank=True, default="")  # secretary | self | offline
    # The client id of the tap that set the row (its TapReceipt holds it once: no index needed here,
    # and none to update on every check-in).
    client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id}: {self.status}"


class TapReceipt(models.Model):
    """A tap's client id (one per device action), kept once it was applied or superseded.

    The offline queue may send the same tap again; its client id is recognised here, so it is never
    applied twice (the database refuses a second receipt with the same id).
    """

    client_id = models.UUIDField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16)  # applied | superseded
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.client_id}: {self.outcome}"


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.name


class UpperAssignment(models.Model):
    """An upper-level committee member assigned to attend a cell's meeting of a month."""

    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="upper_assignments")
    month = models.DateField()
    attendee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="upper_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=False)
    observations = models.TextField(blank=True, default="")
    issues_raised = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "month", "attendee"], name="upper_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="upper_month_first_day"),
        ]
        indexes = [models.Index(fields=["attendee", "month"], name="upper_attendee_idx")]

    def __str__(self) -> str:
        return f"{self.attendee_id} → {self.cell_id} {self.month:%m/%Y}"


class Speech(models.Model):
    """A speaker's opinion on an agenda item, by name, in the minutes."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    speaker_name = models.CharField(max_length=200)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.speaker_name


class Resolution(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="resolution")
    # The term and the number are given when the resolution is adopted (a rejected draft leaves no gap).
    term = models.ForeignKey(CellTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    number = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    preamble = models.TextField(blank=True, default="")
    adopted = models.BooleanField(default=False)
    votes_agree = models.PositiveIntegerField(default=0)
    votes_disagree = models.PositiveIntegerField(default=0)
    votes_abstain = models.PositiveIntegerField(default=0)
    vote_base = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="resolution_unique_number"),
            models.CheckConstraint(
                condition=Q(adopted=False) | Q(term__isnull=False, number__isnull=False),
                name="resolution_adopted_numbered",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"Số {self.number:02d}-NQ/CB" if self.number else "Số …-NQ/CB"

    @property
    def locked(self) -> bool:
        """Locked with its meeting's minutes, once the chair and the minute-taker approved them."""
        return self.meeting.status == MeetingStatus.APPROVED


class ResolutionItem(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "position"], name="resolution_item_unique")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Tán thành")
    DISAGREE = "disagree", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class Vote(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=VoteChoice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "member"], name="vote_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class Correction(models.Model):
    """A numbered change to approved minutes or resolution, with its reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    number = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=100)  # what was corrected, e.g. "resolution.item.2"
    before = models.TextField()
    after = models.TextField()
    reason = models.CharField(max_length=500)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="correction_unique_number")]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.target}"


class SelfRating(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Kém")


class QualityAssessment(models.Model):
    """The meeting's quality self-assessment: measured parts (12-HD/BTCTW §3.1) and the secretary's own."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="quality")
    attendance_rate = models.DecimalField(max_digits=5, decimal_places=2)
    attendance_ok = models.BooleanField()
    no_unexcused = models.BooleanField()
    no_repeat_excused = models.BooleanField()
    secretary_rating = models.CharField(max_length=16, choices=SelfRating.choices, blank=True, default="")
    secretary_note = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.attendance_rate}%"


class Notification(models.Model):
    """An in-app notification; other channels (email, SMS) deliver copies of it.

    It links to its meeting, or to ``url`` for what is not a meeting (a task, a petition, a briefing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True, default="")
    url = models.CharField(max_length=300, blank=True, default="")  # the page it is about (a task, a petition...)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def link(self) -> str:
        if self.url:
            return self.url
        if self.meeting_id:
            from django.urls import reverse

            return reverse("meetings:detail", args=[self.meeting_id])
        return ""
