"""Writes of residence contact (213-QĐ/TW Art. 4, 33-HD/BTCTW §1). One transaction and one audit
row each; a refusal raises ChiboError and changes nothing.

Rules:
- only a member whose record is in a non-residential cell (agency, enterprise, school, armed forces,
  police, other) is registered, at a residential cell under the registering committee;
- 33-HD §1: special-duty or secret-identity forces and units on combat readiness are not introduced
  (refused with the reason); soldiers and police in barracks, mobile workers, seconded officials and
  full-time students are registered but exempt from the yearly comment (the category is stored);
- one open registration per member (also a database constraint); it ends when the member moves
  house (a transfer to another residence cell) or leaves;
- a contact meeting lists registrations of the cell open on its day; not in the future;
- one comment per registration and year, not for an exempt registration, dated in its year up to
  today; saving again edits it. The work cell's secretaries are notified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.accounts.selectors import users_with_grant
from chibo.core import audit
from chibo.core.dates import fmt_date
from chibo.core.dates import today as local_today
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.meetings.notify import Recipient, notify
from chibo.members.models import ACTIVE_STATUSES, Member, StatusPeriod
from chibo.orgs.models import CELL_KINDS, Organisation, Sector
from chibo.orgs.selectors import versions_on
from chibo.residence import selectors as sel
from chibo.residence.models import (
    Assessment,
    ContactAttendance,
    ContactMeeting,
    EndReason,
    Exemption,
    NotIntroduced,
    Registration,
    ResidenceComment,
)

REG_FIELDS = ["member", "residence_org", "work_org", "registering_org", "introduced_on", "introduction_ref", "registered_on", "exemption", "ended_on", "end_reason", "end_note"]
COMMENT_FIELDS = ["year", "text", "assessment", "commented_on", "author_name", "front_head_name"]


def _actor_name(actor: Any) -> str:
    member = getattr(actor, "member", None)
    if member is not None:
        return str(member.full_name)
    return str(getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "") or "")


def _check_category(category: str) -> str:
    if category in NotIntroduced.values:
        reason = NotIntroduced(category).label
        raise ChiboError(_("Không giới thiệu về sinh hoạt nơi cư trú: %(reason)s (Hướng dẫn 33-HD/BTCTW, mục 1).") % {"reason": reason}, field="category")
    if category not in Exemption.values:
        raise ChiboError(_("Diện đảng viên không hợp lệ."), field="category")
    return category


def _check_residence_cell(*, registering_org_id: int, residence_org_id: int | None, on: dt.date) -> int:
    if residence_org_id is None:
        raise ChiboError(_("Hãy chọn chi bộ nơi cư trú."), field="residence_org")
    version = versions_on(on).filter(org_id=residence_org_id).first()
    if version is None or not sel.is_residence_cell(version):
        raise ChiboError(_("Chi bộ nơi cư trú phải là chi bộ thôn, tổ dân phố (khu dân cư)."), field="residence_org")
    if not sel.in_subtree(root_id=registering_org_id, org_id=residence_org_id, on=on):
        raise ChiboError(_("Chi bộ nơi cư trú phải thuộc đảng bộ xã, phường tiếp nhận."), field="residence_org")
    return residence_org_id


@transaction.atomic
def registration_create(
    *, actor: Any, registering_org: Organisation, member_id: int | None, residence_org_id: int | None, introduced_on: dt.date,
    registered_on: dt.date, category: str = "", introduction_ref: str = "",
) -> Registration:
    """The commune records a member introduced by their workplace and passes them to the residence cell."""
    today = local_today()
    category = _check_category(category)
    reg_version = versions_on(today).filter(org_id=registering_org.pk).first()
    if reg_version is None or reg_version.kind in CELL_KINDS:
        raise ChiboError(_("Việc tiếp nhận do đảng ủy xã, phường thực hiện."))
    if member_id is None:
        raise ChiboError(_("Hãy chọn đảng viên được giới thiệu."), field="member")
    member = Member.objects.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise ChiboError(_("Không tìm thấy đảng viên."), field="member")
    if introduced_on > today:
        raise ChiboError(_("Ngày giới thiệu không thể sau hôm nay."), field="introduced_on")
    if registered_on > today:
        raise ChiboError(_("Ngày tiếp nhận không thể sau hôm nay."), field="registered_on")
    if registered_on < introduced_on:
        raise ChiboError(_("Ngày tiếp nhận không thể trước ngày giới thiệu (%(day)s).") % {"day": fmt_date(introduced_on)}, field="registered_on")
    residence_id = _check_residence_cell(registering_org_id=registering_org.pk, residence_org_id=residence_org_id, on=registered_on)
    work = sel.work_cell_on(member.pk, registered_on)
    if work is None:
        raise ChiboError(_("Đảng viên không sinh hoạt ở chi bộ nào vào ngày tiếp nhận."), field="member")
    if work.sector == Sector.RESIDENTIAL:
        raise ChiboError(_("Đảng viên đang sinh hoạt ở chi bộ nơi cư trú (%(cell)s): chỉ đảng viên công tác ở cơ quan, doanh nghiệp, đơn vị sự nghiệp, lực lượng vũ trang mới giới thiệu về nơi cư trú.") % {"cell": work.name}, field="member")
    status = StatusPeriod.objects.filter(member=member, valid_from__lte=registered_on, valid_to__gt=registered_on).values_list("status", flat=True).first()
    if status not in ACTIVE_STATUSES:
        raise ChiboError(_("Đảng viên không còn sinh hoạt đảng vào ngày tiếp nhận."), field="member")
    current = sel.open_registration(member.pk)
    if current is not None:
        name = versions_on(today).filter(org_id=current.residence_org_id).values_list("name", flat=True).first() or ""
        raise ChiboError(_("Đảng viên đã đăng ký sinh hoạt nơi cư trú ở %(cell)s từ %(day)s. Hãy chuyển nơi cư trú thay vì đăng ký mới.") % {"cell": name, "day": fmt_date(current.registered_on)}, field="member")
    registration = Registration.objects.create(
        member=member, residence_org_id=residence_id, work_org_id=work.org_id, registering_org=registering_org, introduced_on=introduced_on,
        introduction_ref=introduction_ref.strip(), registered_on=registered_on, exemption=category,
    )  # fmt: skip
    audit.record(
        actor=actor, verb="residence.register", obj=registration,
        summary=_("Tiếp nhận đảng viên %(name)s về sinh hoạt nơi cư trú") % {"name": member.full_name},
        after=audit.snapshot(registration, REG_FIELDS),
    )  # fmt: skip
    return registration


def _locked_open(registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().select_related("member").get(pk=registration.pk)
    if registration.ended_on != OPEN:
        raise ChiboError(_("Đăng ký này đã kết thúc ngày %(day)s.") % {"day": fmt_date(registration.ended_on)})
    return registration


def _check_end_day(registration: Registration, on: dt.date) -> None:
    if on > local_today():
        raise ChiboError(_("Ngày kết thúc không thể sau hôm nay."), field="on")
    if on <= registration.registered_on:
        raise ChiboError(_("Ngày kết thúc phải sau ngày tiếp nhận (%(day)s).") % {"day": fmt_date(registration.registered_on)}, field="on")


@transaction.atomic
def registration_end(*, actor: Any, registration: Registration, on: dt.date, reason: str, note: str = "") -> Registration:
    registration = _locked_open(registration)
    if reason not in EndReason.values:
        raise ChiboError(_("Lý do không hợp lệ."), field="reason")
    if reason == EndReason.OTHER and not note.strip():
        raise ChiboError(_("Hãy ghi rõ lý do."), field="note")
    _check_end_day(registration, on)
    before = audit.snapshot(registration, REG_FIELDS)
    registration.ended_on, registration.end_reason, registration.end_note = on, reason, note.strip()
    registration.save(update_fields=["ended_on", "end_reason", "end_note"])
    audit.record(
        actor=actor, verb="residence.end", obj=registration,
        summary=_("Kết thúc sinh hoạt nơi cư trú của đảng viên %(name)s: %(reason)s") % {"name": registration.member.full_name, "reason": EndReason(reason).label},
        before=before, after=audit.snapshot(registration, REG_FIELDS),
    )  # fmt: skip
    return registration


@transaction.atomic
def registration_transfer(*, actor: Any, registration: Registration, residence_org_id: int | None, on: dt.date, note: str = "") -> Registration:
    """The member moved house inside the same commune: the registration ends ("moved") and a new one
    opens at the new residence cell on the same day, with the same introduction and category."""
    registration = _locked_open(registration)
    _check_end_day(registration, on)
    residence_id = _check_residence_cell(registering_org_id=registration.registering_org_id, residence_org_id=residence_org_id, on=on)
    if residence_id == registration.residence_org_id:
        raise ChiboError(_("Đảng viên đang đăng ký ở chính chi bộ này."), field="residence_org")
    work = sel.work_cell_on(registration.member_id, on)
    before = audit.snapshot(registration, REG_FIELDS)
    registration.ended_on, registration.end_reason, registration.end_note = on, EndReason.MOVED, note.strip()
    registration.save(update_fields=["ended_on", "end_reason", "end_note"])
    new = Registration.objects.create(
        member_id=registration.member_id, residence_org_id=residence_id, work_org_id=work.org_id if work else registration.work_org_id,
        registering_org_id=registration.registering_org_id, introduced_on=registration.introduced_on, introduction_ref=registration.introduction_ref,
        registered_on=on, exemption=registration.exemption,
    )  # fmt: skip
    audit.record(
        actor=actor, verb="residence.transfer", obj=new,
        summary=_("Chuyển đảng viên %(name)s sang chi bộ nơi cư trú mới") % {"name": registration.member.full_name},
        before=before, after=audit.snapshot(new, REG_FIELDS),
    )  # fmt: skip
    return new


@transaction.atomic
def contact_meeting_record(*, actor: Any, org: Organisation, held_on: dt.date, registration_ids: list[int], note: str = "") -> ContactMeeting:
    version = versions_on(local_today()).filter(org_id=org.pk).first()
    if version is None or not sel.is_residence_cell(version):
        raise ChiboError(_("Chỉ chi bộ nơi cư trú ghi cuộc gặp đảng viên đăng ký sinh hoạt nơi cư trú."))
    if held_on > local_today():
        raise ChiboError(_("Ngày gặp không thể sau hôm nay."), field="held_on")
    ids = sorted(set(registration_ids))
    if not ids:
        raise ChiboError(_("Hãy chọn ít nhất một đảng viên có mặt."), field="attendees")
    found = set(Registration.objects.filter(sel.open_on(held_on), pk__in=ids, residence_org=org).values_list("pk", flat=True))
    if found != set(ids):
        raise ChiboError(_("Có đảng viên chưa đăng ký sinh hoạt ở chi bộ này vào ngày gặp."), field="attendees")
    meeting = ContactMeeting.objects.create(org=org, held_on=held_on, note=note.strip())
    ContactAttendance.objects.bulk_create([ContactAttendance(meeting=meeting, registration_id=pk) for pk in ids])
    audit.record(
        actor=actor, verb="residence.contact_meeting", obj=meeting,
        summary=_("Gặp đảng viên sinh hoạt nơi cư trú ngày %(day)s (%(n)s đồng chí)") % {"day": fmt_date(held_on), "n": len(ids)},
        after={"held_on": held_on.isoformat(), "registrations": ids, "note": meeting.note},
    )  # fmt: skip
    return meeting


@transaction.atomic
def comment_save(
    *, actor: Any, registration: Registration, year: int, text: str, assessment: str, commented_on: dt.date, front_head_name: str = "",
) -> ResidenceComment:
    """The residence cell's yearly comment, with the Front work committee; saving again edits it."""
    registration = Registration.objects.select_for_update().select_related("member").get(pk=registration.pk)
    today = local_today()
    if registration.exemption:
        raise ChiboError(_("Đảng viên thuộc diện không phải nhận xét hằng năm: %(cat)s.") % {"cat": Exemption(registration.exemption).label})
    if not 2000 <= year <= today.year:
        raise ChiboError(_("Năm không hợp lệ."), field="year")
    if not (registration.registered_on <= dt.date(year, 12, 31) and registration.ended_on > dt.date(year, 1, 1)):
        raise ChiboError(_("Đảng viên không đăng ký sinh hoạt ở chi bộ này trong năm %(year)s.") % {"year": year}, field="year")
    if not text.strip():
        raise ChiboError(_("Hãy ghi nhận xét."), field="text")
    if assessment not in Assessment.values:
        raise ChiboError(_("Hãy chọn mức đánh giá."), field="assessment")
    if commented_on > today:
        raise ChiboError(_("Ngày nhận xét không thể sau hôm nay."), field="commented_on")
    if commented_on.year != year:
        raise ChiboError(_("Ngày nhận xét phải trong năm %(year)s.") % {"year": year}, field="commented_on")
    comment = ResidenceComment.objects.filter(registration=registration, year=year).first()
    before = audit.snapshot(comment, COMMENT_FIELDS) if comment else None
    if comment is None:
        comment = ResidenceComment(registration=registration, year=year)
    comment.text, comment.assessment, comment.commented_on = text.strip(), assessment, commented_on
    comment.author, comment.author_name, comment.front_head_name = (actor if getattr(actor, "pk", None) else None), _actor_name(actor)[:200], front_head_name.strip()
    comment.save()
    member = registration.member
    audit.record(
        actor=actor, verb="residence.comment", obj=comment,
        summary=_("Nhận xét năm %(year)s của chi bộ nơi cư trú về đảng viên %(name)s: %(a)s") % {"year": year, "name": member.full_name, "a": Assessment(assessment).label},
        before=before, after=audit.snapshot(comment, COMMENT_FIELDS),
    )  # fmt: skip
    work = sel.work_cell_on(member.pk, today)
    if work is not None:
        users = users_with_grant(org_ids=[work.org_id], roles=["secretary"])
        notify(
            recipients=[Recipient(user=u, email=u.email or "") for u in users],
            subject=_("Nhận xét của chi bộ nơi cư trú về đồng chí %(name)s năm %(year)s") % {"name": member.full_name, "year": year},
            body=_("Chi bộ nơi cư trú đã nhận xét đồng chí %(name)s năm %(year)s: %(a)s.") % {"name": member.full_name, "year": year, "a": Assessment(assessment).label},
            url=reverse("members:detail", args=[member.pk]),
        )  # fmt: skip
    return comment
