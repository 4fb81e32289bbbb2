from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chibo.core.access import Policy


class AccessPolicyMiddleware:
    """Attach the request's access policy (its grants are read once per request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.policy = Policy(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
