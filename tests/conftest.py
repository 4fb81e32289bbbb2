from __future__ import annotations

import datetime as dt
import os
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.factories import World, build_world

# Browser fixtures (one Chromium per session) for every test module that drives a page.
pytest_plugins = ["tests.browser_fixtures"]

# The whole session can run at a chosen moment: `--clock 2026-12-31T23:30:00+07:00` or the env
# CHIBO_TEST_CLOCK (ISO 8601 with an offset). The process clock starts there and keeps ticking, so the
# live server thread of the browser tests and every `timezone.now()` see it; tests that freeze time
# with time_machine travel from there. `make test-clock` runs the suite at the edges that broke it.
CLOCK_ENV = "CHIBO_TEST_CLOCK"
_session_clock: Any = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=os.getenv(CLOCK_ENV, ""),
        help=f"run the suite as if it were this moment (ISO 8601 with offset; env {CLOCK_ENV})",
    )


# Named moments, relative to today in Vietnam so that they stay a few weeks ahead of the real clock
# (a session clock far in the past would outlive the browser's session cookies; see below).
NAMED_CLOCKS = {
    "month-end": "23:30 on the last day of this month",
    "month-start": "00:30 on the 1st of next month",
    "year-end": "23:30 on 31/12 (this year's)",
    "year-start": "00:30 on 01/01 (next year's)",
}


def named_clock(name: str, *, today: dt.date) -> dt.datetime:
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    days = {
        "month-end": (first_next - dt.timedelta(days=1), dt.time(23, 30)),
        "month-start": (first_next, dt.time(0, 30)),
        "year-end": (dt.date(today.year, 12, 31), dt.time(23, 30)),
        "year-start": (dt.date(today.year + 1, 1, 1), dt.time(0, 30)),
    }
    day, at = days[name]
    return dt.datetime.combine(day, at, tzinfo=vn)


def parse_clock(value: str) -> dt.datetime:
    value = value.strip()
    if value in NAMED_CLOCKS:
        return named_clock(value, today=dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date())
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        names = ", ".join(NAMED_CLOCKS)
        raise pytest.UsageError(f"{CLOCK_ENV}={value!r} is neither an ISO 8601 moment nor one of {names}") from None
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{CLOCK_ENV}={value!r} needs an offset, e.g. 2026-12-31T23:30:00+07:00")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    global _session_clock
    value = config.getoption("--clock")
    if value:
        moment = parse_clock(value)
        _session_clock = time_machine.travel(moment, tick=True)
        _session_clock.start()


# The slowest files first. pytest-xdist (``--dist loadfile``) hands each test process whole files in
# collection order: a file holding minutes (the province build, the district demos, the access matrix)
# collected late would keep one process busy long after the other has finished.
SLOW_FIRST = ("tests/demo/test_demo_province.py", "tests/test_access_matrix.py", "tests/demo/")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, prefix in enumerate(SLOW_FIRST) if path.startswith(prefix)), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: the order inside each file is kept


def pytest_unconfigure(config: pytest.Config) -> None:
    global _session_clock
    if _session_clock is not None:
        _session_clock.stop()
        _session_clock = None


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--clock")
    return f"clock: {parse_clock(value).isoformat()} (time_machine, ticking)" if value else None


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World):
    """client_for("secretary") → a Client logged in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        client.force_login(world.users[persona])
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _stats_worker_closed(django_db_setup):
    """The statistics page's worker thread keeps a connection; close it before the test database goes."""
    yield
    from chibo.meetings.selectors_stats import shutdown_pool

    shutdown_pool()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # argon2 is deliberately slow; tests log in many personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _browser_on_the_session_clock(request: pytest.FixtureRequest, _fast_password_hasher: None) -> None:
    """Chromium is another process: under a session clock, its Date (offline check-in taps carry
    the browser's time) starts at the same moment as the server's. Its cookie jar keeps the real
    clock, so a session clock more than SESSION_COOKIE_AGE (14 days) in the past logs nobody in.
    (After the test hasher is set: the browser's world, with its passwords, is built here.)"""
    if _session_clock is not None and "context" in request.fixturenames:
        request.getfixturevalue("context").clock.set_system_time(dt.datetime.now(dt.UTC))


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback; Django sends to it through its SMTP backend."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        yield inbox
    finally:
        controller.stop()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Jobs run synchronously in tests (the immediate backend): an enqueued job has run on return.
    tests/core/test_jobs_worker.py runs a real worker on the database backend."""
    settings.TASKS = IMMEDIATE_TASKS
