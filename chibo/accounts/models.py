from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.orgs.models import Organisation


class User(AbstractUser):
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="user")
    display_name = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    SECRETARY = "secretary", _("Bí thư, chi ủy")
    STAFF = "staff", _("Cán bộ cấp ủy")
    ADMIN = "admin", _("Quản trị hệ thống")


class Grant(models.Model):
    """A role on an organisation; it covers the organisation's whole subtree (members: their cell only)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=16, choices=Role.choices)
    org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org"], name="grant_unique"),
            models.CheckConstraint(condition=Q(role="admin") | Q(org__isnull=False), name="grant_org_required"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.org_id}"


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at}"
