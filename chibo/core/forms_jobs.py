from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import ChiboForm


class RetryForm(ChiboForm):
    """"Retry now" on one failed job of the jobs page."""

    job = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Chọn việc cần chạy lại."), "invalid": _("Mã việc không hợp lệ.")},
    )
