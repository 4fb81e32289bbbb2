"""Server-side SVG bar charts of counts (like the meetings chart): grouped or stacked bars per period."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class Part:
    label: str  # the series' name
    css: str  # class of the bar: s0, s1, ...
    values: list[int]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


def _step(top: int) -> int:
    """A round grid step giving at most 5 lines up to ``top``."""
    if top <= 5:
        return 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return int(m * magnitude)
    return int(10 * magnitude)


def bar_chart(
    *, ident: str, title: str, labels: list[str], parts: list[Part], stacked: bool = False
) -> dict[str, Any]:
    """The geometry of a chart: one slot per label, in it the parts side by side (or stacked)."""
    width, height = 360, 230
    left, right, top, bottom = 34, 8, 12, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    slot = plot_w / max(len(labels), 1)
    if stacked:
        peak = max((sum(p.values[i] for p in parts) for i in range(len(labels))), default=0)
    else:
        peak = max((v for p in parts for v in p.values), default=0)
    step = _step(peak)
    scale_top = max(step, math.ceil(peak / step) * step)

    def y_of(value: float) -> float:
        return round(base - value / scale_top * plot_h, 1)

    bars: list[Bar] = []
    ticks: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        cx = left + slot * (i + 0.5)
        ticks.append({"x": round(cx, 1), "label": label})
        if stacked:
            bar_w = slot * 0.6
            acc = 0
            for p in parts:
                v = p.values[i]
                if v:
                    bars.append(
                        Bar(
                            x=round(cx - bar_w / 2, 1),
                            y=y_of(acc + v),
                            width=round(bar_w, 1),
                            height=round(y_of(acc) - y_of(acc + v), 1),
                            css=p.css,
                            title=f"{label}: {p.label} {v}",
                        )
                    )
                acc += v
        else:
            bar_w = slot * 0.8 / max(len(parts), 1)
            x0 = cx - bar_w * len(parts) / 2
            for j, p in enumerate(parts):
                v = p.values[i]
                bars.append(
                    Bar(
                        x=round(x0 + j * bar_w, 1),
                        y=y_of(v),
                        width=round(bar_w, 1),
                        height=round(base - y_of(v), 1),
                        css=p.css,
                        title=f"{label}: {p.label} {v}",
                    )
                )
    grid = [{"y": y_of(v), "label": str(v)} for v in range(0, scale_top + 1, step)]
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{p.label} {p.values[i]}" for p in parts)
        for i, label in enumerate(labels)
    )
    rows = [
        {"label": label, "values": [p.values[i] for p in parts]} for i, label in enumerate(labels)
    ]
    return {
        "id": ident, "title": title, "desc": desc, "width": width, "height": height, "left": left, "right": width - right,
        "base": base, "label_y": base + 10, "bars": bars, "grid": grid, "ticks": ticks, "parts": parts, "rows": rows,
    }  # fmt: skip
