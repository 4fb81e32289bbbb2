"""Writes for the meeting itself: opening, attendance (online, self check-in, offline sync), minutes,
resolution and votes, closing, approval and lock, numbered corrections, quality.

Rules (domain.md §3) are enforced here and counted by chibo.meetings.rules:
- vote base and validity (Charter Art. 9.5; 24-QĐ/TW §9.3): rules.validity;
- only members who may vote (rules.can_vote) vote; adopted when more than half of the base agrees;
- resolutions numbered from 01 within the cell's recorded term (36-HD/VPTW), "Số NN-NQ/CB", when
  adopted (a rejected draft takes no number); no term covering the meeting day, no adoption;
- a meeting opens on its day or later, at its actual time; it closes at its actual time, never before
  it opened; shorter than the minimum (rules.min_minutes) it is flagged ``under_length``;
- a chi ủy meeting's list is the cell's committee (positions held on the meeting day);
- minutes and resolution are locked once the chair and the minute-taker approved; after that only a
  numbered correction with its reason changes them;
- quality (12-HD/BTCTW §3.1): rules.quality, computed when the meeting closes.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core import rows as plain
from chibo.core.access import GRANTS_SQL, Action, Policy, today
from chibo.core.errors import ChiboError
from chibo.meetings import rules
from chibo.meetings import selectors_record as sel
from chibo.meetings.models import (
    EXPECTED_STANDINGS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Correction,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QualityAssessment,
    Resolution,
    ResolutionItem,
    SelfRating,
    Speech,
    TapReceipt,
    Vote,
    VoteChoice,
)
from chibo.members.models import Membership, Position, PositionKind, StatusPeriod
from chibo.orgs.models import Organisation

# Standings recorded on the attendance list: official, probationary, exempted, temporarily out.
# Departed members (transferred out, deceased, removed) are not on it.
LISTED_STANDINGS = ("official", "probationary", "exempted", "temp_out")


def _locked(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.APPROVED:
        raise ChiboError(_("Biên bản và nghị quyết đã được duyệt và khóa sổ; chỉ có thể đính chính có đánh số."))


def _fresh(meeting: Meeting | int) -> Meeting:
    """The meeting row, locked for the rest of the transaction (one plain statement: every tap runs it)."""
    pk = meeting if isinstance(meeting, int) else meeting.pk
    found = plain.fetch_one(Meeting, _MEETING_WITH_PATH_SQL + _for_update(), [today(), today(), pk])
    if found is None:
        raise Meeting.DoesNotExist
    return found[0]


def _require(meeting: Meeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        _locked(meeting)
        raise ChiboError(
            _("Không thực hiện được khi cuộc họp đang ở trạng thái “%(status)s”.") % {"status": meeting.get_status_display()}
        )


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


# Opening ----------------------------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> dt.date:
    """The meeting's day in Vietnam (the date of ``starts_at`` in Asia/Ho_Chi_Minh)."""
    return timezone.localtime(meeting.starts_at).date()


def _hm(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def _actual_time(meeting: Meeting, at: dt.datetime | None, *, what: str) -> dt.datetime:
    """The actual time of the opening or closing: now by default; never in the future, never
    before the meeting's day."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ChiboError(_("Giờ %(what)s (%(at)s) chưa tới; hãy ghi giờ thực tế.") % {"what": what, "at": _hm(at)}, field="time")
    if timezone.localtime(at).date() < meeting_day(meeting):
        raise ChiboError(
            _("Giờ %(what)s (%(at)s) trước ngày họp %(day)s.") % {"what": what, "at": _hm(at), "day": f"{meeting_day(meeting):%d/%m/%Y}"},
            field="date",
        )
    return at


def listed_member_ids(meeting: Meeting) -> list[int]:
    """Who is on the meeting's attendance list: the cell's members on the meeting day; for a chi ủy
    meeting, only those of them holding a committee position in the cell that day (secretary,
    deputy secretary, committee member)."""
    day = meeting_day(meeting)
    members = Membership.objects.filter(org_id=meeting.org_id, valid_from__lte=day, valid_to__gt=day)
    if meeting.kind == MeetingKind.COMMITTEE:
        committee = Position.objects.filter(
            org_id=meeting.org_id, kind__in=PositionKind.values, valid_from__lte=day, valid_to__gt=day
        ).values("member_id")
        members = members.filter(member_id__in=committee)
    return list(members.values_list("member_id", flat=True).distinct())


@transaction.atomic
def meeting_open(*, actor: Any, meeting: Meeting, at: dt.datetime | None = None) -> Meeting:
    """published → open, at the actual time ``at`` (default now), not before the meeting's day.

    One attendance row per member of the cell on the meeting day (of the chi ủy for a committee meeting).
    A meeting held earlier than planned is moved first (services_prep.meeting_move, audited).
    """
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.PUBLISHED)
    day = meeting_day(meeting)
    if today() < day:
        raise ChiboError(
            _("Chưa đến ngày họp (%(day)s): không khai mạc trước ngày họp. Nếu chi bộ họp sớm hơn, hãy dời lịch họp "
              "sang ngày hôm nay trước (nút “Dời lịch” trên trang cuộc họp), rồi khai mạc.") % {"day": f"{day:%d/%m/%Y}"}
        )
    opened_at = _actual_time(meeting, at, what=_("khai mạc"))
    member_ids = listed_member_ids(meeting)
    standing = dict(
        StatusPeriod.objects.filter(member_id__in=member_ids, valid_from__lte=day, valid_to__gt=day).values_list("member_id", "status")
    )
    existing = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    rows = [
        Attendance(meeting=meeting, member_id=mid, standing=standing[mid])
        for mid in member_ids
        if standing.get(mid) in LISTED_STANDINGS and mid not in existing
    ]
    Attendance.objects.bulk_create(rows)
    refresh_attendance_counts(meeting_ids=[meeting.pk])
    before = audit.snapshot(meeting, ["status"])
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = opened_at
    if not meeting.checkin_code:
        meeting.checkin_code = _new_code()
    meeting.save(update_fields=["status", "opened_at", "checkin_code"])
    audit.record(
        actor=actor, verb="meeting.open", obj=meeting, summary=_("Khai mạc cuộc họp, lập danh sách điểm danh %(n)s đảng viên.") % {"n": len(rows) + len(existing)},
        before=before, after={"status": meeting.status, "opened_at": opened_at, "attendance_rows": len(rows) + len(existing)},
    )
    return meeting


# Attendance -------------------------------------------------------------------------------------


def refresh_attendance_counts(*, meeting_ids: Iterable[int]) -> None:
    """Recount the meetings' stored attendance figures from their rows, in one statement.

    Called where attendance rows are created (the meeting's opening, the demo and the bench); a tap
    moves the counts by its own change instead (``_count_change``). Either way in the transaction of
    the change, so ``Meeting.n_*`` always agree with the rows (the statistics read them instead).
    Plain SQL, the same on SQLite and PostgreSQL.
    """
    ids = [int(i) for i in meeting_ids]
    if not ids:
        return
    expected = ", ".join(f"'{s}'" for s in EXPECTED_STANDINGS)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        UPDATE meetings_meeting SET
          n_expected = (SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = meetings_meeting.id AND a.standing IN ({expected})),
          n_present = (SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = meetings_meeting.id AND a.standing IN ({expected}) AND a.status = %s),
          n_excused = (SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = meetings_meeting.id AND a.status = %s),
          n_unexcused = (SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = meetings_meeting.id AND a.status = %s)
        WHERE id IN ({marks})
    """  # noqa: S608 - constants and placeholders only
    with connection.cursor() as cursor:
        cursor.execute(sql, [AttendanceStatus.PRESENT.value, AttendanceStatus.EXCUSED.value, AttendanceStatus.UNEXCUSED.value, *ids])


@dataclass(frozen=True)
class TapResult:
    """The outcome of one tap: applied, duplicate (client_id seen before), superseded (a later tap won)."""

    outcome: str
    attendance: Attendance | None = None
    message: str = ""


def _check_status(status: str) -> None:
    if status not in AttendanceStatus.values:
        raise ChiboError(_("Trạng thái điểm danh không hợp lệ."), field="status")


def _db(model: Any, name: str, value: Any) -> Any:
    """``value`` as the database stores the model's field (UUIDs and datetimes differ between backends)."""
    return model._meta.get_field(name).get_db_prep_value(value, plain.db())


# The receipt of a tap: the database's key on the client id tells a duplicate, also between
# concurrent requests (the second insert does nothing).
_CLAIM_SQL = (
    "INSERT INTO meetings_tapreceipt (client_id, meeting_id, member_id, outcome, at) VALUES (%s, %s, %s, %s, %s)"
    " ON CONFLICT (client_id) DO NOTHING RETURNING 1"
)
# The member's row on the meeting's list, with their name (for the audit summary).
_ATTENDANCE_SQL = (
    f"SELECT {plain.columns(Attendance)}, members_member.full_name FROM meetings_attendance"  # noqa: S608 - model columns
    " JOIN members_member ON members_member.id = meetings_attendance.member_id"
    " WHERE meetings_attendance.meeting_id = %s AND meetings_attendance.member_id = %s"
)
# The meeting with its cell's path on a date (for the policy): dates, then the meeting's id.
_MEETING_WITH_PATH_SQL = (
    f"SELECT {plain.columns(Meeting)}, (SELECT path FROM orgs_orgversion v WHERE v.org_id = meetings_meeting.org_id"  # noqa: S608
    " AND v.valid_from <= %s AND v.valid_to > %s) FROM meetings_meeting WHERE id = %s"
)


def _for_update() -> str:
    return " FOR UPDATE OF meetings_meeting" if connection.features.has_select_for_update else ""


def _claim_params(client_id: uuid.UUID | None, meeting_id: int, member_id: int | None, at: dt.datetime) -> list[Any]:
    return [_db(TapReceipt, "client_id", client_id), meeting_id, member_id or 0, "applied", _db(TapReceipt, "at", at)]


def _claim(client_id: uuid.UUID | None, *, meeting_id: int, member_id: int | None, at: dt.datetime) -> bool:
    """Write the tap's receipt; False when its client id was seen before (the tap is a duplicate)."""
    if client_id is None:
        return True
    return plain.execute(_CLAIM_SQL, _claim_params(client_id, meeting_id, member_id, at), fetch="one") is not None


def _duplicate(meeting_id: int, member_id: int | None) -> TapResult:
    return TapResult("duplicate", Attendance.objects.filter(meeting_id=meeting_id, member_id=member_id or 0).first())


def _count_change(standing: str, old: str, new: str) -> tuple[int, int, int]:
    """How one row's change of status moves the meeting's (present, excused, unexcused) counts."""
    change = [0, 0, 0]
    for status, sign in ((old, -1), (new, 1)):
        if status == AttendanceStatus.PRESENT and standing in EXPECTED_STANDINGS:
            change[0] += sign
        elif status == AttendanceStatus.EXCUSED:
            change[1] += sign
        elif status == AttendanceStatus.UNEXCUSED:
            change[2] += sign
    return change[0], change[1], change[2]


def _tap_time(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None or at > now + dt.timedelta(minutes=5):
        return now  # a device clock far ahead must not freeze the row
    return at


def _apply_tap(
    *, actor: Any, meeting: Meeting, member_id: int, status: str, reason: str, source: str,
    client_id: uuid.UUID | None, at: dt.datetime, found: tuple[Attendance, tuple[Any, ...]] | None,
) -> TapResult:
    """One tap on the member's row, ``found`` with ``_ATTENDANCE_SQL``. The caller holds the
    meeting row's lock, has claimed the tap's receipt, and re-assesses a closed meeting's quality.

    The busiest write of a meeting day, so plain statements sent together: the row's update, the
    meeting's counts moved by the change (the database refuses a count below 0) and the audit row.
    """
    _check_status(status)
    if meeting.status not in (MeetingStatus.OPEN, MeetingStatus.CLOSED):
        _require(meeting, MeetingStatus.OPEN)
    if found is None:
        raise ChiboError(_("Đảng viên này không có tên trong danh sách điểm danh của cuộc họp."), field="member")
    row, (member_name,) = found
    if row.checked_in_at is not None and at < row.checked_in_at:
        if client_id is not None:
            plain.execute(
                "UPDATE meetings_tapreceipt SET outcome = %s WHERE client_id = %s", ["superseded", _db(TapReceipt, "client_id", client_id)], fetch="none"
            )
        return TapResult("superseded", row)
    reason = (reason or "").strip()[:300]
    before = {"member": member_id, "status": row.status, "reason": row.reason}
    present, excused, unexcused = _count_change(row.standing, row.status, status)
    row.status = status
    row.reason = reason if status != AttendanceStatus.PRESENT else ""
    row.checked_in_at = at  # the time of the tap that decided the row (later taps win)
    row.source = source
    row.client_id = client_id
    with plain.pipeline():  # three writes, one round trip on PostgreSQL
        plain.execute(
            "UPDATE meetings_attendance SET status = %s, reason = %s, checked_in_at = %s, source = %s, client_id = %s WHERE id = %s",
            [row.status, row.reason, _db(Attendance, "checked_in_at", at), source, _db(Attendance, "client_id", client_id), row.pk],
            fetch="none",
        )
        if present or excused or unexcused:
            plain.execute(
                "UPDATE meetings_meeting SET n_present = n_present + %s, n_excused = n_excused + %s, n_unexcused = n_unexcused + %s WHERE id = %s",
                [present, excused, unexcused, meeting.pk],
                fetch="none",
            )
        audit.record(
            actor=actor, verb="attendance.mark", obj=meeting,
            summary=_("Điểm danh %(name)s: %(status)s") % {"name": member_name, "status": row.get_status_display()},
            before=before,
            after={"member": member_id, "status": status, "reason": row.reason, "source": source, "client_id": str(client_id) if client_id else None, "at": at},
        )
    return TapResult("applied", row)


def attendance_mark(
    *, actor: Any, meeting: Meeting, member_id: int, status: str, reason: str = "",
    client_id: uuid.UUID | None = None, at: dt.datetime | None = None, source: str = "secretary",
) -> TapResult:
    """The secretary's tap: present, absent with reason, absent without reason."""
    tapped = _tap_time(at)
    with transaction.atomic():
        meeting = _fresh(meeting)
        if not _claim(client_id, meeting_id=meeting.pk, member_id=member_id, at=tapped):
            return _duplicate(meeting.pk, member_id)
        found = plain.fetch_one(Attendance, _ATTENDANCE_SQL, [meeting.pk, member_id])
        result = _apply_tap(actor=actor, meeting=meeting, member_id=member_id, status=status, reason=reason, source=source, client_id=client_id, at=tapped, found=found)
        if meeting.status == MeetingStatus.CLOSED and result.outcome == "applied":
            _assess(meeting)
        return result


def self_checkin(
    *, actor: Any, meeting: Meeting | int, code: str, client_id: uuid.UUID | None = None, at: dt.datetime | None = None,
    source: str = "self", policy: Policy | None = None,
) -> TapResult:
    """A member checks themselves in with the meeting's code while the meeting is open.

    A meeting out of the actor's scope (or missing) raises Http404 before anything else is said
    about it, as every page does. A refusal raises ChiboError, which rolls the whole transaction
    (receipt included) back.

    The busiest request of a meeting day. Its reads do not depend on each other, so on PostgreSQL
    they travel in one pipeline: the meeting (locked) with its cell's path, the actor's grants, the
    receipt (its insert tells a duplicate) and the member's row; then the writes of ``_apply_tap``
    in a second one, and the commit.
    """
    member_id = getattr(actor, "member_id", None)
    policy = policy or Policy(actor)
    tapped = _tap_time(at)
    pk = meeting if isinstance(meeting, int) else meeting.pk
    duplicate = False
    with transaction.atomic():
        with plain.pipeline():
            meeting_row = plain.submit(_MEETING_WITH_PATH_SQL + _for_update(), [today(), today(), pk])
            grants = plain.submit(GRANTS_SQL, [actor.pk]) if policy.needs_grants() else None
            claim = plain.submit(_CLAIM_SQL, _claim_params(client_id, pk, member_id, tapped)) if client_id else None
            attendance = plain.submit(_ATTENDANCE_SQL, [pk, member_id or 0])
            found = plain.instance(Meeting, meeting_row.one())
            if grants is not None:
                policy.load_grants(grants.all())
            if found is None:
                raise Http404
            fresh, (path,) = found
            if path is None or not policy.allows(Action.VIEW_ORG, org_id=fresh.org_id, path=path):
                raise Http404
            if claim is not None and claim.one() is None:
                duplicate = True
            else:
                queued_while_open = at is not None and fresh.closed_at is not None and at <= fresh.closed_at and fresh.status == MeetingStatus.CLOSED
                if fresh.status != MeetingStatus.OPEN and not queued_while_open:
                    raise ChiboError(_("Chỉ tự điểm danh được khi cuộc họp đang diễn ra."))
                if not member_id:
                    raise ChiboError(_("Tài khoản của bạn chưa gắn với đảng viên nào."))
                code = (code or "").strip()
                if not fresh.checkin_code or not secrets.compare_digest(code.encode(), fresh.checkin_code.encode()):
                    raise ChiboError(_("Mã điểm danh không đúng."), field="code")
                result = _apply_tap(
                    actor=actor, meeting=fresh, member_id=member_id, status=AttendanceStatus.PRESENT, reason="", source=source,
                    client_id=client_id, at=tapped, found=plain.instance(Attendance, attendance.one()),
                )
        if not duplicate:
            if fresh.status == MeetingStatus.CLOSED and result.outcome == "applied":
                _assess(fresh)
            return result
    return _duplicate(pk, member_id)


def _parse_at(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ChiboError(_("Thời điểm điểm danh không hợp lệ.")) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def sync_taps(*, actor: Any, items: list[Any]) -> list[dict[str, Any]]:
    """Apply queued offline taps, each in its own transaction, idempotently by client_id.

    A secretary (EDIT_MEMBER on the cell) may record anyone; anyone else only their own
    check-in, with the meeting code. Meetings out of scope answer "not_found", like missing ones.
    """
    policy = Policy(actor)
    results: list[dict[str, Any]] = []
    for raw in items[:500]:
        item = raw if isinstance(raw, dict) else {}
        client = str(item.get("client_id", ""))[:64]
        result: dict[str, Any] = {"client_id": client}
        try:
            try:
                client_id = uuid.UUID(client)
                meeting_id = int(item.get("meeting", 0))
                member_id = int(item.get("member", 0))
            except (TypeError, ValueError):
                raise ChiboError(_("Dữ liệu điểm danh không hợp lệ.")) from None
            meeting = Meeting.objects.filter(pk=meeting_id).first()
            if meeting is None or not policy.can(Action.VIEW_ORG, org_id=meeting.org_id):
                result.update(outcome="not_found", message=_("Không tìm thấy cuộc họp."))
                results.append(result)
                continue
            at = _parse_at(item.get("at"))
            status = str(item.get("status", ""))
            if policy.can(Action.EDIT_MEMBER, org_id=meeting.org_id):
                tap = attendance_mark(
                    actor=actor, meeting=meeting, member_id=member_id, status=status,
                    reason=str(item.get("reason", "")), client_id=client_id, at=at, source="offline",
                )
            elif member_id == policy.member_id and status == AttendanceStatus.PRESENT:
                tap = self_checkin(actor=actor, meeting=meeting, code=str(item.get("code", "")), client_id=client_id, at=at, source="offline", policy=policy)
            else:
                result.update(outcome="not_found", message=_("Không tìm thấy cuộc họp."))
                results.append(result)
                continue
            result.update(outcome=tap.outcome)
            if tap.attendance is not None:
                result.update(status=tap.attendance.status)
        except ChiboError as exc:
            result.update(outcome="refused", message=exc.message)
        results.append(result)
    return results


@transaction.atomic
def guest_add(*, actor: Any, meeting: Meeting, name: str, title: str = "") -> Guest:
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    name = (name or "").strip()
    if not name:
        raise ChiboError(_("Hãy nhập họ tên khách mời."), field="name")
    guest = Guest.objects.create(meeting=meeting, name=name[:200], title=(title or "").strip()[:200])
    audit.record(actor=actor, verb="guest.add", obj=meeting, summary=_("Ghi khách mời: %(name)s") % {"name": guest.name}, after={"name": guest.name, "title": guest.title})
    return guest


@transaction.atomic
def guest_remove(*, actor: Any, meeting: Meeting, guest_id: int) -> None:
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    guest = Guest.objects.filter(meeting=meeting, pk=guest_id).first()
    if guest is None:
        raise ChiboError(_("Không tìm thấy khách mời."))
    audit.record(actor=actor, verb="guest.remove", obj=meeting, summary=_("Bỏ khách mời: %(name)s") % {"name": guest.name}, before={"name": guest.name, "title": guest.title})
    guest.delete()


# Minutes ----------------------------------------------------------------------------------------


def _cell_member(meeting: Meeting, member_id: int | None, *, field: str) -> int | None:
    if member_id is None:
        return None
    if not Attendance.objects.filter(meeting=meeting, member_id=member_id).exists():
        raise ChiboError(_("Hãy chọn một đảng viên của chi bộ có tên trong danh sách cuộc họp."), field=field)
    return member_id


@transaction.atomic
def minutes_roles(*, actor: Any, meeting: Meeting, chair_id: int | None, minute_taker_id: int | None) -> Meeting:
    """The chair and the minute-taker: members of the cell."""
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    if meeting.approved_by_chair_at or meeting.approved_by_taker_at:
        raise ChiboError(_("Đã có người duyệt biên bản; không đổi chủ trì hoặc thư ký được nữa."))
    before = audit.snapshot(meeting, ["chair", "minute_taker"])
    meeting.chair_id = _cell_member(meeting, chair_id, field="chair")
    meeting.minute_taker_id = _cell_member(meeting, minute_taker_id, field="minute_taker")
    meeting.save(update_fields=["chair", "minute_taker"])
    audit.record(actor=actor, verb="minutes.roles", obj=meeting, summary=_("Chủ trì và thư ký cuộc họp"), before=before, after=audit.snapshot(meeting, ["chair", "minute_taker"]))
    return meeting


def _agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise ChiboError(_("Không tìm thấy nội dung trong chương trình họp."))
    return item


@transaction.atomic
def speech_add(*, actor: Any, meeting: Meeting, item_id: int, text: str, member_id: int | None = None, speaker_name: str = "") -> Speech:
    """A speaker's opinion on an agenda item, by name: a member of the cell or a named guest."""
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    item = _agenda_item(meeting, item_id)
    text = (text or "").strip()
    if not text:
        raise ChiboError(_("Hãy ghi nội dung phát biểu."), field="text")
    if member_id is not None:
        row = Attendance.objects.filter(meeting=meeting, member_id=member_id).select_related("member").first()
        if row is None:
            raise ChiboError(_("Hãy chọn một đảng viên của chi bộ có tên trong danh sách cuộc họp."), field="member")
        speaker_name = row.member.full_name
    speaker_name = (speaker_name or "").strip()[:200]
    if not speaker_name:
        raise ChiboError(_("Hãy chọn người phát biểu."), field="member")
    position = (Speech.objects.filter(agenda_item=item).aggregate(m=Max("position"))["m"] or 0) + 1
    speech = Speech.objects.create(agenda_item=item, member_id=member_id, speaker_name=speaker_name, text=text, position=position)
    audit.record(actor=actor, verb="speech.add", obj=meeting, summary=_("Ghi phát biểu của %(name)s") % {"name": speaker_name}, after={"agenda_item": item.pk, "speaker": speaker_name, "text": text})
    return speech


@transaction.atomic
def speech_remove(*, actor: Any, meeting: Meeting, speech_id: int) -> None:
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    speech = Speech.objects.filter(agenda_item__meeting=meeting, pk=speech_id).first()
    if speech is None:
        raise ChiboError(_("Không tìm thấy phát biểu."))
    audit.record(actor=actor, verb="speech.remove", obj=meeting, summary=_("Xóa phát biểu của %(name)s") % {"name": speech.speaker_name}, before={"speaker": speech.speaker_name, "text": speech.text})
    speech.delete()


@transaction.atomic
def conclusion_set(*, actor: Any, meeting: Meeting, item_id: int, text: str) -> AgendaItem:
    """The chair's conclusion on an agenda item."""
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    item = _agenda_item(meeting, item_id)
    before = {"conclusion": item.conclusion}
    item.conclusion = (text or "").strip()
    item.save(update_fields=["conclusion"])
    audit.record(actor=actor, verb="agenda.conclusion", obj=meeting, summary=_("Kết luận của chủ trì: %(title)s") % {"title": item.title}, before=before, after={"conclusion": item.conclusion})
    return item


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting, at: dt.datetime | None = None) -> Meeting:
    """open → closed at the actual time ``at`` (default now), never before the opening.

    Everyone on the list must have been marked; the quality is assessed. A meeting shorter than
    its minimum (rules.min_minutes) is closed all the same and flagged ``under_length``.
    """
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN)
    closed_at = _actual_time(meeting, at, what=_("bế mạc"))
    opened_at = meeting.opened_at or closed_at
    if closed_at < opened_at:
        raise ChiboError(
            _("Giờ bế mạc (%(end)s) không được trước giờ khai mạc (%(start)s).") % {"end": _hm(closed_at), "start": _hm(opened_at)},
            field="time",
        )
    missing = Attendance.objects.filter(meeting=meeting, status="").exclude(standing="temp_out").count()
    if missing:
        raise ChiboError(_("Còn %(n)s đảng viên chưa điểm danh; hãy điểm danh đủ trước khi bế mạc.") % {"n": missing})
    meeting.status = MeetingStatus.CLOSED
    meeting.opened_at = opened_at
    meeting.closed_at = closed_at
    meeting.under_length = rules.under_length(kind=meeting.kind, opened_at=opened_at, closed_at=closed_at)
    meeting.save(update_fields=["status", "opened_at", "closed_at", "under_length"])
    quality = _assess(meeting)
    minutes = int((closed_at - opened_at).total_seconds() // 60)
    summary = _("Bế mạc cuộc họp.")
    if meeting.under_length:
        summary = _("Bế mạc cuộc họp sau %(n)s phút, dưới thời lượng tối thiểu %(min)s phút.") % {"n": minutes, "min": rules.min_minutes(meeting.kind)}
    audit.record(
        actor=actor, verb="meeting.close", obj=meeting, summary=summary,
        before={"status": MeetingStatus.OPEN},
        after={"status": meeting.status, "closed_at": closed_at, "minutes": minutes, "under_length": meeting.under_length, "attendance_rate": quality.attendance_rate},
    )
    return meeting


# Resolution -------------------------------------------------------------------------------------


term_for = sel.term_for


def no_term_message(meeting: Meeting) -> str:
    return _(
        "Chi bộ chưa ghi nhiệm kỳ nào bao gồm ngày họp %(day)s, nên chưa cấp được số nghị quyết. "
        "Hãy ghi nhiệm kỳ của chi bộ trước (trang “Nhiệm kỳ” của chi bộ), rồi biểu quyết lại."
    ) % {"day": f"{meeting_day(meeting):%d/%m/%Y}"}


def _clean_items(items: list[str]) -> list[str]:
    cleaned = [t.strip() for t in items if t and t.strip()]
    if not cleaned:
        raise ChiboError(_("Nghị quyết cần ít nhất một nội dung."), field="items")
    return cleaned


@transaction.atomic
def resolution_save(*, actor: Any, meeting: Meeting, title: str, preamble: str = "", items: list[str]) -> Resolution:
    """Create or edit the meeting's draft resolution. It gets its number only when adopted (votes_record)."""
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    title = (title or "").strip()
    if not title:
        raise ChiboError(_("Hãy nhập tiêu đề nghị quyết."), field="title")
    texts = _clean_items(items)
    resolution = Resolution.objects.select_for_update().filter(meeting=meeting).first()
    if resolution is None:
        resolution = Resolution.objects.create(meeting=meeting, title=title[:300], preamble=(preamble or "").strip())
        before: dict[str, Any] = {}
        verb = "resolution.create"
    else:
        _locked(meeting)
        before = {"title": resolution.title, "preamble": resolution.preamble, "items": [i.text for i in resolution.items.all()]}
        resolution.title = title[:300]
        resolution.preamble = (preamble or "").strip()
        resolution.save(update_fields=["title", "preamble"])
        verb = "resolution.edit"
    resolution.items.all().delete()
    ResolutionItem.objects.bulk_create([ResolutionItem(resolution=resolution, position=n, text=t) for n, t in enumerate(texts, start=1)])
    audit.record(
        actor=actor, verb=verb, obj=meeting, summary=_("Nghị quyết %(code)s: %(title)s") % {"code": resolution.code, "title": resolution.title},
        before=before, after={"number": resolution.number, "title": resolution.title, "preamble": resolution.preamble, "items": texts},
    )
    return resolution


@transaction.atomic
def votes_record(*, actor: Any, meeting: Meeting, votes: dict[int, str]) -> Resolution:
    """The secretary enters each eligible member's vote; the tally, base and adoption are stored."""
    meeting = _fresh(meeting)
    _require(meeting, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    resolution = Resolution.objects.select_for_update().filter(meeting=meeting).first()
    if resolution is None:
        raise ChiboError(_("Chưa có dự thảo nghị quyết để biểu quyết."))
    _locked(meeting)
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("member")}
    for member_id, choice in votes.items():
        if choice not in VoteChoice.values:
            raise ChiboError(_("Lựa chọn biểu quyết không hợp lệ."), field="votes")
        row = rows.get(member_id)
        if row is None:
            raise ChiboError(_("Người này không có tên trong danh sách cuộc họp, không được biểu quyết."), field="votes")
        if not rules.can_vote(sel.as_row(row)):
            raise ChiboError(
                _("%(name)s không có quyền biểu quyết (chỉ đảng viên chính thức có mặt mới được biểu quyết).") % {"name": row.member.full_name},
                field="votes",
            )
    validity = rules.validity(sel.as_row(a) for a in rows.values())
    if not validity.valid:
        raise ChiboError(
            _("Cuộc họp chưa đủ điều kiện biểu quyết: %(present)s/%(base)s có mặt, cần ít nhất %(needed)s.")
            % {"present": validity.present_in_base, "base": validity.base, "needed": validity.needed}
        )
    before = {"agree": resolution.votes_agree, "disagree": resolution.votes_disagree, "abstain": resolution.votes_abstain, "adopted": resolution.adopted, "number": resolution.number}
    agree = sum(1 for v in votes.values() if v == VoteChoice.AGREE)
    adopted = rules.adopted(agree=agree, base=validity.base)
    if adopted and resolution.number is None:
        _number(meeting, resolution)
    elif not adopted and resolution.number is not None:
        _unnumber(resolution)
    Vote.objects.filter(resolution=resolution).delete()
    Vote.objects.bulk_create([Vote(resolution=resolution, member_id=m, choice=c) for m, c in votes.items()])
    counts = {c: sum(1 for v in votes.values() if v == c) for c in VoteChoice.values}
    resolution.votes_agree = counts[VoteChoice.AGREE]
    resolution.votes_disagree = counts[VoteChoice.DISAGREE]
    resolution.votes_abstain = counts[VoteChoice.ABSTAIN]
    resolution.vote_base = validity.base
    resolution.adopted = adopted
    resolution.save(update_fields=["votes_agree", "votes_disagree", "votes_abstain", "vote_base", "adopted", "term", "number"])
    audit.record(
        actor=actor, verb="resolution.vote", obj=meeting,
        summary=_("Biểu quyết nghị quyết %(code)s: %(agree)s/%(base)s tán thành") % {"code": resolution.code, "agree": resolution.votes_agree, "base": resolution.vote_base},
        before=before,
        after={"agree": resolution.votes_agree, "disagree": resolution.votes_disagree, "abstain": resolution.votes_abstain, "base": resolution.vote_base, "adopted": resolution.adopted, "number": resolution.number, "votes": {str(k): v for k, v in votes.items()}},
    )
    return resolution


def _number(meeting: Meeting, resolution: Resolution) -> None:
    """The next number of the cell's term covering the meeting day ("Số NN-NQ/CB", 36-HD/VPTW: from
    01 within each term), under a lock on the cell's row so two adoptions never take the same one."""
    Organisation.objects.select_for_update().get(pk=meeting.org_id)
    term = term_for(meeting)
    if term is None:
        raise ChiboError(no_term_message(meeting), field="term")
    resolution.term = term
    resolution.number = (Resolution.objects.filter(term=term).aggregate(m=Max("number"))["m"] or 0) + 1


def _unnumber(resolution: Resolution) -> None:
    """A re-entered tally that no longer adopts: the number goes back when it is the term's last
    (nothing numbered after it, so no gap); otherwise it stays, as the book already shows it."""
    Organisation.objects.select_for_update().get(pk=resolution.meeting.org_id)
    last = Resolution.objects.filter(term_id=resolution.term_id).aggregate(m=Max("number"))["m"]
    if last == resolution.number:
        resolution.term = None
        resolution.number = None


# Approval, lock, corrections --------------------------------------------------------------------

APPROVE_ROLES = ("chair", "minute_taker")


def can_approve(*, actor: Any, meeting: Meeting, as_role: str) -> bool:
    """The member in that role (through their linked account), or the secretary/staff acting for them."""
    member_id = meeting.chair_id if as_role == "chair" else meeting.minute_taker_id
    if member_id is not None and getattr(actor, "member_id", None) == member_id:
        return True
    return Policy(actor).can(Action.EDIT_MEMBER, org_id=meeting.org_id)


@transaction.atomic
def meeting_approve(*, actor: Any, meeting: Meeting, as_role: str) -> Meeting:
    meeting = _fresh(meeting)
    if as_role not in APPROVE_ROLES:
        raise ChiboError(_("Vai trò duyệt không hợp lệ."))
    _require(meeting, MeetingStatus.CLOSED)
    if meeting.chair_id is None or meeting.minute_taker_id is None:
        raise ChiboError(_("Hãy chọn chủ trì và thư ký cuộc họp trước khi duyệt."))
    if not can_approve(actor=actor, meeting=meeting, as_role=as_role):
        raise ChiboError(_("Chỉ chủ trì hoặc thư ký cuộc họp (hoặc bí thư thay mặt) mới duyệt được."))
    # The minutes are approved, with the resolution if the meeting adopted one (a meeting may close
    # with the chair's conclusions only: domain.md §3, "conclusion or resolution").
    now = timezone.now()
    field = "approved_by_chair_at" if as_role == "chair" else "approved_by_taker_at"
    if getattr(meeting, field) is None:
        setattr(meeting, field, now)
        meeting.save(update_fields=[field])
    label = _("chủ trì") if as_role == "chair" else _("thư ký")
    audit.record(actor=actor, verb="meeting.approve", obj=meeting, summary=_("Duyệt biên bản và nghị quyết (%(role)s)") % {"role": label}, after={"as_role": as_role})
    if meeting.approved_by_chair_at is not None and meeting.approved_by_taker_at is not None:
        meeting.status = MeetingStatus.APPROVED
        meeting.approved_at = now
        meeting.save(update_fields=["status", "approved_at"])
        audit.record(actor=actor, verb="meeting.lock", obj=meeting, summary=_("Biên bản và nghị quyết đã khóa sổ."), before={"status": MeetingStatus.CLOSED}, after={"status": meeting.status})
    return meeting


@transaction.atomic
def correction_make(*, actor: Any, meeting: Meeting, target: str, after: str, reason: str) -> Correction:
    """A numbered correction to approved minutes or resolution: applies the change, keeps before and after."""
    meeting = _fresh(meeting)
    if meeting.status != MeetingStatus.APPROVED:
        raise ChiboError(_("Chỉ đính chính biên bản, nghị quyết đã được duyệt; trước đó hãy sửa trực tiếp."))
    reason = (reason or "").strip()
    if not reason:
        raise ChiboError(_("Hãy ghi lý do đính chính."), field="reason")
    after = (after or "").strip()
    if not after:
        raise ChiboError(_("Hãy nhập nội dung sau đính chính."), field="after")
    current = {t: text for t, _label, text in sel.correction_targets(meeting)}
    if target not in current:
        raise ChiboError(_("Hãy chọn nội dung cần đính chính."), field="target")
    before = current[target]
    if before == after:
        raise ChiboError(_("Nội dung sau đính chính giống hệt nội dung cũ."), field="after")
    _apply_correction(meeting, target, after)
    number = (Correction.objects.filter(meeting=meeting).aggregate(m=Max("number"))["m"] or 0) + 1
    correction = Correction.objects.create(meeting=meeting, number=number, target=target, before=before, after=after, reason=reason[:500], made_by=actor if getattr(actor, "pk", None) else None)
    audit.record(
        actor=actor, verb="meeting.correction", obj=meeting,
        summary=_("Đính chính số %(n)s (%(target)s): %(reason)s") % {"n": number, "target": target, "reason": reason},
        before={"target": target, "text": before}, after={"target": target, "text": after, "number": number, "reason": reason},
    )
    return correction


def _apply_correction(meeting: Meeting, target: str, text: str) -> None:
    parts = target.split(".")
    if parts[0] == "resolution":
        resolution = Resolution.objects.select_for_update().get(meeting=meeting)
        if parts[1] in ("title", "preamble"):
            setattr(resolution, parts[1], text[:300] if parts[1] == "title" else text)
            resolution.save(update_fields=[parts[1]])
        else:  # resolution.item.N
            ResolutionItem.objects.filter(resolution=resolution, position=int(parts[2])).update(text=text)
    elif parts[0] == "agenda":  # agenda.<id>.conclusion
        AgendaItem.objects.filter(meeting=meeting, pk=int(parts[1])).update(conclusion=text)
    elif parts[0] == "speech":  # speech.<id>.text
        Speech.objects.filter(agenda_item__meeting=meeting, pk=int(parts[1])).update(text=text)
    elif parts[0] == "attendance":  # attendance.<member_id>.reason
        Attendance.objects.filter(meeting=meeting, member_id=int(parts[1])).update(reason=text[:300])


# Quality ----------------------------------------------------------------------------------------


def _assess(meeting: Meeting) -> QualityAssessment:
    rows = sel.rule_rows(meeting)
    q = rules.quality(rows, excused_streaks=sel.excused_streaks(meeting))
    assessment, _created = QualityAssessment.objects.update_or_create(
        meeting=meeting,
        defaults={"attendance_rate": q.attendance_rate, "attendance_ok": q.attendance_ok, "no_unexcused": q.no_unexcused, "no_repeat_excused": q.no_repeat_excused},
    )
    return assessment


@transaction.atomic
def quality_rate(*, actor: Any, meeting: Meeting, rating: str, note: str = "") -> QualityAssessment:
    """The secretary's own rating and note, after the meeting closed."""
    meeting = _fresh(meeting)
    if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.APPROVED):
        raise ChiboError(_("Chỉ tự đánh giá chất lượng sau khi cuộc họp kết thúc."))
    if rating not in SelfRating.values:
        raise ChiboError(_("Hãy chọn mức tự đánh giá."), field="rating")
    assessment = QualityAssessment.objects.filter(meeting=meeting).first() or _assess(meeting)
    before = {"rating": assessment.secretary_rating, "note": assessment.secretary_note}
    assessment.secretary_rating = rating
    assessment.secretary_note = (note or "").strip()
    assessment.save(update_fields=["secretary_rating", "secretary_note"])
    audit.record(actor=actor, verb="quality.rate", obj=meeting, summary=_("Tự đánh giá chất lượng sinh hoạt: %(r)s") % {"r": assessment.get_secretary_rating_display()}, before=before, after={"rating": rating, "note": assessment.secretary_note})
    return assessment
