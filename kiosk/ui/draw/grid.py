"""The design grid at a window size: 12 columns, margins, gutters, the foot band, all scaled."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF

from kiosk.content.theme import Theme

DESIGN_LANDSCAPE = (1920.0, 1080.0)
DESIGN_PORTRAIT = (1080.0, 1920.0)


@dataclass(frozen=True)
class Grid:
    """The design grid at a window size: 12 columns, margins and gutters, all scaled."""

    width: float
    height: float
    theme: Theme

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def scale(self) -> float:
        """Design pixels to screen pixels: 1.0 at 1920x1080 (or 1080x1920 in portrait)."""
        w, h = DESIGN_PORTRAIT if self.portrait else DESIGN_LANDSCAPE
        return min(self.width / w, self.height / h)

    def px(self, design: float) -> float:
        """A design size (pixels at 1920x1080) at this window size."""
        return design * self.scale

    @property
    def margin(self) -> float:
        return self.px(self.theme.space.margin)

    @property
    def gutter(self) -> float:
        return self.px(self.theme.space.gutter)

    @property
    def touch(self) -> float:
        """The smallest side of a tap target (about 9 mm on a 55-inch screen)."""
        return self.px(self.theme.space.touch)

    @property
    def footer_height(self) -> float:
        # Portrait screens are narrow: the source line and the navigation take a row each.
        return self.px(self.theme.space.footer * (1.8 if self.portrait else 1.0))

    @property
    def frame(self) -> QRectF:
        """The area inside the outer margins, above the foot band."""
        m = self.margin
        return QRectF(m, m, self.width - 2 * m, self.height - m - self.footer_height)

    @property
    def footer(self) -> QRectF:
        """The foot band: the source line and the navigation controls."""
        height = self.footer_height
        return QRectF(self.margin, self.height - height, self.width - 2 * self.margin, height)

    @property
    def source_rect(self) -> QRectF:
        """Where the source line goes: the band's left half, or its upper row in portrait."""
        band = self.footer
        if self.portrait:
            return QRectF(band.left(), band.top(), band.width(), band.height() * 0.42)
        return QRectF(band.left(), band.top(), band.width() * 0.48, band.height())

    @property
    def nav_rect(self) -> QRectF:
        """Where the navigation controls go: the band's right half, or its lower row."""
        band = self.footer
        if self.portrait:
            top = band.top() + band.height() * 0.42
            return QRectF(band.left(), top, band.width(), band.bottom() - top)
        left = band.left() + band.width() * 0.5
        return QRectF(left, band.top(), band.right() - left, band.height())

    def columns(self, rect: QRectF, count: int) -> list[QRectF]:
        """`count` equal columns across `rect`, separated by gutters."""
        width = (rect.width() - self.gutter * (count - 1)) / count
        return [
            QRectF(rect.left() + i * (width + self.gutter), rect.top(), width, rect.height())
            for i in range(count)
        ]

    def cells(self, rect: QRectF, count: int, columns: int) -> list[QRectF]:
        """`count` cells in rows of `columns`, filling `rect`."""
        rows = math.ceil(count / columns)
        height = (rect.height() - self.gutter * (rows - 1)) / rows
        cells = []
        for i in range(count):
            row, col = divmod(i, columns)
            in_row = min(columns, count - row * columns)
            width = (rect.width() - self.gutter * (columns - 1)) / columns
            # A short last row is centred rather than left hanging.
            offset = (columns - in_row) * (width + self.gutter) / 2
            cells.append(
                QRectF(
                    rect.left() + offset + col * (width + self.gutter),
                    rect.top() + row * (height + self.gutter),
                    width,
                    height,
                )
            )
        return cells
