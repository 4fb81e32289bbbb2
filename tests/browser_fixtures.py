"""Browser journeys: one headless Chromium per session, a fresh context per test, the live server.

The live server needs data committed where its thread can see it, so the world here is built on
``transactional_db`` (the ``world`` fixture of tests/conftest.py uses ``db`` and would stay invisible).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

from tests.factories import World, build_world  # noqa: E402

CHROMIUM = os.getenv("CHIBO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Auto-waiting assertions give up after this long; the pages answer in milliseconds.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Rows get ids from here on, so pages show five-digit ids as a province has them: an id printed
# with a thousands separator ("10.021") in a link or a form value breaks that link or form.
FIRST_ID = 10_001


def _start_ids_at(first: int) -> None:
    from chibo.members.models import CommunityPosition, Member, Membership, Position
    from chibo.orgs.models import Organisation, OrgVersion

    with connection.cursor() as cursor:
        for model in (Organisation, OrgVersion, Member, Membership, Position, CommunityPosition):
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, (SELECT COALESCE(MAX(id), 0) FROM {table})))",
                    [table, first - 1],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, MAX(%s, COALESCE(MAX(id), 0)) FROM {table}", [table, first - 1])


@pytest.fixture
def bworld(transactional_db: None) -> World:
    _start_ids_at(FIRST_ID)
    world = build_world()
    assert world.province.pk >= FIRST_ID and world.member.pk >= FIRST_ID
    return world


@pytest.fixture
def context(chromium: Browser, live_server, bworld: World) -> Iterator[BrowserContext]:
    """A clean browser profile speaking Vietnamese; fails the test if any request leaves this machine."""
    ctx = chromium.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(10_000)
    outside: list[str] = []
    page_errors: list[str] = []

    def check(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            outside.append(request.url)

    ctx.on("request", check)
    ctx.on("page", lambda p: p.on("pageerror", lambda exc: page_errors.append(str(exc))))
    yield ctx
    ctx.close()
    assert not outside, f"requests to other hosts: {outside}"
    assert not page_errors, f"JavaScript errors: {page_errors}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
