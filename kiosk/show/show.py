"""The show's rules as a pure state machine: which slide is on, attract loop or visitor, idle reset.

Time always comes in from outside (`now`, seconds on a monotonic clock), so every rule is tested
without Qt and without waiting. Slide deadlines are computed from the previous deadline, not from
when a tick happened to arrive, so a loop that runs for months keeps exact slide durations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from kiosk.content.loader import Deck

IDLE_WARNING_S = 10.0
"""Seconds before an idle reset during which the visitor is offered to keep exploring."""


class Mode(Enum):
    ATTRACT = "attract"
    VISITOR = "visitor"


@dataclass(frozen=True)
class Change:
    """What changed, for views to follow: `slide` (with direction), `language`, `mode`, `deck`."""

    kind: str
    index: int
    direction: int = 0


Listener = Callable[[Change], None]


class Show:
    """Which slide is on and who is in control; advanced by `tick(now)` and visitor actions."""

    def __init__(self, deck: Deck, *, now: float, lang: str | None = None) -> None:
        self.deck = deck
        self.index = 0
        self.mode = Mode.ATTRACT
        self.lang = lang or deck.settings.default_language
        self.slide_started = now
        self.last_input = now
        self.advances = 0
        self._listeners: list[Listener] = []

    # -- observing -------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every Change from now on."""
        self._listeners.append(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- derived state ---------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.deck.slides)

    @property
    def slide_duration(self) -> float:
        return self.deck.duration(self.deck.slides[self.index])

    def next_advance_at(self) -> float | None:
        """When the attract loop moves on (None while a visitor is in control)."""
        if self.mode is not Mode.ATTRACT or self.count < 2:
            return None
        return self.slide_started + self.slide_duration

    def idle_reset_at(self) -> float | None:
        """When the show returns to its loop if nobody touches it (None in attract mode)."""
        if self.mode is not Mode.VISITOR:
            return None
        return self.last_input + self.deck.settings.loop.idle_timeout

    def idle_warning(self, now: float) -> float | None:
        """Seconds left before the idle reset, during its final warning; None otherwise."""
        reset = self.idle_reset_at()
        if reset is None:
            return None
        left = reset - now
        warning = min(IDLE_WARNING_S, self.deck.settings.loop.idle_timeout / 2)
        return left if 0 < left <= warning else None

    # -- time ------------------------------------------------------------------------------------

    def tick(self, now: float) -> None:
        """Let time pass: advance the loop, or reset after the idle timeout."""
        reset = self.idle_reset_at()
        if reset is not None and now >= reset:
            self.reset(now)
            return
        deadline = self.next_advance_at()
        if deadline is None or now < deadline:
            return
        # Advance from the deadline itself so durations never drift; after a long stall
        # (a suspended machine) start the next slide fresh instead of racing through slides.
        start = deadline if now - deadline < self.slide_duration else now
        self._go((self.index + 1) % self.count, direction=1, started=start)
        self.advances += 1

    # -- visitor actions -------------------------------------------------------------------------

    def skip(self, now: float) -> None:
        """Move past a slide that cannot be shown, without counting as a visitor's touch."""
        self._go((self.index + 1) % self.count, direction=1, started=now)

    def touch(self, now: float) -> None:
        """Any input: the visitor takes control, and the idle timer restarts."""
        self.last_input = now
        if self.mode is Mode.ATTRACT:
            self.mode = Mode.VISITOR
            self._emit(Change("mode", self.index))

    def next(self, now: float) -> None:
        self.touch(now)
        self._go((self.index + 1) % self.count, direction=1, started=now)

    def previous(self, now: float) -> None:
        self.touch(now)
        self._go((self.index - 1) % self.count, direction=-1, started=now)

    def go(self, index: int, now: float) -> None:
        """Go to slide `index` (wrapping), pushing in the direction of travel."""
        self.touch(now)
        target = index % self.count
        self._go(target, direction=1 if target >= self.index else -1, started=now)

    def home(self, now: float) -> None:
        self.go(0, now)

    def set_language(self, lang: str, now: float) -> None:
        self.touch(now)
        self._set_language(lang)

    def toggle_language(self, now: float) -> None:
        """Switch to the deck's next language."""
        languages = list(self.deck.settings.languages)
        current = languages.index(self.lang) if self.lang in languages else 0
        self.set_language(languages[(current + 1) % len(languages)], now)

    def reset(self, now: float) -> None:
        """Back to the loop: default language, first slide, attract mode."""
        self._set_language(self.deck.settings.default_language)
        self.mode = Mode.ATTRACT
        self.last_input = now
        self._emit(Change("mode", self.index))
        self._go(0, direction=1, started=now, force=False)
        self.slide_started = now

    def replace_deck(self, deck: Deck, now: float) -> None:
        """A new deck: keep the place when the slide still exists (same id), else start over."""
        current = self.deck.slides[self.index].id
        self.deck = deck
        index = deck.index_of(current)
        self.index = index if index is not None else 0
        if self.lang not in deck.settings.languages:
            self._set_language(deck.settings.default_language)
        if index is None:
            self.slide_started = now
        self._emit(Change("deck", self.index, 0))

    # -- internals -------------------------------------------------------------------------------

    def _set_language(self, lang: str) -> None:
        if lang != self.lang and lang in self.deck.settings.languages:
            self.lang = lang
            self._emit(Change("language", self.index))

    def _go(self, index: int, *, direction: int, started: float, force: bool = True) -> None:
        self.slide_started = started
        if index == self.index and not force:
            return
        self.index = index
        self._emit(Change("slide", index, direction))
