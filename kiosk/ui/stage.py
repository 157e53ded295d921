"""The stage: shows the live slide and paints transitions between two snapshots.

Painting live slides during a transition costs tens of milliseconds at 4K on a software
rasterizer; blitting two pre-rendered pixmaps costs one or two. So a transition snapshots the
outgoing slide and the incoming slide's first frame once, animates the snapshots, and only then
swaps in the live incoming view, whose entry animation starts at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.content.loader import Deck
from kiosk.content.theme import Theme, load_theme
from kiosk.ui.base import SlideView
from kiosk.ui.draw.motion import ease_in_out
from kiosk.ui.slides import create_view


@dataclass
class Transition:
    """A transition in progress between two snapshots."""

    kind: str
    direction: int
    started: float
    duration: float
    old: QPixmap
    new: QPixmap

    def progress(self, now: float) -> float:
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self.started) / self.duration))


class Stage(QWidget):
    """Holds the current slide view; `animate(now)` moves transitions and entry animations."""

    def __init__(
        self,
        deck: Deck,
        *,
        lang: str,
        now: float,
        theme: Theme | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.deck = deck
        self.theme: Theme = theme or load_theme(deck.settings.theme)
        self.lang = lang
        self.index = 0
        self.view: SlideView = self._make_view(0)
        self.view_started = now
        self.transition: Transition | None = None
        self._progress = 0.0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # -- building views ----------------------------------------------------------------------

    def _make_view(self, index: int) -> SlideView:
        view = create_view(
            self.deck, self.deck.slides[index], lang=self.lang, theme=self.theme, parent=self
        )
        view.setGeometry(self.rect())
        view.show()
        return view

    def _release(self, view: SlideView) -> None:
        """Free a replaced view now, with everything it made: its cached chrome (a window-sized
        pixmap) and a chart's PlotWidget with its scene and items."""
        # Not deleteLater: that waits for the event loop's next turn, and the headless driver
        # (tests, soak, bench) ticks the show without turning it, so every replaced view, 2 MiB
        # and more at 960x540, stayed a child of the stage until something did. Deleting here is
        # safe because the old view is never on the call stack: changes come from the window's
        # timer, the overlay's input or the watcher, and nothing keeps a reference to a view
        # but `self.view`.
        shiboken6.delete(view)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.view.setGeometry(self.rect())
        super().resizeEvent(event)

    # -- what the window tells the stage -----------------------------------------------------

    def show_slide(self, index: int, direction: int, now: float) -> None:
        """Change to slide `index`; `direction` +1 pushes from the right, -1 from the left."""
        if self.transition is not None:
            self._finish(now)  # a new request during a transition retargets from where it is
        kind = self.deck.transition(self.deck.slides[index])
        if self.calm or not self.isVisible():
            kind = "none"
        old_view = self.view
        old = old_view.grab() if kind != "none" else QPixmap()
        self.index = index
        self.view = self._make_view(index)
        self.view.set_elapsed(0.0)
        if kind == "none" or self.width() <= 0:
            self._release(old_view)
            self.view_started = now
            self.view.raise_()
            return
        new = self.view.grab()
        self.view.hide()
        self._release(old_view)
        self._progress = 0.0
        self.transition = Transition(
            kind=kind,
            direction=direction or 1,
            started=now,
            duration=self.theme.motion.transition_ms / 1000,
            old=old,
            new=new,
        )
        self.update()

    def set_deck(self, deck: Deck, index: int, now: float) -> None:
        """Show a reloaded deck at `index` at once, without a flash: the new view is painted in
        place of the old one in the same frame, at the same moment of its entry."""
        if self.transition is not None:
            self._finish(now)
        elapsed = self.view.elapsed if self.index == index else 0.0
        old = self.view
        self.deck = deck
        self.index = index
        self.view = self._make_view(index)
        self.view.set_elapsed(elapsed)
        if elapsed == 0.0:
            self.view_started = now
        self.view.raise_()
        self._release(old)

    def set_theme(self, theme: Theme, now: float) -> None:
        """Show the live slide in `theme` (the visitor's larger text or high contrast) at once,
        without a flash: the new view is painted in place of the old one in the same frame,
        at the same moment of its entry. A transition under way ends where it is going."""
        if theme == self.theme:
            return
        if self.transition is not None:
            self._finish(now)
        elapsed = self.view.elapsed
        old = self.view
        self.theme = theme
        self.view = self._make_view(self.index)
        self.view.set_elapsed(elapsed)
        self.view.raise_()
        self._release(old)
        self.update()

    @property
    def calm(self) -> bool:
        """Slides change without a transition: the curator's `reduce_motion` or a calm theme."""
        return self.deck.settings.loop.reduce_motion or self.theme.motion.calm

    def set_language(self, lang: str) -> None:
        """Switch every string at once, without restarting the slide."""
        self.lang = lang
        self.view.set_language(lang)

    def animate(self, now: float) -> bool:
        """Advance animations to `now`; True while anything is still moving."""
        if self.transition is not None:
            self._progress = self.transition.progress(now)
            if self._progress >= 1.0:
                self._finish(now)
            else:
                self.update()
                return True
        self.view.set_elapsed(now - self.view_started)
        return not self.view.is_settled()

    def _finish(self, now: float) -> None:
        self.transition = None
        self.view.show()
        self.view.raise_()
        self.view_started = now
        self.view.set_elapsed(0.0)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(self.theme.colors.background))
            transition = self.transition
            if transition is None:
                return
            # The progress of the last animate() call: painting never reads a clock itself.
            t = ease_in_out(self._progress)
            target = QRectF(self.rect())
            if transition.kind == "push":
                shift = target.width() * t * transition.direction
                painter.drawPixmap(
                    target.translated(QPointF(-shift, 0)),
                    transition.old,
                    QRectF(transition.old.rect()),
                )
                incoming = target.translated(
                    QPointF(transition.direction * target.width() - shift, 0)
                )
                painter.drawPixmap(incoming, transition.new, QRectF(transition.new.rect()))
            else:
                painter.drawPixmap(target, transition.old, QRectF(transition.old.rect()))
                painter.setOpacity(t)
                painter.drawPixmap(target, transition.new, QRectF(transition.new.rect()))
        finally:
            painter.end()
