"""The one headless driver: a real kiosk window at a size, on a manual clock, touched through Qt.

Tests, `kiosk soak` and `kiosk bench` drive the show the same way: time moves only when told
(`tick`, `wait`), touches go through the real event path (`QTest.touchEvent` into the
overlay, as a touch screen's would), and `close` lets the deferred deletions happen that an
event loop of its own would have run.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest

from kiosk.content.loader import Deck
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.show.hits import Control, Dot, PinKey
from kiosk.ui.app import ensure_app
from kiosk.ui.chrome import Button
from kiosk.ui.window import KioskWindow

_DEVICE: QPointingDevice | None = None


def touch_device() -> QPointingDevice:
    """The one touch screen the driver touches with (Qt keeps every device it is given)."""
    global _DEVICE
    if _DEVICE is None:
        _DEVICE = QTest.createTouchDevice()
    return _DEVICE


def delete_later_now() -> None:
    """Run the deletions `deleteLater` asked for (replaced slide views, closed windows):
    without an event loop of its own a headless run has to let them happen."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class Harness:
    """Drives one window: its clock, its ticks and touches on its overlay."""

    def __init__(self, window: KioskWindow, clock: ManualClock) -> None:
        self.window = window
        self.clock = clock

    @classmethod
    def open(
        cls,
        content: Deck | ContentSource,
        *,
        size: tuple[int, int] = (1920, 1080),
        clock: ManualClock | None = None,
        **options: Any,
    ) -> Harness:
        """A shown window playing `content` (a deck alone, or a whole `ContentSource`) at `size`
        on a manual clock (a new one at 0 by default); the driver ticks it, not its timer.
        `options` are the window's (`display`, `analytics`...)."""
        app = ensure_app(offscreen=True)
        clock = clock or ManualClock()
        source = content if isinstance(content, ContentSource) else ContentSource.of(content)
        window = KioskWindow(source, clock=clock, **options)
        window.resize(*size)
        window.show()
        window.timer.stop()  # the driver drives the clock and the ticks itself
        app.processEvents()
        return cls(window, clock)

    @classmethod
    def of(cls, window: KioskWindow) -> Harness:
        """The driver of a window made elsewhere on a `ManualClock`."""
        clock = window.clock
        assert isinstance(clock, ManualClock), "the window must run on a ManualClock"
        return cls(window, clock)

    # -- time --------------------------------------------------------------------------------

    def tick(self, seconds: float = 0.0) -> None:
        """Let `seconds` pass in one step, then tick once."""
        self.clock.advance(seconds)
        self.window.tick()

    def wait(self, seconds: float, frame: float = 0.05) -> None:
        """Let `seconds` pass, ticking every `frame` as the real timer would, then let Qt
        paint and delete what the ticks left behind."""
        end = self.clock.now + seconds
        while self.clock.now < end:
            self.clock.now = min(end, self.clock.now + frame)
            self.window.tick()
        QCoreApplication.processEvents()
        delete_later_now()

    # -- touches -----------------------------------------------------------------------------

    def press(self, point: QPoint, finger: int = 0) -> None:
        QTest.touchEvent(self.window.overlay, touch_device()).press(finger, point)

    def move(self, point: QPoint, finger: int = 0) -> None:
        QTest.touchEvent(self.window.overlay, touch_device()).move(finger, point)

    def release(self, point: QPoint, finger: int = 0) -> None:
        QTest.touchEvent(self.window.overlay, touch_device()).release(finger, point)

    def tap(self, point: QPoint, seconds: float = 0.08, frame: float | None = None) -> None:
        """A finger down and up after `seconds`: with `frame`, the show ticks meanwhile."""
        self.press(point)
        if frame is None:
            self.clock.advance(seconds)
        else:
            self.wait(seconds, frame)
        self.release(point)

    def swipe(
        self, start: QPoint, end: QPoint, steps: int = 5, step_s: float = 0.03, tick: bool = False
    ) -> None:
        """One finger from `start` to `end` in `steps` moves `step_s` apart (ticking between
        them when `tick`)."""
        self.press(start)
        for i in range(1, steps + 1):
            if tick:
                self.wait(step_s, step_s)
            else:
                self.clock.advance(step_s)
            self.move(start + (end - start) * (i / steps))
        self.release(end)

    def center(self, key: Control | Dot | PinKey) -> QPoint:
        """The middle of the navigation control or PIN pad key `key` (a `kiosk.show.hits` value)."""
        overlay = self.window.overlay
        buttons: list[Button[Any]] = [*overlay.controls(), *overlay.pin_keys()]
        rect = next(b.rect for b in buttons if b.key == key)
        return QPointF(rect.center()).toPoint()

    # -- the end -----------------------------------------------------------------------------

    def close(self) -> None:
        """Stop and close the window and let its deletion happen (a 4K window's memory too)."""
        window = self.window
        window.timer.stop()
        window.kiosk = False
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
        delete_later_now()
