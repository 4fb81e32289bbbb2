"""Views for the meeting before it opens: schedule, preparation, invitation, comments, upper-level
attendees, and a cell's terms.

Every object comes through the access policy: the cell's meetings need VIEW_ORG on the cell (or an
upper-level assignment for the month, see meeting_or_404); preparing them needs EDIT_MEMBER
(the cell's secretary, committee staff above, admins); meeting days and upper-level assignments
need REORGANISE on the committee. Anything out of scope is a 404.

Input is parsed by the forms of forms_prep.py; a service's refusal lands on its form (run_service).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.core.access import Action, Policy, policy_for, today
from chibo.core.forms import ChiboForm, run_service, status_for
from chibo.meetings import agenda_templates, services_terms
from chibo.meetings import forms_prep as f
from chibo.meetings import selectors_prep as sel
from chibo.meetings import services_prep as services
from chibo.meetings.access import meeting_or_404
from chibo.meetings.models import (
    AgendaItem,
    CellTerm,
    Material,
    Meeting,
    MeetingKind,
    Notification,
    UpperAssignment,
)
from chibo.orgs.models import CELL_KINDS, OrgVersion


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _first_error(form: forms.BaseForm) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return ""


# Cell meeting list -------------------------------------------------------------------------


def _cell_or_404(policy: Policy, org_id: int, action: Action = Action.VIEW_ORG) -> OrgVersion:
    version = policy.version_or_404(org_id, on=today(), action=action)
    if version.kind not in CELL_KINDS:
        raise Http404
    return version


@login_required
def cell_meetings(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = _cell_or_404(policy, org_id)
    can_manage = policy.can(Action.EDIT_MEMBER, org_id=org_id)
    next_month = sel.add_months(sel.month_start(today()), 1)
    form = f.MeetingCreateForm(initial={"month": next_month, "kind": MeetingKind.REGULAR})
    if request.method == "POST":
        if not can_manage:
            raise Http404
        form = f.MeetingCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            meeting = run_service(form, lambda: services.meeting_create(
                actor=request.user, cell=version.org, month=data["month"], kind=data["kind"],
                starts_at=form.starts_at(), place=data["place"], topic=data["topic"],
            ))
            if meeting is not None:
                messages.success(request, _("Đã tạo cuộc họp; chương trình được soạn sẵn theo mẫu."))
                return redirect("meetings:detail", meeting.pk)
    context: dict[str, Any] = {
        "version": version,
        "meetings": sel.cell_meetings(org_id=org_id),
        "can_manage": can_manage,
        "rule": sel.meeting_day_rule(version=version),
        "term": sel.term_on(org_id=org_id, day=today()),
        "thematic_gap": org_id in sel.thematic_gaps(cells=[org_id], quarter_end=today()),
        "thematic_months": settings.CHIBO_THEMATIC_EVERY_MONTHS,
        "form": form,
    }
    return render(request, "meetings/prep_cell.html", context, status=status_for(form))


@login_required
def meeting_day(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=today(), action=Action.REORGANISE)
    rule = sel.meeting_day_rule(version=version)
    form = f.MeetingDayForm(initial={"day_of_month": rule.day_of_month, "time": rule.time.strftime("%H:%M"), "note": ""})
    if request.method == "POST":
        form = f.MeetingDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = run_service(form, lambda: services.meeting_day_set(
                actor=request.user, org=version.org, day_of_month=data["day_of_month"], time=data["time"], note=data["note"],
            ))
            if done is not None:
                messages.success(request, _("Đã lưu ngày sinh hoạt định kỳ."))
                return redirect("meetings:meeting_day", org_id)
    own = rule.org_id == version.org_id
    inherited_from = sel.current_version(rule.org_id) if rule.org_id and not own else None
    context = {"version": version, "rule": rule, "own": own, "inherited_from": inherited_from, "form": form}
    return render(request, "meetings/prep_meeting_day.html", context, status=status_for(form))


# Meeting detail ----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    policy = policy_for(request)
    can_manage = policy.can(Action.EDIT_MEMBER, org_id=meeting.org_id)
    member_id = policy.member_id
    is_member = sel.is_cell_member(member_id=member_id, meeting=meeting)
    before_start = meeting.status in services.EDITABLE and timezone.now() < meeting.starts_at
    items = sel.agenda(meeting)
    if can_manage:
        comment_groups = sel.comments_by_item(meeting=meeting)
    elif is_member:
        comment_groups = sel.comments_by_item(meeting=meeting, author_id=member_id)
    else:
        comment_groups = []
    context = {
        "meeting": meeting,
        "version": sel.current_version(meeting.org_id),
        "agenda": items,
        "materials": list(Material.objects.filter(meeting=meeting).order_by("uploaded_at", "id")),
        "comment_groups": comment_groups,
        "comment_count": sum(len(g.comments) for g in comment_groups),
        "upper": sel.upper_for_meeting(meeting),
        "can_manage": can_manage,
        "can_edit": can_manage and meeting.status in services.EDITABLE,
        "can_comment": is_member and before_start,
        "is_member": is_member,
        "agenda_form": f.AgendaItemForm(auto_id="new-%s"),
        "events": sel.meeting_events(meeting),
        "publish_min_hours": settings.CHIBO_PUBLISH_MIN_HOURS,
        "max_mb": int(settings.CHIBO_MATERIAL_MAX_BYTES) // (1024 * 1024),
        "details_form": f.MeetingDetailsForm(initial={"place": meeting.place, "topic": meeting.topic}),
        "draft_form": f.DraftResolutionForm(initial={"draft_resolution": meeting.draft_resolution}),
        "material_form": f.MaterialForm(),
        "comment_form": f.CommentForm(meeting=meeting) if is_member else None,
        "error": "",
        "comment_error": "",
        **extra,
    }
    _attach_item_forms(items)
    return context


def _attach_item_forms(items: list[AgendaItem], bound: f.AgendaItemForm | None = None, bound_pk: int | None = None) -> None:
    """The edit form of each agenda item, with ids of its own (a refused one keeps its input and errors)."""
    for item in items:
        if bound is not None and item.pk == bound_pk:
            item.form = bound  # type: ignore[attr-defined]
        else:
            initial = {"section": item.section, "title": item.title, "details": agenda_templates.content_of(item.details)}
            item.form = f.AgendaItemForm(initial=initial, auto_id=f"item{item.pk}-%s")  # type: ignore[attr-defined]
        hint = agenda_templates.hint_for(item)
        if hint:  # the template's guidance, in the form only (never stored, never printed)
            details = item.form.fields["details"]  # type: ignore[attr-defined]
            details.widget.attrs["placeholder"] = hint
            details.help_text = hint


def _detail_error(request: HttpRequest, meeting: Meeting, **forms_with_errors: Any) -> HttpResponse:
    meeting.refresh_from_db()
    return render(request, "meetings/prep_detail.html", _detail_context(request, meeting, **forms_with_errors), status=400)


@require_safe
@login_required
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id)
    return render(request, "meetings/prep_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's details (place, topic) and its draft resolution: two forms on the page, one URL.
    A field the request does not carry keeps its value, so each form saves only its own part."""
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    current = {"place": meeting.place, "topic": meeting.topic, "draft_resolution": meeting.draft_resolution}
    data = {**current, **{k: v for k, v in request.POST.items() if k in current}}
    details = f.MeetingDetailsForm(data)
    draft = f.DraftResolutionForm(data)
    draft_part = "draft_resolution" in request.POST and not ({"place", "topic"} & set(request.POST))
    if details.is_valid() and draft.is_valid():
        target = draft if draft_part else details
        done = run_service(target, lambda: services.meeting_update(
            actor=request.user, meeting=meeting, place=details.cleaned_data["place"], topic=details.cleaned_data["topic"],
            draft_resolution=draft.cleaned_data["draft_resolution"],
        ))
        if done is not None:
            messages.success(request, _("Đã lưu."))
            return redirect("meetings:detail", meeting.pk)
    return _detail_error(request, meeting, details_form=details, draft_form=draft)


@login_required
def move(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    local = timezone.localtime(meeting.starts_at)
    form = f.MoveForm(initial={"date": local.date(), "time": local.strftime("%H:%M")})
    if request.method == "POST":
        form = f.MoveForm(request.POST)
        if form.is_valid():
            done = run_service(form, lambda: services.meeting_move(
                actor=request.user, meeting=meeting, starts_at=form.starts_at(), reason=form.cleaned_data["reason"],
            ))
            if done is not None:
                if done.late_move:
                    messages.warning(request, _("Đã dời lịch họp. Cuộc họp đã thông báo nay sớm hơn: tài liệu được tính là muộn trong thống kê."))
                else:
                    messages.success(request, _("Đã dời lịch họp."))
                return redirect("meetings:detail", meeting.pk)
    context = {"meeting": meeting, "version": sel.current_version(meeting.org_id), "form": form, "publish_min_hours": settings.CHIBO_PUBLISH_MIN_HOURS}
    return render(request, "meetings/prep_move.html", context, status=status_for(form))


@login_required
def publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    form = ChiboForm()
    if request.method == "POST":
        form = ChiboForm(request.POST)
        if form.is_valid() and run_service(form, lambda: services.meeting_publish(actor=request.user, meeting=meeting)) is not None:
            meeting.refresh_from_db()
            if meeting.published_late:
                messages.warning(request, _("Đã thông báo, nhưng muộn hơn quy định; việc này được ghi lại để thống kê."))
            else:
                messages.success(request, _("Đã thông báo cuộc họp tới đảng viên."))
            return redirect("meetings:detail", meeting.pk)
    context = {
        "meeting": meeting,
        "version": sel.current_version(meeting.org_id),
        "late": services.publish_is_late(meeting=meeting, now=timezone.now()),
        "hours": settings.CHIBO_PUBLISH_MIN_HOURS,
        "recipients": sel.expected_members(meeting=meeting),
        "upper": sel.upper_for_meeting(meeting),
        "form": form,
    }
    return render(request, "meetings/prep_publish.html", context, status=status_for(form))


# Agenda (HTMX) -----------------------------------------------------------------------------


def _agenda_response(
    request: HttpRequest, meeting: Meeting, *, error: str = "", saved: int | None = None, message: str = "",
    add_form: forms.BaseForm | None = None, item_form: f.AgendaItemForm | None = None, item_pk: int | None = None,
) -> HttpResponse:
    """The agenda fragment for HTMX (with "Đã lưu" on the saved row), else back to the meeting page
    with a message; an error is a 400 either way."""
    if _is_htmx(request):
        items = sel.agenda(meeting)
        _attach_item_forms(items, item_form, item_pk)
        context = {
            "meeting": meeting, "agenda": items, "can_edit": meeting.status in services.EDITABLE,
            "agenda_error": error, "agenda_saved": saved, "agenda_message": message,
            "agenda_form": add_form or f.AgendaItemForm(auto_id="new-%s"),
        }
        return render(request, "meetings/prep_agenda.html", context, status=400 if error else 200)
    if error:
        return _detail_error(request, meeting, error=error, **({"agenda_form": add_form} if add_form else {}))
    messages.success(request, message or _("Đã lưu."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    form = f.AgendaItemForm(request.POST, auto_id="new-%s")
    if form.is_valid():
        data = form.cleaned_data
        item = run_service(form, lambda: services.agenda_add(actor=request.user, meeting=meeting, section=data["section"], title=data["title"], details=data["details"]))
        if item is not None:
            return _agenda_response(request, meeting, saved=item.pk, message=_("Đã thêm nội dung: %(title)s") % {"title": item.title})
    return _agenda_response(request, meeting, error=_first_error(form), add_form=form)


@login_required
@require_POST
def agenda_item(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise Http404
    op_form = f.AgendaOpForm(request.POST)
    if not op_form.is_valid():
        return _agenda_response(request, meeting, error=_first_error(op_form))
    op = op_form.cleaned_data["op"]
    if op == "save":
        form: forms.BaseForm = f.AgendaItemForm(request.POST, auto_id=f"item{item.pk}-%s")
        if form.is_valid():
            data = form.cleaned_data
            run_service(form, lambda: services.agenda_edit(actor=request.user, item=item, section=data["section"], title=data["title"], details=data["details"]))
        if form.errors:
            return _agenda_response(request, meeting, error=_first_error(form), item_form=form, item_pk=item.pk)  # type: ignore[arg-type]
        message = _("Đã lưu nội dung: %(title)s") % {"title": item.title}
    else:
        form = op_form
        if op in ("up", "down"):
            run_service(form, lambda: services.agenda_move(actor=request.user, item=item, direction=op))
            message = _("Đã đổi thứ tự: %(title)s") % {"title": item.title}
        else:
            run_service(form, lambda: services.agenda_delete(actor=request.user, item=item))
            message = _("Đã xóa nội dung: %(title)s") % {"title": item.title}
    if form.errors:
        return _agenda_response(request, meeting, error=_first_error(form))
    return _agenda_response(request, meeting, saved=item.pk if op != "delete" else None, message=message)


# Materials ---------------------------------------------------------------------------------


@login_required
@require_POST
def material_upload(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    form = f.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
        material = run_service(form, lambda: services.material_add(actor=request.user, meeting=meeting, name=upload.name or "", data=upload.read(limit + 1)))
        if material is not None:
            meeting.refresh_from_db()
            if meeting.late_material and meeting.status == "published":
                messages.warning(request, _("Đã tải tài liệu lên; tài liệu thêm trong vòng %(hours)s giờ trước giờ họp được tính là muộn.") % {"hours": settings.CHIBO_PUBLISH_MIN_HOURS})
            else:
                messages.success(request, _("Đã tải tài liệu lên."))
            return redirect("meetings:detail", meeting.pk)
    return _detail_error(request, meeting, material_form=form)


def _material_or_404(request: HttpRequest, material_id: int, action: Action = Action.VIEW_ORG) -> Material:
    material = Material.objects.filter(pk=material_id).first()
    if material is None:
        raise Http404
    meeting_or_404(policy_for(request), material.meeting_id, action)
    return material


@require_safe
@login_required
def material_download(request: HttpRequest, material_id: int) -> FileResponse:
    material = _material_or_404(request, material_id)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=material.original_name, content_type=material.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def material_delete(request: HttpRequest, material_id: int) -> HttpResponse:
    material = _material_or_404(request, material_id, Action.EDIT_MEMBER)
    meeting = material.meeting
    form = ChiboForm(request.POST)
    if form.is_valid():
        run_service(form, lambda: services.material_delete(actor=request.user, material=material))
    if form.errors:
        return _detail_error(request, meeting, error=_first_error(form))
    messages.success(request, _("Đã xóa tài liệu."))
    return redirect("meetings:detail", meeting.pk)


# Comments ----------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id)
    form = f.CommentForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.comment_add(actor=request.user, meeting=meeting, text=data["text"], agenda_item=data["agenda_item"])) is not None:
            messages.success(request, _("Đã gửi góp ý."))
            return redirect("meetings:detail", meeting.pk)
    return _detail_error(request, meeting, comment_form=form, comment_error=_first_error(form))


# Upper-level attendees ---------------------------------------------------------------------


def _committee_or_404(request: HttpRequest, org_id: int) -> OrgVersion:
    version = policy_for(request).version_or_404(org_id, on=today(), action=Action.REORGANISE)
    if version.kind in CELL_KINDS:
        raise Http404
    return version


@login_required
def upper_assign(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    committee = _committee_or_404(request, org_id)
    month_form = f.MonthForm(request.POST if request.method == "POST" else request.GET)
    month = sel.month_start(today())
    if month_form.is_valid() and month_form.cleaned_data["month"]:
        month = month_form.cleaned_data["month"]
    cells = sel.committee_cells(policy=policy, committee=committee)
    candidates = sel.upper_candidates(committee=committee)
    form = f.UpperAssignForm(cell_ids=[c.org_id for c in cells], attendee_ids=[u.pk for u in candidates])
    if request.method == "POST" and month_form.is_valid():
        form = f.UpperAssignForm(request.POST, cell_ids=[c.org_id for c in cells], attendee_ids=[u.pk for u in candidates])
        if form.is_valid():
            data = form.cleaned_data
            if data.get("op") == "unassign":
                assignment = UpperAssignment.objects.filter(pk=data["assignment"], cell_id__in=[c.org_id for c in cells]).select_related("cell", "attendee").first()
                if assignment is None:
                    form.add_error(None, _("Không tìm thấy phân công."))
                else:
                    run_service(form, lambda: services.upper_unassign(actor=request.user, assignment=assignment))
            else:
                cell = next(c for c in cells if c.org_id == data["cell"])
                attendee = next(u for u in candidates if u.pk == data["attendee"])
                run_service(form, lambda: services.upper_assign(actor=request.user, cell=cell.org, month=month, attendee=attendee))
            if not form.errors:
                messages.success(request, _("Đã lưu phân công."))
                return redirect(f"{request.path}?month={month:%m/%Y}")
    error = _first_error(month_form) or _first_error(form)
    context = {
        "committee": committee,
        "month": month,
        "prev_month": sel.add_months(month, -1),
        "next_month": sel.add_months(month, 1),
        "rows": sel.upper_rows(cells=cells, month=month),
        "candidates": candidates,
        "error": error,
    }
    return render(request, "meetings/prep_upper.html", context, status=400 if error else 200)


@require_safe
@login_required
def upper_coverage(request: HttpRequest, org_id: int) -> HttpResponse:
    """Each attendee's year against the yearly quota of their level, and the cells with no
    upper-level attendee in the last months."""
    policy = policy_for(request)
    committee = _committee_or_404(request, org_id)
    form = f.CoverageForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    months = data.get("months") or 3
    year = data.get("year") or today().year
    cells = sel.committee_cells(policy=policy, committee=committee)
    rows = sel.upper_coverage(cells=cells, months=months, today=today())
    quota_rows = sel.upper_quota_rows(committee=committee, cells=cells, year=year)
    context = {
        "committee": committee, "months": months, "year": year, "rows": rows, "total": len(cells), "form": form,
        "since": sel.add_months(sel.month_start(today()), -(months - 1)), "quota_rows": quota_rows,
        "quota_province": sel.upper_quota(sel.PROVINCE_LEVEL), "quota_commune": sel.upper_quota(sel.COMMUNE_LEVEL),
        "quota_unmet": sum(1 for r in quota_rows if not r.met),
    }
    return render(request, "meetings/prep_coverage.html", context, status=status_for(form))


@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    """One's own cell's meetings (upcoming and recent) and one's upper-level assignments."""
    error = ""
    if request.method == "POST":
        form = f.UpperRecordForm(request.POST)
        valid = form.is_valid()
        data = form.cleaned_data
        assignment = UpperAssignment.objects.filter(pk=data.get("assignment") or 0, attendee_id=request.user.pk).select_related("cell").first()
        if assignment is None:
            raise Http404  # no such assignment of this user
        done = None
        if valid:
            done = run_service(form, lambda: services.upper_record(
                actor=request.user, assignment=assignment, attended=data["attended"],
                observations=data["observations"], issues_raised=data["issues_raised"],
            ))
        if done is not None:
            messages.success(request, _("Đã ghi nhận kết quả dự họp."))
            return redirect("meetings:my_schedule")
        error = _first_error(form)
    now = timezone.now()
    upcoming, recent = sel.own_cell_meetings(member_id=policy_for(request).member_id, now=now)
    context = {"rows": sel.my_schedule(user=request.user), "upcoming": upcoming, "recent": recent, "error": error, "now": now}
    return render(request, "meetings/prep_schedule.html", context, status=400 if error else 200)


# Notifications -----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = f.NotificationForm(request.POST)
        qs = Notification.objects.filter(user_id=int(request.user.pk or 0), read_at__isnull=True)
        if form.is_valid():
            if form.cleaned_data["notification"]:
                qs = qs.filter(pk=form.cleaned_data["notification"])
            qs.update(read_at=timezone.now())
        return redirect("meetings:notifications")
    rows = sel.notifications_for(user=request.user)
    return render(request, "meetings/prep_notifications.html", {"rows": rows, "unread": sum(1 for n in rows if n.read_at is None)})


# Terms -------------------------------------------------------------------------------------


def _term_form_for(term: CellTerm, data: Any = None) -> f.TermForm:
    initial = {"name": term.name, "congress_on": term.congress_on, "starts_on": term.starts_on, "ends_on": term.ends_on}
    return f.TermForm(data, initial=initial, auto_id=f"term{term.pk}-%s")


@login_required
def terms(request: HttpRequest, org_id: int) -> HttpResponse:
    """A cell's congress terms: read by whoever may view the cell; recorded, corrected or deleted
    (when no resolution was numbered in it) by the secretary and the staff above."""
    policy = policy_for(request)
    version = _cell_or_404(policy, org_id)
    can_manage = policy.can(Action.EDIT_MEMBER, org_id=org_id)
    rows = sel.cell_terms(org_id=org_id)
    form = f.TermForm()
    edit_forms: dict[int, f.TermForm] = {}
    error, failed = "", False
    if request.method == "POST":
        if not can_manage:
            raise Http404
        failed = True
        op_form = f.TermOpForm(request.POST)
        if op_form.is_valid():
            op = op_form.cleaned_data["op"] or "create"
            term = next((t for t in rows if t.pk == op_form.cleaned_data["term"]), None)
            if op != "create" and term is None:
                raise Http404
            if op == "delete":
                assert term is not None
                run_service(op_form, lambda: services_terms.term_delete(actor=request.user, term=term))
                if not op_form.errors:
                    messages.success(request, _("Đã xóa nhiệm kỳ %(name)s.") % {"name": term.name})
                    return redirect("meetings:terms", org_id)
            else:
                target = f.TermForm(request.POST) if term is None else _term_form_for(term, request.POST)
                if target.is_valid():
                    d = target.cleaned_data
                    values = {"name": d["name"], "congress_on": d["congress_on"], "starts_on": d["starts_on"], "ends_on": d["ends_on"], "exceptional": d["exceptional"]}
                    if term is None:
                        saved = run_service(target, lambda: services_terms.term_create(actor=request.user, org=version.org, **values))
                    else:
                        saved = run_service(target, lambda: services_terms.term_update(actor=request.user, term=term, **values))
                    if saved is not None:
                        messages.success(request, _("Đã lưu nhiệm kỳ %(name)s.") % {"name": saved.name})
                        return redirect("meetings:terms", org_id)
                if term is None:
                    form = target
                else:
                    edit_forms[term.pk] = target
        error = _first_error(op_form)
    for t in rows:
        t.form = edit_forms.get(t.pk) or _term_form_for(t)  # type: ignore[attr-defined]
        t.open = t.pk in edit_forms  # type: ignore[attr-defined]
    context = {
        "version": version,
        "terms": rows,
        "current": sel.term_on(org_id=org_id, day=today()),
        "can_manage": can_manage,
        "form": form,
        "error": error,
    }
    return render(request, "meetings/prep_terms.html", context, status=400 if failed else 200)


urlpatterns: list[URLPattern] = [
    path("cell/<int:org_id>/", cell_meetings, name="cell_meetings"),
    path("cell/<int:org_id>/terms/", terms, name="terms"),
    path("meeting-day/<int:org_id>/", meeting_day, name="meeting_day"),
    path("<int:meeting_id>/", detail, name="detail"),
    path("<int:meeting_id>/edit/", edit, name="edit"),
    path("<int:meeting_id>/move/", move, name="move"),
    path("<int:meeting_id>/publish/", publish, name="publish"),
    path("<int:meeting_id>/agenda/", agenda_add, name="agenda_add"),
    path("<int:meeting_id>/agenda/<int:item_id>/", agenda_item, name="agenda_item"),
    path("<int:meeting_id>/materials/", material_upload, name="material_upload"),
    path("material/<int:material_id>/", material_download, name="material_download"),
    path("material/<int:material_id>/delete/", material_delete, name="material_delete"),
    path("<int:meeting_id>/comments/", comment_add, name="comment_add"),
    path("upper/<int:org_id>/", upper_assign, name="upper_assign"),
    path("upper/<int:org_id>/coverage/", upper_coverage, name="upper_coverage"),
    path("my-schedule/", my_schedule, name="my_schedule"),
    path("notifications/", notifications, name="notifications"),
]
