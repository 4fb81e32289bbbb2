"""``chibo worker``: the job queue's worker and the daily scheduler, in one process.

With the database backend (the default) it runs django-tasks-db's worker loop on every queue, after
putting back the jobs a dead worker left running; the scheduler (a background thread) enqueues the
daily jobs. ``--no-scheduler`` runs the worker alone (several workers, one scheduler). With another
backend (a broker) this process only schedules: run that backend's own worker beside it.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from chibo.core import jobs


class Command(BaseCommand):
    help = "Run the job worker and the daily scheduler (docs/deployment.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="run jobs only; another process schedules the daily run")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue (default 1)")
        parser.add_argument("--queue-name", default="*", help="queues to run, comma separated (default: all)")

    def handle(self, *args: Any, no_scheduler: bool, interval: float, queue_name: str, verbosity: int, **options: Any) -> None:
        self._logging(verbosity)
        db = jobs.uses_db_backend()
        worker_id = jobs.new_worker_id()
        if db:
            recovered = jobs.recover_stale()
            if recovered:
                self.stdout.write(f"{recovered} job(s) left running by a dead worker were queued again")
        scheduler = None
        if not no_scheduler:
            jobs.catch_up()
            scheduler = jobs.start_scheduler()
        hour, minute = jobs.daily_at()
        daily = "off" if no_scheduler else f"daily at {hour:02d}:{minute:02d} {settings.TIME_ZONE}"
        self.stdout.write(f"chibo worker {worker_id}: backend {settings.TASKS['default']['BACKEND']}, scheduler {daily}")
        self.stdout.flush()
        try:
            if db:
                self._run_db_worker(worker_id=worker_id, interval=interval, queue_name=queue_name)
            else:
                self._wait_for_signal()
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            self.stdout.write(f"chibo worker {worker_id}: stopped")

    def _run_db_worker(self, *, worker_id: str, interval: float, queue_name: str) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queue_name.split(","), interval=interval, batch=False, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )  # fmt: skip
        worker.configure_signals()  # SIGTERM/SIGINT: finish the current job, then stop
        try:
            worker.run()
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise

    def _wait_for_signal(self) -> None:
        self.stdout.write("this backend has its own worker: this process only schedules the daily run")

        def stop(signum: int, frame: FrameType | None) -> None:
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while True:
                time.sleep(3600)
        except SystemExit:
            return

    def _logging(self, verbosity: int) -> None:
        level = {0: logging.ERROR, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        for name in ("chibo.jobs", "django_tasks", "django_tasks_db", "chibo.meetings.notify"):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.addHandler(handler)
            logger.propagate = False
