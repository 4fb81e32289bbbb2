"""Dues services: every refusal changes nothing; every change writes its audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from chibo.core.errors import ChiboError
from chibo.core.models import AuditEvent
from chibo.dues import services
from chibo.dues.models import DuesBasis, DuesMonth, DuesRelief, Receipt, Remittance
from tests.factories import make_member

D = dt.date


def counts() -> tuple[int, ...]:
    return (DuesBasis.objects.count(), DuesRelief.objects.count(), DuesMonth.objects.count(), Receipt.objects.count(),
            Remittance.objects.count(), AuditEvent.objects.count(), DuesMonth.objects.filter(receipt__isnull=False).count())


def refused(call, field: str | None) -> None:
    before = counts()
    with pytest.raises(ChiboError) as exc:
        call()
    assert exc.value.field == field, exc.value.message
    assert counts() == before


@pytest.fixture
def based(world, june):
    services.basis_set(actor=world.users["secretary"], member=world.member, category="other", base_vnd=None, month_from=D(2026, 1, 1))
    return world


def test_basis_creates_the_months_up_to_this_one_with_their_rate(world, june) -> None:
    n = AuditEvent.objects.count()
    services.basis_set(actor=world.users["secretary"], member=world.member, category="salary", base_vnd=7_000_000, month_from=D(2026, 3, 1))
    months = list(DuesMonth.objects.filter(member=world.member).order_by("month"))
    assert [m.month for m in months] == [D(2026, m, 1) for m in (3, 4, 5, 6)]
    assert {(m.amount_vnd, m.rate, m.rate_since, m.cell_id) for m in months} == {(70_000, 100, D(2026, 1, 1), world.cell.pk)}
    assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").verb == "dues.basis_set"
    # A new basis from May recomputes the unpaid months from May.
    services.basis_set(actor=world.users["secretary"], member=world.member, category="pension", base_vnd=5_000_000, month_from=D(2026, 5, 1))
    assert list(DuesMonth.objects.filter(member=world.member).order_by("month").values_list("amount_vnd", flat=True)) == [70_000, 70_000, 25_000, 25_000]


def test_basis_bad_input(world, june) -> None:
    sec, m = world.users["secretary"], world.member
    refused(lambda: services.basis_set(actor=sec, member=m, category="salary", base_vnd=None, month_from=D(2026, 1, 1)), "base_vnd")
    refused(lambda: services.basis_set(actor=sec, member=m, category="salary", base_vnd=0, month_from=D(2026, 1, 1)), "base_vnd")
    refused(lambda: services.basis_set(actor=sec, member=m, category="salary", base_vnd=10_000_000_001, month_from=D(2026, 1, 1)), "base_vnd")
    refused(lambda: services.basis_set(actor=sec, member=m, category="student", base_vnd=100, month_from=D(2026, 1, 1)), "base_vnd")
    refused(lambda: services.basis_set(actor=sec, member=m, category="nope", base_vnd=None, month_from=D(2026, 1, 1)), "category")
    refused(lambda: services.basis_set(actor=sec, member=m, category="other", base_vnd=None, month_from=D(2005, 2, 1)), "month_from")
    refused(lambda: services.basis_set(actor=sec, member=m, category="other", base_vnd=None, month_from=D(2027, 7, 1)), "month_from")
    services.basis_set(actor=sec, member=m, category="other", base_vnd=None, month_from=D(2027, 6, 1))  # 12 months ahead is the limit


def test_reduction_of_12_months_accepted_13_refused(based) -> None:
    sec, m = based.users["secretary"], based.member
    kw = {"actor": sec, "member": m, "kind": "reduce", "reason": "illness", "note": "Đơn ngày 01/02/2026"}
    refused(lambda: services.relief_add(**kw, percent=50, month_from=D(2026, 2, 1), month_to=D(2027, 2, 1)), "month_to")
    refused(lambda: services.relief_add(**kw, percent=40, month_from=D(2026, 2, 1), month_to=D(2026, 3, 1)), "percent")
    refused(lambda: services.relief_add(**kw, percent=50, month_from=D(2026, 2, 1), month_to=None), "month_to")
    refused(lambda: services.relief_add(**kw, percent=50, month_from=D(2026, 4, 1), month_to=D(2026, 3, 1)), "month_to")
    refused(lambda: services.relief_add(**{**kw, "note": "  "}, percent=50, month_from=D(2026, 2, 1), month_to=D(2026, 3, 1)), "note")
    n = AuditEvent.objects.count()
    services.relief_add(**kw, percent=50, month_from=D(2026, 2, 1), month_to=D(2027, 1, 1))
    assert AuditEvent.objects.count() == n + 1
    amounts = dict(DuesMonth.objects.filter(member=m).values_list("month", "amount_vnd"))
    assert amounts[D(2026, 1, 1)] == 15_000 and amounts[D(2026, 2, 1)] == 8_000 and amounts[D(2026, 6, 1)] == 8_000
    # An overlapping relief is refused.
    refused(lambda: services.relief_add(actor=sec, member=m, kind="exempt", reason="poor", note="Hộ nghèo 2026", percent=None,
                                        month_from=D(2026, 6, 1), month_to=None), "month_from")


def test_exemption_on_request_open_ended(based) -> None:
    services.relief_add(actor=based.users["secretary"], member=based.member, kind="exempt", reason="social_pension", note="Quyết định 12/QĐ-UBND",
                        percent=33, month_from=D(2026, 4, 1), month_to=None)
    relief = DuesRelief.objects.get()
    assert relief.percent is None and relief.month_to is None
    amounts = dict(DuesMonth.objects.filter(member=based.member).values_list("month", "amount_vnd"))
    assert amounts[D(2026, 3, 1)] == 15_000 and amounts[D(2026, 4, 1)] == 0 and amounts[D(2026, 6, 1)] == 0


def test_fifty_years_of_party_age_month_is_exempt(world, june) -> None:
    old = make_member(world.cell, given_name="Lão", born=D(1950, 1, 1), admitted_on=D(1976, 4, 20), official_on=D(1977, 4, 20))
    services.basis_set(actor=None, member=old, category="pension", base_vnd=6_000_000, month_from=D(2026, 1, 1))
    amounts = dict(DuesMonth.objects.filter(member=old).values_list("month", "amount_vnd"))
    assert amounts[D(2026, 3, 1)] == 30_000 and amounts[D(2026, 4, 1)] == 0 and amounts[D(2026, 6, 1)] == 0


def test_receipt_for_two_months_numbers_per_cell_and_year(based) -> None:
    sec, m = based.users["secretary"], based.member
    n = AuditEvent.objects.count()
    r1 = services.receipt_create(actor=sec, member=m, months=[D(2026, 1, 1), D(2026, 2, 1)], paid_on=D(2026, 6, 10))
    assert (r1.number, r1.year, r1.amount_vnd, r1.cell_id, r1.collected_by_id) == (1, 2026, 30_000, based.cell.pk, sec.pk)
    assert set(r1.months.values_list("month", flat=True)) == {D(2026, 1, 1), D(2026, 2, 1)}
    assert AuditEvent.objects.count() == n + 1
    r2 = services.receipt_create(actor=sec, member=m, months=[D(2026, 3, 1)], paid_on=D(2026, 6, 15), amount_vnd=15_000, method="portal", portal_ref="DVC-123")
    assert (r2.number, r2.method, r2.portal_ref) == (2, "portal", "DVC-123")
    # Paying ahead creates the month's record.
    r3 = services.receipt_create(actor=sec, member=m, months=[D(2026, 8, 1)], paid_on=D(2026, 6, 15), number=7)
    assert r3.number == 7 and DuesMonth.objects.get(member=m, month=D(2026, 8, 1)).receipt_id == r3.pk


def test_receipts_with_bad_input_change_nothing(based, world) -> None:
    sec, m = world.users["secretary"], world.member
    services.receipt_create(actor=sec, member=m, months=[D(2026, 1, 1)], paid_on=D(2026, 6, 1))

    def pay(**kw):
        args = {"actor": sec, "member": m, "months": [D(2026, 2, 1)], "paid_on": D(2026, 6, 10), **kw}
        return lambda: services.receipt_create(**args)

    refused(pay(months=[]), "months")
    refused(pay(months=[D(2026, 1, 1)]), "months")  # already paid
    refused(pay(months=[D(2025, 12, 1)]), "months")  # no basis then
    refused(pay(months=[D(2027, 7, 1)]), "months")  # more than 12 months ahead
    refused(pay(paid_on=D(2026, 6, 16)), "paid_on")  # tomorrow
    refused(pay(paid_on=None), "paid_on")
    refused(pay(amount_vnd=14_000), "amount_vnd")
    refused(pay(method="portal", portal_ref=""), "portal_ref")
    refused(pay(method="bank"), "method")
    refused(pay(number=1), "number")  # already used this year in this cell
    refused(pay(number=0), "number")
    assert not DuesMonth.objects.filter(member=m, month=D(2026, 2, 1), receipt__isnull=False).exists()


def test_remittance(based, world) -> None:
    sec = world.users["secretary"]
    services.receipt_create(actor=sec, member=world.member, months=[D(2026, 1, 1), D(2026, 2, 1)], paid_on=D(2026, 6, 3))
    assert services.collected_in(cell_id=world.cell.pk, month=D(2026, 6, 1)) == 30_000
    assert services.share_up(30_000, D(2026, 6, 1)) == 21_000  # the cell keeps 30%

    def remit(**kw):
        args = {"actor": sec, "cell": world.cell, "month": D(2026, 6, 1), "to_org": world.commune, "amount_vnd": 21_000, "remitted_on": D(2026, 6, 15), **kw}
        return lambda: services.remittance_create(**args)

    refused(remit(to_org=world.other_commune), "to_org")
    refused(remit(to_org=world.cell), "to_org")
    refused(remit(amount_vnd=0), "amount_vnd")
    refused(remit(month=D(2026, 7, 1)), "month")
    refused(remit(remitted_on=D(2026, 5, 31)), "remitted_on")
    refused(remit(remitted_on=D(2026, 6, 16)), "remitted_on")
    refused(remit(cell=world.commune, to_org=world.province), None)
    n = AuditEvent.objects.count()
    row = remit()()
    assert (row.to_org_id, row.amount_vnd) == (world.commune.pk, 21_000) and AuditEvent.objects.count() == n + 1
    refused(remit(), "month")  # once per cell and month
    remit(month=D(2026, 5, 1), to_org=world.province, remitted_on=D(2026, 6, 1))()  # any level above


def test_region_override_nearest_up_the_tree(world, june) -> None:
    staff = world.users["staff"]
    services.region_set(actor=world.users["province"], org=world.province, region="III")
    services.region_set(actor=staff, org=world.commune, region="II")
    from chibo.orgs.models import OrgVersion

    paths = dict(OrgVersion.objects.filter(valid_to__gt=D(2026, 6, 15)).values_list("org_id", "path"))
    found = services.regions_for(paths)
    assert found[world.cell.pk] == "II" and found[world.other_cell.pk] == "III"
    with pytest.raises(ChiboError):
        services.region_set(actor=staff, org=world.commune, region="V")
    services.basis_set(actor=None, member=world.member, category="other", base_vnd=None, month_from=D(2026, 6, 1))
    row = DuesMonth.objects.get(member=world.member)
    assert (row.region, row.base_vnd, row.amount_vnd) == ("II", 4_410_000, 14_000)  # 13,230 → 14,000


def test_open_month_is_idempotent(based) -> None:
    DuesMonth.objects.filter(month=D(2026, 6, 1)).delete()
    assert services.open_month(month=D(2026, 6, 1), on=D(2026, 6, 1)) == 1
    assert services.open_month(month=D(2026, 6, 1), on=D(2026, 6, 1)) == 0


def test_the_rate_change_on_1_january_2028_is_kept_on_each_month(world) -> None:
    import time_machine

    from tests.factories import vn

    with time_machine.travel(vn(2027, 12, 20, 9), tick=False):
        services.basis_set(actor=None, member=world.member, category="other", base_vnd=None, month_from=D(2027, 11, 1))
        receipt = services.receipt_create(actor=None, member=world.member, months=[D(2027, 12, 1), D(2028, 1, 1), D(2028, 2, 1)], paid_on=D(2027, 12, 20))
    rows = {m.month: m for m in DuesMonth.objects.filter(member=world.member)}
    assert (rows[D(2027, 12, 1)].rate, rows[D(2027, 12, 1)].rate_since, rows[D(2027, 12, 1)].amount_vnd) == (30, D(2026, 1, 1), 15_000)
    assert (rows[D(2028, 1, 1)].rate, rows[D(2028, 1, 1)].rate_since, rows[D(2028, 1, 1)].amount_vnd) == (50, D(2028, 1, 1), 25_000)
    assert receipt.amount_vnd == 15_000 + 25_000 + 25_000
