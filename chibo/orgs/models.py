"""The organisation tree, with history.

An :class:`Organisation` is an identity that lives from ``founded_on`` to ``dissolved_on``.
Everything that can change about it (name, parent, kind, sector) lives in an :class:`OrgVersion`
valid over a half-open period [valid_from, valid_to). Each version stores the materialised path of
organisation ids from the root *at that time*, so "as of" counts over a subtree are one indexed
prefix match. Moving a node re-versions its whole subtree.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chibo.core.fields import VietnameseCharField
from chibo.core.models import OPEN

SEGMENT = 9  # "00000042/"; a path is "/" followed by one segment per node from the root


def path_segment(org_id: int) -> str:
    return f"{org_id:08d}/"


class OrgKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Đảng bộ tỉnh")
    DIRECT = "direct", _("Đảng bộ trực thuộc tỉnh")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    PARTIAL_COMMITTEE = "partial_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


CELL_KINDS = (OrgKind.CELL, OrgKind.GRASSROOTS_CELL)
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


class Sector(models.TextChoices):
    RESIDENTIAL = "residential", _("Khu dân cư")
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    SCHOOL = "school", _("Trường học")
    ARMED_FORCES = "armed_forces", _("Quân đội")
    POLICE = "police", _("Công an")
    OTHER = "other", _("Khác")


class AreaKind(models.TextChoices):
    NONE = "", _("—")
    VILLAGE = "village", _("Thôn")
    HAMLET = "hamlet", _("Bản")
    QUARTER = "quarter", _("Khu phố")
    GROUP = "group", _("Tổ dân phố")


class AdminUnit(models.TextChoices):
    """The administrative unit a commune-level committee leads."""

    NONE = "", _("—")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


class Organisation(models.Model):
    code = models.CharField(max_length=32, unique=True)
    founded_on = models.DateField()
    dissolved_on = models.DateField(default=OPEN)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(dissolved_on__gt=F("founded_on")), name="org_dissolved_after_founded"),
        ]

    def __str__(self) -> str:
        return self.code


class OrgVersion(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="versions")
    name = VietnameseCharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True)
    parent = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=600)
    depth = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=OrgKind.choices)
    sector = models.CharField(max_length=32, choices=Sector.choices, default=Sector.OTHER)
    admin_unit = models.CharField(max_length=16, choices=AdminUnit.choices, blank=True, default="")
    area_kind = models.CharField(max_length=16, choices=AreaKind.choices, blank=True, default="")
    area_name = models.CharField(max_length=200, blank=True, default="")
    valid_from = models.DateField()
    valid_to = models.DateField(default=OPEN)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="orgversion_period_positive"),
            models.UniqueConstraint(fields=["org"], condition=Q(valid_to=OPEN), name="orgversion_one_current"),
            models.UniqueConstraint(fields=["org", "valid_from"], name="orgversion_unique_start"),
            models.CheckConstraint(
                condition=~Q(sector="residential") | ~Q(kind__in=["cell", "grassroots_cell"]) | ~Q(area_name=""),
                name="orgversion_residential_cell_has_area",
            ),
        ]
        indexes = [
            models.Index(fields=["path", "valid_from", "valid_to"], name="orgversion_path_idx", opclasses=["varchar_pattern_ops", "date_ops", "date_ops"]),
            models.Index(fields=["parent", "valid_to"], name="orgversion_parent_idx"),
            models.Index(fields=["org", "valid_from", "valid_to"], name="orgversion_org_period_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_current(self) -> bool:
        return self.valid_to == OPEN
