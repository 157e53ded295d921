"""Slide views, one module per slide type, imported only when a deck uses that type.

Each module `kiosk.ui.slides.<type>` defines its view class and exports it as `VIEW`, or, for
a type drawn in different ways (the chart's kinds), a function `view_for(slide)` choosing
one; the chart package is the only one that imports pyqtgraph, so a deck without charts
never pays for it.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase
from kiosk.content.theme import Theme
from kiosk.ui.base import SlideView


def view_class(slide: SlideBase) -> type[SlideView[Any]]:
    """The view class for a slide."""
    module = importlib.import_module(f"kiosk.ui.slides.{slide.slide_type}")
    choose = getattr(module, "view_for", None)
    view: type[SlideView[Any]] = choose(slide) if choose is not None else module.VIEW
    return view


def create_view(
    deck: Deck,
    slide: SlideBase,
    *,
    lang: str,
    theme: Theme | None = None,
    parent: QWidget | None = None,
) -> SlideView[Any]:
    """A view of `slide` in `lang`."""
    cls = view_class(slide)
    return cls(deck, slide, lang=lang, theme=theme, parent=parent)
