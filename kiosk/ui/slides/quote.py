"""The quote slide: a large quotation under a big teal quotation mark, and its attribution."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath

from kiosk.content.format import text_of
from kiosk.content.model import QuoteSlide, Text
from kiosk.ui.base import SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.text import TextBlock, balanced, fit_block

QUOTE_LINE_HEIGHT = 1.25
"""Display text a little tighter than body text (the CJK face's own line is taller still)."""
ENTRY_DELAY = 0.25
QUOTE_ENTRY_STRETCH = 1.4
"""The quotation rises in more slowly than other elements: it is the whole slide."""
MARK_WIDTH, MARK_HEIGHT = 0.92, 0.75
"""The quotation mark's bounds as multiples of its size."""
DASH = {"zh": "——", "en": "— "}
"""How each language introduces an attribution: the Chinese double dash, the English em dash."""


@dataclass
class QuoteLayout:
    """Where the mark, the quotation and the attribution go at one size."""

    frame: QRectF
    mark: QRectF
    quote: TextBlock
    quote_origin: QPointF
    attribution: TextBlock
    attribution_origin: QPointF

    @property
    def quote_rect(self) -> QRectF:
        o = self.quote_origin
        return QRectF(o.x(), o.y(), self.quote.width, self.quote.height)

    @property
    def attribution_rect(self) -> QRectF:
        o = self.attribution_origin
        return QRectF(o.x(), o.y(), self.attribution.width, self.attribution.height)


class QuoteView(SlideView[QuoteLayout]):
    """No heading: the words are the slide. They fade and rise in, calmly, one after another."""

    slide: QuoteSlide

    def heading(self) -> Text | None:
        return None

    def entry_duration(self) -> float:
        stagger = self.theme.motion.stagger_ms / 1000
        entry = self.theme.motion.entry_ms / 1000
        return ENTRY_DELAY + max(stagger + entry * QUOTE_ENTRY_STRETCH, 3 * stagger + entry)

    # -- layout -----------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> QuoteLayout:
        type_ = self.theme.type
        frame = grid.frame
        columns = grid.columns(frame, 12)
        mark_size = grid.px(type_.hero * 1.4)
        if grid.portrait:
            left, right = frame.left(), frame.right()
            mark_h = mark_size * MARK_HEIGHT + grid.px(36)
        else:
            # The mark hangs in the second column; the words take the next nine, so the
            # composition sits near the middle of the screen.
            left, right = columns[2].left(), columns[10].right()
            mark_size = min(mark_size, columns[1].width() * 0.9 / MARK_WIDTH)
            mark_h = 0.0
        width = right - left
        # Typeset with its dash, so the Chinese double dash is one mark.
        attribution_text = self.typeset(
            DASH.get(self.lang, "— ") + text_of(self.slide.attribution, self.lang)
        )
        attr_px = grid.px(type_.body)
        attribution = fit_block(
            [attribution_text], width, attr_px * 1.4 * 2, attr_px, grid.px(type_.caption), 1.3
        )
        if not attribution.elided and attribution.lines() > 1:
            attribution = balanced(attribution_text, attribution.font, width, 1.3)
        gap = grid.px(48)
        room = frame.height() - mark_h - attribution.height - gap - grid.px(24)
        quote_px = grid.px(round(type_.hero * 0.75))
        quote = fit_block(
            [self.t(self.slide.quote)],
            width,
            room,
            quote_px,
            grid.px(type_.body),
            QUOTE_LINE_HEIGHT,
        )
        if not quote.elided and quote.lines() > 1:
            # Even lines: the last line is not left with one word.
            quote = balanced(self.t(self.slide.quote), quote.font, width, QUOTE_LINE_HEIGHT)
        total = mark_h + quote.height + gap + attribution.height
        top = frame.top() + max(0.0, (frame.height() - total) / 2)
        mark = QRectF(0, 0, mark_size * MARK_WIDTH, mark_size * MARK_HEIGHT)
        if grid.portrait:
            mark.moveTopLeft(QPointF(left, top))
            quote_top = top + mark_h
        else:
            # The mark's top meets the top of the first line's letters.
            font_top = (
                quote.pitch_of(quote.layouts[0]) - quote.font.pixelSize() if quote.layouts else 0
            )
            mark.moveTopRight(QPointF(columns[1].right(), top + font_top * 0.5))
            quote_top = top
        quote_origin = QPointF(left, quote_top)
        attribution_origin = QPointF(left, quote_top + quote.height + gap)
        return QuoteLayout(frame, mark, quote, quote_origin, attribution, attribution_origin)

    # -- painting ---------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        rise = grid.px(28)
        mark_in = self.entry(0, delay=ENTRY_DELAY - 0.15)
        if mark_in > 0:
            painter.save()
            painter.setOpacity(mark_in)
            self._paint_mark(painter, layout.mark)
            painter.restore()
        layout.quote.draw(
            painter,
            layout.quote_origin,
            self.theme.colors.text,
            self.entry(
                1,
                delay=ENTRY_DELAY,
                length=self.theme.motion.entry_ms / 1000 * QUOTE_ENTRY_STRETCH,
            ),
            rise=rise,
        )
        layout.attribution.draw(
            painter,
            layout.attribution_origin,
            self.theme.colors.muted,
            self.entry(3, delay=ENTRY_DELAY),
            rise=rise / 2,
        )

    def _paint_mark(self, painter: QPainter, box: QRectF) -> None:
        """A big opening quotation mark filling `box`, drawn as two teardrops so it is the same
        shape in both languages and sharp at any size."""
        size = min(box.width() / MARK_WIDTH, box.height() / MARK_HEIGHT)
        r = size * 0.2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color("teal"))
        base = box.top() + 2.75 * r
        for k in range(2):
            head = QPointF(box.left() + r + k * (2 * r + size * 0.12), base)
            path = QPainterPath()
            path.addEllipse(head, r, r)
            tail = QPainterPath(QPointF(head.x() - r, head.y()))
            tail.cubicTo(
                QPointF(head.x() - r, head.y() - r * 1.9),
                QPointF(head.x() + r * 0.4, head.y() - r * 2.6),
                QPointF(head.x() + r * 1.05, head.y() - r * 2.75),
            )
            tail.lineTo(QPointF(head.x() + r * 1.15, head.y() - r * 2.35))
            tail.cubicTo(
                QPointF(head.x() + r * 0.2, head.y() - r * 2.0),
                QPointF(head.x() - r * 0.1, head.y() - r * 1.2),
                QPointF(head.x() + r * 0.2, head.y() - r * 0.6),
            )
            tail.closeSubpath()
            painter.drawPath(path.united(tail))


VIEW = QuoteView
