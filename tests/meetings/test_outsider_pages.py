"""The outsider against the meetings of "Chi bộ thôn Trung Sơn": what the URL matrix does not say.

Which persona may GET and POST each meetings URL is decided in one table, tests/test_access_matrix.py,
built from the URL resolver. Here: a refused page is byte for byte a missing one, and the offline
check-in sync refuses each tap out of scope.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.meetings.models import (
    Attendance,
    Meeting,
    MeetingStatus,
)
from tests.factories import World
from tests.meetings.factories import Scene, approved_scene


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scene(world: World) -> Scene:
    return approved_scene(world)


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
