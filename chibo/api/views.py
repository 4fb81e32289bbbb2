"""The JSON API, version 1. Thin views: the access policy decides, selectors read, services write.

Every read goes through :class:`chibo.core.access.Policy` (objects out of scope answer 404 exactly
like missing ones); every write goes through a service (one transaction with its audit rows).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status as http
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chibo.accounts import services as account_services
from chibo.api import serializers as s
from chibo.api.errors import BadParameter, error_response
from chibo.api.fields import MAX_ID
from chibo.api.pagination import ApiPagination
from chibo.api.schema import ErrorDocumentingSchema
from chibo.core.access import Action, Policy, policy_for, today
from chibo.members import selectors as member_selectors
from chibo.members import services as member_services
from chibo.members.models import Member, Status
from chibo.orgs import selectors as org_selectors
from chibo.orgs.models import OrgVersion

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    description="Ngày xem (YYYY-MM-DD); mặc định hôm nay. Để trống (as_of=) là lỗi 400.",
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An id in a query parameter: what the database can hold (a larger one is refused before any query).
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


class ApiView(APIView):
    """Every view of the API: JSON bodies only, errors in one shape (chibo.api.errors), documented on every operation.

    Form bodies are not taken: they cannot tell null from the text "null", and the schema would have to
    describe three encodings of every body.
    """

    parser_classes = [JSONParser]
    schema = ErrorDocumentingSchema()


# Helpers -----------------------------------------------------------------------------------


def _as_of(*, request: Request) -> dt.date:
    """``?as_of=YYYY-MM-DD``, today (Vietnam's date) when absent; given empty or malformed, 400."""
    if "as_of" not in request.query_params:
        return today()
    raw = request.query_params["as_of"].strip()
    if not raw:
        raise BadParameter(_("Tham số as_of để trống: hãy bỏ nó đi, hoặc ghi một ngày YYYY-MM-DD."), parameter="as_of")
    if not ISO_DATE.fullmatch(raw):
        raise BadParameter(
            _("Ngày %(value)s không đúng dạng YYYY-MM-DD (ví dụ 2025-07-01).") % {"value": raw[:40]}, parameter="as_of"
        )
    try:
        return dt.date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
    except ValueError:
        # The same message as the forms' date field, for a day that does not exist (2024-02-30).
        raise BadParameter(_("%(value)s không phải ngày có thật.") % {"value": raw}, parameter="as_of") from None


def _id_param(*, request: Request, name: str) -> int | None:
    """An id in ``?name=``, None when absent; given empty or not a positive 64-bit integer, 400."""
    if name not in request.query_params:
        return None
    raw = request.query_params[name].strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 0 < int(raw) <= MAX_ID:
        raise BadParameter(_("Tham số %(name)s phải là một số hiệu (số nguyên dương).") % {"name": name}, parameter=name)
    return int(raw)


def _status_param(*, request: Request) -> str:
    """``?status=``: one of the statuses, or absent (the active statuses); given empty or unknown, 400."""
    if "status" not in request.query_params:
        return ""
    value = request.query_params["status"].strip()
    if value not in Status.values:
        raise BadParameter(_("Trạng thái “%(value)s” không hợp lệ.") % {"value": value[:40]}, parameter="status")
    return value


def _search_text(*, request: Request) -> str:
    """The search words, without control characters (PostgreSQL refuses NUL), at most 100 characters."""
    raw = request.query_params.get("q", "")
    return "".join(ch for ch in raw if ch.isprintable()).strip()[:100]


def _path_id(*, value: int) -> int:
    """An id from the URL; one beyond the database's range is simply not there."""
    if value > MAX_ID:
        raise Http404
    return value


def _org_data(*, version: OrgVersion) -> dict[str, Any]:
    return dict(s.OrgSerializer(version).data)


def _members_data(*, members: list[Member], full: bool = False) -> Any:
    """Serialize members loaded with ``with_current`` (summaries, or full profiles); cells in one query."""
    cells = member_selectors.current_cell_names(members)
    serializer = s.MemberSerializer if full else s.MemberSummarySerializer
    return serializer(members, many=True, context={"cells": cells}).data


def _member_detail(*, member_id: int) -> dict[str, Any]:
    """The full profile of a member the caller has already been allowed to see."""
    member = member_selectors.with_current(Member.objects.filter(pk=member_id)).get()
    return dict(_members_data(members=[member], full=True)[0])


def _visible_org(*, policy: Policy, org_id: int, on: dt.date, action: Action = Action.VIEW_ORG) -> OrgVersion:
    version = policy.version_or_404(org_id, on=on, action=action)
    prefetch_related_objects([version], "org")
    return version


# Authentication ----------------------------------------------------------------------------


class TokenView(ApiView):
    """Exchange a user name and password for an API token; the login throttle applies."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenSerializer,
            401: OpenApiResponse(
                response=s.ErrorSerializer, description="Sai tên đăng nhập hoặc mật khẩu (code=authentication_failed)."
            ),
        },
        auth=[],
        tags=["auth"],
        summary="Lấy khóa truy cập (token) bằng tên đăng nhập và mật khẩu",
    )
    def post(self, request: Request) -> Response:
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username: str = serializer.validated_data["username"]
        if account_services.login_blocked(username=username):
            response = error_response(
                _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút."), status_code=http.HTTP_429_TOO_MANY_REQUESTS
            )
            response["Retry-After"] = str(settings.CHIBO_LOGIN_WINDOW_MINUTES * 60)
            return response
        user = authenticate(request._request, username=username, password=serializer.validated_data["password"])
        if user is None:
            account_services.login_failed(username=username, ip=request.META.get("REMOTE_ADDR"))
            return error_response(
                _("Tên đăng nhập hoặc mật khẩu không đúng."),
                status_code=http.HTTP_401_UNAUTHORIZED,
                code="authentication_failed",
            )
        account_services.login_succeeded(username=username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


# Organisations -----------------------------------------------------------------------------


class OrgListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("parent", ID_SCHEMA, OpenApiParameter.QUERY, description="Chỉ các tổ chức trực thuộc tổ chức này."),
        ],
        responses={200: s.OrgSerializer(many=True)},
        tags=["orgs"],
        summary="Các tổ chức người dùng được xem vào ngày as_of",
    )
    def get(self, request: Request) -> Response:
        """Organisations the user may see on ``as_of``, in tree order."""
        on = _as_of(request=request)
        parent = _id_param(request=request, name="parent")
        qs = policy_for(request).versions(on=on, action=Action.VIEW_ORG).select_related("org").order_by("path")
        if parent is not None:
            qs = qs.filter(parent_id=parent)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        assert page is not None
        return paginator.get_paginated_response(s.OrgSerializer(page, many=True).data)


class OrgDetailView(ApiView):
    @extend_schema(parameters=[AS_OF], responses={200: s.OrgDetailSerializer}, tags=["orgs"], summary="Một tổ chức, với số liệu của cả cây con")
    def get(self, request: Request, org_id: int) -> Response:
        """One organisation on ``as_of`` with the figures of its subtree."""
        on = _as_of(request=request)
        version = _visible_org(policy=policy_for(request), org_id=_path_id(value=org_id), on=on)
        stats = org_selectors.org_stats(version=version, on=on)
        return Response({**_org_data(version=version), "as_of": on, "stats": s.StatsSerializer(stats).data})


class OrgChildrenView(ApiView):
    @extend_schema(parameters=[AS_OF], responses={200: s.OrgChildrenSerializer}, tags=["orgs"], summary="Các tổ chức trực thuộc, mỗi tổ chức với số liệu của nó")
    def get(self, request: Request, org_id: int) -> Response:
        """The visible children of an organisation on ``as_of``, each with its counts."""
        on = _as_of(request=request)
        policy = policy_for(request)
        version = _visible_org(policy=policy, org_id=_path_id(value=org_id), on=on)
        total, nodes = org_selectors.children_with_counts(policy=policy, version=version, on=on)
        prefetch_related_objects([node.version for node in nodes], "org")  # the codes, in one query
        children = [
            {**_org_data(version=node.version), "counts": s.CountsSerializer(node.counts).data} for node in nodes
        ]
        return Response(
            {"as_of": on, "org": _org_data(version=version), "total": s.CountsSerializer(total).data, "children": children}
        )


# Members -----------------------------------------------------------------------------------


class MemberListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Tên (không phân biệt dấu), số căn cước, số thẻ đảng hoặc số điện thoại."),
            OpenApiParameter("org", ID_SCHEMA, OpenApiParameter.QUERY, description="Chỉ đảng viên sinh hoạt trong tổ chức này (cả cây con)."),
            OpenApiParameter("status", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=Status.values, description="Trạng thái hiện tại; mặc định các trạng thái đang sinh hoạt."),
        ],
        responses={200: s.MemberSummarySerializer(many=True)},
        tags=["members"],
        summary="Tìm đảng viên trong phạm vi quyền (không phân biệt dấu)",
    )
    def get(self, request: Request) -> Response:
        """Members the user may see, in Vietnamese name order."""
        policy = policy_for(request)
        org_id = _id_param(request=request, name="org")
        if org_id is not None:
            policy.version_or_404(org_id, on=today(), action=Action.VIEW_ORG)
        qs = member_selectors.member_search(
            policy=policy, query=_search_text(request=request), org_id=org_id, status=_status_param(request=request)
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(member_selectors.with_current(qs), request, view=self)
        assert page is not None
        return paginator.get_paginated_response(_members_data(members=list(page)))

    @extend_schema(
        request=s.MemberCreateSerializer,
        responses={201: s.MemberSerializer},
        tags=["members"],
        summary="Thêm đảng viên vào một chi bộ",
    )
    def post(self, request: Request) -> Response:
        """Add a member to a cell the user may edit."""
        serializer = s.MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org_id: int = data.pop("org")
        joined_on: dt.date | None = data.pop("joined_on", None)
        version = _visible_org(policy=policy_for(request), org_id=org_id, on=today(), action=Action.EDIT_MEMBER)
        member = member_services.member_create(actor=request.user, org=version.org, data=data, joined_on=joined_on)
        return Response(
            _member_detail(member_id=member.pk),
            status=http.HTTP_201_CREATED,
            headers={"Location": reverse("api:member-detail", args=[member.pk])},
        )


class MemberDetailView(ApiView):
    @extend_schema(responses={200: s.MemberSerializer}, tags=["members"], summary="Hồ sơ đảng viên")
    def get(self, request: Request, member_id: int) -> Response:
        """A member's full profile, with the current cell and status."""
        member = policy_for(request).member_or_404(_path_id(value=member_id), Action.VIEW_MEMBER)
        return Response(_member_detail(member_id=member.pk))

    @extend_schema(
        request=s.MemberProfileSerializer,
        responses={200: s.MemberSerializer},
        tags=["members"],
        summary="Sửa một số trường của hồ sơ đảng viên",
    )
    def patch(self, request: Request, member_id: int) -> Response:
        """Change some fields of a member's profile (the cell and the status have their own actions)."""
        member = policy_for(request).member_or_404(_path_id(value=member_id), Action.EDIT_MEMBER)
        serializer = s.MemberProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        member_services.member_update(actor=request.user, member=member, data=dict(serializer.validated_data))
        return Response(_member_detail(member_id=member.pk))


# Schema ------------------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema: JSON by default, YAML with ?format=yaml. For signed-in users only."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]
    permission_classes = [IsAuthenticated]
