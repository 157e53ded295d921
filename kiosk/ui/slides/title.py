"""The title slide: kicker, hero title and subtitle over the drawn confluence of two rivers."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen

from kiosk.content.model import Text, TitleSlide
from kiosk.ui.base import Grid, SlideView, draw_text, fit_font, lerp
from kiosk.ui.images import load_image


class TitleView(SlideView):
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
            ("teal", QPointF(-w * 0.05, h * 0.30), QPointF(w * 0.25, h * 0.28),
             QPointF(w * 0.42, h * 0.70), 0.020),
            ("gold", QPointF(-w * 0.05, h * 0.95), QPointF(w * 0.28, h * 0.98),
             QPointF(w * 0.45, h * 0.58), 0.030),
        ):  # fmt: skip
            path = QPainterPath(start)
            path.cubicTo(c1, c2, meet)
            self._ribbon(painter, path, name, grid.px(1080 * width), 0.7)
        joined = QPainterPath(meet)
        joined.cubicTo(QPointF(w * 0.75, h * 0.72), QPointF(w * 0.88, h * 0.52),
                       QPointF(w * 1.05, h * 0.56))  # fmt: skip
        self._ribbon(painter, joined, "teal", grid.px(52), 0.45)
        self._ribbon(painter, joined, "gold", grid.px(20), 0.6)
        painter.restore()
        # Soft vignette so the words stay the brightest thing on the slide.
        shade = QLinearGradient(QPointF(0, 0), QPointF(w, 0))
        base = self.color("background")
        for stop, alpha in ((0.0, 0.92), (0.55, 0.55), (1.0, 0.0)):
            tint = QColor(base)
            tint.setAlphaF(alpha)
            shade.setColorAt(stop, tint)
        painter.fillRect(QRectF(0, 0, w, h), shade)

    def _ribbon(
        self, painter: QPainter, path: QPainterPath, color: str, width: float, alpha: float
    ) -> None:
        pen_color = self.color(color)
        pen_color.setAlphaF(alpha)
        pen = QPen(pen_color, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        frame = grid.frame
        width = frame.width() * (1.0 if grid.portrait else 0.72)
        type_ = self.theme.type
        blocks: list[tuple[str, float, bool, str, int]] = []
        if self.slide.kicker:
            blocks.append((self.t(self.slide.kicker), type_.body, True, "teal", 1))
        blocks.append((self.t(self.slide.title), type_.hero, True, "text", 3))
        if self.slide.subtitle:
            blocks.append((self.t(self.slide.subtitle), type_.subtitle, False, "muted", 2))
        fonts = [
            fit_font(
                text,
                QRectF(0, 0, width, grid.px(px) * 1.3 * lines),
                grid.px(px),
                bold=bold,
                max_lines=lines,
            )
            for text, px, bold, _, lines in blocks
        ]
        gap = grid.px(28)
        painter.save()
        measured = []
        for (text, *_), font in zip(blocks, fonts, strict=True):
            painter.setFont(font)
            measured.append(painter.boundingRect(QRectF(0, 0, width, 1e6), _WRAP, text).height())
        painter.restore()
        total = sum(measured) + gap * (len(blocks) - 1)
        # Portrait screens put the words in the upper half, above the rivers.
        top = frame.top() + (frame.height() * 0.38 if grid.portrait else frame.height() * 0.5)
        y = top - total / 2
        for i, ((text, _, _, color, _), font, height) in enumerate(
            zip(blocks, fonts, measured, strict=True)
        ):
            progress = self.entry(i, delay=0.35)
            painter.setOpacity(progress)
            rise = (1 - progress) * grid.px(36)
            draw_text(painter, QRectF(frame.left(), y + rise, width, height), text, font,
                      getattr(self.theme.colors, color))  # fmt: skip
            y += height + gap
        painter.setOpacity(1.0)


_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)

VIEW = TitleView
