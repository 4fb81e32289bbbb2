"""Party dues (đảng phí, 01-QĐ/TW of 03/02/2026): each member's basis, relief, the amount owed each
month (with the rate it was computed under), receipts at the cell and remittances to the level above.

A month is the first day of that month (a check constraint). A :class:`DuesMonth` row is the record
of one member's dues for one month: its amount is computed once from the basis, relief and rates in
force in that month (chibo.dues.rates), and kept with them, so a later rate never rewrites the past.
It is paid when a receipt holds it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class Region(models.TextChoices):
    I = "I", _("Vùng I")  # noqa: E741 - the decree's name
    II = "II", _("Vùng II")
    III = "III", _("Vùng III")
    IV = "IV", _("Vùng IV")


class DuesRegion(models.Model):
    """The minimum-wage region of an organisation's subtree; the nearest one up the tree applies."""

    org = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="dues_region")
    region = models.CharField(max_length=3, choices=Region.choices)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(region__in=["I", "II", "III", "IV"]), name="duesregion_region_valid")]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.region}"


class Category(models.TextChoices):
    SALARY = "salary", _("Hưởng lương, đóng BHXH bắt buộc (1% tiền lương tháng trước)")
    PENSION = "pension", _("Hưởng lương hưu (0,5% lương hưu)")
    STUDENT = "student", _("Học sinh, sinh viên")
    OTHER = "other", _("Đảng viên khác (theo lương tối thiểu vùng)")


# Categories whose amount is a share of a base amount the secretary types.
WITH_BASE = (Category.SALARY, Category.PENSION)


class DuesBasis(models.Model):
    """What a member's dues are computed from, from a month until the next basis."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_bases")
    category = models.CharField(max_length=16, choices=Category.choices)
    base_vnd = models.PositiveBigIntegerField(null=True, blank=True)
    month_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "month_from"], name="duesbasis_one_per_month"),
            models.CheckConstraint(condition=Q(month_from__day=1), name="duesbasis_month_first_day"),
            models.CheckConstraint(condition=Q(category__in=["salary", "pension", "student", "other"]), name="duesbasis_category_valid"),
            models.CheckConstraint(
                condition=(Q(category__in=["salary", "pension"]) & Q(base_vnd__gt=0)) | (Q(category__in=["student", "other"]) & Q(base_vnd__isnull=True)),
                name="duesbasis_base_when_needed",
            ),
        ]
        ordering = ["member_id", "month_from"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.category} {self.month_from}"


class ReliefKind(models.TextChoices):
    EXEMPT = "exempt", _("Miễn đóng đảng phí")
    REDUCE = "reduce", _("Giảm đảng phí")


class ReliefReason(models.TextChoices):
    SOCIAL_PENSION = "social_pension", _("Hưởng trợ cấp xã hội (lương hưu xã hội)")
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    ILLNESS = "illness", _("Ốm đau hiểm nghèo")
    OTHER = "other", _("Lý do khác")


class DuesRelief(models.Model):
    """An exemption on request (open-ended or to a month) or a reduction of 30, 50 or 70% for at most
    CHIBO_DUES_REDUCTION_MAX_MONTHS months. Exemption at 50 years of Party age needs no record."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_reliefs")
    kind = models.CharField(max_length=8, choices=ReliefKind.choices)
    reason = models.CharField(max_length=16, choices=ReliefReason.choices)
    note = models.CharField(max_length=300)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    month_from = models.DateField()
    month_to = models.DateField(null=True, blank=True, help_text="first day of the last month; none: until revoked")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["exempt", "reduce"]), name="duesrelief_kind_valid"),
            models.CheckConstraint(condition=Q(month_from__day=1) & (Q(month_to__isnull=True) | Q(month_to__day=1)), name="duesrelief_months_first_day"),
            models.CheckConstraint(condition=Q(month_to__isnull=True) | Q(month_to__gte=F("month_from")), name="duesrelief_months_ordered"),
            models.CheckConstraint(
                condition=(Q(kind="exempt") & Q(percent__isnull=True))
                | (Q(kind="reduce") & Q(percent__in=[30, 50, 70]) & Q(month_to__isnull=False)),
                name="duesrelief_percent_by_kind",
            ),
            models.CheckConstraint(condition=~Q(note=""), name="duesrelief_has_note"),
        ]
        ordering = ["member_id", "month_from"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.month_from}"


class PayMethod(models.TextChoices):
    CASH = "cash", _("Nộp tiền mặt tại chi bộ")
    PORTAL = "portal", _("Nộp qua Cổng Dịch vụ công quốc gia")


class Receipt(models.Model):
    """A receipt of the cell: one member, one or more months, numbered from 1 in each cell and year."""

    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_receipts")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_receipts")
    paid_on = models.DateField()
    amount_vnd = models.PositiveBigIntegerField()
    method = models.CharField(max_length=8, choices=PayMethod.choices, default=PayMethod.CASH)
    portal_ref = models.CharField(max_length=64, blank=True, default="")
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "year", "number"], name="receipt_number_unique_per_cell_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="receipt_number_positive"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(condition=Q(method__in=["cash", "portal"]), name="receipt_method_valid"),
            models.CheckConstraint(condition=~Q(method="portal") | ~Q(portal_ref=""), name="receipt_portal_has_ref"),
        ]
        indexes = [models.Index(fields=["cell", "paid_on"], name="receipt_cell_paid_idx")]
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number:04d}/{self.year}"


class DuesMonth(models.Model):
    """One member's dues for one month, computed under the rules in force then (kept here)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_months")
    month = models.DateField()
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_months")
    category = models.CharField(max_length=16, choices=Category.choices)
    base_vnd = models.PositiveBigIntegerField(null=True, blank=True)  # salary, pension or the regional minimum wage
    region = models.CharField(max_length=3, blank=True, default="")
    rate = models.PositiveIntegerField()  # per ten thousand of the base, or the fixed VND amount (students)
    rate_since = models.DateField()  # the date of the rate version in force in the month
    gross_vnd = models.PositiveBigIntegerField()  # before relief, rounded
    relief_percent = models.PositiveSmallIntegerField(default=0)  # 100: exempt
    relief_note = models.CharField(max_length=300, blank=True, default="")
    amount_vnd = models.PositiveBigIntegerField()  # owed
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="months")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="duesmonth_one_per_member_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="duesmonth_month_first_day"),
            models.CheckConstraint(condition=Q(relief_percent__in=[0, 30, 50, 70, 100]), name="duesmonth_relief_valid"),
            models.CheckConstraint(condition=Q(amount_vnd__lte=F("gross_vnd")), name="duesmonth_amount_within_gross"),
            models.CheckConstraint(condition=Q(receipt__isnull=True) | Q(amount_vnd__gt=0), name="duesmonth_paid_only_when_owed"),
        ]
        indexes = [
            models.Index(fields=["cell", "month"], name="duesmonth_cell_month_idx"),
            models.Index(fields=["member", "month"], name="duesmonth_member_month_idx"),
        ]
        ordering = ["member_id", "month"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%m/%Y} {self.amount_vnd}"

    @property
    def paid(self) -> bool:
        return self.receipt_id is not None


class Remittance(models.Model):
    """What a cell passed up for a month's collection, to which organisation, when."""

    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_remittances")
    month = models.DateField()
    to_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_received")
    amount_vnd = models.PositiveBigIntegerField()
    remitted_on = models.DateField()
    note = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "month"], name="remittance_one_per_cell_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="remittance_month_first_day"),
            models.CheckConstraint(condition=~Q(to_org=F("cell")), name="remittance_to_another_org"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="remittance_amount_positive"),
        ]
        indexes = [models.Index(fields=["to_org", "month"], name="remittance_to_month_idx")]
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.cell_id} {self.month:%m/%Y} → {self.to_org_id}"


class DuesReminder(models.Model):
    """A member reminded of arrears in a month (once a month: the unique constraint)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    months_owed = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="duesreminder_once_a_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month}"
