"""The listen control: what a visitor asked to hear, when it plays, when it stops.

The window composes it: it hands every listen tap here (`toggle`), stops it on every slide,
language or deck change and at the idle reset (`stop`), and lets it follow the show at each
tick (`follow`), which starts a request once its audio is made and stops a card's speech when
the card closes. The speech itself is a `Speaker` (`kiosk.ops.speech.Narrator`): audio made
ahead of time off the UI thread; nothing here ever waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase, Text
from kiosk.show.show import Show
from kiosk.ui.base import HitTarget

log = logging.getLogger("kiosk.ui.window")  # the journal's lines keep their logger

LISTEN_WAIT_S = 15.0
"""How long a listen request waits for its audio when it was not made yet (a deck reloaded a
moment ago): it plays as soon as the audio is there, or not at all."""


class Speaker(Protocol):
    """What speaks the slides and cards (`kiosk.ops.speech.Narrator`)."""

    @property
    def speaking(self) -> bool: ...

    @property
    def prepared(self) -> bool:
        """Whether the latest deck's audio is all made."""
        ...

    def prepare(self, deck: Deck) -> None: ...

    def speak_slide(self, deck: Deck, slide: SlideBase, lang: str) -> bool: ...

    def speak_card(self, title: Text | None, detail: Text, lang: str) -> bool: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class Listening:
    """A visitor's request to hear the slide or a card, and the speech it started."""

    def __init__(self, speaker: Speaker | None, on_change: Callable[[], None]) -> None:
        self.speaker = speaker
        self.on_change = on_change
        """Called when the listen control turns on or off or speech starts or ends (repaint
        the control, rewrite the status)."""
        self._request: tuple[str, HitTarget | None, float] | None = None
        """The slide (id), the card or None for the slide, and until when a request whose
        audio is not made yet may wait."""
        self._spoken: HitTarget | None = None
        """The card being spoken (None: the slide, or nothing)."""
        self._shown: tuple[bool, str] = (False, self.state)

    @property
    def on(self) -> bool:
        """Whether the listen control shows on: speech playing, or asked for and coming."""
        speaker = self.speaker
        return self._request is not None or (speaker is not None and speaker.speaking)

    @property
    def state(self) -> str:
        """`off` (no speaker), `preparing` (audio being made), `ready` or `speaking`."""
        speaker = self.speaker
        if speaker is None:
            return "off"
        if speaker.speaking:
            return "speaking"
        return "ready" if speaker.prepared else "preparing"

    def toggle(self, show: Show, card: HitTarget | None, now: float) -> None:
        """The listen control: speak the open card or the slide, or stop what is speaking."""
        if self.on:
            self.stop()
        elif self.speaker is None:
            log.info("listen: this kiosk has no speech (narration is off)")
        else:
            self.ask(show, card, now)

    def ask(self, show: Show, card: HitTarget | None, now: float) -> None:
        """Speak the slide on screen (or `card`) as soon as its audio is there."""
        if self.speaker is not None:
            self._request = (show.deck.slides[show.index].id, card, now + LISTEN_WAIT_S)
            self.follow(show, card, now)

    def stop(self) -> None:
        """Stop whatever is spoken, and forget a request still waiting for its audio."""
        self._request = None
        self._spoken = None
        if self.speaker is not None and self.speaker.speaking:
            self.speaker.stop()
        self._tell()

    def follow(self, show: Show, card_open: HitTarget | None, now: float) -> None:
        """Start a request whose audio is there; stop a card's speech when the card closed
        (`card_open`: the card open now); tell when speech ended by itself."""
        speaker = self.speaker
        if speaker is None:
            return
        if self._spoken is not None and card_open is not self._spoken:
            self.stop()
        request = self._request
        if request is not None:
            slide_id, card, until = request
            slide = show.deck.slides[show.index]
            if slide_id != slide.id or (card is not None and card_open is not card):
                self._request = None
            elif card is not None and speaker.speak_card(card.title, card.detail, show.lang):
                log.info("listen: speaking the card %s of %s (%s)", card.key, slide_id, show.lang)
                self._request, self._spoken = None, card
            elif card is None and speaker.speak_slide(show.deck, slide, show.lang):
                log.info("listen: speaking %s (%s)", slide_id, show.lang)
                self._request = None
            elif now >= until:
                log.warning("listen: the audio of %s was not ready in time", slide_id)
                self._request = None
        self._tell()

    def _tell(self) -> None:
        shown = (self.on, self.state)  # the control, and the status's `narration`
        if shown != self._shown:
            self._shown = shown
            self.on_change()
