"""One slide view shown headless at a size, and its picture: for the view tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase
from kiosk.content.theme import Theme
from kiosk.ui.base import SETTLED, SlideView
from kiosk.ui.slides import create_view


def shown_view(
    qtbot: QtBot,
    deck: Deck,
    slide: SlideBase,
    size: tuple[int, int],
    lang: str,
    elapsed: float = SETTLED,
    *,
    theme: Theme | None = None,
) -> SlideView:
    """The view of `slide` in `lang`, shown off screen at `size`, `elapsed` into its entry
    (settled by default), in `theme` (the deck's by default); qtbot closes it after the test."""
    view = create_view(deck, slide, lang=lang, theme=theme)
    qtbot.addWidget(view)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.resize(*size)
    view.show()
    view.set_elapsed(elapsed)
    return view


def grab(view: SlideView) -> QImage:
    """What the view draws now."""
    image = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    view.render(image)
    return image
