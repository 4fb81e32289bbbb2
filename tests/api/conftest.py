from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import World

PERSONAS = ["member", "secretary", "staff", "province", "admin", "outsider"]


@pytest.fixture
def api_for(world: World):
    """api_for("staff") → a DRF APIClient sending that persona's token (Authorization: Token <key>)."""

    def make(persona: str) -> APIClient:
        token, _created = Token.objects.get_or_create(user=world.users[persona])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
