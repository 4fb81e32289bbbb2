"""The minutes record the chi ủy's checks of assigned tasks made at the meeting (PDF and DOCX)."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone

from chibo.core.dates import today
from chibo.meetings.documents import minutes_document
from chibo.meetings.models import MeetingStatus
from chibo.tasks import services
from chibo.tasks.models import TaskStatus
from tests.meetings.factories import make_meeting
from tests.meetings.test_docs_documents import _flat, check_pdf
from tests.tasks.factories import make_task


def test_the_minutes_list_the_checks_made_at_the_meeting(world, client_for):
    meeting = make_meeting(world.cell, month=today().replace(day=1), day=1, status=MeetingStatus.OPEN, opened_at=timezone.now())
    road = make_task(world, title="Vận động hiến đất làm đường")
    rice = make_task(world, title="Thu hoạch lúa")
    secretary = world.users["secretary"]
    services.check_record(actor=secretary, task=road, meeting=meeting, outcome="behind", note="Còn 2 hộ chưa đồng ý")
    services.check_record(actor=secretary, task=rice, meeting=meeting, outcome="on_track")
    services.task_close(actor=secretary, task=rice, status=TaskStatus.DONE, meeting=meeting)
    untouched = make_meeting(world.cell, month=today().replace(day=1), day=2, kind="thematic", topic="Chuyên đề")
    expected = "Vận động hiến đất làm đường: chậm tiến độ (Còn 2 hộ chưa đồng ý); Thu hoạch lúa: đúng tiến độ — hoàn thành."
    blocks = [b for b in minutes_document(meeting).blocks if b.label.startswith("Kiểm tra việc thực hiện nhiệm vụ")]
    assert len(blocks) == 1 and blocks[0].text == expected
    assert not [b for b in minutes_document(untouched).blocks if b.label.startswith("Kiểm tra việc thực hiện nhiệm vụ")]
    response = client_for("member").get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    text = _flat(check_pdf(response.content))
    assert "Kiểm tra việc thực hiện nhiệm vụ được giao:" in text and "Còn 2 hộ chưa đồng ý" in text and "Thu hoạch lúa: đúng tiến độ — hoàn thành." in text
    docx = client_for("member").get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    from docx import Document

    paragraphs = " ".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Vận động hiến đất làm đường: chậm tiến độ" in paragraphs
