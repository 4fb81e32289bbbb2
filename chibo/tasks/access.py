"""Tasks are reached through their cell: the one access policy decides.

Members of the cell see its tasks (VIEW_ORG); the secretary and staff above (EDIT_MEMBER) create,
edit, check, close and reopen; an assignee reports (checked in the service). Anything else is a 404.
"""

from __future__ import annotations

from django.http import Http404

from chibo.core.access import Action, Policy, today
from chibo.orgs.models import CELL_KINDS, OrgVersion
from chibo.tasks.models import Task, TaskReport


def cell_or_404(policy: Policy, org_id: int, action: Action = Action.VIEW_ORG) -> OrgVersion:
    version = policy.version_or_404(org_id, on=today(), action=action)
    if version.kind not in CELL_KINDS:
        raise Http404
    return version


def task_or_404(policy: Policy, task_id: int, action: Action = Action.VIEW_ORG) -> Task:
    task = Task.objects.filter(pk=task_id).select_related("cell", "petition", "resolution_item__resolution__meeting").first()
    if task is None or not policy.can(action, org_id=task.cell_id, on=today()):
        raise Http404
    return task


def report_or_404(policy: Policy, report_id: int) -> TaskReport:
    report = TaskReport.objects.filter(pk=report_id).select_related("task").first()
    if report is None or not policy.can(Action.VIEW_ORG, org_id=report.task.cell_id, on=today()):
        raise Http404
    return report
