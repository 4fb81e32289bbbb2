"""Task pages. Every object comes through its cell and the access policy (access.py); out of scope
is a 404. Input is parsed by forms.py; a service's refusal lands on its form (run_service)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.core.access import Action, policy_for
from chibo.core.dates import today
from chibo.core.forms import run_service, status_for
from chibo.meetings.models import Meeting
from chibo.tasks import forms as f
from chibo.tasks import selectors as sel
from chibo.tasks import services
from chibo.tasks.access import cell_or_404, report_or_404, task_or_404
from chibo.tasks.models import Task


@require_safe
@login_required
def cell_tasks(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = cell_or_404(policy, org_id)
    form = f.FilterForm(request.GET or None, cell_id=org_id)
    state, member_id = "all", None
    if form.is_bound and form.is_valid():
        state = form.cleaned_data["state"] or "all"
        member_id = form.cleaned_data["member"].pk if form.cleaned_data["member"] else None
    day = today()
    context = {
        "version": version,
        "tasks": sel.cell_tasks(cell_id=org_id, on=day, state=state, member_id=member_id),
        "state": state,
        "form": form,
        "can_manage": policy.can(Action.EDIT_MEMBER, org_id=org_id),
        "today": day,
    }
    return render(request, "tasks/cell_list.html", context, status=status_for(form))


@login_required
def create(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = cell_or_404(policy, org_id, Action.EDIT_MEMBER)
    query = f.ItemQueryForm(request.GET)
    item_id = query.cleaned_data["item"] if query.is_valid() else None
    form = f.TaskForm(cell_id=org_id, initial={"resolution_item": item_id} if item_id else None)
    if item_id:
        item = form.fields["resolution_item"].queryset.filter(pk=item_id).first()  # type: ignore[attr-defined]
        if item is not None:
            form.initial.update({"title": item.text.strip()[:300]})
    if request.method == "POST":
        form = f.TaskForm(request.POST, cell_id=org_id)
        if form.is_valid():
            data = form.cleaned_data
            task = run_service(form, lambda: services.task_create(
                actor=request.user, cell=version.org, title=data["title"], expected_result=data["expected_result"], due_on=data["due_on"],
                assignees=data["assignees"], resolution_item=data["resolution_item"], area_matter=data["area_matter"], petition=data["petition"],
            ))
            if task is not None:
                messages.success(request, _("Đã giao nhiệm vụ."))
                return redirect("tasks:detail", task.pk)
    context = {"version": version, "form": form, "task": None}
    return render(request, "tasks/form.html", context, status=status_for(form))


def _detail_context(request: HttpRequest, task: Task, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    detail = sel.task_detail(task)
    member_id = policy.member_id
    is_assignee = bool(member_id) and any(m.pk == member_id for m in detail["assignees"])
    return {
        "task": task,
        "version": sel.cell_version(task.cell_id),
        **detail,
        "is_assignee": is_assignee,
        "can_report": is_assignee and task.is_open,
        "can_manage": policy.can(Action.EDIT_MEMBER, org_id=task.cell_id),
        "overdue": task.overdue_on(today()),
        "origin": sel.origin(task),
        "report_form": f.ReportForm(),
        "reopen_form": f.ReopenForm(),
        **extra,
    }


@require_safe
@login_required
def detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id)
    return render(request, "tasks/detail.html", _detail_context(request, task))


@login_required
def edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id, Action.EDIT_MEMBER)
    initial = {"assignees": list(task.assignees.values_list("pk", flat=True))}
    form = f.TaskForm(instance=task, initial=initial, cell_id=task.cell_id, editing=True)
    if request.method == "POST":
        form = f.TaskForm(request.POST, instance=Task.objects.get(pk=task.pk), cell_id=task.cell_id, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            done = run_service(form, lambda: services.task_edit(
                actor=request.user, task=task, title=data["title"], expected_result=data["expected_result"], due_on=data["due_on"],
                assignees=data["assignees"], area_matter=data["area_matter"], petition=data["petition"],
            ))
            if done is not None:
                messages.success(request, _("Đã lưu nhiệm vụ."))
                return redirect("tasks:detail", task.pk)
    context = {"version": sel.cell_version(task.cell_id), "form": form, "task": task}
    return render(request, "tasks/form.html", context, status=status_for(form))


@login_required
@require_POST
def report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id)
    form = f.ReportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_service(form, lambda: services.report_add(
            actor=request.user, task=task, text=form.cleaned_data["text"],
            data=upload.read() if upload else None, name=upload.name if upload else "",
        ))
        if done is not None:
            messages.success(request, _("Đã gửi báo cáo."))
            return redirect("tasks:detail", task.pk)
    return render(request, "tasks/detail.html", _detail_context(request, task, report_form=form), status=400)


def _cell_meeting(task: Task, meeting_id: int | None) -> Meeting | None:
    if not meeting_id:
        return None
    return Meeting.objects.filter(pk=meeting_id, org_id=task.cell_id).first()


@login_required
@require_POST
def check(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id, Action.EDIT_MEMBER)
    form = f.CheckForm(request.POST)
    if form.is_valid():
        meeting = _cell_meeting(task, form.cleaned_data["meeting"])
        if meeting is None:
            form.add_error(None, _("Cuộc họp không phải của chi bộ giao nhiệm vụ."))
        else:
            done = run_service(form, lambda: services.check_record(
                actor=request.user, task=task, meeting=meeting, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
            ))
            if done is not None:
                messages.success(request, _("Đã ghi kết quả kiểm tra nhiệm vụ."))
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#task-{task.pk}")
    return render(request, "tasks/detail.html", _detail_context(request, task, check_form=form), status=400)


@login_required
def close(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id, Action.EDIT_MEMBER)
    meeting_id = None
    if request.method == "POST":
        form = f.CloseForm(request.POST)
        if form.is_valid():
            meeting_id = form.cleaned_data["meeting"]
            meeting = _cell_meeting(task, meeting_id)
            if meeting_id and meeting is None:
                form.add_error(None, _("Cuộc họp không phải của chi bộ giao nhiệm vụ."))
            else:
                done = run_service(form, lambda: services.task_close(
                    actor=request.user, task=task, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                    finished_on=form.cleaned_data["finished_on"], meeting=meeting,
                ))
                if done is not None:
                    messages.success(request, _("Đã kết thúc nhiệm vụ: %(status)s.") % {"status": done.get_status_display()})
                    if meeting is not None:
                        return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#task-{task.pk}")
                    return redirect("tasks:detail", task.pk)
    else:
        query = f.CloseQueryForm(request.GET)
        meeting_id = query.cleaned_data["meeting"] if query.is_valid() else None
        meeting = _cell_meeting(task, meeting_id)
        form = f.CloseForm(initial={"meeting": meeting.pk if meeting else None})
    context = {"task": task, "version": sel.cell_version(task.cell_id), "form": form, "meeting": _cell_meeting(task, meeting_id)}
    return render(request, "tasks/close.html", context, status=status_for(form))


@login_required
@require_POST
def reopen(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_or_404(policy_for(request), task_id, Action.EDIT_MEMBER)
    form = f.ReopenForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.task_reopen(actor=request.user, task=task, reason=form.cleaned_data["reason"])) is not None:
        messages.success(request, _("Đã mở lại nhiệm vụ."))
        return redirect("tasks:detail", task.pk)
    return render(request, "tasks/detail.html", _detail_context(request, task, reopen_form=form), status=400)


@require_safe
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    member_id = policy_for(request).member_id
    tasks = sel.my_tasks(member_id=member_id) if member_id else []
    day = today()
    latest = sel.latest_reports([t.pk for t in tasks if t.is_open])
    for t in tasks:
        t.overdue = t.overdue_on(day)  # type: ignore[attr-defined]
        t.latest = latest.get(t.pk)  # type: ignore[attr-defined]
        if t.is_open:
            t.report_form = f.ReportForm(auto_id=f"t{t.pk}-%s")  # type: ignore[attr-defined]
    return render(request, "tasks/mine.html", {"tasks": tasks, "today": day})


@require_safe
@login_required
def report_file(request: HttpRequest, report_id: int) -> FileResponse:
    item = report_or_404(policy_for(request), report_id)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("cell/<int:org_id>/", cell_tasks, name="cell_tasks"),
    path("cell/<int:org_id>/new/", create, name="create"),
    path("mine/", mine, name="mine"),
    path("<int:task_id>/", detail, name="detail"),
    path("<int:task_id>/edit/", edit, name="edit"),
    path("<int:task_id>/report/", report, name="report"),
    path("<int:task_id>/check/", check, name="check"),
    path("<int:task_id>/close/", close, name="close"),
    path("<int:task_id>/reopen/", reopen, name="reopen"),
    path("report/<int:report_id>/file/", report_file, name="report_file"),
]
