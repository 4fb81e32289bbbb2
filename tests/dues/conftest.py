from __future__ import annotations

import pytest
import time_machine

from tests.factories import vn


@pytest.fixture
def june():
    """15/06/2026, 10:00 in Vietnam (frozen)."""
    with time_machine.travel(vn(2026, 6, 15, 10), tick=False) as traveller:
        yield traveller
