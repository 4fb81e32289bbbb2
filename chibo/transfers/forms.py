"""Forms of the transfer pages: every POST is read through one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.access import today
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.core.pickers import OrgPicker
from chibo.transfers.models import STEP_LETTER, Kind, Transfer


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class StartForm(ChiboForm):
    """A new transfer of a member: official or temporary, to a cell of chibo or outside."""

    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.OFFICIAL,
                             error_messages=_required(gettext_lazy("Hãy chọn loại chuyển sinh hoạt.")))
    to_org = OrgPicker(label=gettext_lazy("Chi bộ nơi đến (trong hệ thống)"), cells_only=True)
    to_text = forms.CharField(label=gettext_lazy("Hoặc tổ chức đảng nơi đến ngoài hệ thống"), required=False, max_length=_max(Transfer, "to_text"))
    on = VNDateField(label=gettext_lazy("Ngày quyết định (chính thức) hoặc ngày bắt đầu (tạm thời)"), help_text=gettext_lazy("dd/mm/yyyy"),
                     error_messages=_required(gettext_lazy("Hãy nhập ngày.")))
    ends_on = VNDateField(label=gettext_lazy("Ngày kết thúc (chuyển tạm thời)"), required=False, help_text=gettext_lazy("dd/mm/yyyy"))
    for_study = forms.BooleanField(label=gettext_lazy("Đi học (tạm thời đến 24 tháng)"), required=False)
    letter_number = forms.CharField(label=gettext_lazy("Số giấy giới thiệu (nếu đã có)"), required=False, max_length=_max(Transfer, "letter_number"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=_max(Transfer, "note"))

    def __init__(self, *args: Any, root_org_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].scope(root_org_id=root_org_id, on=today())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_org, has_text = cleaned.get("to_org") is not None, bool((cleaned.get("to_text") or "").strip())
        if not self.has_error("to_org") and has_org == has_text:
            self.add_error("to_org", _("Hãy chọn chi bộ nơi đến hoặc ghi tên tổ chức đảng nơi đến ngoài hệ thống (chỉ một trong hai)."))
        if cleaned.get("kind") == Kind.TEMPORARY and not cleaned.get("ends_on") and not self.has_error("ends_on"):
            self.add_error("ends_on", _("Hãy nhập ngày kết thúc sinh hoạt tạm thời."))
        return cleaned


class IncomingForm(ChiboForm):
    """A member from outside chibo presents the introduction letter at a cell."""

    person_name = forms.CharField(label=gettext_lazy("Họ và tên đảng viên"), max_length=_max(Transfer, "person_name"),
                                  error_messages=_required(gettext_lazy("Hãy ghi họ tên đảng viên.")))
    to_org = OrgPicker(label=gettext_lazy("Chi bộ tiếp nhận"), cells_only=True, required=True,
                       error_messages=_required(gettext_lazy("Hãy chọn chi bộ tiếp nhận.")))
    from_text = forms.CharField(label=gettext_lazy("Tổ chức đảng nơi chuyển đi"), max_length=_max(Transfer, "from_text"),
                                error_messages=_required(gettext_lazy("Hãy ghi tổ chức đảng nơi chuyển đi.")))
    letter_number = forms.CharField(label=gettext_lazy("Số giấy giới thiệu"), max_length=_max(Transfer, "letter_number"),
                                    error_messages=_required(gettext_lazy("Hãy ghi số giấy giới thiệu.")))
    letter_on = VNDateField(label=gettext_lazy("Ngày giới thiệu"), help_text=gettext_lazy("dd/mm/yyyy"), error_messages=_required(gettext_lazy("Hãy nhập ngày giới thiệu.")))
    presented_on = VNDateField(label=gettext_lazy("Ngày nộp giấy giới thiệu"), help_text=gettext_lazy("dd/mm/yyyy"),
                               error_messages=_required(gettext_lazy("Hãy nhập ngày nộp giấy giới thiệu.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=_max(Transfer, "note"))

    def __init__(self, *args: Any, root_org_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].scope(root_org_id=root_org_id, on=today())  # type: ignore[attr-defined]


class StepForm(ChiboForm):
    """The next step of a transfer: its date, the letter's number for the letter step, a note."""

    on = VNDateField(label=gettext_lazy("Ngày"), help_text=gettext_lazy("dd/mm/yyyy"), error_messages=_required(gettext_lazy("Hãy nhập ngày.")))
    letter_number = forms.CharField(label=gettext_lazy("Số giấy giới thiệu"), required=False, max_length=_max(Transfer, "letter_number"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if step != STEP_LETTER:
            del self.fields["letter_number"]
        else:
            self.fields["letter_number"].required = True
            self.fields["letter_number"].error_messages["required"] = _("Hãy ghi số giấy giới thiệu.")


class CancelForm(ChiboForm):
    on = VNDateField(label=gettext_lazy("Ngày hủy"), help_text=gettext_lazy("dd/mm/yyyy"), error_messages=_required(gettext_lazy("Hãy nhập ngày.")))
    reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=_max(Transfer, "cancel_reason"),
                             error_messages=_required(gettext_lazy("Hãy ghi lý do hủy.")))
