"""Staff exit: PIN hashes, the rate limit, and the hidden gesture that opens the PIN pad."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.cli import main
from kiosk.content.loader import load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.show.hits import PinKey
from kiosk.show.staff import HOLD_S, PinGate, hash_pin, verify_pin
from kiosk.ui.window import KioskWindow
from tests.helpers.show import TITLES, write_show
from tests.helpers.touch import center, swipe, tap, touch_device
from tests.helpers.windows import shown_window

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


def test_attempts_are_logged_without_the_digits(caplog: pytest.LogCaptureFixture) -> None:
    gate = PinGate(HASH)
    with caplog.at_level("INFO", logger="kiosk.show.staff"):
        for now in (0.0, 1.0, 2.0, 3.0):
            gate.attempt("0000", now)
        gate.attempt("2468", 40.0)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "wrong staff PIN (1 in a row)"),
        ("WARNING", "wrong staff PIN (2 in a row)"),
        ("WARNING", "wrong staff PIN (3 in a row); the pad is locked for 30 s"),
        ("WARNING", "staff PIN not checked: the pad is locked for 29 s more"),
        ("INFO", "staff PIN accepted"),
    ]
    assert not any("0000" in r.getMessage() or "2468" in r.getMessage() for r in caplog.records)


def test_pin_command_prints_a_hash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pin", "--pin", "135790"]) == 0
    printed = capsys.readouterr().out.strip()
    assert verify_pin("135790", printed)


@pytest.fixture
def staffed(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskWindow, list[str]]]:
    exits: list[str] = []
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    display = DisplaySettings(kiosk=True, pin_hash=HASH)
    with shown_window(
        qtbot, deck, display, size=(1920, 1080), on_staff_exit=lambda: exits.append("exit")
    ) as win:
        yield win, exits


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
        rect = next(k.rect for k in window.overlay.pin_keys() if k.key == PinKey(key))
        tap(window, rect.center().toPoint())


def test_short_hold_does_nothing(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, _ = staffed
    hold_corner(window, HOLD_S - 1)
    assert not window.visitor.pin_open


def test_hold_opens_pad_and_right_pin_exits(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    assert window.visitor.pin_entry == ""
    enter(window, "1111")
    assert exits == []
    assert window.visitor.pin_message == "wrong"
    enter(window, "2468")
    assert exits == ["exit"]


def test_wrong_pins_lock_the_pad(staffed: tuple[KioskWindow, list[str]]) -> None:
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    for _ in range(3):
        enter(window, "9999")
    enter(window, "2468")
    assert exits == []
    assert window.visitor.pin_gate is not None
    assert window.visitor.pin_gate.locked(window.clock()) > 0


def type_keys(window: KioskWindow, *keys: Qt.Key) -> None:
    for key in keys:
        QTest.keyClick(window, key)


DIGIT_KEYS = {str(n): getattr(Qt.Key, f"Key_{n}") for n in range(10)}


def test_digits_typed_at_the_pad_are_the_pin_not_slides(
    staffed: tuple[KioskWindow, list[str]],
) -> None:
    # Found driving the real window through X11: `0` typed at the open pad jumped to slide 10.
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    type_keys(window, *(DIGIT_KEYS[d] for d in "1357"), Qt.Key.Key_Return)
    assert window.show_state.index == 0
    assert exits == []
    type_keys(window, *(DIGIT_KEYS[d] for d in "24680"), Qt.Key.Key_Backspace, Qt.Key.Key_Enter)
    assert exits == ["exit"]
    assert window.show_state.index == 0


def test_no_key_reaches_the_show_behind_the_pad(
    staffed: tuple[KioskWindow, list[str]],
) -> None:
    window, _ = staffed
    window.show_state.go(1, window.clock())
    hold_corner(window, HOLD_S + 0.5)
    K = Qt.Key
    type_keys(
        window,
        K.Key_Right,
        K.Key_Left,
        K.Key_Space,
        K.Key_PageDown,
        K.Key_PageUp,
        K.Key_Home,
        K.Key_L,
        K.Key_A,
        K.Key_F5,
    )
    assert (window.show_state.index, window.show_state.lang) == (1, "zh")
    assert window.visitor.pin_open
    type_keys(window, DIGIT_KEYS["2"])
    assert window.visitor.pin_entry == "2"
    type_keys(window, Qt.Key.Key_Escape)  # closes the pad, never the window
    assert not window.visitor.pin_open
    assert window.isVisible()
    type_keys(window, Qt.Key.Key_Right)  # with the pad closed, the staff keys work again
    assert window.show_state.index == 2


def test_no_touch_reaches_the_show_behind_the_pad(
    staffed: tuple[KioskWindow, list[str]],
) -> None:
    window, exits = staffed
    hold_corner(window, HOLD_S + 0.5)
    swipe(window, QPoint(1700, 950), QPoint(700, 950))  # across the pad and the navigation
    swipe(window, QPoint(300, 500), QPoint(1300, 500))
    assert window.show_state.index == 0
    assert window.visitor.pin_open
    enter(window, "2468")
    assert exits == ["exit"]
    assert window.show_state.index == 0


def test_a_tap_outside_the_pad_closes_it_and_does_nothing_else(
    staffed: tuple[KioskWindow, list[str]],
) -> None:
    window, _ = staffed
    hold_corner(window, HOLD_S + 0.5)
    tap(window, center(window, "next"))
    assert not window.visitor.pin_open
    assert window.show_state.index == 0


def test_the_idle_reset_closes_a_pad_left_open(
    staffed: tuple[KioskWindow, list[str]],
) -> None:
    window, _ = staffed
    hold_corner(window, HOLD_S + 0.5)
    type_keys(window, DIGIT_KEYS["2"])
    window.clock.now += 59  # type: ignore[attr-defined]
    window.tick()
    type_keys(window, DIGIT_KEYS["4"])  # typing at the pad is somebody being here
    window.clock.now += 59  # type: ignore[attr-defined]
    window.tick()
    assert window.visitor.pin_entry == "24"
    window.clock.now += 2  # type: ignore[attr-defined]
    window.tick()
    assert not window.visitor.pin_open


def test_no_pin_means_no_exit_gesture(qtbot: QtBot, tmp_path: Path) -> None:
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    with shown_window(qtbot, deck, DisplaySettings(kiosk=True), size=(1920, 1080)) as win:
        hold_corner(win, HOLD_S * 2)
        assert not win.visitor.pin_open


def test_screen_saver_inhibit_is_harmless_without_a_desktop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk.ui.inhibit import inhibit_screen_saver

    # No D-Bus session bus (a bare kiosk session): nothing to ask, nothing breaks.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    assert inhibit_screen_saver() is None
