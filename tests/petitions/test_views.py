"""Petition pages: forms, refusals, the resident's identity, the meeting page, pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.meetings.models import MeetingStatus, UpperAssignment
from chibo.petitions import services
from chibo.petitions.models import Petition, RaisedVia, Status
from tests.factories import World
from tests.meetings.factories import make_meeting
from tests.petitions.factories import at_commune, raise_petition

pytestmark = pytest.mark.django_db

# Queries of each list page, whatever the number of petitions: session, user, grants, the petitions, their names.
PINNED = {"petitions:inbox": 5, "petitions:cell": 7, "petitions:mine": 6}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("persona", "url_name", "args"), [("staff", "petitions:inbox", []), ("secretary", "petitions:cell", ["cell"]), ("member", "petitions:mine", [])])
def test_list_pages_have_a_fixed_number_of_queries(world: World, client_for, persona: str, url_name: str, args: list[str]) -> None:
    at_commune(world)
    url = reverse(url_name, args=[getattr(world, a).pk for a in args])
    client = client_for(persona)
    one = _count(client, url)
    for i in range(4):
        at_commune(world, title=f"Kiến nghị {i}")
    assert _count(client, url) == one
    assert one == PINNED[url_name], one


def test_inbox_lists_only_what_my_organisation_holds_overdue_first(world: World, client_for) -> None:
    first = at_commune(world, title="Đường liên thôn")
    second = at_commune(world, title="Nước sạch")
    Petition.objects.filter(pk=second.pk).update(deadline=first.deadline.replace(year=first.deadline.year - 1))
    body = client_for("staff").get(reverse("petitions:inbox")).content.decode()
    assert body.index("Nước sạch") < body.index("Đường liên thôn") and "quá hạn" in body
    assert "Nước sạch" not in client_for("province").get(reverse("petitions:inbox")).content.decode()
    assert "Nước sạch" not in client_for("outsider").get(reverse("petitions:inbox")).content.decode()


@pytest.mark.parametrize(("persona", "shown"), [("secretary", True), ("staff", True), ("admin", True), ("member", False), ("province", False)])
def test_resident_identity_on_the_detail_page(world: World, client_for, persona: str, shown: bool) -> None:
    petition = at_commune(world, actor=world.users["secretary"], raised_by=world.secretary_member)
    body = client_for(persona).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert ("Lê Văn Dân" in body) is shown and ("0912345678" in body) is shown


def test_the_outsider_gets_404_like_a_missing_petition(world: World, client_for) -> None:
    petition = at_commune(world)
    client = client_for("outsider")
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404
    assert client.post(reverse("petitions:answer", args=[petition.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("petitions:cell", args=[world.cell.pk])).status_code == 404


def test_an_answer_posted_by_the_province_is_404_and_changes_nothing(world: World, client_for) -> None:
    petition = at_commune(world)
    response = client_for("province").post(reverse("petitions:answer", args=[petition.pk]), {"text": "Tỉnh trả lời."})
    assert response.status_code == 404
    assert Petition.objects.get(pk=petition.pk).status == Status.AT_LEVEL


def test_send_to_a_committee_not_above_is_a_form_error(world: World, client_for) -> None:
    petition = raise_petition(world)
    response = client_for("secretary").post(reverse("petitions:send", args=[petition.pk]), {"to_org": world.other_commune.pk})
    assert response.status_code == 400
    assert "data-testid=\"error-to_org\"" in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == Status.OPEN
    response = client_for("secretary").post(reverse("petitions:send", args=[petition.pk]), {})
    assert response.status_code == 400 and "Hãy chọn cấp ủy cấp trên" in response.content.decode()


def test_the_whole_loop_through_the_pages(world: World, client_for) -> None:
    petition = raise_petition(world)
    secretary, staff, province = client_for("secretary"), client_for("staff"), client_for("province")
    assert secretary.post(reverse("petitions:send", args=[petition.pk]), {"to_org": world.commune.pk}).status_code == 302
    bad = staff.post(reverse("petitions:forward", args=[petition.pk]), {"to_org": world.other_commune.pk})
    assert bad.status_code == 400
    assert staff.post(reverse("petitions:forward", args=[petition.pk]), {"to_org": world.province.pk, "note": "Vượt thẩm quyền."}).status_code == 302
    assert staff.post(reverse("petitions:answer", args=[petition.pk]), {"text": "x"}).status_code == 404  # no longer held by the commune
    assert province.post(reverse("petitions:answer", args=[petition.pk]), {"text": ""}).status_code == 400
    assert province.post(reverse("petitions:answer", args=[petition.pk]), {"text": "Tỉnh đã bố trí vốn."}).status_code == 302
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    page = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Tỉnh đã bố trí vốn." in page and 'data-testid="read-out"' in page
    assert "Tỉnh đã bố trí vốn." in client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    response = secretary.post(reverse("petitions:read_out", args=[petition.pk]), {"meeting": meeting.pk})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    petition.refresh_from_db()
    assert petition.read_out_meeting_id == meeting.pk
    assert secretary.post(reverse("petitions:close", args=[petition.pk]), {"note": ""}).status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == Status.CLOSED


def test_read_out_at_a_meeting_of_another_cell_is_404(world: World, client_for) -> None:
    petition = at_commune(world)
    services.petition_answer(actor=world.users["staff"], petition=petition, text="Trả lời.")
    other = make_meeting(world.other_cell, status=MeetingStatus.PUBLISHED)
    assert client_for("secretary").post(reverse("petitions:read_out", args=[petition.pk]), {"meeting": other.pk}).status_code == 404
    assert Petition.objects.get(pk=petition.pk).read_out_at is None


def test_member_raises_from_the_phone_page(world: World, client_for) -> None:
    client = client_for("member")
    response = client.post(reverse("petitions:raise"), {"category": "", "title": "", "text": "", "resident_phone": "0" * 21})
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("category", "title", "text", "resident_phone"):
        assert f'data-testid="error-{field}"' in body
    assert not Petition.objects.exists()
    response = client.post(reverse("petitions:raise"), {"category": "environment", "title": "Rác thải", "text": "Bãi rác tự phát ven suối."})
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert (petition.raised_via, petition.raised_by_id, petition.org_id) == (RaisedVia.APP, world.member.pk, world.cell.pk)
    assert "Rác thải" in client.get(reverse("petitions:mine")).content.decode()


def test_secretary_records_petitions_raised_at_a_meeting(world: World, client_for) -> None:
    meeting = make_meeting(world.cell, status=MeetingStatus.PUBLISHED)
    url = reverse("petitions:at_meeting", args=[meeting.pk])
    client = client_for("secretary")
    response = client.post(url, {"category": "land", "title": "Đất", "text": "Tranh chấp ranh giới."})
    assert response.status_code == 400 and 'data-testid="error-raised_by_name"' in response.content.decode()
    assert client.post(url, {"raised_by": world.member.pk, "category": "land", "title": "Đất", "text": "Tranh chấp."}).status_code == 302
    assert client.post(url, {"raised_by_name": "Bà Lê Thị Mai (người dân)", "category": "other", "title": "Đèn đường", "text": "Thiếu đèn."}).status_code == 302
    assert list(Petition.objects.filter(meeting=meeting).values_list("raised_via", flat=True)) == ["meeting", "meeting"]
    assert client_for("member").post(url, {"raised_by_name": "X", "category": "other", "title": "T", "text": "T"}).status_code == 404


def test_upper_attendee_adds_a_petition(world: World, client_for) -> None:
    assignment = UpperAssignment.objects.create(cell=world.cell, month=make_meeting(world.cell).month, attendee=world.users["staff"])
    url = reverse("petitions:at_upper", args=[assignment.pk])
    assert client_for("province").get(url).status_code == 404
    response = client_for("staff").post(url, {"category": "social_policy", "title": "Hộ nghèo", "text": "Rà soát hộ nghèo.", "raised_by_name": ""})
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.raised_via == RaisedVia.UPPER and petition.raised_by_name == str(world.users["staff"])
