"""The page frame (chibo/base.html): a favicon served by chibo, and one menu holding the links,
the language switch and logout, so a phone's first line is the brand and the menu button only."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_every_page_links_a_favicon_that_chibo_serves_itself(world, client_for):
    html = client_for("member").get(reverse("members:detail", args=[world.member.pk]), follow=True).content.decode()
    links = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', html)
    assert sorted(links) == ["chibo/apple-touch-icon.png", "chibo/favicon-32.png", "chibo/favicon.svg"]
    for path in [*links, "chibo/favicon.ico"]:
        assert finders.find(path), path
    with open(finders.find("chibo/favicon-32.png"), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_menu_holds_the_links_the_language_switch_and_logout(world, client_for):
    html = client_for("admin").get(reverse("accounts:users")).content.decode()
    header = html[html.index('<header class="topbar">') : html.index("</header>")]
    menu = header[header.index('<details class="menu" id="menu">') :]
    assert 'class="brand"' in header[: header.index("<details")]  # only the brand before the menu
    for url in (reverse("orgs:tree_root"), reverse("meetings:my_schedule"), reverse("meetings:notifications"), reverse("accounts:users")):
        assert f'href="{url}"' in menu
    assert 'data-testid="lang-en"' in menu and reverse("accounts:logout") in menu


def test_a_member_menu_has_no_search_or_accounts(world, client_for):
    html = client_for("member").get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert f'href="{reverse("members:search")}"' not in html and f'href="{reverse("accounts:users")}"' not in html
    assert f'href="{reverse("members:detail", args=[world.member.pk])}"' in html
