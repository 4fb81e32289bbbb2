"""Forms of the admission pages: every POST is read through one of these."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from chibo.admissions.models import STEP_NUMBER, AdmissionStep, Candidate, ResidentialArea, StepKind
from chibo.core.access import today
from chibo.core.forms import ChiboForm, ChiboModelForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.core.pickers import MemberPicker, OrgPicker


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


_COUNT_ERRORS = {
    "invalid": gettext_lazy("Hãy nhập một số nguyên."),
    "min_value": gettext_lazy("Số không được nhỏ hơn %(limit_value)s."),
    "max_value": gettext_lazy("Số không được lớn hơn %(limit_value)s."),
}


class _ServiceChecked(ChiboModelForm):
    """The service checks uniqueness and the database's rules, with their own Vietnamese messages."""

    def validate_unique(self) -> None:
        return None


class CandidateForm(_ServiceChecked):
    date_of_birth = VNDateField(label=gettext_lazy("Ngày sinh (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày sinh.")))

    class Meta:
        model = Candidate
        fields = ["surname", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id", "phone", "residence", "source"]
        error_messages = {
            "surname": {"required": gettext_lazy("Họ không được để trống.")},
            "given_name": {"required": gettext_lazy("Tên không được để trống.")},
            "sex": {"required": gettext_lazy("Hãy chọn giới tính.")},
            "source": {"required": gettext_lazy("Hãy chọn nguồn quần chúng.")},
        }
        help_texts = {"citizen_id": gettext_lazy("Không bắt buộc lúc này; cần trước lễ kết nạp.")}


class KindForm(ChiboForm):
    """Which step a POST records (the form of that step is built next)."""

    kind = forms.ChoiceField(choices=[(k, k) for k in STEP_NUMBER])


class StepForm(ChiboForm):
    """The candidate's next step; the fields follow the step (``kind``, posted hidden, so a step
    recorded meanwhile by someone else is refused instead of recorded twice)."""

    kind = forms.ChoiceField(choices=StepKind.choices, widget=forms.HiddenInput)
    on = VNDateField(label=gettext_lazy("Ngày (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày.")))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=_max(AdmissionStep, "note"), required=False)
    file = forms.FileField(label=gettext_lazy("Văn bản kèm theo (PDF, Word, Excel, ảnh)"), required=False)

    def __init__(self, *args: Any, candidate: Candidate, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_value = kind
        self.fields["kind"].initial = kind
        if kind == StepKind.INTRODUCERS:
            for i in (1, 2):
                picker = MemberPicker(label=gettext_lazy("Người giới thiệu %(n)s") % {"n": i})
                picker.scope(root_org_id=candidate.cell_id, on=today())
                self.fields[f"introducer{i}"] = picker
                self.fields[f"since{i}"] = VNDateField(label=gettext_lazy("Công tác cùng quần chúng từ ngày (dd/mm/yyyy)"), required=False)
            self.fields["file"].label = gettext_lazy("Văn bản kèm theo (đoàn viên có một người giới thiệu: nghị quyết của Đoàn)")
        if kind == StepKind.COMMITTEE_VOTE:
            self.fields["committee_members"] = forms.IntegerField(
                label=gettext_lazy("Số đảng ủy viên"), min_value=1, max_value=1000, error_messages={**_COUNT_ERRORS, "required": gettext_lazy("Hãy nhập số đảng ủy viên.")}
            )
        if kind in (StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE):
            self.fields["yes_votes"] = forms.IntegerField(
                label=gettext_lazy("Số phiếu tán thành"), min_value=0, max_value=100000, error_messages={**_COUNT_ERRORS, "required": gettext_lazy("Hãy nhập số phiếu tán thành.")}
            )
        if kind == StepKind.DECISION:
            self.fields["decision_number"] = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=_max(AdmissionStep, "decision_number"), required=False)
        if kind == StepKind.CEREMONY and not candidate.citizen_id:
            self.fields["citizen_id"] = forms.CharField(label=gettext_lazy("Số căn cước (12 chữ số)"), max_length=12, required=False)

    def call(self) -> dict[str, Any]:
        d = self.cleaned_data
        upload = d.get("file")
        out: dict[str, Any] = {
            "kind": d["kind"], "on": d["on"], "note": d.get("note", ""),
            "data": upload.read() if upload else None, "name": upload.name if upload else "",
            "yes_votes": d.get("yes_votes"), "committee_members": d.get("committee_members"),
            "decision_number": d.get("decision_number", ""), "citizen_id": d.get("citizen_id", ""),
        }  # fmt: skip
        if self.kind_value == StepKind.INTRODUCERS:
            from chibo.members.models import Member

            ids = [(d.get(f"introducer{i}"), d.get(f"since{i}")) for i in (1, 2)]
            members = {m.pk: m for m in Member.objects.filter(pk__in=[pk for pk, _s in ids if pk])}
            out["introducers"] = [(members[pk], since) for pk, since in ids if pk in members]
        return out


class ExtensionForm(ChiboForm):
    on = VNDateField(label=gettext_lazy("Ngày gia hạn (dd/mm/yyyy)"), error_messages=_required(gettext_lazy("Hãy nhập ngày.")))
    reason = forms.CharField(label=gettext_lazy("Lý do gia hạn"), max_length=_max(AdmissionStep, "note"), error_messages=_required(gettext_lazy("Hãy ghi lý do gia hạn.")))
    file = forms.FileField(label=gettext_lazy("Văn bản kèm theo"), required=False)


class StopForm(ChiboForm):
    on = VNDateField(label=gettext_lazy("Ngày (dd/mm/yyyy)"), required=False)
    reason = forms.CharField(label=gettext_lazy("Lý do dừng xem xét"), max_length=_max(Candidate, "stop_reason"), error_messages=_required(gettext_lazy("Hãy ghi lý do dừng xem xét.")))


class QuotaForm(ChiboForm):
    org = OrgPicker(label=gettext_lazy("Chi bộ hoặc đảng bộ cấp xã"))
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100, error_messages={**_COUNT_ERRORS, "required": gettext_lazy("Hãy nhập năm.")})
    target = forms.IntegerField(label=gettext_lazy("Chỉ tiêu kết nạp (đảng viên)"), min_value=1, max_value=10000, error_messages={**_COUNT_ERRORS, "required": gettext_lazy("Hãy nhập chỉ tiêu.")})

    def __init__(self, *args: Any, root_org_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].scope(root_org_id=root_org_id, on=today())  # type: ignore[attr-defined]

    def clean_org(self) -> int:
        value = self.cleaned_data.get("org")
        if not value:
            raise forms.ValidationError(gettext_lazy("Hãy chọn chi bộ hoặc đảng bộ."))
        return int(value)


class AreaForm(_ServiceChecked):
    class Meta:
        model = ResidentialArea
        fields = ["kind", "name"]
        error_messages = {
            "kind": {"required": gettext_lazy("Hãy chọn loại: thôn, bản, khu phố hoặc tổ dân phố.")},
            "name": {"required": gettext_lazy("Hãy ghi tên thôn, tổ dân phố.")},
        }
