"""The OpenAPI schema: every operation documents the error answers it can give, in one shape.

Each view of :mod:`chibo.api.views` uses :class:`ErrorDocumentingSchema`, which adds to the responses a view
declares (its 200/201 and any error it describes in its own words) the statuses of
:mod:`chibo.api.errors` that apply to the operation, each with the ``Error`` component.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from chibo.api.serializers import ErrorSerializer

BODY_METHODS = {"POST", "PUT", "PATCH"}

DESCRIPTIONS = {
    400: _(
        "Yêu cầu sai dạng (code=invalid hoặc parse_error): một trường hay tham số sai kiểu, quá dài, "
        "thiếu, hoặc để trống; fields nêu từng trường với thông báo của nó."
    ),
    401: _("Chưa xác thực, hoặc khóa truy cập không hợp lệ (code=not_authenticated, authentication_failed)."),
    403: _("Bị từ chối (code=permission_denied), ví dụ thiếu mã CSRF khi dùng phiên đăng nhập."),
    404: _("Không có, hoặc ngoài phạm vi quyền của người dùng: hai trường hợp trả lời như nhau (code=not_found)."),
    406: _("Không có định dạng trả lời phù hợp với tiêu đề Accept (code=not_acceptable)."),
    415: _("Kiểu nội dung không được hỗ trợ (code=unsupported_media_type)."),
    422: _(
        "Dữ liệu đúng dạng nhưng trái quy định về đảng viên (code=refused), ví dụ số căn cước không khớp "
        "ngày sinh, trùng số căn cước; fields nêu trường liên quan."
    ),
    429: _("Quá nhiều yêu cầu (code=throttled); thử lại sau số giây ở tiêu đề Retry-After."),
}


class ErrorDocumentingSchema(AutoSchema):
    def _error_statuses(self) -> list[int]:
        statuses = [400, 406]
        public = all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        if not public:
            statuses += [401, 403, 404]
        if self.method in BODY_METHODS:
            statuses += [415, 422]
        if public:
            statuses.append(429)  # the login throttle
        return sorted(statuses)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            code = str(status)
            if code not in responses:
                error = OpenApiResponse(response=ErrorSerializer, description=str(DESCRIPTIONS[status]))
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
