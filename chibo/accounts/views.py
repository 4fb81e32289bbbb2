from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.accounts import forms, services
from chibo.accounts.forms import ActionForm, GrantForm, LoginForm, RevokeForm, UserCreateForm
from chibo.accounts.models import Role, User
from chibo.core.access import policy_for
from chibo.core.forms import run_service


def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    form = LoginForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    next_url = "/"
    if request.method == "POST":
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        next_url = data.get("next") or request.GET.get("next") or "/"
    else:
        next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    username = ""
    if request.method == "POST":
        data = getattr(form, "cleaned_data", {})
        username = (data.get("username") or "").strip()
        password = data.get("password") or ""
        if form.errors:
            error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
        elif services.login_blocked(username=username):
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
    return render(request, "accounts/login.html", {"error": error, "username": username, "next": next_url, "form": form}, status=200 if not error else 400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _admin_only(request: HttpRequest) -> None:
    if not policy_for(request).is_admin:
        raise Http404


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Administrators: accounts and their grants. Every change is audited against the user."""
    _admin_only(request)
    create_form = UserCreateForm(auto_id="new_%s")
    grant_form: GrantForm | None = None
    action_form = ActionForm(request.POST or None)
    failed: Any = None
    if request.method == "POST":
        failed = action_form
        if action_form.is_valid():
            action = action_form.cleaned_data["action"]
            if action == "create":
                failed = create_form = UserCreateForm(request.POST, auto_id="new_%s")
                if create_form.is_valid():
                    data = create_form.cleaned_data
                    done: Any = run_service(create_form, lambda: _create_with_grant(request, data))
                    failed = None if done else create_form
            elif action == "grant":
                failed = grant_form = GrantForm(request.POST, auto_id="grant_%s")
                if grant_form.is_valid():
                    data = grant_form.cleaned_data
                    done = run_service(grant_form, lambda: services.grant_add(actor=request.user, user=data["user"], role=data["role"], org=data["org"] if data["role"] != Role.ADMIN else None))
                    failed = None if done else grant_form
            else:
                revoke = RevokeForm(request.POST)
                failed = revoke
                if revoke.is_valid():
                    grant = revoke.cleaned_data["grant"]
                    done = run_service(revoke, lambda: services.grant_remove(actor=request.user, grant=grant) or True)
                    failed = None if done else revoke
        if failed is None:
            messages.success(request, _("Đã lưu."))
            return redirect("accounts:users")
    accounts = User.objects.order_by("username").prefetch_related("grants__org__versions")
    context = {
        "accounts": accounts,
        "roles": Role.choices,
        "create_form": create_form,
        "grant_form": grant_form,
        "grant_user": grant_form.data.get("user", "") if grant_form is not None else "",
        "failed": failed,
    }
    return render(request, "accounts/users.html", context, status=400 if failed is not None else 200)


def _create_with_grant(request: HttpRequest, data: dict[str, Any]) -> User:
    with transaction.atomic():
        user = services.user_create(actor=request.user, username=data["username"], password=data["password"], member=data["citizen_id"])
        if data.get("role"):
            services.grant_add(actor=request.user, user=user, role=data["role"], org=data["org"] if data["role"] != Role.ADMIN else None)
    return user


@require_safe
@login_required
def org_options(request: HttpRequest) -> HttpResponse:
    """The grant picker's suggestions: <option>s of organisations matching ?q= (admins only)."""
    _admin_only(request)
    query = request.GET.get("q") or request.GET.get("org") or ""
    return render(request, "accounts/_org_options.html", {"options": forms.org_options(query[:100])})
