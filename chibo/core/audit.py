"""Writing audit rows. Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from chibo.core.models import AuditEvent
from chibo.core.rows import db as rows_db
from chibo.core.rows import execute

_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_INSERT_SQL = (
    f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join(str(f.column) for f in _INSERT_FIELDS)})"  # noqa: S608 - model columns
    f" VALUES ({', '.join(['%s'] * len(_INSERT_FIELDS))})"
)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model's concrete field values."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        out[field.name] = jsonable(value)
    return out


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows must be written inside the change's transaction")
    event = AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        summary=summary[:500],
        before={k: jsonable(v) for k, v in (before or {}).items()},
        after={k: jsonable(v) for k, v in (after or {}).items()},
    )
    # One plain INSERT (every check-in writes one): the fields' own conversions, no query building.
    conn = rows_db()
    values = [f.get_db_prep_save(getattr(event, f.attname), conn) for f in _INSERT_FIELDS]
    execute(_INSERT_SQL, values, fetch="none")
    return event


def record_many(*, actor: Any, verb: str, objs: list[models.Model], summary: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """One audit row per object, for a change that touches many records at once (a merge, an import)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows must be written inside the change's transaction")
    actor_id = getattr(actor, "pk", None)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                verb=verb,
                object_type=obj._meta.label_lower,
                object_id=obj.pk,
                summary=summary[:500],
                before={k: jsonable(v) for k, v in (before or {}).items()},
                after={k: jsonable(v) for k, v in (after or {}).items()},
            )
            for obj in objs
        ],
        batch_size=500,
    )


# How audit details are shown on history pages: Vietnamese labels, dd/mm/yyyy dates, choice labels.
_HIDDEN = {"path", "depth", "name_folded"}


def _labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "surname": _("Họ"), "middle_name": _("Tên đệm"), "given_name": _("Tên"), "date_of_birth": _("Ngày sinh"),
        "sex": _("Giới tính"), "admitted_on": _("Ngày vào Đảng"), "official_on": _("Ngày chính thức"),
        "party_card_number": _("Số thẻ đảng"), "citizen_id": _("Số căn cước"), "phone": _("Điện thoại"),
        "email": _("Email"), "ethnicity": _("Dân tộc"), "religion": _("Tôn giáo"), "hometown": _("Quê quán"),
        "education": _("Trình độ học vấn"), "theory_level": _("Lý luận chính trị"), "occupation": _("Nghề nghiệp"),
        "org": _("Chi bộ"), "on": _("Ngày hiệu lực"), "note": _("Ghi chú"), "joined_on": _("Ngày bắt đầu sinh hoạt"),
        "status": _("Trạng thái"), "since": _("Từ ngày"), "until": _("Đến ngày"), "kind": _("Loại"),
        "area_name": _("Địa bàn"), "area_kind": _("Loại địa bàn"), "name": _("Tên"), "parent": _("Cấp trên"),
        "sector": _("Loại hình"), "admin_unit": _("Đơn vị hành chính"), "valid_from": _("Từ ngày"),
        "role": _("Vai trò"), "dissolved_on": _("Ngày giải thể"), "merged_into": _("Hợp nhất vào"),
        "sources": _("Tổ chức hợp nhất"), "parts": _("Tổ chức mới"), "dissolved": _("Giải thể"),
        "username": _("Tên đăng nhập"), "member": _("Đảng viên"),
        "starts_at": _("Thời gian"), "place": _("Địa điểm"), "topic": _("Chuyên đề"), "month": _("Tháng"),
        "published_at": _("Ngày thông báo"), "published_late": _("Thông báo muộn"), "reason": _("Lý do"),
        "draft_resolution": _("Dự thảo nghị quyết"), "title": _("Tiêu đề"), "number": _("Số"),
        "chair": _("Chủ trì"), "minute_taker": _("Thư ký"), "attendee": _("Người dự"), "cell": _("Chi bộ"),
        "observations": _("Nhận xét"), "issues_raised": _("Kiến nghị"), "before": _("Trước"), "after": _("Sau"),
        "adopted": _("Được thông qua"), "votes_agree": _("Tán thành"), "votes_disagree": _("Không tán thành"),
        "votes_abstain": _("Không biểu quyết"), "vote_base": _("Số đảng viên tính biểu quyết"),
    }


def _choice_labels() -> dict[str, Any]:
    from chibo.accounts.models import Role
    from chibo.members.models import CommunityKind, PositionKind, Sex, Status, TheoryLevel
    from chibo.orgs.models import AdminUnit, AreaKind, OrgKind, Sector

    out: dict[str, Any] = {}
    for choices in (Status, PositionKind, CommunityKind, Sex, TheoryLevel, OrgKind, Sector, AdminUnit, AreaKind, Role):
        out.update({value: label for value, label in choices.choices if value})
    return out


def display_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
            return "—" if value.startswith("9999-") else f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        if len(value) > 15 and value[4] == "-" and value[7] == "-" and value[10] == "T" and value[:4].isdigit():
            from chibo.core.dates import fmt_datetime

            try:  # a moment stored in UTC (isoformat): shown as dd/mm/yyyy HH:MM in Vietnam
                return fmt_datetime(dt.datetime.fromisoformat(value))
            except ValueError:
                pass
        return str(_choice_labels().get(value, value))
    if isinstance(value, list):
        return ", ".join(display_value(v) for v in value)
    return str(value)


def describe_changes(event: AuditEvent) -> list[tuple[str, str | None, str]]:
    """(label, old or None, new) for each field that differs, for history pages."""
    labels = _labels()
    rows: list[tuple[str, str | None, str]] = []
    for key, old, new in event.changes():
        if key in _HIDDEN:
            continue
        rows.append((str(labels.get(key, key)), None if old is None else display_value(old), display_value(new)))
    return rows
