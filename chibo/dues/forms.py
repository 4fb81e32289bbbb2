"""Forms of the dues pages: every POST (and the report's query string) is read through one of these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from chibo.core.dates import fmt_month
from chibo.core.forms import ChiboForm, VNDateField
from chibo.core.forms import model_max_length as _max
from chibo.dues.models import (
    Category,
    DuesRelief,
    PayMethod,
    Receipt,
    Region,
    ReliefKind,
    ReliefReason,
    Remittance,
)
from chibo.inspections.forms import MonthField


class VNDField(forms.IntegerField):
    """An amount in whole VND; "30.000", "30,000" and "30 000" are read as 30000."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10_000_000_000)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {
            "invalid": gettext_lazy("Số tiền phải là số đồng nguyên (ví dụ 30000)."),
            "min_value": gettext_lazy("Số tiền không được âm."),
            "max_value": gettext_lazy("Số tiền quá lớn."),
        })  # fmt: skip
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


def _month_key(month: dt.date) -> str:
    return month.isoformat()


class BasisForm(ChiboForm):
    category = forms.ChoiceField(label=gettext_lazy("Đối tượng"), choices=Category.choices,
                                 error_messages={"required": gettext_lazy("Hãy chọn đối tượng đóng đảng phí.")})
    base_vnd = VNDField(label=gettext_lazy("Tiền lương tháng trước hoặc lương hưu (đồng; bỏ trống với đối tượng khác)"), required=False)
    month_from = MonthField(label=gettext_lazy("Áp dụng từ tháng (mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập tháng.")})


class ReliefForm(ChiboForm):
    kind = forms.ChoiceField(label=gettext_lazy("Miễn hay giảm"), choices=ReliefKind.choices)
    reason = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=ReliefReason.choices)
    note = forms.CharField(label=gettext_lazy("Ghi rõ (đơn đề nghị, quyết định...)"), max_length=_max(DuesRelief, "note"),
                           error_messages={"required": gettext_lazy("Hãy ghi rõ lý do.")})
    percent = forms.TypedChoiceField(label=gettext_lazy("Mức giảm"), coerce=int, required=False, empty_value=None,
                                     choices=[("", "—"), (30, "30%"), (50, "50%"), (70, "70%")])
    month_from = MonthField(label=gettext_lazy("Từ tháng (mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập tháng.")})
    month_to = MonthField(label=gettext_lazy("Đến tháng (mm/yyyy; miễn: bỏ trống nếu không thời hạn)"), required=False)


class ReceiptForm(ChiboForm):
    months = forms.MultipleChoiceField(label=gettext_lazy("Các tháng nộp"), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": gettext_lazy("Hãy chọn ít nhất một tháng.")})
    paid_on = VNDateField(label=gettext_lazy("Ngày nộp (dd/mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập ngày nộp.")})
    amount_vnd = VNDField(label=gettext_lazy("Số tiền (đồng; bỏ trống: tổng các tháng đã chọn)"), required=False)
    method = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=PayMethod.choices, initial=PayMethod.CASH)
    portal_ref = forms.CharField(label=gettext_lazy("Mã giao dịch trên Cổng Dịch vụ công"), required=False, max_length=_max(Receipt, "portal_ref"))
    number = forms.IntegerField(label=gettext_lazy("Số biên lai (bỏ trống: số tiếp theo)"), required=False, min_value=1, max_value=999999,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                error_messages={"invalid": gettext_lazy("Số biên lai phải là số nguyên."),
                                                "min_value": gettext_lazy("Số biên lai phải từ 1 trở lên."),
                                                "max_value": gettext_lazy("Số biên lai quá lớn.")})

    def __init__(self, *args: Any, months: list[tuple[dt.date, int | None]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = []
        for month, amount in months:
            label = fmt_month(month) if amount is None else f"{fmt_month(month)} — {amount:,} đ".replace(",", ".")
            choices.append((_month_key(month), label))
        self.fields["months"].choices = choices  # type: ignore[attr-defined]

    def chosen_months(self) -> list[dt.date]:
        return [dt.date.fromisoformat(v) for v in self.cleaned_data.get("months", [])]


class RemittanceForm(ChiboForm):
    month = MonthField(label=gettext_lazy("Tháng thu (mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập tháng.")})
    to_org = forms.TypedChoiceField(label=gettext_lazy("Nộp lên"), coerce=int, choices=[])
    amount_vnd = VNDField(label=gettext_lazy("Số tiền nộp cấp trên (đồng)"), error_messages={
        "required": gettext_lazy("Hãy nhập số tiền."), "invalid": gettext_lazy("Số tiền phải là số đồng nguyên (ví dụ 30000)."),
        "min_value": gettext_lazy("Số tiền không được âm."), "max_value": gettext_lazy("Số tiền quá lớn.")})  # fmt: skip
    remitted_on = VNDateField(label=gettext_lazy("Ngày nộp (dd/mm/yyyy)"), error_messages={"required": gettext_lazy("Hãy nhập ngày nộp.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=_max(Remittance, "note"))

    def __init__(self, *args: Any, uppers: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["to_org"].choices = uppers  # type: ignore[attr-defined]


class RegionForm(ChiboForm):
    region = forms.ChoiceField(label=gettext_lazy("Vùng lương tối thiểu"), choices=Region.choices)


class ReportForm(ChiboForm):
    """The report's period from its query string; a bad value is an error and the default is shown."""

    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100)."),
                                              "min_value": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100)."),
                                              "max_value": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100).")})
    month = forms.IntegerField(label=gettext_lazy("Đến hết tháng"), required=False, min_value=1, max_value=12,
                               error_messages={"invalid": gettext_lazy("Tháng từ 1 đến 12."), "min_value": gettext_lazy("Tháng từ 1 đến 12."),
                                               "max_value": gettext_lazy("Tháng từ 1 đến 12.")})

    def period(self, today: dt.date) -> tuple[int, int]:
        """(year, last month): this year up to this month by default; a past year to December."""
        valid = self.is_valid()
        year = (self.cleaned_data.get("year") if valid or not self.has_error("year") else None) or today.year
        month = self.cleaned_data.get("month") if valid or not self.has_error("month") else None
        if month is None:
            month = today.month if year == today.year else 12
        return year, month
