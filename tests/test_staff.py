"""Staff exit: PIN hashes, the rate limit, and the hidden gesture that opens the PIN pad."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.cli import main
from kiosk.content.loader import load_deck
from kiosk.show.staff import HOLD_S, PinGate, hash_pin, verify_pin
from kiosk.ui.window import KioskWindow
from tests.helpers.show import write_show
from tests.test_stage import TITLES, FakeClock
from tests.test_touch import tap, touch_device

HASH = hash_pin("2468", salt="testsalt", iterations=1000)


def test_hash_and_verify() -> None:
    assert HASH.startswith("pbkdf2_sha256$1000$testsalt$")
    assert verify_pin("2468", HASH)
    assert not verify_pin("2469", HASH)
    assert not verify_pin("2468", "garbage")
    with pytest.raises(ValueError, match="4 to 12 digits"):
        hash_pin("12a")


def test_rate_limit_doubles_after_repeated_failures() -> None:
    gate = PinGate(HASH)
    assert not gate.attempt("0000", 0.0)
    assert not gate.attempt("0000", 1.0)
    assert gate.locked(1.0) == 0
    assert not gate.attempt("0000", 2.0)
    assert gate.locked(2.0) == 30.0
    assert not gate.attempt("2468", 10.0)  # even the right PIN waits out the lock
    assert not gate.attempt("0000", 33.0)
    assert gate.locked(33.0) == 60.0
    assert gate.attempt("2468", 94.0)


def test_pin_command_prints_a_hash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pin", "--pin", "135790"]) == 0
    printed = capsys.readouterr().out.strip()
    assert verify_pin("135790", printed)


@pytest.fixture
def staffed(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskWindow, list[str]]]:
    exits: list[str] = []
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    win = KioskWindow(deck, kiosk=True, pin_hash=HASH, clock=FakeClock(),
                      on_staff_exit=lambda: exits.append("exit"))  # fmt: skip
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    yield win, exits
    win.timer.stop()


def hold_corner(window: KioskWindow, seconds: float) -> None:
    point = QPoint(20, 20)
    QTest.touchEvent(window.overlay, touch_device()).press(0, point)
    steps = int(seconds / 0.5)
    for _ in range(steps):
        window.clock.now += 0.5  # type: ignore[attr-defined]
        window.tick()
    QTest.touchEvent(window.overlay, touch_device()).release(0, point)


def enter(window: KioskWindow, digits: str) -> None:
    for key in [*digits, "ok"]:
        rect = next(k.rect for k in window.overlay.pin_keys() if k.key == key)
        tap(window, rect.center().toPoint())


def test_short_hold_does_nothing(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, _ = staffed
    hold_corner(window, HOLD_S - 1)
    assert window.pin_entry is None


def test_hold_opens_pad_and_right_pin_exits(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    assert window.pin_entry == ""
    enter(window, "1111")
    assert exits == []
    assert window.pin_message == "wrong"
    enter(window, "2468")
    assert exits == ["exit"]


def test_wrong_pins_lock_the_pad(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    for _ in range(3):
        enter(window, "9999")
    enter(window, "2468")
    assert exits == []
    assert window.pin_gate is not None
    assert window.pin_gate.locked(window.clock()) > 0


def test_no_pin_means_no_exit_gesture(qtbot: QtBot, tmp_path: Path) -> None:
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    win = KioskWindow(deck, kiosk=True, clock=FakeClock())
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    hold_corner(win, HOLD_S * 2)
    assert win.pin_entry is None
    win.timer.stop()


def test_screen_saver_inhibit_is_harmless_without_a_desktop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk.ui.inhibit import inhibit_screen_saver

    # No D-Bus session bus (a bare kiosk session): nothing to ask, nothing breaks.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    assert inhibit_screen_saver() is None
