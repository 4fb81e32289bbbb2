from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.accounts import services
from chibo.accounts.models import Role
from chibo.core.errors import ChiboError


class Command(BaseCommand):
    help = "Create an administrator account (password from CHIBO_ADMIN_PASSWORD or asked)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        password = os.getenv("CHIBO_ADMIN_PASSWORD") or getpass.getpass("Mật khẩu: ")
        if len(password) < 8:
            raise CommandError("Mật khẩu phải có ít nhất 8 ký tự.")
        try:
            user = services.user_create(actor=None, username=username, password=password)
            services.grant_add(actor=None, user=user, role=Role.ADMIN, org=None)
        except ChiboError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã tạo quản trị viên {username}."))
