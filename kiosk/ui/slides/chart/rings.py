"""Share charts: one ring a category, filled to its percentage, painted with QPainter.

A ring sweeps round to its share while its percentage slides up into place in its middle: the
figure drawn is always the share itself, never a value it passes on the way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen

from kiosk.ui.base import HitTarget
from kiosk.ui.draw.format import format_figure, format_metric
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import clamp01
from kiosk.ui.draw.paint import draw_figure_text, mix
from kiosk.ui.draw.text import CENTER, block_size, draw_text, fit_lines, line_box_height
from kiosk.ui.fonts import ui_font
from kiosk.ui.slides.chart.base import ChartView


@dataclass(frozen=True)
class Ring:
    """One share ring: its square, stroke, label place and fonts."""

    square: QRectF
    stroke: float
    label_rect: QRectF
    lines: list[str]


@dataclass
class RingsLayout:
    """The rings of a share chart, the fonts they share and the note."""

    rings: list[Ring]
    label_font: QFont
    number_font: QFont
    qualifier_font: QFont
    note_rect: QRectF | None
    note_font: QFont | None


class RingsView(ChartView[RingsLayout]):
    """Share rings fill in one after another; the first carries the slide's gold accent."""

    def start(self, category: int, series: int = 0) -> float:
        return 0.2 + category * self.theme.motion.stagger_ms / 1000 * 2

    def ring_text(self, index: int) -> tuple[str, str]:
        """The ring's (qualifier, number): ("over", "40%") / ("超过", "40%")."""
        metric = self.category_metric(index)
        if metric is not None:
            figure = format_metric(metric, self.lang)
        else:
            figure = format_figure(self.values[0][index], self.lang, fmt="percent")
        number = figure.text[len(figure.qualifier) :].strip() if figure.qualifier else figure.text
        return figure.qualifier, number

    def hit_targets(self) -> list[HitTarget]:
        if self.width() <= 0 or self.height() <= 0:
            return []
        bounds = QRectF(0, 0, self.width(), self.height())
        return [
            HitTarget(
                key=f"category:{i}",
                rect=ring.square.intersected(bounds),
                title=self.category_label(i),
                detail=self.category_detail(i),
            )
            for i, ring in enumerate(self.arranged().rings)
        ]

    # -- layout --------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> RingsLayout:
        px = grid.px
        type_ = self.theme.type
        n = self.count
        content = self.content_rect(grid)
        area, note_rect, note_font = self.note_block(grid, content)
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
        return RingsLayout(rings, label_font, number_font, qualifier_font, note_rect, note_font)

    # -- painting ------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        colors = self.theme.colors
        index = self.highlight_index()
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
                accent = mix(accent, self.color("text"), 0.18)
            span = 360.0 * clamp01(value / 100) * p
            if span > 0:
                pen = QPen(accent, ring.stroke)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawArc(path_rect, 90 * 16, -round(span * 16))
            if i == index:
                outline = square.adjusted(-grid.px(8), -grid.px(8), grid.px(8), grid.px(8))
                painter.setPen(QPen(self.color("text", 0.7), grid.px(2)))
                painter.drawEllipse(outline)
            qualifier, number = self.ring_text(i)
            self._paint_ring_text(painter, layout, ring, qualifier, number, self.reveal(i))
            text = "\n".join(ring.lines)
            draw_text(painter, ring.label_rect, text, layout.label_font, colors.text, CENTER)
        self.paint_note(painter, layout.note_rect, layout.note_font)

    def reveal(self, category: int) -> float:
        """0→1 (linear in time) of the ring's figure sliding into place, as its ring sweeps."""
        if self.deck.settings.loop.reduce_motion:
            return 1.0
        length = self.length()
        return clamp01((self.elapsed - self.start(category)) / length) if length > 0 else 1.0

    def _paint_ring_text(
        self,
        painter: QPainter,
        layout: RingsLayout,
        ring: Ring,
        qualifier: str,
        number: str,
        reveal: float,
    ) -> None:
        colors = self.theme.colors
        number_h = QFontMetricsF(layout.number_font).capHeight() * 1.5
        number_box = line_box_height(number, layout.number_font)
        qual_h = line_box_height(qualifier, layout.qualifier_font) if qualifier else 0.0
        center = ring.square.center()
        total = qual_h + number_h
        top = center.y() - total / 2
        # The qualifier fades in; the figure's glyphs slide up into place.
        painter.setOpacity(clamp01(reveal * 3))
        if qualifier:
            draw_text(
                painter,
                QRectF(ring.square.left(), top - qual_h * 0.15, ring.square.width(), qual_h),
                qualifier,
                layout.qualifier_font,
                colors.muted,
                CENTER,
            )
        painter.setOpacity(1.0)
        number_top = top + qual_h + (number_h - number_box) / 2
        metrics = QFontMetricsF(layout.number_font)
        # Where a centred line of the number box puts its baseline (as `draw_text` would).
        baseline = number_top + (number_box - metrics.height()) / 2 + metrics.ascent()
        left = center.x() - metrics.horizontalAdvance(number) / 2
        draw_figure_text(
            painter,
            QPointF(left, baseline),
            number,
            layout.number_font,
            self.color("text"),
            reveal,
        )
