from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (at most 200); the default size is REST_FRAMEWORK["PAGE_SIZE"]."""

    page_size = settings.REST_FRAMEWORK.get("PAGE_SIZE", 50)
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("Trang {page_number} không hợp lệ.")
