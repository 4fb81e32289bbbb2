"""Downloads of a meeting's minutes and resolution, and a cell's yearly resolution book (PDF, DOCX).

Whoever may view the meeting (meeting_or_404, Action.VIEW_ORG) may download its documents, once the
meeting is open (before, they do not exist: 404); until it is approved they carry "DỰ THẢO";
the book needs VIEW_ORG on the cell, and an organisation that never was a cell has no book.
Anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.text import fold
from chibo.meetings import documents
from chibo.meetings.access import meeting_or_404
from chibo.meetings.models import Meeting, MeetingStatus, Resolution
from chibo.orgs.models import CELL_KINDS, Organisation, OrgVersion


def _file(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type == documents.PDF else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _slug(text: str) -> str:
    return slugify(fold(text)) or "chi-bo"


def _cell_slug(org_id: int) -> str:
    version = OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from").first()
    return _slug(version.name if version else "")


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting, once it is open: before that there are no minutes and no resolution (404)."""
    meeting = meeting_or_404(policy_for(request), meeting_id, Action.VIEW_ORG)
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED):
        raise Http404
    return meeting


def _resolution(meeting: Meeting) -> Resolution:
    resolution = Resolution.objects.filter(meeting=meeting).select_related("meeting", "meeting__chair").first()
    if resolution is None:
        raise Http404
    return resolution


def _minutes_name(meeting: Meeting, ext: str) -> str:
    day = timezone.localtime(meeting.starts_at).date()
    return f"bien-ban-{_cell_slug(meeting.org_id)}-{day:%Y-%m-%d}.{ext}"


def _resolution_name(resolution: Resolution, ext: str) -> str:
    day = timezone.localtime(resolution.meeting.starts_at).date()
    number = f"{resolution.number:02d}" if resolution.number else "du-thao"
    return f"nghi-quyet-{number}-{_cell_slug(resolution.meeting.org_id)}-{day:%Y-%m-%d}.{ext}"


@require_safe
@login_required
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return _file(documents.minutes_pdf(meeting), content_type=documents.PDF, filename=_minutes_name(meeting, "pdf"))


@require_safe
@login_required
def minutes_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return _file(documents.minutes_docx(meeting), content_type=documents.DOCX, filename=_minutes_name(meeting, "docx"))


@require_safe
@login_required
def resolution_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    resolution = _resolution(_meeting(request, meeting_id))
    return _file(documents.resolution_pdf(resolution), content_type=documents.PDF, filename=_resolution_name(resolution, "pdf"))


@require_safe
@login_required
def resolution_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    resolution = _resolution(_meeting(request, meeting_id))
    return _file(documents.resolution_docx(resolution), content_type=documents.DOCX, filename=_resolution_name(resolution, "docx"))


def _book(build: Callable[[int, int], bytes], content_type: str, ext: str) -> Callable[..., HttpResponse]:
    @require_safe
    @login_required
    def view(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
        if not 1930 <= year <= 9999 or not Organisation.objects.filter(pk=org_id).exists():
            raise Http404
        if not OrgVersion.objects.filter(org_id=org_id, kind__in=CELL_KINDS).exists():  # the book is a cell's
            raise Http404
        if not policy_for(request).can(Action.VIEW_ORG, org_id=org_id, on=today()):
            raise Http404
        return _file(build(org_id, year), content_type=content_type, filename=f"so-nghi-quyet-{_cell_slug(org_id)}-{year}.{ext}")

    view.__name__ = f"book_{ext}"
    return view


book_pdf = _book(documents.book_pdf, documents.PDF, "pdf")
book_docx = _book(documents.book_docx, documents.DOCX, "docx")


urlpatterns: list[URLPattern] = [
    path("<int:meeting_id>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
    path("<int:meeting_id>/minutes.docx", minutes_docx, name="minutes_docx"),
    path("<int:meeting_id>/resolution.pdf", resolution_pdf, name="resolution_pdf"),
    path("<int:meeting_id>/resolution.docx", resolution_docx, name="resolution_docx"),
    path("cell/<int:org_id>/book/<int:year>.pdf", book_pdf, name="book_pdf"),
    path("cell/<int:org_id>/book/<int:year>.docx", book_docx, name="book_docx"),
]
