"""Opening hours: when the kiosk wakes, opens, closes and sleeps, in the hall's own time (pure).

`kiosk.yaml`'s `schedule:` gives opening hours per weekday (several ranges a day), dated
exceptions (closed days, late openings) and the time zone. `Timetable` turns them into instants
(UTC), so a daylight-saving change moves the hall's hours with its clocks; `Sleeper` is the
window's rule of when the screen sleeps and wakes (the schedule, and a touch); `format_schedule`
is what `kiosk schedule` prints from the same events the window switches on.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from kiosk.content.problems import quoted

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
DAY_MINUTES = 24 * 60
PowerMethod = Literal["auto", "wlopm", "cec", "black", "none"]
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, order=True)
class Span:
    """One opening range of a day, in minutes after local midnight (`end` up to 24:00)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match is None:
        raise PydanticCustomError(
            "span", "expected a range of hours like 09:00-17:00, got {got}", {"got": quoted(value)}
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise PydanticCustomError(
            "span_time", "{got} is not a time of day (00:00 to 24:00)", {"got": quoted(value)}
        )
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        raise PydanticCustomError(
            "span_order",
            "{got} ends before it starts; past midnight, write two ranges (until 24:00, and "
            "from 00:00 on the next day)",
            {"got": quoted(value)},
        )
    return Span(start, end)


def _day(value: Any) -> Any:
    """`closed`, one range, or a list of ranges: always a list (of ranges still to check)."""
    if value == "closed":
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple):
        raise PydanticCustomError(
            "day",
            "expected `closed`, a range like 09:00-17:00 or a list of ranges, got {got}",
            {"got": quoted(value)},
        )
    return tuple(value)


def _no_overlap(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    ordered = sorted(spans)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.start < first.end:
            raise PydanticCustomError(
                "span_overlap",
                "the ranges {a} and {b} overlap",
                {"a": str(first), "b": str(second)},
            )
    return tuple(ordered)


Day = Annotated[
    tuple[Annotated[Span, BeforeValidator(_span)], ...],
    BeforeValidator(_day),
    AfterValidator(_no_overlap),
]


class WeekHours(BaseModel):
    """Opening hours of each day of the week; a day left out is closed."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    monday: Day = Field(default=(), description="Monday's ranges, or `closed`")
    tuesday: Day = Field(default=(), description="Tuesday's ranges, or `closed`")
    wednesday: Day = Field(default=(), description="Wednesday's ranges, or `closed`")
    thursday: Day = Field(default=(), description="Thursday's ranges, or `closed`")
    friday: Day = Field(default=(), description="Friday's ranges, or `closed`")
    saturday: Day = Field(default=(), description="Saturday's ranges, or `closed`")
    sunday: Day = Field(default=(), description="Sunday's ranges, or `closed`")

    def of(self, day: date) -> tuple[Span, ...]:
        spans: tuple[Span, ...] = getattr(self, WEEKDAYS[day.weekday()])
        return spans


def _exception(value: Any) -> Any:
    """`closed` or ranges alone are the hours of an exception without a note."""
    if isinstance(value, dict):
        return value
    return {"hours": value}


class DatedHours(BaseModel):
    """One dated exception: the day's own hours (`closed`, or ranges) and a note for staff."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    hours: Day = Field(description="That day's ranges, or `closed`")
    note: str | None = Field(default=None, description="Why (shown by `kiosk schedule`)")


def _date_key(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_key", "expected a date like 2026-10-01, got {got}", {"got": quoted(value)}
    )


def _zone(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "zone_type",
            "expected a time zone like Asia/Shanghai, got {got}",
            {"got": quoted(value)},
        )
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, sorted(_zones()), n=1)
        hint = f"; did you mean {close[0]}?" if close else " (a name like Asia/Shanghai)"
        raise PydanticCustomError(
            "zone", "unknown time zone {got}{hint}", {"got": quoted(value), "hint": hint}
        ) from None
    return value


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _as_tuple(value: Any) -> Any:
    """A YAML list as the tuple a frozen model keeps (strict models take no list for one)."""
    return tuple(value) if isinstance(value, list) else value


def _some(value: tuple[Any, ...]) -> tuple[Any, ...]:
    if not value:
        raise PydanticCustomError("none_named", "name at least one")
    return value


class DayPart(BaseModel):
    """A part of the day whose loop plays only some slides (a school-group sequence)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str = Field(min_length=1, description="What staff call it (`kiosk schedule` says it)")
    days: Annotated[tuple[Weekday, ...], BeforeValidator(_as_tuple), AfterValidator(_some)] = Field(
        default=WEEKDAYS, description="The weekdays it applies on (default: all)"
    )
    hours: Day = Field(description="Its ranges of those days, like 09:00-12:00")
    slides: Annotated[tuple[str, ...], BeforeValidator(_as_tuple), AfterValidator(_some)] = Field(
        description="The ids of the slides the loop plays then, in deck order"
    )


class Schedule(BaseModel):
    """The kiosk's timetable: opening hours, dated exceptions, the time zone, what sleeps.

    Outside opening hours the show stops and the display is powered down; it wakes (content
    reloaded, the loop from its first slide) `wake_before` minutes before opening.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    timezone: Annotated[str, BeforeValidator(_zone)] = Field(
        description="The hall's time zone, like Asia/Shanghai or Europe/Berlin"
    )
    hours: WeekHours = Field(description="Opening hours per weekday (monday ... sunday)")
    exceptions: dict[
        Annotated[date, BeforeValidator(_date_key)],
        Annotated[DatedHours, BeforeValidator(_exception)],
    ] = Field(
        default_factory=dict,
        description="Dated days with their own hours: `2026-10-01: closed`, or "
        "`{hours: 09:00-21:00, note: Museum night}`",
    )
    wake_before: int = Field(
        default=10, ge=0, le=240, description="Minutes before opening that the screen wakes"
    )
    touch_wakes: bool = Field(
        default=False, description="Whether a touch outside opening hours wakes the screen"
    )
    touch_awake: int = Field(
        default=5,
        ge=1,
        le=240,
        description="Minutes a screen woken by a touch outside opening hours stays on after "
        "the last touch",
    )
    day_parts: Annotated[tuple[DayPart, ...], BeforeValidator(_as_tuple)] = Field(
        default=(),
        description="Parts of the day whose loop plays only some slides; the first that "
        "matches wins; none apply on an exception's day",
    )
    display_power: PowerMethod = Field(
        default="auto",
        description="How the display sleeps: auto (wlopm when the compositor offers it, else "
        "black), wlopm, cec (an HDMI-CEC television, with cec-client), black or none (a black "
        "screen only)",
    )


# -- the timetable --------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One thing the kiosk does at an instant: `wake`, `open`, `close` or `sleep`."""

    at: datetime
    """When, in UTC."""
    kind: str


class Timetable:
    """A schedule as instants: when the hall is open and when the screen is awake."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.zone: tzinfo = zoneinfo.ZoneInfo(schedule.timezone)
        self.lead = timedelta(minutes=schedule.wake_before)

    def spans(self, day: date) -> tuple[Span, ...]:
        """The opening ranges of a local day (its exception's, else its weekday's)."""
        exception = self.schedule.exceptions.get(day)
        return exception.hours if exception is not None else self.schedule.hours.of(day)

    def _instant(self, day: date, minutes: int) -> datetime:
        local = datetime.combine(day, time()) + timedelta(minutes=minutes)
        # A wall time that a spring change skips is read with the offset before it.
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def open_intervals(self, start: date, end: date) -> list[tuple[datetime, datetime]]:
        """The open intervals (UTC) of local days `start` to `end` (exclusive), ranges that
        touch (24:00 and the next day's 00:00) joined."""
        merged: list[tuple[datetime, datetime]] = []
        day = start
        while day < end:
            for span in self.spans(day):
                a, b = self._instant(day, span.start), self._instant(day, span.end)
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
            day += timedelta(days=1)
        return merged

    def awake_intervals(self, start: date, end: date) -> list[tuple[datetime, datetime]]:
        """When the screen is on: each open interval from `wake_before` ahead of it; a break
        no longer than that keeps the screen on."""
        awake: list[tuple[datetime, datetime]] = []
        for a, b in self.open_intervals(start, end):
            if awake and a - self.lead <= awake[-1][1]:
                awake[-1] = (awake[-1][0], b)
            else:
                awake.append((a - self.lead, b))
        return awake

    def day_part(self, at: datetime) -> tuple[DayPart | None, datetime]:
        """The day part at `at` (None: the whole deck) and until when that holds at least."""
        local = at.astimezone(self.zone)
        day = local.date()
        minute = local.hour * 60 + local.minute
        until = self._instant(day + timedelta(days=1), 0)
        found: DayPart | None = None
        if day not in self.schedule.exceptions:
            for part in self.schedule.day_parts:
                if WEEKDAYS[day.weekday()] not in part.days:
                    continue
                for span in part.hours:
                    if found is None and span.start <= minute < span.end:
                        found = part
                        until = min(until, self._instant(day, span.end))
                    elif minute < span.start:
                        until = min(until, self._instant(day, span.start))
        return found, until

    def _around(self, at: datetime) -> tuple[date, date]:
        local = at.astimezone(self.zone).date()
        # A week each side: an interval that began days ago (open around the clock) is seen.
        return local - timedelta(days=7), local + timedelta(days=8)

    def is_open(self, at: datetime) -> bool:
        """Whether the hall is open at `at` (an aware datetime)."""
        return any(a <= at < b for a, b in self.open_intervals(*self._around(at)))

    def is_awake(self, at: datetime) -> bool:
        """Whether the screen should be on at `at` by the schedule (no touch counted)."""
        return any(a <= at < b for a, b in self.awake_intervals(*self._around(at)))

    def events(self, start: date, days: int) -> list[Event]:
        """What the kiosk does on local days `start` to `start + days`, in order."""
        lo = datetime.combine(start, time(), self.zone).astimezone(UTC)
        hi = datetime.combine(start + timedelta(days=days), time(), self.zone).astimezone(UTC)
        first, last = start - timedelta(days=7), start + timedelta(days=days + 7)
        found: list[Event] = []
        for a, b in self.awake_intervals(first, last):
            found.append(Event(a, "wake"))
            found.append(Event(b, "sleep"))
        for a, b in self.open_intervals(first, last):
            found.append(Event(a, "open"))
            found.append(Event(b, "close"))
        order = {"close": 0, "sleep": 1, "wake": 2, "open": 3}
        return sorted((e for e in found if lo <= e.at < hi), key=lambda e: (e.at, order[e.kind]))

    def switches(self, start: date, days: int) -> list[Event]:
        """The screen's own switches (`wake`, `sleep`) of those days: what the window does."""
        return [e for e in self.events(start, days) if e.kind in ("wake", "sleep")]


# -- the window's rule ----------------------------------------------------------------------


class Sleeper:
    """When the screen sleeps and wakes: by the timetable, and by a touch.

    A touch on a sleeping screen wakes it during opening hours, and outside them when the
    schedule says `touch_wakes`; a screen woken so stays on `touch_awake` minutes after the
    last touch. `now` is the monotonic clock (a touch's time), `wall` the wall clock.
    """

    def __init__(self, schedule: Schedule) -> None:
        self.timetable = Timetable(schedule)
        self.schedule = schedule
        self.asleep = False
        self.touch_until = float("-inf")
        self._known: tuple[datetime, datetime, bool] | None = None

    def scheduled_awake(self, wall: datetime) -> bool:
        """The timetable's word at `wall`, worked out again only when a switch may be due
        (the window asks at every frame)."""
        known = self._known
        if known is not None and known[0] <= wall < known[1]:
            return known[2]
        awake = False
        until = wall + timedelta(hours=12)
        for a, b in self.timetable.awake_intervals(*self.timetable._around(wall)):
            if a <= wall < b:
                awake = True
            for edge in (a, b):
                if wall < edge < until:
                    until = edge
        self._known = (wall, until, awake)
        return awake

    def update(self, wall: datetime, now: float) -> str | None:
        """`sleep` or `wake` when the screen must switch now, else None."""
        due = self.scheduled_awake(wall) or now < self.touch_until
        if self.asleep and due:
            self.asleep = False
            return "wake"
        if not self.asleep and not due:
            self.asleep = True
            return "sleep"
        return None

    def touched(self, wall: datetime, now: float) -> bool:
        """A touch: True when it wakes the sleeping screen (the touch does nothing else)."""
        outside = not self.scheduled_awake(wall)
        if outside and self.schedule.touch_wakes:
            self.touch_until = now + self.schedule.touch_awake * 60
        if not self.asleep:
            return False
        if self.timetable.is_open(wall) or self.schedule.touch_wakes:
            self.asleep = False
            return True
        return False

    def state(self, wall: datetime) -> str:
        """`asleep`, `open`, `waking` (on before opening) or `after hours` (woken by a touch)."""
        if self.asleep:
            return "asleep"
        if self.timetable.is_open(wall):
            return "open"
        return "waking" if self.timetable.is_awake(wall) else "after hours"


# -- what `kiosk schedule` prints -----------------------------------------------------------

_WAKE = "screen on, content reloaded, the loop from its first slide"
_SAYS = {
    ("wake",): f"wake: {_WAKE}",
    ("open",): "open",
    ("wake", "open"): f"open: {_WAKE}",
    ("close", "sleep"): "close: screen off",
    ("close",): "close (the screen stays on: it opens again soon)",
    ("sleep",): "sleep: screen off",
}


def _days(start: date, days: int) -> Iterator[date]:
    for n in range(days):
        yield start + timedelta(days=n)


def format_schedule(schedule: Schedule | None, start: date, days: int) -> str:
    """What the kiosk will do on each of `days` days from `start`, in the hall's local time."""
    if schedule is None:
        return "no schedule: the kiosk is open around the clock, its screen always on\n"
    table = Timetable(schedule)
    zone = table.zone
    touch = (
        f"a touch wakes it for {schedule.touch_awake} minutes"
        if schedule.touch_wakes
        else "a touch does not wake it"
    )
    lines = [
        f"times in {schedule.timezone}; the screen wakes {schedule.wake_before} minutes before "
        f"opening; outside opening hours {touch}; display power: {schedule.display_power}"
    ]
    events = table.events(start, days)
    for day in _days(start, days):
        midnight = datetime.combine(day, time(), zone)
        header = f"{day:%a %Y-%m-%d}"
        exception = schedule.exceptions.get(day)
        said = []
        if exception is not None:
            said.append(f"exception: {exception.note}" if exception.note else "exception")
        if not table.spans(day):
            said = [f"closed ({said[0]})" if said else "closed"]
        tomorrow = datetime.combine(day + timedelta(days=1), time(), zone)
        if midnight.utcoffset() != tomorrow.utcoffset():
            said.append(f"clocks change from {midnight.tzname()} to {tomorrow.tzname()}")
        mine = [e for e in events if e.at.astimezone(zone).date() == day]
        if not mine:
            on = table.is_awake(midnight.astimezone(UTC))
            said.append("screen on all day" if on else "screen off all day")
        lines.append(f"{header}  " + "; ".join(said) if said else header)
        at_times: dict[datetime, list[str]] = {}
        for event in mine:
            at_times.setdefault(event.at, []).append(event.kind)
        for at, kinds in at_times.items():
            lines.append(f"  {at.astimezone(zone):%H:%M}  {_SAYS[tuple(kinds)]}")
        if exception is None:
            for part in schedule.day_parts:
                if WEEKDAYS[day.weekday()] in part.days:
                    hours = ", ".join(str(span) for span in part.hours)
                    slides = ", ".join(part.slides)
                    lines.append(f"  {hours}  day part {part.name}: the loop plays {slides}")
    return "\n".join(lines) + "\n"


def schedule_main(config: str | None, start: date | None, days: int) -> int:
    """`kiosk schedule`: print the timetable of a configuration file's schedule."""
    import sys
    from pathlib import Path

    from kiosk.content.problems import ContentError
    from kiosk.ops.config import load_config
    from kiosk.ops.paths import default_config_path

    path = Path(config) if config else default_config_path()
    try:
        loaded = load_config(path)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{path}: not valid; fix the errors above", file=sys.stderr)
        return 2
    schedule = loaded.schedule
    if start is None:
        zone = zoneinfo.ZoneInfo(schedule.timezone) if schedule else None
        start = datetime.now(zone).date()
    sys.stdout.write(f"{path}: ")
    sys.stdout.write(format_schedule(schedule, start, days))
    return 0


__all__ = [
    "Event",
    "Schedule",
    "Sleeper",
    "Span",
    "Timetable",
    "WeekHours",
    "format_schedule",
    "schedule_main",
]
