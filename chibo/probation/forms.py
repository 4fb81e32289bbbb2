"""Forms of the probation pages: every POST is read through one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.probation.models import ProbationCase, ProbationVote

RECOGNISED, NOT_RECOGNISED = "recognised", "not_recognised"


class VoteForm(ChiboForm):
    held_on = VNDateField(label=gettext_lazy("Ngày chi bộ biểu quyết (dd/mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập ngày biểu quyết.")})
    yes_votes = forms.IntegerField(
        label=gettext_lazy("Số đảng viên chính thức tán thành"), min_value=0, max_value=9999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Hãy nhập số phiếu tán thành."), "invalid": gettext_lazy("Số phiếu phải là số nguyên."),
                        "min_value": gettext_lazy("Số phiếu tán thành không được âm."), "max_value": gettext_lazy("Số phiếu quá lớn.")},
        help_text=gettext_lazy("Số đảng viên chính thức của chi bộ được tính từ danh sách vào ngày biểu quyết; đạt khi tán thành từ 2/3 trở lên."),
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Số nghị quyết, ghi chú"), max_length=_max(ProbationVote, "note"), required=False)


class DecisionForm(ChiboForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Quyết định"), widget=forms.RadioSelect,
        choices=[(RECOGNISED, gettext_lazy("Công nhận đảng viên chính thức")), (NOT_RECOGNISED, gettext_lazy("Không công nhận, xóa tên"))],
        error_messages={"required": gettext_lazy("Hãy chọn quyết định."), "invalid_choice": gettext_lazy("Hãy chọn quyết định.")},
    )  # fmt: skip
    decided_on = VNDateField(label=gettext_lazy("Ngày quyết định (dd/mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập ngày quyết định.")})
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu quyết định"), max_length=_max(ProbationCase, "decision_number"),
                             error_messages={"required": gettext_lazy("Hãy ghi số, ký hiệu của quyết định.")})
    official_on = VNDateField(label=gettext_lazy("Ngày công nhận chính thức (ngày hết 12 tháng dự bị)"), required=False)
    reason = forms.CharField(label=gettext_lazy("Lý do không công nhận"), max_length=_max(ProbationCase, "reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == NOT_RECOGNISED and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext_lazy("Hãy ghi lý do không công nhận."))
        return data
