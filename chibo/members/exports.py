"""Member lists as .xlsx files."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.text import slugify
from openpyxl import Workbook

from chibo.core.dates import fmt_date
from chibo.core.text import fold
from chibo.members.models import Member
from chibo.members.selectors import current_cell_names, with_current

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def members_xlsx(*, members: QuerySet[Member], title: str, on: dt.date) -> bytes:
    """The file format is Vietnamese (headers and labels), whatever the interface language."""
    with translation.override("vi"):
        return _members_xlsx(members=members, title=title, on=on)


def _members_xlsx(*, members: QuerySet[Member], title: str, on: dt.date) -> bytes:
    from chibo.members.imports import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dang vien")
    ws.append([f"{title} — {fmt_date(on)}"])
    header = ["STT"] + [c.header for c in COLUMNS] + ["Trạng thái"]
    ws.append(header)
    batch: list[Member] = []

    def flush(start: int) -> None:
        cells = current_cell_names(batch)
        for i, m in enumerate(batch, start=start):
            statuses = getattr(m, "current_statuses", [])
            status = statuses[0].get_status_display() if statuses else ""
            cell = cells.get(m.pk)
            ws.append([i] + [c.export(m, cell) for c in COLUMNS] + [status])

    n = 1
    for m in with_current(members).iterator(chunk_size=1000):
        batch.append(m)
        if len(batch) >= 1000:
            flush(n)
            n += len(batch)
            batch.clear()
    flush(n)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def members_xlsx_response(*, members: QuerySet[Member], title: str, on: dt.date) -> HttpResponse:
    response = HttpResponse(members_xlsx(members=members, title=title, on=on), content_type=XLSX)
    filename = slugify(fold(title)) or "dang-vien"
    response["Content-Disposition"] = f'attachment; filename="{filename}-{on:%Y%m%d}.xlsx"'
    return response

