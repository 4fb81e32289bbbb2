"""Forms of the meeting-day pages (views_record, views_docs): every POST is read through one of these.

The POST field names are those the pages and the offline queue (static/meetings/attendance.js)
always sent. Lengths follow the model columns. The services still decide the rules (ChiboError
lands on the form through ``run_service``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.access import today
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.meetings import agenda_templates
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Correction,
    Guest,
    Meeting,
    QualityAssessment,
    Resolution,
    SelfRating,
    Speech,
    VoteChoice,
)
from chibo.meetings.services_record import APPROVE_ROLES


def _id_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput, **kwargs)


def parse_tap_time(value: Any) -> dt.datetime | None:
    """A tap's device time (ISO 8601, as the offline queue sends it); None when empty."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(_("Thời điểm điểm danh không hợp lệ."), code="invalid") from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class TapTimeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=64, widget=forms.HiddenInput, **kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        return parse_tap_time(super().to_python(value))

    def run_validators(self, value: Any) -> None:  # the text's length was checked by to_python's parse
        return None


# Opening and closing ----------------------------------------------------------------------------


class ActualTimeForm(ChiboForm):
    """The actual time of the opening or the closing: HH:MM (default now), on a date (default today)."""

    time = forms.TimeField(
        label=gettext_lazy("Giờ thực tế (HH:MM)"), required=False, input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off", "class": "time"}),
        help_text=gettext_lazy("Bỏ trống: lấy giờ hiện tại."),
        error_messages={"invalid": gettext_lazy("Hãy nhập giờ dạng HH:MM, ví dụ 19:30.")},
    )
    date = VNDateField(label=gettext_lazy("Ngày (dd/mm/yyyy)"), required=False, help_text=gettext_lazy("Bỏ trống: hôm nay."))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        self.meeting = meeting
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        time, day = cleaned.get("time"), cleaned.get("date")
        cleaned["at"] = None
        if self.errors or (time is None and day is None):
            return cleaned
        if time is None:
            self.add_error("time", _("Hãy nhập giờ (HH:MM) cùng với ngày."))
            return cleaned
        local = dt.datetime.combine(day or today(), time.replace(second=0, microsecond=0))
        cleaned["at"] = timezone.make_aware(local)
        return cleaned

    @property
    def at(self) -> dt.datetime | None:
        return self.cleaned_data.get("at") if hasattr(self, "cleaned_data") else None


# Attendance -------------------------------------------------------------------------------------


class MarkForm(ChiboForm):
    member = _id_field(error_messages={"required": gettext_lazy("Hãy chọn đảng viên."), "invalid": gettext_lazy("Hãy chọn đảng viên.")})
    status = forms.ChoiceField(choices=AttendanceStatus.choices, error_messages={
        "required": gettext_lazy("Trạng thái điểm danh không hợp lệ."), "invalid_choice": gettext_lazy("Trạng thái điểm danh không hợp lệ.")})  # fmt: skip
    reason = forms.CharField(required=False, max_length=_max(Attendance, "reason"))
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput, error_messages={"invalid": gettext_lazy("Mã lượt điểm danh không hợp lệ.")})
    at = TapTimeField()


class GuestForm(ChiboForm):
    name = forms.CharField(label=gettext_lazy("Họ tên khách mời"), max_length=_max(Guest, "name"), error_messages={"required": gettext_lazy("Hãy nhập họ tên khách mời.")})
    title = forms.CharField(label=gettext_lazy("Chức vụ"), required=False, max_length=_max(Guest, "title"))


class GuestRemoveForm(ChiboForm):
    remove = _id_field()


class CheckinForm(ChiboForm):
    code = forms.CharField(max_length=8, error_messages={"required": gettext_lazy("Hãy nhập mã điểm danh."), "max_length": gettext_lazy("Mã điểm danh không đúng.")})
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput, error_messages={"invalid": gettext_lazy("Mã lượt điểm danh không hợp lệ.")})


class SyncItemForm(ChiboForm):
    """One queued offline tap of the sync endpoint's JSON list."""

    client_id = forms.UUIDField()
    meeting = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    member = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(required=False, max_length=_max(Attendance, "reason"))
    at = TapTimeField()
    code = forms.CharField(required=False, max_length=8)


def sync_item_form(raw: Any) -> SyncItemForm | None:
    """A form for one JSON item (None when the item is not an object of plain values)."""
    if not isinstance(raw, dict) or any(isinstance(v, dict | list) for v in raw.values()):
        return None
    data = {k: ("" if v is None else str(v)) for k, v in raw.items() if isinstance(k, str)}
    return SyncItemForm(data)


# Minutes ----------------------------------------------------------------------------------------


def _member_choices(rows: list[Attendance], empty: str = "—") -> list[tuple[str, str]]:
    return [("", empty), *((str(r.member_id), r.member.full_name) for r in rows)]


class RolesForm(ChiboForm):
    op = forms.CharField(widget=forms.HiddenInput, initial="roles")
    chair = forms.TypedChoiceField(label=gettext_lazy("Chủ trì"), required=False, coerce=int, empty_value=None)
    minute_taker = forms.TypedChoiceField(label=gettext_lazy("Thư ký"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "minute_taker"):
            self.fields[name].choices = _member_choices(rows)  # type: ignore[attr-defined]
            self.fields[name].error_messages["invalid_choice"] = _("Hãy chọn một đảng viên của chi bộ có tên trong danh sách cuộc họp.")


class SpeechForm(ChiboForm):
    op = forms.CharField(widget=forms.HiddenInput, initial="speech")
    item = _id_field()
    member = forms.TypedChoiceField(label=gettext_lazy("Người phát biểu"), required=False, coerce=int, empty_value=None)
    speaker_name = forms.CharField(label=gettext_lazy("Tên khách mời"), required=False, max_length=_max(Speech, "speaker_name"))
    text = forms.CharField(label=gettext_lazy("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": gettext_lazy("Hãy ghi nội dung phát biểu.")})

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.choices = _member_choices(rows, _("(khách mời — ghi tên bên cạnh)"))  # type: ignore[attr-defined]
        member.error_messages["invalid_choice"] = _("Hãy chọn một đảng viên của chi bộ có tên trong danh sách cuộc họp.")


class SpeechRemoveForm(ChiboForm):
    op = forms.CharField(widget=forms.HiddenInput, initial="speech_remove")
    speech = _id_field(error_messages={"required": gettext_lazy("Không tìm thấy phát biểu."), "invalid": gettext_lazy("Không tìm thấy phát biểu.")})


class ConclusionForm(ChiboForm):
    op = forms.CharField(widget=forms.HiddenInput, initial="conclusion")
    item = _id_field()
    text = forms.CharField(label=gettext_lazy("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, item: AgendaItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hint = agenda_templates.hint_for(item) if item is not None else ""
        if hint:  # the agenda template's guidance: shown in the form, never stored or printed
            self.fields["text"].help_text = hint
            self.fields["text"].widget.attrs["placeholder"] = hint


def item_of(data: Any) -> int | None:
    """The agenda item a minutes form was sent for (for the ids of its fields), None when unreadable."""
    form = ItemForm(data)
    return form.cleaned_data["item"] if form.is_valid() else None


class ItemForm(ChiboForm):
    item = _id_field()


class OpForm(ChiboForm):
    """Which of the minutes page's forms was sent."""

    op = forms.ChoiceField(choices=[(op, op) for op in ("roles", "speech", "speech_remove", "conclusion")])


MINUTES_FORMS: dict[str, type[ChiboForm]] = {
    "roles": RolesForm, "speech": SpeechForm, "speech_remove": SpeechRemoveForm, "conclusion": ConclusionForm,
}  # fmt: skip


class ApproveForm(ChiboForm):
    as_role = forms.ChoiceField(choices=[(r, r) for r in APPROVE_ROLES], error_messages={
        "required": gettext_lazy("Vai trò duyệt không hợp lệ."), "invalid_choice": gettext_lazy("Vai trò duyệt không hợp lệ.")})  # fmt: skip


# Resolution -------------------------------------------------------------------------------------


class ResolutionForm(ChiboForm):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=_max(Resolution, "title"), error_messages={"required": gettext_lazy("Hãy nhập tiêu đề nghị quyết.")})
    preamble = forms.CharField(label=gettext_lazy("Phần mở đầu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(
        label=gettext_lazy("Các nội dung nghị quyết"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Mỗi dòng là một mục, được đánh số tự động."),
        error_messages={"required": gettext_lazy("Nghị quyết cần ít nhất một nội dung.")},
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Nghị quyết cần ít nhất một nội dung."))
        return lines


class VoteForm(ChiboForm):
    """One choice per voter, posted as ``vote_<member id>``; the service says who may vote."""

    def __init__(self, *args: Any, voters: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [v.member_id for v in voters]
        for key in self.data if self.is_bound else []:
            if key.startswith("vote_") and key[5:].isdigit() and len(key) < 16 and int(key[5:]) not in ids:
                ids.append(int(key[5:]))  # not a voter: the service refuses them by name
        for member_id in ids:
            self.fields[f"vote_{member_id}"] = forms.ChoiceField(choices=VoteChoice.choices, required=False, error_messages={
                "invalid_choice": gettext_lazy("Lựa chọn biểu quyết không hợp lệ.")})  # fmt: skip

    @property
    def votes(self) -> dict[int, str]:
        return {int(name[5:]): value for name, value in self.cleaned_data.items() if value}


# Corrections and quality ------------------------------------------------------------------------


class CorrectionForm(ChiboForm):
    target = forms.ChoiceField(label=gettext_lazy("Nội dung cần đính chính"), error_messages={
        "required": gettext_lazy("Hãy chọn nội dung cần đính chính."), "invalid_choice": gettext_lazy("Hãy chọn nội dung cần đính chính.")})  # fmt: skip
    after = forms.CharField(label=gettext_lazy("Nội dung sau đính chính"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={
        "required": gettext_lazy("Hãy nhập nội dung sau đính chính.")})  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Lý do đính chính"), max_length=_max(Correction, "reason"), error_messages={
        "required": gettext_lazy("Hãy ghi lý do đính chính.")})  # fmt: skip

    def __init__(self, *args: Any, targets: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *((value, f"{label}: {text[:60]}") for value, label, text in targets)]  # type: ignore[attr-defined]


class QualityForm(ChiboForm):
    rating = forms.ChoiceField(label=gettext_lazy("Mức tự đánh giá"), choices=[("", "—"), *SelfRating.choices], error_messages={
        "required": gettext_lazy("Hãy chọn mức tự đánh giá."), "invalid_choice": gettext_lazy("Hãy chọn mức tự đánh giá.")})  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, quality: QualityAssessment | None) -> dict[str, str]:
        return {"rating": quality.secretary_rating, "note": quality.secretary_note} if quality else {}
