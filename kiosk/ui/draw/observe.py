"""Who is told what text is drawn: for tests that check what a frame shows.

`observe_text` hears every string the drawing toolbox puts on screen (`draw_text`,
`TextBlock.draw`, `draw_figure_text`), with the lines it was set in and where: a figure
mid-animation, where a line broke. Nothing listens in the show, so drawing pays one check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF

TextObserver = Callable[[str, list[str], QRectF], None]
"""Hears one drawn text: the whole string, the lines it was set in, and where."""
_observers: list[TextObserver] = []


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


def observed() -> bool:
    """Whether anybody listens (drawing skips the work of telling them when nobody does)."""
    return bool(_observers)


def tell(text: str, lines: list[str], box: QRectF) -> None:
    for observer in list(_observers):
        observer(text, lines, box)
