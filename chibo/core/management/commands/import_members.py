from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.accounts.models import User
from chibo.core.access import Policy
from chibo.core.errors import ChiboError
from chibo.members.imports import COLUMNS, import_members
from chibo.orgs.models import Organisation


class Command(BaseCommand):
    help = "Import members from an .xlsx file: a dry run by default; --commit writes all rows or none."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--org", help="code or id of the cell for rows without 'Mã chi bộ'")
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--as-user", dest="as_user", help="user whose access scope applies (default: an administrator)")

    def handle(self, *args: Any, file: str, org: str | None, commit: bool, as_user: str | None, **options: Any) -> None:
        user = User.objects.filter(username=as_user).first() if as_user else User.objects.filter(grants__role="admin").first() or User.objects.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("Chưa có tài khoản quản trị; hãy chạy chibo createadmin trước, hoặc dùng --as-user.")
        default_org = None
        if org:
            default_org = Organisation.objects.filter(pk=int(org)).first() if org.isdigit() else Organisation.objects.filter(code=org).first()
            if default_org is None:
                raise CommandError(f"Không có chi bộ {org}.")
        try:
            with open(file, "rb") as fh:
                result = import_members(actor=user, policy=Policy(user), file=fh, default_org=default_org, commit=commit)
        except (OSError, ChiboError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        for error in result.errors:
            self.stdout.write(f"Dòng {error.row}: {error.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} dòng lỗi trên {result.rows} dòng; không nhập dòng nào.")
        if commit:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập {result.created} đảng viên."))
        else:
            self.stdout.write(f"Kiểm tra xong: {result.rows} dòng hợp lệ. Thêm --commit để nhập. Các cột: {', '.join(c.header for c in COLUMNS)}")
