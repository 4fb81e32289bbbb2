"""The petition forms: raising (at a meeting, by an upper-level attendee, by a member), and one form
per move (send, forward, answer, return, close out of scope, read out, close, re-open)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import ChiboForm, ChiboModelForm, model_max_length
from chibo.members.models import Member
from chibo.petitions.models import Petition

TEXT_MAX = 5000


class PetitionForm(ChiboModelForm):
    """What was raised: the category, a title, the text, and the resident's identity if given."""

    class Meta:
        model = Petition
        fields = ["category", "title", "text", "resident_name", "resident_phone", "resident_address"]
        labels = {
            "category": _("Lĩnh vực"), "title": _("Tiêu đề"), "text": _("Nội dung kiến nghị"),
            "resident_name": _("Họ tên người dân (nếu có)"), "resident_phone": _("Điện thoại người dân"),
            "resident_address": _("Địa chỉ người dân"),
        }
        help_texts = {"resident_name": _("Chỉ chi bộ và người xử lý kiến nghị ở các cấp được xem thông tin người dân.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}), "resident_phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = TEXT_MAX  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("— Chọn lĩnh vực —")), *self.fields["category"].choices[1:]]  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        """Text in NFC as every chibo form; no model validation: the service checks the whole
        petition (its cell, raiser and state are not on the form)."""
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned:
            for key, value in list(cleaned.items()):
                if isinstance(value, str):
                    cleaned[key] = unicodedata.normalize("NFC", value)


class MeetingPetitionForm(PetitionForm):
    """At a meeting: who raised it, a member of the cell or anyone named in words (a resident, a guest)."""

    raised_by = forms.TypedChoiceField(label=_("Đảng viên nêu"), coerce=int, required=False, empty_value=None)
    raised_by_name = forms.CharField(label=_("Hoặc người nêu (không phải đảng viên)"), max_length=model_max_length(Petition, "raised_by_name"), required=False)

    class Meta(PetitionForm.Meta):
        fields = ["raised_by", "raised_by_name", *PetitionForm.Meta.fields]

    def __init__(self, *args: Any, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].choices = [("", _("— Không phải đảng viên —")), *((m.pk, m.full_name) for m in members)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("raised_by") and not (data.get("raised_by_name") or "").strip() and "raised_by_name" not in self.errors:
            self.add_error("raised_by_name", _("Hãy chọn đảng viên nêu kiến nghị hoặc ghi tên người nêu."))
        return data


class UpperPetitionForm(PetitionForm):
    raised_by_name = forms.CharField(label=_("Người nêu"), max_length=model_max_length(Petition, "raised_by_name"), required=False,
                                     help_text=_("Để trống: ghi tên người dự họp."))

    class Meta(PetitionForm.Meta):
        fields = ["raised_by_name", *PetitionForm.Meta.fields]


def _org_choices(choices: list[tuple[int, str]], *, empty: str) -> list[tuple[Any, str]]:
    return [("", empty), *choices]


class SendForm(ChiboForm):
    to_org = forms.TypedChoiceField(label=_("Gửi cấp ủy cấp trên"), coerce=int, required=False, empty_value=None)
    to_external = forms.CharField(label=_("Hoặc cơ quan có thẩm quyền ngoài Đảng"), max_length=200, required=False,
                                  help_text=_("Ví dụ: UBND xã, Công an xã."))
    note = forms.CharField(label=_("Ghi chú"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, above: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].choices = _org_choices(above, empty=str(_("— Chọn cấp ủy —")))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            if data.get("to_org") and (data.get("to_external") or "").strip():
                self.add_error("to_external", _("Chọn một cấp ủy cấp trên hoặc ghi tên cơ quan ngoài Đảng, không chọn cả hai."))
            elif not data.get("to_org") and not (data.get("to_external") or "").strip():
                self.add_error("to_org", _("Hãy chọn cấp ủy cấp trên hoặc ghi tên cơ quan có thẩm quyền."))
        return data


class ForwardForm(ChiboForm):
    to_org = forms.TypedChoiceField(label=_("Chuyển lên"), coerce=int)
    note = forms.CharField(label=_("Ghi chú"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, above: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].choices = _org_choices(above, empty=str(_("— Chọn cấp ủy —")))  # type: ignore[attr-defined]


class AnswerForm(ChiboForm):
    text = forms.CharField(label=_("Nội dung trả lời"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class ReturnForm(ChiboForm):
    question = forms.CharField(label=_("Nội dung đề nghị chi bộ làm rõ"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class OutOfScopeForm(ChiboForm):
    reason = forms.CharField(label=_("Lý do không thuộc thẩm quyền"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ReadOutForm(ChiboForm):
    meeting = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(ChiboForm):
    note = forms.CharField(label=_("Ghi chú"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(ChiboForm):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
