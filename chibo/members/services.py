"""Writes to the member registry. Each service is one transaction with its audit rows.

Audit rows for memberships, statuses and positions are written against the member, so the
member's history page tells the whole story.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.access import today
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.members import validation
from chibo.members.models import (
    ACTIVE_STATUSES,
    CommunityKind,
    CommunityPosition,
    Member,
    Membership,
    Position,
    PositionKind,
    Sex,
    Status,
    StatusPeriod,
    TheoryLevel,
)
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion

PROFILE_FIELDS = [
    "surname", "middle_name", "given_name", "date_of_birth", "sex", "admitted_on", "official_on",
    "party_card_number", "citizen_id", "phone", "email", "ethnicity", "religion", "hometown",
    "education", "theory_level", "occupation",
]


def _full_name(surname: str, middle: str, given: str) -> str:
    return " ".join(p for p in (surname, middle, given) if p)


def _clean_profile(data: dict[str, Any], *, member: Member | None = None, age_on: dt.date | None = None) -> dict[str, Any]:
    """Validate a whole profile (the member's current values completed by ``data``). The admission age
    is checked on ``age_on`` (the cell's review, when the admission lifecycle knows it), else on the
    admission day."""
    current = {f: getattr(member, f) for f in PROFILE_FIELDS} if member else {}
    merged = {**current, **{k: v for k, v in data.items() if k in PROFILE_FIELDS}}
    out: dict[str, Any] = {}
    out["surname"] = validation.check_name_part(merged.get("surname", ""), field="surname", label=_("Họ"))
    out["middle_name"] = validation.check_name_part(merged.get("middle_name", ""), field="middle_name", label=_("Tên đệm"), required=False)
    out["given_name"] = validation.check_name_part(merged.get("given_name", ""), field="given_name", label=_("Tên"))
    sex = merged.get("sex")
    if sex not in Sex.values:
        raise ChiboError(_("Hãy chọn giới tính."), field="sex")
    out["sex"] = sex
    for key, label in (("date_of_birth", _("Ngày sinh")), ("admitted_on", _("Ngày vào Đảng"))):
        if not isinstance(merged.get(key), dt.date):
            raise ChiboError(_("%(label)s không được để trống.") % {"label": label}, field=key)
        out[key] = merged[key]
    official = merged.get("official_on") or None
    out["official_on"] = official
    validation.check_dates(
        date_of_birth=out["date_of_birth"],
        admitted_on=out["admitted_on"],
        official_on=official,
        today=today(),
        age_on=age_on,
        min_age=settings.CHIBO_ADMISSION_AGE_MIN,
        max_age=settings.CHIBO_ADMISSION_AGE_MAX,
    )
    out["citizen_id"] = validation.check_citizen_id(
        merged.get("citizen_id", ""), date_of_birth=out["date_of_birth"], sex=out["sex"]
    )
    duplicate = Member.objects.filter(citizen_id=out["citizen_id"])
    if member is not None:
        duplicate = duplicate.exclude(pk=member.pk)
    if duplicate.exists():
        raise ChiboError(_("Số căn cước %(id)s đã có trong danh sách đảng viên.") % {"id": out["citizen_id"]}, field="citizen_id")
    out["party_card_number"] = validation.check_card_number(merged.get("party_card_number", ""))
    if out["party_card_number"]:
        dup_card = Member.objects.filter(party_card_number=out["party_card_number"])
        if member is not None:
            dup_card = dup_card.exclude(pk=member.pk)
        if dup_card.exists():
            raise ChiboError(_("Số thẻ đảng %(card)s đã được cấp cho đảng viên khác.") % {"card": out["party_card_number"]}, field="party_card_number")
    phone = (merged.get("phone") or "").strip().replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        raise ChiboError(_("Số điện thoại không hợp lệ."), field="phone")
    out["phone"] = phone
    theory = merged.get("theory_level") or ""
    if theory not in TheoryLevel.values:
        raise ChiboError(_("Trình độ lý luận chính trị không hợp lệ."), field="theory_level")
    out["theory_level"] = theory
    for key in ("email", "hometown", "education", "occupation"):
        out[key] = (merged.get(key) or "").strip()
    out["ethnicity"] = (merged.get("ethnicity") or "Kinh").strip()
    out["religion"] = (merged.get("religion") or "Không").strip()
    return out


def _cell_version(org: Organisation, on: dt.date) -> OrgVersion:
    version = OrgVersion.objects.filter(org=org, valid_from__lte=on, valid_to__gt=on).first()
    if version is None:
        raise ChiboError(_("Chi bộ chưa thành lập hoặc đã giải thể vào ngày %(date)s.") % {"date": on.strftime("%d/%m/%Y")}, field="org")
    if version.kind not in CELL_KINDS:
        raise ChiboError(_("Đảng viên phải sinh hoạt ở một chi bộ, không phải ở %(name)s.") % {"name": version.name}, field="org")
    return version


@transaction.atomic
def member_create(
    *, actor: Any, org: Organisation, data: dict[str, Any], joined_on: dt.date | None = None, status: str | None = None,
    age_on: dt.date | None = None,
) -> Member:
    """Add a member to a cell. ``joined_on`` is when the cell took the record
    (default: the admission day, or the cell's founding day if the cell is younger). ``age_on``: the day
    the admission age rule is checked on (the cell's review; default the admission day)."""
    clean = _clean_profile(data, age_on=age_on)
    joined_on = joined_on or max(clean["admitted_on"], org.founded_on)
    if joined_on > today():
        raise ChiboError(_("Ngày bắt đầu sinh hoạt không được ở tương lai."), field="joined_on")
    if joined_on < clean["admitted_on"]:
        raise ChiboError(_("Ngày bắt đầu sinh hoạt không được trước ngày vào Đảng."), field="joined_on")
    cell = _cell_version(org, joined_on)
    status = status or (Status.OFFICIAL if clean["official_on"] else Status.PROBATIONARY)
    member = Member(**clean, full_name=_full_name(clean["surname"], clean["middle_name"], clean["given_name"]))
    member.name_folded = fold(member.full_name)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ChiboError(_("Không lưu được đảng viên: dữ liệu trùng hoặc không hợp lệ.")) from exc
    Membership.objects.create(member=member, org=org, valid_from=joined_on)
    if status == Status.OFFICIAL and clean["official_on"] and clean["official_on"] > joined_on:
        StatusPeriod.objects.create(member=member, status=Status.PROBATIONARY, valid_from=joined_on, valid_to=clean["official_on"])
        StatusPeriod.objects.create(member=member, status=Status.OFFICIAL, valid_from=clean["official_on"])
    else:
        StatusPeriod.objects.create(member=member, status=status, valid_from=joined_on)
    audit.record(
        actor=actor,
        verb="member.create",
        obj=member,
        summary=_("Thêm đảng viên %(name)s vào %(cell)s") % {"name": member.full_name, "cell": cell.name},
        after={**audit.snapshot(member, PROFILE_FIELDS), "org": cell.name, "joined_on": joined_on, "status": status},
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, data: dict[str, Any]) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member, PROFILE_FIELDS)
    clean = _clean_profile(data, member=member)
    # The official date of a probationary member is set by the probation lifecycle (chibo/probation).
    current = StatusPeriod.objects.filter(member=member, valid_to=OPEN).values_list("status", flat=True).first()
    if current == Status.PROBATIONARY and clean.get("official_on") != member.official_on:
        raise ChiboError(_("Ngày chính thức của đảng viên dự bị được ghi khi cấp ủy công nhận đảng viên chính thức."), field="official_on")
    for key, value in clean.items():
        setattr(member, key, value)
    member.full_name = _full_name(member.surname, member.middle_name, member.given_name)
    member.name_folded = fold(member.full_name)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent change took the same citizen ID or card number
        raise ChiboError(_("Không lưu được đảng viên: dữ liệu trùng hoặc không hợp lệ.")) from exc
    after = audit.snapshot(member, PROFILE_FIELDS)
    if before != after:
        audit.record(actor=actor, verb="member.update", obj=member, summary=_("Sửa thông tin %(name)s") % {"name": member.full_name}, before=before, after=after)
    return member


def _close_and_open(model: type[Any], *, current: Any, on: dt.date, **new_fields: Any) -> Any:
    if on < current.valid_from:
        raise ChiboError(
            _("Ngày hiệu lực phải từ %(date)s trở đi.") % {"date": current.valid_from.strftime("%d/%m/%Y")}, field="on"
        )
    if on == current.valid_from:
        for key, value in new_fields.items():
            setattr(current, key, value)
        current.save()
        return current
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    return model.objects.create(valid_from=on, **new_fields)


@transaction.atomic
def member_move(*, actor: Any, member: Member, org: Organisation, on: dt.date, note: str = "") -> Membership:
    """Move a member's record to another cell from ``on``."""
    if on > today():
        raise ChiboError(_("Ngày chuyển không được ở tương lai."), field="on")
    current = Membership.objects.select_for_update().filter(member=member, valid_to=OPEN).select_related("org").first()
    if current is None:
        raise ChiboError(_("Đảng viên này không còn sinh hoạt ở chi bộ nào."))
    if current.org_id == org.pk:
        raise ChiboError(_("Đảng viên đã sinh hoạt ở chi bộ này."), field="org")
    target = _cell_version(org, on)
    source = OrgVersion.objects.filter(org_id=current.org_id, valid_from__lte=on, valid_to__gt=on).first()
    new = _close_and_open(Membership, current=current, on=on, member=member, org=org)
    Position.objects.filter(member=member, org_id=current.org_id, valid_to=OPEN, valid_from__lt=on).update(valid_to=on)
    audit.record(
        actor=actor,
        verb="member.move",
        obj=member,
        summary=_("Chuyển %(name)s từ %(src)s sang %(dst)s") % {"name": member.full_name, "src": source.name if source else "?", "dst": target.name},
        before={"org": source.name if source else current.org_id},
        after={"org": target.name, "on": on, "note": note},
    )
    return new


def memberships_transfer(*, actor: Any, source: Organisation, target: Organisation, on: dt.date, member_ids: list[int] | None = None) -> int:
    """Move the open member records of ``source`` (or the listed members) to ``target``; used by merge and split."""
    qs = Membership.objects.select_for_update().filter(org=source, valid_to=OPEN)
    if member_ids is None and not qs.exists():
        return 0  # e.g. merging two committees: nothing but their children moves
    target_version = _cell_version(target, on)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
        if qs.count() != len(set(member_ids)):
            raise ChiboError(_("Có đảng viên được chọn không sinh hoạt ở tổ chức cần chia tách."))
    current = list(qs.select_related("member"))
    if any(m.valid_from > on for m in current):
        raise ChiboError(_("Có đảng viên chuyển đến sau ngày hiệu lực; hãy chọn ngày muộn hơn."), field="on")
    same_day = [m for m in current if m.valid_from == on]
    for m in same_day:
        m.org = target
        m.save(update_fields=["org"])
    later = [m for m in current if m.valid_from < on]
    Membership.objects.filter(pk__in=[m.pk for m in later]).update(valid_to=on)
    Membership.objects.bulk_create([Membership(member_id=m.member_id, org=target, valid_from=on) for m in later])
    Position.objects.filter(org=source, member_id__in=[m.member_id for m in current], valid_to=OPEN, valid_from__lt=on).update(valid_to=on)
    audit.record_many(
        actor=actor,
        verb="member.move",
        objs=[m.member for m in current],
        summary=_("Chuyển sang %(dst)s do sắp xếp tổ chức") % {"dst": target_version.name},
        after={"org": target_version.name, "on": on},
    )
    return len(current)


# The statuses a member lifecycle owns (issue 9): reached only through that lifecycle's steps, whose
# services pass ``owner`` (their app label) to :func:`member_set_status`. Without an owner only the
# statuses in MANUAL_STATUSES are set by hand (the status form, the API).
LIFECYCLE_OWNERS: dict[str, tuple[str, ...]] = {
    Status.PROBATIONARY: ("admissions",),
    Status.OFFICIAL: ("admissions", "discipline", "transfers"),  # official at probation's end; back from exemption or a temporary transfer
    Status.EXEMPTED: ("discipline",),
    Status.TEMP_OUT: ("transfers",),
    Status.TRANSFERRED_OUT: ("transfers",),
    Status.REMOVED: ("discipline", "admissions"),  # removal, discipline; a probationary member not recognised
}
MANUAL_STATUSES = [s for s in Status.values if s not in LIFECYCLE_OWNERS]
OWNERS = {owner for owners in LIFECYCLE_OWNERS.values() for owner in owners}


def _lifecycle_name(status: str) -> str:
    names: dict[str, str] = {
        Status.PROBATIONARY: _("kết nạp đảng viên"),
        Status.OFFICIAL: _("công nhận đảng viên chính thức (hoặc hết miễn sinh hoạt, hết chuyển sinh hoạt tạm thời)"),
        Status.EXEMPTED: _("miễn công tác và sinh hoạt đảng"),
        Status.TEMP_OUT: _("chuyển sinh hoạt đảng"),
        Status.TRANSFERRED_OUT: _("chuyển sinh hoạt đảng"),
        Status.REMOVED: _("xóa tên, kỷ luật"),
    }
    return names.get(status, "")


@transaction.atomic
def member_set_status(*, actor: Any, member: Member, status: str, on: dt.date, note: str = "", owner: str = "") -> StatusPeriod:
    """A member's status from ``on``. A status a lifecycle owns (``LIFECYCLE_OWNERS``) needs that
    lifecycle's ``owner``: anything else (a form, the API, an import) is refused with the lifecycle
    to use."""
    if status not in Status.values:
        raise ChiboError(_("Trạng thái không hợp lệ."), field="status")
    if owner and owner not in OWNERS:
        raise ValueError(f"unknown lifecycle {owner!r}")
    if status in LIFECYCLE_OWNERS and owner not in LIFECYCLE_OWNERS[status]:
        raise ChiboError(
            _("Trạng thái “%(status)s” chỉ được thay đổi qua quy trình %(process)s.")
            % {"status": Status(status).label, "process": _lifecycle_name(status)},
            field="status",
        )
    if on > today():
        raise ChiboError(_("Ngày hiệu lực không được ở tương lai."), field="on")
    current = StatusPeriod.objects.select_for_update().filter(member=member, valid_to=OPEN).first()
    if current is None:
        raise ChiboError(_("Đảng viên chưa có trạng thái."))
    if current.status == status:
        raise ChiboError(_("Đảng viên đã ở trạng thái này."), field="status")
    if current.status not in ACTIVE_STATUSES and status in ACTIVE_STATUSES and current.status != Status.TRANSFERRED_OUT:
        raise ChiboError(_("Không thể khôi phục đảng viên đã từ trần hoặc đã bị xóa tên."), field="status")
    if status == Status.OFFICIAL and member.official_on is None:
        member.official_on = on
        member.save(update_fields=["official_on", "updated_at"])
    before = {"status": current.status, "since": current.valid_from}
    new = _close_and_open(StatusPeriod, current=current, on=on, member=member, status=status, note=note)
    if status not in ACTIVE_STATUSES:
        Position.objects.filter(member=member, valid_to=OPEN, valid_from__lt=on).update(valid_to=on)
    audit.record(
        actor=actor,
        verb="member.status",
        obj=member,
        summary=_("%(name)s: %(old)s → %(new)s") % {"name": member.full_name, "old": Status(current.status).label if before else "", "new": Status(status).label},
        before=before,
        after={"status": status, "since": on, "note": note},
    )
    return new


_COMMITTEE_KINDS = (PositionKind.SECRETARY, PositionKind.DEPUTY_SECRETARY, PositionKind.COMMITTEE_MEMBER)


def _check_leadership_limits(*, member: Member, org: Organisation, kind: str, on: dt.date) -> None:
    """The cell's leadership under 294-QĐ/TW (domain.md §1): a cell committee (chi ủy) only from
    CHIBO_COMMITTEE_MIN_OFFICIAL official members; at most CHIBO_COMMITTEE_MAX people in it (the
    secretary and deputies, elected from it, included) and CHIBO_DEPUTY_MAX deputy secretaries.
    A new secretary replaces the current one, so the outgoing secretary's seat is not counted."""
    from chibo.members.selectors import official_member_count

    # Lock the cell's open leadership rows so two concurrent assignments cannot both pass the limits.
    held = list(
        Position.objects.select_for_update()
        .filter(org=org, kind__in=_COMMITTEE_KINDS, valid_from__lte=on, valid_to__gt=on)
        .values_list("member_id", "kind")
    )
    if kind == PositionKind.COMMITTEE_MEMBER:
        official = official_member_count(org_id=org.pk, on=on)
        if official < settings.CHIBO_COMMITTEE_MIN_OFFICIAL:
            raise ChiboError(
                _(
                    "Chi bộ dưới %(min)s đảng viên chính thức không bầu chi ủy (Quy định 294-QĐ/TW); "
                    "chi bộ có %(n)s đảng viên chính thức vào ngày %(date)s."
                )
                % {"min": settings.CHIBO_COMMITTEE_MIN_OFFICIAL, "n": official, "date": on.strftime("%d/%m/%Y")},
                field="kind",
            )
    if kind == PositionKind.DEPUTY_SECRETARY:
        deputies = {m for m, k in held if k == PositionKind.DEPUTY_SECRETARY}
        if len(deputies) >= settings.CHIBO_DEPUTY_MAX:
            raise ChiboError(
                _("Chi bộ chỉ có %(max)s phó bí thư (Quy định 294-QĐ/TW); hãy kết thúc chức vụ của phó bí thư hiện tại trước.")
                % {"max": settings.CHIBO_DEPUTY_MAX},
                field="kind",
            )
    has_committee = any(k == PositionKind.COMMITTEE_MEMBER for _m, k in held) or kind == PositionKind.COMMITTEE_MEMBER
    if has_committee:
        seats = {m for m, k in held if not (kind == PositionKind.SECRETARY and k == PositionKind.SECRETARY)}
        seats.add(member.pk)
        if len(seats) > settings.CHIBO_COMMITTEE_MAX:
            raise ChiboError(
                _("Chi ủy có tối đa %(max)s chi ủy viên, kể cả bí thư và phó bí thư (Quy định 294-QĐ/TW).")
                % {"max": settings.CHIBO_COMMITTEE_MAX},
                field="kind",
            )


@transaction.atomic
def position_assign(*, actor: Any, member: Member, kind: str, on: dt.date, org: Organisation | None = None) -> Position:
    """Give a member a position in their cell (or ``org``) from ``on``; a new secretary ends the old one's term."""
    if kind not in PositionKind.values:
        raise ChiboError(_("Chức vụ không hợp lệ."), field="kind")
    membership = Membership.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on).first()
    if membership is None:
        raise ChiboError(_("Vào ngày %(date)s đảng viên không sinh hoạt ở chi bộ nào.") % {"date": on.strftime("%d/%m/%Y")}, field="on")
    org = org or membership.org
    status = StatusPeriod.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on).first()
    if status is None or status.status not in (Status.OFFICIAL, Status.PROBATIONARY):
        raise ChiboError(_("Chỉ đảng viên đang sinh hoạt mới được giao chức vụ."), field="kind")
    if kind == PositionKind.SECRETARY and status.status != Status.OFFICIAL:
        raise ChiboError(_("Bí thư phải là đảng viên chính thức."), field="kind")
    if Position.objects.filter(member=member, org=org, kind=kind, valid_to=OPEN).exists():
        raise ChiboError(_("Đảng viên đang giữ chức vụ này."), field="kind")
    org_version = OrgVersion.objects.filter(org=org, valid_from__lte=on, valid_to__gt=on).first()
    if org_version is None:
        raise ChiboError(_("Tổ chức chưa thành lập hoặc đã giải thể vào ngày %(date)s.") % {"date": on.strftime("%d/%m/%Y")}, field="on")
    _check_leadership_limits(member=member, org=org, kind=kind, on=on)
    if kind == PositionKind.SECRETARY:
        for old in Position.objects.select_for_update().filter(org=org, kind=kind, valid_to=OPEN):
            if old.valid_from >= on:
                raise ChiboError(_("Chi bộ đã có bí thư từ %(date)s.") % {"date": old.valid_from.strftime("%d/%m/%Y")}, field="on")
            old.valid_to = on
            old.save(update_fields=["valid_to"])
            audit.record(actor=actor, verb="position.end", obj=old.member, summary=_("Kết thúc nhiệm kỳ Bí thư %(org)s") % {"org": org_version.name}, after={"kind": kind, "until": on})
    position = Position.objects.create(member=member, org=org, kind=kind, valid_from=on)
    audit.record(
        actor=actor,
        verb="position.assign",
        obj=member,
        summary=_("%(name)s giữ chức %(kind)s %(org)s") % {"name": member.full_name, "kind": PositionKind(kind).label, "org": org_version.name},
        after={"kind": kind, "org": org_version.name, "since": on},
    )
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, on: dt.date) -> Position:
    if position.valid_to != OPEN:
        raise ChiboError(_("Nhiệm kỳ này đã kết thúc."))
    if on <= position.valid_from:
        raise ChiboError(_("Ngày kết thúc phải sau ngày bắt đầu nhiệm kỳ."), field="on")
    position.valid_to = on
    position.save(update_fields=["valid_to"])
    label = PositionKind(position.kind).label
    audit.record(actor=actor, verb="position.end", obj=position.member, summary=_("Kết thúc chức vụ %(kind)s") % {"kind": label}, before={"kind": position.kind, "since": position.valid_from}, after={"until": on})
    return position


@transaction.atomic
def community_position_assign(*, actor: Any, member: Member, kind: str, area_name: str, on: dt.date, until: dt.date = OPEN) -> CommunityPosition:
    if kind not in CommunityKind.values:
        raise ChiboError(_("Chức danh không hợp lệ."), field="kind")
    if not area_name.strip():
        raise ChiboError(_("Hãy ghi tên thôn, khu phố."), field="area_name")
    if until <= on:
        raise ChiboError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="until")
    overlap = CommunityPosition.objects.filter(member=member, kind=kind, valid_from__lt=until, valid_to__gt=on).exists()
    if overlap:
        raise ChiboError(_("Đảng viên đã giữ chức danh này trong khoảng thời gian đó."), field="kind")
    position = CommunityPosition.objects.create(member=member, kind=kind, area_name=area_name.strip(), valid_from=on, valid_to=until)
    audit.record(
        actor=actor,
        verb="community.assign",
        obj=member,
        summary=_("%(name)s làm %(kind)s %(area)s") % {"name": member.full_name, "kind": CommunityKind(kind).label, "area": area_name},
        after={"kind": kind, "area_name": area_name, "since": on, "until": until},
    )
    return position


@transaction.atomic
def community_position_end(*, actor: Any, position: CommunityPosition, on: dt.date) -> CommunityPosition:
    if on <= position.valid_from or on >= position.valid_to:
        raise ChiboError(_("Ngày kết thúc phải nằm trong nhiệm kỳ."), field="on")
    position.valid_to = on
    position.save(update_fields=["valid_to"])
    audit.record(actor=actor, verb="community.end", obj=position.member, summary=_("Kết thúc chức danh %(kind)s") % {"kind": CommunityKind(position.kind).label}, after={"until": on})
    return position
