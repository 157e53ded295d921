"""The title slide: kicker, hero title and subtitle over the drawn confluence of two rivers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QFont, QImage, QLinearGradient, QPainter, QPainterPath, QPen

from kiosk.content.model import Text, TitleSlide
from kiosk.ui.base import SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import lerp
from kiosk.ui.draw.text import balanced_width, draw_text, fit_font, text_size
from kiosk.ui.images import load_image


@dataclass(frozen=True)
class TitleBlock:
    """One of the title slide's texts (kicker, title, subtitle), fitted and measured."""

    text: str
    font: QFont
    color: str
    height: float
    width: float
    """Balanced: the narrowest width that needs no more lines than the column."""


@dataclass(frozen=True)
class TitleLayout:
    """The words of a title slide at one size: a column from `top`, blocks `gap` apart."""

    left: float
    top: float
    width: float
    gap: float
    blocks: tuple[TitleBlock, ...]


class TitleView(SlideView[TitleLayout]):
    """A hero title; its background draws itself in and the words rise into place."""

    slide: TitleSlide
    static_chrome = False  # the rivers draw themselves in

    def heading(self) -> Text | None:
        return None  # the title is the hero, painted by this view

    def entry_duration(self) -> float:
        return 1.6

    def paint_background(self, painter: QPainter, grid: Grid) -> None:
        super().paint_background(painter, grid)
        image = None
        if self.slide.background:
            size = QSize(round(grid.width), round(grid.height))
            image = load_image(self.deck.asset(self.slide.background), size, cover=True)
        if image is not None:
            self._paint_image(painter, grid, image)
        else:
            # No background, or one that cannot be shown: the drawn rivers stand in.
            self._paint_rivers(painter, grid)

    def _paint_image(self, painter: QPainter, grid: Grid, image: QImage) -> None:
        target = QRectF(0, 0, grid.width, grid.height)
        scaled = QSizeF(image.size()).scaled(
            target.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding
        )
        placed = QRectF(QPointF(0, 0), scaled)
        placed.moveCenter(target.center())
        painter.setOpacity(0.55 * self.entry(0, length=1.2))
        painter.drawImage(placed, image)
        painter.setOpacity(1.0)

    def _paint_rivers(self, painter: QPainter, grid: Grid) -> None:
        """Two river ribbons, Jialing teal from the upper left and Yangtze gold from below,
        meeting and flowing on together: drawn, not an image, so it is sharp at any size."""
        w, h = grid.width, grid.height
        grow = self.entry(0, length=1.4)
        painter.save()
        painter.setClipRect(QRectF(0, 0, w * lerp(0.15, 1.0, grow), h))
        meet = QPointF(w * 0.62, h * 0.66)
        for name, start, c1, c2, width in (
            (
                "teal",
                QPointF(-w * 0.05, h * 0.30),
                QPointF(w * 0.25, h * 0.28),
                QPointF(w * 0.42, h * 0.70),
                0.020,
            ),
            (
                "gold",
                QPointF(-w * 0.05, h * 0.95),
                QPointF(w * 0.28, h * 0.98),
                QPointF(w * 0.45, h * 0.58),
                0.030,
            ),
        ):
            path = QPainterPath(start)
            path.cubicTo(c1, c2, meet)
            self._ribbon(painter, path, name, grid.px(1080 * width), 0.7)
        joined = QPainterPath(meet)
        joined.cubicTo(
            QPointF(w * 0.75, h * 0.72), QPointF(w * 0.88, h * 0.52), QPointF(w * 1.05, h * 0.56)
        )
        self._ribbon(painter, joined, "teal", grid.px(52), 0.45)
        self._ribbon(painter, joined, "gold", grid.px(20), 0.6)
        painter.restore()
        # Soft vignette so the words stay the brightest thing on the slide.
        shade = QLinearGradient(QPointF(0, 0), QPointF(w, 0))
        for stop, alpha in ((0.0, 0.92), (0.55, 0.55), (1.0, 0.0)):
            shade.setColorAt(stop, self.color("background", alpha))
        painter.fillRect(QRectF(0, 0, w, h), shade)

    def _ribbon(
        self, painter: QPainter, path: QPainterPath, color: str, width: float, alpha: float
    ) -> None:
        pen = QPen(self.color(color, alpha), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def arrange(self, grid: Grid) -> TitleLayout:
        frame = grid.frame
        width = frame.width() * (1.0 if grid.portrait else 0.72)
        type_ = self.theme.type
        wanted: list[tuple[str, float, bool, str, int]] = []
        if self.slide.kicker:
            wanted.append((self.t(self.slide.kicker), type_.body, True, "teal", 1))
        wanted.append((self.t(self.slide.title), type_.hero, True, "text", 3))
        if self.slide.subtitle:
            wanted.append((self.t(self.slide.subtitle), type_.subtitle, False, "muted", 2))
        gap = grid.px(28)
        blocks = []
        for text, px, bold, color, lines in wanted:
            font = fit_font(
                text,
                QRectF(0, 0, width, grid.px(px) * 1.3 * lines),
                grid.px(px),
                bold=bold,
                max_lines=lines,
            )
            balanced = balanced_width(text, font, width)
            height = text_size(text, font, balanced).height()
            color_name = getattr(self.theme.colors, color)
            blocks.append(TitleBlock(text, font, color_name, height, balanced))
        total = sum(b.height for b in blocks) + gap * (len(blocks) - 1)
        # Portrait screens put the words in the upper half, above the rivers.
        middle = frame.top() + (frame.height() * 0.38 if grid.portrait else frame.height() * 0.5)
        return TitleLayout(frame.left(), middle - total / 2, width, gap, tuple(blocks))

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        y = layout.top
        for i, block in enumerate(layout.blocks):
            progress = self.entry(i, delay=0.35)
            painter.setOpacity(progress)
            rise = (1 - progress) * grid.px(36)
            placed = QRectF(layout.left, y + rise, block.width, block.height)
            draw_text(painter, placed, block.text, block.font, block.color)
            y += block.height + layout.gap
        painter.setOpacity(1.0)


VIEW = TitleView
