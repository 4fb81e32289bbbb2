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


# Issue 7: all statuses, word-start ranking, close names on SQLite, the form -------------------------

import datetime as dt  # noqa: E402

from django.urls import reverse  # noqa: E402

from chibo.members import services as member_services  # noqa: E402
from chibo.members.selectors import STATUS_ALL, suggest_names  # noqa: E402
from tests.factories import make_member  # noqa: E402


def test_word_start_matches_come_first(world):
    make_member(world.cell, surname="Phùng", middle_name="Văn", given_name="An", born=dt.date(1981, 1, 1))
    # "hung" is inside "Phùng" (a surname) and starts "Hùng": Hùng first, though An sorts before Hùng
    assert _names(world, "hung") == ["Nguyễn Văn Hùng", "Phùng Văn An"]
    # among word-start matches, Vietnamese order stays
    make_member(world.cell, surname="Lê", middle_name="Thị", given_name="Hùng", sex="female", born=dt.date(1980, 1, 1))
    assert _names(world, "hung")[-1] == "Phùng Văn An"


def test_all_statuses(world):
    departed = make_member(world.cell, surname="Vũ", middle_name="Đình", given_name="Tâm", born=dt.date(1950, 1, 1))
    member_services.member_set_status(actor=None, member=departed, status="deceased", on=dt.date(2024, 5, 1), note="Từ trần")
    policy = Policy(world.users["staff"])
    names = lambda **kw: [m.full_name for m in member_search(policy=policy, query="tam", **kw)]  # noqa: E731
    assert names() == []  # the default: members still active
    assert names(status=STATUS_ALL) == ["Vũ Đình Tâm"]
    assert names(status="deceased") == ["Vũ Đình Tâm"]


def test_close_names_are_suggested_within_scope(world):
    staff, outsider = Policy(world.users["staff"]), Policy(world.users["outsider"])
    assert [m.full_name for m in suggest_names(policy=staff, query="hugn")] == ["Nguyễn Văn Hùng"]
    assert [m.full_name for m in suggest_names(policy=staff, query="nguyen van hugn")] == ["Nguyễn Văn Hùng"]
    assert [m.full_name for m in suggest_names(policy=staff, query="dnag thi hong")] == ["Đặng Thị Hồng"]
    assert suggest_names(policy=staff, query="xyz") == []
    assert suggest_names(policy=staff, query="bao") == []  # Trần Quốc Bảo is in another commune
    assert [m.full_name for m in suggest_names(policy=outsider, query="baoo")] == ["Trần Quốc Bảo"]
    assert suggest_names(policy=staff, query="1234") == []


def test_search_page_form_all_statuses_and_suggestions(world, client_for):
    client = client_for("staff")
    html = client.get(reverse("members:search")).content.decode()
    assert 'value="all"' in html and "Tất cả trạng thái" in html
    # one short word with a typo: too far for trigrams, close by edit distance (both databases)
    response = client.get(reverse("members:search"), {"q": "hugn"})
    html = response.content.decode()
    assert 'data-testid="suggestions"' in html and "Nguyễn Văn Hùng" in html
    # bad input: a clear message, a 400, never a 500
    bad = client.get(reverse("members:search"), {"status": "nonsense", "q": "a" * 101})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert 'data-testid="error-status"' in text and 'data-testid="error-q"' in text
    bad_org = client.get(reverse("members:search"), {"org": "99999999999"})
    assert bad_org.status_code == 400 and 'data-testid="error-org"' in bad_org.content.decode()
    assert client.get(reverse("members:search"), {"org": world.other_commune.pk}).status_code == 404
    # the live results (HTMX) carry the suggestions too
    assert 'data-testid="suggestions"' in client.get(reverse("members:search"), {"q": "hugn"}, headers={"HX-Request": "true"}).content.decode()
