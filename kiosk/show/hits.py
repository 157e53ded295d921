"""What a point on the screen lands on: typed values the overlay answers and the controller acts on.

The overlay resolves a touch point once, in the layer that is on top (`Layer`), into one of
these; nothing is a string to be parsed. A slide's own elements stay the slide's: an `Element`
carries the view's target (its `key` names it for highlight and analytics).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    """A tappable element of a slide; `key` names it (`tile:gdp`) for feedback and analytics."""

    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)
T_co = TypeVar("T_co", bound=Keyed, covariant=True)


class Layer(Enum):
    """What is on top, and so what a touch can reach: the PIN pad, a card, or the show."""

    PIN = "pin"
    CARD = "card"
    SHOW = "show"


class Control(StrEnum):
    """A control of the kiosk's own in the foot band: the visitor's access controls (listen,
    larger text, high contrast), the navigation (the progress dots are `Dot`s) and, while the
    idle countdown shows, its "keep exploring" panel."""

    LISTEN = "listen"
    LARGER = "larger"
    CONTRAST = "contrast"
    PREV = "prev"
    NEXT = "next"
    HOME = "home"
    LANG = "lang"
    KEEP = "keep"


@dataclass(frozen=True)
class Dot:
    """The progress dot of slide `index` (from 0): a tap goes there."""

    index: int


PIN_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok")
"""The PIN pad's keys in reading order, three to a row."""


@dataclass(frozen=True)
class PinKey:
    """A key of the PIN pad: a digit `0`-`9`, or `clear` or `ok` (`PIN_CLEAR`, `PIN_OK`)."""

    key: str

    def __post_init__(self) -> None:
        if self.key not in PIN_KEYS:
            raise ValueError(f"no PIN pad key {self.key!r}")

    @property
    def digit(self) -> bool:
        return self.key.isdigit()

    @property
    def label(self) -> str:
        """What the key shows."""
        return {"clear": "C", "ok": "OK"}.get(self.key, self.key)


PIN_CLEAR = PinKey("clear")
PIN_OK = PinKey("ok")


class CardPart(StrEnum):
    """Where on the open detail card a point lies (outside it is no hit at all)."""

    CLOSE = "card-close"
    BODY = "card-body"


@dataclass(frozen=True)
class Element(Generic[T_co]):
    """A tappable element of the live slide (a tile, an event, a category, a node)."""

    target: T_co


Hit = Control | Dot | PinKey | CardPart | Element[T]
"""Everything a point can land on."""


class PinMessage(StrEnum):
    """What the PIN pad says under its title after a key (its wording is the overlay's)."""

    WRONG = "wrong"


class StaffKey(StrEnum):
    """A key of a staff keyboard the controller knows (the window maps Qt's keys to these)."""

    NEXT = "next"
    PREVIOUS = "previous"
    HOME = "home"
    LANGUAGE = "language"
    ENTER = "enter"
    BACKSPACE = "backspace"
    ESCAPE = "escape"
    DIGIT_1 = "1"
    DIGIT_2 = "2"
    DIGIT_3 = "3"
    DIGIT_4 = "4"
    DIGIT_5 = "5"
    DIGIT_6 = "6"
    DIGIT_7 = "7"
    DIGIT_8 = "8"
    DIGIT_9 = "9"
    DIGIT_0 = "0"

    @classmethod
    def digit(cls, n: int) -> StaffKey:
        """The key of digit `n` (0-9)."""
        return cls(str(n))

    @property
    def slide(self) -> int | None:
        """The slide a digit goes to: `1`-`9` are slides 1-9 (index 0-8), `0` is slide 10
        (index 9); None for the other keys."""
        if not self.value.isdigit():
            return None
        return (int(self.value) - 1) % 10
