"""The member search form (a GET form: the query, the status, the organisation to search under)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import ChiboForm
from chibo.members.models import Status
from chibo.members.selectors import STATUS_ALL

QUERY_MAX = 100


class MemberSearchForm(ChiboForm):
    q = forms.CharField(
        label=_("Họ tên, số căn cước, số thẻ hoặc điện thoại (gõ không dấu cũng được)"),
        max_length=QUERY_MAX,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "data-testid": "search-input"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Đang sinh hoạt")), (STATUS_ALL, _("Tất cả trạng thái")), *Status.choices],
    )
    org = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Live search: each field asks again for the results with the whole form (HTMX).
        live = {"hx-get": reverse("members:search"), "hx-target": "#results", "hx-include": "closest form"}
        self.fields["q"].widget.attrs.update(live, **{"hx-trigger": "input changed delay:300ms, search"})
        self.fields["status"].widget.attrs.update(live)
