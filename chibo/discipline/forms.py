"""Forms of the discipline pages: every POST is read through one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.discipline.models import (
    ApplicationForm,
    DisciplineKind,
    DisciplineRecord,
    Exemption,
    ExemptionGround,
    Reconciliation,
    Removal,
    RemovalFlag,
    RemovalGround,
)


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


def _count(label: Any) -> forms.IntegerField:
    message = gettext_lazy("Hãy nhập số đảng viên (0 trở lên).")
    return forms.IntegerField(label=label, min_value=0, max_value=100000, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message})


class ExemptionApplyForm(ChiboForm):
    applied_on = VNDateField(label=gettext_lazy("Ngày nộp đơn (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày nộp đơn.")))
    form = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=ApplicationForm.choices, widget=forms.RadioSelect,
                             error_messages=_required(gettext_lazy("Hãy chọn hình thức xin miễn.")))
    ground = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=ExemptionGround.choices, widget=forms.RadioSelect,
                               error_messages=_required(gettext_lazy("Hãy chọn lý do xin miễn.")),
                               help_text=gettext_lazy("Hướng dẫn 27-HD/BTCTW: tuổi cao là quá tuổi lao động; sức khỏe yếu là bệnh cần điều trị từ 3 tháng trở lên."))
    ground_note = forms.CharField(label=gettext_lazy("Ghi rõ lý do"), max_length=_max(Exemption, "ground_note"), required=False)


class DecideForm(ChiboForm):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Quyết định"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", gettext_lazy("Đồng ý")), ("no", gettext_lazy("Không đồng ý"))],
        error_messages=_required(gettext_lazy("Hãy chọn đồng ý hoặc không.")),
    )  # fmt: skip
    decided_on = VNDateField(label=gettext_lazy("Ngày quyết định (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày quyết định.")))
    note = forms.CharField(label=gettext_lazy("Biểu quyết, ghi chú"), max_length=_max(Exemption, "decision_note"), required=False,
                           help_text=gettext_lazy("Ví dụ: 12/12 đảng viên có mặt biểu quyết đồng ý. Không đồng ý: ghi lý do."))


class ExemptionEndForm(ChiboForm):
    ended_on = VNDateField(label=gettext_lazy("Sinh hoạt lại từ ngày (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày thôi miễn.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(Exemption, "end_note"), required=False)


class RemovalProposeForm(ChiboForm):
    ground = forms.ChoiceField(label=gettext_lazy("Căn cứ"), choices=RemovalGround.choices, error_messages=_required(gettext_lazy("Hãy chọn căn cứ xóa tên.")))
    reason = forms.CharField(label=gettext_lazy("Lý do, quá trình giáo dục của chi bộ"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                             error_messages=_required(gettext_lazy("Hãy ghi lý do đề nghị xóa tên.")))
    proposed_on = VNDateField(label=gettext_lazy("Ngày chi bộ đề nghị (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày đề nghị.")))
    flag = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class RemovalDecideForm(DecideForm):
    document_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=_max(Removal, "document_number"), required=False)
    field_order = ["approve", "decided_on", "document_number", "note"]


class RecordForm(ChiboForm):
    kind = forms.ChoiceField(label=gettext_lazy("Hình thức kỷ luật"), choices=DisciplineKind.choices, error_messages=_required(gettext_lazy("Hãy chọn hình thức kỷ luật.")))
    decided_on = VNDateField(label=gettext_lazy("Ngày quyết định (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày quyết định.")))
    deciding_body = forms.CharField(label=gettext_lazy("Tổ chức quyết định"), max_length=_max(DisciplineRecord, "deciding_body"),
                                    error_messages=_required(gettext_lazy("Hãy ghi tổ chức quyết định kỷ luật.")))
    document_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=_max(DisciplineRecord, "document_number"),
                                      error_messages=_required(gettext_lazy("Hãy nhập số quyết định.")))
    reason = forms.CharField(label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, error_messages=_required(gettext_lazy("Hãy ghi lý do kỷ luật.")))


class FlagDismissForm(ChiboForm):
    reason = forms.CharField(label=gettext_lazy("Lý do không đề nghị xóa tên"), max_length=_max(RemovalFlag, "dismissed_reason"),
                             error_messages=_required(gettext_lazy("Hãy ghi lý do không đề nghị xóa tên.")))


class ReconcileForm(ChiboForm):
    checked_on = VNDateField(label=gettext_lazy("Ngày đối chiếu (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày đối chiếu.")))
    checked_by = forms.CharField(label=gettext_lazy("Người đối chiếu"), max_length=_max(Reconciliation, "checked_by"), error_messages=_required(gettext_lazy("Hãy ghi người đối chiếu.")))
    book_current = _count(gettext_lazy("Sổ đảng viên đang sinh hoạt: số đảng viên"))
    book_left = _count(gettext_lazy("Sổ đảng viên đã chuyển đi, ra khỏi Đảng: số đảng viên"))
    book_deceased = _count(gettext_lazy("Sổ đảng viên đã từ trần: số đảng viên"))
    differences = forms.CharField(label=gettext_lazy("Chênh lệch tìm thấy"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(Reconciliation, "note"), required=False)


class FlagQuery(ChiboForm):
    """``?flag=`` on the removal proposal page: the flag the proposal rests on."""

    flag = forms.IntegerField(required=False, min_value=1)
