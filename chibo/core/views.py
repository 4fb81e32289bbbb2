from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chibo.admissions import selectors_home as admissions_home
from chibo.briefings import selectors_home as briefings_home
from chibo.core import selectors_home as core_home
from chibo.core.access import policy_for
from chibo.discipline import selectors_home as discipline_home
from chibo.dues import selectors_home as dues_home
from chibo.inspections import selectors_home as inspections_home
from chibo.meetings import selectors_home as home_sel
from chibo.petitions.selectors_home import petitions_home
from chibo.probation import selectors_home as probation_home
from chibo.residence import selectors_home as residence_home
from chibo.tasks.selectors_home import task_home
from chibo.transfers import selectors_home as transfers_home


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The month as each persona lives it, most local first: the member's next meeting and what
    they have not read, the secretary's steps, the committee's cells that are behind.

    A few queries per part, none per cell (selectors_home); a user with several roles sees each part.
    """
    policy = policy_for(request)
    now = timezone.now()
    member = home_sel.member_home(policy=policy, now=now)
    secretary = home_sel.secretary_home(policy=policy, now=now)
    committees = home_sel.committee_home(policy=policy, now=now)
    if member is None and not secretary and not committees and not policy.roles():
        return render(request, "chibo/no_access.html")
    context = {
        "now": now,
        "today": timezone.localdate(now),
        "member_home": member,
        "secretary_home": secretary,
        "committees": committees,
        "unread": home_sel.unread(user=request.user),
        "petitions_home": petitions_home(policy=policy, on=timezone.localdate(now)),
        "jobs_home": core_home.jobs_home(policy=policy),
        "tasks_home": task_home(policy=policy, now=now),
        "briefings_home": briefings_home.home(policy=policy, today=timezone.localdate(now)),
        "inspections_home": inspections_home.home(policy=policy, today=timezone.localdate(now)),
        "probation_home": probation_home.home(policy=policy, today=timezone.localdate(now)),
        "transfers_home": transfers_home.home(policy=policy, today=timezone.localdate(now)),
        "residence_home": residence_home.home(policy=policy, today=timezone.localdate(now)),
        "discipline_home": discipline_home.home(policy=policy, today=timezone.localdate(now)),
        "dues_home": dues_home.home(policy=policy, today=timezone.localdate(now)),
        "admissions_home": admissions_home.home(policy=policy, today=timezone.localdate(now)),
    }
    return render(request, "chibo/home.html", context)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def _api_error(request: HttpRequest, *, status: int, detail: str, code: str) -> JsonResponse | None:
    """Under /api/, the API's one error shape (chibo.api.errors) instead of a page."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"detail": detail, "code": code, "fields": {}}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_error(request, status=404, detail=_("Không tìm thấy."), code="not_found")
    return api or render(request, "chibo/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    api = _api_error(request, status=500, detail=_("Lỗi máy chủ. Hãy thử lại sau."), code="server_error")
    return api or render(request, "chibo/500.html", status=500)
