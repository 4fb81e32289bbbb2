from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from chibo.api.errors import BadParameter

# A page number beyond this is refused as malformed rather than looked up.
MAX_PAGE = 10**9


def positive_int_param(request: Request, name: str, *, maximum: int) -> int | None:
    """The value of ``?name=`` as an integer from 1 to ``maximum``, None when absent; 400 otherwise.

    A parameter given empty (``?page=``) is an error, not "absent": the client sent something else
    than it meant.
    """
    if name not in request.query_params:
        return None
    raw = request.query_params[name].strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 1 <= int(raw) <= maximum:
        raise BadParameter(
            _("Tham số %(name)s phải là một số nguyên từ 1 đến %(maximum)d.") % {"name": name, "maximum": maximum},
            parameter=name,
        )
    return int(raw)


class ApiPagination(PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (1 to 200); the default size is REST_FRAMEWORK["PAGE_SIZE"].

    A malformed page or size (0, empty, not a number) is 400; a page beyond the last one is 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()
    invalid_page_message = cast(str, gettext_lazy("Trang {page_number} không hợp lệ."))

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return positive_int_param(request, self.page_query_param, maximum=MAX_PAGE) or 1

    def get_page_size(self, request: Request) -> int:
        size = positive_int_param(request, self.page_size_query_param, maximum=self.max_page_size)
        return size or cast(int, self.page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: MAX_PAGE, self.page_size_query_param: self.max_page_size}
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": bounds[parameter["name"]]}
        return parameters
