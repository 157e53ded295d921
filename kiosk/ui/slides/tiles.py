"""The tiles slide: icon tiles that rise in one after another; each opens a detail card.

A tile is an icon (the content folder's own SVG, drawn through the images module like every
picture) over a short label, on a panel; the words that do not fit a glance go in its card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from kiosk.content.model import IconTile, TilesSlide
from kiosk.ui.base import HitTarget, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import draw_panel
from kiosk.ui.draw.text import block_size, draw_text, fit_lines

# Design sizes (pixels at 1920x1080) of the tile layout.
PADDING = 28.0
"""Space inside a tile, around its icon and words."""
MAX_TILE = (400.0, 440.0)
"""Tiles grow no larger than this (width, height)."""
DESIGN_BODY = 30.0
"""The body size the tile caps are drawn for (the rivers theme's)."""
ICON = (180.0, 0.5)
"""An icon's largest side, and its largest share of the tile's width."""
ICON_GAP = 24.0
"""Between the icon and the label."""
START_DELAY = 0.1
"""Seconds before the first tile starts to rise in."""
RISE = 28.0
"""How far a tile rises as it fades in."""
CENTRED = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)


def tile_columns(count: int, portrait: bool) -> int:
    """Tiles a row: one row up to five in landscape (four and four for eight), two in
    portrait."""
    if portrait:
        return 1 if count == 1 else 2
    if count <= 5:
        return count
    return math.ceil(count / 2)


@dataclass(frozen=True)
class TilePlace:
    """Where one tile's parts go."""

    rect: QRectF
    icon: QRectF
    label: QRectF
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TilesLayout:
    """The tiles at one size and language, with the one label font they share."""

    tiles: tuple[TilePlace, ...]
    label_font: QFont


class TilesView(SlideView[TilesLayout]):
    """Icon tiles on the design grid; the pressed tile lights up with a teal edge."""

    slide: TilesSlide

    # -- model -------------------------------------------------------------------------------

    def key(self, index: int) -> str:
        return f"tile:{index}"

    def entry_duration(self) -> float:
        """Seconds until the last tile has risen into place."""
        if self.calm:
            return 0.0
        motion = self.theme.motion
        last = START_DELAY + (len(self.slide.tiles) - 1) * motion.stagger_ms / 1000
        return last + motion.entry_ms / 1000

    def hit_targets(self) -> list[HitTarget]:
        layout = self.arranged()
        return [
            HitTarget(
                key=self.key(i), rect=QRectF(placed.rect), title=tile.label, detail=tile.detail
            )
            for i, (tile, placed) in enumerate(zip(self.slide.tiles, layout.tiles, strict=True))
        ]

    # -- layout ------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> TilesLayout:
        """Where every tile, icon and label goes at this window size and language."""
        area = self.content_rect(grid).adjusted(0, 0, 0, -grid.gutter)
        count = len(self.slide.tiles)
        columns = tile_columns(count, grid.portrait)
        block = self._block(grid, area, columns)
        if grid.portrait and 3 <= count <= 6:
            # Two a row leave a portrait screen's first row out of a seated visitor's reach:
            # three a row, lower, when that brings it in.
            first = grid.cells(block, count, columns)[0]
            if self.reach_shortfall(grid, [first]) > 0:
                wider = self._block(grid, area, 3)
                if self.reach_shortfall(grid, [grid.cells(wider, count, 3)[0]]) <= 0:
                    columns, block = 3, wider
        cells = grid.cells(block, count, columns)
        pad = grid.px(PADDING)
        cell_w = min(c.width() for c in cells)
        cell_h = min(c.height() for c in cells)
        inner_w = cell_w - 2 * pad
        type_ = self.theme.type
        side = min(grid.px(ICON[0]), inner_w * ICON[1] * 2, cell_h * 0.45)
        gap = grid.px(ICON_GAP)
        room = cell_h - 2 * pad - side - gap
        label_font, wrapped = fit_lines(
            [self.t(tile.label) for tile in self.slide.tiles],
            inner_w,
            room,
            grid.px(type_.body),
            grid.px(type_.caption),
            max_lines=4,
        )
        label_h = max(block_size(lines, label_font)[1] for lines in wrapped)
        tiles = []
        for cell, lines in zip(cells, wrapped, strict=True):
            # Icon and label as one block, in the middle of the tile.
            used = side + gap + label_h
            top = cell.top() + max(pad, (cell.height() - used) / 2)
            icon = QRectF(cell.center().x() - side / 2, top, side, side)
            label = QRectF(cell.left() + pad, icon.bottom() + gap, inner_w, label_h)
            tiles.append(TilePlace(cell, icon, label, tuple(lines)))
        return TilesLayout(tuple(tiles), label_font)

    def _block(self, grid: Grid, area: QRectF, columns: int) -> QRectF:
        """The tiles' block in `area`, `columns` a row: capped, a little above the middle (the
        optical centre), lower on a portrait screen so its tiles are in reach."""
        rows = math.ceil(len(self.slide.tiles) / columns)
        gutter = grid.gutter
        # The caps grow with the type (a visitor's larger text), where the slide has room.
        grow = max(1.0, self.theme.type.body / DESIGN_BODY)
        cap_w, cap_h = grid.px(MAX_TILE[0] * grow), grid.px(MAX_TILE[1] * grow)
        width = min(area.width(), columns * cap_w + (columns - 1) * gutter)
        height = min(area.height(), rows * cap_h + (rows - 1) * gutter)
        top = area.top() + (area.height() - height) * 0.4
        first = (height - (rows - 1) * gutter) / rows
        return QRectF(
            area.left() + (area.width() - width) / 2,
            self.lowered(grid, top, height, area.bottom(), first),
            width,
            height,
        )

    # -- painting ----------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        for i, (tile, placed) in enumerate(zip(self.slide.tiles, layout.tiles, strict=True)):
            progress = self.entry(i, delay=START_DELAY)
            if progress <= 0:
                continue
            painter.save()
            painter.setOpacity(progress)
            painter.translate(0, (1 - progress) * grid.px(RISE))
            self._paint_tile(painter, grid, layout, i, tile, placed)
            painter.restore()

    def _paint_tile(
        self,
        painter: QPainter,
        grid: Grid,
        layout: TilesLayout,
        index: int,
        tile: IconTile,
        placed: TilePlace,
    ) -> None:
        selected = self.highlight == self.key(index)
        panel = self.color("panel")
        if selected:
            panel = panel.lighter(125)
        edge = grid.px(3) if selected else max(1.0, grid.px(1.5))
        edge_color = self.color("teal") if selected else self.color("panel_edge")
        radius = grid.px(self.theme.space.radius)
        draw_panel(
            painter, placed.rect, radius, panel, edge_color, edge, backdrop=self.color("background")
        )
        self.paint_icon(painter, tile.icon, placed.icon)
        draw_text(
            painter,
            placed.label,
            "\n".join(placed.lines),
            layout.label_font,
            self.theme.colors.text,
            CENTRED,
        )


VIEW = TilesView
