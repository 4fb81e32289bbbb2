"""Home page and "cells missing a step" timings on a loaded dataset (issue 7).

    CHIBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_bench .venv/bin/python bench/home.py

Each demo persona's home page (/) and the lists behind the province figures, through Django's test
client in-process (no HTTP server): p50 and p95 of 20 (lists: 10) requests after one warm-up, and the
number of queries of one request.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any


def measure(client: Any, url: str, n: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)], len(queries)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from django.test import Client

    from chibo.accounts.models import User
    from chibo.core.access import Policy

    for username in ("canbotinh", "canboxa", "bithu", "dangvien"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        p50, p95, n = measure(client, "/", 20)
        print(f"home {username:<10}          p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {n} queries")
    staff = User.objects.get(username="canbotinh")
    top = Policy(staff).versions().order_by("depth").first()
    assert top is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    for step in ("not_scheduled", "not_announced", "not_held", "not_approved"):
        p50, p95, n = measure(client, f"/meetings/missing/{top.org_id}/?step={step}", 10)
        print(f"missing {step:<16} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {n} queries")


if __name__ == "__main__":
    main()
