from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import Grant, LoginFailure, Role, User
from chibo.core import audit
from chibo.core.errors import ChiboError
from chibo.members.models import Member
from chibo.orgs.models import Organisation


def login_blocked(*, username: str) -> bool:
    since = timezone.now() - dt.timedelta(minutes=settings.CHIBO_LOGIN_WINDOW_MINUTES)
    return LoginFailure.objects.filter(username=username.lower(), at__gte=since).count() >= settings.CHIBO_LOGIN_MAX_FAILURES


def login_failed(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip)


def login_succeeded(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str, display_name: str = "", member: Member | None = None, is_superuser: bool = False) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ChiboError(_("Tên đăng nhập %(u)s đã có.") % {"u": username}, field="username")
    user = User(username=username, display_name=display_name or (member.full_name if member else username), member=member, is_superuser=is_superuser, is_staff=is_superuser)
    user.set_password(password)
    user.save()
    audit.record(actor=actor, verb="user.create", obj=user, summary=_("Tạo tài khoản %(u)s") % {"u": username}, after={"username": username, "member": member.pk if member else None})
    return user


@transaction.atomic
def grant_add(*, actor: Any, user: User, role: str, org: Organisation | None) -> Grant:
    if role not in Role.values:
        raise ChiboError(_("Vai trò không hợp lệ."), field="role")
    if role != Role.ADMIN and org is None:
        raise ChiboError(_("Hãy chọn tổ chức cho vai trò này."), field="org")
    if Grant.objects.filter(user=user, role=role, org=org).exists():
        raise ChiboError(_("Người dùng đã có quyền này."))
    grant = Grant.objects.create(user=user, role=role, org=org)
    audit.record(actor=actor, verb="grant.add", obj=user, summary=_("Giao quyền %(role)s") % {"role": Role(role).label}, after={"role": role, "org": org.pk if org else None})
    return grant


@transaction.atomic
def grant_remove(*, actor: Any, grant: Grant) -> None:
    audit.record(actor=actor, verb="grant.remove", obj=grant.user, summary=_("Thu hồi quyền %(role)s") % {"role": Role(grant.role).label}, before={"role": grant.role, "org": grant.org_id})
    grant.delete()
