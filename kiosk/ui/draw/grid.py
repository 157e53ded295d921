"""The design grid at a window size: 12 columns, margins, gutters, the foot band's slots."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF

from kiosk.content.theme import Theme

DESIGN_LANDSCAPE = (1920.0, 1080.0)
DESIGN_PORTRAIT = (1080.0, 1920.0)

# The foot band's slots. Landscape: access | source | hint and notices | navigation, side by
# side; the navigation keeps half the band so 13 progress dots stay at least 9 mm wide on a
# 22-inch screen. Portrait: the access controls, the source and the hint share the upper row,
# the navigation has the lower row to itself. The access controls (listen, larger text,
# contrast) start the band at its left, where a visitor who cannot see the screen finds them
# along the bezel.
SOURCE_SHARE = 0.17
NAV_SHARE = 0.5
PORTRAIT_UPPER_ROW = 0.44
PORTRAIT_SOURCE_SHARE = 0.54
ACCESS_CONTROLS = 3
CONTROL_DESIGN_PX = 72.0
"""The side of a round control of the band (about 19 mm on a 55-inch 1920x1080 screen)."""
CONTROL_GAP_DESIGN_PX = 12.0


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
        # Portrait screens are narrow: the band holds two rows (source and notices, navigation).
        return self.px(self.theme.space.footer * (2.2 if self.portrait else 1.0))

    @property
    def frame(self) -> QRectF:
        """The area inside the outer margins, above the foot band: all the slides may use."""
        m = self.margin
        return QRectF(m, m, self.width - 2 * m, self.height - m - self.footer_height)

    @property
    def footer(self) -> QRectF:
        """The foot band, the kiosk's own room: the slide's source line in its source slot,
        and the chrome (hint, notices, countdown, navigation) in the others. Slides never
        draw anything else here, so nothing the kiosk adds covers what the curator wrote."""
        height = self.footer_height
        return QRectF(self.margin, self.height - height, self.width - 2 * self.margin, height)

    @property
    def control(self) -> float:
        """The side of a round control of the band."""
        return self.px(CONTROL_DESIGN_PX)

    @property
    def access_rect(self) -> QRectF:
        """The access controls' slot: the band's left end, or the left of its upper row in
        portrait."""
        size, gap = self.control, self.px(CONTROL_GAP_DESIGN_PX)
        width = ACCESS_CONTROLS * size + (ACCESS_CONTROLS - 1) * gap
        row = self._upper_row() if self.portrait else self.footer
        return QRectF(row.left(), row.top(), width, row.height())

    def _upper_row(self) -> QRectF:
        band = self.footer
        return QRectF(band.left(), band.top(), band.width(), band.height() * PORTRAIT_UPPER_ROW)

    @property
    def source_rect(self) -> QRectF:
        """The source slot, where the slide's source line goes: the band's left part, or the
        left of its upper row in portrait."""
        left = self.access_rect.right() + self.gutter
        if self.portrait:
            row = self._upper_row()
            width = (row.right() - left) * PORTRAIT_SOURCE_SHARE
            return QRectF(left, row.top(), width, row.height())
        band = self.footer
        return QRectF(left, band.top(), band.width() * SOURCE_SHARE, band.height())

    @property
    def notice_rect(self) -> QRectF:
        """The hint and notice slot, between the source slot and the navigation (in portrait
        the right of the upper row): the attract hint, or the curator's content-error notice."""
        source = self.source_rect
        left = source.right() + self.gutter
        if self.portrait:
            return QRectF(left, source.top(), self.footer.right() - left, source.height())
        right = self.nav_rect.left() - self.gutter
        return QRectF(left, source.top(), max(0.0, right - left), source.height())

    @property
    def message_rect(self) -> QRectF:
        """The source and notice slots together: a message wider than the hint (the idle
        countdown, content errors) covers the source line for as long as it shows."""
        source = self.source_rect
        return QRectF(source.topLeft(), self.notice_rect.bottomRight())

    @property
    def nav_rect(self) -> QRectF:
        """The navigation slot: the band's right part, or its lower row in portrait."""
        band = self.footer
        if self.portrait:
            top = self._upper_row().bottom()
            return QRectF(band.left(), top, band.width(), band.bottom() - top)
        left = band.right() - band.width() * NAV_SHARE
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
