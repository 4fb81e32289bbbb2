from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Timings on the loaded dataset: `chibo bench registry [--repeat N]` (load `chibo demo --scale province` first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("suite", choices=["registry"], help="registry: member search, cell and tree pages, counts")
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per measurement (default 20)")

    def handle(self, *args: Any, suite: str, repeat: int, **options: Any) -> None:
        from chibo.demo import bench

        if repeat < 1:
            raise CommandError("--repeat phải ít nhất là 1.")
        try:
            report = bench.run(repeat=repeat, log=lambda m: self.stderr.write(m))
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(bench.table(report))
