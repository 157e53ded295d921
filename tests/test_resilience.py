"""Staying up: broken slides are skipped, an unusable show exits, nothing leaks over time."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.ops.source import ContentSource
from kiosk.ops.status import rss_mb
from kiosk.show.clock import ManualClock
from kiosk.ui.slides.title import TitleView
from kiosk.ui.window import KioskWindow
from tests.helpers.show import BUNDLED, TITLES, write_show
from tests.helpers.windows import shown_window


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show", TITLES))


@pytest.fixture
def window(qtbot: QtBot, deck: Deck) -> Iterator[KioskWindow]:
    with shown_window(qtbot, deck) as win:
        yield win


def advance(window: KioskWindow, seconds: float) -> None:
    window.clock.now += seconds  # type: ignore[attr-defined]
    window.tick()


def test_a_slide_that_cannot_paint_is_skipped(
    window: KioskWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = TitleView.paint_content

    def broken(self: TitleView, *args: object) -> None:
        if self.slide.id == "two":
            raise RuntimeError("a bug in a slide view")
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TitleView, "paint_content", broken)
    with caplog.at_level(logging.ERROR):
        window.show_state.go(1, window.clock())
        advance(window, 1.0)
        window.repaint()
        advance(window, 0.1)
    assert window.show_state.index == 2
    assert "slide two cannot be painted; it will be skipped" in caplog.text
    window.repaint()
    assert not window.stage.view.failed


def test_a_show_that_cannot_paint_anything_exits(
    window: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: TitleView, *args: object) -> None:
        raise RuntimeError("every slide is broken")

    exits: list[str] = []
    window.on_unusable = lambda: exits.append("exit")
    monkeypatch.setattr(TitleView, "paint_content", broken)
    for _ in range(10):
        window.repaint()
        advance(window, 1.0)
        if exits:
            break
    assert exits == ["exit"]
    assert not window.timer.isActive()


def test_a_reload_during_a_transition_shows_the_whole_new_deck(
    window: KioskWindow, tmp_path: Path
) -> None:
    window.show_state.next(window.clock())
    advance(window, 0.2)
    assert window.stage.transition is not None
    files = dict(TITLES)
    files["slides/two.yaml"] = "id: two\ntype: title\ntitle: {zh: 新的, en: New}\n"
    fresh = load_deck(write_show(tmp_path / "fresh", files))
    window.on_reloaded(fresh)
    assert window.stage.transition is None
    assert window.stage.view.slide.title.get("en") == "New"  # type: ignore[attr-defined]
    assert window.stage.deck is window.show_state.deck


def _objects(window: KioskWindow) -> tuple[int, int]:
    # Counted as the ticks leave them, without running deferred deletes first: the headless
    # driver (these tests, the soak, the bench) never turns the event loop, so a replaced view
    # left to deleteLater is as alive as the one on screen. Running them here hid exactly that,
    # and also freed the views earlier tests' renders had left to deleteLater (a gigabyte at
    # 4K), whose freed heap the leak then reused without RSS moving.
    return len(window.findChildren(QObject)), len(window.findChildren(QTimer))


def _resident_mb() -> float:
    """This process's RSS once glibc's malloc has handed back the pages it keeps free.

    Earlier tests can leave a heap of a gigabyte or more freed but kept by the allocator; growth
    then reuses it without RSS moving, which is how the whole suite hid 2 MiB per slide change.
    Elsewhere than glibc this is plain RSS.
    """
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
    return rss_mb()


def test_slide_changes_leak_neither_objects_timers_nor_memory(qtbot: QtBot) -> None:
    deck = load_deck(BUNDLED)
    win = KioskWindow(ContentSource.of(deck), clock=ManualClock(1000.0))
    qtbot.addWidget(win)
    win.resize(960, 540)
    win.show()
    try:

        def change(times: int) -> None:
            for _ in range(times):
                win.show_state.next(win.clock())
                for _ in range(4):  # through the transition and into the entry animation
                    advance(win, 0.25)
                    win.repaint()

        change(100)
        objects, timers = _objects(win)
        memory = _resident_mb()
        change(300)
        assert _objects(win) == (objects, timers)
        assert _resident_mb() - memory < 10
    finally:
        win.timer.stop()
