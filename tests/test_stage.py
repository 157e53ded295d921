"""The stage's transitions and the window's one clock, driven by a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QColor
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.ui.window import KioskWindow
from tests.helpers.show import TITLES, write_show
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


def test_loop_advances_with_a_fade_then_swaps_in_the_live_slide(window: KioskWindow) -> None:
    stage = window.stage
    advance(window, 2.0)
    assert stage.view.is_settled()
    advance(window, 8.0)
    assert window.show_state.index == 1
    assert stage.transition is not None
    assert stage.transition.kind == "push"
    assert not stage.view.isVisible()
    advance(window, 0.3)
    assert stage.transition is not None
    advance(window, 0.4)
    assert stage.transition is None
    assert stage.view.isVisible()
    assert stage.view.slide.id == "two"
    assert stage.view.elapsed == 0.0


def test_push_moves_both_snapshots(window: KioskWindow) -> None:
    stage = window.stage
    window.show_state.next(window.clock())
    advance(window, 0.3)
    image = stage.grab().toImage()
    # Half-way through a push the old slide's left part has slid out: the stage is painting
    # snapshots, and both halves are slide backgrounds (nothing blank or black).
    background = QColor(stage.theme.colors.background)
    corner = image.pixelColor(2, 2)
    assert abs(corner.red() - background.red()) < 12
    assert stage.transition is not None


def test_a_request_during_a_transition_retargets_and_is_not_lost(window: KioskWindow) -> None:
    now = window.clock()
    window.show_state.next(now)
    window.show_state.next(now + 0.1)
    assert window.show_state.index == 2
    advance(window, 1.0)
    advance(window, 0.01)
    assert window.stage.view.slide.id == "three"
    assert window.stage.transition is None


def test_keyboard_navigation_and_language(window: KioskWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.show_state.index == 1
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.show_state.index == 0
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.show_state.index == 2
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.show_state.index == 0
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert window.show_state.lang == "en"
    assert window.stage.view.lang == "en"


def test_language_switch_keeps_the_moment(window: KioskWindow) -> None:
    advance(window, 0.5)
    elapsed = window.stage.view.elapsed
    window.show_state.toggle_language(window.clock())
    assert window.stage.view.elapsed == elapsed
    assert window.stage.view.lang == "en"


def test_reduce_motion_changes_instantly(qtbot: QtBot, tmp_path: Path) -> None:
    files = dict(TITLES)
    files["deck.yaml"] = files["deck.yaml"].replace("transition: fade", "reduce_motion: true")
    deck = load_deck(write_show(tmp_path / "calm", files))
    win = KioskWindow(ContentSource.of(deck), clock=ManualClock(1000.0))
    qtbot.addWidget(win)
    win.show()
    win.show_state.next(win.clock())
    assert win.stage.transition is None
    assert win.stage.view.slide.id == "two"
    assert win.stage.view.entry(3) == 1.0
    win.timer.stop()


def test_kiosk_window_refuses_to_close(qtbot: QtBot, deck: Deck) -> None:
    win = KioskWindow(
        ContentSource.of(deck), DisplaySettings(kiosk=True), clock=ManualClock(1000.0)
    )
    qtbot.addWidget(win)
    event = QCloseEvent()
    win.closeEvent(event)
    assert not event.isAccepted()
    assert win.cursor().shape() == Qt.CursorShape.BlankCursor
    win.timer.stop()


def test_timer_idles_when_nothing_moves(window: KioskWindow) -> None:
    advance(window, 5.0)
    assert window.timer.interval() == 50  # the attract hint's slow pulse
    window.show_state.next(window.clock())
    assert window.timer.interval() == 16
    advance(window, 1.0)  # the transition ends; the slide's entry starts
    advance(window, 3.0)
    assert window.timer.interval() == 250  # a visitor reads; nothing moves
