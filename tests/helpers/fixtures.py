"""Fixtures shared by the test modules."""

from __future__ import annotations

import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.content.loader import Deck, load_deck
from tests.helpers.show import BUNDLED, write_show


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A small valid content folder to break in tests."""
    return write_show(tmp_path / "show")


@pytest.fixture(scope="session")
def bundled_deck() -> Deck:
    """The bundled Liangjiang deck."""
    return load_deck(BUNDLED)


QT_FIXTURES = frozenset({"qtbot", "qapp"})


@pytest.fixture(autouse=True)
def leak_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a QTimer or an animation running (a 24/7 show cannot leak them).

    After napari's conftest: every start() is recorded, and whatever still runs when the test
    ends is reported. Only where Qt is in play (the test asks for `qtbot` or `qapp`, or Qt is
    loaded already): the guard itself never imports Qt, so the pure tests run without it.
    """
    if not QT_FIXTURES & set(request.fixturenames) and "PySide6.QtCore" not in sys.modules:
        yield
        return
    from PySide6.QtCore import QAbstractAnimation, QTimer

    timers: weakref.WeakSet[QTimer] = weakref.WeakSet()
    animations: weakref.WeakSet[QAbstractAnimation] = weakref.WeakSet()
    timer_start = QTimer.start
    animation_start = QAbstractAnimation.start

    def start_timer(self: QTimer, *args: Any) -> None:
        timers.add(self)
        timer_start(self, *args)

    def start_animation(self: QAbstractAnimation, *args: Any) -> None:
        animations.add(self)
        animation_start(self, *args)

    monkeypatch.setattr(QTimer, "start", start_timer)
    monkeypatch.setattr(QAbstractAnimation, "start", start_animation)
    yield
    running = []
    for timer in list(timers):
        try:
            if timer.isActive():
                running.append(f"QTimer {timer.objectName() or timer!r}")
                timer.stop()
        except RuntimeError:  # the C++ object is gone: not running
            pass
    for animation in list(animations):
        try:
            if animation.state() == QAbstractAnimation.State.Running:
                running.append(f"animation {animation!r}")
                animation.stop()
        except RuntimeError:
            pass
    assert not running, f"left running after the test: {running}"
