"""Forms of the member pages (chibo/core/forms.py conventions).

Lengths and choices come from the models (ModelForm). The profile form also runs each of the
registry's own checks (chibo.members.validation) field by field, so that every mistake is shown at
once under its field; the service runs them again, with the checks that need the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.access import today
from chibo.core.errors import ChiboError
from chibo.core.forms import ChiboForm, VNDateField
from chibo.members import validation
from chibo.members.models import (
    CommunityKind,
    CommunityPosition,
    Member,
    Position,
    PositionKind,
    Status,
    StatusPeriod,
)
from chibo.members.services import PROFILE_FIELDS
from chibo.orgs.forms import ON_HELP, ON_LABEL, Form, OrgChoiceField, ServiceModelForm
from chibo.orgs.models import OrgVersion

DATE_HELP = gettext_lazy("dd/mm/yyyy")


class MemberForm(ServiceModelForm):
    """A member's profile; ``joined_on`` only when adding a member to a cell."""

    date_of_birth = VNDateField(label=gettext_lazy("Ngày sinh"), help_text=DATE_HELP)
    admitted_on = VNDateField(label=gettext_lazy("Ngày vào Đảng"), help_text=DATE_HELP)
    official_on = VNDateField(label=gettext_lazy("Ngày chính thức"), help_text=DATE_HELP, required=False)

    class Meta:
        model = Member
        fields = PROFILE_FIELDS
        labels = {
            "surname": gettext_lazy("Họ"),
            "middle_name": gettext_lazy("Tên đệm"),
            "given_name": gettext_lazy("Tên"),
            "sex": gettext_lazy("Giới tính"),
            "party_card_number": gettext_lazy("Số thẻ đảng (8 chữ số)"),
            "citizen_id": gettext_lazy("Số căn cước (12 chữ số)"),
            "phone": gettext_lazy("Điện thoại"),
            "email": gettext_lazy("Email"),
            "ethnicity": gettext_lazy("Dân tộc"),
            "religion": gettext_lazy("Tôn giáo"),
            "hometown": gettext_lazy("Quê quán"),
            "education": gettext_lazy("Trình độ học vấn"),
            "theory_level": gettext_lazy("Lý luận chính trị"),
            "occupation": gettext_lazy("Nghề nghiệp"),
        }
        widgets = {
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "party_card_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args: Any, member: Member | None = None, creating: bool = False, **kwargs: Any) -> None:
        # The instance is a throwaway: the form never saves, and the member's own object must keep
        # its values until the service has written its audit row ("before").
        if member is not None:
            kwargs["initial"] = model_to_dict(member, fields=PROFILE_FIELDS)
        super().__init__(*args, **kwargs)
        for name in ("ethnicity", "religion"):
            self.fields[name].required = False
        if creating:
            self.fields["joined_on"] = VNDateField(
                label=_("Ngày bắt đầu sinh hoạt ở chi bộ"), required=False,
                help_text=_("dd/mm/yyyy; để trống: ngày vào Đảng"),
            )

    def _check(self, field: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except ChiboError as exc:
            target = exc.field if exc.field in self.fields else field
            if not self.has_error(target):
                self.add_error(target, exc.message)
            return None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        for name, label, required in (
            ("surname", _("Họ"), True), ("middle_name", _("Tên đệm"), False), ("given_name", _("Tên"), True),
        ):
            if name in cleaned:
                value = self._check(name, partial(validation.check_name_part, cleaned[name], field=name, label=label, required=required))
                if value is not None:
                    cleaned[name] = value
        born: dt.date | None = cleaned.get("date_of_birth")
        admitted: dt.date | None = cleaned.get("admitted_on")
        sex = cleaned.get("sex")
        now = today()
        if born and born > now:
            self.add_error("date_of_birth", _("Ngày sinh không được ở tương lai."))
            born = None
        if admitted and admitted > now:
            self.add_error("admitted_on", _("Ngày vào Đảng không được ở tương lai."))
        elif born and admitted:
            self._check("admitted_on", lambda: validation.check_admission_age(
                date_of_birth=born, admitted_on=admitted,
                min_age=settings.CHIBO_ADMISSION_AGE_MIN, max_age=settings.CHIBO_ADMISSION_AGE_MAX,
            ))
        official: dt.date | None = cleaned.get("official_on")
        if official and official > now:
            self.add_error("official_on", _("Ngày chính thức không được ở tương lai."))
        elif official and admitted and official < admitted:
            self.add_error("official_on", _("Ngày chính thức phải sau ngày vào Đảng."))
        if cleaned.get("citizen_id"):
            self._check("citizen_id", lambda: validation.check_citizen_id(
                cleaned["citizen_id"], date_of_birth=born if not self.has_error("date_of_birth") else None, sex=sex or None,
            ))
        if cleaned.get("party_card_number"):
            self._check("party_card_number", lambda: validation.check_card_number(cleaned["party_card_number"]))
        return cleaned

    def profile(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in PROFILE_FIELDS}


class MoveForm(Form):
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args: Any, cells: list[OrgVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = OrgChoiceField(versions=cells, label=_("Chuyển đến chi bộ"))
        field.error_messages["invalid_choice"] = _("Hãy chọn chi bộ trong phạm vi của bạn.")
        field.error_messages["required"] = _("Hãy chọn chi bộ trong phạm vi của bạn.")
        self.fields["org"] = field
        self.fields["on"] = VNDateField(label=ON_LABEL, help_text=ON_HELP)
        self.order_fields(["org", "on", "note"])
        self.by_id = {c.org_id: c for c in cells}


class StatusForm(ServiceModelForm):
    on = VNDateField(label=ON_LABEL, help_text=ON_HELP)

    class Meta:
        model = StatusPeriod
        fields = ["status", "on", "note"]
        labels = {"status": gettext_lazy("Trạng thái mới"), "note": gettext_lazy("Căn cứ, ghi chú")}
        help_texts = {
            "status": gettext_lazy(
                "Kết nạp, công nhận chính thức, chuyển sinh hoạt, miễn sinh hoạt, xóa tên và kỷ luật "
                "được ghi qua quy trình riêng của từng việc."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from chibo.members.services import MANUAL_STATUSES

        field = self.fields["status"]
        field.choices = [(value, label) for value, label in Status.choices if value in MANUAL_STATUSES]  # type: ignore[attr-defined]


ACTIONS = [("assign", "assign"), ("community", "community"), ("end", "end"), ("end_community", "end_community")]


class PositionActionForm(ChiboForm):
    """Which of the positions page's forms was sent."""

    action = forms.ChoiceField(choices=ACTIONS, error_messages={"invalid_choice": gettext_lazy("Thao tác không hợp lệ."), "required": gettext_lazy("Thao tác không hợp lệ.")})


class PositionAssignForm(ServiceModelForm):
    on = VNDateField(label=ON_LABEL, help_text=ON_HELP)

    class Meta:
        model = Position
        fields = ["kind", "on"]
        labels = {"kind": gettext_lazy("Chức vụ")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = PositionKind.choices


class CommunityAssignForm(ServiceModelForm):
    on = VNDateField(label=ON_LABEL, help_text=ON_HELP)
    until = VNDateField(label=gettext_lazy("Hết nhiệm kỳ ngày (nếu biết)"), help_text=DATE_HELP, required=False)

    class Meta:
        model = CommunityPosition
        fields = ["kind", "area_name", "on", "until"]
        labels = {"kind": gettext_lazy("Chức danh"), "area_name": gettext_lazy("Thôn, khu phố")}

    def __init__(self, *args: Any, area_hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = CommunityKind.choices
        if area_hint:
            self.fields["area_name"].initial = area_hint
            self.fields["area_name"].help_text = _(
                "Bí thư chỉ được tính là kiêm trưởng thôn khi đứng đầu đúng thôn, khu phố mà chi bộ phụ trách (%(area)s)."
            ) % {"area": area_hint}


class PositionEndForm(Form):
    position = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": gettext_lazy("Không tìm thấy chức vụ."), "invalid": gettext_lazy("Không tìm thấy chức vụ.")})
    on = VNDateField(label=gettext_lazy("Ngày kết thúc"), help_text=ON_HELP)
