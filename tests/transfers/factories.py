"""Transfers built through the services, for tests."""

from __future__ import annotations

import datetime as dt

from chibo.core.dates import today
from chibo.transfers import services
from chibo.transfers.models import Transfer
from tests.factories import World


def in_transit(world: World, *, member=None, to=None, decided: dt.date | None = None) -> Transfer:  # type: ignore[no-untyped-def]
    """An official transfer of the cell's member (to cell2 by default) with its letter issued today."""
    staff = world.users["staff"]
    on = decided or today()
    transfer = services.transfer_start(actor=staff, member=member or world.member, kind="official", on=on, to_org=to or world.cell2)
    return services.transfer_issue_letter(actor=staff, transfer=transfer, on=on, letter_number="12-GGT/ĐU")


def incoming(world: World) -> Transfer:
    """A member from outside chibo who presented the letter at the cell today."""
    return services.transfer_record_incoming(
        actor=world.users["staff"], to_org=world.cell, person_name="Lê Thị Hoa", from_text="Đảng bộ phường Bạch Đằng, tỉnh Hải Phòng",
        letter_number="45-GGT/ĐU", letter_on=today(), presented_on=today(),
    )  # fmt: skip
