"""The title slide: kicker, hero title, subtitle and first figures over the drawn confluence."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

from kiosk.content.format import format_metric
from kiosk.content.model import Text, TitleSlide
from kiosk.ui.base import SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import lerp
from kiosk.ui.draw.text import (
    LEFT_MIDDLE,
    balanced_width,
    draw_text,
    fit_font,
    line_box_height,
    text_size,
)
from kiosk.ui.fonts import ui_font
from kiosk.ui.images import load_image

TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


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
class TitleFigure:
    """One of the figures under the subtitle: `1,360 km²` over its label `Area`."""

    number: str
    suffix: str
    label: str
    number_font: QFont
    suffix_font: QFont
    label_font: QFont
    rect: QRectF
    """Where it sits (figures stand in a row, `gap` apart, under the words)."""


@dataclass(frozen=True)
class TitleLayout:
    """The words of a title slide at one size: a column from `top`, blocks `gap` apart, and
    the figures in a row under them."""

    left: float
    top: float
    width: float
    gap: float
    blocks: tuple[TitleBlock, ...]
    figures: tuple[TitleFigure, ...] = ()


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
        words = sum(b.height for b in blocks) + gap * (len(blocks) - 1)
        # The figures are arranged first, at the top of the row, so the column is centred on
        # the height they really take.
        figures_gap = grid.px(56)
        figures = self._arrange_figures(grid, frame.left(), 0.0, width)
        row_height = figures[0].rect.height() if figures else 0.0
        total = words + (figures_gap + row_height if figures else 0.0)
        # Portrait screens put the words in the upper half, above the rivers.
        middle = frame.top() + (frame.height() * 0.38 if grid.portrait else frame.height() * 0.5)
        top = middle - total / 2
        row_top = top + words + figures_gap
        figures = tuple(replace(f, rect=f.rect.translated(0, row_top)) for f in figures)
        return TitleLayout(frame.left(), top, width, gap, tuple(blocks), figures)

    def _arrange_figures(
        self, grid: Grid, left: float, top: float, width: float
    ) -> tuple[TitleFigure, ...]:
        """The figures in a row, each as wide as it needs, one size for all that fits."""
        between = "" if self.lang == "zh" else " "
        shown: list[tuple[str, str, str]] = []
        for key in self.slide.figures:
            metric = self.deck.metrics.get(key)
            if metric is None:
                continue
            figure = format_metric(metric, self.lang)
            number = (
                f"{figure.qualifier}{between}{figure.number}" if figure.qualifier else figure.number
            )
            shown.append((self.typeset(number), self.typeset(figure.suffix), self.t(metric.label)))
        if not shown:
            return ()
        type_ = self.theme.type
        spacing = grid.px(64)
        size = grid.px(type_.title) * 1.2
        while True:
            number_font = ui_font(size, bold=True)
            suffix_font = ui_font(size * 0.42)
            label_font = ui_font(max(grid.px(type_.caption), size * 0.4))
            widths = [
                max(
                    text_size(number, number_font, 1e6, LEFT_MIDDLE).width()
                    + grid.px(10)
                    + text_size(suffix, suffix_font, 1e6, LEFT_MIDDLE).width(),
                    text_size(label, label_font, 1e6, LEFT_MIDDLE).width(),
                )
                + 2
                for number, suffix, label in shown
            ]
            if sum(widths) + spacing * (len(widths) - 1) <= width or size <= grid.px(28):
                break
            size *= 0.92
        # The label's own line box: a Chinese label's (the CJK face's) is taller than 1.4 em.
        label_line = max(line_box_height(label, label_font) for _, _, label in shown)
        height = size * 1.25 + max(label_font.pixelSize() * 1.4, label_line)
        placed: list[TitleFigure] = []
        x = left
        for (number, suffix, label), figure_width in zip(shown, widths, strict=True):
            rect = QRectF(x, top, figure_width, height)
            placed.append(
                TitleFigure(number, suffix, label, number_font, suffix_font, label_font, rect)
            )
            x += figure_width + spacing
        return tuple(placed)

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
        first = len(layout.blocks)
        for i, figure in enumerate(layout.figures):
            # The whole figure rises into place, never counting: a figure shown is the figure.
            progress = self.entry(first + i, delay=0.35)
            painter.setOpacity(progress)
            box = figure.rect.translated(0, (1 - progress) * grid.px(36))
            line = figure.number_font.pixelSize() * 1.25
            number_box = QRectF(box.left(), box.top(), box.width(), line)
            text = self.color("text")
            used = draw_text(
                painter, number_box, figure.number, figure.number_font, text, LEFT_MIDDLE
            )
            # The unit stands on the number's baseline, as it would in print.
            baseline = used.top() + QFontMetricsF(figure.number_font).ascent()
            suffix_top = baseline - QFontMetricsF(figure.suffix_font).ascent()
            suffix_box = QRectF(
                used.right() + grid.px(10), suffix_top, box.right() - used.right(), line
            )
            draw_text(
                painter,
                suffix_box,
                figure.suffix,
                figure.suffix_font,
                self.color("muted"),
                TOP_LEFT,
            )
            label_box = QRectF(box.left(), box.top() + line, box.width(), box.height() - line)
            draw_text(
                painter,
                label_box,
                figure.label,
                figure.label_font,
                self.color("muted"),
                LEFT_MIDDLE,
            )
        painter.setOpacity(1.0)


VIEW = TitleView
