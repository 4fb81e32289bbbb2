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
from chibo.core.text import sort_key
from chibo.inspections.models import (
    FollowUp,
    FollowUpStatus,
    InspectionItem,
    InspectionKind,
    InspectionPlan,
    ItemStatus,
)
from chibo.members.models import Member
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import versions_on


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


def subtree_versions(org_id: int) -> list[OrgVersion]:
    root = versions_on(today()).filter(org_id=org_id).first()
    if root is None:
        return []
    found = list(versions_on(today()).filter(path__startswith=root.path))
    found.sort(key=lambda v: (len(v.path), sort_key(v.name)))
    return found


def subtree_members(org_id: int) -> list[Member]:
    ids = [v.org_id for v in subtree_versions(org_id)]
    members = list(Member.objects.filter(memberships__valid_to__gt=today(), memberships__valid_from__lte=today(), memberships__org_id__in=ids).distinct())
    members.sort(key=lambda m: (sort_key(m.given_name), sort_key(m.full_name), m.pk))
    return members


class PlanForm(ChiboForm):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": gettext_lazy("Hãy nhập năm."), "invalid": gettext_lazy("Năm không hợp lệ."),
                                              "min_value": gettext_lazy("Năm không hợp lệ."), "max_value": gettext_lazy("Năm không hợp lệ.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(InspectionPlan, "note"), required=False)


class ApproveForm(ChiboForm):
    on = VNDateField(label=gettext_lazy("Ngày duyệt (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày duyệt.")))


class ItemForm(ChiboForm):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=InspectionKind.choices)
    target_org = forms.TypedChoiceField(label=gettext_lazy("Tổ chức được kiểm tra, giám sát"), coerce=int, required=False, empty_value=None)
    target_member = forms.TypedChoiceField(label=gettext_lazy("Đảng viên được kiểm tra, giám sát (nếu có)"), coerce=int, required=False, empty_value=None)
    topic = forms.CharField(label=gettext_lazy("Nội dung"), max_length=_max(InspectionItem, "topic"), error_messages=_required(gettext_lazy("Hãy nhập nội dung kiểm tra, giám sát.")))
    month_from = MonthField(label=gettext_lazy("Từ tháng (mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập tháng bắt đầu.")))
    month_to = MonthField(label=gettext_lazy("Đến tháng (mm/yyyy)"), required=False)
    inspectors = forms.CharField(label=gettext_lazy("Người, bộ phận thực hiện"), max_length=_max(InspectionItem, "inspectors"), required=False)

    def __init__(self, *args: Any, plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_org"].choices = [("", "—"), *[(v.org_id, v.name) for v in subtree_versions(plan.org_id)]]  # type: ignore[attr-defined]
        self.fields["target_member"].choices = [("", "—"), *[(m.pk, m.full_name) for m in subtree_members(plan.org_id)]]  # type: ignore[attr-defined]

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
    responsible = forms.TypedChoiceField(label=gettext_lazy("Người chịu trách nhiệm"), coerce=int, required=False, empty_value=None)
    due_on = VNDateField(label=gettext_lazy("Hạn (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập hạn.")))

    def __init__(self, *args: Any, item: InspectionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "—"), *[(m.pk, m.full_name) for m in subtree_members(item.target_org_id)]]  # type: ignore[attr-defined]


class FollowUpCloseForm(ChiboForm):
    status = forms.ChoiceField(choices=[(FollowUpStatus.DONE.value, FollowUpStatus.DONE.label), (FollowUpStatus.NOT_DONE.value, FollowUpStatus.NOT_DONE.label)],
                               error_messages={"invalid_choice": gettext_lazy("Trạng thái không hợp lệ."), "required": gettext_lazy("Trạng thái không hợp lệ.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(FollowUp, "note"), required=False)
