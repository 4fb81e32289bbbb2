"""Forms of the reorganisation pages (chibo/core/forms.py conventions).

The model gives each field its length and choices; the rules across fields (a residential cell
names its area, a cell has no children...) stay in chibo.orgs.services and come back onto the form
through ``run_service``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm, ChiboModelForm, VNDateField
from chibo.orgs.models import OrgKind, OrgVersion

ON_LABEL = gettext_lazy("Ngày hiệu lực")
ON_HELP = gettext_lazy("dd/mm/yyyy")


class FocusFirstErrorMixin:
    """The first field with an error takes the focus (a phone user lands on it), service errors included."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        focused = False
        for name, form_field in self.fields.items():  # type: ignore[attr-defined]
            form_field.widget.attrs.pop("autofocus", None)
            if not focused and name in self._errors and not form_field.widget.is_hidden:  # type: ignore[attr-defined]
                form_field.widget.attrs["autofocus"] = True
                focused = True


class Form(FocusFirstErrorMixin, ChiboForm):
    pass


class ServiceModelForm(FocusFirstErrorMixin, ChiboModelForm):
    """A ModelForm whose fields (lengths, choices) come from the model, and whose cross-field rules
    are the service's: the model's own constraints are not re-checked here (their messages are not
    the user's language), the service checks them with a Vietnamese message."""

    def _get_validation_exclusions(self) -> set[str]:
        return {f.name for f in self.instance._meta.get_fields()}


def indented(version: OrgVersion) -> str:
    """An organisation's name indented by its depth, for selects of the tree ordered by path."""
    return "\u00a0\u00a0" * version.depth + version.name


def org_choices(versions: Iterable[OrgVersion]) -> list[tuple[str, str]]:
    return [(str(v.org_id), indented(v)) for v in versions]


_ORG_LABELS = {
    "name": gettext_lazy("Tên"),
    "kind": gettext_lazy("Loại tổ chức"),
    "sector": gettext_lazy("Loại hình"),
    "admin_unit": gettext_lazy("Đơn vị hành chính (đảng bộ cấp xã)"),
    "area_kind": gettext_lazy("Địa bàn dân cư (chi bộ khu dân cư)"),
    "area_name": gettext_lazy("Tên thôn, bản, khu phố"),
}


class OrgFieldsForm(ServiceModelForm):
    on = VNDateField(label=ON_LABEL, help_text=ON_HELP)

    class Meta:
        model = OrgVersion
        fields = ["name", "kind", "sector", "admin_unit", "area_kind", "area_name"]
        labels = _ORG_LABELS


class OrgCreateForm(OrgFieldsForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(v, label) for v, label in OrgKind.choices if v != OrgKind.PROVINCIAL]


class OrgChangeForm(OrgFieldsForm):
    """Initial values are the current version's; only what differs is sent to the service."""

    def __init__(self, *args: Any, version: OrgVersion, **kwargs: Any) -> None:
        kwargs["initial"] = {f: getattr(version, f) for f in self.Meta.fields}
        super().__init__(*args, **kwargs)
        self.version = version

    def changes(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if self.cleaned_data.get(f) != getattr(self.version, f)}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("Chưa có thay đổi nào."))
        return cleaned


class OrgChoiceField(forms.TypedChoiceField):
    def __init__(self, *, versions: Iterable[OrgVersion], **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Hãy chọn tổ chức."),
                "invalid_choice": _("Tổ chức đã chọn không có hoặc không thuộc phạm vi của bạn."),
            },
        )
        super().__init__(choices=[("", "—"), *org_choices(versions)], coerce=int, **kwargs)


class OrgMoveForm(Form):
    def __init__(self, *args: Any, candidates: list[OrgVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = OrgChoiceField(versions=candidates, label=_("Cấp trên mới"))
        self.fields["on"] = VNDateField(label=ON_LABEL, help_text=ON_HELP)
        self.by_id = {v.org_id: v for v in candidates}


class OrgMergeForm(Form):
    def __init__(self, *args: Any, siblings: list[OrgVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {v.org_id: v for v in siblings}
        self.fields["others"] = forms.TypedMultipleChoiceField(
            label=_("Hợp nhất cùng"),
            choices=[(str(v.org_id), v.name) for v in siblings],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Hãy chọn ít nhất một tổ chức cùng cấp để hợp nhất."),
                "invalid_choice": _("Hãy chọn ít nhất một tổ chức cùng cấp để hợp nhất."),
            },
        )
        self.fields["name"] = forms.CharField(
            label=_("Tên tổ chức mới"), max_length=OrgVersion._meta.get_field("name").max_length
        )
        self.fields["on"] = VNDateField(label=ON_LABEL, help_text=ON_HELP)


class OrgSplitForm(Form):
    def __init__(self, *args: Any, version: OrgVersion, members: list[Any], children: list[OrgVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        length = OrgVersion._meta.get_field("name").max_length
        self.fields["name"] = forms.CharField(label=_("Tên tổ chức mới"), max_length=length)
        if version.area_name:
            self.fields["area_name"] = forms.CharField(
                label=_("Thôn, khu phố của tổ chức mới"), required=False,
                max_length=OrgVersion._meta.get_field("area_name").max_length,
            )
        invalid = {"invalid_choice": _("Có lựa chọn không thuộc tổ chức cần chia tách.")}
        if members:
            self.fields["member_ids"] = forms.TypedMultipleChoiceField(
                label=_("Đảng viên chuyển sang"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
                choices=[(str(m.pk), m.full_name) for m in members], error_messages=invalid,
            )
        if children:
            self.fields["child_ids"] = forms.TypedMultipleChoiceField(
                label=_("Tổ chức chuyển sang"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
                choices=[(str(c.org_id), c.name) for c in children], error_messages=invalid,
            )
        self.fields["on"] = VNDateField(label=ON_LABEL, help_text=ON_HELP)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        if not cleaned.get("member_ids") and not cleaned.get("child_ids") and not self.has_error("member_ids") and not self.has_error("child_ids"):
            raise forms.ValidationError(_("Hãy chọn đảng viên hoặc tổ chức chuyển sang tổ chức mới."))
        return cleaned


class OnlyDateForm(Form):
    on = VNDateField(label=ON_LABEL, help_text=ON_HELP)
