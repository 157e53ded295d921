"""Who is told what text is drawn: for tests that check what a frame shows.

`observe_text` hears every string the drawing toolbox puts on screen (`draw_text`,
`TextBlock.draw`, `draw_figure_text`), with the lines it was set in and where: a figure
mid-animation, where a line broke. `observe_cuts` hears every text drawn short of whole: a
block elided with "…", a `draw_text` clipped by its box. Nothing listens in the show, so
drawing pays one check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF

TextObserver = Callable[[str, list[str], QRectF], None]
"""Hears one drawn text: the whole string, the lines it was set in, and where."""
_observers: list[TextObserver] = []
CutObserver = Callable[[str, str], None]
"""Hears one text drawn cut: the text (as laid out) and how ("elided", "clipped")."""
_cut_observers: list[CutObserver] = []


@contextmanager
def observe_text(observer: TextObserver) -> Iterator[None]:
    """Tell `observer` every text drawn while the block runs: the strings as drawn, not as
    the content wrote them (typeset: Chinese holds U+2060 word joiners, which
    `kiosk.content.typeset.plain` removes)."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


@contextmanager
def observe_cuts(observer: CutObserver) -> Iterator[None]:
    """Tell `observer` every text drawn cut short while the block runs (larger text must
    reflow, never lose words)."""
    _cut_observers.append(observer)
    try:
        yield
    finally:
        _cut_observers.remove(observer)


def observed() -> bool:
    """Whether anybody listens (drawing skips the work of telling them when nobody does)."""
    return bool(_observers or _cut_observers)


def tell(text: str, lines: list[str], box: QRectF) -> None:
    for observer in list(_observers):
        observer(text, lines, box)


def tell_cut(text: str, how: str) -> None:
    for observer in list(_cut_observers):
        observer(text, how)
