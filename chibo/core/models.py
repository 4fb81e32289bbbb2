from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

# Periods are half-open [valid_from, valid_to); an open period ends on OPEN.
OPEN = dt.date(9999, 12, 31)


class AuditEvent(models.Model):
    """One row for every change of party data, written in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(max_length=64)
    # The record whose history page shows this event: "members.member", "orgs.organisation", ...
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    summary = models.CharField(max_length=500)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        from chibo.core.dates import fmt_datetime

        return f"{fmt_datetime(self.at)} {self.verb} {self.object_type}#{self.object_id}"

    def changes(self) -> list[tuple[str, object, object]]:
        keys = sorted(set(self.before) | set(self.after))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys if self.before.get(k) != self.after.get(k)]


class DailyRun(models.Model):
    """One periodic job (an app's ``jobs.DAILY`` entry) on one day: the row that makes the daily run
    happen once, however many schedulers or restarts ask for it (chibo.core.jobs)."""

    name = models.CharField(max_length=200)  # dotted path of the function
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    count = models.IntegerField(null=True, blank=True)  # what the function returned

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="dailyrun_once_a_day")]
        ordering = ["-day", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.day.isoformat()}"


class JobRetry(models.Model):
    """An administrator's "retry now" of a failed job: the audited record, once per failed job."""

    failed_id = models.UUIDField()  # the failed result (django_tasks_db's DBTaskResult.id)
    retry_id = models.CharField(max_length=64)  # the new one (a backend's result id)
    task_path = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["failed_id"], name="jobretry_once")]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.task_path} {self.failed_id}"
