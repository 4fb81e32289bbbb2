"""Meeting statistics as an .xlsx file: the node, its children (or a cell's meetings) and 12 months."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from chibo.core.dates import fmt_date, fmt_month
from chibo.meetings.selectors_stats import Figures, MonthPoint, NodeStats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def figure_headers() -> list[str]:
    return [
        _("Số chi bộ"),
        _("Chi bộ đã sinh hoạt thường kỳ"),
        _("Tỷ lệ chi bộ sinh hoạt (%)"),
        _("Lượt đảng viên phải dự"),
        _("Lượt có mặt"),
        _("Tỷ lệ đảng viên dự họp (%)"),
        _("Vắng có lý do"),
        _("Vắng không lý do"),
        _("Chi bộ sinh hoạt chuyên đề trong quý"),
        _("Tỷ lệ sinh hoạt chuyên đề quý (%)"),
        _("Chi bộ được phân công cấp trên dự"),
        _("Chi bộ có cấp trên dự"),
        _("Tỷ lệ có cấp trên dự (%)"),
        _("Buổi thông báo muộn"),
        _("Buổi có tài liệu bổ sung, sửa muộn"),
        _("Buổi dời sớm hơn sau khi thông báo"),
        _("Buổi dưới thời lượng tối thiểu"),
        _("Buổi đã đánh giá chất lượng"),
        _("Buổi đạt đủ 3 tiêu chí"),
        _("Tự đánh giá: Tốt"),
        _("Tự đánh giá: Khá"),
        _("Tự đánh giá: Trung bình"),
        _("Tự đánh giá: Kém"),
        _("Chưa tự đánh giá"),
    ]


def figure_values(fig: Figures) -> list[int | float | None]:
    return [
        fig.cells_expected,
        fig.cells_met,
        _num(fig.held_share),
        fig.expected,
        fig.present,
        _num(fig.attendance_rate),
        fig.absent_excused,
        fig.absent_without_reason,
        fig.cells_thematic,
        _num(fig.thematic_coverage),
        fig.cells_upper_assigned,
        fig.cells_upper_attended,
        _num(fig.upper_coverage),
        fig.published_late,
        fig.late_material,
        fig.late_move,
        fig.under_length,
        fig.quality_assessed,
        fig.quality_ok,
        *(fig.ratings.get(r, 0) for r in ("good", "fair", "average", "weak", "")),
    ]


def stats_xlsx(*, stats: NodeStats, points: list[MonthPoint]) -> bytes:
    """The file is Vietnamese (headers and labels), whatever the interface language."""
    with translation.override("vi"):
        return _stats_xlsx(stats=stats, points=points)


def _stats_xlsx(*, stats: NodeStats, points: list[MonthPoint]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Thong ke"
    ws.append([_("Thống kê sinh hoạt chi bộ — %(name)s — tháng %(month)s (cây tổ chức ngày %(on)s)") % {
        "name": stats.version.name, "month": fmt_month(stats.month), "on": fmt_date(stats.on)}])  # fmt: skip
    ws.append([_("Quý tính sinh hoạt chuyên đề: %(start)s – %(end)s") % {"start": fmt_month(stats.quarter[0]), "end": fmt_month(stats.quarter[1])}])
    ws.append([_("Tổ chức"), *figure_headers()])
    ws.append([stats.version.name, *figure_values(stats.total)])
    for child in stats.children:
        ws.append([child.version.name, *figure_values(child.figures)])

    if stats.meetings is not None:
        ms = wb.create_sheet("Buoi sinh hoat")
        ms.append([_("Ngày họp"), _("Loại"), _("Trạng thái"), _("Phải dự"), _("Có mặt"), _("Vắng có lý do"), _("Vắng không lý do"), _("Thông báo muộn"), _("Tài liệu muộn"), _("Dời sớm hơn sau khi thông báo"), _("Dưới thời lượng tối thiểu"), _("Đạt đủ 3 tiêu chí"), _("Tự đánh giá")])
        for m in stats.meetings:
            quality = getattr(m, "quality", None)
            ms.append([
                fmt_date(m.starts_at),  # text dd/mm/yyyy of the day in Vietnam
                m.get_kind_display(),
                m.get_status_display(),
                m.n_expected,  # type: ignore[attr-defined]
                m.n_present,  # type: ignore[attr-defined]
                m.n_excused,  # type: ignore[attr-defined]
                m.n_unexcused,  # type: ignore[attr-defined]
                _("Có") if m.published_late else _("Không"),
                _("Có") if m.late_material else _("Không"),
                _("Có") if m.late_move else _("Không"),
                _("Có") if m.under_length else _("Không"),
                "" if quality is None else (_("Có") if quality.attendance_ok and quality.no_unexcused and quality.no_repeat_excused else _("Không")),
                "" if quality is None else quality.get_secretary_rating_display() if quality.secretary_rating else "",
            ])  # fmt: skip

    ss = wb.create_sheet("12 thang")
    ss.append([_("Tháng"), _("Số chi bộ"), _("Chi bộ đã sinh hoạt thường kỳ"), _("Tỷ lệ chi bộ sinh hoạt (%)"), _("Lượt đảng viên phải dự"), _("Lượt có mặt"), _("Tỷ lệ đảng viên dự họp (%)")])
    for p in points:
        ss.append([fmt_month(p.month), p.cells_expected, p.cells_met, _num(p.held_share), p.expected, p.present, _num(p.attendance_rate)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stats_xlsx_response(*, stats: NodeStats, points: list[MonthPoint]) -> HttpResponse:
    response = HttpResponse(stats_xlsx(stats=stats, points=points), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="thong-ke-sinh-hoat-{stats.version.org_id}-{stats.month:%Y%m}.xlsx"'
    return response
