"""The text slide: heading, body paragraphs fitted to the space, and an optional image beside."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

from kiosk.content.model import TextSlide
from kiosk.content.typeset import plain
from kiosk.content.visible import count
from kiosk.ui.base import SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import device_ratio, fit_aspect
from kiosk.ui.draw.text import TextBlock, balanced, fit_block, paragraphs
from kiosk.ui.images import load_image, natural_size

BODY_FLOOR = 24.0
"""Design px the body shrinks to before the image gives up room (portrait) or text shrinks on."""
HARD_FLOOR_RATIO = 1.0
"""The last resort floor, as a multiple of the caption size: still legible from 3 m."""
ENTRY_DELAY = 0.1
"""Seconds before the first paragraph starts to enter."""


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


class TextView(SlideView[TextLayout]):
    """Heading, paragraphs entering one after another, and an image in a rounded panel."""

    slide: TextSlide

    def setup(self) -> None:
        self._natural: dict[str, QSizeF | None] = {}

    # -- timing -----------------------------------------------------------------------------------

    def _paragraph_count(self) -> int:
        return max(1, len(paragraphs(self.t(self.slide.body))))

    def entry_duration(self) -> float:
        motion = self.theme.motion
        last = self._paragraph_count() - (0 if self.slide.image else 1)
        return ENTRY_DELAY + last * motion.stagger_ms / 1000 + motion.entry_ms / 1000

    # -- layout -----------------------------------------------------------------------------------

    def body_fits(self) -> bool:
        """True when every paragraph lies inside the frame and clear of the image."""
        grid = self.grid
        layout = self.arranged()
        frame = grid.frame.adjusted(-0.5, -0.5, 0.5, 0.5)
        body = layout.body_rect
        inside = frame.contains(body) and body.top() >= layout.content.top() - 0.5
        clear = layout.image_panel is None or not body.intersects(layout.image_panel)
        return inside and clear

    def body_size(self, texts: list[str]) -> float:
        """The body's design size: a glance-length body (a sentence or two, as the audit's
        glance limit asks) is set at the subtitle size, read from across the hall; a longer
        one at the body size. Either shrinks to fit its room."""
        glance = self.deck.settings.audit
        limit = glance.glance_chars if self.lang == "zh" else glance.glance_words
        short = count(plain(" ".join(texts))) <= limit  # counted as `kiosk audit` counts
        type_ = self.theme.type
        return type_.subtitle if short else type_.body

    def natural_image_size(self) -> QSizeF | None:
        if not self.slide.image:
            return None
        key = self.slide.image
        if key not in self._natural:
            self._natural[key] = natural_size(self.deck.asset(key))
        return self._natural[key]

    def arrange(self, grid: Grid) -> TextLayout:
        type_ = self.theme.type
        content = self.content_rect(grid)
        floor = grid.px(BODY_FLOOR)
        hard_floor = grid.px(type_.caption * HARD_FLOOR_RATIO)
        texts = paragraphs(self.t(self.slide.body)) or [""]
        body_px = grid.px(self.body_size(texts))
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
        body_px, floor = grid.px(self.body_size(texts)), grid.px(BODY_FLOOR)
        columns = grid.columns(content, 12)
        text_w = columns[text_columns - 1].right() - content.left() - grid.gutter
        image_left = columns[text_columns].left()
        region = QRectF(image_left, content.top(), content.right() - image_left, content.height())
        caption = self._caption(caption_text, region.width(), cap_px)
        cap_h = caption.height + cap_gap if caption else 0.0
        panel = fit_aspect(QRectF(0, 0, region.width(), region.height() - cap_h), aspect)
        if caption is not None and panel.width() < region.width() - 1:
            # A tall image: the caption wraps to the panel's width, under it.
            caption = self._caption(caption_text, panel.width(), cap_px)
            cap_h = caption.height + cap_gap if caption else 0.0
            panel = fit_aspect(QRectF(0, 0, region.width(), region.height() - cap_h), aspect)
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
        panel = fit_aspect(QRectF(0, 0, width, panel_h), aspect)
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
        block = fit_block([text], width, px * 1.3 * 3, px, px * 0.9, 1.3, max_lines=3)
        if block.lines() > 1 and not block.elided:
            # Even lines under the picture, not a long one and a lonely word.
            block = balanced(text, block.font, width, 1.3)
        return block

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
        layout = self.arranged()
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
        ratio = device_ratio(painter)
        size = QSize(max(1, round(panel.width() * ratio)), max(1, round(panel.height() * ratio)))
        image = load_image(self.deck.asset(self.slide.image), size)
        if image is not None and image.devicePixelRatioF() != ratio:
            image.setDevicePixelRatio(ratio)
        return image

    def _paint_placeholder(self, painter: QPainter, grid: Grid, panel: QRectF) -> None:
        """A calm stand-in for an image that cannot be shown: two hills and a sun, faint."""
        painter.save()
        pen = QPen(self.color("muted", 0.35), max(1.0, grid.px(3)))
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


VIEW = TextView
