"""Pages of meeting preparation, for every persona: member, secretary, staff, province, admin, outsider."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import services_prep as services
from chibo.meetings.models import (
    AgendaItem,
    Comment,
    Meeting,
    MeetingDay,
    MeetingStatus,
    Notification,
)
from chibo.meetings.selectors_prep import add_months, month_start
from tests.factories import World


def future_month(n: int = 2) -> dt.date:
    return add_months(month_start(timezone.localdate()), n)


@pytest.fixture
def meeting(world: World) -> Meeting:
    return services.meeting_create(actor=None, cell=world.cell, month=future_month(), place="Nhà văn hóa thôn Trung Sơn")


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


READERS = ["member", "secretary", "staff", "province", "admin"]


# Cell meeting list -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_cell_meeting_list_opens_for_everyone_in_scope(world: World, client_for, meeting: Meeting, persona: str) -> None:
    response = client_for(persona).get(reverse("meetings:cell_meetings", args=[world.cell.pk]))
    assert response.status_code == 200
    assert reverse("meetings:detail", args=[meeting.pk]) in response.content.decode()


def test_the_cell_meeting_list_is_a_404_for_an_outsider_and_for_a_committee(world: World, client_for) -> None:
    assert client_for("outsider").get(reverse("meetings:cell_meetings", args=[world.cell.pk])).status_code == 404
    assert client_for("staff").get(reverse("meetings:cell_meetings", args=[world.commune.pk])).status_code == 404


def test_only_managers_see_the_new_meeting_form(world: World, client_for) -> None:
    url = reverse("meetings:cell_meetings", args=[world.cell.pk])
    assert 'data-testid="new-meeting"' not in client_for("member").get(url).content.decode()
    assert 'data-testid="new-meeting"' in client_for("secretary").get(url).content.decode()


def test_a_member_cannot_create_a_meeting_but_the_secretary_can(world: World, client_for) -> None:
    url = reverse("meetings:cell_meetings", args=[world.cell.pk])
    data = {"month": future_month().strftime("%m/%Y"), "kind": "regular", "place": "Nhà văn hóa"}
    assert client_for("member").post(url, data).status_code == 404
    assert not Meeting.objects.exists()
    response = client_for("secretary").post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.agenda.count() >= 8


def test_a_second_regular_meeting_through_the_page_shows_the_message(world: World, client_for, meeting: Meeting) -> None:
    response = client_for("secretary").post(reverse("meetings:cell_meetings", args=[world.cell.pk]), {"month": meeting.month.strftime("%m/%Y"), "kind": "regular"})
    assert response.status_code == 400
    assert "Mỗi tháng chỉ có một cuộc sinh hoạt thường kỳ" in response.content.decode()


def test_a_meeting_with_a_typed_date_and_time(world: World, client_for) -> None:
    month = future_month()
    response = client_for("secretary").post(reverse("meetings:cell_meetings", args=[world.cell.pk]), {"month": month.strftime("%m/%Y"), "kind": "regular", "date": f"12/{month:%m/%Y}", "time": "08:00"})
    assert response.status_code == 302
    starts = timezone.localtime(Meeting.objects.get().starts_at)
    assert (starts.day, starts.hour, starts.minute) == (12, 8, 0)


@pytest.mark.parametrize(("data", "message"), [({"month": "2026/10"}, "mm/yyyy"), ({"month": "10/2026", "date": "31/02/2026", "time": "19:30"}, "dd/mm/yyyy"), ({"month": "10/2026", "date": "03/10/2026", "time": "25:00"}, "hh:mm")])
def test_bad_input_on_the_new_meeting_form_is_a_400_with_a_message(world: World, client_for, data: dict[str, str], message: str) -> None:
    response = client_for("secretary").post(reverse("meetings:cell_meetings", args=[world.cell.pk]), {"kind": "regular", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_cell_meeting_list_query_count_is_pinned(world: World, client_for, django_assert_max_num_queries) -> None:
    for n in range(1, 7):
        services.meeting_create(actor=None, cell=world.cell, month=add_months(future_month(), n))
    client = client_for("secretary")
    with django_assert_max_num_queries(9):
        assert client.get(reverse("meetings:cell_meetings", args=[world.cell.pk])).status_code == 200


def test_the_meeting_page_query_count_does_not_grow_with_comments_and_materials(world: World, client_for, meeting: Meeting, django_assert_max_num_queries, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    items = list(meeting.agenda.all())
    for n, item in enumerate(items):
        services.comment_add(actor=world.users["member"], meeting=meeting, text=f"Góp ý {n}", agenda_item=item)
        services.material_add(actor=None, meeting=meeting, name=f"tl{n}.pdf", data=b"%PDF-1.4 " + bytes([n]))
    client = client_for("secretary")
    with django_assert_max_num_queries(15 + 1 + 1):  # + the petitions part (answers to read out), + the review's open tasks
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.content.decode().count("Góp ý ") >= len(items)


def test_the_cell_page_links_to_its_meetings(world: World, client_for) -> None:
    page = client_for("member").get(reverse("orgs:detail", args=[world.cell.pk])).content.decode()
    assert reverse("meetings:cell_meetings", args=[world.cell.pk]) in page


# Meeting day -------------------------------------------------------------------------------


def test_the_meeting_day_form_is_for_committee_staff(world: World, client_for) -> None:
    url = reverse("meetings:meeting_day", args=[world.commune.pk])
    for persona in ("member", "secretary", "outsider"):
        assert client_for(persona).get(url).status_code == 404
    assert client_for("staff").get(url).status_code == 200
    response = client_for("staff").post(url, {"day_of_month": "5", "time": "19:00", "note": "Theo nghị quyết đảng ủy"})
    assert response.status_code == 302
    rule = MeetingDay.objects.get(org=world.commune)
    assert rule.day_of_month == 5 and rule.time == dt.time(19, 0)
    response = client_for("staff").post(url, {"day_of_month": "30", "time": "19:00"})
    assert response.status_code == 400 and "1 đến 28" in response.content.decode()


def test_a_cell_shows_the_rule_it_inherits(world: World, client_for) -> None:
    services.meeting_day_set(actor=None, org=world.commune, day_of_month=6, time=dt.time(20, 0))
    page = client_for("staff").get(reverse("meetings:meeting_day", args=[world.cell.pk])).content.decode()
    assert "Đảng bộ xã Quảng Tân" in page


# Detail ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_meeting_page_opens_for_everyone_in_scope(world: World, client_for, meeting: Meeting, persona: str) -> None:
    response = client_for(persona).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhà văn hóa thôn Trung Sơn" in page
    assert "Phần mở đầu" in page


def test_the_meeting_page_is_a_404_for_an_outsider_and_for_a_missing_meeting(world: World, client_for, meeting: Meeting) -> None:
    assert client_for("outsider").get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk + 999])).status_code == 404


def test_the_secretary_sees_the_editing_forms_and_history_and_a_member_does_not(world: World, client_for, meeting: Meeting) -> None:
    secretary = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    member = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for marker in ('data-testid="agenda-add"', 'data-testid="draft-form"', 'data-testid="upload"', 'data-testid="publish"', 'data-testid="audit"'):
        assert marker in secretary
        assert marker not in member
    assert 'data-testid="comment-form"' in member
    assert "Tạo Sinh hoạt thường kỳ" in secretary  # the audit history of the meeting


def test_the_meeting_page_includes_the_record_and_document_links(world: World, client_for, meeting: Meeting) -> None:
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "docs-links" in page


def test_the_secretary_saves_the_draft_resolution_and_a_member_cannot(world: World, client_for, meeting: Meeting) -> None:
    url = reverse("meetings:edit", args=[meeting.pk])
    assert client_for("member").post(url, {"place": "x", "topic": "", "draft_resolution": "y"}).status_code == 404
    assert client_for("secretary").post(url, {"place": "Hội trường", "topic": "", "draft_resolution": "Nghị quyết tháng"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.draft_resolution == "Nghị quyết tháng"
    assert client_for("outsider").post(url, {"place": "x"}).status_code == 404


def test_moving_needs_a_reason_on_the_page(world: World, client_for, meeting: Meeting) -> None:
    url = reverse("meetings:move", args=[meeting.pk])
    new_date = f"09/{meeting.month:%m/%Y}"
    assert client_for("member").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("secretary").get(url).status_code == 200
    response = client_for("secretary").post(url, {"date": new_date, "time": "19:30", "reason": ""})
    assert response.status_code == 400 and "lý do" in response.content.decode()
    assert client_for("secretary").post(url, {"date": new_date, "time": "19:30", "reason": "Trùng lễ hội"}).status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).day == 9


# Publication -------------------------------------------------------------------------------


def test_publishing_late_warns_before_confirming(world: World, client_for) -> None:
    soon = timezone.now() + dt.timedelta(hours=3)
    meeting = services.meeting_create(actor=None, cell=world.cell, month=month_start(timezone.localdate(soon)), starts_at=soon)
    url = reverse("meetings:publish", args=[meeting.pk])
    page = client_for("secretary").get(url).content.decode()
    assert 'data-testid="late-warning"' in page and "42-HD/BTCTW" in page
    assert client_for("secretary").post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_late
    assert 'data-testid="published-late"' in client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_publishing_in_time_has_no_warning_and_notifies(world: World, client_for, meeting: Meeting, django_capture_on_commit_callbacks) -> None:
    world.member.email = "hong@example.vn"
    world.member.save()
    url = reverse("meetings:publish", args=[meeting.pk])
    assert 'data-testid="late-warning"' not in client_for("secretary").get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("secretary").post(url).status_code == 302
    assert Notification.objects.filter(user=world.users["member"], meeting=meeting).exists()
    assert [m.to for m in mail.outbox] == [["hong@example.vn"]]


def test_a_member_cannot_publish(world: World, client_for, meeting: Meeting) -> None:
    url = reverse("meetings:publish", args=[meeting.pk])
    assert client_for("member").get(url).status_code == 404
    assert client_for("member").post(url).status_code == 404
    assert client_for("outsider").post(url).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


# Agenda (HTMX) -----------------------------------------------------------------------------


def test_the_secretary_edits_the_agenda_with_htmx(world: World, client_for, meeting: Meeting) -> None:
    client = client_for("secretary")
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"section": "other", "title": "Xét kết nạp quần chúng"}, **htmx)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="agenda"') and "Xét kết nạp quần chúng" in body
    item = AgendaItem.objects.get(meeting=meeting, title="Xét kết nạp quần chúng")
    url = reverse("meetings:agenda_item", args=[meeting.pk, item.pk])
    assert client.post(url, {"op": "up"}, **htmx).status_code == 200
    assert client.post(url, {"op": "save", "section": "discussion", "title": "Xét kết nạp", "details": ""}, **htmx).status_code == 200
    item.refresh_from_db()
    assert item.title == "Xét kết nạp" and item.position == meeting.agenda.count() - 1
    response = client.post(url, {"op": "save", "section": "discussion", "title": ""}, **htmx)
    assert response.status_code == 400 and 'data-testid="agenda-error"' in response.content.decode()
    assert client.post(url, {"op": "delete"}, **htmx).status_code == 200
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_without_htmx_agenda_edits_redirect_to_the_meeting(world: World, client_for, meeting: Meeting) -> None:
    response = client_for("secretary").post(reverse("meetings:agenda_add", args=[meeting.pk]), {"section": "other", "title": "Khác"})
    assert response.status_code == 302


def test_a_member_and_an_outsider_cannot_edit_the_agenda(world: World, client_for, meeting: Meeting) -> None:
    item = meeting.agenda.first()
    assert item is not None
    for persona in ("member", "outsider"):
        client = client_for(persona)
        assert client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"section": "other", "title": "x"}).status_code == 404
        assert client.post(reverse("meetings:agenda_item", args=[meeting.pk, item.pk]), {"op": "delete"}).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_agenda_item_of_another_meeting_is_a_404(world: World, client_for, meeting: Meeting) -> None:
    other = services.meeting_create(actor=None, cell=world.cell2, month=future_month())
    item = other.agenda.first()
    assert item is not None
    assert client_for("secretary").post(reverse("meetings:agenda_item", args=[meeting.pk, item.pk]), {"op": "delete"}).status_code == 404


# Comments ----------------------------------------------------------------------------------


def test_a_member_comments_and_the_secretary_sees_comments_grouped_by_item(world: World, client_for, meeting: Meeting) -> None:
    item = meeting.agenda.order_by("position").last()
    assert item is not None
    url = reverse("meetings:comment_add", args=[meeting.pk])
    assert client_for("member").post(url, {"text": "Cần giao việc cụ thể hơn.", "agenda_item": item.pk}).status_code == 302
    assert client_for("member").post(url, {"text": "Đồng ý với dự thảo."}).status_code == 302
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Cần giao việc cụ thể hơn." in page and "Đồng ý với dự thảo." in page
    assert "Góp ý chung" in page and f"{item.position}. {item.title}" in page
    assert page.index("Góp ý chung") < page.index("Cần giao việc cụ thể hơn.")


def test_an_outsider_gets_a_404_when_commenting(world: World, client_for, meeting: Meeting) -> None:
    assert client_for("outsider").post(reverse("meetings:comment_add", args=[meeting.pk]), {"text": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_commenting_after_the_meeting_opened_is_refused_with_a_message(world: World, client_for, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.OPEN)
    response = client_for("member").post(reverse("meetings:comment_add", args=[meeting.pk]), {"text": "Muộn rồi"})
    assert response.status_code == 400
    assert "không nhận góp ý nữa" in response.content.decode()
    assert not Comment.objects.exists()


def test_staff_without_a_member_record_cannot_comment(world: World, client_for, meeting: Meeting) -> None:
    response = client_for("staff").post(reverse("meetings:comment_add", args=[meeting.pk]), {"text": "x"})
    assert response.status_code == 400 and "Chỉ đảng viên của chi bộ" in response.content.decode()


def test_a_member_sees_only_their_own_comments(world: World, client_for, meeting: Meeting) -> None:
    services.comment_add(actor=world.users["secretary"], meeting=meeting, text="Ý kiến của bí thư")
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Ý kiến của bí thư" not in page


# Notifications -----------------------------------------------------------------------------


def test_a_user_sees_and_marks_their_notifications(world: World, client_for, meeting: Meeting) -> None:
    services.meeting_publish(actor=None, meeting=meeting)
    client = client_for("member")
    page = client.get(reverse("meetings:notifications")).content.decode()
    assert "Thông báo" in page and 'data-testid="unread-count"' in page
    assert client.post(reverse("meetings:notifications")).status_code == 302
    assert not Notification.objects.filter(user=world.users["member"], read_at__isnull=True).exists()
    # someone else's notifications stay unread and are not listed
    assert Notification.objects.filter(user=world.users["secretary"], read_at__isnull=True).exists()
    assert "Nhà văn hóa" not in client_for("outsider").get(reverse("meetings:notifications")).content.decode()


def test_marking_someone_elses_notification_does_nothing(world: World, client_for, meeting: Meeting) -> None:
    services.meeting_publish(actor=None, meeting=meeting)
    theirs = Notification.objects.get(user=world.users["secretary"])
    client_for("member").post(reverse("meetings:notifications"), {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_notifications_page_query_count_is_pinned(world: World, client_for, django_assert_max_num_queries) -> None:
    for n in range(1, 6):
        services.meeting_publish(actor=None, meeting=services.meeting_create(actor=None, cell=world.cell, month=add_months(future_month(), n)))
    client = client_for("member")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("meetings:notifications")).status_code == 200


def test_pages_need_a_login(world: World, meeting: Meeting, client) -> None:
    for url in (reverse("meetings:detail", args=[meeting.pk]), reverse("meetings:notifications"), reverse("meetings:my_schedule"), reverse("meetings:cell_meetings", args=[world.cell.pk])):
        assert client.get(url).status_code == 302


# Forms: each part saves itself, errors under their fields, too-long input ------------------------


def test_the_details_and_the_draft_resolution_are_separate_forms(world: World, client_for, meeting: Meeting) -> None:
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    details = page[page.index('data-testid="details-form"'):]
    details = details[: details.index("</form>")]
    draft = page[page.index('data-testid="draft-form"'):]
    draft = draft[: draft.index("</form>")]
    assert 'name="place"' in details and 'name="topic"' in details and 'name="draft_resolution"' not in details
    assert 'name="draft_resolution"' in draft and 'name="place"' not in draft and 'name="topic"' not in draft


def test_saving_the_draft_keeps_the_place_and_saving_the_place_keeps_the_draft(world: World, client_for, meeting: Meeting) -> None:
    url = reverse("meetings:edit", args=[meeting.pk])
    client = client_for("secretary")
    assert client.post(url, {"draft_resolution": "Dự thảo nghị quyết tháng"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.draft_resolution) == ("Nhà văn hóa thôn Trung Sơn", "Dự thảo nghị quyết tháng")
    assert client.post(url, {"place": "Hội trường thôn", "topic": ""}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.draft_resolution) == ("Hội trường thôn", "Dự thảo nghị quyết tháng")


@pytest.mark.parametrize(("field", "limit"), [("place", 200), ("topic", 300)])
def test_a_too_long_detail_gets_the_forms_message_and_changes_nothing(world: World, client_for, meeting: Meeting, field: str, limit: int) -> None:
    response = client_for("secretary").post(reverse("meetings:edit", args=[meeting.pk]), {"place": "x", "topic": "", field: "x" * (limit + 1)})
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place == "Nhà văn hóa thôn Trung Sơn" and meeting.topic == ""


def test_a_thematic_meeting_without_a_topic_shows_the_error_under_the_topic(world: World, client_for) -> None:
    thematic = services.meeting_create(actor=None, cell=world.cell, month=future_month(), kind="thematic", topic="Học tập Nghị quyết")
    response = client_for("secretary").post(reverse("meetings:edit", args=[thematic.pk]), {"place": "x", "topic": ""})
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index('data-testid="error-topic"'):]
    assert error.index("Hãy nhập chủ đề sinh hoạt chuyên đề.") < error.index("</ul>")


def test_all_errors_of_the_new_meeting_form_at_once(world: World, client_for) -> None:
    response = client_for("secretary").post(
        reverse("meetings:cell_meetings", args=[world.cell.pk]),
        {"month": "13/2026", "kind": "nope", "date": "31/02/2026", "time": "25:00", "place": "x" * 201},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("month", "kind", "date", "time", "place"):
        assert f'data-testid="error-{field}"' in page, field
    assert "31/02/2026 không phải ngày có thật." in page
    assert not Meeting.objects.exists()


def test_a_date_without_a_time_is_refused_under_the_time(world: World, client_for) -> None:
    response = client_for("secretary").post(reverse("meetings:cell_meetings", args=[world.cell.pk]), {"month": future_month().strftime("%m/%Y"), "kind": "regular", "date": f"12/{future_month():%m/%Y}"})
    assert response.status_code == 400 and 'data-testid="error-time"' in response.content.decode()


def test_the_move_form_says_an_impossible_date_and_a_too_long_reason(world: World, client_for, meeting: Meeting) -> None:
    response = client_for("secretary").post(reverse("meetings:move", args=[meeting.pk]), {"date": "30/02/2027", "time": "19:30", "reason": "x" * 301})
    assert response.status_code == 400
    page = response.content.decode()
    assert "30/02/2027 không phải ngày có thật." in page and 'data-testid="error-reason"' in page


def test_a_too_long_comment_and_agenda_title_are_refused_by_the_form(world: World, client_for, meeting: Meeting) -> None:
    response = client_for("member").post(reverse("meetings:comment_add", args=[meeting.pk]), {"text": "x" * 5001})
    assert response.status_code == 400 and 'data-testid="error-text"' in response.content.decode()
    assert not Comment.objects.exists()
    response = client_for("secretary").post(reverse("meetings:agenda_add", args=[meeting.pk]), {"section": "other", "title": "x" * 301}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and 'data-testid="error-title"' in response.content.decode()
    assert not AgendaItem.objects.filter(title__startswith="xxx").exists()


def test_a_comment_on_an_item_of_another_meeting_is_refused(world: World, client_for, meeting: Meeting) -> None:
    other = services.meeting_create(actor=None, cell=world.cell2, month=future_month())
    item = other.agenda.first()
    assert item is not None
    response = client_for("member").post(reverse("meetings:comment_add", args=[meeting.pk]), {"text": "x", "agenda_item": item.pk})
    assert response.status_code == 400 and "Nội dung này không thuộc cuộc họp." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_meeting_day_form_puts_its_errors_under_the_fields(world: World, client_for) -> None:
    response = client_for("staff").post(reverse("meetings:meeting_day", args=[world.commune.pk]), {"day_of_month": "abc", "time": "7 giờ", "note": "x" * 201})
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("day_of_month", "time", "note"):
        assert f'data-testid="error-{field}"' in page
    assert not MeetingDay.objects.exists()


# Agenda confirmation and badges --------------------------------------------------------------


def test_an_agenda_edit_with_htmx_says_saved_on_its_row(world: World, client_for, meeting: Meeting) -> None:
    item = meeting.agenda.order_by("position").last()
    assert item is not None
    response = client_for("secretary").post(
        reverse("meetings:agenda_item", args=[meeting.pk, item.pk]), {"op": "save", "section": item.section, "title": "Kết luận hội nghị", "details": ""}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    row = body[body.index(f'id="agenda-item-{item.pk}"'):]
    row = row[: row.index("</li>")]
    assert "Kết luận hội nghị" in row and 'data-testid="agenda-saved"' in row and "Đã lưu" in row
    assert body.count('data-testid="agenda-saved"') == 1


def test_an_agenda_edit_without_htmx_gives_a_success_message(world: World, client_for, meeting: Meeting) -> None:
    client = client_for("secretary")
    response = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"section": "other", "title": "Xét kết nạp"}, follow=True)
    assert response.status_code == 200
    assert "Đã thêm nội dung: Xét kết nạp" in response.content.decode()


def test_a_refused_agenda_edit_keeps_the_input_under_its_field(world: World, client_for, meeting: Meeting) -> None:
    item = meeting.agenda.first()
    assert item is not None
    response = client_for("secretary").post(reverse("meetings:agenda_item", args=[meeting.pk, item.pk]), {"op": "save", "section": "bogus", "title": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-title"' in body and 'data-testid="error-section"' in body
    item.refresh_from_db()
    assert item.title == "Phần mở đầu"


def test_an_unknown_agenda_operation_is_a_400_not_a_500(world: World, client_for, meeting: Meeting) -> None:
    item = meeting.agenda.first()
    assert item is not None
    response = client_for("secretary").post(reverse("meetings:agenda_item", args=[meeting.pk, item.pk]), {"op": "explode"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Thao tác không hợp lệ." in response.content.decode()


def test_an_agenda_title_is_not_repeated_as_its_own_badge(world: World, client_for, meeting: Meeting) -> None:
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    agenda = page[page.index('id="agenda"'):]
    agenda = agenda[: agenda.index("</ol>")]
    assert "<b>Phần mở đầu</b>" in agenda
    assert '<span class="badge">Phần mở đầu</span>' not in agenda
    assert '<span class="badge">Tình hình tư tưởng đảng viên</span>' not in agenda
    # a section that differs from its title is still named
    assert "<b>Thảo luận, góp ý</b> <span class=\"badge\">Thảo luận</span>" in agenda


# Lateness on the meeting page ------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["published_late", "late_material", "late_move"])
def test_the_meeting_page_shows_which_lateness_applies(world: World, client_for, meeting: Meeting, flag: str) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.PUBLISHED, published_at=timezone.now(), **{flag: True})
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    testids = {"published_late": "published-late", "late_material": "late-material", "late_move": "late-move"}
    for other, testid in testids.items():
        assert (f'data-testid="{testid}"' in page) is (other == flag)
    assert 'data-testid="lateness"' in page


def test_an_on_time_meeting_shows_no_lateness(world: World, client_for, meeting: Meeting) -> None:
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="lateness"' not in page and 'data-testid="late-' not in page


# The yearly book is a cell's ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["meetings:book_pdf", "meetings:book_docx"])
def test_the_book_of_an_organisation_that_is_not_a_cell_is_a_404(world: World, client_for, name: str) -> None:
    year = timezone.localdate().year
    assert client_for("staff").get(reverse(name, args=[world.commune.pk, year])).status_code == 404
    assert client_for("province").get(reverse(name, args=[world.province.pk, year])).status_code == 404
    assert client_for("staff").get(reverse(name, args=[world.cell.pk, year])).status_code == 200


# A member's schedule shows their own cell ---------------------------------------------------------


def test_a_members_schedule_shows_their_cells_upcoming_and_recent_meetings(world: World, client_for, meeting: Meeting) -> None:
    past_month = add_months(month_start(timezone.localdate()), -1)
    past = services.meeting_create(actor=None, cell=world.cell, month=past_month, starts_at=timezone.now() - dt.timedelta(days=20))
    other = services.meeting_create(actor=None, cell=world.cell2, month=future_month())
    page = client_for("member").get(reverse("meetings:my_schedule")).content.decode()
    own = page[page.index('data-testid="own-meetings"'):]
    assert reverse("meetings:detail", args=[meeting.pk]) in own and reverse("meetings:detail", args=[past.pk]) in own
    assert own.index(reverse("meetings:detail", args=[meeting.pk])) < own.index(reverse("meetings:detail", args=[past.pk]))
    assert reverse("meetings:detail", args=[other.pk]) not in page
    # someone with no cell sees no cell meetings
    assert 'data-testid="own-meetings"' not in client_for("staff").get(reverse("meetings:my_schedule")).content.decode()


def test_agenda_template_hints_are_guidance_on_the_page_never_stored(world: World, client_for, meeting: Meeting) -> None:
    hint = "Giao nhiệm vụ cụ thể cho từng đảng viên (ghi rõ họ tên)."
    assert meeting.agenda.filter(section="next_tasks").exists()
    assert not meeting.agenda.exclude(details="").exists()  # the template gave titles, no content
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="agenda-hint"' in page and hint in page
    assert f'placeholder="{hint}"' in page
