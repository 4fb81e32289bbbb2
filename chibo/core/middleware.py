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


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch (its cookie).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: many offices run
    English-language browsers, and chibo is Vietnamese first. API clients may still ask for a
    language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
