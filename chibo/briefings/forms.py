"""Forms of the briefing pages: every POST is read through one of these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.briefings import selectors as sel
from chibo.briefings.models import Briefing, BriefingIssue, BriefingItem, IssueKind, IssueStatus
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.core.pickers import OrgPicker
from chibo.meetings.forms_prep import TimeTextField
from chibo.meetings.models import AttendanceStatus
from chibo.petitions.models import Category


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class PlanYearForm(ChiboForm):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": gettext_lazy("Hãy nhập năm."), "invalid": gettext_lazy("Năm không hợp lệ."),
                                              "min_value": gettext_lazy("Năm không hợp lệ."), "max_value": gettext_lazy("Năm không hợp lệ.")})
    time = TimeTextField(label=gettext_lazy("Giờ (hh:mm)"), error_messages=_required(gettext_lazy("Giờ phải có dạng hh:mm, ví dụ 08:00.")))

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        n = sel.per_year()
        initial = {"year": year, "time": "08:00", **{f"day_{p}": sel.default_day(year, p, n) for p in range(1, n + 1)}}
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for p in range(1, n + 1):
            self.fields[f"day_{p}"] = VNDateField(label=_("Ngày giao ban kỳ %(n)s (dd/mm/yyyy)") % {"n": p}, required=False)

    def days(self) -> dict[int, dt.date]:
        return {int(k[4:]): v for k, v in self.cleaned_data.items() if k.startswith("day_") and v}


class BriefingForm(ChiboForm):
    date = VNDateField(label=gettext_lazy("Ngày (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày giao ban.")))
    time = TimeTextField(label=gettext_lazy("Giờ (hh:mm)"), error_messages=_required(gettext_lazy("Giờ phải có dạng hh:mm, ví dụ 08:00.")))
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=_max(Briefing, "place"), required=False)
    chair_name = forms.CharField(label=gettext_lazy("Chủ trì"), max_length=_max(Briefing, "chair_name"), required=False)
    recorder_name = forms.CharField(label=gettext_lazy("Thư ký"), max_length=_max(Briefing, "recorder_name"), required=False)

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))


class ItemAddForm(ChiboForm):
    title = forms.CharField(label=gettext_lazy("Nội dung mới"), max_length=_max(BriefingItem, "title"), error_messages=_required(gettext_lazy("Hãy nhập nội dung.")))


class ItemForm(ChiboForm):
    title = forms.CharField(label=gettext_lazy("Nội dung"), max_length=_max(BriefingItem, "title"), error_messages=_required(gettext_lazy("Hãy nhập nội dung.")))
    content = forms.CharField(label=gettext_lazy("Diễn biến, ý kiến"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)
    conclusion = forms.CharField(label=gettext_lazy("Kết luận"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000)


class MarkForm(ChiboForm):
    member = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=_required(gettext_lazy("Thiếu người được điểm danh.")))
    status = forms.ChoiceField(choices=AttendanceStatus.choices, error_messages={"invalid_choice": gettext_lazy("Trạng thái điểm danh không hợp lệ."), "required": gettext_lazy("Trạng thái điểm danh không hợp lệ.")})
    reason = forms.CharField(max_length=300, required=False)


class CancelForm(ChiboForm):
    reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=_max(Briefing, "cancel_reason"), error_messages=_required(gettext_lazy("Hãy ghi lý do hủy.")))


class IssueForm(ChiboForm):
    text = forms.CharField(label=gettext_lazy("Vấn đề, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, error_messages=_required(gettext_lazy("Hãy ghi nội dung vấn đề.")))
    raised_by_name = forms.CharField(label=gettext_lazy("Người nêu"), max_length=_max(BriefingIssue, "raised_by_name"), required=False)
    cell = OrgPicker(label=gettext_lazy("Chi bộ"), cells_only=True)
    owner = forms.TypedChoiceField(label=gettext_lazy("Người phụ trách"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("Xử lý"), choices=IssueKind.choices, initial=IssueKind.TASK)

    def __init__(self, *args: Any, briefing: Briefing, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = sel.briefing_day(briefing)
        self.fields["cell"].scope(root_org_id=briefing.committee_id, on=day)  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "—"), *[(a.row.member_id, f"{a.row.member.full_name} ({a.cell_name})") for a in sel.attendance_rows(briefing)]]  # type: ignore[attr-defined]
        if with_status:  # "converted" only through ConvertForm (the issue then holds its task or petition)
            self.fields["status"] = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=[c for c in IssueStatus.choices if c[0] != IssueStatus.CONVERTED])


class ConvertForm(ChiboForm):
    """Turn an issue into its task (a due date) or its petition (a category)."""

    due_on = VNDateField(label=gettext_lazy("Hạn hoàn thành"), error_messages=_required(gettext_lazy("Hãy nhập hạn hoàn thành.")))
    category = forms.ChoiceField(
        label=gettext_lazy("Lĩnh vực"), choices=Category.choices,
        error_messages={"required": gettext_lazy("Hãy chọn lĩnh vực."), "invalid_choice": gettext_lazy("Hãy chọn lĩnh vực.")},
    )

    def __init__(self, *args: Any, issue: BriefingIssue, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"convert-{issue.pk}-%s")
        super().__init__(*args, **kwargs)
        del self.fields["category" if issue.kind == IssueKind.TASK else "due_on"]
