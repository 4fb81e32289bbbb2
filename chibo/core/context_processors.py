from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def chibo(request: HttpRequest) -> dict[str, Any]:
    policy = getattr(request, "policy", None)
    return {"policy": policy, "roles": policy.roles() if policy else set()}
