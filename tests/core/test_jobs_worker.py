"""One real worker process (`manage.py worker --no-scheduler`) on a file SQLite database of its own:
it sends a queued e-mail through a real SMTP server on loopback, picks up the job a killed worker
left running, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import chibo

PROJECT = Path(chibo.__file__).resolve().parent.parent

SETUP = """
import os
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from chibo.meetings.notify import send_email
call_command("migrate", verbosity=0)
send_email.enqueue(subject="Thông báo họp", body="Chi bộ họp ngày 03/12/2026.", to=["a@example.vn"])
left = send_email.enqueue(subject="Nhắc báo cáo", body="Hạn 05/12/2026.", to=["b@example.vn"])
DBTaskResult.objects.get(pk=left.id).claim(os.environ["DEAD_WORKER"])
"""


def test_a_real_worker_process_runs_queued_jobs_and_stops_cleanly(tmp_path: Path, smtp_inbox) -> None:
    from django.conf import settings

    dead = subprocess.Popen(["true"])  # a worker that is gone: its pid is free
    dead.wait()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHIBO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="chibo.settings",
        CHIBO_SQLITE_PATH=str(tmp_path / "worker.sqlite3"),
        CHIBO_VAR_DIR=str(tmp_path / "var"),
        CHIBO_EMAIL_HOST="127.0.0.1",
        CHIBO_EMAIL_PORT=str(settings.EMAIL_PORT),
        CHIBO_EMAIL_FROM="chibo@xa-quang-tan.example",
        DEAD_WORKER=f"{socket.gethostname()[:40]}:{dead.pid}:killed",
    )
    manage = [sys.executable, str(PROJECT / "manage.py")]
    subprocess.run([*manage, "shell", "-v", "0", "-c", SETUP], cwd=PROJECT, env=env, check=True, timeout=60)
    assert smtp_inbox.messages == []  # queued, not sent

    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen([*manage, "worker", "--no-scheduler", "--interval", "0.2"], cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while len(smtp_inbox.messages) < 2 and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.1)
            assert sorted(m["To"] for m in smtp_inbox.messages) == ["a@example.vn", "b@example.vn"], log.read_text()
        finally:
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=15)
    output = log.read_text()
    assert code == 0, output
    assert "1 job(s) left running by a dead worker were queued again" in output
    assert "stopped" in output
    with sqlite3.connect(tmp_path / "worker.sqlite3") as db:
        rows = db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult").fetchall()
    assert sorted(status for status, _ in rows) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert any("killed" in ids for _, ids in rows)  # the recovered one keeps its history
