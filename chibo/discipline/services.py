"""Writes for exemption, removal, discipline, flags and reconciliation. Each service is one
transaction with its audit row; member statuses change only through
``members.services.member_set_status(owner="discipline")``, in the same transaction.

Rules (domain.md §2 "Exemption", "Removal and discipline", "Records"):
- exemption (24-QĐ/TW §7.1): an official member applies, in writing or in person, with a ground
  (advanced age, weak health; 27-HD/BTCTW's definitions are LOW: recorded, not enforced); the cell
  decides (exempted or refused); an exemption in force can end (back to official). One open at a time;
- removal (24-QĐ/TW §8.1): the cell proposes with a ground and reason; the competent committee (a
  committee above the cell) decides, with a document number; removal sets the status "removed";
- discipline: reprimand, warning, dismissal, expulsion, with date, deciding body, reason and document
  number; a probationary member can receive only a reprimand or a warning while the versioned
  setting CHIBO_DISCIPLINE_PROBATIONARY_LIGHT_ONLY holds (LOW, default on); expulsion removes;
- flags: raised by the daily job from grounds.py, dismissed by the cell with a reason, or closed by
  a removal proposal made from them; never a removal by themselves;
- reconciliation (01-HD/TW §8): the books' counts beside the registry's on the day; a difference
  must be described.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import fmt_date
from chibo.core.dates import today as local_today
from chibo.core.errors import ChiboError
from chibo.core.rules import rule_on
from chibo.discipline import selectors as sel
from chibo.discipline.models import (
    PROBATIONARY_KINDS,
    ApplicationForm,
    DisciplineKind,
    DisciplineRecord,
    Exemption,
    ExemptionGround,
    ExemptionStatus,
    FlagStatus,
    Reconciliation,
    Removal,
    RemovalFlag,
    RemovalGround,
    RemovalStatus,
)
from chibo.members.models import ACTIVE_STATUSES, Member, Status
from chibo.members.services import member_set_status
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion

OWNER = "discipline"
EXEMPTION_FIELDS = ["member", "cell", "applied_on", "form", "ground", "ground_note", "status", "decided_on", "decision_note", "ended_on", "end_note"]
REMOVAL_FIELDS = ["member", "cell", "ground", "reason", "proposed_on", "flag", "status", "decided_on", "deciding_org", "document_number", "decision_note"]
RECORD_FIELDS = ["member", "cell", "kind", "decided_on", "deciding_body", "reason", "document_number"]
FLAG_FIELDS = ["member", "cell", "year", "ground", "months", "status", "dismissed_reason", "dismissed_on"]
RECONCILE_FIELDS = ["cell", "checked_on", "checked_by", "book_current", "book_left", "book_deceased", "registry_current", "registry_left", "registry_deceased", "differences", "note"]


def _not_future(day: dt.date, field: str, label: str) -> None:
    if day > local_today():
        raise ChiboError(_("%(label)s không được sau hôm nay.") % {"label": label}, field=field)


def _cell_of(member: Member, on: dt.date) -> int:
    cell_id = sel.member_cell_on(member.pk, on) or sel.member_cell_on(member.pk, local_today())
    if cell_id is None:
        raise ChiboError(_("Vào ngày %(day)s đảng viên không sinh hoạt ở chi bộ nào.") % {"day": fmt_date(on)})
    return cell_id


def _status_on(member: Member, on: dt.date) -> str | None:
    return sel.member_status_on(member.pk, on)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ChiboError(message, field=field)
    return value


# Exemption -------------------------------------------------------------------------------------


@transaction.atomic
def exemption_apply(*, actor: Any, member: Member, applied_on: dt.date, form: str, ground: str, ground_note: str = "") -> Exemption:
    """The secretary records the member's application (in writing or in person) with its date and ground."""
    _not_future(applied_on, "applied_on", _("Ngày nộp đơn"))
    if form not in ApplicationForm.values:
        raise ChiboError(_("Hãy chọn hình thức xin miễn."), field="form")
    if ground not in ExemptionGround.values:
        raise ChiboError(_("Hãy chọn lý do xin miễn."), field="ground")
    if ground == ExemptionGround.OTHER and not ground_note.strip():
        raise ChiboError(_("Hãy ghi rõ lý do xin miễn."), field="ground_note")
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if _status_on(member, local_today()) != Status.OFFICIAL:
        raise ChiboError(_("Chỉ đảng viên chính thức đang sinh hoạt mới xin miễn công tác và sinh hoạt đảng."))
    if Exemption.objects.filter(member=member, status__in=[ExemptionStatus.APPLIED, ExemptionStatus.EXEMPTED]).exists():
        raise ChiboError(_("Đảng viên đã có đơn xin miễn đang chờ quyết định hoặc đang được miễn."))
    found = Exemption.objects.create(
        member=member, cell_id=_cell_of(member, applied_on), applied_on=applied_on, form=form, ground=ground, ground_note=ground_note.strip(),
    )
    audit.record(
        actor=actor, verb="discipline.exemption_apply", obj=found,
        summary=_("%(name)s xin miễn công tác và sinh hoạt đảng (%(ground)s)") % {"name": member.full_name, "ground": found.get_ground_display()},
        after=audit.snapshot(found, EXEMPTION_FIELDS),
    )  # fmt: skip
    return found


@transaction.atomic
def exemption_decide(*, actor: Any, exemption: Exemption, approve: bool, decided_on: dt.date, note: str = "") -> Exemption:
    """The cell's decision (its date and the vote or decision in a note); approved, the member is exempted from that day."""
    found = Exemption.objects.select_for_update().select_related("member").get(pk=exemption.pk)
    if found.status != ExemptionStatus.APPLIED:
        raise ChiboError(_("Đơn này đã được quyết định."))
    _not_future(decided_on, "decided_on", _("Ngày quyết định"))
    if decided_on < found.applied_on:
        raise ChiboError(_("Ngày quyết định không được trước ngày nộp đơn (%(day)s).") % {"day": fmt_date(found.applied_on)}, field="decided_on")
    if not approve and not note.strip():
        raise ChiboError(_("Hãy ghi lý do chi bộ không đồng ý."), field="note")
    before = audit.snapshot(found, EXEMPTION_FIELDS)
    found.status = ExemptionStatus.EXEMPTED if approve else ExemptionStatus.REFUSED
    found.decided_on, found.decision_note = decided_on, note.strip()
    found.save()
    if approve:
        member_set_status(actor=actor, member=found.member, status=Status.EXEMPTED, on=decided_on, note=_("Chi bộ quyết định miễn công tác và sinh hoạt đảng"), owner=OWNER)
    audit.record(
        actor=actor, verb="discipline.exemption_decide", obj=found,
        summary=_("%(name)s: %(status)s") % {"name": found.member.full_name, "status": found.get_status_display()},
        before=before, after=audit.snapshot(found, EXEMPTION_FIELDS),
    )  # fmt: skip
    return found


@transaction.atomic
def exemption_end(*, actor: Any, exemption: Exemption, ended_on: dt.date, note: str = "") -> Exemption:
    """The exemption ends: the member is an official member again from ``ended_on``."""
    found = Exemption.objects.select_for_update().select_related("member").get(pk=exemption.pk)
    if found.status != ExemptionStatus.EXEMPTED:
        raise ChiboError(_("Chỉ kết thúc được việc miễn đang có hiệu lực."))
    _not_future(ended_on, "ended_on", _("Ngày thôi miễn"))
    assert found.decided_on is not None
    if ended_on <= found.decided_on:
        raise ChiboError(_("Ngày thôi miễn phải sau ngày được miễn (%(day)s).") % {"day": fmt_date(found.decided_on)}, field="ended_on")
    before = audit.snapshot(found, EXEMPTION_FIELDS)
    found.status, found.ended_on, found.end_note = ExemptionStatus.ENDED, ended_on, note.strip()
    found.save()
    member_set_status(actor=actor, member=found.member, status=Status.OFFICIAL, on=ended_on, note=_("Thôi miễn công tác và sinh hoạt đảng"), owner=OWNER)
    audit.record(
        actor=actor, verb="discipline.exemption_end", obj=found,
        summary=_("%(name)s thôi miễn công tác và sinh hoạt đảng") % {"name": found.member.full_name},
        before=before, after=audit.snapshot(found, EXEMPTION_FIELDS),
    )  # fmt: skip
    return found


# Removal ---------------------------------------------------------------------------------------


@transaction.atomic
def removal_propose(
    *, actor: Any, member: Member, ground: str, reason: str, proposed_on: dt.date, flag: RemovalFlag | None = None,
) -> Removal:  # fmt: skip
    """The cell proposes removing the member (xóa tên), with its ground; a flag it rests on is closed."""
    if ground not in RemovalGround.values:
        raise ChiboError(_("Hãy chọn căn cứ xóa tên."), field="ground")
    reason = _text(reason, "reason", _("Hãy ghi lý do đề nghị xóa tên."))
    _not_future(proposed_on, "proposed_on", _("Ngày đề nghị"))
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if _status_on(member, local_today()) not in ACTIVE_STATUSES:
        raise ChiboError(_("Đảng viên này không còn trong danh sách đảng viên của chi bộ."))
    if Removal.objects.filter(member=member, status=RemovalStatus.PROPOSED).exists():
        raise ChiboError(_("Đã có đề nghị xóa tên đảng viên này đang chờ quyết định."))
    if flag is not None:
        flag = RemovalFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.member_id != member.pk:
            raise ChiboError(_("Cảnh báo này không phải của đảng viên này."))
    found = Removal.objects.create(member=member, cell_id=_cell_of(member, proposed_on), ground=ground, reason=reason, proposed_on=proposed_on, flag=flag)
    if flag is not None and flag.status == FlagStatus.OPEN:
        flag_before = audit.snapshot(flag, FLAG_FIELDS)
        flag.status = FlagStatus.PROPOSED
        flag.save(update_fields=["status"])
        audit.record(actor=actor, verb="discipline.flag_proposed", obj=flag, summary=_("%(name)s: đã đề nghị xóa tên") % {"name": member.full_name},
                     before=flag_before, after=audit.snapshot(flag, FLAG_FIELDS))
    audit.record(
        actor=actor, verb="discipline.removal_propose", obj=found,
        summary=_("Chi bộ đề nghị xóa tên %(name)s: %(ground)s") % {"name": member.full_name, "ground": found.get_ground_display()},
        after=audit.snapshot(found, REMOVAL_FIELDS),
    )  # fmt: skip
    return found


def deciding_committee(cell_id: int, on: dt.date) -> OrgVersion | None:
    """The committee directly above the cell (its parent on ``on``): the level that decides."""
    version = OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=on, valid_to__gt=on).first()
    if version is None or version.parent_id is None:
        return None
    return OrgVersion.objects.filter(org_id=version.parent_id, valid_from__lte=on, valid_to__gt=on).first()


@transaction.atomic
def removal_decide(
    *, actor: Any, removal: Removal, approve: bool, decided_on: dt.date, deciding_org: Organisation, document_number: str = "", note: str = "",
) -> Removal:  # fmt: skip
    """The competent committee's decision; removal sets the member's status "removed" from ``decided_on``."""
    found = Removal.objects.select_for_update().select_related("member").get(pk=removal.pk)
    if found.status != RemovalStatus.PROPOSED:
        raise ChiboError(_("Đề nghị này đã được quyết định."))
    _not_future(decided_on, "decided_on", _("Ngày quyết định"))
    if decided_on < found.proposed_on:
        raise ChiboError(_("Ngày quyết định không được trước ngày chi bộ đề nghị (%(day)s).") % {"day": fmt_date(found.proposed_on)}, field="decided_on")
    if deciding_org.pk == found.cell_id:
        raise ChiboError(_("Cấp ủy cấp trên quyết định xóa tên, không phải chi bộ."))
    if approve:
        document_number = _text(document_number, "document_number", _("Hãy nhập số quyết định."))
    elif not note.strip():
        raise ChiboError(_("Hãy ghi lý do không đồng ý."), field="note")
    before = audit.snapshot(found, REMOVAL_FIELDS)
    found.status = RemovalStatus.REMOVED if approve else RemovalStatus.REJECTED
    found.decided_on, found.deciding_org, found.document_number, found.decision_note = decided_on, deciding_org, document_number.strip(), note.strip()
    found.save()
    if approve:
        member_set_status(
            actor=actor, member=found.member, status=Status.REMOVED, on=decided_on, owner=OWNER,
            note=_("Xóa tên: quyết định số %(n)s") % {"n": found.document_number},
        )  # fmt: skip
    audit.record(
        actor=actor, verb="discipline.removal_decide", obj=found,
        summary=_("%(name)s: %(status)s") % {"name": found.member.full_name, "status": found.get_status_display()},
        before=before, after=audit.snapshot(found, REMOVAL_FIELDS),
    )  # fmt: skip
    return found


# Discipline ------------------------------------------------------------------------------------


def probationary_light_only(on: dt.date) -> bool:
    return bool(rule_on("CHIBO_DISCIPLINE_PROBATIONARY_LIGHT_ONLY", on))


@transaction.atomic
def record_add(
    *, actor: Any, member: Member, kind: str, decided_on: dt.date, deciding_body: str, reason: str, document_number: str,
) -> DisciplineRecord:  # fmt: skip
    """A discipline decision on the member's record; expulsion removes the member from ``decided_on``."""
    if kind not in DisciplineKind.values:
        raise ChiboError(_("Hãy chọn hình thức kỷ luật."), field="kind")
    _not_future(decided_on, "decided_on", _("Ngày quyết định"))
    if decided_on < member.admitted_on:
        raise ChiboError(_("Ngày quyết định không được trước ngày vào Đảng (%(day)s).") % {"day": fmt_date(member.admitted_on)}, field="decided_on")
    deciding_body = _text(deciding_body, "deciding_body", _("Hãy ghi tổ chức quyết định kỷ luật."))
    reason = _text(reason, "reason", _("Hãy ghi lý do kỷ luật."))
    document_number = _text(document_number, "document_number", _("Hãy nhập số quyết định."))
    Member.objects.select_for_update().filter(pk=member.pk).first()
    status = _status_on(member, decided_on)
    if status not in ACTIVE_STATUSES:
        raise ChiboError(_("Vào ngày %(day)s đảng viên không còn trong danh sách đảng viên.") % {"day": fmt_date(decided_on)}, field="decided_on")
    if status == Status.PROBATIONARY and kind not in PROBATIONARY_KINDS and probationary_light_only(decided_on):
        raise ChiboError(
            _("Đảng viên dự bị chỉ bị kỷ luật bằng hình thức khiển trách hoặc cảnh cáo; %(kind)s không áp dụng.") % {"kind": DisciplineKind(kind).label.lower()},
            field="kind",
        )
    found = DisciplineRecord.objects.create(
        member=member, cell_id=_cell_of(member, decided_on), kind=kind, decided_on=decided_on,
        deciding_body=deciding_body, reason=reason, document_number=document_number.strip(),
    )  # fmt: skip
    if kind == DisciplineKind.EXPULSION:
        member_set_status(actor=actor, member=member, status=Status.REMOVED, on=decided_on, owner=OWNER,
                          note=_("Khai trừ: quyết định số %(n)s") % {"n": found.document_number})
    audit.record(
        actor=actor, verb="discipline.record_add", obj=found,
        summary=_("%(name)s: kỷ luật %(kind)s") % {"name": member.full_name, "kind": found.get_kind_display().lower()},
        after=audit.snapshot(found, RECORD_FIELDS),
    )  # fmt: skip
    return found


# Flags -----------------------------------------------------------------------------------------


@transaction.atomic
def flag_raise(*, member_id: int, cell_id: int, year: int, ground: str, months: list[str], evidence: list[dict[str, Any]], on: dt.date) -> RemovalFlag | None:
    """Raise the flag of (member, year, ground), or bring an open one's months up to date (the daily
    job; idempotent). A dismissed or proposed flag is left as it is. Returns the flag when it changed."""
    flag = RemovalFlag.objects.select_for_update().filter(member_id=member_id, year=year, ground=ground).first()
    if flag is None:
        flag = RemovalFlag.objects.create(member_id=member_id, cell_id=cell_id, year=year, ground=ground, months=months, evidence=evidence, raised_on=on)
        audit.record(
            actor=None, verb="discipline.flag_raise", obj=flag,
            summary=_("Căn cứ xóa tên: %(ground)s (%(n)s tháng năm %(year)s)") % {"ground": flag.get_ground_display(), "n": len(months), "year": year},
            after=audit.snapshot(flag, FLAG_FIELDS),
        )  # fmt: skip
        return flag
    if flag.status != FlagStatus.OPEN or (flag.months == months and flag.evidence == evidence):
        return None
    before = audit.snapshot(flag, FLAG_FIELDS)
    flag.months, flag.evidence = months, evidence
    flag.save(update_fields=["months", "evidence"])
    audit.record(actor=None, verb="discipline.flag_update", obj=flag, summary=_("Cập nhật căn cứ xóa tên: %(n)s tháng") % {"n": len(months)},
                 before=before, after=audit.snapshot(flag, FLAG_FIELDS))
    return flag


@transaction.atomic
def flag_dismiss(*, actor: Any, flag: RemovalFlag, reason: str) -> RemovalFlag:
    found = RemovalFlag.objects.select_for_update().get(pk=flag.pk)
    if found.status != FlagStatus.OPEN:
        raise ChiboError(_("Cảnh báo này đã được xem xét."))
    reason = _text(reason, "reason", _("Hãy ghi lý do không đề nghị xóa tên."))
    before = audit.snapshot(found, FLAG_FIELDS)
    found.status, found.dismissed_reason, found.dismissed_on = FlagStatus.DISMISSED, reason, local_today()
    found.dismissed_by = actor if getattr(actor, "pk", None) else None
    found.save()
    audit.record(actor=actor, verb="discipline.flag_dismiss", obj=found, summary=_("Không đề nghị xóa tên: %(reason)s") % {"reason": reason},
                 before=before, after=audit.snapshot(found, FLAG_FIELDS))
    return found


# Reconciliation --------------------------------------------------------------------------------


@transaction.atomic
def reconciliation_record(
    *, actor: Any, cell: Organisation, checked_on: dt.date, checked_by: str, book_current: int, book_left: int, book_deceased: int,
    differences: str = "", note: str = "",
) -> Reconciliation:  # fmt: skip
    """A check of the registry against the cell's three books on ``checked_on``; the registry's
    counts that day are kept beside the books', and a difference must be described."""
    _not_future(checked_on, "checked_on", _("Ngày đối chiếu"))
    version = OrgVersion.objects.filter(org=cell, valid_from__lte=checked_on, valid_to__gt=checked_on).first()
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Vào ngày %(day)s đây không phải một chi bộ đang hoạt động.") % {"day": fmt_date(checked_on)}, field="checked_on")
    checked_by = _text(checked_by, "checked_by", _("Hãy ghi người đối chiếu."))
    for name, value in (("book_current", book_current), ("book_left", book_left), ("book_deceased", book_deceased)):
        if value is None or value < 0:
            raise ChiboError(_("Số đảng viên không được âm."), field=name)
    current, left, deceased = sel.registry_counts(cell_id=cell.pk, on=checked_on)
    if (book_current, book_left, book_deceased) != (current, left, deceased) and not differences.strip():
        raise ChiboError(
            _("Sổ khác danh sách đảng viên (danh sách: %(c)s đang sinh hoạt, %(l)s đã chuyển đi hoặc ra khỏi Đảng, %(d)s đã từ trần): hãy ghi chênh lệch tìm thấy.")
            % {"c": current, "l": left, "d": deceased},
            field="differences",
        )
    found = Reconciliation.objects.create(
        cell=cell, checked_on=checked_on, checked_by=checked_by, book_current=book_current, book_left=book_left, book_deceased=book_deceased,
        registry_current=current, registry_left=left, registry_deceased=deceased, differences=differences.strip(), note=note.strip(),
    )  # fmt: skip
    audit.record(
        actor=actor, verb="discipline.reconcile", obj=found,
        summary=_("Đối chiếu danh sách đảng viên %(cell)s ngày %(day)s") % {"cell": version.name, "day": fmt_date(checked_on)},
        after=audit.snapshot(found, RECONCILE_FIELDS),
    )  # fmt: skip
    return found


