"""Touching a test's window through the real event path: the headless driver, for tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice

from kiosk.show.hits import Control, Dot, PinKey
from kiosk.ui.harness import Harness
from kiosk.ui.harness import touch_device as _touch_device
from kiosk.ui.window import KioskWindow


def touch_device() -> QPointingDevice:
    """The touch screen the driver uses, for tests that send their own touch sequences."""
    return _touch_device()


def center(window: KioskWindow, key: str | Control | Dot | PinKey) -> QPoint:
    """The middle of a navigation control (`Control.NEXT` or its name, `Dot(2)`) or PIN key."""
    return Harness.of(window).center(Control(key) if isinstance(key, str) else key)


def tap(window: KioskWindow, point: QPoint) -> None:
    """A finger down and, 80 ms later, up (the show does not tick in between)."""
    Harness.of(window).tap(point)


def swipe(window: KioskWindow, start: QPoint, end: QPoint) -> None:
    """One finger from `start` to `end` in five moves 30 ms apart."""
    Harness.of(window).swipe(start, end)
