"""Slide views, one module per slide type, imported only when a deck uses that type.

Each module `kiosk.ui.slides.<type>` defines its view class and exports it as `VIEW`; the
chart view's module is the only one that imports pyqtgraph, so a deck without charts never
pays for it.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QWidget

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase
from kiosk.ui.base import SlideView
from kiosk.ui.theme import Theme


def view_class(slide_type: str) -> type[SlideView]:
    """The view class for a slide type."""
    module = importlib.import_module(f"kiosk.ui.slides.{slide_type}")
    view: type[SlideView] = module.VIEW
    return view


def create_view(
    deck: Deck,
    slide: SlideBase,
    *,
    lang: str,
    theme: Theme | None = None,
    parent: QWidget | None = None,
) -> SlideView:
    """A view of `slide` in `lang`."""
    cls = view_class(slide.slide_type)
    return cls(deck, slide, lang=lang, theme=theme, parent=parent)
