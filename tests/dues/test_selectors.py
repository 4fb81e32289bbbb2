"""Reads: the removal-ground selector, a member's account, a cell, and the report agreeing with the records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from chibo.core.access import Policy
from chibo.dues import selectors as sel
from chibo.dues import services
from chibo.dues.models import DuesMonth, Receipt, Remittance
from chibo.orgs.models import OrgVersion
from tests.factories import make_member

D = dt.date


def test_unpaid_months_for_the_removal_ground(world, june) -> None:
    sec = world.users["secretary"]
    paying = world.member
    exempt = make_member(world.cell, given_name="Miễn", born=D(1980, 1, 1))
    none = make_member(world.cell, given_name="Chưa", born=D(1981, 1, 1))
    for m in (paying, exempt):
        services.basis_set(actor=sec, member=m, category="other", base_vnd=None, month_from=D(2026, 1, 1))
    services.relief_add(actor=sec, member=exempt, kind="exempt", reason="poor", note="Hộ nghèo", percent=None, month_from=D(2026, 1, 1), month_to=None)
    services.receipt_create(actor=sec, member=paying, months=[D(2026, 2, 1)], paid_on=D(2026, 3, 5))
    services.receipt_create(actor=sec, member=paying, months=[D(2026, 4, 1)], paid_on=D(2026, 6, 15))
    found = sel.unpaid_months(member_ids=[paying.pk, exempt.pk, none.pk], year=2026, until=D(2026, 5, 31))
    # April was paid on 15/06, after the day asked: unpaid then.
    assert found == {paying.pk: [D(2026, 1, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]}
    assert sel.unpaid_months(member_ids=[paying.pk], year=2026, until=D(2026, 6, 15))[paying.pk] == [D(2026, m, 1) for m in (1, 3, 5, 6)]
    assert sel.unpaid_months(member_ids=[paying.pk], year=2026, until=D(2026, 3, 31))[paying.pk] == [D(2026, 1, 1), D(2026, 3, 1)]
    assert sel.unpaid_months(member_ids=[paying.pk], year=2025, until=D(2026, 6, 15)) == {}
    assert sel.unpaid_months(member_ids=[], year=2026, until=D(2026, 6, 15)) == {}


def test_account_and_cell(world, june) -> None:
    sec = world.users["secretary"]
    services.basis_set(actor=sec, member=world.member, category="other", base_vnd=None, month_from=D(2026, 4, 1))
    services.receipt_create(actor=sec, member=world.member, months=[D(2026, 4, 1)], paid_on=D(2026, 6, 2))
    acc = sel.account(member=world.member, on=D(2026, 6, 15))
    assert [m.month for m in acc.owing] == [D(2026, 5, 1), D(2026, 6, 1)] and acc.owing_vnd == 30_000 and acc.arrears == 1
    assert sel.payable_months(member=world.member, on=D(2026, 6, 15), ahead=2) == [D(2026, 5, 1), D(2026, 6, 1), D(2026, 7, 1), D(2026, 8, 1)]
    version = OrgVersion.objects.get(org=world.cell, valid_to__gt=D(2026, 6, 15))
    cell = sel.cell_dues(version=version, on=D(2026, 6, 15))
    assert (cell.in_arrears, cell.collected_month, cell.receipts_month) == (1, 15_000, 1)
    assert cell.months_to_remit == [(D(2026, 6, 1), 15_000, 10_500)]


def _scene(world):
    sec = world.users["secretary"]
    two = make_member(world.cell2, given_name="Hai", born=D(1982, 1, 1))
    for m in (world.member, two, world.other_member):
        services.basis_set(actor=None, member=m, category="other", base_vnd=None, month_from=D(2026, 1, 1))
    services.receipt_create(actor=sec, member=world.member, months=[D(2026, m, 1) for m in (1, 2, 3)], paid_on=D(2026, 3, 20))
    services.receipt_create(actor=None, member=two, months=[D(2026, 1, 1)], paid_on=D(2026, 6, 1))
    services.remittance_create(actor=sec, cell=world.cell, month=D(2026, 3, 1), to_org=world.commune, amount_vnd=31_500, remitted_on=D(2026, 3, 25))
    return two


def test_report_figures_agree_with_the_records(world, june) -> None:
    _scene(world)
    policy = Policy(world.users["staff"])
    version = OrgVersion.objects.get(org=world.commune, valid_to__gt=D(2026, 6, 15))
    rep = sel.report(policy=policy, version=version, year=2026, month=6, today=D(2026, 6, 15))
    cells = [world.cell.pk, world.cell2.pk]
    owed = DuesMonth.objects.filter(cell_id__in=cells, month__year=2026).aggregate(v=Sum("amount_vnd"))["v"]
    collected = Receipt.objects.filter(cell_id__in=cells, paid_on__year=2026).aggregate(v=Sum("amount_vnd"))["v"]
    late = DuesMonth.objects.filter(cell_id__in=cells, month__lt=D(2026, 6, 1), receipt__isnull=True, amount_vnd__gt=0)
    assert rep.total.owed == owed == 12 * 15_000
    assert rep.total.collected == collected == 4 * 15_000
    assert rep.total.arrears_vnd == late.aggregate(v=Sum("amount_vnd"))["v"] == (2 + 4) * 15_000
    assert rep.total.arrears_members == late.values("member_id").distinct().count() == 2
    assert rep.total.remitted == 31_500 and rep.total.received == 31_500
    assert [r.amount_vnd for r in rep.received] == [31_500]
    by = {c.version.org_id: c.figures for c in rep.children}
    assert by[world.cell.pk].collected == 45_000 and by[world.cell2.pk].collected == 15_000
    assert by[world.cell.pk].owed + by[world.cell2.pk].owed == rep.total.owed
    assert rep.series["collected"][2] == 45_000 and rep.series["collected"][5] == 15_000 and rep.series["remitted"][2] == 31_500
    # The province sees the commune's row, and the commune's remittance received by the commune.
    prov = sel.report(policy=Policy(world.users["province"]), version=OrgVersion.objects.get(org=world.province, valid_to__gt=D(2026, 6, 15)),
                      year=2026, month=6, today=D(2026, 6, 15))
    by = {c.version.org_id: c.figures for c in prov.children}
    assert by[world.commune.pk].received == 31_500 and prov.total.received == 0
    assert by[world.other_commune.pk].owed == 6 * 15_000 and prov.total.owed == 18 * 15_000
    # Up to March: the months then, the receipts then, arrears as of 31/03.
    march = sel.report(policy=policy, version=version, year=2026, month=3, today=D(2026, 6, 15))
    assert (march.total.owed, march.total.collected, march.total.arrears_vnd, march.total.arrears_members) == (90_000, 45_000, 45_000, 1)
    assert Remittance.objects.count() == 1
