"""Forms of the inspection pages: every POST is read through one of these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.access import today
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.core.pickers import MemberPicker, OrgPicker
from chibo.inspections.models import (
    FollowUp,
    FollowUpStatus,
    InspectionItem,
    InspectionKind,
    InspectionPlan,
    ItemStatus,
)


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class MonthField(forms.Field):
    """A month typed mm/yyyy (also m/yyyy); cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": "7"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        text = str(value or "").strip()[:20]
        if not text:
            return None
        parts = text.replace("-", "/").replace(".", "/").split("/")
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[0]) <= 12 and len(parts[1]) == 4:
            return dt.date(int(parts[1]), int(parts[0]), 1)
        raise forms.ValidationError(_("“%(value)s” không đúng dạng tháng mm/yyyy.") % {"value": text}, code="format")


class PlanForm(ChiboForm):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": gettext_lazy("Hãy nhập năm."), "invalid": gettext_lazy("Năm không hợp lệ."),
                                              "min_value": gettext_lazy("Năm không hợp lệ."), "max_value": gettext_lazy("Năm không hợp lệ.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(InspectionPlan, "note"), required=False)


class ApproveForm(ChiboForm):
    on = VNDateField(label=gettext_lazy("Ngày duyệt (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày duyệt.")))


class ItemForm(ChiboForm):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=InspectionKind.choices)
    target_org = OrgPicker(label=gettext_lazy("Tổ chức được kiểm tra, giám sát"))
    target_member = MemberPicker(label=gettext_lazy("Đảng viên được kiểm tra, giám sát (nếu có)"))
    topic = forms.CharField(label=gettext_lazy("Nội dung"), max_length=_max(InspectionItem, "topic"), error_messages=_required(gettext_lazy("Hãy nhập nội dung kiểm tra, giám sát.")))
    month_from = MonthField(label=gettext_lazy("Từ tháng (mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập tháng bắt đầu.")))
    month_to = MonthField(label=gettext_lazy("Đến tháng (mm/yyyy)"), required=False)
    inspectors = forms.CharField(label=gettext_lazy("Người, bộ phận thực hiện"), max_length=_max(InspectionItem, "inspectors"), required=False)

    def __init__(self, *args: Any, plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_org"].scope(root_org_id=plan.org_id, on=today())  # type: ignore[attr-defined]
        self.fields["target_member"].scope(root_org_id=plan.org_id, on=today())  # type: ignore[attr-defined]

    def call(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"], "target_org_id": d["target_org"], "target_member_id": d["target_member"], "topic": d["topic"],
            "month_from": d["month_from"], "month_to": d["month_to"] or d["month_from"], "inspectors": d["inspectors"],
        }


class RecordForm(ChiboForm):
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=[c for c in ItemStatus.choices])
    findings = forms.CharField(label=gettext_lazy("Kết quả kiểm tra, giám sát"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000)
    conclusions = forms.CharField(label=gettext_lazy("Kết luận"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000)
    done_on = VNDateField(label=gettext_lazy("Ngày hoàn thành (dd/mm/yyyy)"), required=False)
    cancel_reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=_max(InspectionItem, "cancel_reason"), required=False)


class FollowUpForm(ChiboForm):
    text = forms.CharField(label=gettext_lazy("Việc cần khắc phục, thực hiện"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, error_messages=_required(gettext_lazy("Hãy ghi việc cần khắc phục, thực hiện.")))
    responsible = MemberPicker(label=gettext_lazy("Người chịu trách nhiệm"))
    due_on = VNDateField(label=gettext_lazy("Hạn (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập hạn.")))

    def __init__(self, *args: Any, item: InspectionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].scope(root_org_id=item.target_org_id, on=today())  # type: ignore[attr-defined]


class FollowUpCloseForm(ChiboForm):
    status = forms.ChoiceField(choices=[(FollowUpStatus.DONE.value, FollowUpStatus.DONE.label), (FollowUpStatus.NOT_DONE.value, FollowUpStatus.NOT_DONE.label)],
                               error_messages={"invalid_choice": gettext_lazy("Trạng thái không hợp lệ."), "required": gettext_lazy("Trạng thái không hợp lệ.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(FollowUp, "note"), required=False)
