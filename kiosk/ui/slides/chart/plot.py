"""Plot charts: bars, horizontal bars and lines, drawn by pyqtgraph in a child widget.

This is the one place in the app that imports pyqtgraph (the view registry imports the chart
package only when a deck has a chart). The plot is a child `PlotWidget` placed in the content
area, styled to the theme, with no mouse interaction; its items are created once and updated
with `setOpts` / `setData` as the entry animation advances. Where things go is measured in
`layout` and pyqtgraph is told the exact sizes and ranges.

A value label always reads its bar's own figure: the bar grows and the label rides its end,
fading in, but never counts up through values the content does not state.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QResizeEvent

from kiosk.ui.base import HitTarget
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import clamp01
from kiosk.ui.draw.paint import mix, with_alpha
from kiosk.ui.draw.text import LEFT_MIDDLE, RIGHT_MIDDLE, draw_text, line_box_height
from kiosk.ui.fonts import ui_font
from kiosk.ui.slides.chart.base import ChartView
from kiosk.ui.slides.chart.layout import PlotLayout, measure_plot

pg.setConfigOptions(antialias=True)

LABEL_FADE = (0.35, 0.85)
"""A bar's value label fades in while its bar grows through these shares of its length."""


class PlotView(ChartView[PlotLayout]):
    """Bars grow in, lines draw in; the tapped category stays bright while the others dim."""

    def setup(self) -> None:
        super().setup()
        self._plot: pg.PlotWidget | None = None
        self._bars: list[pg.BarGraphItem] = []
        self._labels: list[list[pg.TextItem]] = []
        self._curves: list[pg.PlotCurveItem] = []
        self._points: list[pg.ScatterPlotItem] = []
        self._band: pg.BarGraphItem | None = None
        self._grid_lines: pg.PlotCurveItem | None = None
        self._create_plot()

    # -- timing --------------------------------------------------------------------------------

    def start(self, category: int, series: int = 0) -> float:
        if self.chart.kind == "line":  # a line draws in whole, series after series
            return 0.2 + series * self.theme.motion.stagger_ms / 1000 * 3
        return super().start(category, series)

    def length(self) -> float:
        if self.chart.kind == "line":
            return max(1.2, 0.22 * self.count)
        return super().length()

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
        self._band.setOpts(brush=QColor(colors.panel))
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
        self._layout()

    def language_changed(self) -> None:
        self._layout()

    def elapsed_changed(self) -> None:
        layout = self._layout()
        if layout is not None:
            self._animate(layout)

    def set_highlight(self, key: str | None) -> None:
        super().set_highlight(key)
        layout = self._layout()
        if layout is not None:
            self._apply_highlight(layout)

    def _layout(self) -> PlotLayout | None:
        """The layout, or None while the view has no size yet."""
        if self.width() <= 0 or self.height() <= 0:
            return None
        return self.arranged()

    def arrange(self, grid: Grid) -> PlotLayout:
        return measure_plot(self, grid)

    def layout_changed(self, layout: PlotLayout) -> None:
        """Size the plot widget and its items to a new layout, at the current moment."""
        self._apply_layout(layout)
        self._animate(layout)
        self._apply_highlight(layout)

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
        self._grid_lines.setPen(pg.mkPen(with_alpha(colors.muted, 0.2), width=line_w))
        _style_axis(category_axis, layout.category_font, layout.text_offset, round(grid.px(60)))
        category_axis.setPen(pg.mkPen(with_alpha(colors.muted, 0.7), width=max(1.0, grid.px(2))))
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
                        x=None,
                        x0=np.zeros(n),
                        x1=None,
                        width=np.zeros(n),
                        y=centers,
                        y0=None,
                        y1=None,
                        height=np.full(n, thickness),
                    )
                else:
                    bars.setOpts(
                        x=centers,
                        x0=None,
                        x1=None,
                        width=np.full(n, thickness),
                        y=None,
                        y0=np.zeros(n),
                        y1=None,
                        height=np.zeros(n),
                    )
        scale = layout.scale
        for s, labels in enumerate(self._labels):
            for c, label in enumerate(labels):
                label.setFont(layout.value_font)
                label.textItem.document().setDocumentMargin(0)
                label.setVisible(layout.value_labels)
                # Set once a layout (size, language): the figure, whatever the moment.
                i = n - 1 if self.chart.kind == "line" else c  # a line's label: its end
                label.setText(scale.value_text(self.values[s][i], metric=self.metric_of(s, i)))

    # -- mapping -------------------------------------------------------------------------------

    def plot_rect(self) -> QRectF:
        """The plot's data area (pyqtgraph's ViewBox) in view coordinates."""
        layout = self._layout()
        return QRectF() if layout is None else layout.plot

    def value_texts(self) -> list[list[str]]:
        """The value labels on the plot as they read now, per series."""
        return [[label.toPlainText() for label in labels] for labels in self._labels]

    def value_label_rects(self) -> list[tuple[str, QRectF]]:
        """Each shown value label and where pyqtgraph draws it, in view coordinates (the
        labels are the plot's items, which the drawing toolbox's observers do not hear)."""
        plot = self._plot
        if plot is None:
            return []
        found = []
        for labels in self._labels:
            for label in labels:
                if not label.isVisible() or label.opacity() <= 0 or not label.toPlainText():
                    continue
                scene = label.mapRectToScene(label.boundingRect())
                box = QRectF(plot.mapFromScene(scene).boundingRect())
                found.append((label.toPlainText(), box.translated(QPointF(plot.pos()))))
        return found

    @property
    def plot_widget(self) -> pg.PlotWidget | None:
        """The pyqtgraph widget drawing the bars or lines."""
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

    def _animate(self, layout: PlotLayout) -> None:
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
                # The figure waits where its bar will end, fading in as the bar nears it: a
                # label never sits on a bar end that is not yet its figure's.
                full = self.values[s][c] / scale.divisor
                label.setOpacity(clamp01((p - LABEL_FADE[0]) / (LABEL_FADE[1] - LABEL_FADE[0])))
                if self.chart.kind == "hbar":
                    label.setAnchor((0, 0.5))
                    label.setPos(full + layout.label_gap * dx, center)
                else:
                    label.setAnchor((0.5, 1))
                    label.setPos(center, full + layout.label_gap * dy)

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
                index = self.highlight_index()
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
            label.setAnchor((0.5, 1))
            x = float(n - 1)
            half_w = QFontMetricsF(layout.value_font).horizontalAdvance(label.toPlainText()) / 2
            room = layout.plot.width() / n / 2
            if half_w > room:
                x -= (half_w - room + grid.px(4)) * dx
            label.setPos(x, want * dy)
            label.setOpacity(clamp01((p - 0.85) / 0.15))

    def _apply_highlight(self, layout: PlotLayout) -> None:
        if self._band is None:
            return
        index = self.highlight_index()
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
            self._animate(layout)
            return
        background = QColor(self.theme.colors.background)
        for s, bars in enumerate(self._bars):
            base = QColor(self.theme.series_color(s))
            # The tapped category stays bright (a touch lighter); the others step back.
            bright = mix(base, QColor(self.theme.colors.text), 0.18)
            dim = mix(base, background, 0.5)
            colors_ = [base if index is None else bright if c == index else dim for c in range(n)]
            bars.setOpts(brushes=[pg.mkBrush(c) for c in colors_])

    # -- tap targets ---------------------------------------------------------------------------

    def hit_targets(self) -> list[HitTarget]:
        if self.width() <= 0 or self.height() <= 0:
            return []
        grid = self.grid
        least = grid.touch
        rects: list[QRectF] = []
        plot = self.arranged().plot
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
        self.paint_note(painter, layout.note_rect, layout.note_font)


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
