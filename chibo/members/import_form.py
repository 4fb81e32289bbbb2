"""The member import page's form: the file, the scope (a committee or one cell) and the commit step.

Kept apart from chibo/members/forms.py (the registry's other forms) so the import can change alone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm
from chibo.orgs.models import CELL_KINDS, OrgVersion, path_segment

_ZIP_MAGIC = b"PK\x03\x04"


class ScopeChoiceField(forms.ModelChoiceField):
    """Any organisation the user may edit members in is accepted; the page lists the one it was
    opened for and the cells under it."""

    def label_from_instance(self, obj: OrgVersion) -> str:
        if obj.kind in CELL_KINDS:
            return obj.name
        return _("%(name)s (mỗi dòng ghi chi bộ của mình)") % {"name": obj.name}


class ImportForm(ChiboForm):
    org = ScopeChoiceField(
        queryset=OrgVersion.objects.none(),
        to_field_name="org_id",
        label=gettext_lazy("Nhập vào"),
        help_text=gettext_lazy("Tệp có cột Chi bộ: mỗi dòng vào chi bộ ghi ở dòng đó, trong phạm vi này. Không có cột đó: mọi dòng vào chi bộ chọn ở đây."),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Hãy chọn một tổ chức trong phạm vi của bạn.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, scope: QuerySet[OrgVersion], page: OrgVersion | None, session_token: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_token = session_token
        field = self.fields["org"]
        assert isinstance(field, ScopeChoiceField)
        field.queryset = scope
        if page is not None:
            self.show_choices_for(page)

    def show_choices_for(self, page: OrgVersion) -> None:
        """List the page's organisation and the cells under it (not every cell of a province)."""
        field = self.fields["org"]
        assert isinstance(field, ScopeChoiceField)
        scope = field.queryset
        assert scope is not None
        under = scope.filter(path__contains="/" + path_segment(page.org_id), kind__in=CELL_KINDS).exclude(org_id=page.org_id)
        field.widget.choices = [(page.org_id, field.label_from_instance(page))] + [(v.org_id, v.name) for v in under.order_by("name")[:500]]
        if not self.is_bound:
            self.initial.setdefault("org", page.org_id)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        name = (upload.name or "").lower()
        if not name.endswith(".xlsx"):
            if name.endswith((".xls", ".ods", ".csv")):
                raise forms.ValidationError(
                    _("Chỉ nhận tệp .xlsx. Hãy mở tệp bằng Excel (hoặc LibreOffice) và lưu lại dạng “Excel Workbook (.xlsx)”.")
                )
            raise forms.ValidationError(_("Chỉ nhận tệp Excel .xlsx."))
        limit = settings.CHIBO_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(mb)s MB.") % {"size": round(upload.size / 1024 / 1024, 1), "mb": limit // (1024 * 1024)}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != _ZIP_MAGIC:
            raise forms.ValidationError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        token = cleaned.get("token")
        if token:
            if token != self.session_token:
                raise forms.ValidationError(_("Phiên nhập đã hết hạn; hãy chọn lại tệp."))
        elif not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Hãy chọn tệp .xlsx."))
        return cleaned

    @property
    def commit(self) -> bool:
        """The second step: the file checked in the dry run is written."""
        return bool(self.cleaned_data.get("token"))
