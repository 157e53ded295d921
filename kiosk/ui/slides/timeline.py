"""The timeline slide: dated events appear one after another along an axis, in the order written.

The axis is not drawn to scale, so it says where it is not: a gap of `LONG_GAP_YEARS` or more
between one event and the next is cut by a break mark (two slanted strokes across the axis),
and a period (`until`) is drawn as a band along the axis rather than a dot. A card names its
event's date, which its element shows but the card, read on its own, would otherwise lack.
Events of one month written one after another share one place on the axis (the month, their
labels under it, one card for them all): a source that dates them only by the month, or one
by the day and another by the month, does not say which came first, and neither does the axis.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen

from kiosk.content.cards import month_slots, slot_card
from kiosk.content.format import format_period
from kiosk.content.model import Event, PartialDate, Text, TimelineSlide
from kiosk.ui.base import HitTarget, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.text import (
    CENTER,
    WRAP,
    balanced_width,
    draw_text,
    fit_font,
    line_box_height,
    text_size,
)
from kiosk.ui.fonts import ui_font

# Design sizes (pixels at 1920x1080) and timing of the timeline.
DOT = 12.0
"""Radius of an event's dot."""
PERIOD = 44.0
"""Length of the capsule that marks a period (an event with an end date)."""
AXIS_WIDTH = 3.0
STEM = 40.0
"""The shortest line from a dot to its words."""
ALTERNATE_FROM = 5
"""From this many events on, landscape puts them above and below the axis in turn."""
MAX_COLUMN = 540.0
"""Widest column of words in landscape."""
MAX_ROW = 280.0
"""Tallest row in portrait."""
AXIS_S = 0.6
"""Seconds the axis takes to draw itself in."""
EVENT_DELAY = 0.3
"""Seconds before the first event appears."""
EVENT_STAGGER = 0.25
"""Seconds between one event appearing and the next."""
LONG_GAP_YEARS = 5
"""From this many years between one event and the next, the axis shows a break mark."""
BREAK = (26.0, 34.0)
"""The break mark: the gap cut in the axis and the length of its two slanted strokes."""
BAND = 0.62
"""A period's band: this share of the space between two events, along the axis."""

CENTRED = CENTER
"""Landscape: each event's words centred under (or over) its dot."""
LEFT = WRAP
"""Portrait: the words left of the axis, ragged right."""


@dataclass(frozen=True)
class EventLayout:
    """Where one event's parts go."""

    dot: QPointF
    side: int
    """-1 above the axis, +1 below it (landscape); 0 right of it (portrait)."""
    date_rect: QRectF
    label_rect: QRectF
    words: QRectF
    """The box the date and label actually fill (for the pressed state)."""
    stem: QLineF
    hit: QRectF


@dataclass(frozen=True)
class TimelineLayout:
    """The whole timeline at one window size and language."""

    axis: QLineF
    events: tuple[EventLayout, ...]
    date_font: QFont
    label_font: QFont
    flags: int
    breaks: tuple[float, ...] = ()
    """Where the axis is cut by a break mark, as shares (0..1) of its length."""
    band: float = 0.0
    """A period's band length along the axis (pixels)."""


def months(when: PartialDate) -> int:
    """Months since year 0 (a date known to the year counts from its January)."""
    return when.year * 12 + (when.month or 1) - 1


def long_gaps(events: list[Event]) -> list[int]:
    """The indexes i where the time from event i (its end, for a period) to event i + 1 is
    `LONG_GAP_YEARS` or more: the axis, drawn at even steps, is cut there."""
    gaps = []
    for i, (a, b) in enumerate(zip(events, events[1:], strict=False)):
        if months(b.date) - months(a.until or a.date) >= LONG_GAP_YEARS * 12:
            gaps.append(i)
    return gaps


class TimelineView(SlideView[TimelineLayout]):
    """Events in the order written; the first event's dot carries the slide's gold accent."""

    slide: TimelineSlide

    def setup(self) -> None:
        self._slots = month_slots(self.slide.events)
        self.events = [self._shown(slot) for slot in self._slots]
        """What the axis shows: one event a place (events of one month merged)."""

    def _shown(self, slot: list[int]) -> Event:
        members = [self.slide.events[i] for i in slot]
        if len(members) == 1:
            return members[0]
        first = members[0]
        langs = self.deck.settings.languages
        label = Text.model_construct(
            root={lang: "\n".join(m.label.get(lang) for m in members) for lang in langs}
        )
        month = PartialDate(first.date.year, first.date.month)
        return Event.model_construct(date=month, until=None, label=label, detail=first.detail)

    # -- model -------------------------------------------------------------------------------

    def date_text(self, event: Event) -> str:
        """The event's date or period in the current language, typeset (2026–2030)."""
        return self.typeset(format_period(event.date, event.until, self.lang))

    def axis_progress(self) -> float:
        """0→1: how much of the axis has drawn itself in."""
        return self.entry(0, length=AXIS_S)

    def event_progress(self, index: int) -> float:
        """0→1: how far the `index`-th event has appeared."""
        return self.entry(0, delay=EVENT_DELAY + index * EVENT_STAGGER)

    def entry_duration(self) -> float:
        """Seconds until the last event has appeared."""
        if self.calm:
            return 0.0
        last = EVENT_DELAY + (len(self.events) - 1) * EVENT_STAGGER
        return max(AXIS_S, last + self.theme.motion.entry_ms / 1000)

    def key(self, index: int) -> str:
        """The key of the `index`-th place on the axis: its first event's."""
        return f"event:{self._slots[index][0]}"

    def hit_targets(self) -> list[HitTarget]:
        layout = self.arranged()
        targets = []
        langs = self.deck.settings.languages
        for slot, placed in zip(self._slots, layout.events, strict=True):
            # What the card says is the content's (kiosk.content.cards), as narration reads it.
            card = slot_card(self.slide.events, slot, langs)
            targets.append(HitTarget(card.key, QRectF(placed.hit), card.title, card.detail))
        return targets

    # -- layout ------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> TimelineLayout:
        """Where everything goes at this window size and language."""
        area = self.content_rect(grid).adjusted(0, 0, 0, -grid.gutter)  # air above the foot line
        return self._portrait(grid, area) if grid.portrait else self._landscape(grid, area)

    def _fonts(
        self, grid: Grid, width: float, label_height: float, flags: int
    ) -> tuple[QFont, QFont]:
        """One date font and one label font for every event: the largest in which all fit."""
        type_ = self.theme.type
        date_px = grid.px(type_.subtitle)
        date_size = min(
            fit_font(
                self.date_text(e),
                QRectF(0, 0, width, date_px * 1.4 * 2),
                date_px,
                bold=True,
                min_px=grid.px(type_.label),
                flags=flags,
                max_lines=2 if len(self.date_text(e).split()) > 1 else 1,
            ).pixelSize()
            for e in self.events
        )
        body_px = grid.px(type_.body)
        # As many lines as the room holds (two to five): wrapping is better than shrinking.
        lines = max(2, min(5, int(label_height / (body_px * 1.35))))
        label_size = min(
            fit_font(
                self.t(e.label),
                QRectF(0, 0, width, max(label_height, body_px * 1.4)),
                body_px,
                min_px=grid.px(type_.caption),
                flags=flags,
                max_lines=lines,
            ).pixelSize()
            for e in self.events
        )
        return ui_font(date_size, bold=True), ui_font(label_size)

    def _words_width(
        self, event: Event, date_font: QFont, label_font: QFont, width: float, flags: int
    ) -> float:
        """How wide the event's date and label are when wrapped to `width`."""
        return max(
            text_size(self.date_text(event), date_font, width, flags).width(),
            text_size(self.t(event.label), label_font, width, flags).width(),
        )

    def _landscape(self, grid: Grid, area: QRectF) -> TimelineLayout:
        events = self.events
        count = len(events)
        alternate = count >= ALTERNATE_FROM
        gutter = grid.gutter
        if alternate:
            step = area.width() / (count + 1)
            xs = [area.left() + step * (i + 1) for i in range(count)]
            column = min(2 * step - gutter, grid.px(MAX_COLUMN))
        else:
            step = area.width() / count
            xs = [area.left() + step * (i + 0.5) for i in range(count)]
            column = min(step - gutter, grid.px(MAX_COLUMN))
        sides = [(-1 if i % 2 == 0 else 1) if alternate else 1 for i in range(count)]
        stem = grid.px(STEM)
        dot = grid.px(DOT)
        gap = grid.px(10)
        label_room = (area.height() / (2 if alternate else 1.3)) - stem - grid.px(120)
        date_font, label_font = self._fonts(grid, column, label_room, CENTRED)

        def block(event: Event) -> tuple[float, float]:
            date_h = text_size(self.date_text(event), date_font, column, CENTRED).height()
            label_h = text_size(self.t(event.label), label_font, column, CENTRED).height()
            return date_h, label_h

        blocks = [block(e) for e in events]
        heights = [date_h + gap + label_h for date_h, label_h in blocks]
        above = max((h for h, side in zip(heights, sides, strict=True) if side < 0), default=0.0)
        below = max((h for h, side in zip(heights, sides, strict=True) if side > 0), default=0.0)
        # Stems lengthen into spare room, up to 2.5 times their shortest, so the words breathe.
        used = above + below + stem * (2 if alternate else 1) + 2 * dot
        spare = max(0.0, area.height() - used)
        stem = min(stem * 2.5, stem + spare / (4 if alternate else 3))
        used = above + below + stem * (2 if alternate else 1) + 2 * dot
        top = area.top() + max(0.0, area.height() - used) * 0.45
        axis_y = top + (above + stem if alternate else 0.0) + dot
        axis = QLineF(area.left(), axis_y, area.right(), axis_y)

        placed = []
        touch = grid.touch
        for event, x, side, (date_h, label_h) in zip(events, xs, sides, blocks, strict=True):
            left = x - column / 2
            height = date_h + gap + label_h
            # Blocks above the axis hang from one line, so every date lines up; their stems
            # reach up to where each block ends.
            block_top = axis_y - dot - stem - above if side < 0 else axis_y + dot + stem
            start = block_top + height if side < 0 else block_top
            date_rect = QRectF(left, block_top, column, date_h)
            # Balanced, so a label does not end on one lonely word.
            label_w = balanced_width(self.t(event.label), label_font, column, CENTRED)
            label_rect = QRectF(x - label_w / 2, block_top + date_h + gap, label_w, label_h)
            used = self._words_width(event, date_font, label_font, column, CENTRED)
            words = QRectF(x - used / 2, block_top, used, height)
            reach = max(dot + grid.px(8), touch / 2)
            if side < 0:
                hit = QRectF(left, block_top, column, axis_y + reach - block_top)
            else:
                hit = QRectF(left, axis_y - reach, column, block_top + height - axis_y + reach)
            hit = hit.adjusted(-gutter / 4, -gutter / 4, gutter / 4, gutter / 4)
            placed.append(
                EventLayout(
                    dot=QPointF(x, axis_y),
                    side=side,
                    date_rect=date_rect,
                    label_rect=label_rect,
                    words=words,
                    stem=QLineF(x, axis_y + side * dot, x, start),
                    hit=hit,
                )
            )
        breaks = tuple(
            ((xs[i] + xs[i + 1]) / 2 - area.left()) / max(1.0, area.width())
            for i in long_gaps(events)
        )
        band = max(grid.px(PERIOD), (step if count > 1 else area.width() / 2) * BAND)
        band = min(band, column)
        return TimelineLayout(
            axis, tuple(placed), date_font, label_font, CENTRED, breaks=breaks, band=band
        )

    def _portrait(self, grid: Grid, area: QRectF) -> TimelineLayout:
        events = self.events
        count = len(events)
        row = min(area.height() / count, grid.px(MAX_ROW))
        reach = self.reach_top(grid)
        if reach is not None and reach < area.bottom():
            # Every event within a seated visitor's reach: rows closer together below the reach
            # row, while each still holds its date and two lines of its label.
            type_ = self.theme.type
            least = grid.px(type_.subtitle) * 1.4 + grid.px(44) + 2 * grid.px(type_.label) * 1.4
            closer = (area.bottom() - reach) / count
            if least <= closer < row:
                row = closer
        top = area.top() + (area.height() - row * count) * 0.4
        # The first event's tap target: its row, raised by the pad around it.
        top = self.lowered(grid, top, row * count, area.bottom(), row - min(grid.px(16), row * 0.1))
        dot = grid.px(DOT)
        axis_x = area.left() + grid.px(PERIOD) / 2
        text_left = axis_x + grid.px(PERIOD) / 2 + grid.px(32)
        width = area.right() - text_left
        gap = grid.px(8)
        date_font, label_font = self._fonts(
            grid, width, row - grid.px(self.theme.type.subtitle) * 1.4 - gap - grid.px(36), LEFT
        )
        placed = []
        for i, event in enumerate(events):
            row_top = top + i * row
            date_h = text_size(self.date_text(event), date_font, width, LEFT).height()
            label_h = text_size(self.t(event.label), label_font, width, LEFT).height()
            first_line = min(date_h, line_box_height(self.date_text(event), date_font))
            centre = QPointF(axis_x, row_top + first_line / 2)
            date_rect = QRectF(text_left, row_top, width, date_h)
            label_w = balanced_width(self.t(event.label), label_font, width, LEFT)
            label_rect = QRectF(text_left, row_top + date_h + gap, label_w, label_h)
            used = self._words_width(event, date_font, label_font, width, LEFT)
            words = QRectF(text_left, row_top, used, label_rect.bottom() - row_top)
            pad = min(grid.px(16), row * 0.1)
            hit = QRectF(area.left() - pad, row_top - pad, area.width() + 2 * pad, row)
            placed.append(
                EventLayout(
                    dot=centre,
                    side=0,
                    date_rect=date_rect,
                    label_rect=label_rect,
                    words=words,
                    stem=QLineF(centre.x() + dot, centre.y(), centre.x() + dot, centre.y()),
                    hit=hit,
                )
            )
        first, last = placed[0].dot, placed[-1].dot
        axis = QLineF(axis_x, first.y(), axis_x, last.y() + row * 0.5)
        length = max(1.0, axis.length())
        breaks = tuple(
            ((placed[i].dot.y() + placed[i + 1].dot.y()) / 2 - first.y()) / length
            for i in long_gaps(events)
        )
        band = max(grid.px(PERIOD), min(row * 0.5, grid.px(PERIOD) * 2.5))
        return TimelineLayout(
            axis, tuple(placed), date_font, label_font, LEFT, breaks=breaks, band=band
        )

    # -- painting ----------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        for i, placed in enumerate(layout.events):
            if self.highlight == self.key(i) and self.event_progress(i) > 0:
                pad = grid.px(20)
                self._paint_highlight(painter, grid, placed.words.adjusted(-pad, -pad, pad, pad))
        self._paint_axis(painter, grid, layout)
        for i, (event, placed) in enumerate(zip(self.events, layout.events, strict=True)):
            progress = self.event_progress(i)
            if progress > 0:
                self._paint_event(painter, grid, layout, i, event, placed, progress)

    def _paint_highlight(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        edge = grid.px(3)
        painter.setPen(QPen(self.color("teal"), edge))
        painter.setBrush(self.color("panel").lighter(125))
        radius = grid.px(self.theme.space.radius)
        half = edge / 2
        painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), radius, radius)

    def _paint_axis(self, painter: QPainter, grid: Grid, layout: TimelineLayout) -> None:
        progress = self.axis_progress()
        if progress <= 0:
            return
        axis = layout.axis
        pen = QPen(self.color("teal", 0.45), grid.px(AXIS_WIDTH))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        # The axis in pieces, cut where a break mark says the steps are not to scale.
        half = grid.px(BREAK[0]) / 2 / max(1.0, axis.length())
        start = 0.0
        for at in layout.breaks:
            if at - half > start:
                painter.drawLine(
                    QLineF(axis.pointAt(start), axis.pointAt(min(progress, at - half)))
                )
            start = at + half
            if progress <= start:
                break
        else:
            if progress > start:
                painter.drawLine(QLineF(axis.pointAt(start), axis.pointAt(progress)))
        for at in layout.breaks:
            if progress >= at:
                self._paint_break(painter, grid, axis, at)

    def break_marks(self) -> list[QPointF]:
        """The centres of the axis's break marks, in view coordinates."""
        layout = self.arranged()
        return [layout.axis.pointAt(at) for at in layout.breaks]

    def _paint_break(self, painter: QPainter, grid: Grid, axis: QLineF, at: float) -> None:
        """Two parallel slanted strokes across the axis where it is cut."""
        centre = axis.pointAt(at)
        unit = axis.unitVector()
        along = QPointF(unit.dx(), unit.dy())
        across = QPointF(-along.y(), along.x())
        length = grid.px(BREAK[1])
        half_gap = grid.px(BREAK[0]) / 2
        pen = QPen(self.color("teal", 0.8), grid.px(AXIS_WIDTH))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        slant = along * (length * 0.25)
        for side in (-1, 1):
            mid = centre + along * (side * half_gap)
            painter.drawLine(
                QLineF(mid - across * (length / 2) + slant, mid + across * (length / 2) - slant)
            )

    def _paint_event(
        self,
        painter: QPainter,
        grid: Grid,
        layout: TimelineLayout,
        index: int,
        event: Event,
        placed: EventLayout,
        progress: float,
    ) -> None:
        painter.save()
        painter.setOpacity(progress)
        # The dot grows into place; the words slide out from the axis.
        dot = grid.px(DOT) * (0.4 + 0.6 * progress)
        # A period is a band along the axis, as long as most of the step to its neighbour.
        length = layout.band * (0.4 + 0.6 * progress) if event.until else 2 * dot
        centre = placed.dot
        if layout.flags == LEFT:
            shape = QRectF(centre.x() - dot, centre.y() - length / 2, 2 * dot, length)
        else:
            shape = QRectF(centre.x() - length / 2, centre.y() - dot, length, 2 * dot)
        ring = grid.px(5)
        painter.setPen(QPen(self.color("background"), ring))
        painter.setBrush(self.color("gold") if index == 0 else self.color("teal"))
        painter.drawRoundedRect(shape, dot, dot)
        if self.highlight == self.key(index):
            # A teal halo around the pressed event's dot.
            halo = grid.px(9)
            painter.setPen(QPen(self.color("teal"), grid.px(3)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                shape.adjusted(-halo, -halo, halo, halo), dot + halo, dot + halo
            )

        if placed.side != 0:
            painter.setPen(QPen(self.color("teal", 0.45), max(1.0, grid.px(2))))
            stem = placed.stem
            painter.drawLine(QLineF(stem.p1(), stem.pointAt(progress)))

        shift = (1 - progress) * grid.px(18)
        if placed.side == 0:
            painter.translate(-shift, 0)
        else:
            painter.translate(0, -placed.side * shift)
        colors = self.theme.colors
        draw_text(
            painter,
            placed.date_rect,
            self.date_text(event),
            layout.date_font,
            colors.teal,
            layout.flags,
        )
        draw_text(
            painter,
            placed.label_rect,
            self.t(event.label),
            layout.label_font,
            colors.text,
            layout.flags,
        )
        painter.restore()


VIEW = TimelineView
