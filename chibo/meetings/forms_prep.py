"""Forms of meeting preparation (views_prep) and of a cell's terms, on chibo/core/forms.py.

The POST field names are those the pages always used (month, kind, date, time, place, topic, …), so
scripts and tests keep working. Text lengths are the model columns' (too long: the form's message,
never a 500 nor a silent cut); the services still check every rule and their refusals land on the
form through ``run_service``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.meetings.models import (
    AgendaItem,
    AgendaSection,
    CellTerm,
    Meeting,
    MeetingDay,
    MeetingKind,
)
from chibo.meetings.selectors_stats import parse_month as stats_parse_month

# Fields --------------------------------------------------------------------------------------


def parse_time(value: str) -> dt.time:
    match = re.fullmatch(r"\s*(\d{1,2})[:hH.](\d{2})\s*", value or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(_("Giờ họp phải có dạng hh:mm, ví dụ 19:30."), code="format")
    return dt.time(int(match[1]), int(match[2]))


def parse_month(value: str) -> dt.date:
    month = stats_parse_month(value)
    if month is None or not 2000 <= month.year <= 2200:
        raise ValidationError(_("Tháng phải có dạng mm/yyyy, ví dụ 10/2026."), code="format")
    return month


class TimeTextField(forms.Field):
    """A time typed hh:mm (also 19h30, 19.30)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "19:30", "inputmode": "numeric", "autocomplete": "off", "maxlength": "8"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        text = str(value or "").strip()
        return parse_time(text[:20]) if text else None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value


class MonthField(forms.Field):
    """A month typed mm/yyyy (also yyyy-mm); the first day of that month."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value.replace(day=1)
        text = str(value or "").strip()
        return parse_month(text[:20]) if text else None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%m/%Y") if isinstance(value, dt.date) else value


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


# Schedule ------------------------------------------------------------------------------------


class MeetingCreateForm(ChiboForm):
    month = MonthField(label=gettext_lazy("Tháng (mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập tháng họp (mm/yyyy).")))
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    date = VNDateField(label=gettext_lazy("Ngày họp (dd/mm/yyyy)"), required=False)
    time = TimeTextField(label=gettext_lazy("Giờ (hh:mm)"), required=False)
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=_max(Meeting, "place"), required=False)
    topic = forms.CharField(
        label=gettext_lazy("Chủ đề (bắt buộc với sinh hoạt chuyên đề)"), max_length=_max(Meeting, "topic"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("date"), data.get("time")
        if "date" in data and "time" in data and (day is None) != (time is None):
            missing = "time" if day else "date"
            self.add_error(missing, _("Nhập cả ngày và giờ họp, hoặc để trống cả hai để theo ngày sinh hoạt định kỳ."))
        return data

    def starts_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))


class MeetingDayForm(ChiboForm):
    day_of_month = forms.IntegerField(
        label=gettext_lazy("Ngày trong tháng (1–28)"),
        min_value=1,
        max_value=28,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Ngày sinh hoạt phải từ 1 đến 28."),
            "invalid": gettext_lazy("Ngày sinh hoạt phải từ 1 đến 28."),
            "min_value": gettext_lazy("Ngày sinh hoạt phải từ 1 đến 28."),
            "max_value": gettext_lazy("Ngày sinh hoạt phải từ 1 đến 28."),
        },
    )
    time = TimeTextField(label=gettext_lazy("Giờ (hh:mm)"), error_messages=_required(gettext_lazy("Giờ họp phải có dạng hh:mm, ví dụ 19:30.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(MeetingDay, "note"), required=False)


class MoveForm(ChiboForm):
    date = VNDateField(label=gettext_lazy("Ngày họp mới (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày họp mới.")))
    time = TimeTextField(label=gettext_lazy("Giờ (hh:mm)"), error_messages=_required(gettext_lazy("Giờ họp phải có dạng hh:mm, ví dụ 19:30.")))
    reason = forms.CharField(
        label=gettext_lazy("Lý do (bắt buộc)"),
        max_length=_max(Meeting, "moved_reason"),
        error_messages=_required(gettext_lazy("Hãy ghi lý do dời lịch họp.")),
    )

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))


# The meeting's details and its draft resolution: two forms, one URL (meetings:edit) ------------

DRAFT_MAX = 50000


class MeetingDetailsForm(ChiboForm):
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=_max(Meeting, "place"), required=False)
    topic = forms.CharField(label=gettext_lazy("Chủ đề"), max_length=_max(Meeting, "topic"), required=False)


class DraftResolutionForm(ChiboForm):
    draft_resolution = forms.CharField(
        label=gettext_lazy("Dự thảo nghị quyết"), max_length=DRAFT_MAX, required=False, strip=True,
        widget=forms.Textarea(attrs={"rows": 10, "id": "id_draft"}),
    )


# Agenda --------------------------------------------------------------------------------------


class AgendaItemForm(ChiboForm):
    section = forms.ChoiceField(
        label=gettext_lazy("Phần"), choices=AgendaSection.choices, initial=AgendaSection.OTHER,
        error_messages={"required": gettext_lazy("Hãy chọn phần của chương trình."), "invalid_choice": gettext_lazy("Hãy chọn phần của chương trình.")},
    )
    title = forms.CharField(label=gettext_lazy("Tên nội dung"), max_length=_max(AgendaItem, "title"), error_messages=_required(gettext_lazy("Hãy nhập tên nội dung.")))
    details = forms.CharField(label=gettext_lazy("Chi tiết, người phụ trách"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AgendaOpForm(ChiboForm):
    op = forms.ChoiceField(
        choices=[("save", "save"), ("up", "up"), ("down", "down"), ("delete", "delete")],
        error_messages={"required": gettext_lazy("Thao tác không hợp lệ."), "invalid_choice": gettext_lazy("Thao tác không hợp lệ.")},
    )


# Materials and comments ----------------------------------------------------------------------


class MaterialForm(ChiboForm):
    file = forms.FileField(
        label=gettext_lazy("Thêm tài liệu"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp tài liệu."), "empty": gettext_lazy("Tệp tài liệu trống.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
        if upload.size is not None and upload.size > limit:  # refused before it is read into memory
            raise ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"})
        return upload


def _agenda_label(item: Any) -> str:
    return f"{item.position}. {item.title}"


class CommentForm(ChiboForm):
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Góp ý về"), queryset=AgendaItem.objects.none(), required=False,
        widget=forms.Select(attrs={"id": "id_item"}),
        empty_label=gettext_lazy("Dự thảo nghị quyết (chung)"),
        error_messages={"invalid_choice": gettext_lazy("Nội dung này không thuộc cuộc họp.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung góp ý"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(gettext_lazy("Hãy nhập nội dung góp ý.")),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("position")
        field.label_from_instance = _agenda_label  # type: ignore[method-assign,assignment]


# Upper-level attendees -----------------------------------------------------------------------


class MonthForm(ChiboForm):
    """The month a page shows (GET ?month= or the form's hidden month)."""

    month = MonthField(label=gettext_lazy("Tháng (mm/yyyy)"), required=False)


class UpperAssignForm(ChiboForm):
    op = forms.ChoiceField(choices=[("assign", "assign"), ("unassign", "unassign")], required=False)
    month = MonthField(required=False, widget=forms.HiddenInput)
    cell = forms.TypedChoiceField(coerce=int, required=False, error_messages={"invalid_choice": gettext_lazy("Hãy chọn chi bộ trong phạm vi của bạn.")})
    attendee = forms.TypedChoiceField(coerce=int, required=False, error_messages={"invalid_choice": gettext_lazy("Hãy chọn người dự họp.")})
    assignment = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, cell_ids: list[int], attendee_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [("", "—"), *[(i, str(i)) for i in cell_ids]]  # type: ignore[attr-defined]
        self.fields["attendee"].choices = [("", "—"), *[(i, str(i)) for i in attendee_ids]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("op") == "unassign":
            if not data.get("assignment") and "assignment" not in self.errors:
                self.add_error(None, _("Không tìm thấy phân công."))
        else:
            if data.get("cell") in (None, "") and "cell" not in self.errors:
                self.add_error("cell", _("Hãy chọn chi bộ trong phạm vi của bạn."))
            if data.get("attendee") in (None, "") and "attendee" not in self.errors:
                self.add_error("attendee", _("Hãy chọn người dự họp."))
        return data


class CoverageForm(ChiboForm):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2200, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    months = forms.IntegerField(label=gettext_lazy("Số tháng gần đây"), min_value=1, max_value=36, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class UpperRecordForm(ChiboForm):
    assignment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    attended = forms.BooleanField(label=gettext_lazy("Đã dự họp"), required=False)
    observations = forms.CharField(label=gettext_lazy("Nhận xét"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    issues_raised = forms.CharField(label=gettext_lazy("Vấn đề đảng viên nêu"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NotificationForm(ChiboForm):
    notification = forms.IntegerField(min_value=1, required=False)


# Terms ---------------------------------------------------------------------------------------


class TermForm(ChiboForm):
    name = forms.CharField(
        label=gettext_lazy("Tên nhiệm kỳ"), max_length=_max(CellTerm, "name"),
        help_text=gettext_lazy("Ví dụ 2025–2030."), error_messages=_required(gettext_lazy("Hãy nhập tên nhiệm kỳ, ví dụ 2025–2030.")),
    )
    congress_on = VNDateField(label=gettext_lazy("Ngày đại hội (dd/mm/yyyy)"), required=False)
    starts_on = VNDateField(label=gettext_lazy("Bắt đầu nhiệm kỳ (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày bắt đầu nhiệm kỳ.")))
    ends_on = VNDateField(
        label=gettext_lazy("Kết thúc nhiệm kỳ (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày kết thúc nhiệm kỳ.")),
        help_text=gettext_lazy("Ngày đại hội nhiệm kỳ sau (dự kiến); nhiệm kỳ tính đến trước ngày này."),
    )
    exceptional = forms.BooleanField(
        label=gettext_lazy("Nhiệm kỳ đặc biệt, độ dài khác 2,5 hoặc 5 năm (chi bộ mới thành lập, hợp nhất, cấp trên chỉ định)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end <= start:
            self.add_error("ends_on", _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."))
        return data


class TermOpForm(ChiboForm):
    op = forms.ChoiceField(
        choices=[("create", "create"), ("update", "update"), ("delete", "delete")], required=False,
        error_messages={"invalid_choice": gettext_lazy("Thao tác không hợp lệ.")},
    )
    term = forms.IntegerField(min_value=1, required=False)

