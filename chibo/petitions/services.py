"""Writes for petitions: raise, send, forward, answer, return, close out of scope, read out, close,
re-open, and the daily escalation (jobs.py). Each move is one transaction that updates the
petition, adds its timeline row (PetitionEvent) and its audit row, and notifies the people concerned.

Rules (issue 8 §3) enforced here:
- a cell sends to a committee above it on today's tree, or to an outside authority named in words;
- a level forwards only upward: to an ancestor of the organisation holding it;
- only the people handling the petition act at a level (access.can_handle);
- each hand-over sets a new deadline: ``CHIBO_PETITION_DEADLINE_WORKDAYS`` working days from today;
- the answer goes back to the cell; it is read out at one of the cell's meetings; then the cell
  closes the residents' matter or re-opens it with a reason, back to the level that answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.access import Policy, today
from chibo.core.errors import ChiboError
from chibo.core.workdays import add_working_days
from chibo.meetings import notify
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members.models import Member, Membership
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion
from chibo.petitions import access
from chibo.petitions.models import (
    AT_CELL,
    HELD,
    Category,
    EventKind,
    Petition,
    PetitionEvent,
    RaisedVia,
    Status,
)

AUDIT_FIELDS = [
    "status", "holder", "holder_external", "deadline", "escalation_count", "answer", "answered_by_org",
    "answered_by_external", "read_out_meeting", "closed_reason",
]


def deadline_from(on: dt.date) -> dt.date:
    return add_working_days(on, int(getattr(settings, "CHIBO_PETITION_DEADLINE_WORKDAYS", 15)))


def _version(org_id: int, on: dt.date) -> OrgVersion | None:
    return OrgVersion.objects.filter(org_id=org_id, valid_from__lte=on, valid_to__gt=on).first()


def ancestor_ids(org_id: int, on: dt.date) -> list[int]:
    """The organisations above ``org_id`` on the tree of ``on``, nearest first."""
    version = _version(org_id, on)
    if version is None:
        return []
    ids = [int(s) for s in version.path.strip("/").split("/") if s]
    return [i for i in reversed(ids) if i != org_id]


def org_name(org_id: int | None, on: dt.date | None = None) -> str:
    if org_id is None:
        return ""
    version = _version(org_id, on or today()) or OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from").first()
    return version.name if version else str(org_id)


def handler_users(org_id: int) -> list[Any]:
    from chibo.accounts.models import User

    return list(User.objects.filter(is_active=True, grants__org_id=org_id, grants__role__in=access.HANDLER_ROLES).distinct().order_by("pk"))


def cell_secretaries(org_id: int) -> list[Any]:
    from chibo.accounts.models import User

    return list(User.objects.filter(is_active=True, grants__org_id=org_id, grants__role="secretary").distinct().order_by("pk"))


def _notify(users: list[Any], *, petition: Petition, subject: str, body: str) -> None:
    url = reverse("petitions:detail", args=[petition.pk])
    notify.notify(recipients=[notify.Recipient(user=u, email=u.email or "") for u in users], subject=subject, body=body, url=url)


def _event(
    petition: Petition, *, kind: str, actor: Any, before: dict[str, Any], text: str = "", meeting: Meeting | None = None,
    at: dt.datetime | None = None, on: dt.date | None = None,
) -> PetitionEvent:
    """The timeline row and the audit row of one move (``before`` is the audit snapshot taken first)."""
    at = at or timezone.now()
    event = PetitionEvent.objects.create(
        petition=petition, kind=kind, actor=actor if getattr(actor, "pk", None) else None, at=at, on=on or timezone.localdate(at),
        from_status=before.get("status") or "", to_status=petition.status,
        from_holder_id=before.get("holder"), from_external=before.get("holder_external") or "",
        to_holder_id=petition.holder_id, to_external=petition.holder_external, deadline=petition.deadline,
        meeting=meeting, text=text,
    )
    audit.record(
        actor=actor, verb=f"petition.{kind}", obj=petition,
        summary=f"{EventKind(kind).label}: {petition.title}",
        before=before, after={**audit.snapshot(petition, AUDIT_FIELDS), "note": text},
    )
    return event


def _locked(petition: Petition) -> tuple[Petition, dict[str, Any]]:
    fresh = Petition.objects.select_for_update().get(pk=petition.pk)
    return fresh, audit.snapshot(fresh, AUDIT_FIELDS)


def _clean(value: str, *, field: str, limit: int, required: bool = True, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ChiboError(message or _("Hãy nhập nội dung."), field=field)
    if len(text) > limit:
        raise ChiboError(_("Tối đa %(n)s ký tự.") % {"n": limit}, field=field)
    return text


# Raising --------------------------------------------------------------------------------------


@transaction.atomic
def petition_raise(
    *,
    actor: Any,
    cell: Organisation,
    raised_via: str,
    category: str,
    title: str,
    text: str,
    raised_by: Member | None = None,
    raised_by_name: str = "",
    meeting: Meeting | None = None,
    resident_name: str = "",
    resident_phone: str = "",
    resident_address: str = "",
    on: dt.date | None = None,
) -> Petition:
    """A petition raised in ``cell`` (at a meeting, by an upper-level attendee, by a member in the app,
    or at a briefing: ``raised_via`` is a RaisedVia value). It waits at the cell until sent."""
    on = on or today()
    version = _version(cell.pk, on)
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Kiến nghị được ghi nhận tại một chi bộ đang hoạt động."))
    if raised_via not in RaisedVia.values:
        raise ChiboError(_("Nguồn kiến nghị không hợp lệ."), field="raised_via")
    if category not in Category.values:
        raise ChiboError(_("Hãy chọn lĩnh vực."), field="category")
    if raised_via == RaisedVia.MEETING and meeting is None:
        raise ChiboError(_("Hãy chọn cuộc họp đã nêu kiến nghị."), field="meeting")
    if meeting is not None and meeting.org_id != cell.pk:
        raise ChiboError(_("Cuộc họp không phải của chi bộ này."), field="meeting")
    name = _clean(raised_by_name, field="raised_by_name", limit=200, required=False)
    if raised_by is not None:
        in_cell = Membership.objects.filter(member=raised_by, org=cell, valid_from__lte=on, valid_to__gt=on).exists()
        if not in_cell:
            raise ChiboError(_("Đảng viên này không sinh hoạt tại chi bộ."), field="raised_by")
    elif not name:
        raise ChiboError(_("Hãy chọn đảng viên nêu kiến nghị hoặc ghi tên người nêu."), field="raised_by_name")
    petition = Petition(
        org=cell, raised_via=raised_via, meeting=meeting, raised_by=raised_by, raised_by_name=name,
        created_by=actor if getattr(actor, "pk", None) else None, raised_on=on, category=category,
        title=_clean(title, field="title", limit=200, message=_("Hãy nhập tiêu đề.")),
        text=_clean(text, field="text", limit=5000, message=_("Hãy nhập nội dung kiến nghị.")),
        resident_name=_clean(resident_name, field="resident_name", limit=200, required=False),
        resident_phone=_clean(resident_phone, field="resident_phone", limit=20, required=False),
        resident_address=_clean(resident_address, field="resident_address", limit=300, required=False),
        status=Status.OPEN,
    )
    petition.save()
    # The timeline and the audit never carry the resident's identity: only the petition row does.
    _event(petition, kind=EventKind.RAISED, actor=actor, before={}, text=str(RaisedVia(raised_via).label))
    if raised_via in (RaisedVia.APP, RaisedVia.UPPER, RaisedVia.BRIEFING):
        _notify(
            [u for u in cell_secretaries(cell.pk) if u.pk != getattr(actor, "pk", None)], petition=petition,
            subject=_("Kiến nghị mới: %(title)s") % {"title": petition.title},
            body=_("%(cell)s có kiến nghị mới chờ gửi lên cấp có thẩm quyền.") % {"cell": version.name},
        )
    return petition


# The cell sends it up ---------------------------------------------------------------------------


def _hand_over(petition: Petition, *, to_org_id: int | None, to_external: str, on: dt.date) -> None:
    petition.holder_id = to_org_id
    petition.holder_external = "" if to_org_id else to_external
    petition.deadline = deadline_from(on)
    petition.stalled_on = None


def _destination(to_org_id: int | None, to_external: str) -> tuple[int | None, str]:
    external = (to_external or "").strip()
    if to_org_id and external:
        raise ChiboError(_("Chọn một cấp ủy cấp trên hoặc ghi tên cơ quan ngoài Đảng, không chọn cả hai."), field="to_external")
    if not to_org_id and not external:
        raise ChiboError(_("Hãy chọn cấp ủy cấp trên hoặc ghi tên cơ quan có thẩm quyền."), field="to_org")
    if len(external) > 200:
        raise ChiboError(_("Tối đa %(n)s ký tự.") % {"n": 200}, field="to_external")
    return to_org_id or None, external


@transaction.atomic
def petition_send(*, actor: Any, petition: Petition, to_org_id: int | None = None, to_external: str = "", note: str = "") -> Petition:
    """The cell sends a new (or returned) petition to a committee above it, or to an outside authority."""
    petition, before = _locked(petition)
    if not access.can_manage_cell(Policy(actor), petition):
        raise ChiboError(_("Chỉ bí thư chi bộ hoặc cấp ủy cấp trên mới gửi được kiến nghị."))
    if petition.status not in AT_CELL:
        raise ChiboError(_("Kiến nghị không còn ở chi bộ để gửi."))
    to_org_id, external = _destination(to_org_id, to_external)
    on = today()
    if to_org_id is not None and to_org_id not in ancestor_ids(petition.org_id, on):
        raise ChiboError(_("Chi bộ chỉ gửi kiến nghị lên cấp ủy cấp trên của mình."), field="to_org")
    note = _clean(note, field="note", limit=5000, required=False)
    petition.status = Status.AT_LEVEL
    _hand_over(petition, to_org_id=to_org_id, to_external=external, on=on)
    petition.save()
    _event(petition, kind=EventKind.SENT, actor=actor, before=before, text=note)
    if to_org_id:
        _notify(handler_users(to_org_id), petition=petition, subject=_("Kiến nghị chờ xử lý: %(title)s") % {"title": petition.title},
                body=_("%(cell)s gửi kiến nghị, hạn trả lời %(deadline)s.") % {"cell": org_name(petition.org_id), "deadline": f"{petition.deadline:%d/%m/%Y}"})
    return petition


# What the holding level does -----------------------------------------------------------------------


def _check_handler(actor: Any, petition: Petition) -> None:
    if petition.status not in HELD:
        raise ChiboError(_("Kiến nghị không ở cấp này để xử lý."))
    if not access.can_handle(Policy(actor), petition):
        raise ChiboError(_("Chỉ người xử lý kiến nghị ở cấp đang giữ mới thực hiện được."))


@transaction.atomic
def petition_forward(*, actor: Any, petition: Petition, to_org_id: int, note: str = "") -> Petition:
    """Forward upward: to a committee above the organisation holding it (above the cell when an
    outside authority holds it)."""
    petition, before = _locked(petition)
    _check_handler(actor, petition)
    on = today()
    above = ancestor_ids(petition.holder_id or petition.org_id, on)
    if not to_org_id or to_org_id not in above:
        raise ChiboError(_("Chỉ chuyển kiến nghị lên cấp ủy cấp trên của cấp đang giữ."), field="to_org")
    note = _clean(note, field="note", limit=5000, required=False)
    petition.status = Status.AT_LEVEL
    _hand_over(petition, to_org_id=to_org_id, to_external="", on=on)
    petition.save()
    _event(petition, kind=EventKind.FORWARDED, actor=actor, before=before, text=note)
    _notify(handler_users(to_org_id), petition=petition, subject=_("Kiến nghị chờ xử lý: %(title)s") % {"title": petition.title},
            body=_("%(from)s chuyển kiến nghị của %(cell)s, hạn trả lời %(deadline)s.") % {
                "from": org_name(before.get("holder")) or before.get("holder_external"), "cell": org_name(petition.org_id),
                "deadline": f"{petition.deadline:%d/%m/%Y}"})
    return petition


def _back_to_cell(petition: Petition) -> None:
    petition.holder_id = None
    petition.holder_external = ""
    petition.deadline = None
    petition.stalled_on = None


@transaction.atomic
def petition_answer(*, actor: Any, petition: Petition, text: str) -> Petition:
    petition, before = _locked(petition)
    _check_handler(actor, petition)
    answer = _clean(text, field="text", limit=5000, message=_("Hãy nhập nội dung trả lời."))
    now = timezone.now()
    petition.answered_by_org_id = petition.holder_id
    petition.answered_by_external = petition.holder_external
    petition.status = Status.ANSWERED
    petition.answer = answer
    petition.answered_at = now
    petition.answered_on = timezone.localdate(now)
    petition.read_out_meeting = None
    petition.read_out_at = None
    _back_to_cell(petition)
    petition.save()
    _event(petition, kind=EventKind.ANSWERED, actor=actor, before=before, text=answer, at=now)
    _notify(cell_secretaries(petition.org_id), petition=petition, subject=_("Kiến nghị đã được trả lời: %(title)s") % {"title": petition.title},
            body=_("Hãy thông báo câu trả lời tại cuộc họp chi bộ gần nhất."))
    return petition


@transaction.atomic
def petition_return(*, actor: Any, petition: Petition, question: str) -> Petition:
    """Back to the cell with a question; the cell sends it again with the answer to it."""
    petition, before = _locked(petition)
    _check_handler(actor, petition)
    question = _clean(question, field="question", limit=5000, message=_("Hãy ghi nội dung cần làm rõ."))
    petition.status = Status.RETURNED
    _back_to_cell(petition)
    petition.save()
    _event(petition, kind=EventKind.RETURNED, actor=actor, before=before, text=question)
    _notify(cell_secretaries(petition.org_id), petition=petition, subject=_("Kiến nghị cần làm rõ: %(title)s") % {"title": petition.title}, body=question)
    return petition


@transaction.atomic
def petition_close_out_of_scope(*, actor: Any, petition: Petition, reason: str) -> Petition:
    petition, before = _locked(petition)
    _check_handler(actor, petition)
    reason = _clean(reason, field="reason", limit=5000, message=_("Hãy ghi lý do."))
    petition.status = Status.OUT_OF_SCOPE
    petition.closed_reason = reason
    _back_to_cell(petition)
    petition.save()
    _event(petition, kind=EventKind.OUT_OF_SCOPE, actor=actor, before=before, text=reason)
    _notify(cell_secretaries(petition.org_id), petition=petition, subject=_("Kiến nghị không thuộc thẩm quyền: %(title)s") % {"title": petition.title}, body=reason)
    return petition


# Back at the cell --------------------------------------------------------------------------------


@transaction.atomic
def petition_read_out(*, actor: Any, petition: Petition, meeting: Meeting) -> Petition:
    """The answer was read out at ``meeting`` of the originating cell."""
    petition, before = _locked(petition)
    if not access.can_manage_cell(Policy(actor), petition):
        raise ChiboError(_("Chỉ bí thư chi bộ hoặc cấp ủy cấp trên mới ghi nhận được."))
    if petition.status != Status.ANSWERED:
        raise ChiboError(_("Kiến nghị chưa có câu trả lời để thông báo."))
    if petition.read_out_at is not None:
        raise ChiboError(_("Câu trả lời đã được thông báo tại cuộc họp trước."))
    if meeting.org_id != petition.org_id:
        raise ChiboError(_("Cuộc họp không phải của chi bộ đã nêu kiến nghị."), field="meeting")
    if meeting.status == MeetingStatus.DRAFT:
        raise ChiboError(_("Cuộc họp chưa được thông báo."), field="meeting")
    petition.read_out_meeting = meeting
    petition.read_out_at = timezone.now()
    petition.save()
    _event(petition, kind=EventKind.READ_OUT, actor=actor, before=before, meeting=meeting)
    return petition


@transaction.atomic
def petition_close(*, actor: Any, petition: Petition, note: str = "") -> Petition:
    """The residents' matter is closed, after the answer was read out."""
    petition, before = _locked(petition)
    if not access.can_manage_cell(Policy(actor), petition):
        raise ChiboError(_("Chỉ bí thư chi bộ hoặc cấp ủy cấp trên mới khép lại được."))
    if petition.status != Status.ANSWERED or petition.read_out_at is None:
        raise ChiboError(_("Chỉ khép lại sau khi câu trả lời đã được thông báo tại cuộc họp chi bộ."))
    petition.status = Status.CLOSED
    petition.save()
    _event(petition, kind=EventKind.CLOSED, actor=actor, before=before, text=_clean(note, field="note", limit=5000, required=False))
    return petition


@transaction.atomic
def petition_reopen(*, actor: Any, petition: Petition, reason: str) -> Petition:
    """Not settled: back to the level that answered, with a new deadline."""
    petition, before = _locked(petition)
    if not access.can_manage_cell(Policy(actor), petition):
        raise ChiboError(_("Chỉ bí thư chi bộ hoặc cấp ủy cấp trên mới mở lại được."))
    if petition.status != Status.ANSWERED or petition.read_out_at is None:
        raise ChiboError(_("Chỉ mở lại sau khi câu trả lời đã được thông báo tại cuộc họp chi bộ."))
    reason = _clean(reason, field="reason", limit=5000, message=_("Hãy ghi lý do mở lại."))
    on = today()
    target = petition.answered_by_org_id
    if target is not None and target not in ancestor_ids(petition.org_id, on):
        raise ChiboError(_("Cấp đã trả lời không còn là cấp trên của chi bộ; hãy gửi kiến nghị mới."))
    petition.status = Status.REOPENED
    _hand_over(petition, to_org_id=target, to_external=petition.answered_by_external, on=on)
    petition.save()
    _event(petition, kind=EventKind.REOPENED, actor=actor, before=before, text=reason)
    if target:
        _notify(handler_users(target), petition=petition, subject=_("Kiến nghị được mở lại: %(title)s") % {"title": petition.title},
                body=_("%(reason)s Hạn trả lời %(deadline)s.") % {"reason": reason, "deadline": f"{petition.deadline:%d/%m/%Y}"})
    return petition


# Escalation (jobs.escalate_overdue) --------------------------------------------------------------


@transaction.atomic
def escalate_one(*, petition: Petition, on: dt.date) -> bool:
    """An overdue petition at a committee moves to the committee's parent (a timeline entry
    "escalated", a new deadline); at the root it is flagged "stalled" instead. At most one such
    entry per petition per day (a unique constraint). True when something was done."""
    petition, before = _locked(petition)
    if petition.status not in HELD or petition.holder_id is None or petition.deadline is None or petition.deadline >= on:
        return False
    if PetitionEvent.objects.filter(petition=petition, on=on, kind__in=[EventKind.ESCALATED, EventKind.STALLED]).exists():
        return False
    above = ancestor_ids(petition.holder_id, on)
    at = timezone.now()
    from_org = petition.holder_id
    if not above:
        if petition.stalled_on is not None:
            return False  # already flagged for this deadline
        petition.stalled_on = on
        petition.save()
        _event(petition, kind=EventKind.STALLED, actor=None, before=before, at=at, on=on,
               text=_("Quá hạn %(deadline)s ở cấp cao nhất.") % {"deadline": f"{petition.deadline:%d/%m/%Y}"})
        _notify([*handler_users(from_org), *cell_secretaries(petition.org_id)], petition=petition,
                subject=_("Kiến nghị quá hạn: %(title)s") % {"title": petition.title}, body=_("Kiến nghị đã quá hạn trả lời ở cấp cao nhất."))
        return True
    to_org = above[0]
    _hand_over(petition, to_org_id=to_org, to_external="", on=on)
    petition.status = Status.AT_LEVEL
    petition.escalation_count += 1
    petition.save()
    _event(petition, kind=EventKind.ESCALATED, actor=None, before=before, at=at, on=on,
           text=_("Quá hạn ở %(from)s, chuyển lên %(to)s.") % {"from": org_name(from_org, on), "to": org_name(to_org, on)})
    _notify([*handler_users(to_org), *handler_users(from_org), *cell_secretaries(petition.org_id)], petition=petition,
            subject=_("Kiến nghị quá hạn được chuyển lên cấp trên: %(title)s") % {"title": petition.title},
            body=_("Quá hạn ở %(from)s, chuyển lên %(to)s, hạn mới %(deadline)s.") % {
                "from": org_name(from_org, on), "to": org_name(to_org, on), "deadline": f"{petition.deadline:%d/%m/%Y}"})
    return True


def current_cells_of(member: Member, on: dt.date) -> list[int]:
    return list(Membership.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on).values_list("org_id", flat=True))

