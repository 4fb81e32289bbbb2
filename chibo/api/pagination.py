from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (at most 200); the default size is REST_FRAMEWORK["PAGE_SIZE"]."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = cast(str, _("Trang {page_number} không hợp lệ."))
