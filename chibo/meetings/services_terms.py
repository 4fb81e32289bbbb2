"""A cell's congress terms (nhiệm kỳ), entered and audited: resolution numbers count from 01 within each.

Rules (domain.md §1):
- a term ends after it starts; the terms of one cell never overlap (checked here with the cell row
  locked, so two concurrent entries cannot both pass; SQLite has no exclusion constraint);
- the length is about 2.5 years (Charter: twice every 5 years) or 5 years (294-QĐ/TW pilots once
  every 5 years), each ±6 months (the Charter's margin with the superior's consent). Another length
  is refused with the rule named, unless the person confirms an exceptional term (a new cell's first
  term, a term cut short by a merger or an appointed committee): real cells have those, so the
  confirmation is allowed and written into the audit row;
- a term that numbered a resolution is not deleted, and its dates never leave out the meeting of a
  resolution it numbered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.dates import add_months, fmt_date, local_date
from chibo.core.errors import ChiboError
from chibo.meetings.models import CellTerm, Resolution
from chibo.meetings.selectors_prep import current_version
from chibo.orgs.models import CELL_KINDS, Organisation

TERM_FIELDS = ["name", "congress_on", "starts_on", "ends_on"]
# (nominal months, margin in months): 2.5 and 5 years, ±6 months.
LENGTHS = ((30, 6), (60, 6))




def length_is_usual(starts_on: dt.date, ends_on: dt.date) -> bool:
    """About 2.5 or 5 years: within 6 months either side (the bounds included)."""
    return any(add_months(starts_on, n - m) <= ends_on <= add_months(starts_on, n + m) for n, m in LENGTHS)


def _check(
    *,
    org: Organisation,
    name: str,
    congress_on: dt.date | None,
    starts_on: dt.date,
    ends_on: dt.date,
    exceptional: bool,
    exclude_pk: int | None = None,
) -> str:
    name = (name or "").strip()
    if not name:
        raise ChiboError(_("Hãy nhập tên nhiệm kỳ, ví dụ 2025–2030."), field="name")
    if len(name) > CellTerm._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ChiboError(_("Tên nhiệm kỳ quá dài."), field="name")
    if ends_on <= starts_on:
        raise ChiboError(_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."), field="ends_on")
    if congress_on is not None and congress_on > starts_on:
        raise ChiboError(_("Đại hội chi bộ phải diễn ra trước hoặc đúng ngày bắt đầu nhiệm kỳ."), field="congress_on")
    if not exceptional and not length_is_usual(starts_on, ends_on):
        raise ChiboError(
            _(
                "Nhiệm kỳ chi bộ dài khoảng 2,5 năm (Điều lệ Đảng: hai lần trong 5 năm) hoặc 5 năm "
                "(Quy định 294-QĐ/TW), mỗi loại được sớm hoặc muộn 6 tháng. Nếu đây là nhiệm kỳ đặc biệt "
                "(chi bộ mới thành lập, hợp nhất, chỉ định), hãy đánh dấu ô xác nhận."
            ),
            field="ends_on",
        )
    clash = CellTerm.objects.filter(org=org, starts_on__lt=ends_on, ends_on__gt=starts_on)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.order_by("starts_on").first()
    if other is not None:
        raise ChiboError(
            _("Trùng thời gian với nhiệm kỳ %(name)s (%(start)s – %(end)s). Các nhiệm kỳ của một chi bộ không được chồng lên nhau.")
            % {"name": other.name, "start": fmt_date(other.starts_on), "end": fmt_date(other.ends_on)},
            field="starts_on",
        )
    return name


def _lock_cell(org: Organisation) -> Organisation:
    """The cell row, locked: term writes of one cell run one after another."""
    locked = Organisation.objects.select_for_update().get(pk=org.pk)
    version = current_version(locked.pk)
    if version is None or version.kind not in CELL_KINDS:
        raise ChiboError(_("Chỉ ghi nhiệm kỳ cho chi bộ đang hoạt động."))
    return locked


def _summary(term: CellTerm) -> str:
    return _("Nhiệm kỳ %(name)s: %(start)s – %(end)s") % {"name": term.name, "start": fmt_date(term.starts_on), "end": fmt_date(term.ends_on)}


@transaction.atomic
def term_create(
    *,
    actor: Any,
    org: Organisation,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    congress_on: dt.date | None = None,
    exceptional: bool = False,
) -> CellTerm:
    org = _lock_cell(org)
    name = _check(org=org, name=name, congress_on=congress_on, starts_on=starts_on, ends_on=ends_on, exceptional=exceptional)
    term = CellTerm(org=org, name=name, congress_on=congress_on, starts_on=starts_on, ends_on=ends_on)
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError as exc:  # the same start, entered at the same moment
        raise ChiboError(_("Chi bộ đã có nhiệm kỳ bắt đầu ngày %(day)s.") % {"day": fmt_date(starts_on)}, field="starts_on") from exc
    after = {**audit.snapshot(term, TERM_FIELDS), "exceptional_length": not length_is_usual(starts_on, ends_on)}
    audit.record(actor=actor, verb="meeting.term_create", obj=org, summary=_("Ghi nhận %(term)s") % {"term": _summary(term)}, after=after)
    return term


@transaction.atomic
def term_update(
    *,
    actor: Any,
    term: CellTerm,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    congress_on: dt.date | None = None,
    exceptional: bool = False,
) -> CellTerm:
    org = _lock_cell(term.org)
    term = CellTerm.objects.get(pk=term.pk)
    name = _check(org=org, name=name, congress_on=congress_on, starts_on=starts_on, ends_on=ends_on, exceptional=exceptional, exclude_pk=term.pk)
    outside = [
        r for r in Resolution.objects.filter(term=term).select_related("meeting")
        if not starts_on <= local_date(r.meeting.starts_at) < ends_on
    ]
    if outside:
        raise ChiboError(
            _("Nghị quyết %(code)s (họp ngày %(day)s) đã được đánh số trong nhiệm kỳ này; thời gian mới phải bao gồm ngày đó.")
            % {"code": outside[0].code, "day": fmt_date(local_date(outside[0].meeting.starts_at))},
            field="starts_on",
        )
    before = audit.snapshot(term, TERM_FIELDS)
    term.name, term.congress_on, term.starts_on, term.ends_on = name, congress_on, starts_on, ends_on
    after = audit.snapshot(term, TERM_FIELDS)
    if before == after:
        raise ChiboError(_("Chưa có thay đổi nào."))
    try:
        with transaction.atomic():
            term.save(update_fields=TERM_FIELDS)
    except IntegrityError as exc:
        raise ChiboError(_("Chi bộ đã có nhiệm kỳ bắt đầu ngày %(day)s.") % {"day": fmt_date(starts_on)}, field="starts_on") from exc
    after["exceptional_length"] = not length_is_usual(starts_on, ends_on)
    audit.record(actor=actor, verb="meeting.term_update", obj=org, summary=_("Sửa %(term)s") % {"term": _summary(term)}, before=before, after=after)
    return term


@transaction.atomic
def term_delete(*, actor: Any, term: CellTerm) -> None:
    org = _lock_cell(term.org)
    term = CellTerm.objects.get(pk=term.pk)
    if Resolution.objects.filter(term=term).exists():
        raise ChiboError(_("Nhiệm kỳ %(name)s đã có nghị quyết được đánh số, không xóa được; hãy sửa thông tin nếu nhập sai.") % {"name": term.name})
    before = audit.snapshot(term, TERM_FIELDS)
    summary = _("Xóa %(term)s") % {"term": _summary(term)}
    term.delete()
    audit.record(actor=actor, verb="meeting.term_delete", obj=org, summary=summary, before=before)

