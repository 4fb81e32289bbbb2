"""Petitions for tests, raised and moved through the real services."""

from __future__ import annotations

from typing import Any

from chibo.petitions import services
from chibo.petitions.models import Petition, RaisedVia
from tests.factories import World


def raise_petition(world: World, **extra: Any) -> Petition:
    data: dict[str, Any] = {
        "actor": world.users["member"], "cell": world.cell, "raised_via": RaisedVia.APP, "raised_by": world.member,
        "category": "infrastructure", "title": "Sửa cầu tràn thôn Trung Sơn", "text": "Cầu tràn bị sạt, mùa mưa không đi lại được.",
        "resident_name": "Lê Văn Dân", "resident_phone": "0912345678", "resident_address": "Xóm 3, thôn Trung Sơn",
    }
    data.update(extra)
    return services.petition_raise(**data)


def at_commune(world: World, **extra: Any) -> Petition:
    petition = raise_petition(world, **extra)
    return services.petition_send(actor=world.users["secretary"], petition=petition, to_org_id=world.commune.pk)
