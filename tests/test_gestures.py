"""One-finger gestures on a large screen: taps, swipes, long presses, several visitors."""

from __future__ import annotations

from kiosk.show.gestures import GestureTracker, LongPress, Press, Swipe, Tap

PX_PER_MM = 4.0  # about 100 dpi


def tracker() -> GestureTracker:
    return GestureTracker(PX_PER_MM)


def test_tap() -> None:
    g = tracker()
    assert g.down(1, 100, 100, 0.0) == [Press(100, 100)]
    assert g.move(1, 104, 102, 0.05) == []
    assert g.up(1, 104, 102, 0.12) == [Tap(100, 100)]


def test_swipe_left_means_next_and_is_not_a_tap() -> None:
    g = tracker()
    g.down(1, 800, 500, 0.0)
    g.move(1, 600, 505, 0.1)
    assert g.up(1, 500, 510, 0.2) == [Swipe(1)]


def test_swipe_right_means_previous() -> None:
    g = tracker()
    g.down(1, 300, 500, 0.0)
    assert g.up(1, 600, 480, 0.3) == [Swipe(-1)]


def test_short_fast_fling_is_a_swipe_but_slow_drag_is_nothing() -> None:
    g = tracker()
    g.down(1, 500, 500, 0.0)
    assert g.up(1, 420, 500, 0.05) == [Swipe(1)]  # 20 mm in 50 ms
    g.down(1, 500, 500, 1.0)
    g.move(1, 420, 500, 2.0)
    assert g.up(1, 420, 500, 3.0) == []  # 20 mm in 2 s: neither swipe nor tap


def test_vertical_move_is_not_a_swipe() -> None:
    g = tracker()
    g.down(1, 500, 200, 0.0)
    assert g.up(1, 520, 800, 0.2) == []


def test_long_press_fires_once_and_is_not_a_tap() -> None:
    g = tracker()
    g.down(1, 50, 60, 0.0)
    assert g.tick(0.5) == []
    assert g.tick(0.8) == [LongPress(50, 60)]
    assert g.tick(1.5) == []
    assert g.up(1, 50, 60, 2.0) == []


def test_second_finger_is_ignored_until_the_first_lifts() -> None:
    g = tracker()
    g.down(1, 100, 100, 0.0)
    assert g.down(2, 900, 100, 0.01) == []
    assert g.move(2, 100, 100, 0.05) == []
    assert g.up(2, 100, 100, 0.06) == []
    assert g.up(1, 100, 100, 0.1) == [Tap(100, 100)]
    assert g.down(2, 300, 300, 0.2) == [Press(300, 300)]


def test_cancel_forgets_the_finger() -> None:
    g = tracker()
    g.down(1, 100, 100, 0.0)
    g.cancel()
    assert not g.active
    assert g.up(1, 100, 100, 0.1) == []
