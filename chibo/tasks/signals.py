"""What other apps may follow, sent inside the service's transaction (a receiver's writes commit or
roll back with it). Receivers take ``task`` and ``actor``.

- ``status_changed``: a task closed or re-opened;
- ``edited``: a task's title, expected result, due date or assignees changed (``task_edit``).
"""

from __future__ import annotations

from django.dispatch import Signal

status_changed = Signal()
edited = Signal()
