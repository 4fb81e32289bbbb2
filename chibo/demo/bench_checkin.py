"""`chibo bench checkin`: self check-ins per second through the real server, and the statistics page.

Setup, on the loaded dataset (province, PostgreSQL): for ``--cells`` cells (largest first), a thematic
meeting of the current month, opened in bulk as ``services_record.meeting_open`` would (one attendance
row per member of the cell that day, standing from the status of that day) with a check-in code; a
user per official or probationary member listed (one password hash computed once, a ``member`` grant
on the cell) and a session row for each, written directly (``SessionStore.encode``).

Then granian serves ``chibo.wsgi:application`` on a free loopback port, and a separate process drives
it with ``--clients`` concurrent keep-alive HTTP/1.1 connections (asyncio, raw sockets, 127.0.0.1
only): each request is a member's POST to ``/meetings/<id>/checkin/`` with the meeting's code and a
CSRF token (cookie and form field), each member once. A 302 back to the check-in page is a success
(the view redirects after ``self_checkin`` succeeded); anything else is an error. The run stops after
``--seconds`` or when every member has checked in.

Afterwards the database must hold exactly the acknowledged check-ins: the set of (meeting, member)
answered with success is compared with the attendance rows of the bench meetings with status present
and source self, and with the meetings' stored present counts. Afterwards the bench removes what it
wrote (meetings, attendance, receipts, their audit rows, bench sessions, grants and users).
The statistics page of the root for the last month is timed first, on the quiet dataset, with
django.test.Client like `bench registry`.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_TOPIC = "[bench] Đo tải tự điểm danh"
BENCH_PASSWORD = "chibo-bench-2025"  # noqa: S105 - bench users only, on a bench database
TARGET_RATE = 500.0
TARGET_P99_MS = 200.0
TARGET_STATS_P95_MS = 200.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# ---------------------------------------------------------------------------------------------
# Setup (in the command's process, through the ORM)


def setup(*, cells: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Open bench meetings and log members in; returns the work list for the driver."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone
    from django.utils.crypto import salted_hmac

    from chibo.accounts.models import Grant, User
    from chibo.core.access import today
    from chibo.core.models import OPEN
    from chibo.meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus
    from chibo.meetings.services_record import refresh_attendance_counts
    from chibo.members.models import Membership
    from chibo.orgs.models import CELL_KINDS, OrgVersion

    started = time.perf_counter()
    day = today()
    now = timezone.now()
    live = OrgVersion.objects.filter(valid_to=OPEN, kind__in=CELL_KINDS).values_list("org_id", flat=True)
    chosen = list(
        Membership.objects.filter(valid_to=OPEN, org_id__in=live)
        .values("org_id").annotate(n=Count("id")).order_by("-n", "org_id").values_list("org_id", flat=True)[:cells]
    )
    if not chosen:
        raise LookupError("Không có chi bộ nào; hãy chạy chibo demo --scale province.")
    with transaction.atomic():
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    org_id=org_id, kind=MeetingKind.THEMATIC, month=day.replace(day=1), starts_at=now, topic=BENCH_TOPIC,
                    status=MeetingStatus.OPEN, published_at=now - dt.timedelta(days=3), opened_at=now,
                    checkin_code=f"{secrets.randbelow(10**6):06d}",
                )
                for org_id in chosen
            ],
            batch_size=2000,
        )
        ids = [m.pk for m in meetings]
        # The attendance list of meeting_open, in one statement: members of the cell that day with a listed standing.
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO meetings_attendance (meeting_id, member_id, standing, status, reason, source)
                SELECT mt.id, ms.member_id, st.status, '', '', ''
                FROM meetings_meeting mt
                JOIN members_membership ms ON ms.org_id = mt.org_id AND ms.valid_from <= %s AND ms.valid_to > %s
                JOIN members_statusperiod st ON st.member_id = ms.member_id AND st.valid_from <= %s AND st.valid_to > %s
                WHERE mt.id IN ({marks}) AND st.status IN ('official', 'probationary', 'exempted', 'temp_out')
                """,  # noqa: S608 - placeholders only
                [day, day, day, day, *ids],
            )
        refresh_attendance_counts(meeting_ids=ids)
        rows = list(
            Attendance.objects.filter(meeting_id__in=ids, standing__in=["official", "probationary"])
            .values_list("meeting_id", "member_id", "meeting__org_id", "meeting__checkin_code")
            .order_by("meeting_id", "member_id")
        )
        member_ids = [r[1] for r in rows]
        existing = dict(User.objects.filter(member_id__in=member_ids).values_list("member_id", "id"))
        grants_before = set(Grant.objects.values_list("id", flat=True))
        password = make_password(BENCH_PASSWORD)  # once: every bench user has the same hash
        User.objects.bulk_create(
            [User(username=f"bench-{mid}", password=password, display_name=f"bench {mid}", member_id=mid) for mid in member_ids if mid not in existing],
            batch_size=5000,
        )
        users = dict(User.objects.filter(member_id__in=member_ids).values_list("member_id", "id"))
        hashes = dict(User.objects.filter(member_id__in=member_ids).values_list("member_id", "password"))
        have = set(Grant.objects.filter(user_id__in=users.values(), role="member").values_list("user_id", "org_id"))
        Grant.objects.bulk_create(
            [Grant(user_id=users[mid], role="member", org_id=org) for _mt, mid, org, _c in rows if (users[mid], org) not in have],
            batch_size=5000,
        )
        backend = settings.AUTHENTICATION_BACKENDS[0]
        expire = now + dt.timedelta(days=1)
        store = SessionStore()
        auth_hashes: dict[str, str] = {}
        sessions = []
        work = []
        for meeting_id, mid, _org, code in rows:
            pw = hashes[mid]
            if pw not in auth_hashes:  # AbstractBaseUser.get_session_auth_hash
                auth_hashes[pw] = salted_hmac("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", pw, algorithm="sha256").hexdigest()
            key = secrets.token_hex(16)
            data = {SESSION_KEY: str(users[mid]), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: auth_hashes[pw]}
            sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
            work.append([meeting_id, mid, code, key])
        Session.objects.bulk_create(sessions, batch_size=5000)
        new_grants = [g for g in Grant.objects.filter(user_id__in=users.values()).values_list("id", flat=True) if g not in grants_before]
    log(f"  chuẩn bị: {len(ids)} cuộc họp đang họp, {len(work)} đảng viên đăng nhập ({time.perf_counter() - started:.1f} s)")
    return {
        "meetings": ids,
        "work": work,
        "sessions": [w[3] for w in work],
        "grants": new_grants,
        "users": [users[mid] for mid in users if mid not in existing],
    }


def cleanup(prepared: dict[str, Any]) -> None:
    """Remove what the bench wrote: its meetings (attendance, receipts), their audit rows, sessions, grants and users."""
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from chibo.accounts.models import Grant, User
    from chibo.core.models import AuditEvent
    from chibo.meetings.models import Meeting

    with transaction.atomic():
        AuditEvent.objects.filter(object_type="meetings.meeting", object_id__in=prepared["meetings"]).delete()
        Meeting.objects.filter(pk__in=prepared["meetings"], topic=BENCH_TOPIC).delete()
        Session.objects.filter(session_key__in=prepared["sessions"]).delete()
        Grant.objects.filter(pk__in=prepared["grants"]).delete()
        User.objects.filter(pk__in=prepared["users"], username__startswith="bench-").delete()
    vacuum()


# The tables a bench run writes to; vacuumed afterwards (and before timing the statistics page),
# since a server with autovacuum off, like this benchmark machine's, would keep every dead row.
TOUCHED = (
    "meetings_meeting", "meetings_attendance", "meetings_tapreceipt", "core_auditevent",
    "django_session", "accounts_user", "accounts_grant",
)  # fmt: skip


def vacuum() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(TOUCHED)}")


# ---------------------------------------------------------------------------------------------
# The driver (a separate process; standard library only)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and the raw head of one response (its body read and dropped)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    if b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        at = lower.find(b"content-length:")
        length = int(lower[at + 15 : lower.index(b"\r\n", at)]) if at >= 0 else 0
        await reader.readexactly(length)
    return status, lower


def _requests(port: int, work: list[list[Any]]) -> list[tuple[int, int, bytes]]:
    """Every request, built before the clock starts so the driver spends its time sending them."""
    at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"
    out = []
    for meeting_id, member_id, code, session_key in work:
        csrf = secrets.token_hex(16)  # a 32-character secret: cookie and form field
        # What the phone page's script posts: the code, a fresh client id and the tap time.
        body = f"csrfmiddlewaretoken={csrf}&code={code}&status=present&client_id={uuid.uuid4()}&at={at}".encode()
        head = (
            f"POST /meetings/{meeting_id}/checkin/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: sessionid={session_key}; csrftoken={csrf}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        out.append((meeting_id, member_id, head + body))
    return out


async def _drive(port: int, work: list[list[Any]], clients: int, seconds: float) -> dict[str, Any]:
    queue = iter(_requests(port, work))
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    acked: list[list[int]] = []
    errors: dict[str, int] = {}
    unknown: list[list[int]] = []  # sent, no answer (connection error): may or may not be recorded

    async def client() -> None:
        reader = writer = None
        for meeting_id, member_id, request in queue:
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                assert reader is not None
                writer.write(request)
                status, head = await asyncio.wait_for(_read_response(reader), timeout=30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                unknown.append([meeting_id, member_id])
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if status == 302 and f"/meetings/{meeting_id}/checkin/\r\n".encode() in head:
                acked.append([meeting_id, member_id])
            else:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
            if b"\r\nconnection: close" in head and writer is not None:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "acked": acked, "errors": errors, "unknown": unknown}


def drive_main() -> None:
    """Entry point of the driver process: argv = port, clients, seconds, work file, result file."""
    port, clients, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    work = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8"))
    result = asyncio.run(_drive(port, work, clients, seconds))
    Path(sys.argv[5]).write_text(json.dumps(result), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(*, port: int, workers: int, threads: int, database_url: str) -> subprocess.Popen[bytes]:
    granian = str(Path(sys.executable).with_name("granian"))
    env = {
        **os.environ,
        "CHIBO_DATABASE_URL": database_url,
        "CHIBO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "CHIBO_DEBUG": "false",
    }
    cmd = [
        granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning", *os.environ.get("CHIBO_BENCH_GRANIAN_ARGS", "").split(), "chibo.wsgi:application",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603 - fixed arguments
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"granian dừng: {proc.stderr.read().decode(errors='replace') if proc.stderr else ''}") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("granian không mở cổng trong 30 giây.")


def warm(port: int, work: list[list[Any]]) -> None:
    """One GET per worker connection so the first timed requests do not pay for imports."""
    for _ in range(8):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            while s.recv(65536):
                pass


# ---------------------------------------------------------------------------------------------
# Statistics page


def stats_page(*, repeat: int) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import override_settings

    from chibo.accounts.models import User
    from chibo.core.access import today
    from chibo.meetings.selectors_stats import add_months
    from chibo.orgs.selectors import versions_on

    root = versions_on(today()).filter(parent__isnull=True).order_by("org_id").first()
    user = User.objects.filter(username="canbotinh").first()
    if root is None or user is None:
        raise LookupError("Không có gốc cây tổ chức hoặc người dùng canbotinh.")
    month = add_months(today().replace(day=1), -1)
    url = f"/meetings/stats/{root.org_id}/?month={month:%Y-%m}"
    client = Client()
    client.force_login(user)
    times = []
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        for i in range(repeat + 5):
            started = time.perf_counter()
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            if i >= 5:
                times.append((time.perf_counter() - started) * 1000)
    return {"url": url, "p50": statistics.median(times), "p95": percentile(times, 95), "repeat": repeat}


# ---------------------------------------------------------------------------------------------
# The run


def run(
    *, seconds: float, clients: int, cells: int, workers: int, threads: int, repeat: int, log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    from django.db import connection

    database_url = os.environ.get("CHIBO_DATABASE_URL", "")
    if connection.vendor != "postgresql" or not database_url:
        raise LookupError("bench checkin cần PostgreSQL (đặt CHIBO_DATABASE_URL).")
    # The statistics page first, on the quiet dataset (a page's speed, not the load's aftermath).
    vacuum()
    stats = stats_page(repeat=repeat)
    prepared = setup(cells=cells, log=log)
    try:
        result = _measure(prepared=prepared, seconds=seconds, clients=clients, workers=workers, threads=threads, database_url=database_url, log=log)
    finally:
        cleanup(prepared)
    return {**result, "stats": stats}


def _measure(
    *, prepared: dict[str, Any], seconds: float, clients: int, workers: int, threads: int, database_url: str, log: Callable[[str], None],
) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Sum

    from chibo.demo.bench import load_average, machine
    from chibo.meetings.models import Attendance, Meeting

    connection.close()  # the server's workers and the driver get the database to themselves
    port = free_port()
    load_before = load_average()
    server = start_server(port=port, workers=workers, threads=threads, database_url=database_url)
    try:
        warm(port, prepared["work"])
        with tempfile.TemporaryDirectory() as tmp:
            work_file, result_file = Path(tmp, "work.json"), Path(tmp, "result.json")
            work_file.write_text(json.dumps(prepared["work"]), encoding="utf-8")
            log(f"  máy chủ: granian {workers} worker × {threads} luồng, cổng {port}; {clients} kết nối, {seconds:.0f} s")
            subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-c", "from chibo.demo.bench_checkin import drive_main; drive_main()",
                 str(port), str(clients), str(seconds), str(work_file), str(result_file)],
                check=True, timeout=seconds + 120, env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
            )
            result = json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    load_after = load_average()
    acked = {(m, p) for m, p in result["acked"]}
    recorded = set(
        Attendance.objects.filter(meeting_id__in=prepared["meetings"], status="present", source="self").values_list("meeting_id", "member_id")
    )
    unknown = {(m, p) for m, p in result["unknown"]}
    stored_present = Meeting.objects.filter(pk__in=prepared["meetings"]).aggregate(n=Sum("n_present"))["n"] or 0
    lat = result["latencies"]
    return {
        "machine": machine(),
        "workers": workers,
        "threads": threads,
        "clients": clients,
        "seconds": seconds,
        "elapsed": result["elapsed"],
        "meetings": len(prepared["meetings"]),
        "members": len(prepared["work"]),
        "requests": len(lat) + len(result["unknown"]),
        "ok": len(result["acked"]),
        "rate": len(result["acked"]) / result["elapsed"] if result["elapsed"] else 0.0,
        "p50": percentile(lat, 50),
        "p99": percentile(lat, 99),
        "max": max(lat) if lat else 0.0,
        "errors": result["errors"],
        "duplicated_acks": len(result["acked"]) - len(acked),
        "recorded": len(recorded),
        "lost": len(acked - recorded),
        "extra": len(recorded - acked - unknown),
        "extra_unknown": len((recorded - acked) & unknown),
        "stored_present": stored_present,
        "load": f"{load_before} → {load_after}",
    }


def table(r: dict[str, Any]) -> str:
    m = r["machine"]
    ok_rate = r["rate"] >= TARGET_RATE and r["p99"] < TARGET_P99_MS
    exact = r["lost"] == 0 and r["extra"] == 0 and r["duplicated_acks"] == 0 and r["stored_present"] == r["recorded"]
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) or "0"
    lines = [
        f"Máy: {m['nproc']} CPU ({m['cpu']}), RAM {m['ram']}, {m['database']}, Python {m['python']}",
        f"Máy chủ: granian --workers {r['workers']} --blocking-threads {r['threads']}; {r['clients']} kết nối đồng thời; tải máy {r['load']}",
        f"{r['meetings']} cuộc họp đang họp, {r['members']} đảng viên sẵn sàng; chạy {r['elapsed']:.1f} s",
        "",
        "| phép đo | giá trị | mục tiêu | đạt? |",
        "|---|---:|---:|---|",
        f"| tự điểm danh thành công / giây | {r['rate']:.0f} | ≥ {TARGET_RATE:.0f} | {'có' if r['rate'] >= TARGET_RATE else 'KHÔNG'} |",
        f"| độ trễ p50 ms | {r['p50']:.1f} | | |",
        f"| độ trễ p99 ms | {r['p99']:.1f} | < {TARGET_P99_MS:.0f} | {'có' if r['p99'] < TARGET_P99_MS else 'KHÔNG'} |",
        f"| độ trễ lớn nhất ms | {r['max']:.1f} | | |",
        f"| yêu cầu / thành công / lỗi | {r['requests']} / {r['ok']} / {errors} | | |",
        f"| CSDL: dòng có mặt (tự điểm danh) / mất / thừa | {r['recorded']} / {r['lost']} / {r['extra']} | 0 mất, 0 thừa | {'có' if exact else 'KHÔNG'} |",
        f"| CSDL: số có mặt lưu trên cuộc họp (Meeting.n_present) | {r['stored_present']} | = {r['recorded']} | {'có' if r['stored_present'] == r['recorded'] else 'KHÔNG'} |",
        f"| trang thống kê gốc p50 / p95 ms ({r['stats']['url']}) | {r['stats']['p50']:.1f} / {r['stats']['p95']:.1f} | p95 < {TARGET_STATS_P95_MS:.0f} | {'có' if r['stats']['p95'] < TARGET_STATS_P95_MS else 'KHÔNG'} |",
        "",
        f"Điểm danh: {'đạt' if ok_rate else 'CHƯA ĐẠT'} mục tiêu; CSDL khớp đúng các lần điểm danh được xác nhận: {'có' if exact else 'KHÔNG'}"
        + (f" (thêm {r['extra_unknown']} dòng của yêu cầu không nhận được trả lời)" if r["extra_unknown"] else ""),
    ]
    return "\n".join(lines)
