"""A real ``chibo worker`` process working on the test's own database, beside the live server.

The worker and the pages must share one database:
- PostgreSQL, or SQLite in a file (``CHIBO_SQLITE_TEST_PATH``): the worker opens the test database itself;
- SQLite in memory (the default test database): it lives only in this process, so it is copied to a
  file for the worker (SQLite's online backup) and the file is copied back once the worker stopped.

The worker runs with its scheduler and ``CHIBO_DAILY_AT=00:00``: on start it enqueues today's daily
jobs (``jobs.catch_up``, as after a restart) and runs them, on its own (real) clock. Nothing in chibo
knows it is under test.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

import chibo

PROJECT = Path(chibo.__file__).resolve().parent.parent


def _database_env(tmp_path: Path) -> tuple[dict[str, str], Path | None]:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = quote(settings.get("USER") or "", safe=""), quote(settings.get("PASSWORD") or "", safe="")
        url = f"postgres://{user}:{password}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"
        return {"CHIBO_DATABASE_URL": url}, None
    assert connection.vendor == "sqlite"
    if not connection.is_in_memory_db():
        return {"CHIBO_SQLITE_PATH": str(settings["NAME"])}, None
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return {"CHIBO_SQLITE_PATH": str(copy)}, copy


def run_worker_until(tmp_path: Path, done: Callable[[Callable[[str], list[tuple]]], bool], *, timeout: float = 60) -> str:
    """Start ``manage.py worker`` on the test database, wait until ``done(query)`` (``query(sql)``
    reads the database the worker writes), stop it with SIGTERM; return its output."""
    db_env, copy = _database_env(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHIBO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="chibo.settings", CHIBO_VAR_DIR=str(tmp_path / "var"), CHIBO_DAILY_AT="00:00",
        CHIBO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", **db_env,
    )  # fmt: skip

    def query(sql: str) -> list[tuple]:
        if copy is not None:
            with sqlite3.connect(copy, timeout=20) as db:
                rows = db.execute(sql).fetchall()
            db.close()
            return rows
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, str(PROJECT / "manage.py"), "worker", "--interval", "0.2"], cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + timeout
            while not done(query) and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
            assert done(query), log.read_text()
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=30)
    output = log.read_text()
    assert code == 0, output
    if copy is not None:  # the worker's writes back into the test's in-memory database
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)
        source.close()
    return output
