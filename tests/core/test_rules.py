"""Versioned rules (chibo.core.rules): the version in force on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from chibo.core.rules import rule_on, versions


def test_the_version_in_force_on_a_day(settings):
    settings.CHIBO_TEST_RULE = [("2028-01-01", 5), (dt.date(2026, 1, 1), 3)]
    assert [v for _d, v in versions("CHIBO_TEST_RULE")] == [3, 5]
    assert rule_on("CHIBO_TEST_RULE", dt.date(2026, 1, 1)) == 3
    assert rule_on("CHIBO_TEST_RULE", dt.date(2027, 12, 31)) == 3
    assert rule_on("CHIBO_TEST_RULE", dt.date(2028, 1, 1)) == 5
    with pytest.raises(ImproperlyConfigured):
        rule_on("CHIBO_TEST_RULE", dt.date(2025, 12, 31))
