from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.accounts.models import User
from chibo.core.access import Action, Policy
from chibo.core.errors import ChiboError
from chibo.members.imports import FIELD_BY_KEY, TEMPLATE_KEYS, import_members
from chibo.orgs.selectors import org_by_ref


class Command(BaseCommand):
    help = (
        "Import members from an .xlsx file: a dry run by default (every bad row, every change made to the data); "
        "--commit writes all rows or none. Rows go to the cell named in their 'Chi bộ' column; --org narrows "
        "the scope and is the cell of rows that name none."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--org", help="code or id of the committee or cell that rows must belong to (the default cell)")
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--as-user", dest="as_user", help="user whose access scope applies (default: an administrator)")

    def handle(self, *args: Any, file: str, org: str | None, commit: bool, as_user: str | None, **options: Any) -> None:
        user = User.objects.filter(username=as_user).first() if as_user else User.objects.filter(grants__role="admin").first() or User.objects.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("Chưa có tài khoản quản trị; hãy chạy chibo createadmin trước, hoặc dùng --as-user.")
        policy = Policy(user)
        scope = None
        if org:
            scope = org_by_ref(org)
            if scope is None or not policy.versions(action=Action.EDIT_MEMBER).filter(org=scope).exists():
                raise CommandError(f"Không có tổ chức {org} trong phạm vi của {user.username}.")
        try:
            with open(file, "rb") as fh:
                result = import_members(actor=user, policy=policy, file=fh, org=scope, commit=commit)
        except (OSError, ChiboError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(f"Dòng tiêu đề: dòng {result.header_row}.")
        if result.unused_columns:
            self.stdout.write(f"Cột không dùng: {', '.join(result.unused_columns)}")
        for notice in result.notices:
            self.stdout.write(f"Dòng {notice.row}: {notice.message}")
        for error in result.errors:
            self.stderr.write(f"Dòng {error.row}: {error.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} lỗi trên {result.rows} dòng; không nhập dòng nào.")
        if commit:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập {result.created} đảng viên."))
        else:
            headers = ", ".join(FIELD_BY_KEY[k].header for k in TEMPLATE_KEYS)
            self.stdout.write(f"Kiểm tra xong: {result.rows} dòng hợp lệ. Thêm --commit để nhập. Các cột của tệp mẫu: {headers}")
