"""Dues records built through the services, for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo.core.dates import today
from chibo.dues import services
from chibo.dues.models import DuesBasis, Receipt
from tests.factories import World


@dataclass
class DuesScene:
    basis: DuesBasis
    receipt: Receipt


def dues_scene(world: World) -> DuesScene:
    """The cell's member pays by the regional minimum wage from January; January is paid today."""
    day = today()
    secretary = world.users["secretary"]
    basis = services.basis_set(actor=secretary, member=world.member, category="other", base_vnd=None, month_from=dt.date(day.year, 1, 1))
    receipt = services.receipt_create(actor=secretary, member=world.member, months=[dt.date(day.year, 1, 1)], paid_on=day)
    return DuesScene(basis=basis, receipt=receipt)
