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


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Không tìm thấy."), "field": None}, status=404)
    return render(request, "chibo/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "chibo/500.html", status=500)
