"""The job queue: jobs with retries, the daily run of every app's ``jobs.DAILY``, worker recovery.

Built on django-tasks (Django's task framework, backported) with its database backend by default
(``settings.TASKS``); docs/architecture.md "Job queue" says why and what runs on it.

- :func:`job` declares a job: a django-tasks ``Task`` whose failures are tried again later. django-tasks
  has no retry of its own: a failed attempt enqueues the same job again with ``run_after`` = now +
  backoff (1, 2, 4 ... times ``CHIBO_JOBS_BACKOFF_SECONDS``, capped), the attempt number in its
  kwargs, up to ``CHIBO_JOBS_MAX_ATTEMPTS``; the failed attempt's result then says FAILED with
  :class:`RetryScheduled` (the real error chained in its traceback). A backend that cannot defer
  (the immediate one the tests use) does not retry.
- Daily jobs: each installed app may have a ``jobs`` module with ``DAILY = [f, ...]``, each
  ``f(*, today: date) -> int``. :func:`enqueue_daily` enqueues each one as its own job once per day:
  a :class:`~chibo.core.models.DailyRun` row per (job, day) under a unique constraint, written in the
  same transaction as the enqueued job, so two schedulers or a restart never run a day twice.
- :func:`start_scheduler` fires :func:`enqueue_daily` at ``CHIBO_DAILY_AT`` (Asia/Ho_Chi_Minh) with
  APScheduler; :func:`catch_up` does the same at worker start once that hour has passed.
- :func:`recover_stale`: django-tasks-db leaves a job RUNNING for ever when its worker dies mid-job.
  Such a job is made READY again when it has been running longer than ``CHIBO_JOBS_STALE_MINUTES``,
  or at once when the worker that took it ran on this machine and its process is gone.
  Jobs therefore may run twice and must be idempotent.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
import logging
import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.base import Task

from chibo.core.models import DailyRun

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger("chibo.jobs")

DailyJob = Callable[..., int]


class RetryScheduled(Exception):
    """An attempt failed and the job was enqueued again; the failure itself is chained."""


class WorkerLost(Exception):
    """The job's worker died mid-job too many times; the job is given up."""


RETRY_MARK = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"
LOST_MARK = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
# Results that are not failures to show: an attempt retried later, a worker stopped mid-job (re-enqueued).
NOT_FINAL = (RETRY_MARK, "builtins.SystemExit", "builtins.KeyboardInterrupt")


def max_attempts() -> int:
    return max(1, int(settings.CHIBO_JOBS_MAX_ATTEMPTS))


def backoff(attempt: int) -> dt.timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, 4 ... times the base, capped)."""
    base = int(settings.CHIBO_JOBS_BACKOFF_SECONDS)
    cap = int(settings.CHIBO_JOBS_BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


def error_summary(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text[:300]


def job(func: Callable[..., Any] | None = None, *, attempts: int | None = None, priority: int = 0, queue_name: str = "default") -> Any:
    """Declare a job: ``@job`` or ``@job(attempts=3)`` on a module-level function of JSON-safe
    arguments. Call it with ``f.enqueue(...)`` (after commit: ``transaction.on_commit``), or
    ``f.call(...)`` to run it here and now."""

    def decorate(f: Callable[..., Any]) -> Task:
        path = f"{f.__module__}.{f.__qualname__}"

        @functools.wraps(f)
        def runner(*args: Any, _attempt: int = 1, _error: str = "", **kwargs: Any) -> Any:
            limit = attempts or max_attempts()
            try:
                return f(*args, **kwargs)
            except (KeyboardInterrupt, SystemExit):
                # The worker is being stopped mid-job: the job goes back to the queue as it was.
                _enqueue_again(path, args, kwargs, attempt=_attempt, error=_error, delay=dt.timedelta(0))
                log.warning("job %s interrupted (attempt %d), queued again", path, _attempt)
                raise
            except Exception as exc:
                if _attempt >= limit:
                    log.error("job %s failed for good after %d attempts: %s", path, _attempt, error_summary(exc))
                    raise
                if not import_string(path).get_backend().supports_defer:
                    log.error("job %s failed (attempt %d); this backend cannot run it later: not retried", path, _attempt)
                    raise
                delay = backoff(_attempt)
                retry = _enqueue_again(path, args, kwargs, attempt=_attempt + 1, error=error_summary(exc), delay=delay)
                log.warning("job %s failed (attempt %d of %d): %s; retry %s in %s", path, _attempt, limit, error_summary(exc), retry, delay)
                raise RetryScheduled(f"attempt {_attempt} of {limit} failed; retry {retry} in {delay}") from exc

        return task(priority=priority, queue_name=queue_name)(runner)  # type: ignore[return-value]

    if func is not None:
        return decorate(func)
    return decorate


def _enqueue_again(path: str, args: Any, kwargs: dict[str, Any], *, attempt: int, error: str, delay: dt.timedelta) -> str:
    the_task: Task = import_string(path)
    if the_task.get_backend().supports_defer and delay:
        the_task = the_task.using(run_after=timezone.now() + delay)
    result = the_task.enqueue(*args, _attempt=attempt, _error=error, **kwargs)
    return str(result.id)


# --- daily jobs -------------------------------------------------------------------------------


def daily_jobs() -> dict[str, DailyJob]:
    """Every installed chibo app's ``jobs.DAILY``, by dotted name, in app order (third-party apps are
    left out: some have a ``jobs`` module of another meaning)."""
    found: dict[str, DailyJob] = {}
    for app in apps.get_app_configs():
        name = f"{app.name}.jobs"
        if not app.name.startswith("chibo.") or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for func in getattr(module, "DAILY", []):
            found[f"{func.__module__}.{func.__qualname__}"] = func
    return found


def enqueue_daily(*, day: dt.date) -> list[str]:
    """Enqueue each daily job for ``day`` unless it already was; returns the names enqueued now."""
    done = set(DailyRun.objects.filter(day=day).values_list("name", flat=True))
    enqueued = []
    for name in daily_jobs():
        if name in done:
            continue
        try:
            with transaction.atomic():
                DailyRun.objects.create(name=name, day=day)
                run_daily.enqueue(name=name, day=day.isoformat())
        except IntegrityError:  # another scheduler got there first
            continue
        enqueued.append(name)
    if enqueued:
        log.info("daily jobs for %s enqueued: %s", day.isoformat(), ", ".join(enqueued))
    return enqueued


@job
def run_daily(*, name: str, day: str) -> int:
    """One daily job on one day, in one transaction (a failure leaves nothing half done)."""
    func = daily_jobs().get(name)
    if func is None:
        raise LookupError(f"no daily job {name}")
    the_day = dt.date.fromisoformat(day)
    with transaction.atomic():
        count = int(func(today=the_day) or 0)
        DailyRun.objects.filter(name=name, day=the_day).update(finished_at=timezone.now(), count=count)
    log.info("daily job %s for %s: %d", name, day, count)
    return count


def daily_at() -> tuple[int, int]:
    hour, _, minute = settings.CHIBO_DAILY_AT.partition(":")
    return int(hour), int(minute or 0)


def catch_up(*, now: dt.datetime | None = None) -> list[str]:
    """At worker start: today's daily run, if its hour has passed and it has not run yet."""
    local = timezone.localtime(now or timezone.now())
    if (local.hour, local.minute) < daily_at():
        return []
    return enqueue_daily(day=local.date())


def _scheduled(func: Callable[[], object]) -> Callable[[], None]:
    """A scheduler callback: fresh database connection, errors logged, connection closed."""

    @functools.wraps(func)
    def run() -> None:
        close_old_connections()
        try:
            func()
        except Exception:
            log.exception("scheduled %s failed", func.__name__)
        finally:
            connection.close()

    return run


def _daily_now() -> None:
    enqueue_daily(day=timezone.localdate())


def _recover_now() -> None:
    recover_stale()


def start_scheduler() -> BackgroundScheduler:
    """A background thread that enqueues the daily run at CHIBO_DAILY_AT and recovers stale jobs
    every few minutes. The jobs themselves run on the queue, not in this thread."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    hour, minute = daily_at()
    scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
    scheduler.add_job(
        _scheduled(_daily_now), CronTrigger(hour=hour, minute=minute, timezone=settings.TIME_ZONE),
        id="chibo-daily", coalesce=True, max_instances=1, misfire_grace_time=3600,
    )  # fmt: skip
    scheduler.add_job(
        _scheduled(_recover_now), IntervalTrigger(minutes=5), id="chibo-recover", coalesce=True, max_instances=1
    )
    scheduler.start()
    return scheduler


# --- the database backend's workers -------------------------------------------------------------


def uses_db_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def new_worker_id() -> str:
    """host:pid:random, at most 64 characters, so recovery can tell a dead worker on this machine."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _dead_here(worker_id: str) -> bool:
    host, _, rest = worker_id.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stale(*, now: dt.datetime | None = None) -> int:
    """Put back on the queue the jobs left RUNNING by a dead worker; returns how many.

    A job whose workers died ``CHIBO_JOBS_MAX_ATTEMPTS`` times is marked failed (WorkerLost) instead."""
    if not uses_db_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=int(settings.CHIBO_JOBS_STALE_MINUTES))
    recovered = 0
    for row in DBTaskResult.objects.running().only("id", "started_at", "worker_ids", "task_path"):
        last = row.worker_ids[-1] if row.worker_ids else ""
        if not (row.started_at is None or row.started_at < cutoff or _dead_here(last)):
            continue
        same = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)
        if len(row.worker_ids) >= max_attempts():
            same.update(
                status="FAILED", finished_at=now, exception_class_path=LOST_MARK, return_value=None,
                traceback=f"{LOST_MARK}: the worker died {len(row.worker_ids)} times while running this job\n",
            )  # fmt: skip
            log.error("job %s (%s) given up: its worker died %d times", row.task_path, row.pk, len(row.worker_ids))
            continue
        if same.update(status="READY", started_at=None):
            recovered += 1
            log.warning("job %s (%s) left running by worker %s: queued again", row.task_path, row.pk, last)
    return recovered


# --- housekeeping: the core app's own daily job ------------------------------------------------


def prune_results(*, today: dt.date) -> int:
    """Delete successful job results older than CHIBO_JOBS_KEEP_DAYS (failed ones stay)."""
    if not uses_db_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    before = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=int(settings.CHIBO_JOBS_KEEP_DAYS)), dt.time()))
    deleted, _ = DBTaskResult.objects.successful().filter(finished_at__lt=before).delete()
    return deleted


DAILY: list[DailyJob] = [prune_results]
