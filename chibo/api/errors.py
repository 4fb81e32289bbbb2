"""Error answers of the API: one shape for every error.

Every error the API gives, whatever raised it, is a JSON object::

    {"detail": "<one sentence, in the request's language (Vietnamese by default)>",
     "code": "<a stable machine-readable code, see CODES>",
     "fields": {"<field or query parameter>": ["<message>", ...]}}

``fields`` is always there (empty when the error is not about a field). The statuses:

- 400 ``invalid``: the request is malformed: a body field of the wrong type, too long or missing, or a
  query parameter that is not what the schema says (``as_of=``, ``page=0``); ``parse_error`` for a body
  that is not JSON;
- 401 ``not_authenticated`` / ``authentication_failed``; 403 ``permission_denied`` (a CSRF failure
  with session authentication);
- 404 ``not_found``: missing and out of scope answer alike;
- 405 ``method_not_allowed``, 406 ``not_acceptable``, 415 ``unsupported_media_type``;
- 422 ``refused``: a well-formed request that a rule of party data refuses (a service's
  :class:`~chibo.core.errors.ChiboError`: an impossible citizen ID, a duplicate, an age at admission);
- 429 ``throttled``: too many attempts;
- 500 ``server_error`` (from :func:`chibo.core.views.server_error`).

The schema (drf-spectacular) documents this shape on every operation through
:class:`chibo.api.schema.ErrorDocumentingSchema`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from chibo.core.errors import ChiboError

# status → the code given when the exception carries none of ours
CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    422: "refused",
    429: "throttled",
    500: "server_error",
}


class BadParameter(exceptions.APIException):
    """A query parameter that is not what the schema says: 400 with the parameter named in ``fields``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str, *, parameter: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def error_body(detail: str, *, code: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "fields": fields or {}}


def error_response(
    detail: str, *, status_code: int, code: str | None = None, fields: dict[str, list[str]] | None = None
) -> Response:
    return Response(error_body(detail, code=code or CODES[status_code], fields=fields), status=status_code)


def chibo_error_response(error: ChiboError) -> Response:
    """A service's refusal: 422, with the field it names (if any)."""
    fields = {error.field: [error.message]} if error.field else None
    return error_response(error.message, status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, fields=fields)


def _messages(value: Any) -> list[str]:
    """The messages of one field's errors, flattened (a nested serializer's dict gives its leaves)."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _validation_body(detail: Any) -> dict[str, Any]:
    key = api_settings.NON_FIELD_ERRORS_KEY
    if not isinstance(detail, dict):
        messages = _messages(detail)
        return error_body(" ".join(messages) or _("Dữ liệu gửi lên không hợp lệ."), code="invalid")
    general = _messages(detail.get(key, []))
    fields = {str(name): _messages(value) for name, value in detail.items() if name != key}
    if general:
        message = " ".join(general)
    elif len(fields) == 1:
        message = _("Dữ liệu gửi lên chưa hợp lệ ở trường %(field)s.") % {"field": next(iter(fields))}
    else:
        message = _("Dữ liệu gửi lên chưa hợp lệ ở %(count)d trường: %(fields)s.") % {
            "count": len(fields),
            "fields": ", ".join(fields),
        }
    return error_body(message, code="invalid", fields=fields)


def _vietnamese(exc: exceptions.APIException, *, method: str) -> str | None:
    """The Vietnamese message for a request-level error, or None to keep the exception's own."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Chưa xác thực: hãy gửi khóa truy cập (Authorization: Token <khóa>) hoặc đăng nhập.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Khóa truy cập không hợp lệ, hoặc tài khoản đã bị khóa.")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF Failed"):
            return _("Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF.")
        return _("Bạn không có quyền thực hiện thao tác này.")
    if isinstance(exc, exceptions.NotFound):
        # The paginator raises it with its own Vietnamese message ("Trang 99 không hợp lệ.").
        return None if str(exc.detail) != str(exceptions.NotFound.default_detail) else _("Không tìm thấy.")
    if isinstance(exc, exceptions.ParseError):
        return _("Dữ liệu gửi lên không phải JSON hợp lệ.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu nội dung không được hỗ trợ; hãy gửi JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không có định dạng trả lời phù hợp với tiêu đề Accept.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.") % {"method": method[:20]}
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu. Hãy thử lại sau ít phút.")
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ChiboError):
        return chibo_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handler answers (JSON under /api/)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, BadParameter):
        response.data = error_body(str(exc.detail), code="invalid", fields={exc.parameter: [str(exc.detail)]})
    elif isinstance(exc, Http404) or response.status_code == status.HTTP_404_NOT_FOUND and not isinstance(
        exc, exceptions.NotFound
    ):
        # Http404 from the access policy: out of scope and missing give the same answer.
        response.data = error_body(_("Không tìm thấy."), code="not_found")
    elif isinstance(exc, exceptions.APIException):
        request = context.get("request")
        message = _vietnamese(exc, method=getattr(request, "method", "") or "")
        code = CODES.get(response.status_code) or str(exc.default_code)
        if isinstance(exc, exceptions.AuthenticationFailed):
            code = "authentication_failed"
        elif isinstance(exc, exceptions.ParseError):
            code = "parse_error"
        response.data = error_body(message if message is not None else str(exc.detail), code=code)
    else:  # Django's PermissionDenied
        response.data = error_body(_("Bạn không có quyền thực hiện thao tác này."), code="permission_denied")
    return response
