from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Timings on the loaded dataset: `chibo bench registry [--repeat N]`; "
        "`chibo bench checkin [--seconds S] [--clients N]` (PostgreSQL; load `chibo demo --scale province` first); "
        "`chibo bench followup [--repeat N]`: the follow-up list and statistics pages at the province root."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "suite", choices=["registry", "checkin", "followup"],
            help=(
                "registry: member search, cell and tree pages, counts; checkin: self check-ins through granian, and the statistics page; "
                "followup: tasks, petitions, briefings, inspections lists and the follow-up statistics at the root"
            ),
        )
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per measurement (default 20)")
        parser.add_argument("--seconds", type=float, default=60.0, help="checkin: how long to drive the server (default 60)")
        parser.add_argument("--clients", type=int, default=16, help="checkin: concurrent keep-alive connections (default 16)")
        parser.add_argument("--cells", type=int, default=3000, help="checkin: cells with an open meeting, largest first (default 3000)")
        parser.add_argument("--workers", type=int, default=2, help="checkin: granian worker processes (default 2)")
        parser.add_argument("--threads", type=int, default=1, help="checkin: granian blocking threads per worker (default 1: threads share one GIL)")

    def handle(self, *args: Any, suite: str, repeat: int, **options: Any) -> None:
        if repeat < 1:
            raise CommandError("--repeat phải ít nhất là 1.")
        if suite == "checkin":
            from chibo.demo import bench_checkin

            if options["seconds"] <= 0 or options["clients"] < 1 or options["cells"] < 1:
                raise CommandError("--seconds, --clients và --cells phải dương.")
            try:
                result = bench_checkin.run(
                    seconds=options["seconds"], clients=options["clients"], cells=options["cells"], workers=options["workers"],
                    threads=options["threads"], repeat=repeat, log=lambda m: self.stderr.write(m),
                )
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(bench_checkin.table(result))
            return
        if suite == "followup":
            from chibo.demo import bench_followup

            try:
                result = bench_followup.run(repeat=repeat, log=lambda m: self.stderr.write(m))
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(bench_followup.table(result))
            return
        from chibo.demo import bench

        try:
            report = bench.run(repeat=repeat, log=lambda m: self.stderr.write(m))
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(bench.table(report))
