"""Vietnamese first, English second: the switch, translated pages and errors, and a complete catalogue.

The catalogue is chibo/locale/en/LC_MESSAGES/django.po, refreshed and compiled by scripts/i18n.sh.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# %(name)s / %s (python-format) and {name} (python-brace-format) placeholders.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_]\w*\}")


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # LocaleMiddleware activates the request's language for the thread; do not leak English.
    yield
    translation.deactivate()


def switch_to_english(client, next_url: str = "/"):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == next_url
    return response


def page_text(response) -> str:
    return response.content.decode()


# -- the pages ------------------------------------------------------------------------------


def test_default_language_is_vietnamese(world, client_for):
    response = client_for("secretary").get(f"/org/{world.cell.pk}/")
    assert response.status_code == 200
    html = page_text(response)
    assert '<html lang="vi">' in html
    assert ">Tổ chức</a>" in html  # the main navigation
    assert "Đảng viên (" in html  # the member list heading
    assert "Đăng xuất" in html
    assert "Party members" not in html
    assert 'data-testid="lang-en">English</button>' in html  # the switch offers English


def test_switching_to_english_translates_the_same_page(world, client_for):
    client = client_for("secretary")
    url = f"/org/{world.cell.pk}/"
    switch_to_english(client, url)
    response = client.get(url)
    assert response.status_code == 200
    html = page_text(response)
    assert '<html lang="en">' in html
    assert ">Organisations</a>" in html
    assert "Party members (" in html
    assert "Log out" in html
    assert "Cell leadership" in html and ">Secretary<" in html
    assert 'data-testid="lang-vi">Tiếng Việt</button>' in html  # and back again
    assert "Đăng xuất" not in html and "Đảng viên (" not in html
    # Data is data: names of organisations and people stay as they are.
    assert "Chi bộ thôn Trung Sơn" in html and "Nguyễn Văn Hùng" in html


def test_english_choice_sticks_and_can_be_undone(world, client_for):
    client = client_for("member")
    switch_to_english(client)
    response = client.get(f"/members/{world.member.pk}/")  # the member's own profile
    html = page_text(response)
    assert '<html lang="en">' in html
    assert "My profile" in html and "Date of admission" in html
    response = client.post("/i18n/setlang/", {"language": "vi", "next": f"/members/{world.member.pk}/"}, follow=True)
    html = page_text(response)
    assert '<html lang="vi">' in html
    assert "Hồ sơ của tôi" in html and "Ngày vào Đảng" in html


def test_plural_strings_in_english(world, client_for):
    client = client_for("secretary")
    switch_to_english(client)
    html = page_text(client.get("/members/", {"org": world.cell.pk}))
    assert "2 party members" in html  # the cell has two members
    with translation.override("en"):
        assert (
            translation.ngettext("%(n)s đảng viên", "%(n)s đảng viên", 1) % {"n": 1}
            == "1 party member"
        )
        assert (
            translation.ngettext("%(n)s đảng viên", "%(n)s đảng viên", 5) % {"n": 5}
            == "5 party members"
        )


def test_chibo_error_message_in_english(world, client_for):
    client = client_for("secretary")
    good = {
        "surname": "Hoàng",
        "middle_name": "Văn",
        "given_name": "Nam",
        "sex": "male",
        "date_of_birth": "12/03/1988",
        "admitted_on": "01/09/2012",
        "official_on": "01/09/2013",
    }
    url = f"/members/new/?org={world.cell.pk}"

    response = client.post(url, {**good, "citizen_id": "12345"})
    assert response.status_code == 400
    assert "Số căn cước phải có đúng 12 chữ số (đang có 5)." in page_text(response)

    switch_to_english(client, url)
    response = client.post(url, {**good, "citizen_id": "12345"})
    assert response.status_code == 400
    html = page_text(response)
    assert "The citizen ID number must have exactly 12 digits (it has 5)." in html
    assert "Add a party member" in html and '<html lang="en">' in html
    assert "Số căn cước phải có" not in html

    response = client.post(url, {**good, "date_of_birth": "1988-13-45", "citizen_id": "x"})
    assert response.status_code == 400
    assert "45/13/1988 is not a real date." in page_text(response)


def test_api_errors_follow_accept_language(world, client_for):
    client = client_for("secretary")
    response = client.get("/api/v1/members/999999999/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


# -- the catalogue --------------------------------------------------------------------------


def entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_catalogue_header():
    po = polib.pofile(str(PO))
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not po.metadata_is_fuzzy


def test_every_string_is_translated_and_none_is_fuzzy():
    all_entries = entries()
    assert len(all_entries) > 300
    fuzzy = [e.msgid for e in all_entries if "fuzzy" in e.flags]
    assert fuzzy == [], f"fuzzy entries in {PO}: {fuzzy}"
    untranslated = [
        e.msgid
        for e in all_entries
        if (e.msgid_plural and not all(e.msgstr_plural.get(i, "").strip() for i in (0, 1)))
        or (not e.msgid_plural and not e.msgstr.strip())
    ]
    assert untranslated == [], f"run scripts/i18n.sh and translate these in {PO}: {untranslated}"


def test_placeholders_survive_translation():
    def names(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    wrong = []
    for e in entries():
        if e.msgid_plural:
            for i, text in e.msgstr_plural.items():
                source = e.msgid if i == 0 else e.msgid_plural
                if names(text) != names(source):
                    wrong.append((e.msgid, i, text))
        elif names(e.msgstr) != names(e.msgid):
            wrong.append((e.msgid, e.msgstr))
    assert wrong == []


def test_plural_entries_have_english_singular_and_plural():
    plurals = [e for e in entries() if e.msgid_plural]
    assert plurals
    for e in plurals:
        assert set(e.msgstr_plural) == {0, 1}
        assert e.msgstr_plural[0] != e.msgstr_plural[1], e.msgid


def test_compiled_catalogue_matches_the_po():
    """The committed .mo is what users get: it must hold exactly the .po's translations."""
    assert MO.exists(), "run scripts/i18n.sh"
    po = {(e.msgid, e.msgid_plural): (e.msgstr, dict(e.msgstr_plural)) for e in entries()}
    mo = {
        (e.msgid, e.msgid_plural): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in polib.mofile(str(MO))
        if e.msgid  # the header
    }
    assert mo == po, "the .mo is stale: run scripts/i18n.sh"


def test_gettext_uses_the_catalogue():
    with translation.override("en"):
        assert translation.gettext("Chi bộ") == "Party cell"
        assert translation.gettext("Đảng viên") == "Party members"
        assert translation.gettext("Dự bị") == "Probationary"
    with translation.override("vi"):
        assert translation.gettext("Chi bộ") == "Chi bộ"
