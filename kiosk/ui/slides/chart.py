"""The chart slide: bars, horizontal bars and lines drawn by pyqtgraph; share rings by QPainter.

This module is the one place in the app that imports pyqtgraph (the view registry imports it only
when a deck has a chart). The plot is a child `PlotWidget` placed in the content area, styled to
the theme, with no mouse interaction; its items are created once and updated with `setOpts` /
`setData` as the entry animation advances. The whole chart shares one scale (400 with the axis
title "billion yuan" in English, 4000 with "亿元" in Chinese). Layout is computed here, in view
pixels, and pyqtgraph is told the exact axis sizes and ranges, so the bars' places are known
without asking pyqtgraph (hit targets work before the widget has ever been shown).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)

from kiosk.content.model import ChartSlide, Metric, Series, Text
from kiosk.show.format import decimals_for, format_figure, format_metric, scale_for
from kiosk.ui.base import (
    WRAP,
    Grid,
    HitTarget,
    SlideView,
    clamp01,
    draw_text,
    fit_font,
    line_box_height,
)
from kiosk.ui.fonts import ui_font

pg.setConfigOptions(antialias=True)

MIN_TARGET = 64.0
"""Smallest side of a tap target, in design pixels."""
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT_MIDDLE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


# --- text helpers (base.py wraps text only when drawing; the axes need the lines themselves) ---


def wrap_lines(text: str, font: QFont, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (at word boundaries, else anywhere)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        start, length = line.textStart(), line.textLength()
        part = text[start : start + length].strip()
        if part:
            lines.append(part)
    layout.endLayout()
    return lines or [text]


def block_size(lines: list[str], font: QFont) -> tuple[float, float]:
    """Width and height of lines of text drawn one under the other."""
    metrics = QFontMetricsF(font)
    text = "\n".join(lines)
    box = metrics.boundingRect(QRectF(0, 0, 1e7, 1e7), int(Qt.AlignmentFlag.AlignLeft), text)
    width = max(metrics.horizontalAdvance(line) for line in lines)
    return max(width, box.width()), max(box.height(), line_box_height(text, font) * len(lines))


def fit_lines(
    texts: list[str], width: float, height: float, px: float, min_px: float, max_lines: int = 3
) -> tuple[QFont, list[list[str]]]:
    """One font for all `texts`, the largest from `px` down in which each wraps into `width`
    and at most `max_lines` lines no taller than `height`; and the wrapped lines."""
    size = px
    while True:
        font = ui_font(size)
        wrapped = [wrap_lines(text, font, width) for text in texts]
        fits = True
        for lines in wrapped:
            w, h = block_size(lines, font)
            if len(lines) > max_lines or w > width + 0.5 or h > height + 0.5:
                fits = False
                break
        if fits or size <= min_px:
            return font, wrapped
        size = max(min_px, size * 0.93)


def nice_step(span: float, target: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `target` steps."""
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for m in NICE_STEPS:
        step = m * magnitude
        if m == 2.5 and magnitude < 10:
            continue  # 25, 250, ... are round; 2.5 and 0.25 are not
        if step >= raw * 0.999:
            return step
    return 10 * magnitude


def _color(value: str | QColor, alpha: float = 1.0) -> QColor:
    color = QColor(value)
    color.setAlphaF(alpha)
    return color


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` of the way towards `b`."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def _text(value: str) -> Text:
    return Text.model_validate(value)


# --- the chart's numbers ---


@dataclass(frozen=True)
class Scale:
    """How every number of one chart is written: one divisor, one unit title, one format."""

    divisor: float
    fmt: str
    decimals: int
    like: float
    title: str
    lang: str
    percent: bool

    def number(self, value: float, decimals: int | None = None) -> str:
        """`value` (plain units) as the chart writes it: 400 (billion yuan), 4000 (亿元)."""
        places = self.decimals if decimals is None else decimals
        return format_figure(value, self.lang, fmt=self.fmt, decimals=places, like=self.like).number


def chart_scale(
    slide: ChartSlide, metrics: list[Metric | None], values: list[float], lang: str
) -> Scale:
    """The one scale of a chart, picked from its largest value in `lang`."""
    known = [m for m in metrics if m is not None]
    if known and all(m.format == "percent" for m in known):
        fmt = "percent"
    elif known and all(m.format == "plain" for m in known):
        fmt = "plain"
    else:
        fmt = "auto"
    if slide.unit is not None:
        unit = slide.unit.get(lang)
    else:
        unit = next((m.unit.get(lang) for m in known if m.unit is not None), "")
    if unit.strip() == "%":
        fmt = "percent"
    largest = max((abs(v) for v in values), default=0.0) or 1.0
    divisor, word = scale_for(largest, lang) if fmt == "auto" else (1.0, "")
    if fmt == "percent":
        unit = "%"
    given = [m.decimals for m in known if m.decimals is not None]
    decimals = max(given) if given else max(decimals_for(v / divisor) for v in values or [0.0])
    title = f"{word}{unit}" if lang == "zh" else " ".join(p for p in (word, unit) if p)
    return Scale(divisor, fmt, decimals, largest, title, lang, fmt == "percent")


# --- layouts, in view pixels ---


@dataclass
class PlotLayout:
    """Where a bar, hbar or line chart's parts lie in the view, and the plot's data ranges."""

    key: tuple[int, int, str]
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


@dataclass(frozen=True)
class Ring:
    """One share ring: its square, stroke, label place and fonts."""

    square: QRectF
    stroke: float
    label_rect: QRectF
    lines: list[str]


@dataclass
class ShareLayout:
    """The rings of a share chart, the fonts they share and the note."""

    key: tuple[int, int, str]
    rings: list[Ring]
    label_font: QFont
    number_font: QFont
    qualifier_font: QFont
    note_rect: QRectF | None
    note_font: QFont | None


# --- the view ---


class ChartView(SlideView):
    """A chart slide: bars grow in, lines draw in, share rings fill; one tap target a category."""

    slide: ChartSlide

    def setup(self) -> None:
        assert isinstance(self.slide, ChartSlide)
        self.chart = self.slide
        self.values: list[list[float]] = [self._series_values(s) for s in self.slide.series]
        self.metrics: list[Metric | None] = [
            self._metric_of(s, c)
            for s in range(len(self.slide.series))
            for c in range(len(self.slide.categories))
        ]
        self._plot_layout: PlotLayout | None = None
        self._share_layout: ShareLayout | None = None
        self._plot: pg.PlotWidget | None = None
        self._bars: list[pg.BarGraphItem] = []
        self._labels: list[list[pg.TextItem]] = []
        self._curves: list[pg.PlotCurveItem] = []
        self._points: list[pg.ScatterPlotItem] = []
        self._band: pg.BarGraphItem | None = None
        self._grid_lines: pg.PlotCurveItem | None = None
        if self.slide.kind != "share":
            self._create_plot()

    # -- content -------------------------------------------------------------------------------

    def _series_values(self, series: Series) -> list[float]:
        if series.values is not None:
            return [float(v) for v in series.values]
        return [float(self.deck.metrics[key].value) for key in series.metrics or []]

    def category_metric(self, index: int) -> Metric | None:
        """The figure behind category `index`: the first series naming a metric there."""
        for series in self.chart.series:
            if series.metrics:
                return self.deck.metrics.get(series.metrics[index])
        return None

    def category_label(self, index: int) -> Text:
        """The category's name: its label, else its metric's label, else its number."""
        category = self.chart.categories[index]
        if category.label is not None:
            return category.label
        metric = self.category_metric(index)
        return metric.label if metric is not None else _text(str(index + 1))

    def category_detail(self, index: int) -> Text:
        """The detail card's text: the category's own, else its metric's, else its label."""
        category = self.chart.categories[index]
        if category.detail is not None:
            return category.detail
        metric = self.category_metric(index)
        return metric.detail if metric is not None else self.category_label(index)

    @property
    def count(self) -> int:
        return len(self.chart.categories)

    # -- timing --------------------------------------------------------------------------------

    def _start(self, category: int, series: int = 0) -> float:
        """When a bar or ring starts growing, in seconds after the slide appeared."""
        stagger = self.theme.motion.stagger_ms / 1000
        if self.chart.kind == "share":
            return 0.2 + category * stagger * 2
        if self.chart.kind == "line":
            return 0.2 + series * stagger * 3
        return 0.2 + category * stagger + series * stagger / 2

    def _length(self) -> float:
        if self.chart.kind == "line":
            return max(1.2, 0.22 * self.count)
        return self.theme.motion.countup_ms / 1000

    def progress(self, category: int, series: int = 0) -> float:
        """0→1 (eased) growth of a bar or ring, or how far a series' line has drawn."""
        return self.entry(0, delay=self._start(category, series), length=self._length())

    def entry_duration(self) -> float:
        if self.deck.settings.loop.reduce_motion:
            return 0.0
        last = max(self._start(c, s) for c in range(self.count) for s in range(len(self.values)))
        return last + self._length()

    # -- plot widget ---------------------------------------------------------------------------

    def _create_plot(self) -> None:
        colors = self.theme.colors
        plot = pg.PlotWidget(parent=self, background=colors.background)
        plot.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        item = plot.getPlotItem()
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.layout.setContentsMargins(0, 0, 0, 0)
        view = item.getViewBox()
        view.disableAutoRange()
        view.setDefaultPadding(0)
        view.invertY(self.chart.kind == "hbar")
        self._plot = plot

        self._band = pg.BarGraphItem(x0=[0.0], y0=[0.0], width=[0.0], height=[0.0], pen=None)
        self._band.setOpts(brush=_color(colors.panel))
        self._band.setZValue(-5)
        self._band.setVisible(False)
        item.addItem(self._band)
        # Grid lines at the value ticks: one item of line pairs, under the bars.
        self._grid_lines = pg.PlotCurveItem(connect="pairs", antialias=False)
        self._grid_lines.setZValue(-4)
        item.addItem(self._grid_lines)
        for s in range(len(self.values)):
            color = self.theme.series_color(s)
            if self.chart.kind == "line":
                pen = pg.mkPen(color)
                curve = pg.PlotCurveItem(pen=pen, antialias=True)
                curve.setZValue(2)
                points = pg.ScatterPlotItem(symbol="o", pxMode=True, brush=pg.mkBrush(color))
                points.setZValue(3)
                item.addItem(curve)
                item.addItem(points)
                self._curves.append(curve)
                self._points.append(points)
            else:
                zeros = np.zeros(self.count)
                bars = pg.BarGraphItem(
                    x0=zeros, y0=zeros, width=zeros, height=zeros, pen=None, brush=color
                )
                bars.setZValue(1)
                item.addItem(bars)
                self._bars.append(bars)
            labels = []
            for _ in range(self.count if self.chart.kind != "line" else 1):
                label = pg.TextItem("", color=colors.text)
                label.textItem.document().setDocumentMargin(0)
                label.setZValue(10)
                item.addItem(label)
                labels.append(label)
            self._labels.append(labels)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._refresh()

    def language_changed(self) -> None:
        self._refresh()

    def elapsed_changed(self) -> None:
        if self._layout() is not None:
            self._animate()

    def set_highlight(self, key: str | None) -> None:
        super().set_highlight(key)
        if self._layout() is not None:
            self._apply_highlight()

    def _key(self) -> tuple[int, int, str]:
        return (self.width(), self.height(), self.lang)

    def _layout(self) -> PlotLayout | None:
        """The plot layout for the current size and language, computed when they changed."""
        if self._plot is None or self.width() <= 0 or self.height() <= 0:
            return None
        if self._plot_layout is None or self._plot_layout.key != self._key():
            self._refresh()
        return self._plot_layout

    def _refresh(self) -> None:
        if self.width() <= 0 or self.height() <= 0:
            return
        if self._plot is None:
            self._share_layout = None
            return
        self._plot_layout = self._compute_plot_layout()
        self._apply_layout(self._plot_layout)
        self._animate()
        self._apply_highlight()

    # -- plot layout ---------------------------------------------------------------------------

    def _note_block(self, grid: Grid, rect: QRectF) -> tuple[QRectF, QRectF | None, QFont | None]:
        """Split off the note's lines at the foot of `rect`: (what is left, note rect, font)."""
        if self.chart.note is None:
            return rect.adjusted(0, 0, 0, -grid.px(16)), None, None
        text = self.t(self.chart.note)
        px = grid.px(self.theme.type.label)
        width = rect.width() * (1.0 if grid.portrait else 0.8)
        box = QRectF(0, 0, width, px * 1.35 * 2)
        font = fit_font(text, box, px, min_px=grid.px(self.theme.type.caption), max_lines=2)
        height = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1e6), CENTER, text).height()
        height = max(height, line_box_height(text, font))
        bottom = rect.bottom() - grid.px(16)  # clear of the foot band's line
        note = QRectF(rect.left(), bottom - height, width, height)
        rest = QRectF(rect.left(), rect.top(), rect.width(), note.top() - grid.px(28) - rect.top())
        return rest, note, font

    def _legend(
        self, grid: Grid, rect: QRectF, font: QFont, right: bool
    ) -> tuple[list[tuple[QRectF, QRectF, int]], float]:
        """Legend entries (swatch, text rect, series) flowed in rows across `rect`."""
        if len(self.values) < 2:
            return [], 0.0
        metrics = QFontMetricsF(font)
        names = [self.t(s.name) for s in self.chart.series]
        line_h = max(line_box_height(n, font) for n in names)
        swatch = grid.px(22) if self.chart.kind != "line" else grid.px(40)
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
                sw_h = swatch if self.chart.kind != "line" else grid.px(8)
                sw = QRectF(x, y + (line_h - sw_h) / 2, swatch, sw_h)
                text = QRectF(x + swatch + gap, y, widths[i] - swatch - gap + 2, line_h)
                entries.append((sw, text, i))
                x += widths[i] + spacing
        return entries, line_h * 1.15 * (len(rows) - 1) + line_h

    def _compute_plot_layout(self) -> PlotLayout:
        grid = self.grid
        kind = self.chart.kind
        px = grid.px
        type_ = self.theme.type
        lang = self.lang
        n = self.count
        flat = [v for series in self.values for v in series]
        scale = chart_scale(self.chart, self.metrics, flat, lang)
        top_value = max(max(flat, default=0.0), 0.0) / scale.divisor
        low_value = min(min(flat, default=0.0), 0.0) / scale.divisor

        content = self.content_rect(grid)
        rest, note_rect, note_font = self._note_block(grid, content)

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
        legend, legend_h = self._legend(grid, legend_space, legend_font, right=True)
        if legend and legend_space.left() > rest.left():
            rows_used = len({round(text.top()) for _, text, _ in legend})
            if rows_used > 1:  # too long beside the unit: its own rows under the unit title
                below = QRectF(rest.left(), rest.top() + header_h + px(8), rest.width(), 0)
                legend, legend_h = self._legend(grid, below, legend_font, right=False)
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
        labels = [self.t(self.category_label(i)) for i in range(n)]
        texts = [
            [self._value_text(scale, v, metric=self._metric_of(s, c)) for c, v in enumerate(row)]
            for s, row in enumerate(self.values)
        ]
        value_labels = True
        bar_width = 0.0
        s_count = len(self.values)
        if kind == "hbar":
            natural = max(
                QFontMetricsF(ui_font(px(type_.body))).horizontalAdvance(t) for t in labels
            )
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
            value_font = self._fit_value_font(grid, texts, 1e9, room)
            value_labels = line_box_height("0", value_font) <= room + 0.5
            value_w = max(
                QFontMetricsF(value_font).horizontalAdvance(t) for row in texts for t in row
            )
            plot_w = widget_r.width() - axis_left - margins[2]
            need = value_w + px(14) + px(6) if value_labels else px(6)
            top = top_value * plot_w / max(plot_w - need, plot_w * 0.3)
            x_range = (low_value, max(top, 1e-9))
            y_range = (-0.5, n - 0.5)
            ticks = self._value_ticks(low_value, x_range[1], step, tick_label)
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
                value_font = self._fit_value_font(grid, texts, bar_px * 1.04, 1e9)
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
            ticks = self._value_ticks(low_value, y_range[1], step, tick_label)

        return PlotLayout(
            key=self._key(),
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

    def _value_text(
        self, scale: Scale, value: float, shown: float | None = None, metric: Metric | None = None
    ) -> str:
        """A bar's label: its number in the chart's scale, with `%` for percentages and the
        metric's qualifier (over 125 / 超过125)."""
        number = scale.number(value if shown is None else shown)
        if scale.percent:
            number = f"{number}%"
        qualifier = format_metric(metric, self.lang).qualifier if metric is not None else ""
        if not qualifier:
            return number
        return f"{qualifier}{number}" if self.lang == "zh" else f"{qualifier} {number}"

    def _metric_of(self, series: int, category: int) -> Metric | None:
        keys = self.chart.series[series].metrics
        return self.deck.metrics.get(keys[category]) if keys else None

    def _fit_value_font(
        self, grid: Grid, texts: list[list[str]], width: float, height: float
    ) -> QFont:
        """The value labels' bold font, shrunk until the widest label fits `width` x `height`."""
        size = grid.px(self.theme.type.body)
        floor = grid.px(14)
        while True:
            font = ui_font(size, bold=True)
            metrics = QFontMetricsF(font)
            wide = max(metrics.horizontalAdvance(t) for row in texts for t in row)
            if (wide <= width and line_box_height("0", font) <= height) or size <= floor:
                return font
            size = max(floor, size * 0.92)

    @staticmethod
    def _value_ticks(
        low: float, high: float, step: float, label: Callable[[float], str]
    ) -> list[tuple[float, str]]:
        first = math.floor(low / step + 1e-9) * step
        ticks = []
        k = 0
        while first + k * step <= high + step * 1e-6:
            v = first + k * step
            ticks.append((v, label(v)))
            k += 1
        return ticks

    def _apply_layout(self, layout: PlotLayout) -> None:
        plot = self._plot
        assert plot is not None
        grid = self.grid
        colors = self.theme.colors
        plot.setGeometry(layout.widget.toRect())
        item = plot.getPlotItem()
        item.layout.setContentsMargins(*layout.margins)
        value_axis = item.getAxis("bottom" if self.chart.kind == "hbar" else "left")
        category_axis = item.getAxis("left" if self.chart.kind == "hbar" else "bottom")
        line_w = max(1.0, grid.px(1.5))
        transparent = QColor(0, 0, 0, 0)
        _style_axis(value_axis, layout.tick_font, layout.text_offset, round(grid.px(40)))
        value_axis.setPen(pg.mkPen(transparent))
        value_axis.setTickPen(pg.mkPen(transparent))
        value_axis.setTextPen(pg.mkPen(colors.muted))
        value_axis.setTicks([layout.ticks])
        assert self._grid_lines is not None
        (x0, x1), (y0, y1) = layout.x_range, layout.y_range
        at = np.repeat([v for v, _ in layout.ticks if v != 0], 2)
        ends = np.tile([x0, x1] if self.chart.kind != "hbar" else [y0, y1], len(at) // 2)
        self._grid_lines.setVisible(len(at) > 0)
        if len(at) and self.chart.kind == "hbar":
            self._grid_lines.setData(at, ends)
        elif len(at):
            self._grid_lines.setData(ends, at)
        self._grid_lines.setPen(pg.mkPen(_color(colors.muted, 0.2), width=line_w))
        _style_axis(category_axis, layout.category_font, layout.text_offset, round(grid.px(60)))
        category_axis.setPen(pg.mkPen(_color(colors.muted, 0.7), width=max(1.0, grid.px(2))))
        category_axis.setTickPen(pg.mkPen(transparent))
        category_axis.setTextPen(pg.mkPen(colors.text))
        category_axis.setTicks([list(enumerate(layout.categories))])
        item.getAxis("left").setWidth(layout.axis_left)
        item.getAxis("bottom").setHeight(layout.axis_bottom)
        view = item.getViewBox()
        view.setRange(xRange=layout.x_range, yRange=layout.y_range, padding=0)

        n = self.count
        s_count = len(self.values)
        if self.chart.kind == "line":
            for s, (curve, points) in enumerate(zip(self._curves, self._points, strict=True)):
                color = self.theme.series_color(s)
                pen = pg.mkPen(color, width=grid.px(5))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                curve.setPen(pen)
                points.setPen(pg.mkPen(colors.background, width=grid.px(4)))
                points.setBrush(pg.mkBrush(color))
        else:
            group = layout.bar_width * s_count
            for s, bars in enumerate(self._bars):
                centers = np.arange(n, dtype=float) - group / 2 + layout.bar_width * (s + 0.5)
                thickness = layout.bar_width * (0.86 if s_count > 1 else 1.0)
                if self.chart.kind == "hbar":
                    bars.setOpts(
                        x=None, x0=np.zeros(n), x1=None, width=np.zeros(n),
                        y=centers, y0=None, y1=None, height=np.full(n, thickness),
                    )  # fmt: skip
                else:
                    bars.setOpts(
                        x=centers, x0=None, x1=None, width=np.full(n, thickness),
                        y=None, y0=np.zeros(n), y1=None, height=np.zeros(n),
                    )  # fmt: skip
        for labels in self._labels:
            for label in labels:
                label.setFont(layout.value_font)
                label.textItem.document().setDocumentMargin(0)
                label.setVisible(layout.value_labels)

    # -- mapping -------------------------------------------------------------------------------

    def plot_rect(self) -> QRectF:
        """The plot's data area (pyqtgraph's ViewBox) in view coordinates; empty for rings."""
        layout = self._layout()
        return QRectF() if layout is None else layout.plot

    def plot_layout(self) -> PlotLayout | None:
        """The bar, hbar or line chart's layout at the current size and language."""
        return self._layout()

    def ring_layout(self) -> ShareLayout | None:
        """The share rings' layout at the current size and language."""
        if self.chart.kind != "share" or self.width() <= 0 or self.height() <= 0:
            return None
        return self._rings()

    def value_texts(self) -> list[list[str]]:
        """The value labels on the plot as they read now, per series."""
        return [[label.toPlainText() for label in labels] for labels in self._labels]

    @property
    def plot_widget(self) -> pg.PlotWidget | None:
        """The pyqtgraph widget drawing bars and lines (None for share rings)."""
        return self._plot

    def to_view(self, x: float, y: float) -> QPointF:
        """A data point of the plot in view coordinates."""
        layout = self._layout()
        assert layout is not None
        plot = layout.plot
        (x0, x1), (y0, y1) = layout.x_range, layout.y_range
        px = plot.left() + (x - x0) / (x1 - x0) * plot.width()
        if self.chart.kind == "hbar":  # y grows downwards (the first category on top)
            py = plot.top() + (y - y0) / (y1 - y0) * plot.height()
        else:
            py = plot.bottom() - (y - y0) / (y1 - y0) * plot.height()
        return QPointF(px, py)

    def _data_per_px(self, layout: PlotLayout) -> tuple[float, float]:
        plot = layout.plot
        return (
            (layout.x_range[1] - layout.x_range[0]) / max(1.0, plot.width()),
            (layout.y_range[1] - layout.y_range[0]) / max(1.0, plot.height()),
        )

    def bar_rect(self, category: int, series: int, value: float | None = None) -> QRectF:
        """Where a bar is drawn at `value` (its full value by default), in view coordinates."""
        layout = self._layout()
        assert layout is not None
        full = self.values[series][category] if value is None else value
        v = full / layout.scale.divisor
        s_count = len(self.values)
        group = layout.bar_width * s_count
        center = category - group / 2 + layout.bar_width * (series + 0.5)
        half = layout.bar_width * (0.86 if s_count > 1 else 1.0) / 2
        if self.chart.kind == "hbar":
            a, b = self.to_view(0, center - half), self.to_view(v, center + half)
        else:
            a, b = self.to_view(center - half, 0), self.to_view(center + half, v)
        return QRectF(a, b).normalized()

    # -- animation -----------------------------------------------------------------------------

    def _animate(self) -> None:
        layout = self._plot_layout
        if layout is None:
            return
        dx, dy = self._data_per_px(layout)
        scale = layout.scale
        n = self.count
        if self.chart.kind == "line":
            self._animate_lines(layout, dx, dy)
            return
        for s, (bars, labels) in enumerate(zip(self._bars, self._labels, strict=True)):
            grown = np.array(
                [self.values[s][c] / scale.divisor * self.progress(c, s) for c in range(n)]
            )
            if self.chart.kind == "hbar":
                bars.setOpts(width=grown)
            else:
                bars.setOpts(height=grown)
            s_count = len(self.values)
            group = layout.bar_width * s_count
            for c, label in enumerate(labels):
                p = self.progress(c, s)
                center = c - group / 2 + layout.bar_width * (s + 0.5)
                value = self.values[s][c]
                label.setText(
                    self._value_text(scale, value, value * p, metric=self._metric_of(s, c))
                )
                label.setOpacity(clamp01(p * 3))
                if self.chart.kind == "hbar":
                    label.setAnchor((0, 0.5))
                    label.setPos(grown[c] + layout.label_gap * dx, center)
                else:
                    label.setAnchor((0.5, 1))
                    label.setPos(center, grown[c] + layout.label_gap * dy)

    def _animate_lines(self, layout: PlotLayout, dx: float, dy: float) -> None:
        scale = layout.scale
        n = self.count
        grid = self.grid
        ends: list[tuple[int, float, float]] = []  # series, y in px above the plot bottom, p
        for s, (curve, points) in enumerate(zip(self._curves, self._points, strict=True)):
            ys = np.array(self.values[s]) / scale.divisor
            xs = np.arange(n, dtype=float)
            p = self.progress(0, s)
            reach = p * (n - 1)
            whole = math.floor(reach + 1e-9)
            shown_x = list(xs[: whole + 1])
            shown_y = list(ys[: whole + 1])
            if reach > whole + 1e-6 and whole + 1 < n:
                t = reach - whole
                shown_x.append(whole + t)
                shown_y.append(ys[whole] + (ys[whole + 1] - ys[whole]) * t)
            visible = p > 0
            curve.setVisible(visible and len(shown_x) >= 2)
            points.setVisible(visible)
            if len(shown_x) >= 2:
                curve.setData(np.array(shown_x), np.array(shown_y))
            if visible:
                count = whole + 1
                sizes = np.full(count, grid.px(22))
                index = self._highlight_index()
                if index is not None and index < count:
                    sizes[index] = grid.px(34)
                points.setData(x=xs[:count], y=ys[:count], size=sizes)
            ends.append((s, ys[-1] / dy if dy else 0.0, p))
        # Value labels at the last points, pushed apart so they never overlap.
        height = line_box_height("0", layout.value_font) + grid.px(6)
        order = sorted(ends, key=lambda e: e[1], reverse=True)
        placed: list[float] = []
        for s, base, p in order:
            want = base + grid.px(18)
            if placed and want > placed[-1] - height:
                want = placed[-1] - height
            placed.append(want)
            label = self._labels[s][0]
            last = self.values[s][-1]
            label.setText(self._value_text(scale, last, metric=self._metric_of(s, n - 1)))
            label.setAnchor((0.5, 1))
            x = float(n - 1)
            half_w = QFontMetricsF(layout.value_font).horizontalAdvance(label.toPlainText()) / 2
            room = layout.plot.width() / n / 2
            if half_w > room:
                x -= (half_w - room + grid.px(4)) * dx
            label.setPos(x, want * dy)
            label.setOpacity(clamp01((p - 0.85) / 0.15))

    def _apply_highlight(self) -> None:
        layout = self._plot_layout
        if layout is None or self._band is None:
            return
        index = self._highlight_index()
        n = self.count
        (x0, x1), (y0, y1) = layout.x_range, layout.y_range
        if index is None:
            self._band.setVisible(False)
        else:
            if self.chart.kind == "hbar":
                self._band.setOpts(
                    x=None, x0=[x0], width=[x1 - x0], y=[index], y0=None, height=[0.96]
                )
            else:
                self._band.setOpts(
                    x=[index], x0=None, width=[0.96], y=None, y0=[y0], height=[y1 - y0]
                )
            self._band.setVisible(True)
        if self.chart.kind == "line":
            self._animate()
            return
        background = QColor(self.theme.colors.background)
        for s, bars in enumerate(self._bars):
            base = QColor(self.theme.series_color(s))
            # The tapped category stays bright (a touch lighter); the others step back.
            bright = _mix(base, QColor(self.theme.colors.text), 0.18)
            dim = _mix(base, background, 0.5)
            colors_ = [base if index is None else bright if c == index else dim for c in range(n)]
            bars.setOpts(brushes=[pg.mkBrush(c) for c in colors_])

    def _highlight_index(self) -> int | None:
        key = self.highlight
        if key is None or not key.startswith("category:"):
            return None
        try:
            index = int(key.split(":", 1)[1])
        except ValueError:
            return None
        return index if 0 <= index < self.count else None

    # -- tap targets ---------------------------------------------------------------------------

    def hit_targets(self) -> list[HitTarget]:
        if self.width() <= 0 or self.height() <= 0:
            return []
        grid = self.grid
        least = grid.px(MIN_TARGET)
        rects: list[QRectF] = []
        if self.chart.kind == "share":
            rects = [ring.square for ring in self._rings().rings]
        else:
            layout = self._layout()
            assert layout is not None
            plot = layout.plot
            for c in range(self.count):
                if self.chart.kind == "line":
                    left = self.to_view(c - 0.5, 0).x()
                    right = self.to_view(c + 0.5, 0).x()
                    rect = QRectF(left, plot.top(), right - left, plot.height())
                else:
                    rect = QRectF()
                    for s in range(len(self.values)):
                        rect = rect.united(self.bar_rect(c, s))
                rects.append(self._enlarge(rect, least))
        bounds = QRectF(0, 0, self.width(), self.height())
        return [
            HitTarget(
                key=f"category:{i}",
                rect=rect.intersected(bounds),
                title=self.category_label(i),
                detail=self.category_detail(i),
            )
            for i, rect in enumerate(rects)
        ]

    def _enlarge(self, rect: QRectF, least: float) -> QRectF:
        """Grow a thin bar's target to `least` across; a short one away from its baseline."""
        r = QRectF(rect)
        if self.chart.kind == "hbar":
            if r.height() < least:
                r.adjust(0, -(least - r.height()) / 2, 0, (least - r.height()) / 2)
            if r.width() < least:
                r.setRight(r.left() + least)
        else:
            if r.width() < least:
                r.adjust(-(least - r.width()) / 2, 0, (least - r.width()) / 2, 0)
            if r.height() < least:
                r.setTop(r.bottom() - least)
        return r

    # -- painting ------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        if self.chart.kind == "share":
            self._paint_share(painter, grid)
            return
        layout = self._layout()
        if layout is None:
            return
        colors = self.theme.colors
        if layout.unit_rect is not None:
            flags = LEFT_MIDDLE if self.chart.kind != "hbar" else RIGHT_MIDDLE
            draw_text(
                painter,
                layout.unit_rect,
                layout.scale.title,
                ui_font(grid.px(self.theme.type.label)),
                colors.muted,
                flags,
            )
        for swatch, text_rect, s in layout.legend:
            color = QColor(self.theme.series_color(s))
            if self.chart.kind == "line":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawRoundedRect(swatch, swatch.height() / 2, swatch.height() / 2)
            else:
                painter.fillRect(swatch, color)
            draw_text(
                painter,
                text_rect,
                self.t(self.chart.series[s].name),
                layout.legend_font,
                colors.text,
                LEFT_MIDDLE,
            )
        self._paint_note(painter, layout.note_rect, layout.note_font)

    def _paint_note(self, painter: QPainter, rect: QRectF | None, font: QFont | None) -> None:
        if rect is None or font is None or self.chart.note is None:
            return
        draw_text(painter, rect, self.t(self.chart.note), font, self.theme.colors.muted, WRAP)

    # -- share rings ---------------------------------------------------------------------------

    def _rings(self) -> ShareLayout:
        if self._share_layout is None or self._share_layout.key != self._key():
            self._share_layout = self._compute_share_layout()
        return self._share_layout

    def ring_text(self, index: int, value: float | None = None) -> tuple[str, str]:
        """The ring's (qualifier, number): ("over", "40%") / ("超过", "40%")."""
        metric = self.category_metric(index)
        if metric is not None:
            figure = format_metric(metric, self.lang, value)
        else:
            final = self.values[0][index]
            figure = format_figure(
                final if value is None else value, self.lang, fmt="percent", like=final
            )
        number = figure.text[len(figure.qualifier) :].strip() if figure.qualifier else figure.text
        return figure.qualifier, number

    def _compute_share_layout(self) -> ShareLayout:
        grid = self.grid
        px = grid.px
        type_ = self.theme.type
        n = self.count
        content = self.content_rect(grid)
        area, note_rect, note_font = self._note_block(grid, content)
        if grid.portrait:
            columns = 1 if n == 1 else 2
        else:
            columns = min(n, 5) if n <= 5 else math.ceil(n / math.ceil(n / 5))
        rows = math.ceil(n / columns)
        cells = grid.cells(area, n, columns)
        cell_w, cell_h = cells[0].width(), cells[0].height()
        labels = [self.t(self.category_label(i)) for i in range(n)]
        label_font, wrapped = fit_lines(
            labels,
            cell_w * 0.9,
            max(cell_h * 0.34, px(40)),
            px(type_.body),
            px(type_.caption),
        )
        label_h = max(block_size(lines, label_font)[1] for lines in wrapped)
        gap = px(24)
        largest = px(360 if rows == 1 else 300)
        diameter = max(px(48), min(cell_w * 0.78, cell_h - label_h - gap, largest))
        stroke = diameter * 0.1  # the tests find the stroke's middle at 0.45 of the diameter
        inner = diameter - 2 * stroke
        sample = QFontMetricsF(ui_font(100, bold=True))
        widest = max((self.ring_text(i)[1] for i in range(n)), key=sample.horizontalAdvance)
        size = diameter * 0.3
        while True:
            number_font = ui_font(size, bold=True)
            if QFontMetricsF(number_font).horizontalAdvance(widest) <= inner * 0.74 or size < 8:
                break
            size *= 0.94
        qualifier_font = ui_font(max(px(type_.caption), size * 0.34))
        rings = []
        for i, cell in enumerate(cells):
            block = diameter + gap + label_h
            top = cell.center().y() - block / 2
            square = QRectF(cell.center().x() - diameter / 2, top, diameter, diameter)
            label_rect = QRectF(
                cell.left() + cell_w * 0.05, square.bottom() + gap, cell_w * 0.9, label_h
            )
            rings.append(Ring(square, stroke, label_rect, wrapped[i]))
        return ShareLayout(
            self._key(), rings, label_font, number_font, qualifier_font, note_rect, note_font
        )

    def _paint_share(self, painter: QPainter, grid: Grid) -> None:
        layout = self._rings()
        colors = self.theme.colors
        index = self._highlight_index()
        for i, ring in enumerate(layout.rings):
            p = self.progress(i)
            value = self.values[0][i]
            square = ring.square
            path_rect = square.adjusted(
                ring.stroke / 2, ring.stroke / 2, -ring.stroke / 2, -ring.stroke / 2
            )
            if i == index:
                pad = grid.px(20)
                tile = QRectF(
                    ring.label_rect.left() - pad / 2,
                    square.top() - pad,
                    ring.label_rect.width() + pad,
                    ring.label_rect.bottom() - square.top() + 2 * pad,
                )
                painter.setPen(QPen(self.color("panel_edge"), grid.px(2)))
                painter.setBrush(self.color("panel"))
                radius = grid.px(self.theme.space.radius)
                painter.drawRoundedRect(tile, radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            track = QPen(self.color("panel_edge"), ring.stroke)
            track.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(track)
            painter.drawEllipse(path_rect)
            accent = self.color("gold") if i == 0 else self.color("teal")
            if i == index:
                accent = _mix(accent, self.color("text"), 0.18)
            span = 360.0 * clamp01(value / 100) * p
            if span > 0:
                pen = QPen(accent, ring.stroke)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawArc(path_rect, 90 * 16, -round(span * 16))
            if i == index:
                outline = square.adjusted(-grid.px(8), -grid.px(8), grid.px(8), grid.px(8))
                painter.setPen(QPen(_color(colors.text, 0.7), grid.px(2)))
                painter.drawEllipse(outline)
            qualifier, number = self.ring_text(i, value * p)
            self._paint_ring_text(painter, layout, ring, qualifier, number, clamp01(p * 4))
            text = "\n".join(ring.lines)
            draw_text(painter, ring.label_rect, text, layout.label_font, colors.text, CENTER)
        self._paint_note(painter, layout.note_rect, layout.note_font)

    def _paint_ring_text(
        self,
        painter: QPainter,
        layout: ShareLayout,
        ring: Ring,
        qualifier: str,
        number: str,
        opacity: float,
    ) -> None:
        colors = self.theme.colors
        number_h = QFontMetricsF(layout.number_font).capHeight() * 1.5
        number_box = line_box_height(number, layout.number_font)
        qual_h = line_box_height(qualifier, layout.qualifier_font) if qualifier else 0.0
        center = ring.square.center()
        total = qual_h + number_h
        top = center.y() - total / 2
        painter.setOpacity(opacity)
        if qualifier:
            draw_text(
                painter,
                QRectF(ring.square.left(), top - qual_h * 0.15, ring.square.width(), qual_h),
                qualifier,
                layout.qualifier_font,
                colors.muted,
                CENTER,
            )
        number_top = top + qual_h + (number_h - number_box) / 2
        draw_text(
            painter,
            QRectF(ring.square.left(), number_top, ring.square.width(), number_box),
            number,
            layout.number_font,
            colors.text,
            CENTER,
        )
        painter.setOpacity(1.0)


VIEW = ChartView


def _style_axis(axis: pg.AxisItem, font: QFont, offset: int, overlap: int) -> None:
    """Large, tickless axis text in a fixed space: the layout, not pyqtgraph, sizes the axes."""
    axis.setStyle(
        tickFont=font,
        tickTextOffset=offset,
        tickLength=0,
        autoExpandTextSpace=False,
        autoReduceTextSpace=False,
        hideOverlappingLabels=overlap,
        tickAlpha=0,
    )
