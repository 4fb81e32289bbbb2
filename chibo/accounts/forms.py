"""Forms of the login and account pages (chibo/core/forms.py conventions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.models import Grant, Role, User
from chibo.core import pickers
from chibo.core.access import today
from chibo.core.forms import ChiboForm
from chibo.members.models import Member
from chibo.orgs.forms import Form
from chibo.orgs.models import Organisation, OrgVersion
from chibo.orgs.selectors import org_by_ref

USERNAME_MAX = User._meta.get_field("username").max_length


class LoginForm(ChiboForm):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=USERNAME_MAX, required=False)
    password = forms.CharField(label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput, required=False, max_length=4096)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class ActionForm(ChiboForm):
    """Which of the accounts page's forms was sent."""

    action = forms.ChoiceField(
        choices=[("create", "create"), ("grant", "grant"), ("revoke", "revoke")],
        error_messages={"invalid_choice": gettext_lazy("Thao tác không hợp lệ."), "required": gettext_lazy("Thao tác không hợp lệ.")},
    )


class OrgPickerField(forms.CharField):
    """An organisation typed or picked from the server-side search (a code, or "code — path").

    The text box carries a datalist that the page fills as the user types (HTMX, the
    ``accounts:org_options`` fragment); without scripts the code alone still works.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("label", _("Tổ chức"))
        kwargs.setdefault("help_text", _("Gõ tên hoặc mã tổ chức rồi chọn trong danh sách."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Organisation | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        code = text.split("—")[0].strip()
        org = org_by_ref(code)
        if org is None:
            raise forms.ValidationError(_("Không có tổ chức mã %(code)s.") % {"code": code})
        return org


def _role_field(*, required: bool) -> forms.ChoiceField:
    choices = list(Role.choices) if required else [("", _("— chưa giao —")), *Role.choices]
    return forms.ChoiceField(label=_("Vai trò"), choices=choices, required=required)


def _check_role_org(form: forms.Form, role_field: str, org_field: str) -> None:
    role = form.cleaned_data.get(role_field)
    org = form.cleaned_data.get(org_field)
    if role and role != Role.ADMIN and org is None and not form.has_error(org_field):
        form.add_error(org_field, _("Hãy chọn tổ chức cho vai trò này."))


class UserCreateForm(Form):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=USERNAME_MAX)
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput(render_value=False), max_length=128,
        help_text=gettext_lazy("Ít nhất 8 ký tự."),
    )
    password2 = forms.CharField(label=gettext_lazy("Nhập lại mật khẩu"), widget=forms.PasswordInput, max_length=128)
    citizen_id = forms.CharField(
        label=gettext_lazy("Số căn cước của đảng viên (nếu là đảng viên)"), required=False,
        max_length=Member._meta.get_field("citizen_id").max_length,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    role = _role_field(required=False)
    org = OrgPickerField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].label = _("Quyền đầu tiên (nếu có)")
        self.fields["org"].widget.attrs.update({"list": "org-options-new", "autocomplete": "off"})

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập %(u)s đã có.") % {"u": username})
        return username

    def clean_citizen_id(self) -> Member | None:
        citizen = self.cleaned_data["citizen_id"].strip()
        if not citizen:
            return None
        member = Member.objects.filter(citizen_id=citizen).first()
        if member is None:
            raise forms.ValidationError(_("Không có đảng viên có số căn cước %(id)s.") % {"id": citizen})
        if User.objects.filter(member=member).exists():
            raise forms.ValidationError(_("Đảng viên này đã có tài khoản."))
        return member

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        password, again = cleaned.get("password"), cleaned.get("password2")
        if password:
            if len(password) < 8:
                self.add_error("password", _("Mật khẩu phải có ít nhất 8 ký tự."))
            else:
                try:
                    validate_password(password)
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
            if again is not None and again != password and not self.has_error("password2"):
                self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau."))
        _check_role_org(self, "role", "org")
        return cleaned


class GrantForm(Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.all(), widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("Không tìm thấy tài khoản."), "required": gettext_lazy("Không tìm thấy tài khoản.")},
    )
    role = _role_field(required=True)
    org = OrgPickerField(required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        _check_role_org(self, "role", "org")
        return cleaned


class RevokeForm(ChiboForm):
    grant = forms.ModelChoiceField(
        queryset=Grant.objects.select_related("user"), widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("Không tìm thấy quyền."), "required": gettext_lazy("Không tìm thấy quyền.")},
    )


def org_options(query: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """(code, "name — parent path") of organisations matching ``query`` today, anywhere in the tree:
    the grant picker's suggestions (the scoped pickers' search, ``chibo.core.pickers.org_options``)."""
    return pickers.org_options(query, on=today(), limit=limit)


def version_label(version: OrgVersion) -> str:
    return f"{version.org.code} — {version.name}"
