"""The show's rules as a pure state machine: which slide is on, attract loop or visitor, idle reset.

Time always comes in from outside (`now`, seconds on a monotonic clock), so every rule is tested
without Qt and without waiting. Slide deadlines are computed from the previous deadline, not from
when a tick happened to arrive, so a loop that runs for months keeps exact slide durations.

The loop plays in the deck's `loop.languages` in turn: a whole cycle of slides in each
(`alternate: cycle`), or the next language at every slide (`alternate: slide`). It starts in the
first of them, at the first slide, and so does every idle reset; a visitor's own choice of
language holds until then. A loop of one language never changes the language by itself.

The loop may play a part of the deck (`set_loop_slides`: a day part's slides, in deck order);
a new set takes over when the slide on screen ends. Visitors still reach every slide.

A visitor may ask for larger text and for high contrast with calm motion (`access`); like the
language, both hold for the visit and the idle reset puts them back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from kiosk.content.loader import Deck

IDLE_WARNING_S = 10.0
"""Seconds before an idle reset during which the visitor is offered to keep exploring."""


class Mode(Enum):
    ATTRACT = "attract"
    VISITOR = "visitor"


@dataclass(frozen=True)
class Access:
    """What a visitor asked of the screen: larger text, high contrast (with calm motion)."""

    larger: bool = False
    contrast: bool = False


@dataclass(frozen=True)
class Change:
    """What changed, for views to follow: `slide` (with direction), `language`, `mode`, `deck`,
    `access`."""

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
        self.loop_round = 0
        """Whole cycles the loop has played since it started, counted modulo its languages."""
        self.lang = lang or self.loop_language(0)
        if self.lang in self.loop_languages:
            # A starting language of the loop's own (`--lang en`): the loop goes on from it.
            self.loop_round = self._round_for(self.lang, 0)
        self.slide_started = now
        self.last_input = now
        self.advances = 0
        self.loop_slides: tuple[str, ...] | None = None
        """The ids of the slides the loop plays (a day part's); None: the whole deck."""
        self.access = Access()
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

    @property
    def loop_order(self) -> tuple[int, ...]:
        """The indices of the slides the loop plays, in deck order: `loop_slides` that the deck
        has, else every slide."""
        if self.loop_slides:
            wanted = set(self.loop_slides)
            found = tuple(i for i, slide in enumerate(self.deck.slides) if slide.id in wanted)
            if found:
                return found
        return tuple(range(self.count))

    def set_loop_slides(self, ids: Sequence[str] | None) -> None:
        """Play only these slides in the loop from its next turn (None: the whole deck); the
        slide on screen plays to its end first."""
        self.loop_slides = tuple(ids) if ids else None

    def _loop_next(self) -> int:
        """The loop's next slide after the one on screen (wrapping to its first)."""
        order = self.loop_order
        return next((i for i in order if i > self.index), order[0])

    @property
    def loop_languages(self) -> Sequence[str]:
        """The languages the loop plays in, in turn."""
        return self.deck.settings.loop_languages

    def loop_language(self, index: int) -> str:
        """The language the loop shows slide `index` in, in its current round.

        Per slide, the language moves on with the slide and with the round: with an even
        number of slides the first slide of a round repeats the last one's language, so that
        every slide is shown in every language rather than each always in the same one."""
        languages = self.loop_languages
        step = index if self.deck.settings.loop.alternate == "slide" else 0
        return languages[(self.loop_round + step) % len(languages)]

    def _round_for(self, lang: str, index: int) -> int:
        """The round in which the loop shows slide `index` in `lang` (one of its languages)."""
        languages = self.loop_languages
        step = index if self.deck.settings.loop.alternate == "slide" else 0
        return (languages.index(lang) - step) % len(languages)

    @property
    def _loop_turns(self) -> bool:
        """Whether the loop changes language by itself (it has more than one)."""
        return len(self.loop_languages) > 1

    def next_advance_at(self) -> float | None:
        """When the attract loop moves on (None while a visitor is in control). A deck of one
        slide moves on too when its loop has languages to turn through."""
        order = self.loop_order
        if self.mode is not Mode.ATTRACT or (
            len(order) < 2 and self.index in order and not self._loop_turns
        ):
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
        self._advance(start)
        self.advances += 1

    # -- visitor actions -------------------------------------------------------------------------

    def skip(self, now: float) -> None:
        """Move past a slide that cannot be shown, without counting as a visitor's touch (in
        the loop, as the loop moves on: its language turns as it would)."""
        if self.mode is Mode.ATTRACT:
            self._advance(now)
        else:
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

    def toggle_larger(self, now: float) -> None:
        """Larger text on, or off again."""
        self.touch(now)
        self._set_access(replace(self.access, larger=not self.access.larger))

    def toggle_contrast(self, now: float) -> None:
        """High contrast and calm motion on, or off again."""
        self.touch(now)
        self._set_access(replace(self.access, contrast=not self.access.contrast))

    def reset(self, now: float) -> None:
        """Back to the loop from its start: its first slide in its first language, and the
        screen as the deck sets it (a visitor's larger text and contrast put back)."""
        first = self.loop_order[0]
        self.loop_round = self._round_for(self.loop_languages[0], first)
        self._set_language(self.loop_languages[0])
        self._set_access(Access())
        self.mode = Mode.ATTRACT
        self.last_input = now
        self._emit(Change("mode", self.index))
        self._go(first, direction=1, started=now, force=False)
        self.slide_started = now

    def replace_deck(self, deck: Deck, now: float) -> None:
        """A new deck: keep the place when the slide still exists (same id), else start over."""
        current = self.deck.slides[self.index].id
        self.deck = deck
        index = deck.index_of(current)
        self.index = index if index is not None else 0
        languages = self.loop_languages
        if self.mode is Mode.VISITOR:
            self.loop_round = 0  # the idle reset starts the loop afresh anyway
            if self.lang not in deck.settings.languages:
                self._set_language(languages[0])
        elif self.lang in languages:
            self.loop_round = self._round_for(self.lang, self.index)  # the loop goes on
        else:
            # The curator took the language on screen out of the loop: it follows at once.
            self.loop_round = 0
            self._set_language(self.loop_language(self.index))
        if index is None:
            self.slide_started = now
        self._emit(Change("deck", self.index, 0))

    # -- internals -------------------------------------------------------------------------------

    def _set_access(self, access: Access) -> None:
        if access != self.access:
            self.access = access
            self._emit(Change("access", self.index))

    def _set_language(self, lang: str) -> None:
        if lang != self.lang and lang in self.deck.settings.languages:
            self.lang = lang
            self._emit(Change("language", self.index))

    def _advance(self, started: float) -> None:
        """The loop moves on to its next slide, in the language the loop shows it in.

        The language is taken before the slide change is told and told after it, so that a view
        building the next slide builds it in its language while the outgoing one keeps its own."""
        target = self._loop_next()
        if target <= self.index:  # round again to the loop's first slide
            self.loop_round = (self.loop_round + 1) % len(self.loop_languages)
        lang = self.loop_language(target)
        turned = self._loop_turns and lang != self.lang
        if turned:
            self.lang = lang
        # A deck of one slide comes on again too: the turn is a slide change like any other
        # (with its transition, and a new view for the analytics), not a jump of its words.
        self._go(target, direction=1, started=started)
        if turned:
            self._emit(Change("language", self.index))

    def _go(self, index: int, *, direction: int, started: float, force: bool = True) -> None:
        self.slide_started = started
        if index == self.index and not force:
            return
        self.index = index
        self._emit(Change("slide", index, direction))
