"""Upper-level attendees: assignment, the attendee's record, coverage; and the thematic gap flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.core.access import Policy
from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.meetings import services_prep as services
from chibo.meetings.models import Meeting, MeetingKind, UpperAssignment
from chibo.meetings.selectors_prep import (
    add_months,
    committee_cells,
    month_start,
    thematic_gaps,
    upper_coverage,
)
from chibo.orgs.models import OrgVersion
from tests.factories import World
from tests.meetings.factories import make_meeting


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def version(org_id: int) -> OrgVersion:
    return OrgVersion.objects.get(org_id=org_id, valid_to=dt.date(9999, 12, 31))


def test_staff_assign_an_attendee_once_per_cell_and_month_with_audit(world: World) -> None:
    month = add_months(this_month(), 1)
    services.upper_assign(actor=world.users["staff"], cell=world.cell, month=month, attendee=world.users["province"])
    with pytest.raises(ChiboError, match="đã được phân công"):
        services.upper_assign(actor=world.users["staff"], cell=world.cell, month=month, attendee=world.users["province"])
    assert UpperAssignment.objects.count() == 1
    assert AuditEvent.objects.filter(verb="meeting.upper_assign", object_type="orgs.organisation", object_id=world.cell.pk).count() == 1


def test_unassigning_is_audited_but_refused_once_recorded(world: World) -> None:
    month = add_months(this_month(), -1)
    a = services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
    services.upper_record(actor=world.users["staff"], assignment=a, attended=True, observations="Tốt", issues_raised="")
    a.refresh_from_db()
    with pytest.raises(ChiboError, match="không hủy"):
        services.upper_unassign(actor=None, assignment=a)
    b = services.upper_assign(actor=None, cell=world.cell2, month=month, attendee=world.users["staff"])
    services.upper_unassign(actor=None, assignment=b)
    assert AuditEvent.objects.filter(verb="meeting.upper_unassign").count() == 1


def test_the_attendee_records_observations_only_after_the_meeting(world: World) -> None:
    month = add_months(this_month(), 1)
    meeting = make_meeting(world.cell, month=month, day=5)
    a = services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
    with pytest.raises(ChiboError, match="chưa diễn ra"):
        services.upper_record(actor=world.users["staff"], assignment=a, attended=True, observations="", issues_raised="")
    with pytest.raises(ChiboError, match="Chỉ người được phân công"):
        services.upper_record(actor=world.users["province"], assignment=a, attended=True, observations="", issues_raised="", now=meeting.starts_at + dt.timedelta(hours=3))
    services.upper_record(actor=world.users["staff"], assignment=a, attended=True, observations="Chi bộ họp đúng giờ.", issues_raised="Đường làng xuống cấp.", now=meeting.starts_at + dt.timedelta(hours=3))
    a.refresh_from_db()
    assert a.attended and a.issues_raised == "Đường làng xuống cấp." and a.recorded_at is not None
    assert AuditEvent.objects.filter(verb="meeting.upper_record").count() == 1


def test_coverage_lists_cells_where_nobody_attended_in_the_last_months(world: World) -> None:
    today = timezone.localdate()
    policy = Policy(world.users["staff"])
    cells = committee_cells(policy=policy, committee=version(world.commune.pk))
    assert {c.org_id for c in cells} == {world.cell.pk, world.cell2.pk}
    month = add_months(this_month(), -1)
    a = services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
    services.upper_assign(actor=None, cell=world.cell2, month=month, attendee=world.users["staff"])  # assigned, not attended
    services.upper_record(actor=world.users["staff"], assignment=a, attended=True, observations="", issues_raised="")
    rows = upper_coverage(cells=cells, months=3, today=today)
    assert [r.cell.org_id for r in rows] == [world.cell2.pk]
    old = add_months(this_month(), -5)
    UpperAssignment.objects.filter(pk=a.pk).update(month=old)
    rows = upper_coverage(cells=cells, months=3, today=today)
    assert {r.cell.org_id for r in rows} == {world.cell.pk, world.cell2.pk}
    assert next(r for r in rows if r.cell.org_id == world.cell.pk).last_attended == old
    assert upper_coverage(cells=cells, months=6, today=today)[0].cell.org_id == world.cell2.pk


def test_a_cell_without_a_thematic_meeting_in_three_months_is_flagged(world: World) -> None:
    today = timezone.localdate()
    make_meeting(world.cell, month=add_months(this_month(), -1), kind=MeetingKind.THEMATIC, topic="Chuyên đề")
    make_meeting(world.cell2, month=add_months(this_month(), -4), kind=MeetingKind.COMBINED)
    make_meeting(world.other_cell, month=this_month(), kind=MeetingKind.REGULAR)
    gaps = thematic_gaps(cells=[world.cell.pk, world.cell2.pk, world.other_cell.pk], quarter_end=today)
    assert gaps == {world.cell2.pk, world.other_cell.pk}


def test_the_cell_meeting_list_shows_the_thematic_gap_badge(world: World, client_for) -> None:
    url = reverse("meetings:cell_meetings", args=[world.cell.pk])
    assert 'data-testid="thematic-gap"' in client_for("member").get(url).content.decode()
    make_meeting(world.cell, month=this_month(), kind=MeetingKind.COMBINED)
    assert 'data-testid="thematic-gap"' not in client_for("member").get(url).content.decode()


# Views --------------------------------------------------------------------------------------


def test_the_assignment_page_is_for_committee_staff_only(world: World, client_for) -> None:
    url = reverse("meetings:upper_assign", args=[world.commune.pk])
    assert client_for("staff").get(url).status_code == 200
    assert client_for("province").get(url).status_code == 200
    assert client_for("admin").get(url).status_code == 200
    assert client_for("secretary").get(url).status_code == 404
    assert client_for("member").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("staff").get(reverse("meetings:upper_assign", args=[world.cell.pk])).status_code == 404


def test_staff_assign_through_the_page_and_see_the_attendee(world: World, client_for) -> None:
    client = client_for("staff")
    month = add_months(this_month(), 1)
    url = reverse("meetings:upper_assign", args=[world.commune.pk])
    response = client.post(url, {"month": month.strftime("%m/%Y"), "cell": world.cell.pk, "attendee": world.users["province"].pk})
    assert response.status_code == 302
    assert UpperAssignment.objects.filter(cell=world.cell, month=month, attendee=world.users["province"]).exists()
    page = client.get(url + f"?month={month:%m/%Y}").content.decode()
    assert "canbotinh" in page
    # a cell out of scope or a user who is not a candidate is refused, not a 500
    response = client.post(url, {"month": month.strftime("%m/%Y"), "cell": world.other_cell.pk, "attendee": world.users["province"].pk})
    assert response.status_code == 400
    response = client.post(url, {"month": month.strftime("%m/%Y"), "cell": world.cell.pk, "attendee": world.users["outsider"].pk})
    assert response.status_code == 400
    response = client.post(url, {"month": "13/2026", "cell": world.cell.pk, "attendee": world.users["province"].pk})
    assert response.status_code == 400 and "mm/yyyy" in response.content.decode()


def test_the_assignment_page_query_count_does_not_grow_with_cells(world: World, client_for, django_assert_max_num_queries) -> None:
    from chibo.orgs import services as org_services
    from chibo.orgs.models import AreaKind, OrgKind, Sector

    client = client_for("staff")
    url = reverse("meetings:upper_assign", args=[world.commune.pk])
    for i in range(6):
        cell = org_services.org_create(actor=None, name=f"Chi bộ thôn {i}", kind=OrgKind.CELL, parent=world.commune, on=dt.date(2020, 1, 1), sector=Sector.RESIDENTIAL, area_kind=AreaKind.VILLAGE, area_name=f"Thôn {i}")
        services.upper_assign(actor=None, cell=cell, month=this_month(), attendee=world.users["staff"])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_coverage_page_for_staff_and_404_for_others(world: World, client_for, django_assert_max_num_queries) -> None:
    url = reverse("meetings:upper_coverage", args=[world.commune.pk]) + "?months=3"
    staff = client_for("staff")
    with django_assert_max_num_queries(10):  # the cells without an attendee, and each attendee's quota
        response = staff.get(url)
    assert response.status_code == 200
    assert "Chi bộ thôn Trung Sơn" in response.content.decode()
    assert client_for("secretary").get(url).status_code == 404
    assert client_for("member").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


def test_an_attendee_sees_their_schedule_views_the_meeting_and_records(world: World, client_for) -> None:
    month = add_months(this_month(), -1)
    meeting = make_meeting(world.cell, month=month, day=4)
    services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["outsider"])
    client = client_for("outsider")
    page = client.get(reverse("meetings:my_schedule"))
    assert page.status_code == 200 and "Chi bộ thôn Trung Sơn" in page.content.decode()
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    a = UpperAssignment.objects.get()
    response = client.post(reverse("meetings:my_schedule"), {"assignment": a.pk, "attended": "1", "observations": "Tốt", "issues_raised": "Không"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.attended and a.observations == "Tốt"
    # somebody else's assignment is a 404
    assert client_for("member").post(reverse("meetings:my_schedule"), {"assignment": a.pk, "attended": "1"}).status_code == 404


def test_recording_before_the_meeting_shows_a_vietnamese_error(world: World, client_for) -> None:
    month = add_months(this_month(), 1)
    make_meeting(world.cell, month=month, day=4)
    a = services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
    response = client_for("staff").post(reverse("meetings:my_schedule"), {"assignment": a.pk, "attended": "1"})
    assert response.status_code == 400 and "chưa diễn ra" in response.content.decode()


def test_meetings_of_other_cells_are_not_exposed_to_an_attendee(world: World, client_for) -> None:
    month = this_month()
    services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["outsider"])
    other = make_meeting(world.cell2, month=month)
    later = Meeting.objects.create(org=world.cell, month=add_months(month, 1), starts_at=timezone.now() + dt.timedelta(days=40))
    assert client_for("outsider").get(reverse("meetings:detail", args=[other.pk])).status_code == 404
    assert client_for("outsider").get(reverse("meetings:detail", args=[later.pk])).status_code == 404


def test_the_schedule_page_query_count_is_pinned(world: World, client_for, django_assert_max_num_queries) -> None:
    for n in range(5):
        month = add_months(this_month(), -n)
        make_meeting(world.cell, month=month)
        services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
        services.upper_assign(actor=None, cell=world.cell2, month=month, attendee=world.users["staff"])
    client = client_for("staff")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("meetings:my_schedule")).status_code == 200


def test_a_committee_page_links_staff_to_the_assignments(world: World, client_for) -> None:
    url = reverse("orgs:detail", args=[world.commune.pk])
    assert reverse("meetings:upper_assign", args=[world.commune.pk]) in client_for("staff").get(url).content.decode()


# Yearly quota by the attendee's level (domain.md §3: province ≥2, commune ≥6, from settings) ------


def _attend(world: World, attendee: str, cell, months: list[dt.date]) -> None:
    for month in months:
        a = services.upper_assign(actor=None, cell=cell, month=month, attendee=world.users[attendee])
        services.upper_record(actor=world.users[attendee], assignment=a, attended=True, observations="", issues_raised="", now=timezone.make_aware(dt.datetime(month.year, month.month, 28, 21, 0)))


def _quota(world: World, year: int) -> dict[str, tuple[str, int, int, bool]]:
    from chibo.meetings.selectors_prep import upper_quota_rows

    cells = committee_cells(policy=Policy(world.users["staff"]), committee=version(world.commune.pk))
    rows = upper_quota_rows(committee=version(world.commune.pk), cells=cells, year=year)
    return {r.user.username: (r.level, r.quota, r.attended, r.met) for r in rows}


def test_a_provincial_member_meets_the_quota_at_two_and_a_commune_member_at_six(world: World) -> None:
    year = 2025
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    _attend(world, "province", world.cell, months[:1])
    _attend(world, "staff", world.cell, months[:5])
    assert _quota(world, year) == {"canbotinh": ("province", 2, 1, False), "canboxa": ("commune", 6, 5, False)}
    _attend(world, "province", world.cell2, months[1:2])
    _attend(world, "staff", world.cell2, months[5:6])
    assert _quota(world, year) == {"canbotinh": ("province", 2, 2, True), "canboxa": ("commune", 6, 6, True)}


def test_assigned_but_not_attended_and_other_years_do_not_count(world: World) -> None:
    services.upper_assign(actor=None, cell=world.cell, month=dt.date(2025, 3, 1), attendee=world.users["province"])  # not recorded
    _attend(world, "province", world.cell, [dt.date(2024, 12, 1), dt.date(2026, 1, 1)])
    assert _quota(world, 2025)["canbotinh"] == ("province", 2, 0, False)


def test_the_quotas_come_from_settings(world: World, settings) -> None:
    settings.CHIBO_UPPER_QUOTA_PROVINCE = 1
    settings.CHIBO_UPPER_QUOTA_COMMUNE = 4
    _attend(world, "province", world.cell, [dt.date(2025, 1, 1)])
    assert _quota(world, 2025) == {"canbotinh": ("province", 1, 1, True), "canboxa": ("commune", 4, 0, False)}


def test_attendance_in_cells_of_another_commune_counts_toward_the_persons_quota(world: World) -> None:
    _attend(world, "province", world.cell, [dt.date(2025, 1, 1)])
    _attend(world, "province", world.other_cell, [dt.date(2025, 2, 1)])
    assert _quota(world, 2025)["canbotinh"] == ("province", 2, 2, True)


def test_the_coverage_page_shows_met_and_not_yet_met_for_the_year(world: World, client_for) -> None:
    _attend(world, "province", world.cell, [dt.date(2025, 1, 1), dt.date(2025, 2, 1)])
    _attend(world, "staff", world.cell, [dt.date(2025, 1, 1)])
    response = client_for("staff").get(reverse("meetings:upper_coverage", args=[world.commune.pk]) + "?year=2025")
    assert response.status_code == 200
    page = response.content.decode()
    rows = page[page.index('data-testid="quota"'):]
    staff_row = rows[rows.index("canboxa"):]
    staff_row = staff_row[: staff_row.index("</tr>")]
    province_row = rows[rows.index("canbotinh"):]
    province_row = province_row[: province_row.index("</tr>")]
    assert "1 / 6" in staff_row and 'data-testid="quota-not-met"' in staff_row and "còn thiếu 5 lần" in staff_row
    assert "2 / 2" in province_row and 'data-testid="quota-met"' in province_row
    assert client_for("staff").get(reverse("meetings:upper_coverage", args=[world.commune.pk]) + "?year=abc").status_code == 400


def test_the_quota_table_query_count_does_not_grow_with_attendees(world: World, client_for, django_assert_max_num_queries) -> None:
    from tests.factories import make_user

    for i in range(6):
        user = make_user(f"canbo{i}", role="staff", org=world.commune)
        services.upper_assign(actor=None, cell=world.cell, month=this_month(), attendee=user)
    client = client_for("staff")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("meetings:upper_coverage", args=[world.commune.pk])).status_code == 200


def test_a_too_long_observation_is_refused_with_the_forms_message(world: World, client_for) -> None:
    month = add_months(this_month(), -1)
    make_meeting(world.cell, month=month, day=4)
    a = services.upper_assign(actor=None, cell=world.cell, month=month, attendee=world.users["staff"])
    response = client_for("staff").post(reverse("meetings:my_schedule"), {"assignment": a.pk, "attended": "1", "observations": "x" * 10001})
    assert response.status_code == 400 and "10000" in response.content.decode().replace(".", "").replace(",", "")
    a.refresh_from_db()
    assert a.recorded_at is None
    assert client_for("staff").post(reverse("meetings:my_schedule"), {"assignment": "abc"}).status_code == 404
