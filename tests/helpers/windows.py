"""A kiosk window shown for a test: built, sized, shown and exposed, its timer stopped after."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.ui.window import KioskWindow


@contextlib.contextmanager
def shown_window(
    qtbot: QtBot,
    content: Deck | ContentSource,
    display: DisplaySettings | None = None,
    *,
    size: tuple[int, int] = (960, 540),
    clock: ManualClock | None = None,
    **options: Any,
) -> Iterator[KioskWindow]:
    """A window playing `content` (a deck alone, or a whole `ContentSource`) at `size` on a
    manual clock (one at 1000 s by default); `options` are the window's (`analytics`,
    `on_staff_exit`). The test drives it by its clock: the window's own timer is stopped at
    the end, as the leak guard wants."""
    source = content if isinstance(content, ContentSource) else ContentSource.of(content)
    window = KioskWindow(source, display, clock=clock or ManualClock(1000.0), **options)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        window.timer.stop()


def settle_on(window: KioskWindow, slide_id: str) -> None:
    """Go to the slide `slide_id` and let its entry (and any transition) finish, on the
    window's manual clock."""
    index = window.show_state.deck.index_of(slide_id)
    assert index is not None, f"no slide {slide_id!r}"
    window.show_state.go(index, window.clock())
    for _ in range(3):
        window.clock.now += 3  # type: ignore[attr-defined]
        window.tick()
