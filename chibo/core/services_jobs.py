"""The administrator's "retry now" of a failed job."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from chibo.core import audit
from chibo.core.access import Policy
from chibo.core.errors import ChiboError
from chibo.core.models import JobRetry
from chibo.core.selectors_jobs import _last_line, failed


@transaction.atomic
def retry_now(*, actor: Any, result_id: uuid.UUID) -> JobRetry:
    """Enqueue a failed job again, with a fresh count of attempts; once per failed job, audited."""
    if not Policy(actor).is_admin:
        raise ChiboError(_("Chỉ quản trị viên được chạy lại việc nền."))
    row = failed().filter(pk=result_id).first()
    if row is None:
        raise ChiboError(_("Không tìm thấy việc lỗi này (có thể đã được dọn hoặc chưa lỗi)."), field="job")
    if JobRetry.objects.filter(failed_id=row.pk).exists():
        raise ChiboError(_("Việc này đã được chạy lại."), field="job")
    try:
        the_task = import_string(row.task_path)
    except ImportError:
        the_task = None
    if not isinstance(the_task, Task):
        raise ChiboError(_("Phiên bản này không còn việc nền đó, không chạy lại được."), field="job")
    stored = row.args_kwargs or {}
    kwargs = {k: v for k, v in (stored.get("kwargs") or {}).items() if k not in ("_attempt", "_error")}
    error = _last_line(row.traceback)
    result = the_task.enqueue(*(stored.get("args") or []), _error=error, **kwargs)
    retry = JobRetry.objects.create(failed_id=row.pk, retry_id=str(result.id), task_path=row.task_path, by=actor)
    audit.record(
        actor=actor, verb="job_retry", obj=retry, summary=_("Chạy lại việc nền %(name)s") % {"name": row.task_path},
        before={"status": "FAILED", "reason": error}, after={"status": str(result.status)},
    )  # fmt: skip
    return retry
