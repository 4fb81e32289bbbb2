"""A job that fails on demand, and the worker's loop played by hand (tests of chibo.core.jobs)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from chibo.core import jobs

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

# How many more times each key of `flaky` fails; what it did.
FAILS: dict[str, int] = {}
DONE: list[str] = []


@jobs.job
def flaky(*, key: str) -> str:
    if FAILS.get(key, 0) > 0:
        FAILS[key] -= 1
        raise ConnectionError(f"mail server down ({key})")
    DONE.append(key)
    return key


def run_ready() -> int:
    """The worker's loop, by hand: claim each ready job and run it."""
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id=jobs.new_worker_id(), excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


@jobs.job
def stopped(*, key: str) -> str:
    """Interrupted the first time (the worker's second Ctrl-C lands in it), done the next."""
    if FAILS.get(key, 0) > 0:
        FAILS[key] -= 1
        raise SystemExit(1)
    DONE.append(key)
    return key
