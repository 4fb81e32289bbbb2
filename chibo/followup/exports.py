"""The follow-up statistics as an .xlsx file: the node and its children, petitions by level, and the
charts' series (one sheet each)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from chibo.core.dates import fmt_date
from chibo.followup.selectors import Figures, NodeStats
from chibo.meetings.exports import XLSX
from chibo.petitions.models import Category, Status
from chibo.tasks.models import TaskStatus


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def figure_headers() -> list[str]:
    return [
        *(f"{_('Nhiệm vụ')}: {TaskStatus(s).label}" for s in TaskStatus.values),
        _("Nhiệm vụ quá hạn"),
        _("Tỷ lệ quá hạn trên số đang thực hiện (%)"),
        _("Kiến nghị đang mở"),
        _("Kiến nghị đã trả lời"),
        _("Kiến nghị quá hạn"),
        _("Kiến nghị đã chuyển lên vì quá hạn"),
        _("Tỷ lệ chuyển lên vì quá hạn (%)"),
        _("Trung vị ngày làm việc để trả lời"),
        *(f"{_('Kiến nghị')}: {Status(s).label}" for s in Status.values),
        *(f"{_('Lĩnh vực')}: {Category(c).label}" for c in Category.values),
        _("Đang mở đến 15 ngày làm việc"),
        _("Đang mở 16–30 ngày làm việc"),
        _("Đang mở trên 30 ngày làm việc"),
        _("Giao ban theo kế hoạch"),
        _("Giao ban đã tổ chức"),
        _("Kiểm tra, giám sát theo kế hoạch"),
        _("Kiểm tra, giám sát đã hoàn thành"),
    ]


def figure_values(fig: Figures) -> list[int | float | None]:
    return [
        *(fig.tasks[s] for s in TaskStatus.values),
        fig.tasks_overdue,
        _num(fig.overdue_share),
        fig.petitions_open,
        fig.petitions_answered,
        fig.petitions_overdue,
        fig.petitions_escalated,
        _num(fig.escalated_share),
        fig.median_days_to_answer,
        *(fig.petitions[s] for s in Status.values),
        *(fig.categories[c] for c in Category.values),
        fig.ages["le15"],
        fig.ages["le30"],
        fig.ages["gt30"],
        fig.briefings_planned,
        fig.briefings_held,
        fig.inspections_planned,
        fig.inspections_done,
    ]


def stats_xlsx(*, stats: NodeStats) -> bytes:
    """The file is Vietnamese (headers and labels), whatever the interface language."""
    with translation.override("vi"):
        return _stats_xlsx(stats=stats)


def _stats_xlsx(*, stats: NodeStats) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Thong ke"
    ws.append([_("Thống kê theo dõi thực hiện — %(name)s — năm %(year)s (cây tổ chức ngày %(on)s)") % {
        "name": stats.version.name, "year": stats.year, "on": fmt_date(stats.on)}])  # fmt: skip
    ws.append([_("Tổ chức"), *figure_headers()])
    ws.append([stats.version.name, *figure_values(stats.total)])
    for child in stats.children:
        ws.append([child.version.name, *figure_values(child.figures)])

    lv = wb.create_sheet("Kien nghi theo cap")
    lv.append(
        [
            _("Cấp"),
            _("Đã nhận"),
            _("Đã trả lời"),
            _("Trung vị ngày làm việc để trả lời"),
            _("Chuyển lên vì quá hạn"),
            _("Tỷ lệ chuyển lên vì quá hạn (%)"),
        ]
    )
    for level in stats.levels:
        lv.append(
            [
                level.label,
                level.held,
                level.answered,
                level.median_days_to_answer,
                level.escalated,
                _num(level.escalated_share),
            ]
        )

    s = stats.series
    ms = wb.create_sheet("Theo thang")
    ms.append([
        _("Tháng"), *(f"{_('Nhiệm vụ')}: {TaskStatus(st).label}" for st in TaskStatus.values), _("Kiến nghị nêu ra"), _("Kiến nghị được trả lời"),
        _("Kiểm tra, giám sát theo kế hoạch"), _("Kiểm tra, giám sát đã hoàn thành"),
    ])  # fmt: skip
    for m in range(12):
        ms.append(
            [
                f"{m + 1:02d}/{stats.year}",
                *(s.tasks[m][st] for st in TaskStatus.values),
                s.raised[m],
                s.answered[m],
                s.inspections_planned[m],
                s.inspections_done[m],
            ]
        )
    qs = wb.create_sheet("Giao ban theo quy")
    qs.append([_("Quý"), _("Giao ban theo kế hoạch"), _("Giao ban đã tổ chức")])
    for q in range(4):
        qs.append([f"{q + 1}/{stats.year}", s.briefings_planned[q], s.briefings_held[q]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stats_xlsx_response(*, stats: NodeStats) -> HttpResponse:
    response = HttpResponse(stats_xlsx(stats=stats), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-theo-doi-{stats.version.org_id}-{stats.year}.xlsx"'
    )
    return response
