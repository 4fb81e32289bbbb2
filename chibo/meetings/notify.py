"""Notifications through pluggable channels.

A channel is anything with ``send(*, user, subject, body, email="", meeting=None, url="") -> bool``.
Channels are registered by name; ``settings.CHIBO_NOTIFY_CHANNELS`` (default ["inapp", "email"])
picks which ones run. SMS or a chat gateway can be added later with :func:`register`.

Recipients may be a user account, an email address, or both: a member without an account still
gets the email. External deliveries are jobs on the queue, enqueued when the transaction commits
(``transaction.on_commit``), so a rolled-back change sends nothing and a mail server that is down
delays the mail (retried with backoff) without breaking the page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from chibo.core.jobs import job
from chibo.meetings.models import Meeting, Notification

if TYPE_CHECKING:
    from chibo.accounts.models import User

log = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["inapp", "email"]


@dataclass(frozen=True)
class Recipient:
    user: User | None
    email: str = ""

    @property
    def key(self) -> tuple[Any, str]:
        return (getattr(self.user, "pk", None), self.email.lower())


class Channel(Protocol):
    def send(self, *, user: User | None, subject: str, body: str, email: str = "", meeting: Meeting | None = None, url: str = "") -> bool:
        """Deliver one message; True when something was (or will be, on commit) delivered."""
        ...


class InApp:
    def send(self, *, user: User | None, subject: str, body: str, email: str = "", meeting: Meeting | None = None, url: str = "") -> bool:
        if user is None:
            return False
        Notification.objects.create(user=user, meeting=meeting, url=url[:300], subject=subject[:300], body=body)
        return True


class Email:
    """E-mail goes out on the job queue (chibo.core.jobs), enqueued once the change commits, and is
    retried with backoff when the mail server fails; the in-app copy is written at once."""

    def send(self, *, user: User | None, subject: str, body: str, email: str = "", meeting: Meeting | None = None, url: str = "") -> bool:
        address = email or (getattr(user, "email", "") or "")
        if not address:
            return False
        # robust: a queue that cannot take the job is logged, the page still answers.
        transaction.on_commit(functools.partial(send_email.enqueue, subject=subject, body=body, to=[address]), robust=True)
        return True


@job
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """One e-mail, from DEFAULT_FROM_EMAIL; a failure raises, so the queue tries again later."""
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    try:
        return send_mail(subject, body, sender, to, fail_silently=False)
    except Exception as exc:
        log.warning("email to %s failed: %s", ", ".join(to), exc)
        raise


_REGISTRY: dict[str, Channel] = {"inapp": InApp(), "email": Email()}


def register(name: str, channel: Channel) -> None:
    _REGISTRY[name] = channel


def channels() -> list[Channel]:
    names = getattr(settings, "CHIBO_NOTIFY_CHANNELS", DEFAULT_CHANNELS)
    return [_REGISTRY[n] for n in names if n in _REGISTRY]


def notify(*, recipients: Iterable[Recipient], subject: str, body: str, meeting: Meeting | None = None, url: str = "") -> int:
    """Send to each distinct recipient through every configured channel; returns the deliveries made."""
    seen: set[tuple[Any, str]] = set()
    sent = 0
    active = channels()
    for r in recipients:
        if r.key in seen:
            continue
        seen.add(r.key)
        for channel in active:
            if channel.send(user=r.user, subject=subject, body=body, email=r.email, meeting=meeting, url=url):
                sent += 1
    return sent
