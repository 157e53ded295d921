"""Where the kiosk's own chrome sits at a window size: the foot band's pieces, cues, cards, PIN pad.

Geometry only, in window pixels from the grid: the overlay paints at these places and answers
hits from them, so what is drawn and what is tapped can never disagree. The hint, notices, the
idle countdown and the navigation live in the foot band's slots (`Grid.notice_rect`,
`Grid.message_rect`, `Grid.nav_rect`), which slides never use; what the chrome puts over the
slide itself (tap cues, an open card) is placed where the slide has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPolygonF

from kiosk.content.theme import Theme
from kiosk.content.typeset import typeset
from kiosk.show.hits import PIN_KEYS, Control, Dot, PinKey
from kiosk.ui.base import HitTarget
from kiosk.ui.draw.grid import CONTROL_DESIGN_PX, Grid
from kiosk.ui.draw.text import TextBlock, balanced, fit_block, paragraphs
from kiosk.ui.fonts import ui_font

STAFF_CORNER_DESIGN_PX = 160.0
"""The top-left square (at 1920x1080; scaled with the window) where staff hold a finger."""
CUE_DESIGN_PX = 32.0
"""The side of the "+" badge on everything that opens a card (about 20 mm on a 55-inch
screen: legible from 3 m)."""
CARD_PAD_DESIGN_PX = 40.0
"""The card's inner margin."""
MARK_DESIGN_PX = 7.0
"""The radius of the staff's notice marks in the top-right margin."""

K = TypeVar("K", Control | Dot, PinKey)


@dataclass(frozen=True)
class Button(Generic[K]):
    """Something of the chrome to tap: what it is (`key`) and where."""

    key: K
    rect: QRectF


class Side(Enum):
    """Which side of its element a card opens on."""

    RIGHT = "right"
    LEFT = "left"
    BELOW = "below"
    ABOVE = "above"


@dataclass(frozen=True)
class CardLayout:
    """An open detail card beside its element, sized to its text."""

    rect: QRectF
    side: Side
    ring: QRectF
    """The highlight around the element (kept clear of the dim)."""
    notch: QPolygonF
    """The pointer from the card's edge toward the element."""
    title: str
    title_block: TextBlock | None
    title_height: float
    body_top: float
    block: TextBlock
    close: QRectF


# -- the foot band ----------------------------------------------------------------------------


ACCESS_KEYS = (Control.LISTEN, Control.LARGER, Control.CONTRAST)


def lowered(grid: Grid, reach: float | None) -> bool:
    """Whether the access controls come down to the navigation's row: on a portrait screen
    whose band's upper row starts above the hall's reach line (`reach`, the window's pixel row
    a seated visitor's hand reaches up to; None: no line is known)."""
    return grid.portrait and reach is not None and grid.access_rect.top() < reach


def access_buttons(grid: Grid, reach: float | None = None) -> list[Button[Control | Dot]]:
    """The visitor's access controls at the band's left end: listen, larger text, high
    contrast (in portrait on the upper row, or the lower one when the upper is out of reach)."""
    slot = grid.access_rect
    if lowered(grid, reach):
        nav = grid.nav_rect
        slot = QRectF(nav.left(), nav.top(), slot.width(), nav.height())
    size = grid.control
    gap = (slot.width() - len(ACCESS_KEYS) * size) / max(1, len(ACCESS_KEYS) - 1)
    y = slot.center().y() - size / 2
    return [
        Button(key, QRectF(slot.left() + i * (size + gap), y, size, size))
        for i, key in enumerate(ACCESS_KEYS)
    ]


def controls(grid: Grid, count: int, reach: float | None = None) -> list[Button[Control | Dot]]:
    """Every control of the band a visitor can tap (`count` slides): the access controls, then
    the navigation (`reach`: see `lowered`). The idle countdown's "keep exploring"
    (`keep_rect`) and a card's close button (`card_close_rect`) come and go with what they
    belong to; a tap anywhere outside a card closes it too."""
    return access_buttons(grid, reach) + nav_buttons(grid, count, reach)


def nav_buttons(grid: Grid, count: int, reach: float | None = None) -> list[Button[Control | Dot]]:
    """The navigation controls: previous, a progress dot per slide, next, home, language."""
    nav = grid.nav_rect
    floor = 0.5
    if lowered(grid, reach):
        # The access controls share the row: the dots narrow to make room (`kiosk audit`
        # measures them against the hall's screen).
        left = nav.left() + grid.access_rect.width() + grid.gutter
        nav = QRectF(left, nav.top(), nav.right() - left, nav.height())
        floor = 0.25
    size = grid.control
    y = nav.center().y() - size / 2
    gap = grid.px(12)
    lang_width = size * 2.1
    right = nav.right()
    lang = QRectF(right - lang_width, y, lang_width, size)
    home = QRectF(lang.left() - gap - size, y, size, size)
    nxt = QRectF(home.left() - gap - size, y, size, size)
    dots_right = nxt.left() - gap
    # The dots share what is left; each one's target stays at least half a control wide
    # (9 mm at 1920x1080 on a 22-inch screen; `kiosk audit` measures the hall's own).
    dot_width = min(size, max(size * floor, (dots_right - nav.left() - size - gap) / count))
    dots_left = dots_right - dot_width * count
    prev = QRectF(dots_left - gap - size, y, size, size)
    buttons: list[Button[Control | Dot]] = [Button(Control.PREV, prev)]
    buttons += [
        Button(Dot(i), QRectF(dots_left + i * dot_width, y, dot_width, size)) for i in range(count)
    ]
    buttons += [Button(Control.NEXT, nxt), Button(Control.HOME, home), Button(Control.LANG, lang)]
    return buttons


def _band_slot(grid: Grid, slot: QRectF, count: int) -> QRectF:
    """`slot` kept clear of the navigation: a deck with very many slides pushes its dots out
    of the navigation slot, and the hint gives way rather than lie under them."""
    if grid.portrait:
        return slot
    first = nav_buttons(grid, count)[0].rect.left() - grid.gutter
    width = max(0.0, min(slot.right(), first) - slot.left())
    return QRectF(slot.left(), slot.top(), width, slot.height())


def _inset(grid: Grid, slot: QRectF) -> QRectF:
    """A panel inside a band slot: the band's own breathing room above and below it."""
    pad = min(grid.px(14), slot.height() * 0.12)
    return slot.adjusted(0, pad, 0, -pad)


def hint_rect(grid: Grid, count: int) -> QRectF:
    """The attract loop's "touch to explore" hint: a pill filling the band's hint slot."""
    slot = _inset(grid, _band_slot(grid, grid.notice_rect, count))
    height = min(slot.height(), grid.px(84))
    return QRectF(slot.left(), slot.center().y() - height / 2, slot.width(), height)


def message_rect(grid: Grid, count: int) -> QRectF:
    """The panel of a message over the source and hint slots (the idle countdown, content
    errors in a window)."""
    return _inset(grid, _band_slot(grid, grid.message_rect, count))


def countdown_rect(grid: Grid, count: int) -> QRectF:
    """The idle countdown's panel: touching it only keeps the visit going."""
    return message_rect(grid, count)


def keep_rect(grid: Grid, count: int) -> QRectF:
    """The idle countdown's "keep exploring" button, at the panel's right end."""
    panel = countdown_rect(grid, count)
    pad = (panel.height() - max(grid.touch, min(panel.height(), grid.px(64)))) / 2
    height = panel.height() - 2 * max(0.0, pad)
    width = min(panel.width() * 0.42, grid.px(300))
    inner = max(0.0, pad)
    return QRectF(panel.right() - inner - width, panel.top() + inner, width, height)


def mark_centers(grid: Grid) -> tuple[QPointF, QPointF]:
    """Where the content-error mark (gold) and the operations-notice mark (sky) go: in the
    top-right corner of the outer margin, which no slide draws in."""
    y = grid.px(22)
    return QPointF(grid.width - grid.px(22), y), QPointF(grid.width - grid.px(44), y)


def mark_rect(grid: Grid, center: QPointF) -> QRectF:
    r = grid.px(MARK_DESIGN_PX)
    return QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r)


def staff_corner(grid: Grid) -> QRectF:
    size = grid.px(STAFF_CORNER_DESIGN_PX)
    return QRectF(0, 0, size, size)


# -- tap cues ---------------------------------------------------------------------------------


def cue_rects(
    grid: Grid, targets: Sequence[HitTarget], ink: Callable[[QRectF], float]
) -> dict[str, QRectF]:
    """Where each element's "+" badge goes: at a corner of the element where the settled
    slide has no text or figure (`ink` tells how much of a rectangle the slide draws on,
    from 0 to 1), else just outside the element on the background, never on another
    element or another badge. Keyed by the target's key."""
    size = grid.px(CUE_DESIGN_PX)
    gap = grid.px(10)
    clear = grid.px(6)
    frame = grid.frame
    placed: dict[str, QRectF] = {}
    for target in targets:
        # The part of the element on screen: a generous tap area may reach into the margin.
        r = target.rect.intersected(frame)
        right, left = r.right() - gap - size, r.left() + gap
        top, bottom = r.top() + gap, r.bottom() - gap - size
        middle_y, middle_x = r.center().y() - size / 2, r.center().x() - size / 2
        candidates = [
            # On the element: its corners, top-right first (where a tile's label is not).
            QRectF(right, top, size, size),
            QRectF(right, bottom, size, size),
            QRectF(left, top, size, size),
            QRectF(left, bottom, size, size),
            # Beside it, on the slide's background.
            QRectF(r.right() - size, r.top() - gap - size, size, size),
            QRectF(r.right() + gap, r.top() - gap - size, size, size),
            QRectF(r.right() + gap, middle_y, size, size),
            QRectF(r.right() - size, r.bottom() + gap, size, size),
            QRectF(r.left(), r.top() - gap - size, size, size),
            QRectF(r.left() - gap - size, middle_y, size, size),
            QRectF(middle_x, r.top() - gap - size, size, size),
            QRectF(middle_x, r.bottom() + gap, size, size),
        ]
        others = [t.rect for t in targets if t is not target]

        def cost(rect: QRectF, others: list[QRectF] = others) -> float:
            if not frame.contains(rect) or any(rect.intersects(p) for p in placed.values()):
                return 2.0
            belongs = 0.5 if any(rect.intersects(o) for o in others) else 0.0
            return ink(rect.adjusted(-clear, -clear, clear, clear)) + belongs

        costs = [cost(c) for c in candidates]
        best = min(range(len(candidates)), key=lambda i: (costs[i] > 0, costs[i], i))
        placed[target.key] = candidates[best]
    return placed


# -- cards ------------------------------------------------------------------------------------


def _card_text(
    grid: Grid, theme: Theme, title: str, detail: str, width: float, most: float
) -> tuple[TextBlock | None, float, float, TextBlock, float]:
    """The title (balanced, at most two lines) and the body laid out at `width`: the title
    block, its height, where the body starts, the body and the card's height."""
    pad = grid.px(CARD_PAD_DESIGN_PX)
    close = grid.px(CONTROL_DESIGN_PX)
    title_width = width - 2 * pad - close - grid.px(16)
    block: TextBlock | None = None
    height = 0.0
    if title:
        px = grid.px(40)
        while True:
            font = ui_font(px, bold=True)
            block = balanced(title, font, title_width, 1.2)
            if block.lines() <= 2 or px <= grid.px(28):
                break
            px *= 0.92
        block = balanced(title, font, title_width, 1.2, max_height=font.pixelSize() * 1.2 * 2.2)
        height = block.height
    title_height = max(close, height)
    body_top = pad + title_height + grid.px(36)
    body = fit_block(
        paragraphs(detail),
        width - 2 * pad,
        max(grid.px(40), most - body_top - pad),
        grid.px(theme.type.body),
        grid.px(theme.type.caption),
        theme.type.line_height,
    )
    return block, title_height, body_top, body, max(grid.px(220), body_top + body.height + pad)


def card_layout(
    grid: Grid,
    theme: Theme,
    card: HitTarget,
    lang: str,
    glossary: Sequence[str] = (),
) -> CardLayout:
    """The open card beside its element (right, left, below or above: the first side where it
    fits inside the frame), sized to its text, tied to the element by a notch and a ring. It
    never covers the element nor the foot band."""
    frame = grid.frame
    ring = card.rect.adjusted(-grid.px(8), -grid.px(8), grid.px(8), grid.px(8))
    depth = grid.px(16)
    gap = grid.px(8) + depth + grid.px(8)
    element = card.rect.adjusted(-gap, -gap, gap, gap)  # what the card keeps clear of
    title = typeset(card.title.get(lang), lang, glossary) if card.title else ""
    detail = typeset(card.detail.get(lang), lang, glossary)
    widest = min(frame.width(), grid.px(760))
    narrowest = min(widest, grid.px(520))
    rooms = {
        Side.RIGHT: (frame.right() - element.right(), frame.height()),
        Side.LEFT: (element.left() - frame.left(), frame.height()),
        Side.BELOW: (frame.width(), frame.bottom() - element.bottom()),
        Side.ABOVE: (frame.width(), element.top() - frame.top()),
    }
    most = min(frame.height(), grid.px(720))
    choice: tuple[Side, float, tuple[TextBlock | None, float, float, TextBlock, float]] | None
    choice = None
    for side, (room_w, room_h) in rooms.items():
        width = min(widest, room_w)
        if width < narrowest or room_h < grid.px(220):
            continue
        laid = _card_text(grid, theme, title, detail, width, min(most, room_h))
        if laid[4] <= room_h + 0.5 and not laid[3].elided:
            choice = (side, width, laid)
            break
    if choice is None:
        # Nowhere does the whole card fit: the side with the most room, its body cut to it.
        def area(side: Side) -> float:
            w, h = rooms[side]
            return min(widest, max(0.0, w)) * min(most, max(0.0, h))

        side = max(rooms, key=area)
        room_w, room_h = rooms[side]
        width = max(1.0, min(widest, room_w))
        laid = _card_text(grid, theme, title, detail, width, max(1.0, min(most, room_h)))
        choice = (side, width, laid)
    side, width, laid = choice
    # Sized to its text: as narrow as its longest line (the lines break where they did).
    pad = grid.px(CARD_PAD_DESIGN_PX)
    title_line = laid[0].natural_width() if laid[0] is not None else 0.0
    close = grid.px(CONTROL_DESIGN_PX) + grid.px(16)
    needed = max(laid[3].natural_width(), title_line + close) + 2 * pad + grid.px(2)
    if needed < width - grid.px(8) and not laid[3].elided:
        snug = max(min(width, grid.px(440)), needed)
        tighter = _card_text(grid, theme, title, detail, snug, min(most, rooms[side][1]))
        if tighter[3].lines() == laid[3].lines() and not tighter[3].elided:
            width, laid = snug, tighter
    block, title_height, body_top, body, height = laid
    room_h = rooms[side][1]
    height = min(height, max(1.0, room_h))
    center = card.rect.center()

    def clamp(value: float, low: float, high: float) -> float:
        return max(low, min(value, high))

    if side in (Side.RIGHT, Side.LEFT):
        x = element.right() if side is Side.RIGHT else element.left() - width
        y = clamp(center.y() - height / 2, frame.top(), frame.bottom() - height)
    else:
        x = clamp(center.x() - width / 2, frame.left(), frame.right() - width)
        y = element.bottom() if side is Side.BELOW else element.top() - height
    rect = QRectF(x, y, width, height)
    return CardLayout(
        rect=rect,
        side=side,
        ring=ring,
        notch=_notch(grid, rect, side, card.rect, depth),
        title=title,
        title_block=block,
        title_height=title_height,
        body_top=body_top,
        block=body,
        close=card_close_rect(grid, rect),
    )


def _notch(grid: Grid, card: QRectF, side: Side, element: QRectF, depth: float) -> QPolygonF:
    """A small triangle on the card's edge facing the element, pointing at its middle."""
    half = grid.px(18)
    inset = grid.px(grid.theme.space.radius) + half
    c = element.center()
    if side in (Side.RIGHT, Side.LEFT):
        y = max(card.top() + inset, min(c.y(), card.bottom() - inset))
        edge = card.left() if side is Side.RIGHT else card.right()
        tip = edge - depth if side is Side.RIGHT else edge + depth
        return QPolygonF([QPointF(edge, y - half), QPointF(tip, y), QPointF(edge, y + half)])
    x = max(card.left() + inset, min(c.x(), card.right() - inset))
    edge = card.top() if side is Side.BELOW else card.bottom()
    tip = edge - depth if side is Side.BELOW else edge + depth
    return QPolygonF([QPointF(x - half, edge), QPointF(x, tip), QPointF(x + half, edge)])


def card_close_rect(grid: Grid, card: QRectF) -> QRectF:
    size = grid.px(CONTROL_DESIGN_PX)
    pad = grid.px(16)
    return QRectF(card.right() - size - pad, card.top() + pad, size, size)


# -- the PIN pad ------------------------------------------------------------------------------


def pin_rect(grid: Grid) -> QRectF:
    width, height = grid.px(520), grid.px(760)
    return QRectF((grid.width - width) / 2, (grid.height - height) / 2, width, height)


def pin_status_rect(grid: Grid) -> QRectF:
    """Where the pad says "wrong PIN" or how long it is locked."""
    pad = pin_rect(grid)
    return QRectF(pad.left(), pad.top() + grid.px(84), pad.width(), grid.px(48))


def pin_dots_rect(grid: Grid) -> QRectF:
    """Where the pad shows one dot per digit entered."""
    pad = pin_rect(grid)
    return QRectF(pad.left(), pad.top() + grid.px(132), pad.width(), grid.px(48))


def pin_keys(grid: Grid) -> list[Button[PinKey]]:
    """The PIN pad's keys: digits, clear and OK, in a 3 by 4 grid."""
    pad = pin_rect(grid)
    top = pad.top() + grid.px(200)
    size, gap = grid.px(120), grid.px(24)
    left = pad.center().x() - (3 * size + 2 * gap) / 2
    return [
        Button(
            PinKey(key),
            QRectF(left + (i % 3) * (size + gap), top + (i // 3) * (size + gap), size, size),
        )
        for i, key in enumerate(PIN_KEYS)
    ]
