"""Input fields with Vietnamese error messages.

DRF's Vietnamese catalogue translates only a few of its messages ("This field is required." stays in
English), so the input serializers build their fields here, with every message they can raise.
Validators take their messages when the field is built, so the messages are passed at construction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Database ids are 64-bit; a larger number in the input is refused before any query.
MAX_ID = 2**63 - 1


def _common() -> dict[str, Any]:
    return {
        "required": _("Trường này là bắt buộc."),
        "null": _("Trường này không được để trống (null)."),
    }


def _text_messages() -> dict[str, Any]:
    return {
        **_common(),
        "invalid": _("Giá trị phải là một chuỗi ký tự."),
        "blank": _("Trường này không được để trống."),
        "max_length": _("Không được dài quá {max_length} ký tự."),
        "min_length": _("Phải có ít nhất {min_length} ký tự."),
    }


def _localise_validators(field: serializers.Field) -> None:
    for validator in field.validators:
        if isinstance(validator, ProhibitNullCharactersValidator):
            validator.message = _("Không được chứa ký tự NUL.")
        elif isinstance(validator, ProhibitSurrogateCharactersValidator):
            validator.message = _("Có ký tự Unicode không hợp lệ.")


# Serializers deep-copy their fields by calling the class again with the same arguments, so the
# validators' messages are set in __init__ rather than on an instance.


class CharField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _localise_validators(self)


class EmailField(serializers.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _localise_validators(self)


def text(
    *, max_length: int, required: bool = False, allow_blank: bool = True, help_text: StrOrPromise = ""
) -> serializers.CharField:
    # A field that may not be blank says so in the schema: at least one character that is not a space
    # (the value is trimmed before it is checked, so "   " is blank too).
    not_blank = [] if allow_blank else [RegexValidator(r"\S", message=_("Trường này không được để trống."))]
    return CharField(
        max_length=max_length,
        required=required,
        allow_blank=allow_blank,
        help_text=help_text or None,
        error_messages=_text_messages(),
        validators=not_blank,
    )


def password(*, max_length: int = 4096) -> serializers.CharField:
    return CharField(
        max_length=max_length,
        min_length=1,
        trim_whitespace=False,
        style={"input_type": "password"},
        write_only=True,
        error_messages=_text_messages(),
    )


def email(*, max_length: int, required: bool = False) -> serializers.EmailField:
    return EmailField(
        max_length=max_length,
        required=required,
        allow_blank=True,
        error_messages={**_text_messages(), "invalid": _("Địa chỉ email không hợp lệ.")},
    )


def date(*, required: bool = False, allow_null: bool = False, help_text: StrOrPromise = "") -> serializers.DateField:
    return serializers.DateField(
        required=required,
        allow_null=allow_null,
        input_formats=["iso-8601"],
        help_text=help_text or None,
        error_messages={
            **_common(),
            "invalid": _("Ngày sai định dạng; hãy dùng YYYY-MM-DD."),
            "datetime": _("Cần một ngày (YYYY-MM-DD), không phải ngày giờ."),
        },
    )


def datetime_vn(*, help_text: StrOrPromise = "", **kwargs: Any) -> serializers.DateTimeField:
    """An output date-time in Vietnam time: ISO 8601 with the +07:00 offset, e.g. 2026-12-02T00:30:00+07:00."""
    from chibo.core.dates import zone

    note = _("Giờ Việt Nam (Asia/Ho_Chi_Minh), ISO 8601 có múi giờ +07:00.")
    text = format_lazy("{} {}", help_text, note) if help_text else note
    return serializers.DateTimeField(default_timezone=zone(), help_text=text, **kwargs)


def choice(
    *, choices: Any, required: bool = False, allow_blank: bool = False, help_text: StrOrPromise = ""
) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices,
        required=required,
        allow_blank=allow_blank,
        help_text=help_text or None,
        error_messages={**_common(), "invalid_choice": _("“{input}” không phải là lựa chọn hợp lệ.")},
    )


def object_id(*, required: bool = True, help_text: StrOrPromise = "") -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required,
        min_value=1,
        max_value=MAX_ID,
        help_text=help_text or None,
        error_messages={
            **_common(),
            "invalid": _("Cần một số hiệu (số nguyên dương)."),
            "max_string_length": _("Giá trị quá dài."),
            "min_value": _("Số hiệu phải từ {min_value} trở lên."),
            "max_value": _("Số hiệu không được lớn hơn {max_value}."),
        },
    )
