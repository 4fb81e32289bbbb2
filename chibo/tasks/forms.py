"""Forms of the task pages (chibo.core.forms conventions: all errors at once, under their fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import ChiboForm, ChiboModelForm, VNDateField
from chibo.meetings.models import ResolutionItem
from chibo.members.models import Member
from chibo.petitions.models import FINAL, Petition
from chibo.tasks import selectors as sel
from chibo.tasks.models import CheckOutcome, Task, TaskCheck, TaskReport, TaskStatus


def item_label(item: ResolutionItem) -> str:
    text = item.text.strip().replace("\n", " ")
    return f"{item.resolution.code} ({item.resolution.meeting.month:%m/%Y}) — {item.position}. {text[:120]}"


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return item_label(obj)


class PetitionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.raised_on:%d/%m/%Y})"


class TaskForm(ChiboModelForm):
    due_on = VNDateField(label=gettext_lazy("Hạn hoàn thành"), error_messages={"required": gettext_lazy("Hãy nhập hạn hoàn thành.")})
    assignees = MemberChoices(
        queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Đảng viên thực hiện"),
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một đảng viên thực hiện."), "invalid_choice": gettext_lazy("Đảng viên này không thuộc chi bộ.")},
    )
    resolution_item = ItemChoice(queryset=ResolutionItem.objects.none(), required=False, label=gettext_lazy("Theo nghị quyết"), empty_label=gettext_lazy("— Không theo nghị quyết —"))
    petition = PetitionChoice(
        queryset=Petition.objects.none(), required=False, label=gettext_lazy("Kiến nghị của khu dân cư"), empty_label=gettext_lazy("— Không gắn với kiến nghị —"),
        error_messages={"invalid_choice": gettext_lazy("Chỉ liên kết với kiến nghị chưa khép lại của chính chi bộ.")},
    )

    class Meta:
        model = Task
        fields = ["title", "expected_result", "due_on", "petition", "area_matter", "resolution_item"]
        widgets = {"expected_result": forms.Textarea(attrs={"rows": 3}), "title": forms.TextInput()}
        error_messages = {
            "title": {"required": gettext_lazy("Hãy ghi nhiệm vụ.")},
            "expected_result": {"required": gettext_lazy("Hãy ghi kết quả cần đạt.")},
        }

    def __init__(self, *args: Any, cell_id: int, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = sel.assignable_members(cell_id=cell_id)
        if editing and self.instance.pk:  # members kept from before stay choosable
            members = Member.objects.filter(pk__in=members.values("pk")) | Member.objects.filter(task_rows__task=self.instance)
            members = members.distinct()
        self.fields["assignees"].queryset = members  # type: ignore[attr-defined]
        self.fields["area_matter"].help_text = _("Không bắt buộc: việc của khu dân cư mà nhiệm vụ này giải quyết.")
        petitions = Petition.objects.filter(org_id=cell_id).exclude(status__in=FINAL)
        if editing and self.instance.petition_id:  # the current link stays choosable once the petition is closed
            petitions = petitions | Petition.objects.filter(pk=self.instance.petition_id)
        self.fields["petition"].queryset = petitions.order_by("-raised_on", "-pk")  # type: ignore[attr-defined]
        if editing:
            del self.fields["resolution_item"]
        else:
            self.fields["resolution_item"].queryset = sel.adopted_items(cell_id=cell_id)  # type: ignore[attr-defined]


class ItemQueryForm(ChiboForm):
    """?item=<id>: the resolution item a new task comes from."""

    item = forms.IntegerField(required=False, min_value=1)


class ReportForm(ChiboForm):
    text = forms.CharField(
        label=gettext_lazy("Nội dung báo cáo"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Hãy ghi nội dung báo cáo.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Ảnh hoặc tệp kèm theo (không bắt buộc)"), required=False,
        # capture: a phone offers its camera first; PDF, Word, Excel files can still be chosen.
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,.pdf,.docx,.xlsx", "capture": "environment"}),
        error_messages={"empty": gettext_lazy("Tệp trống.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        limit = int(settings.CHIBO_MATERIAL_MAX_BYTES)
        if upload is not None and upload.size is not None and upload.size > limit:
            raise ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"})
        return upload


class CheckForm(ChiboForm):
    meeting = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả kiểm tra"), choices=CheckOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn kết quả kiểm tra."), "invalid_choice": gettext_lazy("Hãy chọn kết quả kiểm tra.")},
    )
    note = forms.CharField(label=gettext_lazy("Nhận xét"), required=False, max_length=TaskCheck._meta.get_field("note").max_length)


CLOSE_CHOICES = [(s.value, s.label) for s in (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.NOT_DONE)]


class CloseForm(ChiboForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Kết quả"), choices=CLOSE_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn kết quả."), "invalid_choice": gettext_lazy("Hãy chọn kết quả.")},
    )
    finished_on = VNDateField(label=gettext_lazy("Ngày hoàn thành"), required=False, help_text=gettext_lazy("Để trống: hôm nay. Không cần khi không hoàn thành."))
    note = forms.CharField(label=gettext_lazy("Nhận xét"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ReopenForm(ChiboForm):
    reason = forms.CharField(label=gettext_lazy("Lý do mở lại"), max_length=500, error_messages={"required": gettext_lazy("Hãy ghi lý do mở lại nhiệm vụ.")})


class FilterForm(ChiboForm):
    state = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"), required=False,
        choices=[("all", gettext_lazy("Tất cả")), ("open", gettext_lazy("Đang thực hiện")), ("overdue", gettext_lazy("Quá hạn")), ("closed", gettext_lazy("Đã kết thúc"))],
    )
    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, label=gettext_lazy("Đảng viên"), empty_label=gettext_lazy("Mọi đảng viên"))

    def __init__(self, *args: Any, cell_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assigned = Member.objects.filter(task_rows__task__cell_id=cell_id).values("pk")
        self.fields["member"].queryset = Member.objects.filter(pk__in=assigned)  # type: ignore[attr-defined]


__all__ = ["TaskReport"]


class CloseQueryForm(ChiboForm):
    """?meeting=<id>: the meeting the task is closed at."""

    meeting = forms.IntegerField(required=False, min_value=1)
