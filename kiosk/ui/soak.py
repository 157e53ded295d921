"""Burn-in: random visitors on the real window, headless, with the show's clock accelerated.

Every action goes through the real event path (the headless driver's touch events into the
overlay), so what a soak finds is what the hall would meet: exceptions in slots, Qt warnings,
memory growth.
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QtMsgType, qInstallMessageHandler

from kiosk.analytics.database import BURN_IN
from kiosk.analytics.recorder import Recorder
from kiosk.content.loader import Deck
from kiosk.ops.progress import Progress
from kiosk.ops.status import rss_mb
from kiosk.show.clock import ManualClock
from kiosk.show.hits import Control
from kiosk.show.show import Change
from kiosk.ui.harness import Harness

RSS_GROWTH_LIMIT_MB = 64.0
"""More growth than this over a soak fails it: a 24/7 show must stay flat."""


@dataclass
class SoakReport:
    events: int = 0
    slides_visited: set[str] = field(default_factory=set)
    mode_changes: int = 0
    cards_opened: int = 0
    exceptions: int = 0
    qt_warnings: int = 0
    errors: list[str] = field(default_factory=list)
    rss_start: float = 0.0
    rss_end: float = 0.0
    rss_peak: float = 0.0
    interrupted: bool = False
    """Stopped early (Ctrl-C): the figures cover the events sent until then."""

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "slides_visited": len(self.slides_visited),
            "mode_changes": self.mode_changes,
            "cards_opened": self.cards_opened,
            "exceptions": self.exceptions,
            "qt_warnings": self.qt_warnings,
            "errors": self.errors[:10],
            "interrupted": self.interrupted,
            "rss_mb": {
                "start": round(self.rss_start, 1),
                "end": round(self.rss_end, 1),
                "peak": round(self.rss_peak, 1),
            },
        }

    @property
    def ok(self) -> bool:
        growth = self.rss_end - self.rss_start
        return (
            not self.interrupted
            and not self.exceptions
            and not self.qt_warnings
            and growth <= RSS_GROWTH_LIMIT_MB
        )


@contextmanager
def _capture(report: SoakReport) -> Iterator[None]:
    """Count exceptions raised in Qt callbacks and Qt warnings while the soak runs."""

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        report.exceptions += 1
        report.errors.append("".join(traceback.format_exception(kind, value, tb))[-800:])

    def messages(mode: QtMsgType, context: Any, message: str) -> None:
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            report.qt_warnings += 1
            report.errors.append(f"Qt: {message}")

    old_hook = sys.excepthook
    sys.excepthook = hook
    previous = qInstallMessageHandler(messages)
    try:
        yield
    finally:
        sys.excepthook = old_hook
        qInstallMessageHandler(previous)


class Visitor:
    """Random visitor actions, through touch events, on an accelerated clock."""

    def __init__(self, harness: Harness, seed: int) -> None:
        self.harness = harness
        self.window = harness.window
        self.rng = random.Random(seed)

    def wait(self, seconds: float, frame: float = 0.05) -> None:
        """Let `seconds` of show time pass, ticking as the real timer would."""
        self.harness.wait(seconds, frame)

    def tap(self, point: QPoint) -> None:
        self.harness.tap(point, 0.08, frame=0.04)

    def swipe(self, direction: int) -> None:
        w, h = self.window.width(), self.window.height()
        y = self.rng.randint(h // 4, 3 * h // 4)
        start = QPoint(int(w * (0.75 if direction > 0 else 0.25)), y)
        end = QPoint(int(w * (0.25 if direction > 0 else 0.75)), y + self.rng.randint(-20, 20))
        self.harness.swipe(start, end, steps=5, step_s=0.03, tick=True)

    def act(self) -> str:
        """One random action; returns its name."""
        w, h = self.window.width(), self.window.height()
        action = self.rng.choices(
            ["tap", "control", "element", "swipe", "long", "language", "idle"],
            weights=[3, 3, 4, 3, 1, 1, 1],
        )[0]
        if action == "tap":
            self.tap(QPoint(self.rng.randrange(w), self.rng.randrange(h)))
        elif action == "control":
            control = self.rng.choice(self.window.overlay.controls())
            self.tap(control.rect.center().toPoint())
        elif action == "element":
            targets = self.window.stage.view.hit_targets()
            if targets:
                self.tap(self.rng.choice(targets).rect.center().toPoint())
        elif action == "swipe":
            self.swipe(self.rng.choice((1, -1)))
        elif action == "long":
            point = QPoint(self.rng.randrange(w), self.rng.randrange(h))
            self.harness.tap(point, 1.2, frame=0.1)
        elif action == "language":
            self.tap(self.harness.center(Control.LANG))
        else:
            self.wait(self.window.show_state.deck.settings.loop.idle_timeout + 1, 0.5)
        self.wait(self.rng.uniform(0.05, 3.0))
        return action


def soak(
    deck: Deck,
    *,
    events: int,
    seed: int,
    size: tuple[int, int] = (1920, 1080),
    analytics: Path | None = None,
    stop: Callable[[], bool] = lambda: False,
    progress: Progress | None = None,
) -> SoakReport:
    """Run the show with `events` random visitor actions; report what happened.

    With `analytics` the burn-in records into that database, marked as a burn-in's, on the
    soak's accelerated clock (a visitors' database refuses it). `stop` is asked between two
    steps (a slide of the warm-up, an action): when it says so, the soak ends cleanly and the
    report says `interrupted`. `progress` hears of every step.
    """
    tell = progress or (lambda description, done, total: None)
    report = SoakReport()
    clock = ManualClock()
    start = time.time()
    recorder = (
        Recorder(analytics, wall_clock=lambda: start + clock.now, purpose=BURN_IN)
        if analytics is not None
        else None
    )
    with _capture(report):
        harness = Harness.open(deck, size=size, clock=clock, analytics=recorder)
        window = harness.window

        def on_change(change: Change) -> None:
            if change.kind == "mode":
                report.mode_changes += 1

        window.show_state.subscribe(on_change)
        visitor = Visitor(harness, seed)
        # Warm up first: every slide once in every language, so fonts, glyph caches and
        # chart code are loaded before memory is measured. Growth after that is a leak.
        warm = [(lang, i) for lang in deck.settings.languages for i in range(len(deck.slides))]
        for done, (lang, index) in enumerate(warm):
            if stop():
                report.interrupted = True
                break
            tell("warming up", done, len(warm))
            window.show_state.set_language(lang, clock.now)
            window.show_state.go(index, clock.now)
            visitor.wait(2.5, 0.1)
        window.show_state.reset(clock.now)
        visitor.wait(1.0)
        report.rss_start = report.rss_peak = rss_mb()
        card_open = False
        try:
            for done in range(events):
                if report.interrupted or stop():
                    report.interrupted = True
                    break
                tell("visitor actions", done, events)
                visitor.act()
                report.events += 1
                report.slides_visited.add(window.stage.view.slide.id)
                if window.card is not None and not card_open:
                    report.cards_opened += 1
                card_open = window.card is not None
                report.rss_peak = max(report.rss_peak, rss_mb())
            else:
                tell("visitor actions", events, events)
        except Exception:  # the soak reports a crash instead of dying with it
            report.exceptions += 1
            report.errors.append(traceback.format_exc()[-800:])
        finally:
            harness.close()
            if recorder is not None:
                recorder.close()
        report.rss_end = rss_mb()
    return report
