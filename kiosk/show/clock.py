"""The manual clock: time that moves only when told, for tests, the soak and the bench (pure).

The show takes its time from a callable (`time.monotonic` in the hall); a `ManualClock` is the
same callable with a hand on it, so an hour of show runs in milliseconds and every run of a
test sees the same times.
"""

from __future__ import annotations


class ManualClock:
    """A monotonic clock set by hand: call it for the time, `advance` it or set `now`."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Let `seconds` pass; the new time."""
        self.now += seconds
        return self.now
