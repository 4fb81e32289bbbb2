"""Views for the meeting before it opens: schedule, preparation, invitation, comments, upper-level attendees.

Every object comes through the access policy: the cell's meetings need VIEW_ORG on the cell (or an
upper-level assignment for the month, see meeting_or_404); preparing them needs EDIT_MEMBER
(the cell's secretary, committee staff above, admins); meeting days and upper-level assignments
need REORGANISE on the committee. Anything out of scope is a 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.core.access import Action, Policy, policy_for, today
from chibo.core.dates import parse_date
from chibo.core.errors import ChiboError
from chibo.meetings import selectors_prep as sel
from chibo.meetings import services_prep as services
from chibo.meetings.access import meeting_or_404
from chibo.meetings.models import (
    AgendaItem,
    AgendaSection,
    Material,
    Meeting,
    MeetingKind,
    Notification,
    UpperAssignment,
)
from chibo.orgs.models import CELL_KINDS, OrgVersion

# Parsing -------------------------------------------------------------------------------------


def parse_time(value: str | None, *, field: str = "time") -> dt.time:
    match = re.fullmatch(r"\s*(\d{1,2})[:hH.](\d{2})\s*", value or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ChiboError(_("Giờ họp phải có dạng hh:mm, ví dụ 19:30."), field=field)
    return dt.time(int(match[1]), int(match[2]))


def parse_month(value: str | None, *, field: str = "month") -> dt.date:
    raw = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[/\-.](\d{4})", raw) or None
    if match:
        month, year = int(match[1]), int(match[2])
    else:
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        if not iso:
            raise ChiboError(_("Tháng phải có dạng mm/yyyy, ví dụ 10/2026."), field=field)
        year, month = int(iso[1]), int(iso[2])
    if not 1 <= month <= 12 or not 2000 <= year <= 2200:
        raise ChiboError(_("Tháng phải có dạng mm/yyyy, ví dụ 10/2026."), field=field)
    return dt.date(year, month, 1)


def parse_starts_at(request: HttpRequest) -> dt.datetime:
    day = parse_date(request.POST.get("date"), field="date")
    assert day is not None
    return timezone.make_aware(dt.datetime.combine(day, parse_time(request.POST.get("time"))))


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


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
    error, field = "", ""
    if request.method == "POST":
        if not can_manage:
            raise Http404
        try:
            month = parse_month(request.POST.get("month"))
            starts_at = None
            if request.POST.get("date") or request.POST.get("time"):
                starts_at = parse_starts_at(request)
            meeting = services.meeting_create(
                actor=request.user, cell=version.org, month=month, kind=request.POST.get("kind", MeetingKind.REGULAR),
                starts_at=starts_at, place=request.POST.get("place", ""), topic=request.POST.get("topic", ""),
            )
        except ChiboError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, _("Đã tạo cuộc họp; chương trình được soạn sẵn theo mẫu."))
            return redirect("meetings:detail", meeting.pk)
    rule = sel.meeting_day_rule(version=version)
    next_month = sel.add_months(sel.month_start(today()), 1)
    context: dict[str, Any] = {
        "version": version,
        "meetings": sel.cell_meetings(org_id=org_id),
        "can_manage": can_manage,
        "rule": rule,
        "thematic_gap": org_id in sel.thematic_gaps(cells=[org_id], quarter_end=today()),
        "thematic_months": settings.CHIBO_THEMATIC_EVERY_MONTHS,
        "kinds": MeetingKind.choices,
        "data": request.POST or {"month": next_month.strftime("%m/%Y"), "kind": MeetingKind.REGULAR},
        "error": error,
        "error_field": field,
    }
    return render(request, "meetings/prep_cell.html", context, status=400 if error else 200)


@login_required
def meeting_day(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    version = policy.version_or_404(org_id, on=today(), action=Action.REORGANISE)
    error = ""
    if request.method == "POST":
        try:
            day = _int(request.POST.get("day_of_month"))
            services.meeting_day_set(actor=request.user, org=version.org, day_of_month=day, time=parse_time(request.POST.get("time")), note=request.POST.get("note", ""))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu ngày sinh hoạt định kỳ."))
            return redirect("meetings:meeting_day", org_id)
    rule = sel.meeting_day_rule(version=version)
    own = rule.org_id == version.org_id
    inherited_from = sel.current_version(rule.org_id) if rule.org_id and not own else None
    data: Any = request.POST or {"day_of_month": rule.day_of_month, "time": rule.time.strftime("%H:%M"), "note": ""}
    return render(request, "meetings/prep_meeting_day.html", {"version": version, "rule": rule, "own": own, "inherited_from": inherited_from, "data": data, "error": error}, status=400 if error else 200)


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
    return {
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
        "sections": AgendaSection.choices,
        "events": sel.meeting_events(meeting),
        "publish_min_hours": settings.CHIBO_PUBLISH_MIN_HOURS,
        "max_mb": int(settings.CHIBO_MATERIAL_MAX_BYTES) // (1024 * 1024),
        "error": "",
        "error_field": "",
        "data": {},
        **extra,
    }


def _detail_error(request: HttpRequest, meeting: Meeting, exc: ChiboError) -> HttpResponse:
    meeting.refresh_from_db()
    context = _detail_context(request, meeting, error=exc.message, error_field=exc.field or "", data=request.POST)
    return render(request, "meetings/prep_detail.html", context, status=400)


@login_required
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id)
    return render(request, "meetings/prep_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    try:
        services.meeting_update(actor=request.user, meeting=meeting, place=request.POST.get("place", ""), topic=request.POST.get("topic", ""), draft_resolution=request.POST.get("draft_resolution", ""))
    except ChiboError as exc:
        return _detail_error(request, meeting, exc)
    messages.success(request, _("Đã lưu."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def move(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_move(actor=request.user, meeting=meeting, starts_at=parse_starts_at(request), reason=request.POST.get("reason", ""))
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã dời lịch họp."))
            return redirect("meetings:detail", meeting.pk)
    local = timezone.localtime(meeting.starts_at)
    data: Any = request.POST or {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")}
    return render(request, "meetings/prep_move.html", {"meeting": meeting, "version": sel.current_version(meeting.org_id), "data": data, "error": error}, status=400 if error else 200)


@login_required
def publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_publish(actor=request.user, meeting=meeting)
        except ChiboError as exc:
            error = exc.message
        else:
            meeting.refresh_from_db()
            if meeting.published_late:
                messages.warning(request, _("Đã thông báo, nhưng muộn hơn quy định; việc này được ghi lại để thống kê."))
            else:
                messages.success(request, _("Đã thông báo cuộc họp tới đảng viên."))
            return redirect("meetings:detail", meeting.pk)
    now = timezone.now()
    context = {
        "meeting": meeting,
        "version": sel.current_version(meeting.org_id),
        "late": services.publish_is_late(meeting=meeting, now=now),
        "hours": settings.CHIBO_PUBLISH_MIN_HOURS,
        "recipients": sel.expected_members(meeting=meeting),
        "upper": sel.upper_for_meeting(meeting),
        "error": error,
    }
    return render(request, "meetings/prep_publish.html", context, status=400 if error else 200)


# Agenda (HTMX) -----------------------------------------------------------------------------


def _agenda_response(request: HttpRequest, meeting: Meeting, error: str = "") -> HttpResponse:
    if _is_htmx(request):
        context = {"meeting": meeting, "agenda": sel.agenda(meeting), "can_edit": meeting.status in services.EDITABLE, "sections": AgendaSection.choices, "agenda_error": error}
        return render(request, "meetings/prep_agenda.html", context, status=400 if error else 200)
    if error:
        return _detail_error(request, meeting, ChiboError(error))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    try:
        services.agenda_add(actor=request.user, meeting=meeting, section=request.POST.get("section", ""), title=request.POST.get("title", ""), details=request.POST.get("details", ""))
    except ChiboError as exc:
        return _agenda_response(request, meeting, exc.message)
    return _agenda_response(request, meeting)


@login_required
@require_POST
def agenda_item(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise Http404
    op = request.POST.get("op", "")
    try:
        if op == "save":
            services.agenda_edit(actor=request.user, item=item, section=request.POST.get("section", ""), title=request.POST.get("title", ""), details=request.POST.get("details", ""))
        elif op in ("up", "down"):
            services.agenda_move(actor=request.user, item=item, direction=op)
        elif op == "delete":
            services.agenda_delete(actor=request.user, item=item)
        else:
            raise ChiboError(_("Thao tác không hợp lệ."))
    except ChiboError as exc:
        return _agenda_response(request, meeting, exc.message)
    return _agenda_response(request, meeting)


# Materials ---------------------------------------------------------------------------------


@login_required
@require_POST
def material_upload(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.EDIT_MEMBER)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ChiboError(_("Hãy chọn tệp tài liệu."), field="file")
        limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
        if upload.size is not None and upload.size > limit:  # refuse before reading it into memory
            raise ChiboError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"}, field="file")
        services.material_add(actor=request.user, meeting=meeting, name=upload.name or "", data=upload.read(limit + 1))
    except ChiboError as exc:
        return _detail_error(request, meeting, exc)
    messages.success(request, _("Đã tải tài liệu lên."))
    return redirect("meetings:detail", meeting.pk)


def _material_or_404(request: HttpRequest, material_id: int, action: Action = Action.VIEW_ORG) -> Material:
    material = Material.objects.filter(pk=material_id).first()
    if material is None:
        raise Http404
    meeting_or_404(policy_for(request), material.meeting_id, action)
    return material


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
    try:
        services.material_delete(actor=request.user, material=material)
    except ChiboError as exc:
        return _detail_error(request, meeting, exc)
    messages.success(request, _("Đã xóa tài liệu."))
    return redirect("meetings:detail", meeting.pk)


# Comments ----------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(policy_for(request), meeting_id)
    item_id = _int(request.POST.get("agenda_item"))
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first() if item_id else None
    try:
        if item_id and item is None:
            raise ChiboError(_("Nội dung này không thuộc cuộc họp."), field="agenda_item")
        services.comment_add(actor=request.user, meeting=meeting, text=request.POST.get("text", ""), agenda_item=item)
    except ChiboError as exc:
        return _detail_error(request, meeting, exc)
    messages.success(request, _("Đã gửi góp ý."))
    return redirect("meetings:detail", meeting.pk)


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
    error = ""
    try:
        month = parse_month(request.GET.get("month") or request.POST.get("month") or today().strftime("%m/%Y"))
    except ChiboError as exc:
        month, error = sel.month_start(today()), exc.message
    cells = sel.committee_cells(policy=policy, committee=committee)
    candidates = sel.upper_candidates(committee=committee)
    if request.method == "POST" and not error:
        try:
            if request.POST.get("op") == "unassign":
                assignment = UpperAssignment.objects.filter(pk=_int(request.POST.get("assignment")), cell_id__in=[c.org_id for c in cells]).select_related("cell", "attendee").first()
                if assignment is None:
                    raise ChiboError(_("Không tìm thấy phân công."))
                services.upper_unassign(actor=request.user, assignment=assignment)
            else:
                cell = next((c for c in cells if c.org_id == _int(request.POST.get("cell"))), None)
                attendee = next((u for u in candidates if u.pk == _int(request.POST.get("attendee"))), None)
                if cell is None:
                    raise ChiboError(_("Hãy chọn chi bộ trong phạm vi của bạn."), field="cell")
                if attendee is None:
                    raise ChiboError(_("Hãy chọn người dự họp."), field="attendee")
                services.upper_assign(actor=request.user, cell=cell.org, month=month, attendee=attendee)
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu phân công."))
            return redirect(f"{request.path}?month={month:%m/%Y}")
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


@login_required
def upper_coverage(request: HttpRequest, org_id: int) -> HttpResponse:
    policy = policy_for(request)
    committee = _committee_or_404(request, org_id)
    months = _int(request.GET.get("months")) or 3
    months = max(1, min(months, 36))
    cells = sel.committee_cells(policy=policy, committee=committee)
    rows = sel.upper_coverage(cells=cells, months=months, today=today())
    context = {"committee": committee, "months": months, "rows": rows, "total": len(cells), "since": sel.add_months(sel.month_start(today()), -(months - 1))}
    return render(request, "meetings/prep_coverage.html", context)


@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        assignment = UpperAssignment.objects.filter(pk=_int(request.POST.get("assignment")), attendee_id=request.user.pk).select_related("cell").first()
        if assignment is None:
            raise Http404
        try:
            services.upper_record(
                actor=request.user, assignment=assignment, attended=request.POST.get("attended") == "1",
                observations=request.POST.get("observations", ""), issues_raised=request.POST.get("issues_raised", ""),
            )
        except ChiboError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã ghi nhận kết quả dự họp."))
            return redirect("meetings:my_schedule")
    return render(request, "meetings/prep_schedule.html", {"rows": sel.my_schedule(user=request.user), "error": error, "now": timezone.now()}, status=400 if error else 200)


# Notifications -----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        qs = Notification.objects.filter(user_id=int(request.user.pk or 0), read_at__isnull=True)
        one = _int(request.POST.get("notification"))
        if one:
            qs = qs.filter(pk=one)
        qs.update(read_at=timezone.now())
        return redirect("meetings:notifications")
    rows = sel.notifications_for(user=request.user)
    return render(request, "meetings/prep_notifications.html", {"rows": rows, "unread": sum(1 for n in rows if n.read_at is None)})


urlpatterns: list[URLPattern] = [
    path("cell/<int:org_id>/", cell_meetings, name="cell_meetings"),
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
