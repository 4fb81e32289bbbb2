"""The dues report as an .xlsx file: the organisation and its children, then the months (Vietnamese,
whatever the interface language)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from chibo.core.dates import fmt_date
from chibo.dues.selectors import Figures, Report
from chibo.meetings.exports import XLSX


def headers() -> list[str]:
    return [
        _("Tổ chức"), _("Phải thu (đồng)"), _("Đã thu (đồng)"), _("Đảng viên còn nợ"), _("Số tiền còn nợ (đồng)"),
        _("Đã nộp cấp trên (đồng)"), _("Cấp này đã nhận (đồng)"),
    ]


def values(name: str, f: Figures) -> list[str | int]:
    return [name, f.owed, f.collected, f.arrears_members, f.arrears_vnd, f.remitted, f.received]


def report_xlsx(*, report: Report) -> bytes:
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Dang phi"
        ws.append([_("Đảng phí — %(name)s — tháng 01 đến %(m)02d/%(y)s (cây tổ chức ngày %(on)s)") % {
            "name": report.version.name, "m": report.month, "y": report.year, "on": fmt_date(report.on)}])  # fmt: skip
        ws.append(headers())
        ws.append(values(report.version.name, report.total))
        for child in report.children:
            ws.append(values(child.version.name, child.figures))
        ms = wb.create_sheet("Theo thang")
        ms.append([_("Tháng"), _("Phải thu (đồng)"), _("Đã thu (đồng)"), _("Đã nộp cấp trên (đồng)")])
        for m in range(report.month):
            ms.append([f"{m + 1:02d}/{report.year}", report.series["owed"][m], report.series["collected"][m], report.series["remitted"][m]])
        rs = wb.create_sheet("Da nhan")
        rs.append([_("Chi bộ"), _("Tháng"), _("Ngày nộp"), _("Số tiền (đồng)")])
        for r in report.received:
            rs.append([report.names.get(r.cell_id, str(r.cell_id)), f"{r.month:%m/%Y}", fmt_date(r.remitted_on), r.amount_vnd])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def report_xlsx_response(*, report: Report) -> HttpResponse:
    response = HttpResponse(report_xlsx(report=report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dang-phi-{report.version.org_id}-{report.year}-{report.month:02d}.xlsx"'
    return response
