"""`chibo stats --json`: the member lifecycles' sections (issue 9 §8) agree with the records and with
the pages showing the same figures; `--org` of a cell and of the commune, `--year`, `--as-of`; the
outsider's commune is not counted; each section's query count is pinned."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.admissions import services as admission_services
from chibo.admissions.models import Candidate, State, StepKind
from chibo.admissions.selectors import white_villages
from chibo.admissions.selectors_stats import json_figures as admission_figures
from chibo.admissions.selectors_stats import topmost_targets, villages_without_members
from chibo.dues import services as dues_services
from chibo.dues.models import DuesMonth, Receipt
from chibo.dues.selectors_stats import json_figures as dues_figures
from chibo.orgs.selectors import versions_on
from chibo.probation import services as probation_services
from chibo.probation.selectors_stats import json_figures as probation_figures
from chibo.residence.selectors import json_figures as residence_figures
from chibo.transfers import services as transfer_services
from chibo.transfers.selectors_stats import json_figures as transfer_figures
from tests.admissions.factories import advance, make_candidate
from tests.factories import make_member, vn
from tests.probation.factories import probationer
from tests.residence.factories import agency_member, register, residence_scene

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(vn(2026, 6, 15, 10), tick=False) as traveller:
        yield traveller


def _json(org, *, on: dt.date = TODAY, year: int | None = None) -> dict:
    out = io.StringIO()
    args = ["stats", "--json", "--org", str(org.pk), "--as-of", on.isoformat()]
    if year is not None:
        args += ["--year", str(year)]
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def _path(org, on: dt.date = TODAY) -> str:
    return versions_on(on).get(org_id=org.pk).path


def _pinned(fn, n: int, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = fn(**kwargs)
    assert len(ctx.captured_queries) <= n, [q["sql"] for q in ctx.captured_queries]
    return result


def _num(html: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</td>', html, re.S)
    assert found, testid
    return int(re.sub(r"\D", "", re.sub(r"<[^>]+>", "", found.group(1))) or 0)


# Admissions and white villages ------------------------------------------------------------------


def test_topmost_targets_count_a_commune_and_not_its_cells():
    commune, cell, other = "/00000001/00000002/", "/00000001/00000002/00000004/", "/00000001/00000003/00000005/"
    assert topmost_targets([(2, commune, 5), (4, cell, 3), (5, other, 2)]) == 7
    assert topmost_targets([(4, cell, 3)]) == 3
    assert topmost_targets([]) == 0


def test_admissions_candidates_admitted_and_quota(world, client_for, frozen):
    frozen.move_to(vn(2026, 1, 2, 10))  # the candidates are added on 02/01/2026
    waiting, stopped, admitted = (make_candidate(world, given_name=n) for n in ("Tâm", "Bình", "Cường"))
    make_candidate(world, given_name="Dũng", cell=world.cell2)
    make_candidate(world, given_name="Giang", cell=world.other_cell)  # the outsider's commune
    frozen.move_to(vn(2026, 6, 15, 10))
    admission_services.step_record(actor=world.users["secretary"], candidate=waiting, kind=StepKind.COURSE, on=dt.date(2026, 1, 5))
    admission_services.candidate_stop(actor=world.users["secretary"], candidate=stopped, on=dt.date(2026, 2, 1), reason="Chuyển nơi ở")
    admitted = advance(world, admitted, through=StepKind.CEREMONY)
    assert admitted.state == State.ADMITTED and admitted.admitted_on == dt.date(2026, 5, 20)
    staff = world.users["staff"]
    for org, year, target in ((world.commune, 2026, 5), (world.cell, 2026, 3), (world.cell2, 2025, 9), (world.other_commune, 2026, 7)):
        admission_services.quota_set(actor=staff, org=org, year=year, target=target)

    commune = _json(world.commune)["admissions"]
    in_progress = Candidate.objects.filter(cell__in=[world.cell, world.cell2], state=State.IN_PROGRESS).count()
    ceremonies = Candidate.objects.filter(cell__in=[world.cell, world.cell2], admitted_on__year=2026).count()
    assert commune == {"candidates": in_progress, "admitted": ceremonies, "quota": 5} == {"candidates": 2, "admitted": 1, "quota": 5}
    assert _json(world.cell)["admissions"] == {"candidates": 1, "admitted": 1, "quota": 3}
    assert _json(world.province)["admissions"] == {"candidates": 3, "admitted": 1, "quota": 12}
    assert _json(world.commune, year=2025)["admissions"] == {"candidates": 2, "admitted": 0, "quota": 9}
    # As of 31/01/2026 the stopped candidate was still waiting and the ceremony not held.
    assert _json(world.commune, on=dt.date(2026, 1, 31))["admissions"] == {"candidates": 4, "admitted": 0, "quota": 5}
    # The committee page shows the same figures.
    html = client_for("staff").get(reverse("admissions:org", args=[world.commune.pk]) + "?year=2026").content.decode()
    total = re.search(r'data-testid="admitted-total">(.*?)</p>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "Đã kết nạp trong năm: 1" in total and "chỉ tiêu 5" in total and "Đang xem xét: 2" in total
    _pinned(admission_figures, 2, path=_path(world.commune), year=2026, on=TODAY)


def test_villages_without_members(world, frozen):
    staff = world.users["staff"]
    for name in ("Trung Sơn", "Đồng Tâm", "Thôn Mới"):  # members; a cell without members; no cell
        admission_services.area_add(actor=staff, commune=world.commune, kind="village", name=name)
    admission_services.area_add(actor=world.users["admin"], commune=world.other_commune, kind="village", name="Làng Xa")
    version = versions_on(TODAY).get(org_id=world.commune.pk)
    page = white_villages(version=version, on=TODAY)
    assert _json(world.commune)["villages_without_members"] == len(page["flagged"]) == 2
    assert _json(world.province)["villages_without_members"] == 3
    assert _json(world.cell)["villages_without_members"] == 0
    _pinned(villages_without_members, 3, version=version, on=TODAY)


# Probation -----------------------------------------------------------------------------------------


def test_probation_probationary_due_and_overdue(world, client_for, frozen):
    probationer(world.cell, admitted_on=dt.date(2025, 3, 2))  # ended 02/03: vote overdue
    probationer(world.cell, admitted_on=dt.date(2025, 6, 10))  # ended 10/06: due
    probationer(world.cell2, admitted_on=dt.date(2026, 1, 10))  # still on probation
    voted = probationer(world.cell, admitted_on=dt.date(2025, 4, 1))  # voted 10/04: decision overdue
    probationer(world.other_cell, admitted_on=dt.date(2025, 3, 2))  # the outsider's commune
    probation_services.vote_record(actor=world.users["secretary"], member=voted, held_on=dt.date(2026, 4, 10), yes_votes=2)

    commune = _json(world.commune)["probation"]
    assert commune == {"probationary": 4, "due_for_vote": 2, "overdue": 2}
    assert _json(world.cell2)["probation"] == {"probationary": 1, "due_for_vote": 0, "overdue": 0}
    assert _json(world.province)["probation"] == {"probationary": 5, "due_for_vote": 3, "overdue": 3}
    # As of 05/04/2026: the vote not held yet (due, in time), the first one not yet overdue either.
    assert _json(world.commune, on=dt.date(2026, 4, 5))["probation"] == {"probationary": 4, "due_for_vote": 2, "overdue": 0}
    html = client_for("staff").get(reverse("probation:pipeline", args=[world.commune.pk])).content.decode()
    assert _num(html, "total-due") == commune["due_for_vote"] and _num(html, "total-overdue") == commune["overdue"]
    _pinned(probation_figures, 1, path=_path(world.commune), year=2026, on=TODAY)


# Transfers -----------------------------------------------------------------------------------------


def _official(world, member, to_org=None, *, days: tuple[dt.date, ...], to_text: str = ""):
    staff = world.users["staff"]
    t = transfer_services.transfer_start(actor=staff, member=member, kind="official", on=days[0], to_org=to_org, to_text=to_text)
    if len(days) > 1:
        t = transfer_services.transfer_issue_letter(actor=staff, transfer=t, on=days[1], letter_number="1-GGT")
    if len(days) > 2 and to_org is not None:
        t = transfer_services.transfer_present(actor=staff, transfer=t, on=days[2])
    if len(days) > 3 or (len(days) > 2 and to_org is None):
        t = transfer_services.transfer_receive(actor=staff, transfer=t, on=days[-1])
    return t


def test_transfers_in_transit_incoming_outgoing(world, frozen):
    d = dt.date
    _official(world, world.member, world.cell2, days=(d(2026, 2, 2), d(2026, 2, 3), d(2026, 2, 4), d(2026, 2, 5)))  # within the commune
    _official(world, world.other_member, world.cell, days=(d(2025, 11, 3), d(2025, 11, 4), d(2025, 11, 5), d(2025, 11, 10)))  # last year
    _official(world, make_member(world.cell2, given_name="Sơn"), world.other_cell, days=(d(2026, 5, 4), d(2026, 5, 5)))  # in transit
    _official(world, make_member(world.cell, given_name="Vinh"), to_text="Đảng bộ phường Bạch Đằng", days=(d(2026, 4, 1), d(2026, 4, 2), d(2026, 4, 3)))
    _official(world, make_member(world.cell, given_name="Yến"), world.cell2, days=(d(2026, 5, 4),))  # decided only
    transfer_services.transfer_record_incoming(
        actor=world.users["staff"], to_org=world.cell, person_name="Lê Thị Hoa", from_text="Đảng bộ phường Hồng Hà",
        letter_number="45-GGT", letter_on=d(2026, 3, 2), presented_on=d(2026, 3, 3),
    )  # fmt: skip
    transfer_services.transfer_start(
        actor=world.users["staff"], member=world.secretary_member, kind="temporary", on=d(2026, 3, 1), to_org=world.other_cell, ends_on=d(2026, 9, 1)
    )  # fmt: skip

    assert _json(world.commune)["transfers"] == {"in_transit": 2, "incoming": 0, "outgoing": 1}
    assert _json(world.cell)["transfers"] == {"in_transit": 1, "incoming": 0, "outgoing": 2}
    assert _json(world.cell2)["transfers"] == {"in_transit": 1, "incoming": 1, "outgoing": 0}
    assert _json(world.other_commune)["transfers"] == {"in_transit": 1, "incoming": 0, "outgoing": 0}
    assert _json(world.province)["transfers"] == {"in_transit": 2, "incoming": 0, "outgoing": 1}
    assert _json(world.commune, year=2025)["transfers"] == {"in_transit": 2, "incoming": 1, "outgoing": 0}
    assert _json(world.cell, on=d(2026, 2, 4))["transfers"] == {"in_transit": 1, "incoming": 0, "outgoing": 0}
    _pinned(transfer_figures, 1, path=_path(world.commune), year=2026, on=TODAY)


# Dues ------------------------------------------------------------------------------------------------


def test_dues_owed_collected_arrears(world, client_for, frozen):
    sec = world.users["secretary"]
    d = dt.date
    dues_services.basis_set(actor=sec, member=world.member, category="other", base_vnd=None, month_from=d(2026, 1, 1))
    dues_services.receipt_create(actor=sec, member=world.member, months=[d(2026, 1, 1), d(2026, 2, 1)], paid_on=d(2026, 3, 10))
    dues_services.basis_set(actor=sec, member=world.secretary_member, category="other", base_vnd=None, month_from=d(2026, 1, 1))
    dues_services.receipt_create(actor=sec, member=world.secretary_member, months=[d(2026, m, 1) for m in range(1, 7)], paid_on=d(2026, 6, 1))
    other = make_member(world.cell2, given_name="Minh")
    dues_services.basis_set(actor=world.users["staff"], member=other, category="salary", base_vnd=10_000_000, month_from=d(2026, 3, 1))
    dues_services.basis_set(actor=world.users["admin"], member=world.other_member, category="other", base_vnd=None, month_from=d(2026, 1, 1))

    cells = [world.cell, world.cell2]
    months = DuesMonth.objects.filter(cell__in=cells, month__gte=d(2026, 1, 1), month__lte=d(2026, 6, 1))
    owed = months.aggregate(v=Sum("amount_vnd"))["v"]
    collected = Receipt.objects.filter(cell__in=cells, paid_on__year=2026).aggregate(v=Sum("amount_vnd"))["v"]
    commune = _json(world.commune)["dues"]
    assert commune == {"owed_vnd": owed, "collected_vnd": collected, "arrears_members": 2}  # the member (03–05), Minh (03–05)
    assert owed > collected > 0
    html = client_for("staff").get(reverse("dues:report", args=[world.commune.pk]) + "?year=2026&month=6").content.decode()
    assert [_num(html, k) for k in ("total-owed", "total-collected", "total-arrears-members")] == list(commune.values())
    cell = _json(world.cell)["dues"]
    assert cell["arrears_members"] == 1 and cell["collected_vnd"] == collected
    assert _json(world.commune, year=2025)["dues"] == {"owed_vnd": 0, "collected_vnd": 0, "arrears_members": 0}
    # As of 09/03/2026: January and February unpaid for both (the receipts came later), nothing collected.
    assert _json(world.cell, on=d(2026, 3, 9))["dues"]["arrears_members"] == 2
    assert _json(world.cell, on=d(2026, 3, 9))["dues"]["collected_vnd"] == 0
    assert _json(world.province)["dues"]["arrears_members"] == 3  # the outsider's commune's member too
    _pinned(dues_figures, 2, path=_path(world.commune), year=2026, on=TODAY)


# Residence contact --------------------------------------------------------------------------------


def test_residence_contact(world, client_for, frozen):
    scene = residence_scene(world)  # registered, met, commented
    register(world, agency_member(scene.work_cell, given_name="Hà", card="22345678"), category="student")  # exempt
    register(world, agency_member(scene.work_cell, given_name="Lan", card="32345678"), at=world.cell2)  # neither met nor commented
    figures = _json(world.commune)["residence_contact"]
    assert figures == {"registered": 3, "met_this_half_year": 1, "comments_missing": 1, "exempt": 1}
    assert _json(world.cell2)["residence_contact"] == {"registered": 1, "met_this_half_year": 0, "comments_missing": 1, "exempt": 0}
    assert _json(world.other_commune)["residence_contact"]["registered"] == 0
    html = client_for("staff").get(reverse("residence:report", args=[world.commune.pk])).content.decode()
    row = re.search(r'<tr data-testid="total">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
    assert [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', row)] == [3, 1, 1, 1]
    _pinned(residence_figures, 1, org_path=_path(world.commune), on=TODAY)


def test_plain_text_output_lists_the_sections(world, frozen):
    out = io.StringIO()
    call_command("stats", "--org", str(world.commune.pk), "--as-of", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    for key in ("admissions 2026: candidates 0", "probation 2026: probationary 0", "transfers 2026: in_transit 0",
                "dues 2026: owed_vnd 0", "residence_contact 2026: registered 0", "villages_without_members: 0"):
        assert key in text, key
