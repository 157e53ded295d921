"""Share charts: one ring a category, filled to its percentage, painted with QPainter.

A ring sweeps round to its share while its percentage slides up into place in its middle: the
figure drawn is always the share itself, never a value it passes on the way. A category may be
the slide's hero (`hero: true`: a large ring in the accent colour, the others smaller beside
it) and may name several things its one figure is true of (`items`, listed under its label),
so one "over 40 %" is stated once rather than as three identical rings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen

from kiosk.content.format import format_figure, format_metric
from kiosk.ui.base import HitTarget
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
    number_font: QFont | None = None
    """The ring's own figure size (hero layouts); the layout's shared one if None."""
    qualifier_font: QFont | None = None
    items_rect: QRectF | None = None
    items: tuple[str, ...] = ()
    """The wrapped lines of the things the figure is true of, under the label."""
    hero: bool = False


@dataclass
class RingsLayout:
    """The rings of a share chart, the fonts they share and the note."""

    rings: list[Ring]
    label_font: QFont
    number_font: QFont
    qualifier_font: QFont
    note_rect: QRectF | None
    note_font: QFont | None
    items_font: QFont | None = None


HERO_SHARE = (0.54, 0.56)
"""The hero's part of the chart area: its width in landscape, its height in portrait."""
HERO_LARGEST = 460.0
"""A hero ring's largest diameter (design pixels)."""
OTHER_LARGEST = 300.0
"""The other rings' largest diameter beside a hero."""
OTHER_OF_HERO = 0.66
"""The other rings are at most this share of the hero's diameter."""


class RingsView(ChartView[RingsLayout]):
    """Share rings fill in one after another; the first carries the slide's gold accent."""

    def start(self, category: int, series: int = 0) -> float:
        return 0.2 + category * self.theme.motion.stagger_ms / 1000 * 2

    def hero_index(self) -> int | None:
        """The category marked `hero: true`, if any."""
        return next((i for i, c in enumerate(self.chart.categories) if c.hero), None)

    def accent_index(self) -> int:
        """The ring in the slide's one accent colour: the hero, else the first."""
        hero = self.hero_index()
        return 0 if hero is None else hero

    def featured(self) -> bool:
        """Whether a category is a hero or names items (the layout that gives them room)."""
        return any(c.hero or c.items for c in self.chart.categories)

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
                rect=self.ring_bounds(ring).intersected(bounds),
                title=self.category_label(i),
                detail=self.category_detail(i),
            )
            for i, ring in enumerate(self.arranged().rings)
        ]

    def ring_bounds(self, ring: Ring) -> QRectF:
        """A ring with its words: what a tap on it may touch (the ring alone for plain
        layouts)."""
        if ring.items_rect is None and not ring.hero:
            return QRectF(ring.square)
        rect = ring.square.united(ring.label_rect)
        return rect.united(ring.items_rect) if ring.items_rect is not None else rect

    # -- layout --------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> RingsLayout:
        layout = self._arrange_in(grid, self.content_rect(grid))
        targets = [self.ring_bounds(ring) for ring in layout.rings]
        if self.reach_shortfall(grid, targets) > 0:
            # Out of a seated visitor's reach on a portrait screen: the rings below it.
            layout = self._arrange_in(grid, self.reach_rect(grid))
        return layout

    def _arrange_in(self, grid: Grid, content: QRectF) -> RingsLayout:
        px = grid.px
        type_ = self.theme.type
        n = self.count
        area, note_rect, note_font = self.note_block(grid, content)
        if self.featured():
            return self._arrange_featured(grid, area, note_rect, note_font)
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

    def _featured_cells(self, grid: Grid, area: QRectF) -> list[QRectF]:
        """One cell a ring: the hero's large one, the others sharing the rest."""
        n = self.count
        hero = self.hero_index()
        gutter = grid.gutter
        if hero is None or n == 1:
            columns = (1 if n == 1 else 2) if grid.portrait else min(n, 4)
            return grid.cells(area, n, columns)
        others = n - 1
        if grid.portrait:
            split = area.height() * HERO_SHARE[1]
            hero_cell = QRectF(area.left(), area.top(), area.width(), split - gutter / 2)
            rest = QRectF(
                area.left(), hero_cell.bottom() + gutter, area.width(), area.bottom() - split
            )
            rest.setHeight(area.bottom() - rest.top())
            other_cells = grid.cells(rest, others, min(others, 3))
        else:
            split = area.width() * HERO_SHARE[0]
            hero_cell = QRectF(area.left(), area.top(), split - gutter / 2, area.height())
            rest = QRectF(
                hero_cell.right() + gutter, area.top(), area.right() - split, area.height()
            )
            rest.setWidth(area.right() - rest.left())
            other_cells = grid.cells(rest, others, 1 if others <= 2 else 2)
        cells = list(other_cells)
        cells.insert(hero, hero_cell)
        return cells

    def _arrange_featured(
        self, grid: Grid, area: QRectF, note_rect: QRectF | None, note_font: QFont | None
    ) -> RingsLayout:
        px = grid.px
        type_ = self.theme.type
        n = self.count
        hero = self.hero_index()
        cells = self._featured_cells(grid, area)
        narrowest = min(c.width() for c in cells)
        lowest = min(c.height() for c in cells)
        labels = [self.t(self.category_label(i)) for i in range(n)]
        label_font, wrapped = fit_lines(
            labels, narrowest * 0.9, max(lowest * 0.22, px(40)), px(type_.body), px(type_.caption)
        )
        items = [[self.t(item) for item in c.items or []] for c in self.chart.categories]
        flat = [item for group in items for item in group]
        items_font = None
        item_lines: list[list[str]] = [[] for _ in range(n)]
        if flat:
            items_font, wrapped_items = fit_lines(
                flat,
                narrowest * 0.9,
                px(type_.label) * 1.35 * 2,
                px(type_.label),
                px(type_.caption),
                max_lines=2,
            )
            k = 0
            for i, group in enumerate(items):
                for _ in group:
                    item_lines[i].extend(wrapped_items[k])
                    k += 1
        gap = px(24)
        item_gap = px(14)

        def words_h(i: int) -> float:
            h = block_size(wrapped[i], label_font)[1]
            if item_lines[i] and items_font is not None:
                h += item_gap + block_size(item_lines[i], items_font)[1]
            return h

        def diameter_of(i: int, cap: float) -> float:
            cell = cells[i]
            return max(px(48), min(cell.width() * 0.78, cell.height() - words_h(i) - gap, cap))

        hero_d = diameter_of(hero, px(HERO_LARGEST)) if hero is not None else 0.0
        other_cap = px(OTHER_LARGEST)
        if hero is not None:
            other_cap = min(other_cap, hero_d * OTHER_OF_HERO)
        sample = QFontMetricsF(ui_font(100, bold=True))
        rings = []
        for i, cell in enumerate(cells):
            is_hero = i == hero
            diameter = hero_d if is_hero else diameter_of(i, other_cap)
            stroke = diameter * 0.1
            inner = diameter - 2 * stroke
            number = self.ring_text(i)[1]
            size = diameter * 0.3
            while size > 8 and sample.horizontalAdvance(number) * size / 100 > inner * 0.74:
                size *= 0.94
            number_font = ui_font(size, bold=True)
            qualifier_font = ui_font(max(px(type_.caption), size * 0.34))
            label_h = block_size(wrapped[i], label_font)[1]
            block = diameter + gap + words_h(i)
            top = cell.center().y() - block / 2
            square = QRectF(cell.center().x() - diameter / 2, top, diameter, diameter)
            label_rect = QRectF(
                cell.left() + cell.width() * 0.05,
                square.bottom() + gap,
                cell.width() * 0.9,
                label_h,
            )
            items_rect = None
            if item_lines[i] and items_font is not None:
                items_h = block_size(item_lines[i], items_font)[1]
                items_rect = QRectF(
                    label_rect.left(), label_rect.bottom() + item_gap, label_rect.width(), items_h
                )
            rings.append(
                Ring(
                    square,
                    stroke,
                    label_rect,
                    wrapped[i],
                    number_font=number_font,
                    qualifier_font=qualifier_font,
                    items_rect=items_rect,
                    items=tuple(item_lines[i]),
                    hero=is_hero,
                )
            )
        first = rings[0]
        assert first.number_font is not None
        assert first.qualifier_font is not None
        return RingsLayout(
            rings,
            label_font,
            first.number_font,
            first.qualifier_font,
            note_rect,
            note_font,
            items_font,
        )

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
                bottom = (ring.items_rect or ring.label_rect).bottom()
                tile = QRectF(
                    ring.label_rect.left() - pad / 2,
                    square.top() - pad,
                    ring.label_rect.width() + pad,
                    bottom - square.top() + 2 * pad,
                )
                painter.setPen(QPen(self.color("panel_edge"), grid.px(2)))
                painter.setBrush(self.color("panel"))
                radius = grid.px(self.theme.space.radius)
                painter.drawRoundedRect(tile, radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            track = QPen(self.color("track"), ring.stroke)
            track.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(track)
            painter.drawEllipse(path_rect)
            accent = self.color("gold") if i == self.accent_index() else self.color("teal")
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
            if ring.items_rect is not None and layout.items_font is not None:
                draw_text(
                    painter,
                    ring.items_rect,
                    "\n".join(ring.items),
                    layout.items_font,
                    colors.muted,
                    CENTER,
                )
        self.paint_note(painter, layout.note_rect, layout.note_font)

    def reveal(self, category: int) -> float:
        """0→1 (linear in time) of the ring's figure sliding into place, as its ring sweeps."""
        if self.calm:
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
        number_font = ring.number_font or layout.number_font
        qualifier_font = ring.qualifier_font or layout.qualifier_font
        number_h = QFontMetricsF(number_font).capHeight() * 1.5
        number_box = line_box_height(number, number_font)
        qual_h = line_box_height(qualifier, qualifier_font) if qualifier else 0.0
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
                qualifier_font,
                colors.muted,
                CENTER,
            )
        painter.setOpacity(1.0)
        number_top = top + qual_h + (number_h - number_box) / 2
        metrics = QFontMetricsF(number_font)
        # Where a centred line of the number box puts its baseline (as `draw_text` would).
        baseline = number_top + (number_box - metrics.height()) / 2 + metrics.ascent()
        left = center.x() - metrics.horizontalAdvance(number) / 2
        draw_figure_text(
            painter,
            QPointF(left, baseline),
            number,
            number_font,
            self.color("gold") if ring.hero else self.color("text"),
            reveal,
        )
