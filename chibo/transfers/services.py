"""Writes of transfers: each step is one transaction with its timeline row and its audit row.

The member's record follows the steps: an official transfer inside chibo moves the membership to
the new cell on the day it is received (members.services.member_move, status unchanged); one out of
chibo ends with the status transferred_out; a temporary transfer sets temp_out from its start and
official again on return (members.services.member_set_status with owner "transfers").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.access import today
from chibo.core.dates import fmt_date
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.members import services as member_services
from chibo.members.models import Member, Membership, Status, StatusPeriod
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion
from chibo.transfers import rules
from chibo.transfers.models import EventKind, Kind, State, Transfer, TransferEvent

OWNER = "transfers"
FIELDS = [
    "kind", "state", "member", "person_name", "from_org", "from_text", "to_org", "to_text", "decided_on", "letter_number",
    "letter_on", "presented_on", "received_on", "starts_on", "ends_on", "for_study", "returned_on", "cancelled_on", "cancel_reason",
]  # fmt: skip
# Who may be transferred officially; a temporary transfer is for official members (guessed rule:
# temp_out counts as an official member's status, members.models.OFFICIAL_OR_AWAY_STATUSES).
MOVABLE = (Status.OFFICIAL, Status.PROBATIONARY, Status.EXEMPTED)


def _cell(org: Organisation, on: dt.date, *, field: str) -> OrgVersion:
    version = OrgVersion.objects.filter(org=org, valid_from__lte=on, valid_to__gt=on).first()
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Nơi đến phải là một chi bộ đang hoạt động vào ngày %(date)s.") % {"date": fmt_date(on)}, field=field)
    return version


def _not_future(on: dt.date, *, field: str = "on") -> None:
    if on > today():
        raise ChiboError(_("Ngày không được ở tương lai."), field=field)


def _not_before(on: dt.date, earlier: dt.date | None, *, label: str, field: str = "on") -> None:
    if earlier and on < earlier:
        raise ChiboError(_("Ngày phải từ %(date)s (%(label)s) trở đi.") % {"date": fmt_date(earlier), "label": label}, field=field)


def _event(transfer: Transfer, *, kind: str, on: dt.date, actor: Any, note: str, before: dict[str, Any] | None, summary: str) -> None:
    TransferEvent.objects.create(transfer=transfer, kind=kind, on=on, actor=actor if getattr(actor, "pk", None) else None, note=note[:300])
    audit.record(
        actor=actor, verb=f"transfers.{kind}", obj=transfer, summary=summary, before=before, after=audit.snapshot(transfer, FIELDS),
    )  # fmt: skip


def _save(transfer: Transfer) -> None:
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:  # a concurrent transfer of the same member
        raise ChiboError(_("Đảng viên này đang có một việc chuyển sinh hoạt chưa xong.")) from exc


@transaction.atomic
def transfer_start(
    *, actor: Any, member: Member, kind: str, on: dt.date, to_org: Organisation | None = None, to_text: str = "",
    ends_on: dt.date | None = None, for_study: bool = False, letter_number: str = "", note: str = "",
) -> Transfer:  # fmt: skip
    """An official transfer decided on ``on`` (the decision or the permanent move), or a temporary
    one starting on ``on`` until ``ends_on``; to a cell of chibo (``to_org``) or outside (``to_text``)."""
    if kind not in Kind.values:
        raise ChiboError(_("Hãy chọn loại chuyển sinh hoạt."), field="kind")
    to_text = (to_text or "").strip()
    if (to_org is None) == (not to_text):
        raise ChiboError(_("Hãy chọn chi bộ nơi đến hoặc ghi tên tổ chức đảng nơi đến ngoài hệ thống (chỉ một trong hai)."), field="to_org")
    _not_future(on)
    current = Membership.objects.select_for_update().filter(member=member, valid_to=OPEN).first()
    if current is None:
        raise ChiboError(_("Đảng viên này không còn sinh hoạt ở chi bộ nào."))
    status = StatusPeriod.objects.filter(member=member, valid_to=OPEN).values_list("status", flat=True).first()
    if to_org is not None:
        if to_org.pk == current.org_id:
            raise ChiboError(_("Đảng viên đang sinh hoạt ở chi bộ này."), field="to_org")
        _cell(to_org, on, field="to_org")
    if Transfer.objects.filter(member=member, state__in=[State.DECIDED, State.IN_TRANSIT, State.PRESENTED, State.AWAY]).exists():
        raise ChiboError(_("Đảng viên này đang có một việc chuyển sinh hoạt chưa xong."))
    transfer = Transfer(
        kind=kind, member=member, person_name=member.full_name, from_org_id=current.org_id, to_org=to_org, to_text=to_text,
        letter_number=(letter_number or "").strip(), note=(note or "").strip(), created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    if kind == Kind.OFFICIAL:
        if status not in MOVABLE:
            raise ChiboError(_("Chỉ chuyển sinh hoạt cho đảng viên đang sinh hoạt (dự bị, chính thức hoặc miễn sinh hoạt)."))
        transfer.state = State.DECIDED
        transfer.decided_on = on
        transfer.letter_due = rules.letter_due(on)
        _save(transfer)
        summary = _("Quyết định chuyển sinh hoạt chính thức của %(name)s") % {"name": member.full_name}
        _event(transfer, kind=EventKind.DECIDED, on=on, actor=actor, note=note, before=None, summary=summary)
        return transfer
    if status != Status.OFFICIAL:
        raise ChiboError(_("Chỉ đảng viên chính thức đang sinh hoạt mới chuyển sinh hoạt tạm thời."))
    if ends_on is None:
        raise ChiboError(_("Hãy nhập ngày kết thúc sinh hoạt tạm thời."), field="ends_on")
    if not rules.temporary_period_ok(on, ends_on, for_study=for_study):
        if for_study:
            message = _("Đi học: sinh hoạt tạm thời từ %(min)s đến %(max)s tháng.") % {
                "min": settings.CHIBO_TRANSFER_TEMP_MIN_MONTHS, "max": settings.CHIBO_TRANSFER_STUDY_MAX_MONTHS,
            }  # fmt: skip
        else:
            message = _("Sinh hoạt tạm thời từ %(min)s tháng đến dưới %(max)s tháng (đi học: đến %(study)s tháng).") % {
                "min": settings.CHIBO_TRANSFER_TEMP_MIN_MONTHS, "max": settings.CHIBO_TRANSFER_TEMP_MAX_MONTHS,
                "study": settings.CHIBO_TRANSFER_STUDY_MAX_MONTHS,
            }  # fmt: skip
        raise ChiboError(message, field="ends_on")
    transfer.state = State.AWAY
    transfer.starts_on, transfer.ends_on, transfer.for_study = on, ends_on, for_study
    _save(transfer)
    member_services.member_set_status(actor=actor, member=member, status=Status.TEMP_OUT, on=on, note=_("Chuyển sinh hoạt tạm thời"), owner=OWNER)
    summary = _("%(name)s chuyển sinh hoạt tạm thời đến %(end)s") % {"name": member.full_name, "end": fmt_date(ends_on)}
    _event(transfer, kind=EventKind.AWAY, on=on, actor=actor, note=note, before=None, summary=summary)
    return transfer


@transaction.atomic
def transfer_record_incoming(
    *, actor: Any, to_org: Organisation, person_name: str, from_text: str, letter_number: str, letter_on: dt.date,
    presented_on: dt.date, note: str = "",
) -> Transfer:  # fmt: skip
    """A member coming from outside chibo presents the introduction letter at a cell."""
    person_name, from_text, letter_number = person_name.strip(), from_text.strip(), letter_number.strip()
    if not person_name:
        raise ChiboError(_("Hãy ghi họ tên đảng viên."), field="person_name")
    if not from_text:
        raise ChiboError(_("Hãy ghi tổ chức đảng nơi chuyển đi."), field="from_text")
    if not letter_number:
        raise ChiboError(_("Hãy ghi số giấy giới thiệu."), field="letter_number")
    _not_future(letter_on, field="letter_on")
    _not_future(presented_on, field="presented_on")
    _not_before(presented_on, letter_on, label=_("ngày giới thiệu"), field="presented_on")
    _cell(to_org, presented_on, field="to_org")
    transfer = Transfer(
        kind=Kind.OFFICIAL, state=State.PRESENTED, person_name=person_name, from_text=from_text, to_org=to_org,
        letter_number=letter_number, letter_on=letter_on, present_due=rules.present_due(letter_on), presented_on=presented_on,
        note=note.strip(), created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    _save(transfer)
    TransferEvent.objects.create(transfer=transfer, kind=EventKind.LETTER, on=letter_on, note=from_text[:300])
    summary = _("%(name)s nộp giấy giới thiệu số %(number)s từ %(src)s") % {"name": person_name, "number": letter_number, "src": from_text}
    _event(transfer, kind=EventKind.PRESENTED, on=presented_on, actor=actor, note=note, before=None, summary=summary)
    return transfer


def _locked(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update(of=("self",)).select_related("member").get(pk=transfer.pk)


def _expect(transfer: Transfer, *states: str) -> None:
    if transfer.state not in states:
        raise ChiboError(_("Bước này không làm được khi việc chuyển sinh hoạt ở trạng thái “%(state)s”.") % {"state": State(transfer.state).label})


@transaction.atomic
def transfer_issue_letter(*, actor: Any, transfer: Transfer, on: dt.date, letter_number: str, note: str = "") -> Transfer:
    """The sending side issues the introduction letter: the member is in transit from then. A letter
    more than 60 working days after the decision is accepted and shown late."""
    transfer = _locked(transfer)
    _expect(transfer, State.DECIDED)
    letter_number = (letter_number or "").strip()
    if not letter_number:
        raise ChiboError(_("Hãy ghi số giấy giới thiệu."), field="letter_number")
    _not_future(on)
    _not_before(on, transfer.decided_on, label=_("ngày quyết định"))
    before = audit.snapshot(transfer, FIELDS)
    transfer.letter_number, transfer.letter_on, transfer.state = letter_number, on, State.IN_TRANSIT
    transfer.present_due = rules.present_due(on) if transfer.to_org_id else None
    transfer.save()
    summary = _("Giới thiệu chuyển sinh hoạt %(name)s, giấy số %(number)s") % {"name": transfer.person_name, "number": letter_number}
    if transfer.letter_late:
        summary += " " + _("(quá %(n)s ngày làm việc)") % {"n": settings.CHIBO_TRANSFER_LETTER_WORKDAYS}
    _event(transfer, kind=EventKind.LETTER, on=on, actor=actor, note=note, before=before, summary=summary)
    return transfer


@transaction.atomic
def transfer_present(*, actor: Any, transfer: Transfer, on: dt.date, note: str = "") -> Transfer:
    """The member presents the letter at the receiving cell (late after 30 working days)."""
    transfer = _locked(transfer)
    _expect(transfer, State.IN_TRANSIT)
    if transfer.to_org_id is None:
        raise ChiboError(_("Nơi đến ở ngoài hệ thống: bên chuyển đi ghi nhận đảng viên đã chuyển đi."))
    _not_future(on)
    _not_before(on, transfer.letter_on, label=_("ngày giới thiệu"))
    before = audit.snapshot(transfer, FIELDS)
    transfer.presented_on, transfer.state = on, State.PRESENTED
    transfer.save()
    summary = _("%(name)s nộp giấy giới thiệu ở nơi đến") % {"name": transfer.person_name}
    if transfer.present_late:
        summary += " " + _("(quá %(n)s ngày làm việc)") % {"n": settings.CHIBO_TRANSFER_PRESENT_WORKDAYS}
    _event(transfer, kind=EventKind.PRESENTED, on=on, actor=actor, note=note, before=before, summary=summary)
    return transfer


@transaction.atomic
def transfer_receive(*, actor: Any, transfer: Transfer, on: dt.date, note: str = "") -> Transfer:
    """Inside chibo: the receiving cell takes the member's record on ``on`` (status unchanged). Out
    of chibo: the sending side records that the member has left (status transferred_out)."""
    transfer = _locked(transfer)
    _not_future(on)
    before = audit.snapshot(transfer, FIELDS)
    member = transfer.member
    if transfer.to_org_id is None:
        _expect(transfer, State.IN_TRANSIT)
        _not_before(on, transfer.letter_on, label=_("ngày giới thiệu"))
        assert member is not None
        member_services.member_set_status(
            actor=actor, member=member, status=Status.TRANSFERRED_OUT, on=on, note=transfer.to_text[:300], owner=OWNER,
        )  # fmt: skip
        kind, summary = EventKind.LEFT, _("%(name)s đã chuyển sinh hoạt đến %(dst)s") % {"name": transfer.person_name, "dst": transfer.to_text}
    else:
        _expect(transfer, State.PRESENTED)
        if member is None:
            raise ChiboError(_("Hãy nhập hồ sơ đảng viên chuyển đến để tiếp nhận."))
        _not_before(on, transfer.presented_on, label=_("ngày nộp giấy giới thiệu"))
        member_services.member_move(actor=actor, member=member, org=transfer.to_org, on=on, note=note or transfer.letter_number)  # type: ignore[arg-type]
        kind, summary = EventKind.RECEIVED, _("Tiếp nhận %(name)s") % {"name": transfer.person_name}
    transfer.received_on, transfer.state = on, State.RECEIVED
    transfer.save()
    _event(transfer, kind=kind, on=on, actor=actor, note=note, before=before, summary=summary)
    return transfer


@transaction.atomic
def transfer_receive_incoming(*, actor: Any, transfer: Transfer, on: dt.date, profile: dict[str, Any], note: str = "") -> Transfer:
    """A member from outside chibo is received: their record is created in the cell from ``on``."""
    transfer = _locked(transfer)
    _expect(transfer, State.PRESENTED)
    if transfer.from_org_id is not None or transfer.to_org is None:
        raise ChiboError(_("Chỉ nhập hồ sơ cho đảng viên chuyển đến từ ngoài hệ thống."))
    _not_future(on, field="joined_on")
    _not_before(on, transfer.presented_on, label=_("ngày nộp giấy giới thiệu"), field="joined_on")
    before = audit.snapshot(transfer, FIELDS)
    member = member_services.member_create(actor=actor, org=transfer.to_org, data=profile, joined_on=on)
    transfer.member, transfer.person_name = member, member.full_name
    transfer.received_on, transfer.state = on, State.RECEIVED
    _save(transfer)
    summary = _("Tiếp nhận %(name)s chuyển đến từ %(src)s") % {"name": member.full_name, "src": transfer.from_text}
    _event(transfer, kind=EventKind.RECEIVED, on=on, actor=actor, note=note, before=before, summary=summary)
    return transfer


@transaction.atomic
def transfer_return(*, actor: Any, transfer: Transfer, on: dt.date, note: str = "") -> Transfer:
    """The end of a temporary transfer: the member is official at the home cell again from ``on``."""
    transfer = _locked(transfer)
    _expect(transfer, State.AWAY)
    _not_future(on)
    assert transfer.starts_on is not None and transfer.member is not None
    if on <= transfer.starts_on:
        raise ChiboError(_("Ngày trở về phải sau ngày bắt đầu (%(date)s).") % {"date": fmt_date(transfer.starts_on)}, field="on")
    before = audit.snapshot(transfer, FIELDS)
    member_services.member_set_status(actor=actor, member=transfer.member, status=Status.OFFICIAL, on=on, note=_("Hết sinh hoạt tạm thời"), owner=OWNER)
    transfer.returned_on, transfer.state = on, State.RETURNED
    transfer.save()
    summary = _("%(name)s trở về sinh hoạt ở chi bộ") % {"name": transfer.person_name}
    _event(transfer, kind=EventKind.RETURNED, on=on, actor=actor, note=note, before=before, summary=summary)
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer, on: dt.date, reason: str) -> Transfer:
    """Cancel a transfer not yet received (a temporary one ends with its return instead)."""
    transfer = _locked(transfer)
    _expect(transfer, State.DECIDED, State.IN_TRANSIT, State.PRESENTED)
    reason = (reason or "").strip()
    if not reason:
        raise ChiboError(_("Hãy ghi lý do hủy."), field="reason")
    _not_future(on)
    before = audit.snapshot(transfer, FIELDS)
    transfer.cancelled_on, transfer.cancel_reason, transfer.state = on, reason[:300], State.CANCELLED
    transfer.save()
    summary = _("Hủy chuyển sinh hoạt của %(name)s: %(reason)s") % {"name": transfer.person_name, "reason": reason}
    _event(transfer, kind=EventKind.CANCELLED, on=on, actor=actor, note=reason, before=before, summary=summary)
    return transfer


FLAG_FIELDS = {"letter": "letter_flagged_on", "present": "present_flagged_on", "return": "return_flagged_on"}


@transaction.atomic
def transfer_flag(*, transfer: Transfer, what: str, on: dt.date) -> bool:
    """Flag a late step once (the daily job); False when it was flagged already."""
    field = FLAG_FIELDS[what]
    updated = Transfer.objects.filter(pk=transfer.pk, **{f"{field}__isnull": True}).update(**{field: on})
    if not updated:
        return False
    transfer.refresh_from_db()
    notes = {
        "letter": _("Quá %(n)s ngày làm việc chưa giới thiệu chuyển sinh hoạt") % {"n": settings.CHIBO_TRANSFER_LETTER_WORKDAYS},
        "present": _("Quá %(n)s ngày làm việc chưa nộp giấy giới thiệu ở nơi đến") % {"n": settings.CHIBO_TRANSFER_PRESENT_WORKDAYS},
        "return": _("Đã hết thời hạn sinh hoạt tạm thời nhưng chưa trở về"),
    }
    summary = f"{transfer.person_name}: {notes[what]}"
    _event(transfer, kind=EventKind.FLAGGED, on=on, actor=None, note=notes[what], before=None, summary=summary)
    return True
