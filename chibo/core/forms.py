"""The form conventions every page follows.

- Every form is a Django ``Form`` or ``ModelForm`` built on :class:`ChiboForm` / :class:`ChiboModelForm`:
  all errors at once, each under its field, in the interface language (Vietnamese by default).
- Dates are typed dd/mm/yyyy (:class:`VNDateField`, parsed by ``chibo.core.dates.parse_dmy``): a
  well-formed but impossible date ("31/02/1990") gets its own message, distinct from a wrong format.
- Text fields carry the model's ``max_length`` (ModelForm does it; plain forms say it), so a value
  longer than its column is a form error on SQLite and PostgreSQL alike.
- A service's refusal (:class:`~chibo.core.errors.ChiboError`) lands on the form with
  :func:`run_service`: under the field it names, or above the form.
- Templates render a form with ``{% include "chibo/_form.html" %}`` (or one field with
  ``"chibo/_field.html"``), so errors and labels look the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy

from chibo.core.dates import parse_dmy
from chibo.core.errors import ChiboError

T = TypeVar("T")

class VNDateInput(forms.DateInput):
    """A text box showing dd/mm/yyyy (a native date picker would show the phone's locale format)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "class": "date"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class VNDateField(forms.DateField):
    widget = VNDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_dmy(str(value))


class ChiboFormMixin:
    """Shared behaviour of chibo's forms: whitespace trimmed, text in Unicode NFC, service errors."""

    error_css_class = "has-error"
    required_css_class = "required"

    def add_service_error(self, exc: ChiboError) -> None:
        field = exc.field if exc.field and exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, exc.message)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:  # runs after field cleaning, before model validation
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned:
            for key, value in list(cleaned.items()):
                if isinstance(value, str):
                    cleaned[key] = unicodedata.normalize("NFC", value)
        super()._post_clean()  # type: ignore[misc]


class ChiboForm(ChiboFormMixin, forms.Form):
    pass


class ChiboModelForm(ChiboFormMixin, forms.ModelForm):
    pass


class PeriodForm(ChiboForm):
    """The period of a yearly page, from its query string (``?year=`` and, where the page has one,
    ``?as_of=dd/mm/yyyy``, the tree date): both optional; a bad value is an error under its field and
    the page shows this year (and today's tree) instead."""

    year = forms.IntegerField(
        label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
        error_messages={
            "invalid": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100)."),
            "min_value": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100)."),
            "max_value": gettext_lazy("Năm không hợp lệ (từ 2000 đến 2100)."),
        },
    )  # fmt: skip
    as_of = VNDateField(label=gettext_lazy("Theo cây tổ chức ngày (bỏ trống: cuối năm hoặc hôm nay)"), required=False)

    def value(self, name: str) -> Any:
        """The cleaned value of ``name``, or None when it is missing or bad."""
        if not self.is_valid() and self.has_error(name):
            return None
        return self.cleaned_data.get(name)


def model_max_length(model: Any, name: str) -> int:
    """The column length of ``model.name``, for plain form fields that mirror it."""
    return int(model._meta.get_field(name).max_length)


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service for a valid form; a ChiboError becomes the form's error and None is returned."""
    try:
        return call()
    except ChiboError as exc:
        if isinstance(form, ChiboFormMixin):
            form.add_service_error(exc)
        else:
            field = exc.field if exc.field and exc.field in form.fields else None
            form.add_error(field, exc.message)
        return None


def status_for(form: forms.BaseForm) -> int:
    """400 for a submitted form with errors (so tests and scripts see it), else 200."""
    return 400 if form.is_bound and form.errors else 200


