"""Painting the staff PIN pad: title, lock-out or wrong-PIN line, entered dots, the keys, and
beside them what staff came to read (content errors, operations notices).

Where each part sits is `kiosk.ui.chrome`'s; what the pad holds is the controller's.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from kiosk.content.theme import Theme
from kiosk.show.controller import Controller
from kiosk.ui import chrome
from kiosk.ui.base import HitTarget
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import theme_color
from kiosk.ui.draw.text import draw_text, fit_font
from kiosk.ui.fonts import ui_font
from kiosk.ui.words import CENTER, STRINGS


def paint_pin_pad(
    painter: QPainter,
    grid: Grid,
    theme: Theme,
    visitor: Controller[HitTarget],
    now: float,
    *,
    content_errors: list[str],
    notices: list[str],
) -> None:
    """The open PIN pad of `visitor` at `grid`'s size, with the `content_errors` and operations
    `notices` staff read beside it."""

    def color(name: str, alpha: float = 1.0) -> QColor:
        return theme_color(theme, name, alpha)

    lang = visitor.show.lang
    pad = chrome.pin_rect(grid)
    radius = grid.px(theme.space.radius)
    painter.setPen(QPen(color("panel_edge"), grid.px(2)))
    painter.setBrush(color("panel"))
    painter.drawRoundedRect(pad, radius, radius)
    title = QRectF(pad.left(), pad.top() + grid.px(28), pad.width(), grid.px(56))
    draw_text(
        painter,
        title,
        STRINGS["pin"][lang],
        ui_font(grid.px(36), bold=True),
        color("text"),
        CENTER,
    )
    status = chrome.pin_status_rect(grid)
    locked = visitor.pin_locked(now)
    if locked > 0:
        text = STRINGS["locked"][lang].format(n=math.ceil(locked))
        draw_text(painter, status, text, ui_font(grid.px(26)), color("gold"), CENTER)
    elif visitor.pin_message:
        text = STRINGS[visitor.pin_message.value][lang]
        draw_text(painter, status, text, ui_font(grid.px(26)), color("gold"), CENTER)
    dots = chrome.pin_dots_rect(grid)
    draw_text(
        painter,
        dots,
        "●" * len(visitor.pin_entry or "") or "–",
        ui_font(grid.px(32)),
        color("teal"),
        CENTER,
    )
    if content_errors or notices:
        # Staff read the content errors here: beside the pad, or below it in portrait.
        if grid.portrait:
            listing = QRectF(
                grid.margin,
                pad.bottom() + grid.gutter,
                grid.width - 2 * grid.margin,
                grid.footer.top() - pad.bottom() - grid.gutter,
            )
        else:
            listing = QRectF(
                grid.margin, pad.top(), pad.left() - grid.margin - grid.gutter, pad.height()
            )
        if content_errors and notices:
            half = listing.height() / 2
            errors_rect = QRectF(listing.left(), listing.top(), listing.width(), half)
            notices_rect = errors_rect.translated(0, half)
        else:
            errors_rect = notices_rect = listing
        if content_errors:
            text = "\n".join(content_errors[:8])
            font = fit_font(text, errors_rect, grid.px(22), min_px=grid.px(12))
            draw_text(painter, errors_rect, text, font, color("gold"))
        if notices:
            # Told apart from content errors: its own heading and colour.
            text = "\n".join([STRINGS["ops"][lang], *notices[:6]])
            font = fit_font(text, notices_rect, grid.px(22), min_px=grid.px(12))
            draw_text(painter, notices_rect, text, font, color("sky"))
    for key in chrome.pin_keys(grid):
        down = visitor.pressed == key.key
        painter.setPen(QPen(color("panel_edge"), grid.px(1.5)))
        painter.setBrush(color("teal" if down else "background", 0.9))
        painter.drawEllipse(key.rect)
        draw_text(
            painter,
            key.rect,
            key.key.label,
            ui_font(grid.px(40), bold=True),
            color("text"),
            CENTER,
        )
