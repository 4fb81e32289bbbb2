"""The job queue (chibo.core.jobs): retries with backoff, the daily run once per day, recovery of jobs
a dead worker left running, e-mail as a job, "retry now".

Most tests run on the database backend (django-tasks-db) inside the test transaction, playing the
worker's part by hand (claim a ready row, run it) so that deferred retries can be stepped through with
time_machine; the suite's default is the immediate backend (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chibo.core import jobs
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent, DailyRun, JobRetry
from chibo.core.selectors_jobs import failed_open_count, jobs_page
from chibo.core.services_jobs import retry_now
from chibo.meetings.notify import Recipient, notify, send_email
from tests.core.jobs_helpers import DONE, FAILS, flaky, run_ready, stopped
from tests.factories import World


def test_backoff_doubles_up_to_the_cap(settings) -> None:
    settings.CHIBO_JOBS_BACKOFF_SECONDS = 60
    settings.CHIBO_JOBS_BACKOFF_MAX_SECONDS = 300
    assert [jobs.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]


def test_a_failing_job_is_retried_with_backoff_then_given_up(db_tasks) -> None:
    FAILS["a"] = 10
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        flaky.enqueue(key="a")
        assert run_ready() == 1
    first, retry = DBTaskResult.objects.get(status="FAILED"), DBTaskResult.objects.get(status="READY")
    assert first.status == "FAILED" and first.exception_class_path == jobs.RETRY_MARK
    assert "ConnectionError: mail server down (a)" in first.traceback  # the real error, chained
    assert retry.status == "READY" and retry.run_after == start + dt.timedelta(seconds=60)
    assert retry.args_kwargs["kwargs"] == {"key": "a", "_attempt": 2, "_error": "ConnectionError: mail server down (a)"}

    # Not before its time; then the second retry waits twice as long.
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        assert run_ready() == 0
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert run_ready() == 1
    third = DBTaskResult.objects.get(status="READY")
    assert third.run_after == start + dt.timedelta(seconds=61 + 120)
    assert failed_open_count() == 0  # attempts that will be retried are not failures to show

    with time_machine.travel(start + dt.timedelta(seconds=182), tick=False):
        assert run_ready() == 1
    last = DBTaskResult.objects.get(status="FAILED", exception_class_path="builtins.ConnectionError")
    assert last.args_kwargs["kwargs"]["_attempt"] == 3  # the third attempt was the last
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DONE == [] and failed_open_count() == 1
    page = jobs_page()
    assert [(j.attempt, j.attempts, j.error) for j in page["failed"]] == [(3, 3, "ConnectionError: mail server down (a)")]


def test_a_job_that_fails_once_succeeds_on_its_retry(db_tasks) -> None:
    FAILS["b"] = 1
    start = timezone.now()
    flaky.enqueue(key="b")
    run_ready()
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        run_ready()
    assert DONE == ["b"]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    assert failed_open_count() == 0


def test_a_job_interrupted_by_stopping_the_worker_goes_back_to_the_queue(db_tasks) -> None:
    FAILS["s"] = 1
    stopped.enqueue(key="s")
    assert run_ready() == 2  # the interrupted run, then the same job again at once
    first = DBTaskResult.objects.get(status="FAILED")
    again = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert first.exception_class_path == "builtins.SystemExit"
    assert again.args_kwargs["kwargs"]["_attempt"] == 1  # not counted against the job
    assert failed_open_count() == 0
    assert DONE == ["s"]


def test_the_immediate_backend_does_not_retry(db, caplog) -> None:
    FAILS["c"] = 1
    result = flaky.enqueue(key="c")
    assert result.status == "FAILED"
    assert "cannot run it later: not retried" in caplog.text
    FAILS.clear()


# --- the daily run ------------------------------------------------------------------------------

CALLS: list[dt.date] = []


def count_things(*, today: dt.date) -> int:
    CALLS.append(today)
    return 7


def test_every_app_jobs_daily_is_collected() -> None:
    assert jobs.daily_jobs()["chibo.core.jobs.prune_results"] is jobs.prune_results


def test_the_daily_run_happens_once_a_day(db, monkeypatch) -> None:
    CALLS.clear()
    monkeypatch.setattr(jobs, "daily_jobs", lambda: {"tests.core.test_jobs.count_things": count_things})
    day = dt.date(2026, 12, 3)
    assert jobs.enqueue_daily(day=day) == ["tests.core.test_jobs.count_things"]
    assert jobs.enqueue_daily(day=day) == []  # a second scheduler, a restart
    assert [day] == CALLS
    run = DailyRun.objects.get()
    assert (run.name, run.day, run.count) == ("tests.core.test_jobs.count_things", day, 7)
    assert run.finished_at is not None
    # The next day runs again.
    assert jobs.enqueue_daily(day=day + dt.timedelta(days=1)) == ["tests.core.test_jobs.count_things"]
    assert [day, day + dt.timedelta(days=1)] == CALLS


def test_two_schedulers_racing_enqueue_once(db_tasks, monkeypatch) -> None:
    """The other scheduler's row is already there (written after our read): the unique constraint wins."""
    monkeypatch.setattr(jobs, "daily_jobs", lambda: {"tests.core.test_jobs.count_things": count_things})
    day = dt.date(2026, 12, 3)
    real_filter = DailyRun.objects.filter

    def stale_read(**kwargs):
        DailyRun.objects.get_or_create(name="tests.core.test_jobs.count_things", day=day)
        return real_filter(pk__in=[])

    monkeypatch.setattr(DailyRun.objects, "filter", stale_read)
    assert jobs.enqueue_daily(day=day) == []
    assert not DBTaskResult.objects.exists()


def test_catch_up_at_worker_start_only_after_the_daily_hour(db, settings, monkeypatch) -> None:
    CALLS.clear()
    monkeypatch.setattr(jobs, "daily_jobs", lambda: {"tests.core.test_jobs.count_things": count_things})
    settings.CHIBO_DAILY_AT = "06:00"
    early = dt.datetime(2026, 12, 3, 5, 59, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert jobs.catch_up(now=early) == []
    assert jobs.catch_up(now=early + dt.timedelta(minutes=1)) == ["tests.core.test_jobs.count_things"]
    assert jobs.catch_up(now=early + dt.timedelta(hours=3)) == []
    assert [dt.date(2026, 12, 3)] == CALLS


def test_a_daily_job_that_fails_leaves_nothing_half_done_and_is_retried(db_tasks, monkeypatch) -> None:
    def half(*, today: dt.date) -> int:
        DailyRun.objects.create(name="side effect", day=today)
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "daily_jobs", lambda: {"x.half": half})
    day = timezone.localdate()
    jobs.enqueue_daily(day=day)
    run_ready()
    assert not DailyRun.objects.filter(name="side effect").exists()
    assert DailyRun.objects.get(name="x.half").finished_at is None
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2


# --- recovery -----------------------------------------------------------------------------------


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def running(worker_id: str, *, started: dt.datetime) -> DBTaskResult:
    result = flaky.enqueue(key="r")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def test_jobs_left_running_by_a_dead_worker_are_queued_again(db_tasks) -> None:
    now = timezone.now()
    host = socket.gethostname()[:40]
    stale = running("elsewhere:1:x", started=now - dt.timedelta(minutes=16))
    busy = running("elsewhere:2:x", started=now - dt.timedelta(minutes=1))  # another machine, still busy
    dead = running(f"{host}:{dead_pid()}:x", started=now - dt.timedelta(minutes=1))
    alive = running(jobs.new_worker_id(), started=now - dt.timedelta(minutes=1))  # this very process
    assert jobs.recover_stale(now=now) == 2
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert (status[stale.pk], status[dead.pk]) == ("READY", "READY")
    assert (status[busy.pk], status[alive.pk]) == ("RUNNING", "RUNNING")
    assert run_ready() == 2 and DONE == ["r", "r"]


def test_a_job_whose_worker_keeps_dying_is_given_up(db_tasks) -> None:
    now = timezone.now()
    row = running("elsewhere:1:x", started=now - dt.timedelta(hours=1))
    DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=["a:1:x", "b:1:x", "c:1:x"])
    assert jobs.recover_stale(now=now) == 0
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path == jobs.LOST_MARK
    assert failed_open_count() == 1


# --- e-mail on the queue ------------------------------------------------------------------------


def test_mail_is_a_job_enqueued_on_commit_and_retried_when_the_server_is_down(db_tasks, world: World, settings, smtp_inbox, django_capture_on_commit_callbacks) -> None:
    settings.CHIBO_NOTIFY_CHANNELS = ["inapp", "email"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[Recipient(user=None, email="hong.dang@example.vn")], subject="Nhắc việc", body="Hạn báo cáo: 05/12/2026.")
        assert not DBTaskResult.objects.exists()  # nothing before commit
    row = DBTaskResult.objects.get()
    assert row.task_path == "chibo.meetings.notify.send_email" and row.status == "READY"
    assert smtp_inbox.messages == []  # the request does not wait for the mail server

    real_port = settings.EMAIL_PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # nobody listens there
    settings.EMAIL_TIMEOUT = 2
    run_ready()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    assert smtp_inbox.messages == []

    settings.EMAIL_PORT = real_port
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        run_ready()
    (message,) = smtp_inbox.messages
    assert message["To"] == "hong.dang@example.vn" and "05/12/2026" in message.get_content()


def test_send_email_job_runs_at_once_in_tests(db, smtp_inbox) -> None:
    result = send_email.enqueue(subject="Thử", body="Nội dung", to=["a@example.vn"])
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    assert [m["To"] for m in smtp_inbox.messages] == ["a@example.vn"]


# --- retry now ----------------------------------------------------------------------------------


def given_up(key: str = "z") -> DBTaskResult:
    FAILS[key] = 100
    start = timezone.now()
    flaky.enqueue(key=key)
    for minutes in (0, 2, 10):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            run_ready()
    return DBTaskResult.objects.get(status="FAILED", exception_class_path="builtins.ConnectionError")


def test_retry_now_enqueues_the_job_afresh_once_and_audits_it(db_tasks, world: World) -> None:
    row = given_up()
    admin = world.users["admin"]
    with pytest.raises(ChiboError, match="Chỉ quản trị viên"):
        retry_now(actor=world.users["staff"], result_id=row.pk)
    retry = retry_now(actor=admin, result_id=row.pk)
    new = DBTaskResult.objects.get(status="READY")
    assert str(new.pk) == retry.retry_id
    assert new.args_kwargs["kwargs"] == {"key": "z", "_error": "ConnectionError: mail server down (z)"}  # attempt 1 again
    event = AuditEvent.objects.get(verb="job_retry")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.pk, "core.jobretry", retry.pk)
    assert failed_open_count() == 0
    with pytest.raises(ChiboError, match="đã được chạy lại"):
        retry_now(actor=admin, result_id=row.pk)
    FAILS.clear()
    run_ready()
    assert DONE == ["z"]
    assert JobRetry.objects.count() == 1
