"""Writing audit rows. Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from chibo.core.models import AuditEvent


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
    actor_id = getattr(actor, "pk", None)
    return AuditEvent.objects.create(
        actor_id=actor_id,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        summary=summary[:500],
        before={k: jsonable(v) for k, v in (before or {}).items()},
        after={k: jsonable(v) for k, v in (after or {}).items()},
    )


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
