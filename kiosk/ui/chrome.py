"""Where the kiosk's own chrome sits at a window size: navigation, card, countdown, PIN pad.

Geometry only, in window pixels from the grid: the overlay paints at these places and answers
hits from them, so what is drawn and what is tapped can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from kiosk.content.theme import Theme
from kiosk.show.hits import PIN_KEYS, Control, Dot, PinKey
from kiosk.ui.base import HitTarget
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.text import TextBlock, fit_block, fit_font, paragraphs, text_size

STAFF_CORNER_DESIGN_PX = 160.0
"""The top-left square (at 1920x1080; scaled with the window) where staff hold a finger."""
CONTROL_DESIGN_PX = 72.0

K = TypeVar("K", Control | Dot, PinKey)


@dataclass(frozen=True)
class Button(Generic[K]):
    """Something of the chrome to tap: what it is (`key`) and where."""

    key: K
    rect: QRectF


@dataclass(frozen=True)
class CardLayout:
    """An open detail card, sized to its text."""

    rect: QRectF
    title: str
    title_font: QFont
    title_height: float
    body_top: float
    block: TextBlock


def nav_buttons(grid: Grid, count: int) -> list[Button[Control | Dot]]:
    """The navigation controls: previous, a progress dot per slide, next, home, language."""
    nav = grid.nav_rect
    size = grid.px(CONTROL_DESIGN_PX)
    y = nav.center().y() - size / 2
    gap = grid.px(12)
    lang_width = size * 2.1
    right = nav.right()
    lang = QRectF(right - lang_width, y, lang_width, size)
    home = QRectF(lang.left() - gap - size, y, size, size)
    nxt = QRectF(home.left() - gap - size, y, size, size)
    dots_right = nxt.left() - gap
    # The dots share what is left; each one's target stays at least a control's half wide.
    dot_width = min(size, max(size * 0.55, (dots_right - nav.left() - size - gap) / count))
    dots_left = dots_right - dot_width * count
    prev = QRectF(dots_left - gap - size, y, size, size)
    buttons: list[Button[Control | Dot]] = [Button(Control.PREV, prev)]
    buttons += [
        Button(Dot(i), QRectF(dots_left + i * dot_width, y, dot_width, size)) for i in range(count)
    ]
    buttons += [Button(Control.NEXT, nxt), Button(Control.HOME, home), Button(Control.LANG, lang)]
    return buttons


def staff_corner(grid: Grid) -> QRectF:
    size = grid.px(STAFF_CORNER_DESIGN_PX)
    return QRectF(0, 0, size, size)


def card_layout(grid: Grid, theme: Theme, card: HitTarget, lang: str) -> CardLayout:
    """The open card, sized to its text: a short detail gets a small card."""
    width = min(grid.width - 2 * grid.margin, grid.px(1000))
    most = min(grid.height - 2 * grid.margin, grid.px(720))
    pad = grid.px(48)
    close = grid.px(CONTROL_DESIGN_PX)
    title = card.title.get(lang) if card.title else ""
    title_box = QRectF(0, 0, width - 3 * pad - close, grid.px(120))
    title_font = fit_font(title or " ", title_box, grid.px(44), bold=True, max_lines=2)
    title_height = max(close, text_size(title, title_font, title_box.width()).height())
    body_top = pad + title_height + grid.px(44)
    block = fit_block(
        paragraphs(card.detail.get(lang)),
        width - 2 * pad,
        most - body_top - pad,
        grid.px(theme.type.body),
        grid.px(theme.type.caption),
        theme.type.line_height,
    )
    height = max(grid.px(300), body_top + block.height + pad)
    rect = QRectF((grid.width - width) / 2, (grid.height - height) / 2, width, height)
    return CardLayout(rect, title, title_font, title_height, body_top, block)


def card_close_rect(grid: Grid, card: QRectF) -> QRectF:
    size = grid.px(CONTROL_DESIGN_PX)
    pad = grid.px(16)
    return QRectF(card.right() - size - pad, card.top() + pad, size, size)


def keep_rect(grid: Grid) -> QRectF:
    """The idle countdown's "keep exploring" button."""
    width, height = grid.px(520), grid.px(120)
    return QRectF((grid.width - width) / 2, grid.height / 2 + grid.px(20), width, height)


def hint_rect(grid: Grid) -> QRectF:
    """The attract loop's "touch to explore" hint, just above the footer band."""
    width, height = grid.px(560), grid.px(84)
    return QRectF((grid.width - width) / 2, grid.footer.top() - height - grid.px(24), width, height)


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
