"""The administrator's jobs page (core:jobs): who sees it, what it lists, "retry now", the home line."""

from __future__ import annotations

import datetime as dt
import uuid

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chibo.core.models import AuditEvent, JobRetry
from tests.core.jobs_helpers import FAILS, flaky, run_ready

URL = reverse("core:jobs")


def scene() -> DBTaskResult:
    """One job given up after its 3 attempts, one waiting for its retry, one never tried."""
    FAILS.update({"given-up": 100, "waiting": 100})
    start = timezone.now()
    flaky.enqueue(key="given-up")
    for minutes in (0, 2, 10):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            run_ready()
    flaky.enqueue(key="waiting")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        run_ready()
    flaky.enqueue(key="new")
    return DBTaskResult.objects.get(status="FAILED", exception_class_path="builtins.ConnectionError")


def test_the_administrator_sees_failed_and_waiting_jobs(db_tasks, client_for, django_assert_num_queries) -> None:
    scene()
    client = client_for("admin")
    client.get(URL)  # warm the session
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    failed = html[html.index('data-testid="jobs-failed"') : html.index('data-testid="jobs-pending"')]
    assert failed.count('data-testid="job-failed"') == 1
    assert "given-up" in failed and "3/3" in failed and "ConnectionError: mail server down (given-up)" in failed
    pending = html[html.index('data-testid="jobs-pending"') :]
    assert pending.count('data-testid="job-pending"') == 2
    assert "2/3" in pending and "ConnectionError: mail server down (waiting)" in pending
    assert "ngay khi rảnh" in pending  # the new one runs as soon as a worker is free

    # More failures do not add queries.
    for key in ("x1", "x2"):
        FAILS[key] = 100
        flaky.enqueue(key=key)
    start = timezone.now()
    for minutes in (0, 2, 10):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            run_ready()
    with django_assert_num_queries(7):
        assert client.get(URL).content.decode().count('data-testid="job-failed"') == 3


def test_nobody_else_sees_it(db_tasks, client_for) -> None:
    scene()
    for persona in ("member", "secretary", "staff", "province", "outsider"):
        assert client_for(persona).get(URL).status_code == 404
        assert client_for(persona).post(URL, {"job": "x"}).status_code == 404
    assert not JobRetry.objects.exists()


def test_retry_now_from_the_page(db_tasks, client_for) -> None:
    row = scene()
    client = client_for("admin")
    response = client.post(URL, {"job": str(row.pk)})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "Đã đưa việc vào hàng đợi để chạy lại." in page and "Đã chạy lại" in page
    assert JobRetry.objects.get().failed_id == row.pk
    assert AuditEvent.objects.filter(verb="job_retry").count() == 1


def test_bad_retry_requests_change_nothing(db_tasks, client_for) -> None:
    row = scene()
    client = client_for("admin")
    ready = DBTaskResult.objects.filter(status="READY").count()
    cases = {
        "": "Chọn việc cần chạy lại.",
        "not-a-uuid": "Mã việc không hợp lệ.",
        str(uuid.uuid4()): "Không tìm thấy việc lỗi này",
        str(DBTaskResult.objects.get(status="READY", args_kwargs__kwargs__key="new").pk): "Không tìm thấy việc lỗi này",
    }
    for value, message in cases.items():
        response = client.post(URL, {"job": value})
        assert response.status_code == 400, value
        assert message in response.content.decode()
    client.post(URL, {"job": str(row.pk)})
    response = client.post(URL, {"job": str(row.pk)})
    assert response.status_code == 400 and "Việc này đã được chạy lại." in response.content.decode()
    assert DBTaskResult.objects.filter(status="READY").count() == ready + 1
    assert JobRetry.objects.count() == 1


def test_home_tells_the_administrator_about_failed_jobs(db_tasks, client_for) -> None:
    home = reverse("core:home")
    assert 'data-testid="home-jobs-failed"' not in client_for("admin").get(home).content.decode()
    row = scene()
    html = client_for("admin").get(home).content.decode()
    assert 'data-testid="home-jobs-failed"' in html and "1 việc nền bị lỗi, cần xem." in html
    assert 'data-testid="home-jobs-failed"' not in client_for("staff").get(home).content.decode()
    client_for("admin").post(URL, {"job": str(row.pk)})
    assert 'data-testid="home-jobs-failed"' not in client_for("admin").get(home).content.decode()
