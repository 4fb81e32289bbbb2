from __future__ import annotations

import pytest

from tests.core.jobs_helpers import DB_TASKS, DONE, FAILS


@pytest.fixture
def db_tasks(settings, db):
    settings.TASKS = DB_TASKS
    settings.CHIBO_JOBS_MAX_ATTEMPTS = 3
    settings.CHIBO_JOBS_BACKOFF_SECONDS = 60
    settings.CHIBO_JOBS_BACKOFF_MAX_SECONDS = 3600
    FAILS.clear()
    DONE.clear()
    yield
    FAILS.clear()
    DONE.clear()
