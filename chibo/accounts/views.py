from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
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


def _admin_only(request: HttpRequest) -> None:
    from django.http import Http404

    from chibo.core.access import policy_for

    if not policy_for(request).is_admin:
        raise Http404


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Administrators: accounts and their grants. Every change is audited against the user."""
    from chibo.accounts.models import Grant, Role, User
    from chibo.core.errors import ChiboError
    from chibo.members.models import Member
    from chibo.orgs.models import Organisation

    _admin_only(request)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                member = None
                citizen = (request.POST.get("citizen_id") or "").strip()
                if citizen:
                    member = Member.objects.filter(citizen_id=citizen).first()
                    if member is None:
                        raise ChiboError(_("Không có đảng viên có số căn cước %(id)s.") % {"id": citizen}, field="citizen_id")
                password = request.POST.get("password") or ""
                if len(password) < 8:
                    raise ChiboError(_("Mật khẩu phải có ít nhất 8 ký tự."), field="password")
                services.user_create(actor=request.user, username=(request.POST.get("username") or "").strip(), password=password, member=member)
            elif action == "grant":
                user = User.objects.filter(pk=request.POST.get("user") or 0).first()
                code = (request.POST.get("org") or "").strip()
                org = Organisation.objects.filter(code=code).first() if code else None
                if user is None:
                    raise ChiboError(_("Không tìm thấy tài khoản."))
                if code and org is None:
                    raise ChiboError(_("Không có tổ chức mã %(code)s.") % {"code": code}, field="org")
                services.grant_add(actor=request.user, user=user, role=request.POST.get("role", ""), org=org)
            elif action == "revoke":
                grant = Grant.objects.filter(pk=request.POST.get("grant") or 0).select_related("user").first()
                if grant is None:
                    raise ChiboError(_("Không tìm thấy quyền."))
                services.grant_remove(actor=request.user, grant=grant)
            else:
                raise ChiboError(_("Thao tác không hợp lệ."))
        except ChiboError as exc:
            error = exc.message
        else:
            return redirect("accounts:users")
    accounts = User.objects.order_by("username").prefetch_related("grants__org__versions")
    return render(request, "accounts/users.html", {"accounts": accounts, "roles": Role.choices, "error": error, "data": request.POST}, status=400 if error else 200)
