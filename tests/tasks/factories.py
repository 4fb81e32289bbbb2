"""Task builders for tests, through the services (so every row is as the app writes it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from chibo.core.dates import today
from chibo.meetings.models import Meeting, ResolutionItem
from chibo.tasks import services
from chibo.tasks.models import Task, TaskReport

if TYPE_CHECKING:
    from tests.factories import World

PDF = b"%PDF-1.4\n%%EOF\n"


def make_task(world: World, *, title: str = "Vận động bà con thu hoạch lúa", due_in: int = 10, assignees: list[Any] | None = None, **extra: Any) -> Task:
    return services.task_create(
        actor=world.users["secretary"], cell=world.cell, title=title, expected_result="Thu hoạch xong 100% diện tích",
        due_on=today() + dt.timedelta(days=due_in), assignees=assignees or [world.member], **extra,
    )


def task_scene(world: World, meeting: Meeting) -> tuple[Task, TaskReport]:
    """A task of the cell from the approved meeting's resolution, given to the member, with one report and its file."""
    item = ResolutionItem.objects.filter(resolution__meeting=meeting).first()
    task = make_task(world, resolution_item=item)
    report = services.report_add(actor=world.users["member"], task=task, text="Đã vận động 10 hộ", data=PDF, name="anh.pdf")
    return task, report
