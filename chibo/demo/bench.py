"""`chibo bench registry`: server-side timings of the registry pages on the loaded dataset.

Each page is requested through django.test.Client as a logged-in user (the province staff persona
by default), so the times include the access policy, the queries and the template, but no network.
A hand-written SQL count of the root's members is the floor the ORM counts are compared with.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from chibo.accounts.models import Grant, User
from chibo.core.access import today
from chibo.core.models import OPEN, AuditEvent
from chibo.members.models import ACTIVE_STATUSES, Member, Membership
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import memberships_on, org_stats, versions_on

TARGET_MS = 150.0
FLOOR_RATIO = 3.0


@dataclass
class Result:
    name: str
    target: str
    times_ms: list[float]
    queries: int

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    return {"nproc": str(os.cpu_count() or "?"), "ram": ram, "cpu": cpu or "?", "database": db, "python": platform.python_version()}


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews the timings."""
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    except OSError:
        return "?"


def dataset() -> str:
    event = AuditEvent.objects.filter(verb="demo.load").order_by("-id").first()
    members = Member.objects.count()
    orgs = OrgVersion.objects.filter(valid_to=OPEN).count()
    name = f"{event.after.get('scale')} (seed {event.after.get('seed')})" if event else "(không phải dữ liệu mẫu)"
    return f"{name}: {orgs:,} tổ chức hiện có, {members:,} hồ sơ đảng viên"


def floor_count(*, path: str, on: dt.date) -> int:
    """Active members under ``path`` on ``on``: the minimal query, by hand."""
    placeholders = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    sql = f"""
        SELECT count(*) FROM members_membership m
        JOIN orgs_orgversion v ON v.org_id = m.org_id AND v.valid_from <= %s AND v.valid_to > %s
        JOIN members_statusperiod s ON s.member_id = m.member_id AND s.valid_from <= %s AND s.valid_to > %s
        WHERE m.valid_from <= %s AND m.valid_to > %s AND v.path LIKE %s AND s.status IN ({placeholders})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, on, on, on, on, on, path + "%", *[str(s) for s in ACTIVE_STATUSES]])
        return int(cursor.fetchone()[0])


def orm_count(*, path: str, on: dt.date) -> int:
    """The member count of org_stats (by status, then summed), alone."""
    rows = memberships_on(on).filter(ver__path__startswith=path).values("st__status").annotate(n=Count("id"))  # type: ignore[misc]
    return sum(r["n"] for r in rows if r["st__status"] in ACTIVE_STATUSES)


def _user() -> User:
    user = User.objects.filter(username="canbotinh").first()
    if user is None:
        admin = Grant.objects.filter(role="admin").select_related("user").first()
        user = admin.user if admin else User.objects.filter(is_superuser=True).first()
    if user is None:
        raise LookupError("Không có người dùng canbotinh hay quản trị viên để đo.")
    return user


def _time(fn: Callable[[], Any], *, repeat: int, warmup: int = 2) -> tuple[list[float], int]:
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, queries


def run(*, repeat: int, log: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    on = today()
    root = versions_on(on).filter(parent__isnull=True).order_by("org_id").first()
    if root is None:
        raise LookupError("Cơ sở dữ liệu chưa có cây tổ chức; hãy chạy chibo demo --scale province.")
    communes = versions_on(on).filter(admin_unit__gt="").exclude(kind__in=["cell", "grassroots_cell"])
    commune = communes.filter(name="Đảng bộ xã Quảng Tân").first() or communes.order_by("org_id").first()
    cell = (
        Membership.objects.filter(valid_to=OPEN, org__versions__valid_to=OPEN, org__versions__sector="residential")
        .values("org_id").annotate(n=Count("id")).order_by("-n", "org_id").first()
    )
    user = _user()
    client = Client()
    client.force_login(user)

    def page(url: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        return get

    cases: list[tuple[str, str, Callable[[], Any]]] = [
        ("Tìm đảng viên “nguyen van”", "page", page("/members/?q=nguyen+van")),
        ("Tìm đảng viên “hoang thi lan”", "page", page("/members/?q=hoang+thi+lan")),
        ("Tìm đảng viên, gõ sai “nguyen thi huogn”", "page", page("/members/?q=nguyen+thi+huogn")),
        ("Trang chi bộ (đông nhất)", "page", page(f"/org/{cell['org_id']}/") if cell else page(f"/org/{root.org_id}/")),
        ("Cây tổ chức: gốc (tỉnh)", "page", page(f"/org/{root.org_id}/")),
        ("Cây tổ chức: đảng bộ xã", "page", page(f"/org/{commune.org_id}/" if commune else f"/org/{root.org_id}/")),
        ("Cây tổ chức: gốc, ngày 31/12/2022", "page", page(f"/org/{root.org_id}/?as_of=31/12/2022")),
        ("org_stats (gốc; 3 truy vấn)", "info", lambda: org_stats(version=root, on=on)),
        ("Đếm đảng viên (ORM, như org_stats)", "counts", lambda: orm_count(path=root.path, on=on)),
        ("Đếm đảng viên (SQL viết tay: sàn)", "floor", lambda: floor_count(path=root.path, on=on)),
    ]
    results = []
    load_before = load_average()
    with override_settings(ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"]):
        for name, target, fn in cases:
            times, queries = _time(fn, repeat=repeat)
            results.append(Result(name=name, target=target, times_ms=times, queries=queries))
            log(f"  {name}: p50 {results[-1].p50:.1f} ms")
    floor = next(r for r in results if r.target == "floor")
    return {
        "dataset": dataset(),
        "machine": machine(),
        "user": user.username,
        "repeat": repeat,
        "on": on,
        "results": results,
        "floor": floor,
        "load": f"{load_before} → {load_average()}",
        "floor_value": floor_count(path=root.path, on=on),
        "orm_value": orm_count(path=root.path, on=on),
    }


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    floor: Result = report["floor"]
    lines = [
        f"Dữ liệu: {report['dataset']}",
        f"Máy: {m['nproc']} CPU ({m['cpu']}), RAM {m['ram']}, {m['database']}, Python {m['python']}",
        f"Người dùng: {report['user']}; mỗi phép đo lặp {report['repeat']} lần (sau 2 lần chạy nóng); ngày {report['on']:%d/%m/%Y}",
        f"Tải máy (load average 1 phút) đầu → cuối: {report['load']}",
        "",
        f"| {'phép đo':<42} | {'p50 ms':>8} | {'p95 ms':>8} | {'truy vấn':>8} | {'so với sàn':>10} | {'đạt?':<5} |",
        f"|{'-' * 44}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 12}|{'-' * 7}|",
    ]
    for r in report["results"]:
        ratio = r.p50 / floor.p50 if floor.p50 else 0.0
        if r.target == "page":
            ok = "có" if r.p95 < TARGET_MS else "KHÔNG"
            rel = ""
        elif r.target == "counts":
            ok = "có" if ratio <= FLOOR_RATIO else "KHÔNG"
            rel = f"{ratio:.1f}×"
        elif r.target == "info":
            ok, rel = "", f"{ratio:.1f}×"
        else:
            ok, rel = "", "1.0×"
        lines.append(f"| {r.name:<42} | {r.p50:>8.1f} | {r.p95:>8.1f} | {r.queries:>8} | {rel:>10} | {ok:<5} |")
    lines += [
        "",
        f"Mục tiêu: mỗi trang p95 < {TARGET_MS:.0f} ms; đếm đảng viên ở gốc (ORM) trong {FLOOR_RATIO:.0f}× sàn SQL (so p50).",
        f"Đảng số ở gốc: SQL {report['floor_value']:,}, ORM {report['orm_value']:,}.",
    ]
    return "\n".join(lines)
