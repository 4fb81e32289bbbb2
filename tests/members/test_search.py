from django.db import connection

from chibo.core.access import Policy
from chibo.members.selectors import member_search


def _names(world, query):
    return [m.full_name for m in member_search(policy=Policy(world.users["province"]), query=query)]


def test_search_folds_diacritics_and_d(world):
    assert _names(world, "dang") == ["Đặng Thị Hồng"]
    assert _names(world, "DANG THI") == ["Đặng Thị Hồng"]
    assert _names(world, "hùng") == ["Nguyễn Văn Hùng"]


def test_search_by_citizen_id_prefix(world):
    assert _names(world, world.member.citizen_id[:8]) == ["Đặng Thị Hồng"]


def test_typo_tolerance_on_postgresql_only(world):
    found = _names(world, "nguyen van hugn")
    if connection.vendor == "postgresql":
        assert found == ["Nguyễn Văn Hùng"]  # trigram similarity
    else:
        assert found == []  # SQLite: folded substring match only


def test_results_are_in_vietnamese_order_by_given_name(world):
    # Bảo < Hồng < Hùng: given name first, Vietnamese letters and tones.
    assert _names(world, "") == ["Trần Quốc Bảo", "Đặng Thị Hồng", "Nguyễn Văn Hùng"]
