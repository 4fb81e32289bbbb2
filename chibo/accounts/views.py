from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts import services


def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        password = request.POST.get("password") or ""
        if services.login_blocked(username=username):
            error = _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.")
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                services.login_failed(username=username, ip=request.META.get("REMOTE_ADDR"))
                error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
            else:
                services.login_succeeded(username=username)
                login(request, user)
                return redirect(next_url)
    return render(request, "accounts/login.html", {"error": error, "username": username, "next": next_url}, status=200 if not error else 400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")
