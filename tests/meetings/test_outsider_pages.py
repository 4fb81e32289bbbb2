"""The outsider against the meetings of "Chi bộ thôn Trung Sơn": what the URL matrix does not say.

Which persona may GET and POST each meetings URL is decided in one table, tests/test_access_matrix.py,
built from the URL resolver. Here: a refused page is byte for byte a missing one, and the offline
check-in sync refuses each tap out of scope.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import services_prep as prep
from chibo.meetings import services_record as record
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
