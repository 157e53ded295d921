"""What each visitor gesture and staff key does, given what is open over the show (pure).

Input goes to whatever is on top and stops there. The PIN pad is on top of everything: while it
is open no tap, swipe or key reaches the card or the show behind it (digits typed on a keyboard
enter PIN digits, Enter is OK, Backspace deletes one, Esc closes the pad; every other key is
swallowed). A detail card is next: a tap outside it, its close button or a swipe closes it and
does nothing else. The idle countdown is a panel of its own: the finger that dismisses it
("keep exploring") does nothing else either. Only then does input reach the show.

The view answers where things are (a `Surface`); the rules here decide what that means, so
each one is tested without Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from kiosk.show.gestures import Gesture, LongPress, Press, Swipe, Tap
from kiosk.show.show import Change, Mode, Show
from kiosk.show.staff import HOLD_S, PinGate

PIN_MAX_DIGITS = 12
"""The longest PIN `hash_pin` accepts; the pad takes no more digits than that."""

SLIDE_KEYS = {str(n): n - 1 for n in range(1, 10)} | {"0": 9}
"""Staff keys `1`-`9` and `0`: slides 1-10 (or, while the PIN pad is open, PIN digits)."""


class Keyed(Protocol):
    """A tappable element of a slide; `key` names it (`tile:gdp`) for feedback and analytics."""

    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)
T_co = TypeVar("T_co", bound=Keyed, covariant=True)


class Surface(Protocol[T_co]):
    """Where things are on screen, in window pixels: the view answers, the controller decides."""

    def pin_key_at(self, x: float, y: float) -> str | None:
        """The PIN pad key under the point (`0`-`9`, `clear`, `ok`), if any."""
        ...

    def in_card(self, x: float, y: float) -> bool:
        """Whether the point is on the open card."""
        ...

    def on_card_close(self, x: float, y: float) -> bool:
        """Whether the point is on the open card's close button."""
        ...

    def control_at(self, x: float, y: float) -> str | None:
        """The navigation control under the point (`prev`, `next`, `home`, `lang`, `dot:N`)."""
        ...

    def target_at(self, x: float, y: float) -> T_co | None:
        """The tappable element of the live slide under the point, if any."""
        ...

    def in_staff_corner(self, x: float, y: float) -> bool:
        """Whether the point is in the corner where staff hold a finger to open the PIN pad."""
        ...


class Controller(Generic[T]):
    """The visitor's own state (open card, pressed control, PIN pad entry) and what input does."""

    def __init__(
        self,
        show: Show,
        surface: Surface[T],
        *,
        pin_gate: PinGate | None = None,
        on_staff_exit: Callable[[], None] = lambda: None,
        on_card_opened: Callable[[T], None] = lambda card: None,
    ) -> None:
        self.show = show
        self.surface = surface
        # No PIN configured means no exit gesture at all.
        self.pin_gate = pin_gate
        self.on_staff_exit = on_staff_exit
        self.on_card_opened = on_card_opened
        self.card: T | None = None
        self.pin_entry: str | None = None
        """The digits typed so far while the PIN pad is open; None while it is closed."""
        self.pin_message: str | None = None
        self.pressed: str | None = None
        """The control or element under the finger, shown pressed until it lifts."""
        self._dismissing = False
        show.subscribe(self._on_change)

    @property
    def pin_open(self) -> bool:
        return self.pin_entry is not None

    # -- the show's changes ------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind in ("slide", "deck"):
            self.card = None  # a card belongs to the slide it was opened on
        elif change.kind == "mode" and self.show.mode is Mode.ATTRACT:
            # The idle reset closes whatever was left open, the PIN pad too: a pad that staff
            # walked away from must not stay over the show in the hall.
            self.card = None
            self.close_pin()

    # -- gestures ----------------------------------------------------------------------------

    def gesture(self, gesture: Gesture, now: float) -> None:
        """What a gesture does; every one of them counts as somebody being here."""
        if isinstance(gesture, Press):
            # A finger that lands on the idle countdown only keeps the visit going: the panel
            # covers the slide, so what lies under the finger behind it must not react.
            self._dismissing = (
                self.show.idle_warning(now) is not None and self.card is None and not self.pin_open
            )
            self.show.touch(now)
            self.pressed = None if self._dismissing else self._pressable(gesture.x, gesture.y)
        elif self._dismissing:
            return
        elif isinstance(gesture, Swipe):
            self._swipe(gesture.direction, now)
        elif isinstance(gesture, Tap | LongPress):
            self._tap(gesture.x, gesture.y, now)

    def release(self) -> None:
        """The finger lifted: nothing is shown pressed any more."""
        self.pressed = None

    def hold(self, x: float, y: float, seconds: float) -> bool:
        """A still finger held in the staff corner for HOLD_S opens the PIN pad.

        True when it did, so the caller forgets the finger (its lift is not a tap on the pad).
        """
        if self.pin_gate is None or self.pin_open:
            return False
        if seconds < HOLD_S or not self.surface.in_staff_corner(x, y):
            return False
        self.card = None
        self.pressed = None
        self.pin_entry = ""
        self.pin_message = None
        return True

    def _swipe(self, direction: int, now: float) -> None:
        if self.pin_open:
            return  # the pad is on top: a swipe over it changes nothing behind it
        if self.card is not None:
            self.card = None  # a swipe on a card puts it away, and only that
            return
        if direction > 0:
            self.show.next(now)
        else:
            self.show.previous(now)

    def _tap(self, x: float, y: float, now: float) -> None:
        show, surface = self.show, self.surface
        if self.pin_open:
            self._pin_input(surface.pin_key_at(x, y), now)
            return
        if self.card is not None:
            # The close button, or anywhere outside the card, closes it.
            if surface.on_card_close(x, y) or not surface.in_card(x, y):
                self.card = None
            return
        control = surface.control_at(x, y)
        if control == "prev":
            show.previous(now)
        elif control == "next":
            show.next(now)
        elif control == "home":
            show.home(now)
        elif control == "lang":
            show.toggle_language(now)
        elif control is not None and control.startswith("dot:"):
            show.go(int(control[4:]), now)
        elif control is None:
            target = surface.target_at(x, y)
            if target is not None:
                self.card = target
                self.on_card_opened(target)

    def _pressable(self, x: float, y: float) -> str | None:
        surface = self.surface
        if self.pin_open:
            key = surface.pin_key_at(x, y)
            return f"pin:{key}" if key else None
        if self.card is not None:
            return "card-close" if surface.on_card_close(x, y) else None
        control = surface.control_at(x, y)
        if control is not None:
            return control
        target = surface.target_at(x, y)
        return target.key if target else None

    # -- the PIN pad -------------------------------------------------------------------------

    def close_pin(self) -> None:
        self.pin_entry = None
        self.pin_message = None

    def _pin_input(self, key: str | None, now: float) -> None:
        """A PIN pad key (`0`-`9`, `clear`, `ok`), or None for a tap outside the pad."""
        assert self.pin_gate is not None
        assert self.pin_entry is not None
        if key is None:
            self.close_pin()  # a tap outside the pad closes it
        elif key == "clear":
            self.pin_entry = ""
        elif key == "ok":
            if self.pin_gate.attempt(self.pin_entry, now):
                self.close_pin()
                self.on_staff_exit()
            else:
                self.pin_entry = ""
                self.pin_message = "wrong"
        elif len(self.pin_entry) < PIN_MAX_DIGITS:
            self.pin_entry += key
            self.pin_message = None

    # -- staff keys --------------------------------------------------------------------------

    def key(self, key: str | None, now: float) -> bool:
        """A key, by name: `next`, `previous`, `home`, `language`, `0`-`9`, `enter`,
        `backspace`, `escape`; None for any other key. True when the key was used here; the
        window may give an unused one its own meaning (Esc closes a window)."""
        if self.pin_entry is not None:
            # Staff at the pad type their PIN on a keyboard as on any PIN prompt; no key
            # reaches the show behind it, and typing keeps the idle reset away.
            self.show.touch(now)
            if key is not None and key in SLIDE_KEYS:
                self._pin_input(key, now)  # a digit
            elif key == "enter":
                self._pin_input("ok", now)
            elif key == "backspace":
                self.pin_entry = self.pin_entry[:-1]
            elif key == "escape":
                self.close_pin()
            return True
        show = self.show
        if key == "escape" and self.card is not None:
            show.touch(now)
            self.card = None
        elif key == "next":
            show.next(now)
        elif key == "previous":
            show.previous(now)
        elif key == "home":
            show.home(now)
        elif key == "language":
            show.toggle_language(now)
        elif key is not None and key in SLIDE_KEYS:
            show.go(SLIDE_KEYS[key], now)
        else:
            return False
        return True
