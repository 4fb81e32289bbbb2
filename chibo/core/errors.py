from __future__ import annotations


class ChiboError(Exception):
    """A refusal the user can act on; the message is shown as is (Vietnamese by default)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
