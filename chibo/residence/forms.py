"""Forms of the residence-contact pages: every POST is read through one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.access import today
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.core.pickers import MemberPicker, OrgPicker
from chibo.residence import selectors as sel
from chibo.residence.models import (
    Assessment,
    ContactMeeting,
    EndReason,
    Exemption,
    NotIntroduced,
    Registration,
    ResidenceComment,
)

CATEGORY_CHOICES = [*Exemption.choices, *NotIntroduced.choices]


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class RegisterForm(ChiboForm):
    """The member is picked among the members of the commune's own subtree (whom its staff may see);
    a member working outside it is named by the introduction letter: party card number and full name,
    both matching (the staff never browse members outside their scope)."""

    member = MemberPicker(label=gettext_lazy("Đảng viên (công tác trong đảng bộ xã, phường)"))
    card_number = forms.CharField(label=gettext_lazy("Hoặc: số thẻ đảng viên ghi trong giấy giới thiệu"), max_length=8, required=False)
    full_name = forms.CharField(label=gettext_lazy("và họ tên đảng viên"), max_length=200, required=False)
    residence_org = OrgPicker(label=gettext_lazy("Chi bộ nơi cư trú"), cells_only=True)
    category = forms.ChoiceField(label=gettext_lazy("Diện đảng viên (Hướng dẫn 33-HD/BTCTW)"), choices=CATEGORY_CHOICES, required=False)
    introduced_on = VNDateField(label=gettext_lazy("Ngày giới thiệu (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày giới thiệu.")))
    introduction_ref = forms.CharField(label=gettext_lazy("Số giấy giới thiệu"), max_length=_max(Registration, "introduction_ref"), required=False)
    registered_on = VNDateField(label=gettext_lazy("Ngày tiếp nhận (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày tiếp nhận.")))

    def __init__(self, *args: Any, org_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].scope(root_org_id=org_id, on=today())  # type: ignore[attr-defined]
        self.fields["residence_org"].scope(root_org_id=org_id, on=today())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        card, name = data.get("card_number", ""), data.get("full_name", "")
        if data.get("member") is None and "member" not in self.errors:
            if not card and not name:
                self.add_error("member", _("Hãy chọn đảng viên, hoặc nhập số thẻ đảng viên và họ tên theo giấy giới thiệu."))
            elif not card or not name:
                self.add_error("card_number" if not card else "full_name", _("Hãy nhập cả số thẻ đảng viên và họ tên."))
            else:
                found = sel.find_introduced(card_number=card, full_name=name)
                if found is None:
                    self.add_error("card_number", _("Không tìm thấy đảng viên có số thẻ và họ tên này."))
                data["member"] = found
        return data

    def call(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "member_id": d["member"], "residence_org_id": d["residence_org"], "category": d["category"] or "",
            "introduced_on": d["introduced_on"], "introduction_ref": d["introduction_ref"], "registered_on": d["registered_on"],
        }  # fmt: skip


class TransferForm(ChiboForm):
    residence_org = OrgPicker(label=gettext_lazy("Chi bộ nơi cư trú mới"), cells_only=True)
    on = VNDateField(label=gettext_lazy("Ngày chuyển (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày chuyển.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(Registration, "end_note"), required=False)

    def __init__(self, *args: Any, org_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residence_org"].scope(root_org_id=org_id, on=today())  # type: ignore[attr-defined]


class EndForm(ChiboForm):
    reason = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=EndReason.choices,
                               error_messages={"required": gettext_lazy("Hãy chọn lý do."), "invalid_choice": gettext_lazy("Lý do không hợp lệ.")})
    on = VNDateField(label=gettext_lazy("Ngày kết thúc (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày kết thúc.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(Registration, "end_note"), required=False)


class ContactMeetingForm(ChiboForm):
    held_on = VNDateField(label=gettext_lazy("Ngày gặp (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày gặp.")))
    attendees = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đảng viên có mặt"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một đảng viên có mặt."), "invalid_choice": gettext_lazy("Lựa chọn không có trong danh sách.")},
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Nội dung, ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), max_length=_max(ContactMeeting, "note"), required=False)

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(r.pk, r.member.full_name) for r in registrations]  # type: ignore[attr-defined]


class CommentForm(ChiboForm):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": gettext_lazy("Hãy nhập năm."), "invalid": gettext_lazy("Năm không hợp lệ."),
                                              "min_value": gettext_lazy("Năm không hợp lệ."), "max_value": gettext_lazy("Năm không hợp lệ.")})
    assessment = forms.ChoiceField(label=gettext_lazy("Đánh giá"), choices=[("", "—"), *Assessment.choices],
                                   error_messages={"required": gettext_lazy("Hãy chọn mức đánh giá."), "invalid_choice": gettext_lazy("Hãy chọn mức đánh giá.")})
    text = forms.CharField(label=gettext_lazy("Nhận xét"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, error_messages=_required(gettext_lazy("Hãy ghi nhận xét.")))
    commented_on = VNDateField(label=gettext_lazy("Ngày nhận xét (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày nhận xét.")))
    front_head_name = forms.CharField(label=gettext_lazy("Trưởng ban công tác Mặt trận cùng nhận xét"), max_length=_max(ResidenceComment, "front_head_name"), required=False)
