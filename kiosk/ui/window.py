"""The kiosk window: the stage on screen, the show's one clock, and the staff keyboard."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.loader import Deck
from kiosk.show.show import Change, Show
from kiosk.ui.stage import Stage

FRAME_MS = 16
"""Timer interval while something moves (about 60 frames a second)."""
IDLE_MS = 250
"""Timer interval while everything is still: enough for the loop and the idle reset."""


class KioskWindow(QWidget):
    """Top-level window: owns the Show (rules) and the Stage (pixels) and one QTimer for both."""

    def __init__(
        self,
        deck: Deck,
        *,
        lang: str | None = None,
        kiosk: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.kiosk = kiosk
        now = clock()
        self.show_state = Show(deck, now=now, lang=lang)
        self.stage = Stage(deck, lang=self.show_state.lang, now=now, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stage)
        self.setWindowTitle(deck.settings.title.get(self.show_state.lang))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.show_state.subscribe(self._on_change)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.timer.start(FRAME_MS)
        if kiosk:
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

    # -- the one clock -----------------------------------------------------------------------

    def tick(self) -> None:
        """Advance the show's rules and the stage's animations to now."""
        now = self.clock()
        self.show_state.tick(now)
        moving = self.stage.animate(now)
        interval = FRAME_MS if moving else IDLE_MS
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)

    def _on_change(self, change: Change) -> None:
        now = self.clock()
        if change.kind == "slide":
            self.stage.show_slide(change.index, change.direction, now)
        elif change.kind == "language":
            self.stage.set_language(self.show_state.lang)
        self.timer.setInterval(FRAME_MS)

    # -- placing the window ------------------------------------------------------------------

    def place(self, *, screen: QScreen | None, size: QSize | None) -> None:
        """Show the window: full screen and frameless in kiosk mode, else a window."""
        screen = screen or QGuiApplication.primaryScreen()
        if self.kiosk:
            self.setWindowFlags(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
            # Without a window manager showFullScreen() does not fill the screen, so the
            # geometry is set explicitly as well.
            self.setGeometry(screen.geometry())
            self.showFullScreen()
            return
        if size is None:
            available = screen.availableGeometry()
            scale = min(1.0, available.width() * 0.9 / 1920, available.height() * 0.9 / 1080)
            size = QSize(round(1920 * scale), round(1080 * scale))
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(screen.availableGeometry().center())
        self.setGeometry(rect)
        self.show()

    # -- staff keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        now = self.clock()
        key = event.key()
        show = self.show_state
        if key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            show.next(now)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            show.previous(now)
        elif key == Qt.Key.Key_Home:
            show.home(now)
        elif key == Qt.Key.Key_L:
            show.toggle_language(now)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            show.go(key - Qt.Key.Key_1, now)
        elif key == Qt.Key.Key_0:
            show.go(9, now)
        elif key == Qt.Key.Key_Escape and not self.kiosk:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.kiosk:
            event.ignore()  # visitors cannot close the show; staff use the service
            return
        self.timer.stop()
        super().closeEvent(event)
