"""Turning raw pointer and touch points into taps, swipes and long presses (pure, clock given).

Qt's QSwipeGesture needs three fingers; visitors swipe with one. So one finger's path is
followed here: a swipe is a mostly-horizontal move that is long enough or fast enough; a tap
is a short press that barely moved; a long press is a still press held long enough. A swipe
never also counts as a tap. Several visitors touching at once do not confuse it: the first
finger down owns the gesture and other fingers are ignored until it lifts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tap:
    x: float
    y: float


@dataclass(frozen=True)
class Swipe:
    direction: int
    """+1: the finger moved left (show the next slide); -1: it moved right (the previous)."""


@dataclass(frozen=True)
class LongPress:
    x: float
    y: float


@dataclass(frozen=True)
class Press:
    """A finger went down: the moment to show pressed feedback."""

    x: float
    y: float


Gesture = Tap | Swipe | LongPress | Press


@dataclass(frozen=True)
class Thresholds:
    """Gesture limits in millimetres and seconds, so they mean the same on any screen."""

    tap_slop_mm: float = 8.0
    swipe_distance_mm: float = 40.0
    swipe_fling_mm: float = 15.0
    swipe_velocity_mm_s: float = 250.0
    long_press_s: float = 0.8
    tap_max_s: float = 0.6


class GestureTracker:
    """Feed `down`, `move`, `up` and `tick`; each returns the gestures they complete."""

    def __init__(self, px_per_mm: float, thresholds: Thresholds | None = None) -> None:
        self.px_per_mm = px_per_mm
        self.limits = thresholds or Thresholds()
        self._finger: int | None = None
        self._start = (0.0, 0.0, 0.0)
        self._last = (0.0, 0.0, 0.0)
        self._moved_far = False
        self._long_fired = False

    @property
    def active(self) -> bool:
        return self._finger is not None

    def _mm(self, px: float) -> float:
        return px / self.px_per_mm

    def down(self, finger: int, x: float, y: float, t: float) -> list[Gesture]:
        if self._finger is not None:
            return []  # another visitor's finger: the first one owns the gesture
        self._finger = finger
        self._start = self._last = (x, y, t)
        self._moved_far = False
        self._long_fired = False
        return [Press(x, y)]

    def move(self, finger: int, x: float, y: float, t: float) -> list[Gesture]:
        if finger != self._finger:
            return []
        sx, sy, _ = self._start
        if self._mm(max(abs(x - sx), abs(y - sy))) > self.limits.tap_slop_mm:
            self._moved_far = True
        self._last = (x, y, t)
        return []

    def up(self, finger: int, x: float, y: float, t: float) -> list[Gesture]:
        if finger != self._finger:
            return []
        self._finger = None
        sx, sy, st = self._start
        dx, dy = x - sx, y - sy
        duration = max(t - st, 1e-3)
        distance = self._mm(abs(dx))
        velocity = distance / duration
        horizontal = abs(dx) > 1.5 * abs(dy)
        if horizontal and (
            distance >= self.limits.swipe_distance_mm
            or (
                distance >= self.limits.swipe_fling_mm
                and velocity >= self.limits.swipe_velocity_mm_s
            )
        ):
            return [Swipe(1 if dx < 0 else -1)]
        if self._long_fired or self._moved_far:
            return []
        if self._mm(max(abs(dx), abs(dy))) <= self.limits.tap_slop_mm and (
            duration <= self.limits.tap_max_s
        ):
            return [Tap(sx, sy)]
        return []

    def held(self, t: float) -> tuple[float, float, float] | None:
        """`(x, y, seconds)` of a finger held still since it went down, or None."""
        if self._finger is None or self._moved_far:
            return None
        sx, sy, st = self._start
        return sx, sy, t - st

    def cancel(self) -> None:
        """Forget the finger (the touch was cancelled by the system)."""
        self._finger = None

    def tick(self, t: float) -> list[Gesture]:
        """A held, still finger becomes a long press once it has been down long enough."""
        if self._finger is None or self._long_fired or self._moved_far:
            return []
        sx, sy, st = self._start
        if t - st >= self.limits.long_press_s:
            self._long_fired = True
            return [LongPress(sx, sy)]
        return []
