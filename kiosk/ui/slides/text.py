"""The text slide: heading, body paragraphs fitted to the space, and an optional image beside."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPainter,
    QPainterPath,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase, TextSlide
from kiosk.ui.base import Grid, SlideView, paragraphs
from kiosk.ui.fonts import ui_font
from kiosk.ui.theme import Theme

ELLIPSIS = "…"
PARAGRAPH_GAP = 0.75
"""Space between paragraphs, in units of the body font size."""
BODY_FLOOR = 24.0
"""Design px the body shrinks to before the image gives up room (portrait) or text shrinks on."""
HARD_FLOOR_RATIO = 1.0
"""The last resort floor, as a multiple of the caption size: still legible from 3 m."""
ENTRY_DELAY = 0.1
"""Seconds before the first paragraph starts to enter."""
_IMAGE_CACHE_LIMIT = 4


# --- text blocks: wrapped paragraphs with a real line height (shared by the other views) ---------


class TextBlock:
    """Paragraphs laid out with QTextLayout at a fixed width and line height.

    Unlike `QPainter.drawText`, every line sits on a regular pitch (`line_height` times the
    font size, or the line's own height for CJK lines, which are taller), so the height
    measured here is exactly the height drawn. `max_height` cuts the block at the last line
    that fits and ends it with an ellipsis: the block is never drawn outside its box.
    """

    def __init__(
        self,
        texts: list[str],
        font: QFont,
        width: float,
        line_height: float,
        *,
        gap: float | None = None,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        max_height: float | None = None,
        wrap: QTextOption.WrapMode = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere,
    ) -> None:
        self.font = font
        self.wrap = wrap
        self.width = max(1.0, width)
        self.line_height = line_height
        self.align = align
        self.gap = font.pixelSize() * PARAGRAPH_GAP if gap is None else gap
        self.layouts: list[QTextLayout] = []
        self.tops: list[float] = []
        self.heights: list[float] = []
        self.line_counts: list[int] = []
        self.elided = False
        y = 0.0
        for index, text in enumerate(texts):
            if index:
                y += self.gap
            layout, height, lines = self._layout(text)
            if max_height is not None and y + height > max_height + 0.5:
                self.elided = True
                cut, cut_height, cut_lines = self._elide(text, max_height - y)
                if cut is not None:
                    self._append(cut, y, cut_height, cut_lines)
                    y += cut_height
                elif self.layouts:
                    # Not one line of this paragraph fits: the previous one ends in "…".
                    y = self.tops[-1]
                    previous = texts[index - 1]
                    room = self.heights[-1]
                    for column in (self.layouts, self.tops, self.heights, self.line_counts):
                        column.pop()
                    cut, cut_height, cut_lines = self._elide(previous, room)
                    if cut is not None:
                        self._append(cut, y, cut_height, cut_lines)
                        y += cut_height
                else:
                    y = 0.0
                break
            self._append(layout, y, height, lines)
            y += height
        self.height = y

    def _append(self, layout: QTextLayout, top: float, height: float, lines: int) -> None:
        self.layouts.append(layout)
        self.tops.append(top)
        self.heights.append(height)
        self.line_counts.append(lines)

    def pitch_of(self, layout: QTextLayout) -> float:
        tallest = max((layout.lineAt(i).height() for i in range(layout.lineCount())), default=0.0)
        return max(tallest, self.font.pixelSize() * self.line_height)

    def _wrap(self, text: str, width: float) -> QTextLayout:
        layout = QTextLayout(text, self.font)
        option = QTextOption(self.align)
        option.setWrapMode(self.wrap)
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
        layout.endLayout()
        return layout

    def _layout(self, text: str) -> tuple[QTextLayout, float, int]:
        layout = self._wrap(text, self.width)
        count = layout.lineCount()
        if count >= 2 and self.align == Qt.AlignmentFlag.AlignLeft:
            layout = self._without_widow(text, layout)
        pitch = self.pitch_of(layout)
        ascent = max((layout.lineAt(i).ascent() for i in range(count)), default=0.0)
        descent = max((layout.lineAt(i).descent() for i in range(count)), default=0.0)
        # Half the extra leading above the line and half below, as CSS does.
        lead = (pitch - ascent - descent) / 2
        for i in range(count):
            line = layout.lineAt(i)
            line.setPosition(QPointF(0, i * pitch + lead + ascent - line.ascent()))
        return layout, count * pitch, count

    def _without_widow(self, text: str, layout: QTextLayout) -> QTextLayout:
        """Narrow the lines a little so the last one is not one lonely word or character
        (a widow such as "能。" reads badly in Chinese); keep the line count."""
        count = layout.lineCount()
        enough = max(self.width * 0.18, self.font.pixelSize() * 4)
        if layout.lineAt(count - 1).naturalTextWidth() >= enough:
            return layout
        for step in range(1, 9):
            trial = self._wrap(text, self.width * (1 - 0.025 * step))
            if trial.lineCount() != count:
                break
            if trial.lineAt(count - 1).naturalTextWidth() >= enough:
                return trial
        return layout

    def _elide(self, text: str, room: float) -> tuple[QTextLayout | None, float, int]:
        """The longest start of `text` ending in an ellipsis that fits `room`."""
        layout, _, _ = self._layout(text)
        pitch = self.pitch_of(layout)
        keep = min(layout.lineCount(), int((room + 0.5) // pitch))
        if keep <= 0:
            return None, 0.0, 0
        last = layout.lineAt(keep - 1)
        cut = last.textStart() + last.textLength()
        while cut > 0:
            candidate = text[:cut].rstrip(" ,.;:，。；：、") + ELLIPSIS
            trial, height, lines = self._layout(candidate)
            if lines <= keep and height <= room + 0.5:
                return trial, height, lines
            cut -= 1
        return None, 0.0, 0

    def natural_width(self) -> float:
        """The width of the longest line."""
        return max(
            (
                layout.lineAt(i).naturalTextWidth()
                for layout in self.layouts
                for i in range(layout.lineCount())
            ),
            default=0.0,
        )

    def lines(self) -> int:
        return sum(self.line_counts)

    def paragraph_rect(self, index: int, origin: QPointF) -> QRectF:
        """Where paragraph `index` lies when the block is drawn at `origin`."""
        return QRectF(origin.x(), origin.y() + self.tops[index], self.width, self.heights[index])

    def draw(
        self,
        painter: QPainter,
        origin: QPointF,
        color: QColor | str,
        opacity: list[float] | float = 1.0,
        rise: float = 0.0,
    ) -> None:
        """Draw at `origin`; `opacity` per paragraph (or one for all) and a rise while entering."""
        painter.save()
        painter.setFont(self.font)
        painter.setPen(QColor(color))
        base = painter.opacity()
        for index, layout in enumerate(self.layouts):
            alpha = opacity[index] if isinstance(opacity, list) else opacity
            if alpha <= 0:
                continue
            painter.setOpacity(base * alpha)
            lift = (1 - alpha) * rise
            layout.draw(painter, QPointF(origin.x(), origin.y() + self.tops[index] + lift))
        painter.restore()

    def has_tofu(self) -> bool:
        """True if any glyph fell back to the missing-glyph box (index 0)."""
        for layout in self.layouts:
            for run in layout.glyphRuns():
                if 0 in run.glyphIndexes():
                    return True
        return False


def longest_word(text: str, font: QFont) -> float:
    """The width of the widest piece of `text` that cannot be broken (a word, or one CJK
    character, since Chinese may break between any two)."""
    words = TextBlock([text], font, 1.0, 1.0, wrap=QTextOption.WrapMode.WordWrap)
    return words.natural_width()


def balanced(
    text: str,
    font: QFont,
    max_width: float,
    line_height: float,
    *,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    max_height: float | None = None,
) -> TextBlock:
    """`text` wrapped to as few lines as `max_width` allows, with lines of even length: the
    narrowest width that needs no more lines and breaks no word (no lonely last word)."""

    def block(width: float, limit: float | None = None) -> TextBlock:
        return TextBlock([text], font, width, line_height, align=align, max_height=limit)

    first = block(max_width)
    lines = first.lines()
    if lines <= 1:
        return block(first.natural_width() + 1, max_height)
    low = min(max_width, longest_word(text, font))
    high = max_width
    if low >= high:
        return block(max_width, max_height)
    for _ in range(12):
        mid = (low + high) / 2
        if block(mid).lines() <= lines:
            high = mid
        else:
            low = mid
    return block(math.ceil(high) + 1, max_height)


def fit_block(
    texts: list[str],
    width: float,
    height: float,
    px: float,
    floor: float,
    line_height: float,
    *,
    bold: bool = False,
    weight: QFont.Weight | None = None,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    max_lines: int | None = None,
) -> TextBlock:
    """The largest block from `px` down to `floor` that fits `width` x `height` (and
    `max_lines`); at the floor a block that still does not fit is cut with an ellipsis."""
    size = px
    while True:
        font = ui_font(size, bold=bold, weight=weight)
        block = TextBlock(texts, font, width, line_height, align=align)
        fits = block.height <= height + 0.5 and (max_lines is None or block.lines() <= max_lines)
        if fits:
            return block
        if size <= floor + 0.01:
            return TextBlock(texts, font, width, line_height, align=align, max_height=height)
        size = max(floor, size * 0.95)


# --- images --------------------------------------------------------------------------------------


def image_size(path: Path) -> QSizeF | None:
    """The natural size of an SVG or raster image file, or None when it cannot be read."""
    if not path.is_file():
        return None
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return None
        box = renderer.viewBoxF().size()
        if box.isEmpty():
            box = QSizeF(renderer.defaultSize())
        return box if not box.isEmpty() else None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return None
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    return QSizeF(size)


def decode_image(path: Path, size: QSize) -> QImage | None:
    """The image file drawn at exactly `size` device pixels (SVG rendered, raster decoded
    scaled by the reader), or None when the file is missing or unreadable."""
    if not path.is_file() or size.isEmpty():
        return None
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return None
        renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
        finally:
            painter.end()
        return image
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    rotated = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    reader.setScaledSize(size.transposed() if rotated else size)
    image = reader.read()
    return None if image.isNull() else image


# --- the view ------------------------------------------------------------------------------------


@dataclass
class TextLayout:
    """Where everything of a text slide goes at one size: for painting and for the tests."""

    content: QRectF
    body: TextBlock
    body_origin: QPointF
    body_px: float
    paragraph_rects: list[QRectF]
    image_panel: QRectF | None = None
    caption: TextBlock | None = None
    caption_origin: QPointF | None = None
    caption_rect: QRectF | None = None
    rects: dict[str, QRectF] = field(default_factory=dict)

    @property
    def body_rect(self) -> QRectF:
        return QRectF(self.body_origin.x(), self.body_origin.y(), self.body.width, self.body.height)

    @property
    def elided(self) -> bool:
        return self.body.elided


class TextView(SlideView):
    """Heading, paragraphs entering one after another, and an image in a rounded panel."""

    slide: TextSlide

    def __init__(
        self,
        deck: Deck,
        slide: SlideBase,
        *,
        lang: str,
        theme: Theme | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(deck, slide, lang=lang, theme=theme, parent=parent)
        self._layouts: dict[tuple[object, ...], TextLayout] = {}
        self._natural: dict[str, QSizeF | None] = {}
        self._images: dict[tuple[str, int, int], QImage | None] = {}

    # -- timing -----------------------------------------------------------------------------------

    def _paragraph_count(self) -> int:
        return max(1, len(paragraphs(self.t(self.slide.body))))

    def entry_duration(self) -> float:
        motion = self.theme.motion
        last = self._paragraph_count() - (0 if self.slide.image else 1)
        return ENTRY_DELAY + last * motion.stagger_ms / 1000 + motion.entry_ms / 1000

    # -- layout -----------------------------------------------------------------------------------

    def layout_rects(self) -> TextLayout:
        """The fitted layout at the view's current size and language."""
        grid = self.grid
        return self.arrange(grid, self.content_rect(grid))

    def body_fits(self) -> bool:
        """True when every paragraph lies inside the frame and clear of the image."""
        grid = self.grid
        layout = self.layout_rects()
        frame = grid.frame.adjusted(-0.5, -0.5, 0.5, 0.5)
        body = layout.body_rect
        inside = frame.contains(body) and body.top() >= layout.content.top() - 0.5
        clear = layout.image_panel is None or not body.intersects(layout.image_panel)
        return inside and clear

    def natural_image_size(self) -> QSizeF | None:
        if not self.slide.image:
            return None
        key = self.slide.image
        if key not in self._natural:
            self._natural[key] = image_size(self.deck.asset(key))
        return self._natural[key]

    def arrange(self, grid: Grid, content: QRectF) -> TextLayout:
        key = (grid.width, grid.height, self.lang, content.getRect())
        cached = self._layouts.get(key)
        if cached is None:
            cached = self._compute_layout(grid, content)
            self._layouts = {key: cached}
        return cached

    def _compute_layout(self, grid: Grid, content: QRectF) -> TextLayout:
        type_ = self.theme.type
        body_px = grid.px(type_.body)
        floor = grid.px(BODY_FLOOR)
        hard_floor = grid.px(type_.caption * HARD_FLOOR_RATIO)
        texts = paragraphs(self.t(self.slide.body)) or [""]
        if not self.slide.image:
            columns = grid.columns(content, 12)
            width = columns[8 if not grid.portrait else 11].right() - content.left()
            body = self._fit(texts, width, content.height(), body_px, floor, hard_floor)
            top = content.top() + max(0.0, (content.height() - body.height) * 0.4)
            return self._finish(content, body, QPointF(content.left(), top))

        aspect = self._aspect()
        caption_text = self.t(self.slide.image_caption) if self.slide.image_caption else ""
        if grid.portrait:
            return self._portrait(
                grid, content, texts, aspect, caption_text, (body_px, floor, hard_floor)
            )
        # A text too long for 7 columns at a comfortable size takes an eighth from the image.
        for text_columns in (7, 8):
            layout = self._landscape(grid, content, texts, aspect, caption_text, text_columns)
            if not layout.elided and layout.body_px >= floor - 0.5:
                return layout
        return self._landscape(grid, content, texts, aspect, caption_text, 8, hard_floor=hard_floor)

    def _landscape(
        self,
        grid: Grid,
        content: QRectF,
        texts: list[str],
        aspect: float,
        caption_text: str,
        text_columns: int,
        *,
        hard_floor: float | None = None,
    ) -> TextLayout:
        """Text in the first `text_columns` of 12, the image vertically centred beside it."""
        type_ = self.theme.type
        cap_px = grid.px(type_.caption)
        cap_gap = grid.px(16)
        body_px, floor = grid.px(type_.body), grid.px(BODY_FLOOR)
        columns = grid.columns(content, 12)
        text_w = columns[text_columns - 1].right() - content.left() - grid.gutter
        image_left = columns[text_columns].left()
        region = QRectF(image_left, content.top(), content.right() - image_left, content.height())
        caption = self._caption(caption_text, region.width(), cap_px)
        cap_h = caption.height + cap_gap if caption else 0.0
        panel = _fit_aspect(region.width(), region.height() - cap_h, aspect)
        if caption is not None and panel.width() < region.width() - 1:
            # A tall image: the caption wraps to the panel's width, under it.
            caption = self._caption(caption_text, panel.width(), cap_px)
            cap_h = caption.height + cap_gap if caption else 0.0
            panel = _fit_aspect(region.width(), region.height() - cap_h, aspect)
        group_h = panel.height() + cap_h
        panel.moveTo(
            region.left() + (region.width() - panel.width()) / 2,
            content.center().y() - group_h / 2,
        )
        if hard_floor is None:
            body = fit_block(texts, text_w, content.height(), body_px, floor, type_.line_height)
        else:
            body = self._fit(texts, text_w, content.height(), body_px, floor, hard_floor)
        # The text and the image share a centre line; a tall text starts at the top.
        top = max(content.top(), content.center().y() - body.height / 2)
        layout = self._finish(content, body, QPointF(content.left(), top))
        self._attach_image(layout, panel, caption, cap_gap)
        return layout

    def _portrait(
        self,
        grid: Grid,
        content: QRectF,
        texts: list[str],
        aspect: float,
        caption_text: str,
        sizes: tuple[float, float, float],
    ) -> TextLayout:
        """Image above the text, full width; the image gives up height before the text
        shrinks below a comfortable size."""
        body_px, floor, hard_floor = sizes
        width = content.width()
        lh = self.theme.type.line_height
        caption = self._caption(caption_text, width, grid.px(self.theme.type.caption))
        cap_gap = grid.px(16)
        cap_h = caption.height + cap_gap if caption else 0.0
        gap = grid.px(48)
        panel_h = min(width / aspect, content.height() * 0.5)
        least = content.height() * 0.28
        while True:
            room = content.height() - panel_h - cap_h - gap
            body = fit_block(texts, width, room, body_px, floor, lh)
            if not body.elided or panel_h <= least + 0.5:
                break
            panel_h = max(least, panel_h * 0.9)
        if body.elided:
            body = self._fit(texts, width, room, floor, hard_floor, hard_floor)
        panel = _fit_aspect(width, panel_h, aspect)
        group_h = panel.height() + cap_h + gap + body.height
        top = content.top() + max(0.0, (content.height() - group_h) * 0.5)
        panel.moveTo(content.left() + (width - panel.width()) / 2, top)
        body_top = top + panel.height() + cap_h + gap
        origin = QPointF(content.left(), body_top)
        layout = self._finish(content, body, origin)
        self._attach_image(layout, panel, caption, cap_gap)
        return layout

    def _aspect(self) -> float:
        natural = self.natural_image_size()
        if natural is None or natural.height() <= 0:
            return 4 / 3
        return max(0.4, min(3.0, natural.width() / natural.height()))

    def _fit(
        self, texts: list[str], width: float, height: float, px: float, floor: float, hard: float
    ) -> TextBlock:
        lh = self.theme.type.line_height
        block = fit_block(texts, width, height, px, floor, lh)
        if block.elided and hard < floor:
            block = fit_block(texts, width, height, floor, hard, lh)
        return block

    def _caption(self, text: str, width: float, px: float) -> TextBlock | None:
        if not text:
            return None
        return fit_block([text], width, px * 1.3 * 3, px, px * 0.9, 1.3, max_lines=3)

    def _finish(self, content: QRectF, body: TextBlock, origin: QPointF) -> TextLayout:
        rects = [body.paragraph_rect(i, origin) for i in range(len(body.layouts))]
        layout = TextLayout(content, body, origin, body.font.pixelSize(), rects)
        layout.rects = {f"paragraph:{i}": r for i, r in enumerate(rects)}
        return layout

    def _attach_image(
        self, layout: TextLayout, panel: QRectF, caption: TextBlock | None, gap: float
    ) -> None:
        layout.image_panel = panel
        layout.rects["image"] = panel
        if caption is not None:
            origin = QPointF(panel.left(), panel.bottom() + gap)
            layout.caption = caption
            layout.caption_origin = origin
            layout.caption_rect = QRectF(origin.x(), origin.y(), caption.width, caption.height)
            layout.rects["caption"] = layout.caption_rect

    # -- painting ---------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arrange(grid, rect)
        count = len(layout.body.layouts)
        opacities = [self.entry(i, delay=ENTRY_DELAY) for i in range(count)]
        layout.body.draw(
            painter, layout.body_origin, self.theme.colors.text, opacities, rise=grid.px(24)
        )
        if layout.image_panel is not None:
            fade = self.entry(count, delay=ENTRY_DELAY)
            if fade > 0:
                painter.save()
                painter.setOpacity(fade)
                self._paint_image(painter, grid, layout.image_panel)
                if layout.caption is not None and layout.caption_origin is not None:
                    layout.caption.draw(painter, layout.caption_origin, self.theme.colors.muted)
                painter.restore()

    def _paint_image(self, painter: QPainter, grid: Grid, panel: QRectF) -> None:
        radius = grid.px(self.theme.space.radius)
        path = QPainterPath()
        path.addRoundedRect(panel, radius, radius)
        painter.fillPath(path, self.color("panel"))
        image = self._image(painter, panel)
        if image is None:
            self._paint_placeholder(painter, grid, panel)
        else:
            painter.save()
            painter.setClipPath(path)
            painter.drawImage(panel, image)
            painter.restore()
        edge = QPen(self.color("panel_edge"), max(1.0, grid.px(1.5)))
        painter.setPen(edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _image(self, painter: QPainter, panel: QRectF) -> QImage | None:
        """The image at the panel's device size, decoded once per size."""
        if not self.slide.image:
            return None
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        size = QSize(max(1, round(panel.width() * ratio)), max(1, round(panel.height() * ratio)))
        key = (self.slide.image, size.width(), size.height())
        if key not in self._images:
            if len(self._images) >= _IMAGE_CACHE_LIMIT:
                self._images.clear()
            image = decode_image(self.deck.asset(self.slide.image), size)
            if image is not None:
                image.setDevicePixelRatio(ratio)
            self._images[key] = image
        return self._images[key]

    def _paint_placeholder(self, painter: QPainter, grid: Grid, panel: QRectF) -> None:
        """A calm stand-in for an image that cannot be shown: two hills and a sun, faint."""
        painter.save()
        color = self.color("muted")
        color.setAlphaF(0.35)
        pen = QPen(color, max(1.0, grid.px(3)))
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        size = min(panel.width(), panel.height()) * 0.32
        centre = panel.center()
        frame = QRectF(centre.x() - size / 2, centre.y() - size * 0.4, size, size * 0.8)
        painter.drawRoundedRect(frame, size * 0.08, size * 0.08)
        hills = QPainterPath(QPointF(frame.left() + size * 0.1, frame.bottom() - size * 0.12))
        hills.lineTo(frame.left() + size * 0.38, frame.top() + size * 0.38)
        hills.lineTo(frame.left() + size * 0.58, frame.top() + size * 0.56)
        hills.lineTo(frame.left() + size * 0.7, frame.top() + size * 0.46)
        hills.lineTo(frame.right() - size * 0.1, frame.bottom() - size * 0.12)
        painter.drawPath(hills)
        sun = size * 0.08
        sun_at = QPointF(frame.right() - size * 0.28, frame.top() + size * 0.22)
        painter.drawEllipse(sun_at, sun, sun)
        painter.restore()


def _fit_aspect(width: float, height: float, aspect: float) -> QRectF:
    """The largest rect of `aspect` (width / height) inside `width` x `height`."""
    width, height = max(1.0, width), max(1.0, height)
    if width / height > aspect:
        return QRectF(0, 0, height * aspect, height)
    return QRectF(0, 0, width, width / aspect)


VIEW = TextView
