"""Meeting statistics match the underlying records at province, commune and cell level, as of a date."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from chibo.core.access import Policy
from chibo.meetings.models import MeetingKind, MeetingStatus, QualityAssessment, UpperAssignment
from chibo.meetings.selectors_stats import (
    add_months,
    month_end,
    node_stats,
    node_stats_and_series,
    parse_month,
    quarter_months,
    series,
    total_figures,
    tree_date,
)
from chibo.members.models import Member
from chibo.orgs import services as org_services
from chibo.orgs.models import Organisation
from chibo.orgs.selectors import versions_on
from tests.factories import World, make_member
from tests.meetings.factories import add_attendance, make_meeting

JAN = dt.date(2026, 1, 1)
FEB = dt.date(2026, 2, 1)
MOVED_ON = dt.date(2026, 2, 15)  # cell2 moves from commune to other_commune


@dataclass
class StatsWorld:
    w: World
    a: Member  # cell2
    b: Member  # cell2
    other2: Member  # other_cell


def build_stats_world(w: World) -> StatsWorld:
    """Meetings in January and February 2026 across both communes; then cell2 moves on 15/02/2026.

    January (tree of 31/01: commune = {cell, cell2}, other_commune = {other_cell}):
      cell        regular approved, published late; member present, secretary present; quality all true, "good"
      cell        thematic closed; member excused, secretary present
      cell2       regular DRAFT (not held), published late
      cell2       committee closed, everyone present (chi ủy meeting: left out)
      other_cell  combined closed; other_member unexcused, other2 present; quality attendance_ok false, "fair"
      upper       cell attended; cell2 assigned, not attended
    February (tree of 28/02: commune = {cell}, other_commune = {other_cell, cell2}):
      cell        regular open; member present, secretary excused
      cell2       regular closed; a present, b unexcused
      other_cell  thematic PUBLISHED (not held)
      upper       other_cell attended
    """
    a = make_member(w.cell2, surname="Lê", given_name="Ba", born=dt.date(1981, 1, 1))
    b = make_member(w.cell2, surname="Phạm", given_name="Tư", born=dt.date(1982, 1, 1))
    other2 = make_member(w.other_cell, surname="Vũ", given_name="Năm", born=dt.date(1983, 1, 1))
    held = MeetingStatus.CLOSED
    m = make_meeting(w.cell, month=JAN, status=MeetingStatus.APPROVED, published_late=True)
    add_attendance(m, {w.member.pk: "present", w.secretary_member.pk: "present"})
    QualityAssessment.objects.create(meeting=m, attendance_rate=Decimal("100"), attendance_ok=True, no_unexcused=True, no_repeat_excused=True, secretary_rating="good")
    m = make_meeting(w.cell, month=JAN, day=20, kind=MeetingKind.THEMATIC, status=held)
    add_attendance(m, {w.member.pk: "excused", w.secretary_member.pk: "present"})
    make_meeting(w.cell2, month=JAN, status=MeetingStatus.DRAFT, published_late=True)
    m = make_meeting(w.cell2, month=JAN, day=2, kind=MeetingKind.COMMITTEE, status=held)
    add_attendance(m, {a.pk: "present", b.pk: "present"})
    m = make_meeting(w.other_cell, month=JAN, kind=MeetingKind.COMBINED, status=held)
    add_attendance(m, {w.other_member.pk: "unexcused", other2.pk: "present"})
    QualityAssessment.objects.create(meeting=m, attendance_rate=Decimal("50"), attendance_ok=False, no_unexcused=False, no_repeat_excused=True, secretary_rating="fair")
    upper = w.users["province"]
    UpperAssignment.objects.create(cell=w.cell, month=JAN, attendee=upper, attended=True)
    UpperAssignment.objects.create(cell=w.cell2, month=JAN, attendee=upper, attended=False)

    m = make_meeting(w.cell, month=FEB, status=MeetingStatus.OPEN)
    add_attendance(m, {w.member.pk: "present", w.secretary_member.pk: "excused"})
    m = make_meeting(w.cell2, month=FEB, status=held)
    add_attendance(m, {a.pk: "present", b.pk: "unexcused"})
    make_meeting(w.other_cell, month=FEB, kind=MeetingKind.THEMATIC, status=MeetingStatus.PUBLISHED)
    UpperAssignment.objects.create(cell=w.other_cell, month=FEB, attendee=upper, attended=True)

    org_services.org_move(actor=None, org=w.cell2, new_parent=w.other_commune, on=MOVED_ON)
    return StatsWorld(w, a, b, other2)


def _figures(org: Organisation, month: dt.date, as_of: dt.date | None = None) -> dict:
    on = tree_date(month, as_of)
    version = versions_on(on).get(org=org)
    return total_figures(path=version.path, month=month, on=on).as_dict()


def _check(fig: dict, **expected: object) -> None:
    got = {k: fig[k] for k in expected}
    assert got == expected


def test_month_helpers():
    assert parse_month("2026-02") == FEB
    assert parse_month("02/2026") == FEB
    assert parse_month("2026-13") is None
    assert parse_month("") is None
    assert month_end(FEB) == dt.date(2026, 2, 28)
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert add_months(JAN, -1) == dt.date(2025, 12, 1)
    assert add_months(dt.date(2025, 12, 1), 1) == JAN
    assert quarter_months(FEB) == (JAN, dt.date(2026, 3, 1))
    assert quarter_months(dt.date(2026, 12, 1)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    assert tree_date(FEB, None) == dt.date(2026, 2, 28)


def test_january_province(world):
    build_stats_world(world)
    fig = _figures(world.province, JAN)
    _check(
        fig,
        cells_expected=3, cells_met=2, held_share=66.67,
        meetings=4, meetings_held=3,  # cell regular + thematic, cell2 draft, other_cell combined
        expected=6, present=4, attendance_rate=66.67, absent_excused=1, absent_without_reason=1,
        cells_thematic=2, thematic_coverage_quarter=66.67,
        cells_upper_assigned=2, cells_upper_attended=1, upper_attendance_coverage=33.33,
        published_late=2, quality_assessed=2, quality_ok=1,
        ratings={"good": 1, "fair": 1, "average": 0, "weak": 0, "": 0},
    )  # fmt: skip


def test_january_communes_and_cells(world):
    build_stats_world(world)
    _check(
        _figures(world.commune, JAN),
        cells_expected=2, cells_met=1, held_share=50.0, expected=4, present=3, attendance_rate=75.0,
        absent_excused=1, absent_without_reason=0, cells_thematic=1, cells_upper_assigned=2,
        cells_upper_attended=1, published_late=2, quality_assessed=1, quality_ok=1,
    )  # fmt: skip
    _check(
        _figures(world.other_commune, JAN),
        cells_expected=1, cells_met=1, held_share=100.0, expected=2, present=1, attendance_rate=50.0,
        absent_excused=0, absent_without_reason=1, cells_thematic=1, cells_upper_assigned=0,
        cells_upper_attended=0, upper_attendance_coverage=0.0, published_late=0, quality_assessed=1, quality_ok=0,
    )  # fmt: skip
    _check(
        _figures(world.cell, JAN),
        cells_expected=1, cells_met=1, meetings=2, meetings_held=2, expected=4, present=3, absent_excused=1,
        cells_thematic=1, thematic_coverage_quarter=100.0, cells_upper_attended=1, published_late=1, quality_ok=1,
    )  # fmt: skip
    # cell2: its regular meeting is a draft, its chi ủy meeting does not count
    _check(
        _figures(world.cell2, JAN),
        cells_expected=1, cells_met=0, held_share=0.0, meetings=1, meetings_held=0, expected=0,
        attendance_rate=None, cells_thematic=0, cells_upper_assigned=1, cells_upper_attended=0, published_late=1,
    )  # fmt: skip


def test_february_follows_the_tree_after_the_move(world):
    build_stats_world(world)
    _check(
        _figures(world.commune, FEB),
        cells_expected=1, cells_met=1, expected=2, present=1, absent_excused=1, absent_without_reason=0,
        cells_thematic=1, cells_upper_attended=0,  # the quarter's thematic meeting of cell (January)
    )  # fmt: skip
    _check(
        _figures(world.other_commune, FEB),
        cells_expected=2, cells_met=1, held_share=50.0, expected=2, present=1, absent_without_reason=1,
        cells_thematic=1, thematic_coverage_quarter=50.0, cells_upper_attended=1,  # other_cell's thematic of Feb is not held
    )  # fmt: skip
    _check(
        _figures(world.province, FEB),
        cells_expected=3, cells_met=2, expected=4, present=2, attendance_rate=50.0, absent_excused=1,
        absent_without_reason=1, cells_thematic=2, cells_upper_attended=1, published_late=0,
    )  # fmt: skip


def test_january_as_of_a_later_date_uses_that_tree(world):
    build_stats_world(world)
    later = dt.date(2026, 2, 28)
    _check(_figures(world.commune, JAN, as_of=later), cells_expected=1, cells_met=1, expected=4, present=3, published_late=1, cells_upper_assigned=1)
    _check(_figures(world.other_commune, JAN, as_of=later), cells_expected=2, cells_met=1, expected=2, present=1, published_late=1, cells_upper_assigned=1, cells_upper_attended=0)
    # the province's totals do not depend on the tree inside it
    assert _figures(world.province, JAN, as_of=later) == _figures(world.province, JAN)


def test_drill_down_children_sum_to_the_node(world):
    build_stats_world(world)
    policy = Policy(world.users["admin"])
    on = month_end(JAN)
    stats = node_stats(policy=policy, version=versions_on(on).get(org=world.province), month=JAN, on=on)
    assert [c.version.org_id for c in stats.children] == [world.other_commune.pk, world.commune.pk]  # by name: Đại Bình, Quảng Tân
    by_org = {c.version.org_id: c.figures.as_dict() for c in stats.children}
    assert by_org[world.commune.pk] == _figures(world.commune, JAN)
    assert by_org[world.other_commune.pk] == _figures(world.other_commune, JAN)
    assert stats.total.as_dict() == _figures(world.province, JAN)
    assert stats.meetings is None

    commune = node_stats(policy=policy, version=versions_on(on).get(org=world.commune), month=JAN, on=on)
    assert {c.version.org_id: (c.figures.cells_expected, c.figures.cells_met) for c in commune.children} == {world.cell.pk: (1, 1), world.cell2.pk: (1, 0)}

    cell = node_stats(policy=policy, version=versions_on(on).get(org=world.cell), month=JAN, on=on)
    assert cell.children == []
    assert cell.meetings is not None
    assert [(m.kind, m.n_expected, m.n_present, m.n_excused, m.n_unexcused) for m in cell.meetings] == [
        ("regular", 2, 2, 0, 0),
        ("thematic", 2, 1, 1, 0),
    ]


def test_series_by_month_each_on_its_own_tree(world):
    build_stats_world(world)
    points = series(org_id=world.commune.pk, month=FEB)
    assert len(points) == 12
    assert points[0].month == dt.date(2025, 3, 1)
    assert [p.month for p in points[-2:]] == [JAN, FEB]
    jan, feb = points[-2], points[-1]
    assert (jan.cells_expected, jan.cells_met, jan.expected, jan.present) == (2, 1, 4, 3)
    assert (feb.cells_expected, feb.cells_met, feb.expected, feb.present) == (1, 1, 2, 1)
    assert jan.attendance_rate == Decimal("75.00") and feb.held_share == Decimal("100.00")
    dec = points[-3]
    assert (dec.cells_expected, dec.cells_met, dec.held_share, dec.attendance_rate) == (2, 0, Decimal("0.00"), None)

    province = series(org_id=world.province.pk, month=FEB)
    assert [(p.cells_expected, p.cells_met, p.expected, p.present) for p in province[-2:]] == [(3, 2, 6, 4), (3, 2, 4, 2)]
    # every month of the series equals that month's figures
    for p in series(org_id=world.other_commune.pk, month=FEB)[-2:]:
        fig = _figures(world.other_commune, p.month)
        assert (p.cells_expected, p.cells_met, p.expected, p.present) == (fig["cells_expected"], fig["cells_met"], fig["expected"], fig["present"])


def test_series_with_as_of_uses_one_tree(world):
    build_stats_world(world)
    points = series(org_id=world.other_commune.pk, month=FEB, as_of=dt.date(2026, 2, 28))
    jan = points[-2]
    assert (jan.cells_expected, jan.cells_met) == (2, 1)  # cell2 counted under other_commune in January too
    before = series(org_id=world.other_commune.pk, month=FEB, as_of=dt.date(2026, 1, 31))
    assert (before[-1].cells_expected, before[-1].cells_met) == (1, 0)


def test_series_of_an_organisation_not_yet_founded(world):
    late = org_services.org_create(actor=None, name="Đảng bộ xã Mới", kind="grassroots_committee", parent=world.province, on=dt.date(2026, 1, 10), admin_unit="commune")
    points = series(org_id=late.pk, month=FEB)
    assert [p.cells_expected for p in points[-3:]] == [0, 0, 0]
    assert points[-1].held_share is None


def test_the_constant_tree_shortcut_gives_the_general_figures(world):
    """series() reads a subtree that did not change over the window with one semi-join; it must
    give exactly what the general per-month join gives, with and without changes in the window."""
    build_stats_world(world)  # cell2 moves on 1 February 2026

    def both(org, month, as_of=None):
        fast = series(org_id=org.pk, month=month, as_of=as_of)
        slow = series(org_id=org.pk, month=month, as_of=as_of, allow_constant_tree=False)
        return [(p.month, p.cells_expected, p.cells_met, p.expected, p.present) for p in fast], [
            (p.month, p.cells_expected, p.cells_met, p.expected, p.present) for p in slow
        ]

    for org in (world.province, world.commune, world.other_commune, world.cell, world.cell2):
        for month in (dt.date(2025, 12, 1), JAN, FEB):  # windows before, across and after the move
            fast, slow = both(org, month)
            assert fast == slow, (org, month)
        fast, slow = both(org, FEB, as_of=dt.date(2026, 1, 15))
        assert fast == slow, org


def test_the_series_takes_at_most_four_queries(world, django_assert_max_num_queries):
    build_stats_world(world)
    with django_assert_max_num_queries(4):  # node versions, the change check, cells, meetings
        series(org_id=world.other_cell.pk, month=dt.date(2025, 12, 1))


@pytest.mark.django_db(transaction=True)
def test_the_page_reads_the_series_beside_the_figures_with_the_same_results(settings):
    """node_stats_and_series runs the series on a second connection (PostgreSQL, outside a
    transaction: committed data, as in a request); the figures equal those read one after the other."""
    from tests.factories import build_world

    world = build_world()
    build_stats_world(world)
    policy = Policy(world.users["admin"])
    on = month_end(FEB)
    version = versions_on(on).get(org=world.province)
    settings.CHIBO_STATS_PARALLEL = True
    stats, points = node_stats_and_series(policy=policy, version=version, month=FEB, on=on, as_of=None)
    settings.CHIBO_STATS_PARALLEL = False
    stats2, points2 = node_stats_and_series(policy=policy, version=version, month=FEB, on=on, as_of=None)
    assert stats.total.as_dict() == stats2.total.as_dict()
    assert [(p.month, p.cells_expected, p.cells_met, p.expected, p.present) for p in points] == [
        (p.month, p.cells_expected, p.cells_met, p.expected, p.present) for p in points2
    ]
    assert points[-1].cells_expected == 3


# Late documents and the minimum length: each case counted, chi ủy meetings left out -----------


def test_late_documents_and_short_meetings_are_counted_each_case_by_branch(world, client_for):
    w = world
    m = make_meeting(w.cell, month=JAN, status=MeetingStatus.CLOSED, published_late=True, late_material=True, under_length=True)
    add_attendance(m, {w.member.pk: "present", w.secretary_member.pk: "present"})
    make_meeting(w.cell, month=JAN, day=20, kind=MeetingKind.THEMATIC, status=MeetingStatus.PUBLISHED, late_move=True)
    make_meeting(w.cell2, month=JAN, kind=MeetingKind.COMBINED, status=MeetingStatus.APPROVED, under_length=True, late_material=True)
    make_meeting(w.cell2, month=JAN, day=2, kind=MeetingKind.COMMITTEE, status=MeetingStatus.CLOSED, under_length=True, late_move=True)  # not counted
    make_meeting(w.other_cell, month=dt.date(2026, 2, 1), status=MeetingStatus.CLOSED, under_length=True)  # another month
    _check(_figures(w.province, JAN), published_late=1, late_material=2, late_move=1, under_length=2)
    _check(_figures(w.commune, JAN), published_late=1, late_material=2, late_move=1, under_length=2)
    _check(_figures(w.cell, JAN), published_late=1, late_material=1, late_move=1, under_length=1)
    _check(_figures(w.cell2, JAN), published_late=0, late_material=1, late_move=0, under_length=1)
    _check(_figures(w.other_commune, JAN), published_late=0, late_material=0, late_move=0, under_length=0)
    _check(_figures(w.other_cell, dt.date(2026, 2, 1)), under_length=1)

    # The page: the node's figures, each child's column, and at a cell the meeting's badge.
    client = client_for("province")
    page = client.get(reverse("meetings:stats", args=[w.commune.pk]) + "?month=2026-01").content.decode()
    assert '<b data-testid="under-length">2</b>' in page and '<b data-testid="late-material">2</b>' in page and '<b data-testid="late-move">1</b>' in page
    assert "buổi dưới thời lượng tối thiểu" in page and page.count('data-testid="child-under-length">1<') == 2
    cell_page = client.get(reverse("meetings:stats", args=[w.cell.pk]) + "?month=2026-01").content.decode()
    assert cell_page.count('data-testid="meeting-under-length"') == 1

    # The XLSX export and `chibo stats --json`.
    wb = load_workbook(io.BytesIO(client.get(reverse("meetings:stats_xlsx", args=[w.commune.pk]) + "?month=2026-01").content))
    rows = list(wb["Thong ke"].iter_rows(values_only=True))
    node = dict(zip(rows[2], rows[3], strict=True))
    assert (node["Buổi dưới thời lượng tối thiểu"], node["Buổi có tài liệu bổ sung, sửa muộn"], node["Buổi dời sớm hơn sau khi thông báo"]) == (2, 2, 1)
    cell_rows = list(load_workbook(io.BytesIO(client.get(reverse("meetings:stats_xlsx", args=[w.cell.pk]) + "?month=2026-01").content))["Buoi sinh hoat"].iter_rows(values_only=True))
    meetings = [dict(zip(cell_rows[0], r, strict=True)) for r in cell_rows[1:]]
    assert sorted(m["Dưới thời lượng tối thiểu"] for m in meetings) == ["Có", "Không"]
    out = io.StringIO()
    call_command("stats", "--json", "--month", "2026-01", "--org", str(w.commune.pk), stdout=out)
    section = json.loads(out.getvalue())["meetings"]
    assert (section["under_length"], section["published_late"], section["late_material"], section["late_move"]) == (2, 1, 2, 1)
