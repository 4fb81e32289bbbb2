from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.demo.build import SCALES, build
from chibo.demo.load import DemoRefused, database_is_empty
from chibo.demo.personas import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Load demo data into an empty database: Đầm Hà district (2022–today) or the whole province."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=SCALES, default="district")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
        parser.add_argument("--if-empty", dest="if_empty", action="store_true", help="do nothing if the database already has organisations")
        parser.add_argument("--check", action="store_true", help="check the loaded data's consistency afterwards")
        # `make run` starts the server next, which prints the URL and the logins once.
        parser.add_argument("--no-logins", dest="no_logins", action="store_true", help="do not print the demo logins")
        # Shrinks the province dataset (number of units) for tests; totals are exact only at 1.
        parser.add_argument("--factor", type=float, default=1.0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, scale: str, seed: int, if_empty: bool, check: bool, factor: float, no_logins: bool = False, **options: Any) -> None:
        if not database_is_empty():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.")
                return
            raise CommandError("Cơ sở dữ liệu đã có tổ chức; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
        if not 0 < factor <= 1:
            raise CommandError("--factor phải trong khoảng (0, 1].")
        label = "huyện Đầm Hà" if scale == "district" else "tỉnh Quảng Ninh"
        self.stdout.write(f"Nạp dữ liệu mẫu {label} (seed {seed})…")
        started = time.perf_counter()
        try:
            result = build(scale=scale, seed=seed, factor=factor, log=self.stdout.write)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result['organisations']} tổ chức, {result['members']} đảng viên trong {elapsed:.1f} giây."
            )
        )
        if not no_logins:
            self.stdout.write(f"Tài khoản thử (mật khẩu: {DEMO_PASSWORD}):")
            for username, persona in PERSONAS.items():
                self.stdout.write(f"  {username:<10} {persona}")
        if check:
            from chibo.core.access import today
            from chibo.demo.checks import check_database

            problems = check_database(today=today())
            for problem in problems:
                self.stderr.write(f"  {problem}")
            if problems:
                raise CommandError(f"Dữ liệu mẫu có {len(problems)} chỗ không nhất quán.")
            self.stdout.write("Kiểm tra tính nhất quán: không có lỗi.")
