"""The manual clock: time that moves only when told, for tests, the soak and the bench (pure).

The show takes its time from a callable (`time.monotonic` in the hall); a `ManualClock` is the
same callable with a hand on it, so an hour of show runs in milliseconds and every run of a
test sees the same times.
"""

from __future__ import annotations

from datetime import datetime, timedelta


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


class ManualWallClock:
    """Wall time (an aware datetime) that moves with a `ManualClock`: `start` when that clock
    read what it reads now. The schedule needs the hall's time of day; the show's rules keep
    the monotonic one."""

    def __init__(self, clock: ManualClock, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the wall clock's start needs a time zone")
        self.clock = clock
        self.start = start
        self.origin = clock.now

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self.clock.now - self.origin)
