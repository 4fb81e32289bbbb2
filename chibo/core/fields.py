from __future__ import annotations

from typing import Any

from django.db import models


class VietnameseCharField(models.CharField):
    """A CharField that sorts in Vietnamese order: ``vi-x-icu`` on PostgreSQL, ``vi`` on SQLite."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        params["collation"] = "vi-x-icu" if connection.vendor == "postgresql" else "vi"
        return params
