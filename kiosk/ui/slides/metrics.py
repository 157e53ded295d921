"""The metrics slide: KPI tiles that rise in while their figures' digits slide up into place;
each tile opens a detail card.

A tile never shows a number other than its figure: the digits drawn are always the final ones,
revealed (partly hidden below the line while they slide in), never counted up through values
the content does not state. A tile may carry chips under its figure (the named items a count
counts: "6" major fronts, two of them named) and the slide a note under its tiles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPen

from kiosk.content.format import Figure, format_metric
from kiosk.content.model import Metric, MetricsSlide, Tile
from kiosk.ui.base import HitTarget, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import clamp01
from kiosk.ui.draw.paint import device_ratio, draw_figure_text, draw_panel
from kiosk.ui.draw.text import WRAP, draw_text, fit_font, fit_line, text_size
from kiosk.ui.fonts import ui_font

# Design sizes (pixels at 1920x1080) of the tile layout.
PADDING = 36.0
"""Space inside a tile, around its words."""
DESIGN_BODY = 30.0
"""The body size the tile caps are drawn for (the rivers theme's)."""
MAX_TILE = (760.0, 380.0)
"""Tiles grow no larger than this (width, height): a single figure does not fill the screen."""
ICON = 56.0
"""The side of a tile's optional icon, in its top right corner."""
MARK = (40.0, 4.0)
"""The small teal mark above each label."""
START_DELAY = 0.1
"""Seconds before the first tile starts to enter."""
FIGURE_DELAY = 0.12
"""Seconds after a tile starts to enter before its figure's digits start to slide in."""
QUALIFIER_GAP = 12.0
"""Between the qualifier (over, 超过) and the number."""
UNIT_GAP = 10.0
"""Between the number and a unit beside it."""
PERCENT_GAP = 3.0
"""Between the number and its % sign."""
PERCENT_SIZE = 0.5
"""A % sign's size, as a share of its number's."""
INLINE_LOSS = 0.85
"""The unit goes beside the number only if that keeps the number at least this large."""
MIDDLE = int(Qt.AlignmentFlag.AlignCenter)
"""A chip's words, in the middle of their pill."""
GIANT = 1.8
"""A count with chips (one or two digits) may stand this many times the KPI size."""
MAX_TILE_CHIPS = 560.0
"""A tile with chips may grow this tall: they go under its figure."""
CHIP_PAD = (18.0, 8.0)
"""Space inside a chip around its words (across, up and down)."""
CHIP_GAP = 12.0
"""Between two chips, and between the figure and the first row of chips."""


def tile_columns(count: int, portrait: bool) -> int:
    """How many tiles a row holds: up to 3 for six tiles, 4 for seven or eight; 2 in portrait."""
    if portrait:
        return 1 if count == 1 else 2
    return {1: 1, 2: 2, 3: 3, 4: 2, 5: 3, 6: 3}.get(count, 4)


def number_font(px: float) -> QFont:
    """The bold KPI face at `px` pixels."""
    return ui_font(px, bold=True)


@dataclass(frozen=True)
class TileLayout:
    """Where one tile's parts go, computed from its final figure at one window size."""

    rect: QRectF
    label_rect: QRectF
    label_font: QFont
    icon_rect: QRectF | None
    mark_rect: QRectF
    left: float
    number_baseline: float
    suffix_baseline: float | None
    """None when the unit sits beside the number."""
    chips: tuple[tuple[QRectF, str], ...] = ()
    """The chips under the figure: each pill and its words (typeset)."""


@dataclass(frozen=True)
class Run:
    """One piece of a tile's figure as painted: qualifier, number or unit."""

    role: str
    text: str
    font: QFont
    origin: QPointF
    """The left end of the baseline."""
    color: str

    def box(self) -> QRectF:
        """The box the run's glyphs occupy (advance by ascent and descent)."""
        metrics = QFontMetricsF(self.font)
        return QRectF(
            self.origin.x(),
            self.origin.y() - metrics.ascent(),
            metrics.horizontalAdvance(self.text),
            metrics.ascent() + metrics.descent(),
        )


@dataclass(frozen=True)
class MetricsLayout:
    """The whole slide's tile layout; one type size per part, shared by every tile."""

    tiles: tuple[TileLayout, ...]
    qualifier_font: QFont
    number_font: QFont
    suffix_font: QFont
    """The unit on its own line under the number."""
    beside_font: QFont
    """The unit beside the number."""
    percent_font: QFont
    """A bare % sign, always beside its number."""
    inline: bool
    chip_font: QFont | None = None
    note_rect: QRectF | None = None
    note_font: QFont | None = None


class MetricsView(SlideView[MetricsLayout]):
    """KPI tiles on the design grid; the first tile's figure carries the slide's gold accent."""

    slide: MetricsSlide

    def setup(self) -> None:
        self._buffers: dict[int, QImage] = {}

    # -- model -------------------------------------------------------------------------------

    def metric_of(self, tile: Tile) -> Metric:
        """The figure a tile shows."""
        return self.deck.metrics[tile.metric]

    def reveal_window(self, index: int) -> tuple[float, float]:
        """When the `index`-th tile's figure starts to slide into place, and for how long."""
        motion = self.theme.motion
        start = START_DELAY + index * motion.stagger_ms / 1000 + FIGURE_DELAY
        return start, motion.countup_ms / 1000

    def reveal_progress(self, index: int) -> float:
        """0→1 progress (linear in time) of the `index`-th tile's figure sliding into place."""
        if self.calm:
            return 1.0
        start, length = self.reveal_window(index)
        if self.elapsed >= start + length:
            return 1.0
        return clamp01((self.elapsed - start) / length)

    def tile_figures(self) -> list[Figure]:
        """Each tile's figure: the same at every moment of the entry (only how much of it
        shows changes)."""
        return [format_metric(self.metric_of(tile), self.lang) for tile in self.slide.tiles]

    def entry_duration(self) -> float:
        """Seconds until the last tile has entered and its figure landed."""
        if self.calm:
            return 0.0
        start, length = self.reveal_window(len(self.slide.tiles) - 1)
        entered = START_DELAY + (len(self.slide.tiles) - 1) * self.theme.motion.stagger_ms / 1000
        return max(start + length, entered + self.theme.motion.entry_ms / 1000)

    def hit_targets(self) -> list[HitTarget]:
        layout = self.arranged()
        return [
            HitTarget(
                key=f"tile:{tile.metric}",
                rect=QRectF(placed.rect),
                title=self.metric_of(tile).label,
                detail=tile.detail or self.metric_of(tile).detail,
            )
            for tile, placed in zip(self.slide.tiles, layout.tiles, strict=True)
        ]

    # -- layout ------------------------------------------------------------------------------

    def tile_rects(self, grid: Grid, area: QRectF) -> list[QRectF]:
        """The tiles' rectangles in the content `area`: grid cells, capped and centred."""
        count = len(self.slide.tiles)
        columns = tile_columns(count, grid.portrait)
        rows = math.ceil(count / columns)
        gutter = grid.gutter
        # The caps grow with the type (a visitor's larger text): the figure keeps its size
        # beside labels and chips that take more room, where the slide has it.
        grow = max(1.0, self.theme.type.body / DESIGN_BODY)
        cap_w, cap_h = grid.px(MAX_TILE[0] * grow), grid.px(MAX_TILE[1] * grow)
        if any(t.chips for t in self.slide.tiles):
            cap_h = grid.px(MAX_TILE_CHIPS * grow)
        width = min(area.width(), columns * cap_w + (columns - 1) * gutter)
        height = min(area.height(), rows * cap_h + (rows - 1) * gutter)
        # A little above the middle, the optical centre of the free space; on a portrait
        # screen lower, so every tile is in a seated visitor's reach.
        top = area.top() + (area.height() - height) * 0.4
        block = QRectF(
            area.left() + (area.width() - width) / 2,
            self.lowered(grid, top, height, area.bottom(), (height - (rows - 1) * gutter) / rows),
            width,
            height,
        )
        return grid.cells(block, count, columns)

    def arrange(self, grid: Grid) -> MetricsLayout:
        """Where everything goes at this window size and language.

        Sizes come from the figures, which stay the same while they are revealed.
        """
        # A gutter's breathing room above the foot line.
        area = self.content_rect(grid).adjusted(0, 0, 0, -grid.gutter)
        type_ = self.theme.type
        note_rect, note_font = None, None
        if self.slide.note is not None:
            note_text = self.t(self.slide.note)
            note_px = grid.px(type_.label)
            note_w = area.width() * (1.0 if grid.portrait else 0.8)
            note_font = fit_font(
                note_text,
                QRectF(0, 0, note_w, note_px * 1.4 * 2),
                note_px,
                min_px=grid.px(type_.caption),
                max_lines=2,
            )
            note_h = text_size(note_text, note_font, note_w).height()
            note_rect = QRectF(area.left(), area.bottom() - note_h, note_w, note_h)
            area.setBottom(note_rect.top() - grid.gutter)
        rects = self.tile_rects(grid, area)
        if note_rect is not None:
            # Just under the tiles it speaks of, not down at the foot.
            note_rect.moveTop(max(r.bottom() for r in rects) + grid.gutter)
            note_rect.moveLeft(min(r.left() for r in rects))
        pad = grid.px(PADDING)
        inner_w = min(r.width() for r in rects) - 2 * pad
        chip_font, chip_rows = self._chip_rows(grid, inner_w)
        chip_pad = grid.px(CHIP_PAD[1])
        chip_h = QFontMetricsF(chip_font).height() + 2 * chip_pad if chip_font is not None else 0.0
        chip_gap = grid.px(CHIP_GAP)
        most_rows = max((len(rows) for rows in chip_rows), default=0)
        chips_block = most_rows * chip_h + most_rows * chip_gap
        inner_h = min(r.height() for r in rects) - 2 * pad - chips_block
        metrics = [self.metric_of(tile) for tile in self.slide.tiles]
        figures = [format_metric(m, self.lang) for m in metrics]

        qualifier_font = ui_font(grid.px(type_.body))
        qm = QFontMetricsF(qualifier_font)
        gap = grid.px(QUALIFIER_GAP)
        suffix_px = grid.px(type_.subtitle)
        sm = QFontMetricsF(ui_font(suffix_px))
        kpi = grid.px(type_.kpi)
        if chip_font is not None and all(len(f.number) <= 2 for f in figures):
            kpi *= GIANT  # a count is the slide's one hero: giant, its chips say what it counts
        floor = grid.px(type_.caption)

        def qualifier_w(fig: Figure) -> float:
            return qm.horizontalAdvance(fig.qualifier) + gap if fig.qualifier else 0.0

        # Measured at the largest size it can take, so the number never runs into it.
        pm = QFontMetricsF(ui_font(kpi * PERCENT_SIZE, bold=True))

        def suffix_w(fig: Figure) -> float:
            if not fig.suffix:
                return 0.0
            if attached(fig):
                return pm.horizontalAdvance(fig.suffix) + grid.px(PERCENT_GAP)
            return sm.horizontalAdvance(fig.suffix) + grid.px(UNIT_GAP)

        numbers = [f.number for f in figures]

        def number_px(beside: bool) -> float:
            """The one number size for every tile, with units beside the numbers or not."""
            return min(
                fit_line(
                    number,
                    inner_w - qualifier_w(f) - (suffix_w(f) if beside or attached(f) else 0.0),
                    kpi,
                    bold=True,
                    min_px=floor,
                )
                for f, number in zip(figures, numbers, strict=True)
            )

        inline_px, below_px = number_px(True), number_px(False)
        inline = inline_px >= INLINE_LOSS * below_px
        num_px = inline_px if inline else below_px
        separate = [f.suffix for f in figures if f.suffix and not (inline or attached(f))]
        if separate:
            suffix_px = min(
                fit_line(s, inner_w, suffix_px, bold=False, min_px=floor) for s in separate
            )
            sm = QFontMetricsF(ui_font(suffix_px))
        suffix_block = sm.ascent() + sm.descent() + grid.px(12) if separate else 0.0

        # The label needs room for two lines above the figure: shrink the figure if it lacks it.
        label_px = grid.px(type_.label)
        label_room = 2 * QFontMetricsF(ui_font(label_px)).lineSpacing() * 1.15
        mark_room = grid.px(MARK[1]) + grid.px(16)
        probe = QFontMetricsF(number_font(100))
        per_px = (probe.capHeight() + probe.descent()) / 100
        room = inner_h - label_room - mark_room - grid.px(20) - suffix_block
        num_px = max(floor, min(num_px, room / per_px))
        nm = QFontMetricsF(number_font(num_px))

        tiles = []
        for index, (tile, rect) in enumerate(zip(self.slide.tiles, rects, strict=True)):
            inner = rect.adjusted(pad, pad, -pad, -pad)
            chips: list[tuple[QRectF, str]] = []
            if chip_font is not None:
                # Chips hang from the tile's foot, rows upwards; the figure stands on them.
                cm = QFontMetricsF(chip_font)
                rows_ = chip_rows[index]
                for r, row in enumerate(rows_):
                    # Under the figure, rows downwards (tiles with fewer rows leave room below).
                    y = inner.bottom() - chips_block + chip_gap + r * (chip_h + chip_gap)
                    x = inner.left()
                    for words in row:
                        w = cm.horizontalAdvance(words) + 2 * grid.px(CHIP_PAD[0])
                        chips.append((QRectF(x, y, min(w, inner.width()), chip_h), words))
                        x += w + chip_gap
            inner = inner.adjusted(0, 0, 0, -chips_block)
            if separate:
                suffix_baseline = inner.bottom() - sm.descent()
                number_baseline = suffix_baseline - sm.ascent() - nm.descent() - grid.px(12)
            else:
                suffix_baseline = None
                number_baseline = inner.bottom() - nm.descent()
            number_top = number_baseline - nm.capHeight()
            mark = QRectF(inner.left(), inner.top(), grid.px(MARK[0]), grid.px(MARK[1]))
            icon_rect = None
            label_w = inner.width()
            if tile.icon:
                side = grid.px(ICON)
                icon_rect = QRectF(inner.right() - side, inner.top(), side, side)
                label_w -= side + grid.px(16)
            label_top = mark.bottom() + grid.px(16)
            label_rect = QRectF(
                inner.left(), label_top, label_w, max(1.0, number_top - grid.px(20) - label_top)
            )
            label_font = fit_font(
                self.t(self.metric_of(tile).label),
                label_rect,
                label_px,
                min_px=floor * 0.9,
            )
            tiles.append(
                TileLayout(
                    rect=rect,
                    label_rect=label_rect,
                    label_font=label_font,
                    icon_rect=icon_rect,
                    mark_rect=mark,
                    left=inner.left(),
                    number_baseline=number_baseline,
                    suffix_baseline=suffix_baseline,
                    chips=tuple(chips),
                )
            )
        return MetricsLayout(
            tiles=tuple(tiles),
            qualifier_font=qualifier_font,
            number_font=number_font(num_px),
            suffix_font=ui_font(suffix_px),
            beside_font=ui_font(min(grid.px(type_.subtitle), num_px * 0.45)),
            percent_font=ui_font(num_px * PERCENT_SIZE, bold=True),
            inline=inline,
            chip_font=chip_font,
            note_rect=note_rect,
            note_font=note_font,
        )

    def _chip_rows(self, grid: Grid, width: float) -> tuple[QFont | None, list[list[list[str]]]]:
        """One chip font for the slide (each chip on one line within a tile's `width`) and
        each tile's chips flowed into rows."""
        texts = [[self.t(chip) for chip in tile.chips or []] for tile in self.slide.tiles]
        flat = [t for chips in texts for t in chips]
        if not flat:
            return None, [[] for _ in texts]
        type_ = self.theme.type
        across = 2 * grid.px(CHIP_PAD[0])
        px = min(
            fit_line(
                t,
                width - across,
                grid.px(type_.label),
                bold=False,
                min_px=grid.px(type_.caption) * 0.9,
            )
            for t in flat
        )
        font = ui_font(px)
        metrics = QFontMetricsF(font)
        gap = grid.px(CHIP_GAP)
        flowed = []
        for chips in texts:
            rows: list[list[str]] = []
            used = 0.0
            for words in chips:
                w = metrics.horizontalAdvance(words) + across
                if rows and used + gap + w <= width:
                    rows[-1].append(words)
                    used += gap + w
                else:
                    rows.append([words])
                    used = w
            flowed.append(rows)
        return font, flowed

    # -- painting ----------------------------------------------------------------------------

    def _buffer(self, index: int, painter: QPainter, rect: QRectF) -> QImage:
        """Tile `index`'s fade-in buffer, filled with the slide background, reused per size."""
        ratio = device_ratio(painter)
        size = (max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
        buffer = self._buffers.get(index)
        if buffer is None or (buffer.width(), buffer.height()) != size:
            buffer = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
            buffer.setDevicePixelRatio(ratio)
            self._buffers[index] = buffer
        buffer.fill(self.color("background"))
        return buffer

    def animated_rect(self) -> QRect:
        """Once every tile is in place only the figures' digits move: repaint just their
        lines."""
        tiles = len(self.slide.tiles)
        if tiles == 0 or self.entry(tiles - 1, delay=START_DELAY) < 1.0:
            return super().animated_rect()
        grid = self.grid
        layout = self.arranged()
        number = QFontMetricsF(layout.number_font)
        suffix = QFontMetricsF(layout.suffix_font)
        region = QRect()
        for placed in layout.tiles:
            top = placed.number_baseline - number.ascent() - grid.px(6)
            bottom = (
                (placed.suffix_baseline or placed.number_baseline)
                + max(number.descent(), suffix.descent())
                + grid.px(6)
            )
            line = QRectF(placed.rect.left(), top, placed.rect.width(), bottom - top)
            region = region.united(line.intersected(placed.rect).toAlignedRect())
        return region

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        figures = self.tile_figures()
        if layout.note_rect is not None and layout.note_font is not None:
            # The note arrives with the tiles, whole (it states no figure that could move).
            painter.save()
            painter.setOpacity(self.entry(0, delay=START_DELAY))
            text = self.t(self.slide.note)
            draw_text(painter, layout.note_rect, text, layout.note_font, self.theme.colors.muted)
            painter.restore()
        for i, (tile, placed, figure) in enumerate(
            zip(self.slide.tiles, layout.tiles, figures, strict=True)
        ):
            progress = self.entry(i, delay=START_DELAY)
            if progress <= 0:
                continue
            rise = (1 - progress) * grid.px(28)
            if progress >= 1:
                self._paint_tile(painter, grid, layout, i, tile, placed, figure)
                continue
            # While a tile fades in, it is composed at full opacity into a buffer and the
            # buffer is blended once: blending each of its pieces with opacity cost several
            # times more on the software rasterizer.
            buffer = self._buffer(i, painter, placed.rect)
            tile_painter = QPainter(buffer)
            try:
                tile_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                tile_painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                tile_painter.translate(-placed.rect.topLeft())
                self._paint_tile(tile_painter, grid, layout, i, tile, placed, figure)
            finally:
                tile_painter.end()
            painter.save()
            painter.setOpacity(progress)
            painter.drawImage(placed.rect.topLeft() + QPointF(0, rise), buffer)
            painter.restore()

    def _paint_tile(
        self,
        painter: QPainter,
        grid: Grid,
        layout: MetricsLayout,
        index: int,
        tile: Tile,
        placed: TileLayout,
        figure: Figure,
    ) -> None:
        colors = self.theme.colors
        selected = self.highlight == f"tile:{tile.metric}"
        edge = grid.px(3) if selected else max(1.0, grid.px(1.5))
        panel = self.color("panel")
        if selected:
            panel = panel.lighter(125)
        radius = grid.px(self.theme.space.radius)
        edge_color = self.color("teal") if selected else self.color("panel_edge")
        draw_panel(
            painter, placed.rect, radius, panel, edge_color, edge, backdrop=self.color("background")
        )

        painter.fillRect(placed.mark_rect, self.color("teal"))
        draw_text(
            painter,
            placed.label_rect,
            self.t(self.metric_of(tile).label),
            placed.label_font,
            colors.muted,
            WRAP,
        )
        if placed.icon_rect is not None and tile.icon:
            self.paint_icon(painter, tile.icon, placed.icon_rect)

        if placed.chips and layout.chip_font is not None:
            radius = placed.chips[0][0].height() / 2
            for pill, words in placed.chips:
                painter.setPen(QPen(self.color("teal", 0.7), max(1.0, grid.px(1.5))))
                painter.setBrush(self.color("teal", 0.12))
                painter.drawRoundedRect(pill, radius, radius)
                draw_text(painter, pill, words, layout.chip_font, colors.text, MIDDLE)
        reveal = self.reveal_progress(index)
        for run in self.figure_runs(index, figure, layout, grid):
            # The digits slide in; the words around them arrive with the tile.
            shown = reveal if run.role == "number" else 1.0
            draw_figure_text(painter, run.origin, run.text, run.font, self.color(run.color), shown)

    def figure_runs(
        self,
        index: int,
        figure: Figure | None = None,
        layout: MetricsLayout | None = None,
        grid: Grid | None = None,
    ) -> list[Run]:
        """The pieces of the `index`-th tile's figure and where they are painted, in place
        (not risen, nor sliding)."""
        grid = grid or self.grid
        layout = layout or self.arranged()
        figure = figure or self.tile_figures()[index]
        placed = layout.tiles[index]
        runs = []
        x = placed.left
        baseline = placed.number_baseline
        if figure.qualifier:
            font = layout.qualifier_font
            runs.append(Run("qualifier", figure.qualifier, font, QPointF(x, baseline), "muted"))
            x += QFontMetricsF(layout.qualifier_font).horizontalAdvance(figure.qualifier)
            x += grid.px(QUALIFIER_GAP)
        # The slide's one accent: the first tile's number in gold.
        color = "gold" if index == 0 else "text"
        runs.append(Run("number", figure.number, layout.number_font, QPointF(x, baseline), color))
        x += QFontMetricsF(layout.number_font).horizontalAdvance(figure.number)
        if not figure.suffix:
            return runs
        if attached(figure):
            # The % sign belongs to the number: its colour, bold, half its size.
            origin = QPointF(x + grid.px(PERCENT_GAP), baseline)
            runs.append(Run("unit", figure.suffix, layout.percent_font, origin, color))
        elif layout.inline:
            origin = QPointF(x + grid.px(UNIT_GAP), baseline)
            runs.append(Run("unit", figure.suffix, layout.beside_font, origin, "text"))
        elif placed.suffix_baseline is not None:
            origin = QPointF(placed.left, placed.suffix_baseline)
            runs.append(Run("unit", figure.suffix, layout.suffix_font, origin, "text"))
        return runs


def attached(figure: Figure) -> bool:
    """True for a bare % sign, which stays beside its number."""
    return figure.unit == "%" and not figure.scale


VIEW = MetricsView
