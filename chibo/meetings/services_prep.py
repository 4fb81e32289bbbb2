"""Writes for the monthly meeting before it opens: schedule, agenda, materials, draft, publication,
comments, and upper-level attendees. Each service is one transaction with its audit row.

Rules (domain.md §3):
- one regular (or combined) meeting per cell per month (Charter Art. 24.2; DB constraint);
- the regular day is the nearest MeetingDay rule up the tree, else settings;
- documents at least CHIBO_PUBLISH_MIN_HOURS before (42-HD/BTCTW). Late documents are counted, not
  refused: published less than that before the start (``published_late``); a material added or removed,
  or the draft resolution changed, after that point while the meeting is published (``late_material``); the meeting moved earlier after
  publishing (``late_move``, and ``published_late`` too when the publication is now less than that
  before the new start). Each flag is set in the transaction of the change and is in its audit row;
  none is ever cleared (the members were told late, whatever happens next);
- members and the assigned upper-level attendee are told time, place and content (42-HD/BTCTW).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import secrets
import uuid
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import fmt_date, fmt_time
from chibo.core.errors import ChiboError
from chibo.meetings import notify
from chibo.meetings import selectors_prep as sel
from chibo.meetings.agenda_templates import agenda_for
from chibo.meetings.models import (
    REGULAR_KINDS,
    AgendaItem,
    AgendaSection,
    Comment,
    Material,
    Meeting,
    MeetingDay,
    MeetingKind,
    MeetingStatus,
    UpperAssignment,
)
from chibo.orgs.models import CELL_KINDS, Organisation

EDITABLE = (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED)
MAX_AGENDA_ITEMS = 60
MEETING_FIELDS = [
    "kind", "month", "starts_at", "place", "topic", "moved_reason", "status", "published_at", "published_late",
    "late_material", "late_move",
]
MOVE_FIELDS = ["starts_at", "moved_reason", "published_late", "late_move"]


def _clean_text(value: str, *, max_length: int) -> str:
    return (value or "").strip()[:max_length]


def _cell_version(cell: Organisation) -> Any:
    version = sel.current_version(cell.pk)
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Chỉ tạo cuộc họp cho chi bộ đang hoạt động."))
    return version


def _check_editable(meeting: Meeting) -> None:
    if meeting.status not in EDITABLE:
        raise ChiboError(_("Cuộc họp đã bắt đầu, không sửa phần chuẩn bị được nữa."))


def _when(value: dt.datetime) -> str:
    """HH:MM dd/mm/yyyy in Vietnam (notifications, mails, audit summaries)."""
    return f"{fmt_time(value)} {fmt_date(value)}"


# Schedule ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_day_set(*, actor: Any, org: Organisation, day_of_month: int, time: dt.time, note: str = "") -> MeetingDay:
    if not 1 <= day_of_month <= 28:
        raise ChiboError(_("Ngày sinh hoạt phải từ 1 đến 28."), field="day_of_month")
    rule = MeetingDay.objects.filter(org=org).first()
    before = _rule_snapshot(rule) if rule else {}
    if rule is None:
        rule = MeetingDay(org=org)
    rule.day_of_month, rule.time, rule.note = day_of_month, time, _clean_text(note, max_length=200)
    rule.save()
    audit.record(
        actor=actor, verb="meeting.day_set", obj=org,
        summary=_("Ngày sinh hoạt định kỳ: ngày %(day)s hằng tháng, %(time)s") % {"day": day_of_month, "time": time.strftime("%H:%M")},
        before=before, after=_rule_snapshot(rule),
    )
    return rule


def _rule_snapshot(rule: MeetingDay) -> dict[str, Any]:
    return {"day_of_month": rule.day_of_month, "time": rule.time.strftime("%H:%M"), "note": rule.note}


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    cell: Organisation,
    month: dt.date,
    kind: str = MeetingKind.REGULAR,
    starts_at: dt.datetime | None = None,
    place: str = "",
    topic: str = "",
) -> Meeting:
    version = _cell_version(cell)
    if kind not in MeetingKind.values:
        raise ChiboError(_("Hãy chọn loại cuộc họp."), field="kind")
    month = sel.month_start(month)
    if kind in REGULAR_KINDS and Meeting.objects.filter(org=cell, month=month, kind__in=REGULAR_KINDS).exists():
        raise ChiboError(_("Chi bộ đã có cuộc sinh hoạt thường kỳ tháng %(month)s. Mỗi tháng chỉ có một cuộc sinh hoạt thường kỳ (có thể kết hợp chuyên đề).") % {"month": month.strftime("%m/%Y")}, field="month")
    if kind == MeetingKind.THEMATIC and not _clean_text(topic, max_length=300):
        raise ChiboError(_("Hãy nhập chủ đề sinh hoạt chuyên đề."), field="topic")
    if starts_at is None:
        starts_at = sel.default_starts_at(version=version, month=month)
    meeting = Meeting(org=cell, month=month, kind=kind, starts_at=starts_at, place=_clean_text(place, max_length=200), topic=_clean_text(topic, max_length=300))
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:  # a concurrent request created the month's regular meeting
        raise ChiboError(_("Chi bộ đã có cuộc sinh hoạt thường kỳ tháng %(month)s.") % {"month": month.strftime("%m/%Y")}, field="month") from exc
    AgendaItem.objects.bulk_create(
        # The template's hints (item.details) are guidance shown in the forms, never stored as content.
        [AgendaItem(meeting=meeting, position=i, section=item.section, title=item.title) for i, item in enumerate(agenda_for(kind=kind, sector=version.sector), start=1)]
    )
    audit.record(
        actor=actor, verb="meeting.create", obj=meeting,
        summary=_("Tạo %(kind)s tháng %(month)s, %(when)s") % {"kind": meeting.get_kind_display(), "month": month.strftime("%m/%Y"), "when": _when(starts_at)},
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_move(*, actor: Any, meeting: Meeting, starts_at: dt.datetime, reason: str) -> Meeting:
    """A new time, with its reason. Moving a published meeting earlier makes its documents late
    (``late_move``); if the publication is now less than the minimum before the new start, the
    publication is late too (``published_late``)."""
    meeting = _lock(meeting)
    _check_editable(meeting)
    reason = _clean_text(reason, max_length=300)
    if not reason:
        raise ChiboError(_("Hãy ghi lý do dời lịch họp."), field="reason")
    if starts_at == meeting.starts_at:
        raise ChiboError(_("Thời gian mới trùng thời gian cũ."), field="starts_at")
    before = audit.snapshot(meeting, MOVE_FIELDS)
    earlier_after_publishing = meeting.status == MeetingStatus.PUBLISHED and starts_at < meeting.starts_at
    meeting.starts_at, meeting.moved_reason = starts_at, reason
    summary = _("Dời lịch họp sang %(when)s. Lý do: %(reason)s") % {"when": _when(starts_at), "reason": reason}
    if earlier_after_publishing:
        meeting.late_move = True
        summary += " — " + _("dời sớm hơn sau khi đã thông báo (tài liệu tính là muộn)")
        assert meeting.published_at is not None
        if not meeting.published_late and publish_is_late(meeting=meeting, now=meeting.published_at):
            meeting.published_late = True
            summary += " — " + _("thông báo nay còn chưa đến %(hours)s giờ trước giờ họp mới") % {"hours": _min_hours()}
    meeting.save(update_fields=MOVE_FIELDS)
    audit.record(
        actor=actor, verb="meeting.move", obj=meeting, summary=summary,
        before=before, after=audit.snapshot(meeting, MOVE_FIELDS),
    )
    if meeting.status == MeetingStatus.PUBLISHED:
        subject = _("Thay đổi lịch sinh hoạt chi bộ tháng %(month)s") % {"month": meeting.month.strftime("%m/%Y")}
        body = _("Cuộc họp chuyển sang %(when)s tại %(place)s. Lý do: %(reason)s") % {"when": _when(starts_at), "place": meeting.place or "—", "reason": reason}
        notify.notify(recipients=_recipients(meeting), subject=subject, body=body, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, place: str, topic: str, draft_resolution: str, now: dt.datetime | None = None) -> Meeting:
    """Place, topic and the draft resolution, while the meeting is being prepared. The draft is one
    of the documents due a day ahead: changed after (start − the minimum hours) on a published
    meeting, it flags the meeting ``late_material`` like a material."""
    meeting = _lock(meeting)
    now = now or timezone.now()
    _check_editable(meeting)
    fields = ["place", "topic", "draft_resolution"]
    before = audit.snapshot(meeting, fields)
    meeting.place = _clean_text(place, max_length=200)
    meeting.topic = _clean_text(topic, max_length=300)
    meeting.draft_resolution = (draft_resolution or "").strip()[:50000]
    if meeting.kind == MeetingKind.THEMATIC and not meeting.topic:
        raise ChiboError(_("Hãy nhập chủ đề sinh hoạt chuyên đề."), field="topic")
    after = audit.snapshot(meeting, fields)
    if before == after:
        raise ChiboError(_("Chưa có thay đổi nào."))
    meeting.save(update_fields=fields)
    summary = _("Sửa nội dung chuẩn bị, dự thảo nghị quyết")
    if before["draft_resolution"] != after["draft_resolution"] and _mark_late_material(meeting, now):
        summary += " — " + _("tài liệu muộn (chưa đến %(hours)s giờ trước giờ họp)") % {"hours": _min_hours()}
        after = {**after, "late_material": True}
    audit.record(actor=actor, verb="meeting.update", obj=meeting, summary=summary, before=before, after=after)
    return meeting


# Agenda ------------------------------------------------------------------------------------


def _clean_item(section: str, title: str) -> tuple[str, str]:
    if section not in AgendaSection.values:
        raise ChiboError(_("Hãy chọn phần của chương trình."), field="section")
    title = _clean_text(title, max_length=300)
    if not title:
        raise ChiboError(_("Hãy nhập tên nội dung."), field="title")
    return section, title


def _renumber(meeting: Meeting, ordered: list[AgendaItem]) -> None:
    """Write positions 1..n; first move every row out of the way so the unique index never clashes."""
    AgendaItem.objects.filter(meeting=meeting).update(position=F("position") + 1000)
    for i, item in enumerate(ordered, start=1):
        item.position = i
        AgendaItem.objects.filter(pk=item.pk).update(position=i)


@transaction.atomic
def agenda_add(*, actor: Any, meeting: Meeting, section: str, title: str, details: str = "") -> AgendaItem:
    meeting = _lock(meeting)
    _check_editable(meeting)
    section, title = _clean_item(section, title)
    items = sel.agenda(meeting)
    if len(items) >= MAX_AGENDA_ITEMS:
        raise ChiboError(_("Chương trình đã quá dài."))
    item = AgendaItem.objects.create(meeting=meeting, position=(items[-1].position + 1) if items else 1, section=section, title=title, details=(details or "").strip()[:5000])
    audit.record(actor=actor, verb="meeting.agenda_add", obj=meeting, summary=_("Thêm nội dung: %(title)s") % {"title": title}, after={"title": title, "section": section})
    return item


@transaction.atomic
def agenda_edit(*, actor: Any, item: AgendaItem, section: str, title: str, details: str = "") -> AgendaItem:
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    section, title = _clean_item(section, title)
    fields = ["section", "title", "details"]
    before = audit.snapshot(item, fields)
    item.section, item.title, item.details = section, title, (details or "").strip()[:5000]
    after = audit.snapshot(item, fields)
    if before != after:
        item.save(update_fields=fields)
        audit.record(actor=actor, verb="meeting.agenda_edit", obj=meeting, summary=_("Sửa nội dung: %(title)s") % {"title": title}, before=before, after=after)
    return item


@transaction.atomic
def agenda_move(*, actor: Any, item: AgendaItem, direction: str) -> None:
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    items = sel.agenda(meeting)
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    _renumber(meeting, items)
    audit.record(actor=actor, verb="meeting.agenda_move", obj=meeting, summary=_("Đổi thứ tự nội dung: %(title)s") % {"title": item.title}, after={"order": [it.title for it in items]})


@transaction.atomic
def agenda_delete(*, actor: Any, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    if item.comments.exists():
        raise ChiboError(_("Nội dung này đã có góp ý của đảng viên, không xóa được; hãy sửa tên nội dung."))
    title = item.title
    before = audit.snapshot(item, ["section", "title", "details"])
    item.delete()
    _renumber(meeting, sel.agenda(meeting))
    audit.record(actor=actor, verb="meeting.agenda_delete", obj=meeting, summary=_("Xóa nội dung: %(title)s") % {"title": title}, before=before)


# Materials ---------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_RISKY_SUFFIXES = (".exe", ".dll", ".js", ".jse", ".vbs", ".vbe", ".bat", ".cmd", ".com", ".scr", ".ps1", ".msi", ".jar", ".sh", ".hta", ".lnk")


def sniff(data: bytes) -> tuple[str, str]:
    """(content type, extension) decided by the content alone; ChiboError for anything else."""
    if data.startswith(b"MZ") or data.startswith(b"\x7fELF") or data.startswith(b"#!") or data[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe"):
        raise ChiboError(_("Tệp này là chương trình chạy được, không được phép tải lên."), field="file")
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_office(data)
    raise ChiboError(_("Chỉ nhận tệp PDF, Word (DOCX), Excel (XLSX), ảnh JPEG hoặc PNG."), field="file")


def _sniff_office(data: bytes) -> tuple[str, str]:
    bad = ChiboError(_("Tệp nén không phải văn bản Word (DOCX) hay bảng tính Excel (XLSX) hợp lệ."), field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 10000:
                raise bad
            names = [i.filename for i in infos]
            lowered = [n.lower() for n in names]
            if any(n.endswith(_RISKY_SUFFIXES) for n in lowered) or any(n.endswith("vbaproject.bin") for n in lowered):
                raise ChiboError(_("Tệp có chứa macro hoặc chương trình chạy được, không được phép tải lên."), field="file")
            if "[Content_Types].xml" not in names:
                raise bad
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                raise bad
            types = archive.read(info).decode("utf-8", "replace").lower()
    except zipfile.BadZipFile as exc:
        raise bad from exc
    if "macroenabled" in types or "vbaproject" in types:
        raise ChiboError(_("Tệp có chứa macro hoặc chương trình chạy được, không được phép tải lên."), field="file")
    if any(n.startswith("word/") for n in lowered) and "wordprocessingml.document.main" in types:
        return DOCX, "docx"
    if any(n.startswith("xl/") for n in lowered) and "spreadsheetml.sheet.main" in types:
        return XLSX, "xlsx"
    raise bad


def _late_material_point(meeting: Meeting) -> dt.datetime:
    return meeting.starts_at - dt.timedelta(hours=_min_hours())


def _mark_late_material(meeting: Meeting, now: dt.datetime) -> bool:
    """Flag the meeting when its published documents change after (start − the minimum hours).
    True when this change is late (whether or not the flag was already set)."""
    if meeting.status != MeetingStatus.PUBLISHED or now <= _late_material_point(meeting):
        return False
    if not meeting.late_material:
        meeting.late_material = True
        meeting.save(update_fields=["late_material"])
    return True


@transaction.atomic
def material_add(*, actor: Any, meeting: Meeting, name: str, data: bytes, now: dt.datetime | None = None) -> Material:
    """A material for the meeting. Added after (start − CHIBO_PUBLISH_MIN_HOURS) to a published
    meeting, it is accepted and flags the meeting ``late_material``."""
    meeting = _lock(meeting)
    now = now or timezone.now()
    if meeting.status == MeetingStatus.APPROVED:
        raise ChiboError(_("Biên bản đã duyệt, khóa sổ; không thêm tài liệu được nữa."))
    limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
    if not data:
        raise ChiboError(_("Hãy chọn tệp tài liệu."), field="file")
    if len(data) > limit:
        raise ChiboError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"}, field="file")
    content_type, ext = sniff(data)
    original = os.path.basename((name or "").replace("\\", "/")).strip()[:200] or f"tai-lieu.{ext}"
    digest = hashlib.sha256(data).hexdigest()
    material = Material(meeting=meeting, original_name=original, content_type=content_type, size=len(data), sha256=digest, uploaded_by=actor if getattr(actor, "pk", None) else None)
    material.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    stored = material.file.name
    material.save()
    late = _mark_late_material(meeting, now)
    summary = _("Thêm tài liệu: %(name)s") % {"name": original}
    if late:
        summary += " — " + _("tài liệu muộn (chưa đến %(hours)s giờ trước giờ họp)") % {"hours": _min_hours()}
    after = {"name": original, "sha256": digest, "size": len(data), "file": stored, "late_material": late}
    audit.record(actor=actor, verb="meeting.material_add", obj=meeting, summary=summary, after=after)
    return material


@transaction.atomic
def material_delete(*, actor: Any, material: Material, now: dt.datetime | None = None) -> None:
    """Removing a material of a published meeting after (start − the minimum hours) flags it ``late_material``."""
    meeting = _lock(material.meeting)
    now = now or timezone.now()
    if meeting.status not in EDITABLE:
        raise ChiboError(_("Cuộc họp đã bắt đầu, không xóa tài liệu được nữa."))
    name, digest, stored = material.original_name, material.sha256, material.file.name or ""
    material.delete()
    late = _mark_late_material(meeting, now)
    summary = _("Xóa tài liệu: %(name)s") % {"name": name}
    if late:
        summary += " — " + _("tài liệu muộn (chưa đến %(hours)s giờ trước giờ họp)") % {"hours": _min_hours()}
    audit.record(
        actor=actor, verb="meeting.material_delete", obj=meeting, summary=summary,
        before={"name": name, "sha256": digest}, after={"late_material": late},
    )
    storage = material.file.storage
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# Publication -------------------------------------------------------------------------------


def _min_hours() -> int:
    return int(getattr(settings, "CHIBO_PUBLISH_MIN_HOURS", 24))


def publish_is_late(*, meeting: Meeting, now: dt.datetime) -> bool:
    """Less than CHIBO_PUBLISH_MIN_HOURS (24) before the start; exactly 24 hours is in time."""
    return (meeting.starts_at - now) < dt.timedelta(hours=_min_hours())


def _recipients(meeting: Meeting) -> list[notify.Recipient]:
    from chibo.accounts.models import User

    members = sel.expected_members(meeting=meeting)
    users = {u.member_id: u for u in User.objects.filter(member_id__in=[m.pk for m in members], is_active=True)}
    out = [notify.Recipient(user=users.get(m.pk), email=m.email or getattr(users.get(m.pk), "email", "") or "") for m in members]
    assignments = UpperAssignment.objects.filter(cell_id=meeting.org_id, month=meeting.month).select_related("attendee")
    out.extend(notify.Recipient(user=a.attendee, email=a.attendee.email or "") for a in assignments)
    return out


def invitation(meeting: Meeting) -> tuple[str, str]:
    """Subject and body of the invitation: time, place and content (42-HD/BTCTW)."""
    version = sel.current_version(meeting.org_id)
    cell_name = version.name if version else ""
    subject = _("Thông báo %(kind)s tháng %(month)s — %(cell)s") % {"kind": meeting.get_kind_display().lower(), "month": meeting.month.strftime("%m/%Y"), "cell": cell_name}
    lines = [
        _("Thời gian: %(when)s") % {"when": _when(meeting.starts_at)},
        _("Địa điểm: %(place)s") % {"place": meeting.place or "—"},
    ]
    if meeting.topic:
        lines.append(_("Chủ đề: %(topic)s") % {"topic": meeting.topic})
    lines.append(_("Nội dung:"))
    lines += [f"{i}. {item.title}" for i, item in enumerate(sel.agenda(meeting), start=1)]
    lines.append(_("Tài liệu và dự thảo nghị quyết xem trên chibo; đảng viên có thể góp ý trước khi họp."))
    return subject, "\n".join(lines)


@transaction.atomic
def meeting_publish(*, actor: Any, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    meeting = _lock(meeting)
    if meeting.status != MeetingStatus.DRAFT:
        raise ChiboError(_("Cuộc họp đã được thông báo."))
    if not sel.agenda(meeting):
        raise ChiboError(_("Chương trình họp còn trống."))
    now = now or timezone.now()
    before = audit.snapshot(meeting, ["status", "published_at", "published_late"])
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = now
    meeting.published_late = publish_is_late(meeting=meeting, now=now)
    meeting.checkin_code = f"{secrets.randbelow(10**6):06d}"
    meeting.save(update_fields=["status", "published_at", "published_late", "checkin_code"])
    subject, body = invitation(meeting)
    sent = notify.notify(recipients=_recipients(meeting), subject=subject, body=body, meeting=meeting)
    summary = _("Thông báo cuộc họp (%(n)s lượt gửi)") % {"n": sent}
    if meeting.published_late:
        summary += " — " + _("muộn hơn %(hours)s giờ trước giờ họp") % {"hours": _min_hours()}
    audit.record(actor=actor, verb="meeting.publish", obj=meeting, summary=summary, before=before, after=audit.snapshot(meeting, ["status", "published_at", "published_late"]))
    return meeting


# Comments ----------------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, actor: Any, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None, now: dt.datetime | None = None) -> Comment:
    meeting = _lock(meeting)
    now = now or timezone.now()
    if meeting.status not in EDITABLE or now >= meeting.starts_at:
        raise ChiboError(_("Cuộc họp đã bắt đầu, không nhận góp ý nữa."))
    member_id: int | None = getattr(actor, "member_id", None)
    if member_id is None or not sel.is_cell_member(member_id=member_id, meeting=meeting):
        raise ChiboError(_("Chỉ đảng viên của chi bộ mới góp ý dự thảo được."))
    text = (text or "").strip()[:5000]
    if not text:
        raise ChiboError(_("Hãy nhập nội dung góp ý."), field="text")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ChiboError(_("Nội dung này không thuộc cuộc họp."), field="agenda_item")
    comment = Comment.objects.create(meeting=meeting, agenda_item=agenda_item, author_id=member_id, text=text)
    audit.record(
        actor=actor, verb="meeting.comment", obj=meeting,
        summary=_("Góp ý dự thảo%(item)s") % {"item": f" — {agenda_item.title}" if agenda_item else ""},
        after={"text": text[:300]},
    )
    return comment


# Upper-level attendees ---------------------------------------------------------------------


@transaction.atomic
def upper_assign(*, actor: Any, cell: Organisation, month: dt.date, attendee: Any) -> UpperAssignment:
    _cell_version(cell)
    month = sel.month_start(month)
    if UpperAssignment.objects.filter(cell=cell, month=month, attendee=attendee).exists():
        raise ChiboError(_("Người này đã được phân công dự họp chi bộ này trong tháng %(month)s.") % {"month": month.strftime("%m/%Y")}, field="attendee")
    try:
        with transaction.atomic():
            assignment = UpperAssignment.objects.create(cell=cell, month=month, attendee=attendee, assigned_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError as exc:
        raise ChiboError(_("Người này đã được phân công dự họp chi bộ này trong tháng %(month)s.") % {"month": month.strftime("%m/%Y")}, field="attendee") from exc
    audit.record(
        actor=actor, verb="meeting.upper_assign", obj=cell,
        summary=_("Phân công %(user)s dự sinh hoạt chi bộ tháng %(month)s") % {"user": attendee, "month": month.strftime("%m/%Y")},
        after={"attendee": attendee.pk, "month": month},
    )
    return assignment


@transaction.atomic
def upper_unassign(*, actor: Any, assignment: UpperAssignment) -> None:
    if assignment.recorded_at is not None:
        raise ChiboError(_("Người dự họp đã ghi nhận kết quả, không hủy phân công được."))
    cell, month, attendee = assignment.cell, assignment.month, assignment.attendee
    assignment.delete()
    audit.record(
        actor=actor, verb="meeting.upper_unassign", obj=cell,
        summary=_("Hủy phân công %(user)s dự sinh hoạt chi bộ tháng %(month)s") % {"user": attendee, "month": month.strftime("%m/%Y")},
        before={"attendee": attendee.pk, "month": month},
    )


@transaction.atomic
def upper_record(*, actor: Any, assignment: UpperAssignment, attended: bool, observations: str, issues_raised: str, now: dt.datetime | None = None) -> UpperAssignment:
    now = now or timezone.now()
    assignment = UpperAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.attendee_id != getattr(actor, "pk", None):
        raise ChiboError(_("Chỉ người được phân công mới ghi nhận được."))
    meeting = Meeting.objects.filter(org_id=assignment.cell_id, month=assignment.month, kind__in=REGULAR_KINDS).first()
    if (meeting is not None and meeting.starts_at > now) or (meeting is None and assignment.month > timezone.localdate(now)):
        raise ChiboError(_("Cuộc họp chưa diễn ra; hãy ghi nhận sau khi dự họp."))
    fields = ["attended", "observations", "issues_raised"]
    before = audit.snapshot(assignment, fields)
    assignment.attended = bool(attended)
    assignment.observations = (observations or "").strip()[:10000]
    assignment.issues_raised = (issues_raised or "").strip()[:10000]
    assignment.recorded_at = now
    assignment.save(update_fields=[*fields, "recorded_at"])
    audit.record(
        actor=actor, verb="meeting.upper_record", obj=assignment.cell,
        summary=_("Ghi nhận dự sinh hoạt chi bộ tháng %(month)s") % {"month": assignment.month.strftime("%m/%Y")},
        before=before, after=audit.snapshot(assignment, fields),
    )
    return assignment
