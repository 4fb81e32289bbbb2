"""The dues report's chart: owed, collected and remitted per month of the year, in thousand VND
(server-side SVG through the follow-up statistics' bar chart geometry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from chibo.dues.selectors import Report
from chibo.followup.charts import Part, bar_chart


def months_chart(report: Report) -> dict[str, Any]:
    n = report.month
    labels = [f"{m:02d}/{report.year}" for m in range(1, n + 1)]
    parts = [
        Part(label=_("Phải thu"), css="s0", values=[v // 1000 for v in report.series["owed"][:n]]),
        Part(label=_("Đã thu"), css="s1", values=[v // 1000 for v in report.series["collected"][:n]]),
        Part(label=_("Đã nộp cấp trên"), css="s2", values=[v // 1000 for v in report.series["remitted"][:n]]),
    ]
    return bar_chart(ident="dues-months", title=_("Đảng phí theo tháng (nghìn đồng)"), labels=labels, parts=parts)
