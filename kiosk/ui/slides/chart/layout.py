"""The plot charts' layout (bar, hbar, line), measured in view pixels before pyqtgraph draws.

pyqtgraph is told the exact axis sizes and ranges measured here, so the bars' places are known
without asking pyqtgraph (hit targets work before the widget has ever been shown). The whole
chart shares one scale (400 with the axis title "billion yuan" in English, 4000 with "亿元").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from kiosk.content.format import decimals_for
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.text import block_size, fit_lines, line_box_height
from kiosk.ui.fonts import ui_font
from kiosk.ui.slides.chart.base import ChartView
from kiosk.ui.slides.chart.scale import Scale, chart_scale, nice_step, value_ticks


@dataclass
class PlotLayout:
    """Where a bar, hbar or line chart's parts lie in the view, and the plot's data ranges."""

    widget: QRectF
    margins: tuple[int, int, int, int]
    axis_left: int
    axis_bottom: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    scale: Scale
    ticks: list[tuple[float, str]]
    categories: list[str]
    tick_font: QFont
    category_font: QFont
    value_font: QFont
    value_labels: bool
    text_offset: int
    bar_width: float
    unit_rect: QRectF | None
    legend: list[tuple[QRectF, QRectF, int]]
    legend_font: QFont
    note_rect: QRectF | None
    note_font: QFont | None
    label_gap: float

    @property
    def plot(self) -> QRectF:
        """The ViewBox: the data area, in view coordinates."""
        left, top, right, bottom = self.margins
        w = self.widget
        return QRectF(
            w.left() + left + self.axis_left,
            w.top() + top,
            w.width() - left - right - self.axis_left,
            w.height() - top - bottom - self.axis_bottom,
        )


def measure_plot(view: ChartView[Any], grid: Grid) -> PlotLayout:
    """Where a bar, hbar or line chart's parts go at `grid`, and the plot's data ranges."""
    kind = view.chart.kind
    px = grid.px
    type_ = view.theme.type
    lang = view.lang
    n = view.count
    flat = [v for series in view.values for v in series]
    scale = chart_scale(view.chart, view.metrics, flat, lang)
    top_value = max(max(flat, default=0.0), 0.0) / scale.divisor
    low_value = min(min(flat, default=0.0), 0.0) / scale.divisor

    content = view.content_rect(grid)
    if kind == "hbar":
        # Every bar within a seated visitor's reach (columns rise to it), while bars keep room.
        reach = view.reach_rect(grid, content)
        if reach.height() / max(1, n) >= px(140):
            content = reach
    rest, note_rect, note_font = view.note_block(grid, content)

    tick_font = ui_font(px(type_.label))
    tick_metrics = QFontMetricsF(tick_font)
    tick_h = line_box_height("0", tick_font)
    legend_font = ui_font(px(type_.label))
    unit_font = ui_font(px(type_.label))
    offset = round(px(14))

    # Rows above the plot: unit title (bars and lines) and legend.
    unit_rect: QRectF | None = None
    header_h = 0.0
    unit_w = QFontMetricsF(unit_font).horizontalAdvance(scale.title) if scale.title else 0.0
    legend_space = QRectF(rest)
    if kind != "hbar" and scale.title:
        header_h = line_box_height(scale.title, unit_font)
        unit_rect = QRectF(rest.left(), rest.top(), unit_w + 4, header_h)
        legend_space = QRectF(
            rest.left() + unit_w + px(48), rest.top(), rest.width() - unit_w - px(48), 0
        )
    legend, legend_h = legend_entries(view, grid, legend_space, legend_font, right=True)
    if legend and legend_space.left() > rest.left():
        rows_used = len({round(text.top()) for _, text, _ in legend})
        if rows_used > 1:  # too long beside the unit: its own rows under the unit title
            below = QRectF(rest.left(), rest.top() + header_h + px(8), rest.width(), 0)
            legend, legend_h = legend_entries(view, grid, below, legend_font, right=False)
            legend_h += header_h + px(8)
    header_h = max(header_h, legend_h)
    plot_top = rest.top() + (header_h + px(20) if header_h else 0.0)
    plot_bottom = rest.bottom()
    if kind == "hbar" and scale.title:
        unit_h = line_box_height(scale.title, unit_font)
        plot_bottom -= unit_h + px(6)
    widget = QRectF(rest.left(), plot_top, rest.width(), plot_bottom - plot_top).toRect()
    widget_r = QRectF(widget)

    # Value ticks: a round step from the largest value, writing the chart's scale.
    step = nice_step(max(top_value - low_value, 1e-9))
    tick_places = decimals_for(step)

    def tick_label(v: float) -> str:
        return scale.number(v * scale.divisor, tick_places)

    first = math.floor(low_value / step + 1e-9) * step
    candidates = [first + k * step for k in range(int((top_value - first) / step) + 3)]
    tick_w = max(tick_metrics.horizontalAdvance(tick_label(v)) for v in candidates)

    value_font = ui_font(px(type_.body), bold=True)
    labels = [view.t(view.category_label(i)) for i in range(n)]
    texts = [
        [scale.value_text(v, metric=view.metric_of(s, c)) for c, v in enumerate(row)]
        for s, row in enumerate(view.values)
    ]
    value_labels = True
    bar_width = 0.0
    s_count = len(view.values)
    if kind == "hbar":
        natural = max(QFontMetricsF(ui_font(px(type_.body))).horizontalAdvance(t) for t in labels)
        column = min(
            max(natural + offset + 2, px(200)),
            widget_r.width() * (0.42 if grid.portrait else 0.34),
        )
        axis_left = round(column)
        axis_bottom = round(tick_h + offset)
        margins = (0, round(px(8)), round(tick_w / 2 + px(4)), 0)
        plot_h = widget_r.height() - axis_bottom - margins[1]
        slot = plot_h / n
        category_font, wrapped = fit_lines(
            labels, axis_left - offset - 2, slot * 0.92, px(type_.body), px(type_.caption)
        )
        group_px = min(slot * 0.6, px(150))
        bar_px = group_px / s_count
        bar_width = bar_px / slot
        # A label sits beside its bar; bars of one group lie `bar_px` apart.
        room = bar_px * 1.1 if s_count > 1 else max(bar_px * 1.1, slot * 0.5)
        plot_w = widget_r.width() - axis_left - margins[2]
        # A label beside the longest bar takes at most the part of the plot the bars leave
        # (a tier's words at the larger text size are wider than a narrow portrait plot).
        value_font = fit_value_font(view, grid, texts, plot_w * 0.7 - px(20), room)
        value_labels = line_box_height("0", value_font) <= room + 0.5
        value_w = max(QFontMetricsF(value_font).horizontalAdvance(t) for row in texts for t in row)
        need = value_w + px(14) + px(6) if value_labels else px(6)
        top = top_value * plot_w / max(plot_w - need, plot_w * 0.3)
        x_range = (low_value, max(top, 1e-9))
        y_range = (-0.5, n - 0.5)
        ticks = value_ticks(low_value, x_range[1], step, tick_label)
    else:
        axis_left = round(tick_w + offset + px(2))
        margins = (0, round(tick_h * 0.6), round(px(4)), 0)
        plot_w = widget_r.width() - axis_left - margins[2]
        slot = plot_w / n
        max_label_h = widget_r.height() * 0.3
        category_font, wrapped = fit_lines(
            labels, slot * 0.92, max_label_h, px(type_.label), px(type_.caption) * 0.9
        )
        label_h = max(block_size(lines, category_font)[1] for lines in wrapped)
        axis_bottom = round(label_h + offset + px(4))
        plot_h = widget_r.height() - axis_bottom - margins[1]
        if kind == "bar":
            group_px = min(slot * 0.74, px(132) * s_count)
            bar_px = group_px / s_count
            bar_width = bar_px / slot
            value_font = fit_value_font(view, grid, texts, bar_px * 1.04, 1e9)
            value_labels = value_font.pixelSize() >= px(15)
        else:
            value_font = ui_font(px(type_.label), bold=True)
        value_h = line_box_height("0", value_font)
        need = value_h + px(12) if value_labels else px(4)
        if kind == "line":
            need += px(12)  # the marker's radius
        top = top_value * plot_h / max(plot_h - need, plot_h * 0.3)
        y_range = (low_value, max(top, 1e-9))
        x_range = (-0.5, n - 0.5)
        ticks = value_ticks(low_value, y_range[1], step, tick_label)

    if scale.tier:
        # Tiers are orders of size, not measurements: no value axis, no gridlines.
        ticks = []
        if kind == "hbar":
            axis_bottom = round(px(8))
        else:
            axis_left = round(px(8))

    return PlotLayout(
        widget=widget_r,
        margins=margins,
        axis_left=axis_left,
        axis_bottom=axis_bottom,
        x_range=x_range,
        y_range=y_range,
        scale=scale,
        ticks=ticks,
        categories=["\n".join(lines) for lines in wrapped],
        tick_font=tick_font,
        category_font=category_font,
        value_font=value_font,
        value_labels=value_labels,
        text_offset=offset,
        bar_width=bar_width,
        unit_rect=(
            unit_rect
            if kind != "hbar" or not scale.title
            else QRectF(
                widget_r.left(),
                widget_r.bottom() + px(6),
                widget_r.width() - margins[2],
                line_box_height(scale.title, unit_font),
            )
        ),
        legend=legend,
        legend_font=legend_font,
        note_rect=note_rect,
        note_font=note_font,
        label_gap=px(14) if kind == "hbar" else px(10),
    )


def legend_entries(
    view: ChartView[Any], grid: Grid, rect: QRectF, font: QFont, right: bool
) -> tuple[list[tuple[QRectF, QRectF, int]], float]:
    """Legend entries (swatch, text rect, series) flowed in rows across `rect`."""
    if len(view.values) < 2:
        return [], 0.0
    metrics = QFontMetricsF(font)
    names = [view.t(s.name) for s in view.chart.series]
    line_h = max(line_box_height(n, font) for n in names)
    swatch = grid.px(22) if view.chart.kind != "line" else grid.px(40)
    gap, spacing = grid.px(12), grid.px(36)
    widths = [swatch + gap + metrics.horizontalAdvance(n) for n in names]
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        need = w if not rows[-1] else used + spacing + w
        if rows[-1] and need > rect.width():
            rows.append([i])
            used = w
        else:
            rows[-1].append(i)
            used = need
    entries = []
    for r, row in enumerate(rows):
        total = sum(widths[i] for i in row) + spacing * (len(row) - 1)
        x = rect.right() - total if right else rect.left()
        y = rect.top() + r * line_h * 1.15
        for i in row:
            sw_h = swatch if view.chart.kind != "line" else grid.px(8)
            sw = QRectF(x, y + (line_h - sw_h) / 2, swatch, sw_h)
            text = QRectF(x + swatch + gap, y, widths[i] - swatch - gap + 2, line_h)
            entries.append((sw, text, i))
            x += widths[i] + spacing
    return entries, line_h * 1.15 * (len(rows) - 1) + line_h


def fit_value_font(
    view: ChartView[Any], grid: Grid, texts: list[list[str]], width: float, height: float
) -> QFont:
    """The value labels' bold font, shrunk until the widest label fits `width` x `height`."""
    size = grid.px(view.theme.type.body)
    floor = grid.px(14)
    while True:
        font = ui_font(size, bold=True)
        metrics = QFontMetricsF(font)
        wide = max(metrics.horizontalAdvance(t) for row in texts for t in row)
        if (wide <= width and line_box_height("0", font) <= height) or size <= floor:
            return font
        size = max(floor, size * 0.92)
