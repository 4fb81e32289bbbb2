from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo.core.access import policy_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user where their work is: the tree for committees, their cell for members."""
    policy = policy_for(request)
    roles = policy.roles()
    if roles & {"admin", "staff", "secretary"}:
        return redirect("orgs:tree_root")
    if policy.member_id:
        return redirect("members:detail", policy.member_id)
    return render(request, "chibo/no_access.html")


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
