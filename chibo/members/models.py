"""The member registry: people, which cell holds their record when, their status and positions over time.

Every period is half-open [valid_from, valid_to); an open period ends on core.models.OPEN. A member
is in exactly one cell at any time: one open membership (a partial unique index) and no two
overlapping periods (an exclusion constraint on PostgreSQL, a trigger on SQLite; migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import VietnameseCharField
from chibo.core.models import OPEN
from chibo.orgs.models import Organisation


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    EXEMPTED = "exempted", _("Miễn sinh hoạt")
    TEMP_OUT = "temp_out", _("Chuyển sinh hoạt tạm thời")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    DECEASED = "deceased", _("Đã từ trần")
    REMOVED = "removed", _("Đã xóa tên, khai trừ")


# Statuses that count in a cell's membership total (đảng số).
ACTIVE_STATUSES = (Status.PROBATIONARY, Status.OFFICIAL, Status.EXEMPTED, Status.TEMP_OUT)
# Statuses that may belong to an official member (đảng viên chính thức) of the cell: the official
# status itself, and exempted or temporarily transferred members whose ``official_on`` has come.
OFFICIAL_OR_AWAY_STATUSES = (Status.OFFICIAL, Status.EXEMPTED, Status.TEMP_OUT)


class TheoryLevel(models.TextChoices):
    NONE = "", _("Chưa qua đào tạo")
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class Member(models.Model):
    surname = VietnameseCharField(max_length=50)
    middle_name = VietnameseCharField(max_length=80, blank=True, default="")
    given_name = VietnameseCharField(max_length=50)
    full_name = VietnameseCharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=8, choices=Sex.choices)
    admitted_on = models.DateField()
    official_on = models.DateField(null=True, blank=True)
    party_card_number = models.CharField(max_length=8, blank=True, default="")
    citizen_id = models.CharField(max_length=12, unique=True)
    phone = models.CharField(max_length=20, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    ethnicity = models.CharField(max_length=50, default="Kinh")
    religion = models.CharField(max_length=50, default="Không")
    hometown = models.CharField(max_length=200, blank=True, default="")
    education = models.CharField(max_length=100, blank=True, default="")
    theory_level = models.CharField(max_length=16, choices=TheoryLevel.choices, blank=True, default="")
    occupation = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(admitted_on__gt=F("date_of_birth")), name="member_admitted_after_birth"),
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=F("admitted_on")),
                name="member_official_after_admission",
            ),
            models.CheckConstraint(condition=Q(citizen_id__regex=r"^[0-9]{12}$"), name="member_citizen_id_12_digits"),
            models.UniqueConstraint(
                fields=["party_card_number"], condition=~Q(party_card_number=""), name="member_unique_card_number"
            ),
        ]
        ordering = ["given_name", "surname", "middle_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="membership_period_positive"),
            models.UniqueConstraint(fields=["member"], condition=Q(valid_to=OPEN), name="membership_one_current"),
        ]
        indexes = [
            models.Index(fields=["org", "valid_from", "valid_to"], name="membership_org_period_idx"),
            models.Index(fields=["member", "valid_from", "valid_to"], name="membership_member_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.valid_from}–{self.valid_to}"


class StatusPeriod(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_periods")
    status = models.CharField(max_length=16, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN)
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="status_period_positive"),
            models.UniqueConstraint(fields=["member"], condition=Q(valid_to=OPEN), name="status_one_current"),
        ]
        indexes = [models.Index(fields=["member", "valid_from", "valid_to"], name="status_member_period_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status} {self.valid_from}–{self.valid_to}"


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    COMMITTEE_MEMBER = "committee_member", _("Chi ủy viên")


class Position(models.Model):
    """A position in a party organisation (usually the member's cell), with its term."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="positions")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField(max_length=24, choices=PositionKind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="position_period_positive"),
            models.UniqueConstraint(
                fields=["org"], condition=Q(valid_to=OPEN, kind="secretary"), name="position_one_current_secretary"
            ),
            models.UniqueConstraint(
                fields=["member", "org", "kind"], condition=Q(valid_to=OPEN), name="position_no_duplicate_current"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "kind", "valid_from", "valid_to"], name="position_org_period_idx"),
            models.Index(fields=["member", "valid_from", "valid_to"], name="position_member_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}@{self.org_id} {self.valid_from}–{self.valid_to}"


class CommunityKind(models.TextChoices):
    VILLAGE_HEAD = "village_head", _("Trưởng thôn, khu phố")
    FRONT_HEAD = "front_head", _("Trưởng ban công tác Mặt trận")


class CommunityPosition(models.Model):
    """A position in the community the member lives in (not a party position), with its term."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="community_positions")
    kind = models.CharField(max_length=16, choices=CommunityKind.choices)
    area_name = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="community_period_positive"),
        ]
        indexes = [models.Index(fields=["member", "valid_from", "valid_to"], name="community_member_period_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.area_name}"
