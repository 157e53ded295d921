"""What a hall's monitoring sees of one window: metrics for Prometheus, a screenshot, events.

`Telemetry` follows a `KioskWindow` from outside (its show's changes, its watcher's signals,
its controller's card callback, its repaints) and keeps counters; its own timers write the
metrics file every few seconds and the screenshot every minute, off the window's paint path,
and both are best-effort: a failure is an operations notice, never a stopped show. Visitors'
events and reloads are logged with journal fields (`SLIDE=`, `REVISION=`, `EVENT=`), so
`journalctl -u liangjiang-kiosk EVENT=card` lists the cards opened.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

from kiosk import __version__
from kiosk.content.loader import Deck
from kiosk.content.problems import Problem
from kiosk.ops.logs import journal_fields
from kiosk.ops.metrics import (
    SLOW_FRAME_S,
    Counters,
    Metric,
    Sample,
    metrics,
    render,
    write_metrics_file,
)
from kiosk.ops.notices import best_effort
from kiosk.ops.status import rss_bytes
from kiosk.show.show import Change, Mode
from kiosk.ui.base import HitTarget
from kiosk.ui.screenshot import write_screenshot
from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.events")
"""Visitors' events and reloads, one line each with journal fields."""

SCHEDULE_STATES = ("always open", "open", "waking", "after hours", "asleep")
"""What the window's `schedule_state` can say (kiosk.ops.schedule.Sleeper.state)."""
METRICS_EVERY_S = 5.0
"""How often the metrics file is rewritten: node_exporter is scraped every 15 s or so."""
SCREENSHOT_EVERY_S = 60.0
TRANSITION_WAIT_MS = 250
"""How long the minute's screenshot waits for a transition under way to end."""


class Telemetry(QObject):
    """Counters of one window, the metrics file and the screenshot.

    `metrics_file` and `screenshot_file` are None to write no such file. `wall` is the Unix
    time (timestamps in the file); durations come from the window's own clock, so a test on a
    manual clock counts exactly. `schedule_open` says whether the timetable has the hall open
    now (None: as the window's schedule says, always without one); `extra_metrics` adds
    families of other parts of the show.
    """

    def __init__(
        self,
        window: KioskWindow,
        *,
        metrics_file: Path | None = None,
        screenshot_file: Path | None = None,
        metrics_every_s: float = METRICS_EVERY_S,
        screenshot_every_s: float = SCREENSHOT_EVERY_S,
        wall: Callable[[], float] = time.time,
        schedule_open: Callable[[], bool] | None = None,
        extra_metrics: Callable[[], list[Metric]] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.metrics_file = metrics_file
        self.screenshot_file = screenshot_file
        self.wall = wall
        self.schedule_open = schedule_open
        self.extra_metrics = extra_metrics
        self.counters = Counters(last_reload_success=wall())
        self.screenshot_at: float | None = None
        self._shot_dark = False
        """Whether the last minute's picture was of the dark screen (outside opening hours)."""
        self._painting = False
        self._requested = False
        window.show_state.subscribe(self._on_change)
        if window.watcher is not None:
            window.watcher.reloaded.connect(self._on_reloaded)
            window.watcher.failed.connect(self._on_failed)
        chained = window.visitor.on_card_opened

        def card_opened(card: HitTarget) -> None:
            chained(card)
            self._on_card(card)

        window.visitor.on_card_opened = card_opened
        window.installEventFilter(self)
        self.metrics_timer = QTimer(self)
        self.metrics_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.metrics_timer.timeout.connect(self.write_metrics)
        self.screenshot_timer = QTimer(self)
        self.screenshot_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.screenshot_timer.timeout.connect(self._periodic_screenshot)
        if metrics_file is not None:
            self.metrics_timer.start(round(metrics_every_s * 1000))
        if screenshot_file is not None:
            self.screenshot_timer.start(round(screenshot_every_s * 1000))

    def stop(self) -> None:
        """Stop the timers (the window's stop: the last file is written by `write_metrics`)."""
        self.metrics_timer.stop()
        self.screenshot_timer.stop()

    # -- what the window does ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # UpdateRequest is the window's repaint: the backing store paints every dirty widget
        # (stage, slide, overlay) in that one call, so running it here times a whole frame.
        if (
            watched is self.window
            and event.type() == QEvent.Type.UpdateRequest
            and not self._painting
        ):
            self._painting = True
            try:
                start = self.window.clock()
                self.window.event(event)
                self.frame_painted(self.window.clock() - start)
            finally:
                self._painting = False
            return True
        return False

    def frame_painted(self, seconds: float) -> None:
        """Count one frame that took `seconds` to paint."""
        self.counters.frames_painted += 1
        if seconds > SLOW_FRAME_S:
            self.counters.slow_frames += 1

    def _slide_fields(self, **more: Any) -> dict[str, Any]:
        show = self.window.show_state
        return journal_fields(
            slide=show.deck.slides[show.index].id,
            revision=show.deck.revision,
            mode=show.mode.value,
            lang=show.lang,
            **more,
        )

    def _on_change(self, change: Change) -> None:
        show = self.window.show_state
        if change.kind == "slide":
            self.counters.slide_changes += 1
            # The loop's turns are routine (thousands a day): kept at DEBUG; a visitor's
            # slides are what a technician looks for after a complaint.
            level = logging.INFO if show.mode is Mode.VISITOR else logging.DEBUG
            log.log(
                level,
                "slide %s (%s)",
                show.deck.slides[change.index].id,
                show.mode.value,
                extra=self._slide_fields(event="slide"),
            )
        elif change.kind == "mode":
            if show.mode is Mode.VISITOR:
                self.counters.visitor_sessions += 1
                log.info("visitor session started", extra=self._slide_fields(event="session"))
            else:
                log.info("back to the loop", extra=self._slide_fields(event="loop"))

    def _on_card(self, card: HitTarget) -> None:
        self.counters.cards_opened += 1
        log.info("card %s opened", card.key, extra=self._slide_fields(event="card", card=card.key))

    def _on_reloaded(self, deck: Deck) -> None:
        self.counters.reloads_ok += 1
        self.counters.last_reload_success = self.wall()
        log.info(
            "reload ok: revision %s",
            deck.revision,
            extra=journal_fields(event="reload", result="ok", revision=deck.revision),
        )

    def _on_failed(self, problems: list[Problem]) -> None:
        self.counters.reloads_failed += 1
        errors = [p for p in problems if p.is_error]
        log.info(
            "reload failed: %d errors; revision %s plays on",
            len(errors),
            self.window.show_state.deck.revision,
            extra=journal_fields(
                event="reload", result="failed", revision=self.window.show_state.deck.revision
            ),
        )

    # -- the metrics file --------------------------------------------------------------------

    def sample(self, *, up: bool = True) -> Sample:
        """The window's state and the counters now."""
        window = self.window
        show = window.show_state
        return Sample(
            up=up,
            mode=show.mode.value,
            modes=[mode.value for mode in Mode],
            uptime_s=round(window.clock() - window.started, 3),
            rss_bytes=rss_bytes(),
            counters=self.counters,
            version=__version__,
            deck_revision=show.deck.revision,
            content_errors=len(window.content_errors),
            schedule_open=self._schedule_open(),
            window_exposed=window.on_screen()["exposed"],
            screenshot_at=self.screenshot_at,
            extra=[self._schedule_state(), *(self.extra_metrics() if self.extra_metrics else ())],
        )

    def _schedule_open(self) -> bool:
        if self.schedule_open is not None:
            return self.schedule_open()
        sleeper = self.window.sleeper
        return sleeper is None or sleeper.timetable.is_open(self.window.wall_clock())

    def _schedule_state(self) -> Metric:
        state = self.window.schedule_state
        states = list(dict.fromkeys([*SCHEDULE_STATES, state]))
        return Metric(
            "kiosk_schedule_state",
            "gauge",
            "The timetable's state: 1 for the current one (always open: no timetable; waking: on "
            "before opening; after hours: woken by a touch; asleep: the screen is dark)",
            [({"state": name}, float(name == state)) for name in states],
        )

    def metrics_text(self, *, up: bool = True) -> str:
        """The metrics file's text now."""
        return render(metrics(self.sample(up=up)))

    def write_metrics(self, *, up: bool = True) -> None:
        """Rewrite the metrics file (best effort); `up=False` for the one left at exit."""
        if self.metrics_file is None:
            return
        text = self.metrics_text(up=up)
        with best_effort(f"write the metrics file {self.metrics_file}"):
            write_metrics_file(self.metrics_file, text)

    # -- the screenshot ----------------------------------------------------------------------

    def take_screenshot(self) -> None:
        """Keep the window's picture now (best effort)."""
        path = self.screenshot_file
        if path is None:
            return
        with best_effort(f"write the screenshot {path}"):
            write_screenshot(self.window, path)
            self.screenshot_at = self.wall()
            self.window.status_extra["screenshot"] = {
                "path": str(path),
                "at": round(self.screenshot_at, 3),
            }

    def _periodic_screenshot(self) -> None:
        # Rendering the window for the picture costs about a repaint (more at 4K): not in the
        # middle of a transition, where it would be a stutter visitors see.
        if self.window.stage.transition is not None:
            QTimer.singleShot(TRANSITION_WAIT_MS, self._periodic_screenshot)
            return
        dark = bool(getattr(self.window, "dark", False))
        if dark and self._shot_dark:
            return  # a dark screen does not change: one picture of it, and no paint all night
        self.take_screenshot()
        self._shot_dark = dark

    def request_screenshot(self) -> None:
        """Ask for a screenshot soon, from the event loop (safe to call from a signal handler:
        the picture is taken at the loop's next turn, never in the middle of a paint)."""
        if not self._requested:
            self._requested = True
            QTimer.singleShot(0, self._requested_screenshot)

    def _requested_screenshot(self) -> None:
        self._requested = False
        self.take_screenshot()
        if self.screenshot_file is not None:
            log.info(
                "screenshot taken on request: %s",
                self.screenshot_file,
                extra=self._slide_fields(event="screenshot"),
            )

    def install_sigusr1(self) -> Callable[[], None]:
        """`SIGUSR1` takes a screenshot (`sudo pkill -USR1 -u liangjiang-kiosk -x kiosk`: not
        `systemctl kill`, whose signal would reach cage too); returns the function that puts
        the previous handler back."""
        previous = signal.signal(signal.SIGUSR1, lambda signum, frame: self.request_screenshot())

        def restore() -> None:
            signal.signal(signal.SIGUSR1, previous)

        return restore
