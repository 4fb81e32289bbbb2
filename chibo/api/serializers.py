"""Shapes of the API: read-only output serializers and input serializers that only check types.

The rules of party data (citizen ID, dates, duplicates, cells) live in the services; the input
serializers check what the database would otherwise refuse with a 500 (types, lengths, NUL bytes).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict

from chibo.api import fields
from chibo.members.models import Member, Sex, TheoryLevel
from chibo.orgs.models import OrgKind, Sector


def _max(name: str) -> int:
    field = Member._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


class InputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": _("Dữ liệu không hợp lệ: cần một đối tượng JSON, không phải {datatype}.")}

    @property
    def errors(self) -> ReturnDict:
        errors = super().errors
        key = api_settings.NON_FIELD_ERRORS_KEY
        if list(errors) == [key] and [getattr(e, "code", None) for e in errors[key]] == ["null"]:
            # DRF's "No data provided", for an empty or null body.
            return ReturnDict({key: [ErrorDetail(str(_("Không có dữ liệu gửi lên.")), code="null")]}, serializer=self)
        return errors


# Errors ------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error of the API (chibo.api.errors): one sentence, a code, and the fields concerned."""

    detail = serializers.CharField(help_text=_("Thông báo, theo ngôn ngữ của yêu cầu (mặc định tiếng Việt)."))
    code = serializers.CharField(
        help_text=_(
            "Mã lỗi ổn định: invalid, parse_error, not_authenticated, authentication_failed, permission_denied, "
            "not_found, method_not_allowed, not_acceptable, unsupported_media_type, refused, throttled, server_error."
        )
    )
    # Declared fields are taken off the class, so this does not shadow Serializer.fields at run time.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Lỗi của từng trường hay tham số: {tên: [thông báo]}; rỗng khi lỗi không thuộc trường nào."),
    )


# Authentication ----------------------------------------------------------------------------


class TokenRequestSerializer(InputSerializer):
    username = fields.text(max_length=150, required=True, allow_blank=False)
    password = fields.password()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Gửi ở tiêu đề: Authorization: Token <khóa>."))


# Organisations -----------------------------------------------------------------------------


class OrgSerializer(serializers.Serializer):
    """One organisation as it was on the requested date (one version of it)."""

    id = serializers.IntegerField(source="org_id")
    code = serializers.CharField(source="org.code")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    admin_unit = serializers.CharField()
    area_kind = serializers.CharField()
    area_name = serializers.CharField()
    # Declared fields are taken off the class, so this does not shadow Field.parent at run time.
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    depth = serializers.IntegerField()
    valid_from = serializers.DateField()


class CountsSerializer(serializers.Serializer):
    cells = serializers.IntegerField()
    members = serializers.IntegerField(help_text=_("Đảng viên đang sinh hoạt (đảng số)."))
    by_status = serializers.DictField(child=serializers.IntegerField())


class OrgChildSerializer(OrgSerializer):
    counts = CountsSerializer()


class StatsSerializer(serializers.Serializer):
    """The figures of ``chibo stats`` for the organisation's subtree (chibo.orgs.selectors.org_stats)."""

    directly_subordinate_committees = serializers.IntegerField()
    grassroots_organisations = serializers.IntegerField()
    grassroots_committees = serializers.IntegerField()
    grassroots_cells = serializers.IntegerField()
    partial_committees = serializers.IntegerField()
    cells = serializers.IntegerField()
    residential_cells = serializers.IntegerField()
    commune_committees = serializers.IntegerField()
    members = serializers.IntegerField()
    members_by_status = serializers.DictField(child=serializers.IntegerField())
    cells_below_official_minimum = serializers.IntegerField(
        help_text="Cells under the organisation with fewer official members than a cell needs (CHIBO_CELL_MIN_OFFICIAL, default 3; Charter Art. 21, 24)."
    )
    secretaries_also_village_heads = serializers.IntegerField(
        help_text="Secretaries of residential cells who head (village head or Front work committee head) the very area their cell serves."
    )


class OrgDetailSerializer(OrgSerializer):
    as_of = serializers.DateField()
    stats = StatsSerializer()


class OrgChildrenSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    org = OrgSerializer()
    total = CountsSerializer()
    children = OrgChildSerializer(many=True)


# Members -----------------------------------------------------------------------------------


class CellRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberSummarySerializer(serializers.Serializer):
    """A member in a list. Needs ``selectors.with_current`` and ``context["cells"]`` (current_cell_names)."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()
    surname = serializers.CharField()
    middle_name = serializers.CharField()
    given_name = serializers.CharField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField()
    admitted_on = serializers.DateField()
    official_on = serializers.DateField(allow_null=True)
    party_card_number = serializers.CharField()
    status = serializers.SerializerMethodField()
    cell = serializers.SerializerMethodField()

    def get_status(self, member: Member) -> str | None:
        statuses = getattr(member, "current_statuses", None)
        return statuses[0].status if statuses else None

    @extend_schema_field(CellRefSerializer(allow_null=True))
    def get_cell(self, member: Member) -> dict[str, Any] | None:
        version = self.context.get("cells", {}).get(member.pk)
        return {"id": version.org_id, "name": version.name} if version is not None else None


class MemberSerializer(MemberSummarySerializer):
    """The full profile."""

    citizen_id = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    ethnicity = serializers.CharField()
    religion = serializers.CharField()
    hometown = serializers.CharField()
    education = serializers.CharField()
    theory_level = serializers.CharField()
    occupation = serializers.CharField()
    created_at = fields.datetime_vn(help_text=_("Lúc tạo hồ sơ."))
    updated_at = fields.datetime_vn(help_text=_("Lúc sửa gần nhất."))


class MemberProfileSerializer(InputSerializer):
    """A profile to write; PATCH uses it partially. The services check the content."""

    surname = fields.text(max_length=_max("surname"), required=True, allow_blank=False)
    middle_name = fields.text(max_length=_max("middle_name"))
    given_name = fields.text(max_length=_max("given_name"), required=True, allow_blank=False)
    date_of_birth = fields.date(required=True, help_text="YYYY-MM-DD")
    sex = fields.choice(choices=Sex.choices, required=True)
    citizen_id = fields.text(max_length=_max("citizen_id"), required=True, allow_blank=False, help_text=_("Số căn cước, 12 chữ số."))
    admitted_on = fields.date(required=True, help_text="YYYY-MM-DD")
    official_on = fields.date(allow_null=True, help_text="YYYY-MM-DD")
    party_card_number = fields.text(max_length=_max("party_card_number"))
    phone = fields.text(max_length=_max("phone"))
    email = fields.email(max_length=_max("email"))
    ethnicity = fields.text(max_length=_max("ethnicity"))
    religion = fields.text(max_length=_max("religion"))
    hometown = fields.text(max_length=_max("hometown"))
    education = fields.text(max_length=_max("education"))
    theory_level = fields.choice(choices=TheoryLevel.choices, allow_blank=True)
    occupation = fields.text(max_length=_max("occupation"))


class MemberCreateSerializer(MemberProfileSerializer):
    org = fields.object_id(help_text=_("Số hiệu chi bộ (id của tổ chức) nơi đảng viên sinh hoạt."))
    joined_on = fields.date(
        help_text=_("Ngày chi bộ nhận hồ sơ (YYYY-MM-DD); mặc định là ngày vào Đảng."),
    )
