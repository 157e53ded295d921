"""Easing and interpolation: pure functions of time, no Qt, so motion is tested without it."""

from __future__ import annotations


def clamp01(value: float) -> float:
    return 0.0 if value <= 0 else 1.0 if value >= 1 else value


def ease_out(t: float) -> float:
    """Cubic ease-out: fast start, gentle landing (figures sliding in, entries)."""
    t = clamp01(t)
    return 1 - (1 - t) ** 3


def ease_in_out(t: float) -> float:
    """Cubic ease-in-out (transitions)."""
    t = clamp01(t)
    return 4 * t**3 if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t
