"""What other apps may follow: a task closed or re-opened (sent inside the service's transaction, so
a receiver's writes commit or roll back with it). Receivers take ``task`` and ``actor``."""

from __future__ import annotations

from django.dispatch import Signal

status_changed = Signal()
