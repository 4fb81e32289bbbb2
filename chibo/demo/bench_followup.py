"""`chibo bench followup`: server-side timings of the follow-up pages (issue 8 §9) at the province root.

The new list pages (a cell's tasks, the petitions inbox, the root's briefings, the root's inspection
rate page) and the new statistics page and its .xlsx, each requested ``repeat`` times through
django.test.Client as the province staff persona (``canbotinh``, else an administrator) after two
warm-up requests, like ``chibo bench registry``. Works on whatever data is loaded; the figures in
docs/benchmarks.md are for the province demo on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from chibo.core.access import Policy, today
from chibo.demo.bench import Result, _time, _user, dataset, load_average, machine
from chibo.orgs.models import CELL_KINDS
from chibo.tasks.models import Task

TARGET_MS = 200.0  # issue 8 §9: p95 under 200 ms


def pages(*, root_id: int, cell_id: int, year: int) -> list[tuple[str, str]]:
    """(name, URL) of each page measured."""
    return [
        ("Nhiệm vụ của chi bộ (nhiều nhất)", reverse("tasks:cell_tasks", args=[cell_id])),
        ("Kiến nghị cần xử lý (hộp thư)", reverse("petitions:inbox")),
        ("Giao ban của gốc", reverse("briefings:org", args=[root_id]) + f"?year={year}"),
        ("Kiểm tra, giám sát: tỷ lệ ở gốc", reverse("inspections:org", args=[root_id]) + f"?year={year}"),
        ("Thống kê theo dõi: gốc", reverse("followup:stats", args=[root_id]) + f"?year={year}"),
        ("Thống kê theo dõi: gốc, Excel", reverse("followup:stats_xlsx", args=[root_id]) + f"?year={year}"),
    ]


def run(*, repeat: int, log: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    on = today()
    user = _user()
    policy = Policy(user)
    root = policy.versions(on=on).order_by("depth", "org_id").first()
    if root is None:
        raise LookupError("Cơ sở dữ liệu chưa có cây tổ chức; hãy chạy chibo demo --scale province.")
    cells = policy.versions(on=on).filter(kind__in=CELL_KINDS, path__startswith=root.path)
    busiest = Task.objects.filter(cell_id__in=cells.values("org_id")).values("cell_id").annotate(n=Count("id")).order_by("-n", "cell_id").first()
    cell_id = busiest["cell_id"] if busiest else cells.order_by("org_id").values_list("org_id", flat=True).first()
    if cell_id is None:
        raise LookupError("Không có chi bộ nào để đo.")
    client = Client()
    client.force_login(user)

    def page(url: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        return get

    results = []
    load_before = load_average()
    with override_settings(ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"]):
        for name, url in pages(root_id=root.org_id, cell_id=cell_id, year=on.year):
            times, queries = _time(page(url), repeat=repeat)
            results.append(Result(name=name, target=url, times_ms=times, queries=queries))
            log(f"  {name}: p50 {results[-1].p50:.1f} ms")
    return {
        "dataset": dataset(),
        "machine": machine(),
        "user": user.username,
        "root": root.name,
        "repeat": repeat,
        "on": on,
        "results": results,
        "load": f"{load_before} → {load_average()}",
    }


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Dữ liệu: {report['dataset']}",
        f"Máy: {m['nproc']} CPU ({m['cpu']}), RAM {m['ram']}, {m['database']}, Python {m['python']}",
        f"Người dùng: {report['user']} ở {report['root']}; mỗi trang {report['repeat']} lần (sau 2 lần chạy nóng); ngày {report['on']:%d/%m/%Y}",
        f"Tải máy (load average 1 phút) đầu → cuối: {report['load']}",
        "",
        f"| {'trang':<36} | {'p50 ms':>8} | {'p95 ms':>8} | {'truy vấn':>8} | {'đạt?':<5} | địa chỉ",
        f"|{'-' * 38}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 7}|{'-' * 10}",
    ]
    for r in report["results"]:
        ok = "có" if r.p95 < TARGET_MS else "KHÔNG"
        lines.append(f"| {r.name:<36} | {r.p50:>8.1f} | {r.p95:>8.1f} | {r.queries:>8} | {ok:<5} | {r.target}")
    lines += ["", f"Mục tiêu: mỗi trang p95 < {TARGET_MS:.0f} ms ở gốc tỉnh, trên PostgreSQL."]
    return "\n".join(lines)
