"""Error answers of the API.

A :class:`~chibo.core.errors.ChiboError` from a service becomes 400 ``{"detail", "field"}``. DRF's own
errors keep their shape; the messages DRF's Vietnamese catalogue leaves in English are replaced here
(request-level errors) or by the field factories of :mod:`chibo.api.fields` (field-level errors).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from chibo.core.errors import ChiboError


def chibo_error_response(error: ChiboError) -> Response:
    return Response({"detail": error.message, "field": error.field}, status=status.HTTP_400_BAD_REQUEST)


def _vietnamese(exc: exceptions.APIException, *, method: str) -> str | None:
    """The Vietnamese message for a request-level error, or None to keep DRF's."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Chưa xác thực: hãy gửi khóa truy cập (Authorization: Token <khóa>) hoặc đăng nhập.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Khóa truy cập không hợp lệ, hoặc tài khoản đã bị khóa.")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF Failed"):
            return _("Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF.")
        return _("Bạn không có quyền thực hiện thao tác này.")
    if isinstance(exc, exceptions.NotFound):
        # Raised by the paginator with its own Vietnamese message; a bare Http404 is handled below.
        return None
    if isinstance(exc, exceptions.ParseError):
        return _("Dữ liệu gửi lên không phải JSON hợp lệ.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu nội dung không được hỗ trợ; hãy gửi JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không có định dạng trả lời phù hợp với tiêu đề Accept.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.") % {"method": method}
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu. Hãy thử lại sau ít phút.")
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ChiboError):
        return chibo_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        request = context.get("request")
        message = _vietnamese(exc, method=getattr(request, "method", "") or "")
        if message is not None:
            response.data = {"detail": message}
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        # Http404 from the access policy: out of scope and missing give the same answer.
        response.data = {"detail": _("Không tìm thấy.")}
    elif response.status_code == status.HTTP_403_FORBIDDEN:
        response.data = {"detail": _("Bạn không có quyền thực hiện thao tác này.")}
    return response
