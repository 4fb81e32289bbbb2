"""Every URL of chibo.meetings against the access policy, from a table that must name them all.

For one approved meeting of "Chi bộ thôn Trung Sơn" (with its resolution and a material):
- the outsider (staff of another commune) gets 404 on every page of that cell, its meetings and
  its commune, by GET and by POST alike;
- a member of the cell reads the view pages (200) and gets 404 on the management ones;
- the secretary reaches the management pages of the cell (the commune's own pages stay 404);
- the commune staff reach everything.
A URL added to chibo.meetings.urls without a line in POLICY fails the test, so the policy is decided.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
from chibo.meetings import urls as meeting_urls
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Material,
    Meeting,
    MeetingStatus,
    UpperAssignment,
)
from tests.factories import World
from tests.meetings.factories import make_term

PERSONAS = ("outsider", "member", "secretary", "staff")

# Who gets what. GET/POST: None = the method is not served (405 for everyone, in or out of scope).
VIEW = {"outsider": 404, "member": 200, "secretary": 200, "staff": 200}  # reading the cell's meetings
MANAGE = {"outsider": 404, "member": 404, "secretary": 200, "staff": 200}  # the secretary and staff above
COMMITTEE = {"outsider": 404, "member": 404, "secretary": 404, "staff": 200}  # the commune's own pages
OWN = {"outsider": 200, "member": 200, "secretary": 200, "staff": 200}  # one's own schedule and notifications
# A POST in scope reaches the view, which may refuse the (empty) form: anything but 404 and 5xx.
REACHED = "reached"
POST_VIEW = {"outsider": 404, "member": REACHED, "secretary": REACHED, "staff": REACHED}
POST_MANAGE = {"outsider": 404, "member": 404, "secretary": REACHED, "staff": REACHED}
POST_COMMITTEE = {"outsider": 404, "member": 404, "secretary": 404, "staff": REACHED}
POST_OWN = {"outsider": REACHED, "member": REACHED, "secretary": REACHED, "staff": REACHED}


@dataclass(frozen=True)
class Rule:
    get: dict[str, int] | None
    post: dict[str, int | str] | None
    org: str = "cell"  # which organisation an <int:org_id> is: "cell" or "commune"
    post_data: tuple[str, ...] = ()  # form fields to send, filled from the scene (see form_for)


POLICY: dict[str, Rule] = {
    # preparation (views_prep)
    "cell_meetings": Rule(VIEW, POST_MANAGE),
    "terms": Rule(VIEW, POST_MANAGE),
    "meeting_day": Rule(COMMITTEE, POST_COMMITTEE, org="commune"),
    "detail": Rule(VIEW, None),
    "edit": Rule(None, POST_MANAGE),
    "move": Rule(MANAGE, POST_MANAGE),
    "publish": Rule(MANAGE, POST_MANAGE),
    "agenda_add": Rule(None, POST_MANAGE),
    "agenda_item": Rule(None, POST_MANAGE),
    "material_upload": Rule(None, POST_MANAGE),
    "material_download": Rule(VIEW, None),
    "material_delete": Rule(None, POST_MANAGE),
    "comment_add": Rule(None, POST_VIEW),
    "upper_assign": Rule(COMMITTEE, POST_COMMITTEE, org="commune"),
    "upper_coverage": Rule(COMMITTEE, None, org="commune"),
    # Recording attendance of an assignment: only its attendee (the commune staff) reaches it.
    "my_schedule": Rule(OWN, {"outsider": 404, "member": 404, "secretary": 404, "staff": REACHED}, post_data=("assignment",)),
    "notifications": Rule(OWN, POST_OWN),
    # the meeting itself (views_record)
    "attendance": Rule(VIEW, None),
    "record_open": Rule(None, POST_MANAGE),
    "record_mark": Rule(None, POST_MANAGE),
    "record_guests": Rule(None, POST_MANAGE),
    "checkin": Rule(VIEW, POST_VIEW),
    "sync": Rule(None, POST_OWN),  # scoped per tap inside: see test_sync_refuses_taps_out_of_scope
    "minutes": Rule(VIEW, POST_MANAGE),
    "record_close": Rule(None, POST_MANAGE),
    "record_approve": Rule(None, POST_VIEW),  # the chair or minute-taker may be any member
    "resolution": Rule(VIEW, POST_MANAGE),
    "record_vote": Rule(None, POST_MANAGE),
    "correction": Rule(MANAGE, POST_MANAGE),
    "quality": Rule(VIEW, POST_MANAGE),
    # documents (views_docs)
    "minutes_pdf": Rule(VIEW, None),
    "minutes_docx": Rule(VIEW, None),
    "resolution_pdf": Rule(VIEW, None),
    "resolution_docx": Rule(VIEW, None),
    "book_pdf": Rule(VIEW, None),
    "book_docx": Rule(VIEW, None),
    # statistics (views_stats)
    "stats": Rule(VIEW, None),
    "stats_xlsx": Rule(VIEW, None),
    # the home page's lists (views_home): cells under a committee missing a step of the month
    "cells_missing": Rule(COMMITTEE, None, org="commune"),
}

ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Scene:
    meeting: Meeting
    item: AgendaItem
    material: Material
    assignment: UpperAssignment


@pytest.fixture
def scene(world: World) -> Scene:
    """One approved meeting of the cell, with an agenda item, a material and its resolution."""
    secretary = world.users["secretary"]
    starts = timezone.localtime(timezone.now() - dt.timedelta(days=2)).replace(hour=19, minute=30, second=0, microsecond=0)
    meeting = prep.meeting_create(actor=secretary, cell=world.cell, month=starts.date().replace(day=1), starts_at=starts)
    make_term(world.cell, starts_on=starts.date() - dt.timedelta(days=400), ends_on=starts.date() + dt.timedelta(days=400))  # numbers the resolution
    item = prep.agenda_add(actor=secretary, meeting=meeting, section="other", title="Bàn việc thu hoạch lúa")
    material = prep.material_add(actor=secretary, meeting=meeting, name="bao-cao.pdf", data=b"%PDF-1.4\n%%EOF\n")
    prep.meeting_publish(actor=secretary, meeting=meeting, now=starts - dt.timedelta(days=3))
    assignment = prep.upper_assign(actor=world.users["staff"], cell=world.cell, month=meeting.month, attendee=world.users["staff"])
    meeting = record.meeting_open(actor=secretary, meeting=meeting)
    for member in (world.member, world.secretary_member):
        record.attendance_mark(actor=secretary, meeting=meeting, member_id=member.pk, status="present")
    record.minutes_roles(actor=secretary, meeting=meeting, chair_id=world.secretary_member.pk, minute_taker_id=world.member.pk)
    record.resolution_save(actor=secretary, meeting=meeting, title="Nghị quyết tháng", items=["Thu hoạch lúa xong trước ngày 30."])
    record.votes_record(actor=secretary, meeting=meeting, votes={world.member.pk: "agree", world.secretary_member.pk: "agree"})
    record.meeting_close(actor=secretary, meeting=meeting)
    record.meeting_approve(actor=secretary, meeting=meeting, as_role="chair")
    meeting = record.meeting_approve(actor=world.users["member"], meeting=meeting, as_role="minute_taker")
    assert meeting.status == MeetingStatus.APPROVED
    return Scene(meeting=meeting, item=item, material=material, assignment=assignment)


def patterns() -> list[URLPattern]:
    return [p for p in meeting_urls.urlpatterns if isinstance(p, URLPattern)]


def url_for(pattern: URLPattern, world: World, scene: Scene) -> str:
    rule = POLICY[str(pattern.name)]
    values = {
        "meeting_id": scene.meeting.pk,
        "item_id": scene.item.pk,
        "material_id": scene.material.pk,
        "org_id": world.cell.pk if rule.org == "cell" else world.commune.pk,
        "year": scene.meeting.month.year,
    }
    kwargs = {}
    for converter, name in ARG.findall(str(pattern.pattern)):
        assert name in values and converter in ("", "int"), f"{pattern.name}: no test value for <{converter}:{name}>"
        kwargs[name] = values[name]
    return reverse(f"meetings:{pattern.name}", kwargs=kwargs)


def form_for(rule: Rule, scene: Scene) -> dict[str, int]:
    values = {"assignment": scene.assignment.pk}
    return {name: values[name] for name in rule.post_data}


def check(expected: int | str, status: int, where: str) -> None:
    if expected == REACHED:
        assert status != 404 and status < 500, where
    else:
        assert status == expected, where


def test_every_meetings_url_has_a_rule() -> None:
    names = [str(p.name) for p in patterns()]
    assert len(names) == len(set(names)), "two meeting URLs share a name"
    missing = sorted(set(names) - set(POLICY))
    assert not missing, f"meeting URLs without an access rule in tests/meetings/test_outsider_pages.py POLICY: {missing}"
    assert not set(POLICY) - set(names), f"rules for URLs that no longer exist: {sorted(set(POLICY) - set(names))}"
    assert all(p.name for p in meeting_urls.urlpatterns), "every meeting URL needs a name"


def test_every_meetings_url_answers_each_persona_by_the_policy(world: World, scene: Scene) -> None:
    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        clients[persona].force_login(world.users[persona])
    assert {p.name for p in patterns()} <= set(POLICY)
    checked = 0
    for pattern in patterns():
        rule = POLICY[str(pattern.name)]
        url = url_for(pattern, world, scene)
        for persona in PERSONAS:
            client = clients[persona]
            status = client.get(url).status_code
            check(rule.get[persona] if rule.get else 405, status, f"GET {url} as {persona}: {status}")
            if rule.post is not None:
                status = client.post(url, form_for(rule, scene)).status_code
                check(rule.post[persona], status, f"POST {url} as {persona}: {status}")
            checked += 1
    assert checked == len(POLICY) * len(PERSONAS)
    # Nothing the outsider or the member posted changed the approved meeting.
    scene.meeting.refresh_from_db()
    assert scene.meeting.status == MeetingStatus.APPROVED
    assert Material.objects.filter(pk=scene.material.pk).exists()
    assert AgendaItem.objects.filter(pk=scene.item.pk, title="Bàn việc thu hoạch lúa").exists()


def unmasked(html: bytes) -> bytes:
    """The page without its CSRF tokens, which are masked afresh on every response."""
    return re.sub(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", html)


def test_the_outsider_cannot_tell_a_meeting_from_a_missing_one(world: World, scene: Scene) -> None:
    client = Client()
    client.force_login(world.users["outsider"])
    missing = Meeting.objects.order_by("-pk").first().pk + 1000
    for name in ("detail", "attendance", "minutes", "resolution", "checkin", "correction", "quality", "minutes_pdf", "resolution_pdf"):
        real_url, gone_url = reverse(f"meetings:{name}", args=[scene.meeting.pk]), reverse(f"meetings:{name}", args=[missing])
        real, gone = client.get(real_url), client.get(gone_url)
        assert real.status_code == gone.status_code == 404, name
        # Byte for byte the same page, once the path itself (the language form's "next") is left out.
        assert unmasked(real.content).replace(real_url.encode(), b"") == unmasked(gone.content).replace(gone_url.encode(), b""), name


def test_sync_refuses_taps_out_of_scope(world: World, scene: Scene) -> None:
    Meeting.objects.filter(pk=scene.meeting.pk).update(status=MeetingStatus.OPEN)  # taps only count while open
    client = Client()
    client.force_login(world.users["outsider"])
    tap = {"client_id": str(uuid.uuid4()), "meeting": scene.meeting.pk, "member": world.member.pk, "status": "unexcused", "at": timezone.now().isoformat()}
    response = client.post(reverse("meetings:sync"), data=[tap], content_type="application/json")
    assert response.status_code == 200
    assert response.json()["results"] == [{"client_id": tap["client_id"], "outcome": "not_found", "message": "Không tìm thấy cuộc họp."}]
    assert Attendance.objects.get(meeting=scene.meeting, member=world.member).status == "present"
