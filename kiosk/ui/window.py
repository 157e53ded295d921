"""The kiosk window composes the show: stage, overlay, controller, the one timer, reload, status.

It builds them, wires their signals and callbacks, places itself on the screen and turns
Qt's keys into the controller's names; the rules live in `kiosk.show`, the drawing in the
stage and the overlay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk import __version__
from kiosk.analytics.recorder import Recorder
from kiosk.content.loader import Deck
from kiosk.content.physical import reach_line
from kiosk.content.problems import Problem
from kiosk.content.theme import Theme, visitor_theme
from kiosk.ops.display import DisplaySettings
from kiosk.ops.notices import NOTICES, best_effort
from kiosk.ops.notify import watchdog
from kiosk.ops.power import DisplayPower
from kiosk.ops.schedule import Sleeper
from kiosk.ops.source import ContentSource
from kiosk.ops.status import rss_mb, utc_now, write_status
from kiosk.show.controller import Controller, Phase
from kiosk.show.gestures import Press
from kiosk.show.hits import Element, StaffKey
from kiosk.show.show import Change, Mode, Show
from kiosk.show.staff import PinGate
from kiosk.ui.base import HitTarget
from kiosk.ui.inhibit import inhibit_screen_saver
from kiosk.ui.listening import Listening, Speaker
from kiosk.ui.overlay import Overlay
from kiosk.ui.reload import ContentWatcher
from kiosk.ui.stage import Stage

FRAME_MS = 16
"""Timer interval while something moves (about 60 frames a second)."""
IDLE_MS = 250
"""Timer interval while everything is still: enough for the loop and the idle reset."""
UNUSABLE_EXIT = 70
"""Exit status when no slide can be shown (EX_SOFTWARE): the service restarts the show."""
STATUS_EVERY_S = 5.0
"""How often the status file is rewritten when nothing else changes."""
log = logging.getLogger(__name__)
PULSE_MS = 50
"""Timer interval in the attract loop, for the touch hint's slow pulse."""
ASLEEP_MS = 5000
"""Timer interval while the screen sleeps: the schedule's check and the watchdog's heartbeat
(the service's WatchdogSec is 30 s), nothing else."""
KEY_NAMES: dict[int, StaffKey] = {
    Qt.Key.Key_Right: StaffKey.NEXT,
    Qt.Key.Key_PageDown: StaffKey.NEXT,
    Qt.Key.Key_Space: StaffKey.NEXT,
    Qt.Key.Key_Left: StaffKey.PREVIOUS,
    Qt.Key.Key_PageUp: StaffKey.PREVIOUS,
    Qt.Key.Key_Home: StaffKey.HOME,
    Qt.Key.Key_L: StaffKey.LANGUAGE,
    Qt.Key.Key_Return: StaffKey.ENTER,
    Qt.Key.Key_Enter: StaffKey.ENTER,
    Qt.Key.Key_Backspace: StaffKey.BACKSPACE,
    Qt.Key.Key_Escape: StaffKey.ESCAPE,
} | {Qt.Key.Key_0 + n: StaffKey.digit(n) for n in range(10)}
"""Qt's keys as the controller's staff keys (the keypad's digits are the same keys)."""


def wall_now() -> datetime:
    """The wall clock (the schedule's hours are the hall's time of day)."""
    return datetime.now(UTC)


class Blackout(QWidget):
    """The sleeping screen: black, painted once, and the touch that may wake it."""

    def __init__(self, on_touch: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.on_touch = on_touch
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.hide()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress):
            event.accept()
            self.on_touch()
            return True
        if kind in (
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
            QEvent.Type.MouseMove,
            QEvent.Type.MouseButtonRelease,
        ):
            event.accept()  # the rest of the waking touch does nothing
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        painter.end()


class KioskWindow(QWidget):
    """Top-level window: owns the Show (rules) and the Stage (pixels) and one QTimer for both."""

    def __init__(
        self,
        source: ContentSource,
        display: DisplaySettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = wall_now,
        analytics: Recorder | None = None,
        on_staff_exit: Callable[[], None] | None = None,
        power: DisplayPower | None = None,
        speaker: Speaker | None = None,
        narrate_loop: bool = False,
    ) -> None:
        super().__init__()
        display = display or DisplaySettings()  # a plain window in the deck's language
        self.source = source
        self.display = display
        deck = source.playing()  # the kiosk's idle timeout, on this and every reload
        self.clock = clock
        self.kiosk = display.kiosk
        now = clock()
        self.show_state = Show(deck, now=now, lang=display.lang)
        self.analytics = analytics
        self.stage = Stage(deck, lang=self.show_state.lang, now=now, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stage)
        self.on_staff_exit = on_staff_exit or QApplication.quit
        # The visitor's own state and what input does with it; the overlay paints it, says
        # what a point lands on and reports the touches.
        self.visitor: Controller[HitTarget] = Controller(
            self.show_state,
            pin_gate=PinGate(display.pin_hash) if display.pin_hash else None,
            px_per_mm=self._px_per_mm(),
            on_staff_exit=lambda: self.on_staff_exit(),
            on_card_opened=self._card_opened,
            on_listen=self._listen,
        )
        self.speaker = speaker
        self.narrate_loop = narrate_loop
        """Whether the attract loop speaks its slides too (the configuration's `in_loop`)."""
        self.listening = Listening(speaker, self._speech_changed)
        self._access_seen = self.show_state.access
        self._reach_told = QSize()
        self.overlay = Overlay(
            self.visitor,
            self.stage.theme,
            clock,
            targets=self._live_targets,
            notices=NOTICES.current,
            speaking=lambda: self.listening.on,
            settled=self._settled_picture,
            kiosk=self.kiosk,
            parent=self,
        )
        self.overlay.on_pointer = self.pointer
        self.visitor.surface = self.overlay  # the view answers what is where
        self.failed_slides: set[str] = set()
        self.on_unusable: Callable[[], None] = lambda: QApplication.exit(UNUSABLE_EXIT)
        self.started = now
        self.status_file = display.status_file
        self.last_reload: dict[str, Any] = {"ok": True, "at": utc_now(), "errors": []}
        self.last_advance_at = utc_now()
        self.status_extra: dict[str, Any] = {}
        """More of the status file, from parts composed around the window (the screenshot)."""
        self._status_due = now
        # The operations notices (the kiosk's own files, `kiosk.ops`) are reported from other
        # threads too; the tick compares their version (-1: show those from the start-up).
        self._notices_seen = -1
        self.watcher: ContentWatcher | None = None
        if source.folder is not None:
            self.watcher = ContentWatcher(
                source.folder, revision=deck.revision, snapshot=source.snapshot, parent=self
            )
            self.watcher.reloaded.connect(self.on_reloaded)
            self.watcher.failed.connect(self.on_failed)
        if source.problems:
            # Started from the last good copy because the folder is broken: say so at once.
            self.on_failed(list(source.problems))
            if self.watcher is not None:
                self.watcher.expect_recovery()
        if speaker is not None:
            speaker.prepare(deck)
        self.setWindowTitle(deck.settings.title.get(self.show_state.lang))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.show_state.subscribe(self._on_change)
        if analytics is not None:
            analytics.slide_shown(
                deck.slides[self.show_state.index].id,
                self.show_state.mode.value,
                lang=self.show_state.lang,
            )
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.timer.start(FRAME_MS)
        # Opening hours: outside them the show stops (no frames, no painting) behind a black
        # screen and the display powers down; the first tick decides.
        self.wall_clock = wall_clock
        schedule = display.schedule
        self.sleeper = Sleeper(schedule) if schedule is not None else None
        self.power = power
        if self.power is None and schedule is not None:
            self.power = DisplayPower.configured(schedule.display_power)
        self.blackout = Blackout(self._touched_dark, self)
        self.dark = False
        """Whether the screen sleeps (black, the show stopped)."""
        self._power_checked = False
        self._day_part_known = (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC))
        if self.kiosk:
            inhibit_screen_saver()
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

    # -- the one clock -----------------------------------------------------------------------

    def tick(self) -> None:
        """Advance the show's rules, gestures and the stage's animations to now."""
        now = self.clock()
        if self.sleeper is not None and self._keep_schedule(now):
            return
        visitor = self.visitor
        before = (visitor.pressed, visitor.pin_entry)
        if visitor.tick(now) or before != (visitor.pressed, visitor.pin_entry):
            self._show_pressed()
        if self.stage.view.failed and self.stage.transition is None:
            # A slide that cannot paint is skipped rather than shown broken; when none of
            # them can, the show is unusable and exits non-zero so the service restarts it.
            self.failed_slides.add(self.stage.view.slide.id)
            if len(self.failed_slides) >= self.show_state.count:
                log.critical("no slide of the deck can be painted; exiting")
                self.timer.stop()
                self.on_unusable()
                return
            self.show_state.skip(now)
        if NOTICES.version != self._notices_seen:
            self._notices_seen = NOTICES.version
            self._status_due = now
            self.overlay.update()
        if now >= self._status_due:
            self.write_status()
        was_warning = self.show_state.idle_warning(now) is not None
        advances = self.show_state.advances
        self.show_state.tick(now)
        if (
            self.analytics is not None
            and self.show_state.advances > advances
            and self.show_state.index == self.show_state.loop_order[0]
        ):
            self.analytics.loop_cycled()
        self.listening.follow(self.show_state, visitor.card, now)
        moving = self.stage.animate(now)
        ripples = bool(visitor.ripples)
        warning = self.show_state.idle_warning(now) is not None
        attract = self.show_state.mode is Mode.ATTRACT
        if ripples or warning or was_warning or attract:
            self.overlay.update()
        if moving or visitor.moving:
            interval = FRAME_MS
        elif attract or warning:
            interval = PULSE_MS
        else:
            interval = IDLE_MS
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)

    # -- opening hours -----------------------------------------------------------------------

    def _keep_schedule(self, now: float) -> bool:
        """Sleep or wake as the schedule says; True while the screen sleeps (the tick is done:
        only the status and the watchdog's heartbeat go on)."""
        assert self.sleeper is not None
        wall = self.wall_clock()
        switch = self.sleeper.update(wall, now)
        if self.sleeper.schedule.day_parts:
            self._follow_day_part(wall)
        if switch == "sleep":
            self.sleep(now)
        elif switch == "wake":
            self.wake(now, "opening hours")
        elif not self._power_checked and self.power is not None:
            self.power.on()  # a show restarted in the day after a night's stop finds it off
        self._power_checked = True
        if not self.dark:
            return False
        if self.timer.interval() != ASLEEP_MS:
            self.timer.setInterval(ASLEEP_MS)  # a change told while asleep (a reload) sped it up
        if NOTICES.version != self._notices_seen:
            self._notices_seen = NOTICES.version
            self._status_due = now
        if now >= self._status_due:
            self.write_status()
        return True

    def _follow_day_part(self, wall: datetime) -> None:
        """The loop plays the day part's slides while it lasts (from the next slide on)."""
        assert self.sleeper is not None
        since, until = self._day_part_known
        if since <= wall < until:
            return
        part, until = self.sleeper.timetable.day_part(wall)
        self._day_part_known = (wall, until)
        show = self.show_state
        ids = part.slides if part is not None else None
        if ids == show.loop_slides:
            return
        if part is None:
            log.info("the loop plays the whole deck again")
        else:
            missing = [i for i in part.slides if show.deck.index_of(i) is None]
            log.info("day part %s: the loop plays %s", part.name, ", ".join(part.slides))
            if missing:
                log.warning(
                    "day part %s: the deck has no slide %s%s",
                    part.name,
                    ", ".join(missing),
                    "" if len(missing) < len(ids or ()) else "; the loop plays the whole deck",
                )
        show.set_loop_slides(ids)

    def sleep(self, now: float) -> None:
        """Outside opening hours: a visit ends, the show stops behind a black screen, and the
        display powers down."""
        log.info("outside opening hours: the screen sleeps")
        self.dark = True
        if self.analytics is not None:
            self.analytics.screen_off()
        self.stage.hide()  # hidden first: the reset below builds its slide without a transition
        self.overlay.hide()
        if self.visitor.pin_entry is not None:
            self.visitor.close_pin()  # a PIN pad left open closes (a card closes on the reset)
        self.show_state.reset(now)
        self.blackout.setGeometry(self.rect())
        self.blackout.show()
        self.blackout.raise_()
        if self.power is not None:
            self.power.off()
        self.timer.setInterval(ASLEEP_MS)
        self._status_due = now

    def wake(self, now: float, why: str) -> None:
        """On again: the content looked at anew, the loop from its first slide in its first
        language, with the slide's entry."""
        log.info("the screen wakes (%s)", why)
        self.dark = False
        if self.power is not None:
            self.power.on()
        self.show_state.reset(now)
        self.stage.show_slide(self.show_state.index, 0, now)  # hidden: a fresh view, no fade
        self.blackout.hide()
        self.stage.show()
        self.overlay.show()
        self.overlay.raise_()
        if self.analytics is not None:
            show = self.show_state
            slide = show.deck.slides[show.index].id
            self.analytics.slide_shown(slide, show.mode.value, lang=show.lang)
        if self.watcher is not None:
            self.watcher.check("the screen woke")
        self.timer.setInterval(FRAME_MS)
        self._status_due = now

    def _touched_dark(self) -> None:
        """A touch on the sleeping screen: it wakes it in opening hours, and outside them when
        the schedule lets a touch wake it."""
        now = self.clock()
        if self.sleeper is not None and self.sleeper.touched(self.wall_clock(), now):
            self.wake(now, "a touch")

    @property
    def schedule_state(self) -> str:
        """`always open` without a schedule; else `open`, `waking`, `after hours` or `asleep`."""
        if self.sleeper is None:
            return "always open"
        return self.sleeper.state(self.wall_clock())

    def _on_change(self, change: Change) -> None:
        # The controller closes cards and the PIN pad on its own subscription.
        now = self.clock()
        if change.kind in ("slide", "language", "deck") or (
            change.kind == "mode" and self.show_state.mode is Mode.ATTRACT
        ):
            # Speech belongs to the slide and language on screen, and to the visit.
            self.listening.stop()
        if change.kind == "slide":
            self.last_advance_at = utc_now()
            # The loop may turn its language with this slide (told next, as a "language"
            # change): the incoming slide is built in it, the outgoing one keeps its own.
            self.stage.lang = self.show_state.lang
            self.stage.show_slide(change.index, change.direction, now)
        elif change.kind == "deck":
            self.stage.set_deck(self.show_state.deck, change.index, now)
        elif change.kind == "language":
            self.stage.set_language(self.show_state.lang)
        elif change.kind == "access":
            self._apply_theme(now)
        if (
            change.kind in ("slide", "language")
            and self.narrate_loop
            and self.show_state.mode is Mode.ATTRACT
            and not self.dark
        ):
            self.listening.ask(self.show_state, None, now)
        self.overlay.update()
        self.timer.setInterval(FRAME_MS)
        self._status_due = now  # written at the next tick, once per burst of changes
        self._record(change)

    def _record(self, change: Change) -> None:
        """Tell the analytics what visitors see and do (ids and keys only, nothing personal)."""
        recorder = self.analytics
        show = self.show_state
        switched: list[tuple[str, bool]] = []
        if change.kind == "access":
            before, self._access_seen = self._access_seen, show.access
            switched = [
                (feature, getattr(show.access, feature))
                for feature in ("larger", "contrast")
                if getattr(before, feature) != getattr(show.access, feature)
            ]
        if recorder is None or self.dark:
            return  # asleep: the day's last visit was ended as the screen went dark
        slide_id = show.deck.slides[change.index].id
        if change.kind == "slide" or (change.kind == "deck" and slide_id != recorder.slide):
            # In the language it comes on in: the loop's turn is taken before it is told.
            recorder.slide_shown(slide_id, show.mode.value, lang=show.lang)
        elif change.kind == "language":
            # A visitor's switch, or the loop's language changing on the slide on screen.
            recorder.language_switched(show.lang)
        elif change.kind == "access":
            for feature, on in switched:
                recorder.access_used(feature, on)
        elif change.kind == "mode":
            if show.mode is Mode.VISITOR:
                recorder.session_started(lang=show.lang)
            else:
                recorder.session_ended(idle_s=show.deck.settings.loop.idle_timeout)

    # -- the visitor's screen and speech ------------------------------------------------------

    @property
    def theme(self) -> Theme:
        """The theme the show is painted in: the deck's, or the visitor's high contrast, with
        larger text when asked."""
        show = self.show_state
        access = show.access
        return visitor_theme(
            show.deck.settings.theme, larger=access.larger, contrast=access.contrast
        )

    def _apply_theme(self, now: float) -> None:
        theme = self.theme
        if theme is not self.stage.theme:
            self.stage.set_theme(theme, now)
        self.overlay.set_theme(theme)

    def _listen(self, card: HitTarget | None) -> None:
        """The listen control: speak the open card or the slide, or stop what is speaking."""
        if self.analytics is not None and not self.dark:
            self.analytics.access_used("listen", not self.listening.on)
        self.listening.toggle(self.show_state, card, self.clock())
        self.overlay.update()

    def _speech_changed(self) -> None:
        self._status_due = self.clock()  # monitoring and the tests hear of it
        self.overlay.update()

    # -- live content ------------------------------------------------------------------------

    def on_reloaded(self, deck: Deck) -> None:
        """A valid edit: the new deck replaces the old one in place."""
        self.content_errors = []
        self.failed_slides = set()
        self.last_reload = {"ok": True, "at": utc_now(), "errors": []}
        # The kiosk's configured idle timeout overrides every deck's, reloaded ones too.
        self.show_state.replace_deck(self.source.playing(deck), self.clock())
        self._apply_theme(self.clock())  # a deck may name another theme
        if self.speaker is not None:
            self.speaker.prepare(self.show_state.deck)
        self.overlay.update()

    def on_failed(self, problems: list[Problem]) -> None:
        """A bad edit: the last good deck keeps playing; staff are told what is wrong."""
        errors = [str(p) for p in problems if p.is_error]
        self.content_errors = errors
        self.last_reload = {"ok": False, "at": utc_now(), "errors": errors}
        self._status_due = self.clock()
        self.overlay.update()

    @property
    def content_errors(self) -> list[str]:
        """What is wrong with the content folder (the overlay shows it to curators and staff)."""
        return self.overlay.content_errors

    @content_errors.setter
    def content_errors(self, errors: list[str]) -> None:
        self.overlay.content_errors = errors

    @property
    def notices(self) -> list[str]:
        """Operations notices for staff: what the kiosk cannot do with its own files."""
        return NOTICES.current()

    def status(self) -> dict[str, Any]:
        """What the status file says."""
        show = self.show_state
        return {
            "mode": show.mode.value,
            "slide_id": show.deck.slides[show.index].id,
            "slide_index": show.index,
            "language": show.lang,
            "deck_revision": show.deck.revision,
            "last_reload": self.last_reload,
            "last_advance_at": self.last_advance_at,
            "uptime_s": round(self.clock() - self.started, 1),
            "rss_mb": round(rss_mb(), 1),
            "version": __version__,
            # What the kiosk cannot do with its own files (never about the content).
            "notices": self.notices,
            # A kiosk that ticks and writes its status but shows nothing (minimised, hidden or
            # covered by a window manager) must not look healthy to monitoring.
            "window": self.on_screen(),
            "schedule": self.schedule_state,
            "access": {"larger": show.access.larger, "contrast": show.access.contrast},
            "narration": self.listening.state,
            **self.status_extra,
        }

    def on_screen(self) -> dict[str, bool]:
        """Whether the window is shown (not hidden or minimised) and exposed (drawn)."""
        handle = self.windowHandle()
        visible = self.isVisible() and not self.isMinimized()
        return {
            "visible": visible,
            "exposed": visible and handle is not None and handle.isExposed(),
        }

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self._status_due = self.clock()  # monitoring hears of it at the next tick
            if self.kiosk and self.isMinimized():
                # A window manager's shortcut or a stray gesture minimised the show: in the
                # hall nothing else may take the screen, so it comes back at once.
                log.warning("the window was minimised; restoring it")
                QTimer.singleShot(0, self._restore)

    def _restore(self) -> None:
        if self.kiosk and (self.isMinimized() or not self.isVisible()):
            self.showFullScreen()  # clears the minimised state as it sets full screen
            self.raise_()
            self.activateWindow()

    def write_status(self) -> None:
        self._status_due = self.clock() + STATUS_EVERY_S
        show = self.show_state
        # The service watchdog's heartbeat: it stops when the UI thread stops ticking.
        watchdog(f"slide {show.deck.slides[show.index].id}, deck {show.deck.revision}")
        if self.status_file is None:
            return
        # Best effort: logged once and kept as a notice; the show and the heartbeat go on.
        with best_effort(f"write the status file {self.status_file}"):
            write_status(self.status_file, self.status())

    # -- visitors' input ---------------------------------------------------------------------

    def _px_per_mm(self) -> float:
        screen = self.screen() or QGuiApplication.primaryScreen()
        dpi = screen.physicalDotsPerInch() if screen else 96.0
        return max(1.0, dpi / 25.4)

    def pointer(self, phase: Phase, finger: int, x: float, y: float) -> None:
        """A touch point or the mouse, in window pixels (the overlay reports them here)."""
        if phase is Phase.DOWN and self.sleeper is not None:
            self.sleeper.touched(self.wall_clock(), self.clock())  # a touch after hours
        gestures = self.visitor.pointer(phase, finger, x, y, self.clock())
        if any(isinstance(g, Press) for g in gestures):
            self.timer.setInterval(FRAME_MS)  # the ripple shows in the next frame
        self._show_pressed()

    def target_at(self, x: float, y: float) -> HitTarget | None:
        """The tappable element of the live slide under a point, if any."""
        return self.overlay.target_at(x, y)

    def _settled_picture(self) -> QImage | None:
        """The live slide as painted, when it is settled and nothing is pressed on it (a calm
        slide at once, a slide whose theme a visitor switched): what its cues are placed on."""
        stage = self.stage
        view = stage.view
        if stage.transition is not None or not view.is_settled() or view.highlight is not None:
            return None
        return view.grab().toImage()

    def _live_targets(self) -> list[HitTarget]:
        """The live slide's tappable elements; none while a transition moves snapshots."""
        return [] if self.stage.transition is not None else self.stage.view.hit_targets()

    @property
    def card(self) -> HitTarget | None:
        """The open detail card, if any."""
        return self.visitor.card

    def _card_opened(self, card: HitTarget) -> None:
        if self.analytics is not None:
            self.analytics.card_opened(self.stage.view.slide.id, card.key)

    def _show_pressed(self) -> None:
        """Paint what the controller says is pressed: a control, or an element of the slide."""
        pressed = self.visitor.pressed
        on_slide = pressed.target.key if isinstance(pressed, Element) else None
        self.stage.view.set_highlight(on_slide)
        self.overlay.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        mounting = self.display.mounting
        if mounting is not None:
            # The reach line at the window's own height: a window smaller than the screen
            # (curators trying a portrait layout) still shows where the hall's hand reaches.
            self.overlay.reach = reach_line(mounting, float(self.height()))
        self.overlay.setGeometry(self.rect())
        self._check_reach()
        self.overlay.raise_()
        self.blackout.setGeometry(self.rect())
        if self.dark:
            self.blackout.raise_()

    def _check_reach(self) -> None:
        """Tell the installer, once per window size, when a control is out of the hall's reach
        wherever it goes (a screen hung too high: only moving it down helps)."""
        reach = self.overlay.reach
        if reach is None or self.height() <= 0 or self._reach_told == self.size():
            return
        self._reach_told = self.size()
        high = [str(c.key) for c in self.overlay.controls() if c.rect.top() < reach - 0.5]
        if high:
            log.warning(
                "%d controls are above the reach line (display: in the configuration), "
                "such as %s: hang the screen lower; `kiosk audit --config` measures it",
                len(high),
                ", ".join(high[:3]),
            )

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
        if self.dark:
            self._touched_dark()  # a key is a touch to a sleeping screen, and does no more
            return
        # The controller decides: while the PIN pad is open every key stops there.
        name = KEY_NAMES.get(event.key())
        if self.visitor.key(name, self.clock()):
            self.overlay.update()
        elif name is StaffKey.ESCAPE and not self.kiosk:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.kiosk:
            event.ignore()  # visitors cannot close the show; staff use the service
            return
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self.speaker is not None:
            self.speaker.close()
        super().closeEvent(event)
