"""Daily jobs of transfers: flag the late steps once and tell the people concerned (the
secretaries and staff granted on the cell that must act, or on its parent committee)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.accounts.selectors import users_with_grant
from chibo.core.models import OPEN
from chibo.meetings.notify import Recipient, notify
from chibo.orgs.models import OrgVersion
from chibo.transfers import services
from chibo.transfers.models import Kind, State, Transfer


def _people(org_id: int | None) -> list[Any]:
    """Active users with a secretary or staff grant on the cell or on its parent."""

    if org_id is None:
        return []
    parent = OrgVersion.objects.filter(org_id=org_id, valid_to=OPEN).values_list("parent_id", flat=True).first()
    orgs = [org_id] + ([parent] if parent else [])
    return users_with_grant(org_ids=orgs, roles=["secretary", "staff"])


def _flag(transfers: list[Transfer], *, what: str, side: str, today: dt.date, subject: str) -> int:
    done = 0
    for transfer in transfers:
        if not services.transfer_flag(transfer=transfer, what=what, on=today):
            continue
        users = _people(transfer.from_org_id if side == "from" else transfer.to_org_id)
        if transfer.member_id:  # the member too, when they have an account
            from chibo.accounts.models import User

            users += [u for u in User.objects.filter(member_id=transfer.member_id, is_active=True) if u not in users]
        body = subject + ": " + transfer.person_name
        notify(recipients=[Recipient(user=u, email=u.email or "") for u in users], subject=subject, body=body, url=reverse("transfers:detail", args=[transfer.pk]))
        done += 1
    return done


def flag_late(*, today: dt.date) -> int:
    """The letter not issued 60 working days after the decision; the letter not presented 30 working
    days after it was issued; a temporary transfer past its end without return. Each flagged once."""
    letters = list(Transfer.objects.filter(state=State.DECIDED, letter_due__lt=today, letter_flagged_on__isnull=True).order_by("pk"))
    presents = list(Transfer.objects.filter(state=State.IN_TRANSIT, present_due__lt=today, present_flagged_on__isnull=True).order_by("pk"))
    returns = list(Transfer.objects.filter(kind=Kind.TEMPORARY, state=State.AWAY, ends_on__lt=today, return_flagged_on__isnull=True).order_by("pk"))
    return (
        _flag(letters, what="letter", side="from", today=today, subject=_("Quá hạn giới thiệu chuyển sinh hoạt đảng"))
        + _flag(presents, what="present", side="to", today=today, subject=_("Quá hạn nộp giấy giới thiệu chuyển sinh hoạt đảng"))
        + _flag(returns, what="return", side="from", today=today, subject=_("Hết hạn sinh hoạt tạm thời, chưa trở về"))
    )


DAILY = [flag_late]
