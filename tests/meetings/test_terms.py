"""A cell's congress terms: entered and audited, never overlapping, about 2.5 or 5 years; the page and
the cell page, for every persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.demo.district import SEED_001_TERMS, build_district
from chibo.meetings import services_terms as terms
from chibo.meetings.models import CellTerm, Meeting, Resolution
from chibo.meetings.selectors_prep import term_on
from tests.factories import World
from tests.meetings.factories import make_meeting

D = dt.date


def create(world: World, name: str, start: dt.date, end: dt.date, **extra) -> CellTerm:
    return terms.term_create(actor=world.users["secretary"], org=world.cell, name=name, starts_on=start, ends_on=end, **extra)


# Lengths, written by hand: 2.5 years ±6 months (24..36 months) or 5 years ±6 months (54..66 months).


@pytest.mark.parametrize(
    ("start", "end", "usual"),
    [
        (D(2022, 7, 3), D(2025, 1, 3), True),  # 2.5 years
        (D(2022, 7, 3), D(2024, 7, 3), True),  # 24 months: the lower bound
        (D(2022, 7, 3), D(2024, 7, 2), False),  # a day short
        (D(2022, 7, 3), D(2025, 7, 3), True),  # 36 months: the upper bound
        (D(2022, 7, 3), D(2025, 7, 4), False),  # a day over
        (D(2022, 7, 3), D(2025, 4, 20), True),  # seed 001: 2022–2025
        (D(2025, 4, 20), D(2030, 4, 20), True),  # 5 years
        (D(2025, 4, 20), D(2029, 10, 20), True),  # 54 months
        (D(2025, 4, 20), D(2029, 10, 19), False),
        (D(2025, 4, 20), D(2030, 10, 20), True),  # 66 months
        (D(2025, 4, 20), D(2030, 10, 21), False),
        (D(2025, 4, 20), D(2029, 1, 1), False),  # between the two lengths
        (D(2024, 2, 29), D(2026, 8, 29), True),  # a leap day start
    ],
)
def test_the_usual_lengths_are_2_5_and_5_years_within_6_months(start: dt.date, end: dt.date, usual: bool) -> None:
    assert terms.length_is_usual(start, end) is usual


# Services -------------------------------------------------------------------------------------


def test_a_term_is_recorded_with_its_congress_and_audited(world: World) -> None:
    term = create(world, " 2025–2030 ", D(2025, 4, 20), D(2030, 4, 20), congress_on=D(2025, 4, 20))
    assert (term.name, term.congress_on) == ("2025–2030", D(2025, 4, 20))
    event = AuditEvent.objects.get(verb="meeting.term_create")
    assert event.object_id == world.cell.pk and event.actor == world.users["secretary"]
    assert event.after["name"] == "2025–2030" and event.after["exceptional_length"] is False


def test_an_end_before_or_on_the_start_is_refused(world: World) -> None:
    with pytest.raises(ChiboError, match="phải sau ngày bắt đầu") as exc:
        create(world, "x", D(2025, 4, 20), D(2025, 4, 20))
    assert exc.value.field == "ends_on"
    assert not CellTerm.objects.exists()


def test_an_unusual_length_is_refused_with_the_rule_named_unless_confirmed(world: World) -> None:
    with pytest.raises(ChiboError, match="294-QĐ/TW") as exc:
        create(world, "2025–2028", D(2025, 4, 20), D(2028, 12, 1))
    assert "Điều lệ" in exc.value.message
    term = create(world, "2025–2028", D(2025, 4, 20), D(2028, 12, 1), exceptional=True)
    assert AuditEvent.objects.get(verb="meeting.term_create").after["exceptional_length"] is True
    assert term.pk


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (D(2022, 7, 3), D(2025, 4, 20), False),  # ends the day the next one starts: no overlap
        (D(2022, 7, 3), D(2025, 4, 21), True),  # one day into the next term
        (D(2030, 4, 20), D(2035, 4, 20), False),  # starts the day the other ends
        (D(2030, 4, 19), D(2035, 4, 19), True),
        (D(2026, 1, 1), D(2028, 7, 1), True),  # inside
    ],
)
def test_terms_of_a_cell_never_overlap(world: World, start: dt.date, end: dt.date, clash: bool) -> None:
    create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    if clash:
        with pytest.raises(ChiboError, match="Trùng thời gian với nhiệm kỳ 2025–2030"):
            create(world, "khác", start, end, exceptional=True)
        assert CellTerm.objects.count() == 1
    else:
        create(world, "khác", start, end, exceptional=True)
        assert CellTerm.objects.count() == 2


def test_another_cells_terms_do_not_clash(world: World) -> None:
    create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    terms.term_create(actor=None, org=world.cell2, name="2025–2030", starts_on=D(2025, 4, 20), ends_on=D(2030, 4, 20))
    assert CellTerm.objects.count() == 2


def test_terms_are_only_for_cells(world: World) -> None:
    with pytest.raises(ChiboError, match="chi bộ"):
        terms.term_create(actor=None, org=world.commune, name="2025–2030", starts_on=D(2025, 4, 20), ends_on=D(2030, 4, 20))


def test_a_congress_after_the_start_is_refused(world: World) -> None:
    with pytest.raises(ChiboError, match="Đại hội") as exc:
        create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20), congress_on=D(2025, 5, 1))
    assert exc.value.field == "congress_on"


def test_updating_a_term_is_audited_and_checked_against_the_others(world: World) -> None:
    old = create(world, "2022–2025", D(2022, 7, 3), D(2025, 4, 20))
    new = create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    terms.term_update(actor=None, term=old, name="2022–2025", starts_on=D(2022, 7, 3), ends_on=D(2025, 4, 20), congress_on=D(2022, 7, 3))
    event = AuditEvent.objects.get(verb="meeting.term_update")
    assert event.before["congress_on"] is None and event.after["congress_on"] == "2022-07-03"
    with pytest.raises(ChiboError, match="Trùng thời gian"):
        terms.term_update(actor=None, term=new, name="2025–2030", starts_on=D(2025, 1, 1), ends_on=D(2030, 1, 1))
    with pytest.raises(ChiboError, match="Chưa có thay đổi"):
        terms.term_update(actor=None, term=new, name="2025–2030", starts_on=D(2025, 4, 20), ends_on=D(2030, 4, 20))


def _numbered(world: World, term: CellTerm, day: dt.date) -> Resolution:
    meeting = make_meeting(world.cell, month=day.replace(day=1), day=day.day)
    return Resolution.objects.create(meeting=meeting, term=term, number=1, title="Nghị quyết", adopted=True)


def test_a_term_that_numbered_a_resolution_is_not_deleted_and_keeps_its_meetings(world: World) -> None:
    term = create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    _numbered(world, term, D(2026, 10, 3))
    with pytest.raises(ChiboError, match="không xóa được"):
        terms.term_delete(actor=None, term=term)
    with pytest.raises(ChiboError, match="Số 01-NQ/CB"):
        terms.term_update(actor=None, term=term, name="2025–2030", starts_on=D(2026, 11, 1), ends_on=D(2031, 11, 1))
    assert CellTerm.objects.filter(pk=term.pk, starts_on=D(2025, 4, 20)).exists()


def test_an_unused_term_is_deleted_with_an_audit_row(world: World) -> None:
    term = create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    terms.term_delete(actor=world.users["staff"], term=term)
    assert not CellTerm.objects.exists()
    assert AuditEvent.objects.get(verb="meeting.term_delete").before["name"] == "2025–2030"


def test_the_term_on_a_day_is_the_recorded_one_or_none(world: World) -> None:
    assert term_on(org_id=world.cell.pk, day=D(2026, 1, 1)) is None
    create(world, "2022–2025", D(2022, 7, 3), D(2025, 4, 20))
    assert term_on(org_id=world.cell.pk, day=D(2025, 4, 19)).name == "2022–2025"
    assert term_on(org_id=world.cell.pk, day=D(2025, 4, 20)) is None  # the end is not in the term


# The page -------------------------------------------------------------------------------------

READERS = ("member", "secretary", "staff", "province", "admin")
WRITERS = ("secretary", "staff", "province", "admin")
FORM = {"op": "create", "name": "2025–2030", "congress_on": "20/04/2025", "starts_on": "20/04/2025", "ends_on": "20/04/2030"}


def url(world: World, org=None) -> str:
    return reverse("meetings:terms", args=[(org or world.cell).pk])


@pytest.mark.parametrize("persona", READERS)
def test_the_terms_page_opens_for_everyone_in_scope(world: World, client_for, persona: str) -> None:
    create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    response = client_for(persona).get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2025–2030" in page and "20/04/2030" in page
    assert ('data-testid="term-form"' in page) is (persona != "member")


def test_the_terms_page_is_a_404_for_an_outsider_by_get_and_post(world: World, client_for) -> None:
    assert client_for("outsider").get(url(world)).status_code == 404
    assert client_for("outsider").post(url(world), FORM).status_code == 404
    assert not CellTerm.objects.exists()


def test_a_member_cannot_record_a_term(world: World, client_for) -> None:
    assert client_for("member").post(url(world), FORM).status_code == 404
    assert not CellTerm.objects.exists()


def test_a_committee_has_no_terms_page(world: World, client_for) -> None:
    assert client_for("staff").get(url(world, world.commune)).status_code == 404
    assert client_for("staff").post(url(world, world.commune), FORM).status_code == 404


def test_pages_need_a_login(world: World, client) -> None:
    assert client.get(url(world)).status_code == 302


@pytest.mark.parametrize("persona", WRITERS)
def test_the_secretary_and_the_staff_above_record_a_term(world: World, client_for, persona: str) -> None:
    response = client_for(persona).post(url(world), FORM)
    assert response.status_code == 302
    term = CellTerm.objects.get()
    assert (term.org_id, term.name, term.congress_on, term.starts_on, term.ends_on) == (world.cell.pk, "2025–2030", D(2025, 4, 20), D(2025, 4, 20), D(2030, 4, 20))
    assert AuditEvent.objects.get(verb="meeting.term_create").actor == world.users[persona]


def test_all_errors_of_the_term_form_at_once_under_their_fields(world: World, client_for) -> None:
    response = client_for("secretary").post(url(world), {"op": "create", "name": "x" * 41, "starts_on": "31/02/2025", "ends_on": "2030"})
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("name", "starts_on", "ends_on"):
        assert f'data-testid="error-{field}"' in page
    assert "31/02/2025 không phải ngày có thật." in page
    assert "tối đa 40" in page or "40 ký tự" in page or "40 characters" in page
    assert not CellTerm.objects.exists()


def test_an_unusual_length_on_the_page_names_the_rule_and_the_confirmation_lets_it_through(world: World, client_for) -> None:
    data = {**FORM, "ends_on": "01/12/2028"}
    response = client_for("secretary").post(url(world), data)
    assert response.status_code == 400 and "294-QĐ/TW" in response.content.decode()
    assert 'data-testid="error-ends_on"' in response.content.decode()
    assert client_for("secretary").post(url(world), {**data, "exceptional": "on"}).status_code == 302
    assert CellTerm.objects.get().ends_on == D(2028, 12, 1)


def test_an_overlap_on_the_page_is_a_400_with_the_other_term(world: World, client_for) -> None:
    create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    response = client_for("secretary").post(url(world), {**FORM, "name": "2027–2032", "congress_on": "", "starts_on": "01/01/2027", "ends_on": "01/01/2032"})
    assert response.status_code == 400 and "Trùng thời gian với nhiệm kỳ 2025–2030" in response.content.decode()
    assert CellTerm.objects.count() == 1


def test_the_secretary_corrects_and_deletes_a_term_on_the_page(world: World, client_for) -> None:
    term = create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    client = client_for("secretary")
    response = client.post(url(world), {"op": "update", "term": term.pk, "name": "2025–2030", "congress_on": "19/04/2025", "starts_on": "20/04/2025", "ends_on": "20/04/2030"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.congress_on == D(2025, 4, 19)
    assert client.post(url(world), {"op": "delete", "term": term.pk}).status_code == 302
    assert not CellTerm.objects.exists()


def test_a_term_of_another_cell_cannot_be_edited_or_deleted_through_this_page(world: World, client_for) -> None:
    other = terms.term_create(actor=None, org=world.cell2, name="2025–2030", starts_on=D(2025, 4, 20), ends_on=D(2030, 4, 20))
    client = client_for("secretary")
    assert client.post(url(world), {"op": "delete", "term": other.pk}).status_code == 404
    assert client.post(url(world), {"op": "update", "term": other.pk, **{k: v for k, v in FORM.items() if k != "op"}}).status_code == 404
    assert CellTerm.objects.filter(pk=other.pk).exists()


def test_deleting_a_used_term_on_the_page_says_why(world: World, client_for) -> None:
    term = create(world, "2025–2030", D(2025, 4, 20), D(2030, 4, 20))
    _numbered(world, term, D(2026, 10, 3))
    response = client_for("secretary").post(url(world), {"op": "delete", "term": term.pk})
    assert response.status_code == 400 and "không xóa được" in response.content.decode()
    assert Meeting.objects.exists() and CellTerm.objects.filter(pk=term.pk).exists()


def test_the_cell_page_says_when_no_term_is_recorded_and_links_to_the_terms(world: World, client_for) -> None:
    detail = reverse("orgs:detail", args=[world.cell.pk])
    page = client_for("member").get(detail).content.decode()
    assert "Chưa ghi nhiệm kỳ" in page and url(world) in page
    terms.term_create(actor=None, org=world.cell, name="2025–2030", starts_on=D(2025, 4, 20), ends_on=D(2030, 4, 20))
    page = client_for("member").get(detail).content.decode()
    assert "Chưa ghi nhiệm kỳ" not in page and "Nhiệm kỳ 2025–2030" in page


# The demo -------------------------------------------------------------------------------------


def test_the_demo_records_the_seed_001_terms_for_the_village_cells() -> None:
    plan = build_district(seed=1, today=D(2026, 12, 1))
    by_key = {spec.key: spec for spec in plan.orgs}
    tan_tien = next(spec for spec in plan.orgs if spec.name == "Chi bộ thôn Tân Tiến")
    assert [(n, c, s, e) for n, c, s, e in plan.cell_terms[tan_tien.key]] == [
        ("2020–2022", None, D(2020, 1, 1), D(2022, 7, 3)),
        ("2022–2025", D(2022, 7, 3), D(2022, 7, 3), D(2025, 4, 20)),
        ("2025–2030", D(2025, 4, 20), D(2025, 4, 20), D(2030, 4, 20)),
    ]
    assert plan.cell_terms[tan_tien.key] == SEED_001_TERMS
    assert all(by_key[k].sector == "residential" for k in plan.cell_terms)
    for recorded in plan.cell_terms.values():  # none overlaps the next
        assert all(a[3] <= b[2] for a, b in zip(recorded, recorded[1:], strict=False))
