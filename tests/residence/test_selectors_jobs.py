from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chibo.core.access import Policy
from chibo.meetings.models import Notification
from chibo.residence import jobs, services
from chibo.residence import selectors as sel
from chibo.residence.models import ReminderSent
from tests.factories import vn
from tests.residence.factories import agency_cell, agency_member, register

pytestmark = pytest.mark.django_db


def test_half_year_edges():
    assert sel.half_year(dt.date(2026, 6, 30)) == (dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert sel.half_year(dt.date(2026, 7, 1)) == (dt.date(2026, 7, 1), dt.date(2027, 1, 1))
    assert sel.half_year_label(dt.date(2026, 12, 31)) == "II/2026"


def _records(world, *, full: bool = True):
    """Four registered members of the commune: met and commented; met only; exempt; neither (at cell2)."""
    work = agency_cell(world.commune)
    a, b, c, d = (agency_member(work, given_name=n, card=f"1000000{i}") for i, n in enumerate(["An", "Bình", "Chi", "Dũng"]))
    start = dt.date(2026, 1, 5)
    ra, rb = register(world, a, on=start), register(world, b, on=start)
    register(world, c, category="mobile", on=start)
    register(world, d, at=world.cell2, on=start)
    if not full:
        return
    services.contact_meeting_record(actor=None, org=world.cell, held_on=dt.date(2026, 2, 1), registration_ids=[ra.pk, rb.pk])
    services.comment_save(actor=world.users["secretary"], registration=ra, year=2026, text="Tốt", assessment="good", commented_on=dt.date(2026, 3, 1))


def test_compliance_figures_agree_with_the_records(world):
    with time_machine.travel(vn(2026, 3, 10, 9), tick=False):
        _records(world)
        version = Policy(world.users["staff"]).version_or_404(world.commune.pk)
        report = sel.compliance(policy=Policy(world.users["staff"]), version=version, on=dt.date(2026, 3, 10))
        assert report.total.as_json() == {"registered": 4, "met_this_half_year": 2, "comments_missing": 2, "exempt": 1}
        rows = {r.version.org_id: r.figures.as_json() for r in report.children}
        assert rows[world.cell.pk] == {"registered": 3, "met_this_half_year": 2, "comments_missing": 1, "exempt": 1}
        assert rows[world.cell2.pk] == {"registered": 1, "met_this_half_year": 0, "comments_missing": 1, "exempt": 0}
        # In the next half-year nobody is met yet; before the registrations nothing counts.
        assert sel.json_figures(org_path=version.path, on=dt.date(2026, 7, 1))["met_this_half_year"] == 0
        assert sel.json_figures(org_path=version.path, on=dt.date(2026, 1, 4))["registered"] == 0


def test_comments_for_is_the_reviews_read(world):
    with time_machine.travel(vn(2026, 3, 10, 9), tick=False):
        _records(world)
        member_id = sel.find_introduced(card_number="10000000", full_name="Lê Văn An")
        assert member_id is not None
        assert sel.find_introduced(card_number="10000000", full_name="Lê Văn Bình") is None
        [record] = sel.comments_for(member_id=member_id, year=2026)
        assert (record.assessment, record.residence_name, record.commented_on) == ("good", "Chi bộ thôn Trung Sơn", dt.date(2026, 3, 1))
        assert sel.comments_for(member_id=member_id, year=2025) == []


def test_reminders_in_january_and_december_once(world):
    with time_machine.travel(vn(2026, 1, 6, 9), tick=False):
        _records(world, full=False)
        assert jobs.remind_residence_cells(today=dt.date(2026, 1, 6)) == 2  # both cells have members not met in H1
        assert jobs.remind_residence_cells(today=dt.date(2026, 1, 7)) == 0
        assert Notification.objects.filter(user=world.users["secretary"]).count() == 1
    assert jobs.remind_residence_cells(today=dt.date(2026, 3, 1)) == 0
    with time_machine.travel(vn(2026, 12, 2, 9), tick=False):
        # H2: nobody met; comments missing at both cells (the exempt member is not counted).
        assert jobs.remind_residence_cells(today=dt.date(2026, 12, 2)) == 2
        assert jobs.remind_residence_cells(today=dt.date(2026, 12, 3)) == 0
    assert set(ReminderSent.objects.values_list("kind", "period")) == {("half_year", "2026-H1"), ("year_end", "2026")}
