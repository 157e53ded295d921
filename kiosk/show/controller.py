"""What each visitor gesture and staff key does, given what is open over the show (pure).

Input goes to whatever is on top and stops there. The PIN pad is on top of everything: while it
is open no tap, swipe or key reaches the card or the show behind it (digits typed on a keyboard
enter PIN digits, Enter is OK, Backspace deletes one, Esc closes the pad; every other key is
swallowed). A detail card is next: a tap outside it, its close button or a swipe closes it and
does nothing else (but the band's listen control, which speaks the card). The idle countdown
sits in the foot band and covers nothing: any touch keeps the visit going, and a finger anywhere
but on the countdown's own panel ("keep exploring") does what it always does; the one on the
panel does nothing else. Only then does input reach the show.

The controller holds the visitor's own state (open card, pressed control, touch ripples, the PIN
pad's entry and message over `PinGate`) and follows the fingers (`pointer`, `tick`). The view
answers what a point lands on (a `Surface`, with typed `kiosk.show.hits` values); the rules
here decide what that means, so each one is tested without Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Protocol

from kiosk.show.gestures import Gesture, GestureTracker, LongPress, Press, Swipe, Tap
from kiosk.show.hits import (
    PIN_CLEAR,
    PIN_OK,
    CardPart,
    Control,
    Dot,
    Element,
    Hit,
    Keyed,
    Layer,
    PinKey,
    PinMessage,
    StaffKey,
    T,
    T_co,
)
from kiosk.show.show import Change, Mode, Show
from kiosk.show.staff import HOLD_S, PinGate

__all__ = ["Controller", "Keyed", "Phase", "Ripple", "Surface"]

PIN_MAX_DIGITS = 12
"""The longest PIN `hash_pin` accepts; the pad takes no more digits than that."""

RIPPLE_S = 0.45
"""How long a touch's ripple lasts."""

DEFAULT_PX_PER_MM = 96 / 25.4
"""A 96 dpi screen, for a controller made without one."""


class Phase(Enum):
    """What a touch point or the mouse did."""

    DOWN = "down"
    MOVE = "move"
    UP = "up"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Ripple:
    """Touch feedback: where a finger went down and when."""

    x: float
    y: float
    started: float

    def progress(self, now: float) -> float:
        """From 0 (just touched) to 1 (gone)."""
        return min(1.0, max(0.0, (now - self.started) / RIPPLE_S))


class Surface(Protocol[T_co]):
    """What is where on screen, in window pixels: the view answers, the controller decides."""

    def hit_at(self, x: float, y: float, layer: Layer) -> Hit[T_co] | None:
        """What the point lands on in `layer` (the one on top), if anything."""
        ...

    def in_staff_corner(self, x: float, y: float) -> bool:
        """Whether the point is in the corner where staff hold a finger to open the PIN pad."""
        ...


class Controller(Generic[T]):
    """The visitor's own state (open card, pressed control, PIN pad entry) and what input does."""

    def __init__(
        self,
        show: Show,
        surface: Surface[T] | None = None,
        *,
        pin_gate: PinGate | None = None,
        px_per_mm: float = DEFAULT_PX_PER_MM,
        on_staff_exit: Callable[[], None] = lambda: None,
        on_card_opened: Callable[[T], None] = lambda card: None,
        on_listen: Callable[[T | None], None] = lambda card: None,
    ) -> None:
        self.show = show
        self.surface = surface
        """What is where; the view sets itself here when it is made after the controller."""
        # No PIN configured means no exit gesture at all.
        self.pin_gate = pin_gate
        self.on_staff_exit = on_staff_exit
        self.on_card_opened = on_card_opened
        self.on_listen = on_listen
        """Hears the listen control: with the open card (speak it), or None (the slide)."""
        self.gestures = GestureTracker(px_per_mm=px_per_mm)
        self.card: T | None = None
        self.pin_entry: str | None = None
        """The digits typed so far while the PIN pad is open; None while it is closed."""
        self.pin_message: PinMessage | None = None
        self.pressed: Hit[T] | None = None
        """The control or element under the finger, shown pressed until it lifts."""
        self.ripples: list[Ripple] = []
        self._dismissing = False
        show.subscribe(self._on_change)

    @property
    def pin_open(self) -> bool:
        return self.pin_entry is not None

    @property
    def layer(self) -> Layer:
        """What is on top, and so what a touch reaches."""
        if self.pin_open:
            return Layer.PIN
        return Layer.CARD if self.card is not None else Layer.SHOW

    @property
    def moving(self) -> bool:
        """Whether touch feedback is running or a finger is down (frames are needed)."""
        return bool(self.ripples) or self.gestures.active

    def pin_locked(self, now: float) -> float:
        """Seconds the PIN pad stays locked after wrong PINs (0 when it is not)."""
        return self.pin_gate.locked(now) if self.pin_gate else 0.0

    # -- the show's changes ------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind in ("slide", "deck"):
            self.card = None  # a card belongs to the slide it was opened on
        elif change.kind == "mode" and self.show.mode is Mode.ATTRACT:
            # The idle reset closes whatever was left open, the PIN pad too: a pad that staff
            # walked away from must not stay over the show in the hall.
            self.card = None
            self.close_pin()

    # -- fingers -----------------------------------------------------------------------------

    def pointer(self, phase: Phase, finger: int, x: float, y: float, now: float) -> list[Gesture]:
        """A touch point or the mouse, in window pixels; the gestures it completed."""
        tracker = self.gestures
        if phase is Phase.DOWN:
            gestures = tracker.down(finger, x, y, now)
        elif phase is Phase.MOVE:
            gestures = tracker.move(finger, x, y, now)
        elif phase is Phase.UP:
            gestures = tracker.up(finger, x, y, now)
            if not tracker.active:
                self.release()
        else:
            tracker.cancel()
            self.release()
            gestures = []
        for gesture in gestures:
            self.gesture(gesture, now)
        return gestures

    def tick(self, now: float) -> list[Gesture]:
        """Time passes: a still finger becomes a long press, or (in the staff corner) opens
        the PIN pad; old ripples fade out. The gestures it completed."""
        gestures = self.gestures.tick(now)
        for gesture in gestures:
            self.gesture(gesture, now)
        held = self.gestures.held(now)
        if held is not None and self.hold(*held):
            self.gestures.cancel()  # its lift is not a tap on the pad
        self.ripples = [r for r in self.ripples if now - r.started < RIPPLE_S]
        return gestures

    # -- gestures ----------------------------------------------------------------------------

    def gesture(self, gesture: Gesture, now: float) -> None:
        """What a gesture does; every one of them counts as somebody being here."""
        if isinstance(gesture, Press):
            self.ripples.append(Ripple(gesture.x, gesture.y, now))
            # Every touch keeps the visit going. The countdown covers nothing of the slide, so
            # a finger elsewhere acts as always; the one on the countdown's panel was asking to
            # stay, and does nothing else (not even through what the panel gives way to).
            counting = self.show.idle_warning(now) is not None and self.layer is Layer.SHOW
            self._dismissing = (
                counting and self._hit(gesture.x, gesture.y, Layer.SHOW) is Control.KEEP
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
        if seconds < HOLD_S or not (self.surface and self.surface.in_staff_corner(x, y)):
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
        show = self.show
        layer = self.layer
        hit = self._hit(x, y, layer)
        if layer is Layer.PIN:
            self._pin_input(hit if isinstance(hit, PinKey) else None, now)
        elif layer is Layer.CARD:
            # The band's listen control speaks the open card; the close button, or anywhere
            # else outside the card, closes it.
            if hit is Control.LISTEN:
                show.touch(now)
                self.on_listen(self.card)
            elif hit is not CardPart.BODY:
                self.card = None
        elif hit is Control.LISTEN:
            show.touch(now)
            self.on_listen(None)
        elif hit is Control.LARGER:
            show.toggle_larger(now)
        elif hit is Control.CONTRAST:
            show.toggle_contrast(now)
        elif hit is Control.PREV:
            show.previous(now)
        elif hit is Control.NEXT:
            show.next(now)
        elif hit is Control.HOME:
            show.home(now)
        elif hit is Control.LANG:
            show.toggle_language(now)
        elif hit is Control.KEEP:
            show.touch(now)
        elif isinstance(hit, Dot):
            show.go(hit.index, now)
        elif isinstance(hit, Element):
            self.card = hit.target
            self.on_card_opened(hit.target)

    def _hit(self, x: float, y: float, layer: Layer) -> Hit[T] | None:
        return self.surface.hit_at(x, y, layer) if self.surface is not None else None

    def _pressable(self, x: float, y: float) -> Hit[T] | None:
        layer = self.layer
        hit = self._hit(x, y, layer)
        if layer is Layer.PIN:
            return hit if isinstance(hit, PinKey) else None
        if layer is Layer.CARD:
            return hit if hit in (CardPart.CLOSE, Control.LISTEN) else None
        return hit

    # -- the PIN pad -------------------------------------------------------------------------

    def close_pin(self) -> None:
        self.pin_entry = None
        self.pin_message = None

    def _pin_input(self, key: PinKey | None, now: float) -> None:
        """A PIN pad key, or None for a tap outside the pad."""
        assert self.pin_gate is not None
        assert self.pin_entry is not None
        if key is None:
            self.close_pin()  # a tap outside the pad closes it
        elif key == PIN_CLEAR:
            self.pin_entry = ""
        elif key == PIN_OK:
            if self.pin_gate.attempt(self.pin_entry, now):
                self.close_pin()
                self.on_staff_exit()
            else:
                self.pin_entry = ""
                self.pin_message = PinMessage.WRONG
        elif len(self.pin_entry) < PIN_MAX_DIGITS:
            self.pin_entry += key.key
            self.pin_message = None

    # -- staff keys --------------------------------------------------------------------------

    def key(self, key: StaffKey | None, now: float) -> bool:
        """A staff key (`StaffKey`); None for any other key. Digits `1`-`9` and `0` go to slides
        1-10, or enter PIN digits while the pad is open. True when the key was used here; the
        window may give an unused one its own meaning (Esc closes a window)."""
        slide = key.slide if key is not None else None
        if self.pin_entry is not None:
            # Staff at the pad type their PIN on a keyboard as on any PIN prompt; no key
            # reaches the show behind it, and typing keeps the idle reset away.
            self.show.touch(now)
            if key is not None and slide is not None:
                self._pin_input(PinKey(key.value), now)  # a digit
            elif key is StaffKey.ENTER:
                self._pin_input(PIN_OK, now)
            elif key is StaffKey.BACKSPACE:
                self.pin_entry = self.pin_entry[:-1]
            elif key is StaffKey.ESCAPE:
                self.close_pin()
            return True
        show = self.show
        if key is StaffKey.ESCAPE and self.card is not None:
            show.touch(now)
            self.card = None
        elif key is StaffKey.NEXT:
            show.next(now)
        elif key is StaffKey.PREVIOUS:
            show.previous(now)
        elif key is StaffKey.HOME:
            show.home(now)
        elif key is StaffKey.LANGUAGE:
            show.toggle_language(now)
        elif slide is not None:
            show.go(slide, now)
        else:
            return False
        return True
