"""What visitors' gestures and staff keys do, by what is open over the show: no Qt, no waiting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.content.loader import load_deck
from kiosk.show.controller import Controller
from kiosk.show.gestures import LongPress, Press, Swipe, Tap
from kiosk.show.hits import PIN_OK, CardPart, Control, Element, Hit, Layer, PinKey, StaffKey
from kiosk.show.show import Mode, Show
from kiosk.show.staff import HOLD_S, PinGate, hash_pin
from tests.helpers.show import THREE, write_show

HASH = hash_pin("2468", salt="testsalt", iterations=1000)
Box = tuple[float, float, float, float]


def inside(box: Box, x: float, y: float) -> bool:
    left, top, width, height = box
    return left <= x < left + width and top <= y < top + height


@dataclass(frozen=True)
class Figure:
    key: str


class FakeSurface:
    """A screen with a few known places: a figure, a next button, a card, a PIN pad."""

    figure = (100.0, 100.0, 200.0, 200.0)
    next_button = (1700.0, 1000.0, 72.0, 72.0)
    card = (400.0, 200.0, 1000.0, 600.0)
    card_close = (1300.0, 220.0, 72.0, 72.0)
    pin_keys = {PinKey("1"): (800.0, 300.0, 100.0, 100.0), PIN_OK: (1000.0, 700.0, 100.0, 100.0)}
    countdown = (64.0, 980.0, 800.0, 84.0)
    counting = False
    """Whether the idle countdown shows (the overlay answers from the show's clock)."""

    def hit_at(self, x: float, y: float, layer: Layer) -> Hit[Figure] | None:
        if layer is Layer.PIN:
            return next((k for k, box in self.pin_keys.items() if inside(box, x, y)), None)
        if layer is Layer.CARD:
            if inside(self.card_close, x, y):
                return CardPart.CLOSE
            return CardPart.BODY if inside(self.card, x, y) else None
        if inside(self.next_button, x, y):
            return Control.NEXT
        if self.counting and inside(self.countdown, x, y):
            return Control.KEEP
        return Element(Figure("tile:gdp")) if inside(self.figure, x, y) else None

    def in_staff_corner(self, x: float, y: float) -> bool:
        return x <= 160 and y <= 160


@pytest.fixture
def show(tmp_path: Path) -> Show:
    return Show(load_deck(write_show(tmp_path / "show", THREE)), now=0.0)


@pytest.fixture
def exits() -> list[str]:
    return []


@pytest.fixture
def controller(show: Show, exits: list[str]) -> Controller[Figure]:
    return Controller(
        show, FakeSurface(), pin_gate=PinGate(HASH), on_staff_exit=lambda: exits.append("exit")
    )


def tap(controller: Controller[Figure], x: float, y: float, now: float) -> None:
    controller.gesture(Press(x, y), now)
    controller.gesture(Tap(x, y), now + 0.1)
    controller.release()


def swipe(controller: Controller[Figure], direction: int, now: float) -> None:
    controller.gesture(Press(900, 900), now)
    controller.gesture(Swipe(direction), now + 0.2)
    controller.release()


def open_pad(controller: Controller[Figure]) -> None:
    controller.gesture(Press(20, 20), 1.0)
    assert not controller.hold(20, 20, HOLD_S - 0.1)
    assert controller.hold(20, 20, HOLD_S)
    assert controller.pin_entry == ""


def test_a_tap_on_a_figure_opens_its_card(controller: Controller[Figure]) -> None:
    opened: list[Figure] = []
    controller.on_card_opened = opened.append
    tap(controller, 150, 150, 1.0)
    assert controller.card == Figure("tile:gdp")
    assert opened == [Figure("tile:gdp")]


@pytest.mark.parametrize("direction", [1, -1])
def test_a_swipe_on_a_card_only_closes_it(
    controller: Controller[Figure], show: Show, direction: int
) -> None:
    tap(controller, 150, 150, 1.0)
    swipe(controller, direction, 2.0)
    assert controller.card is None
    assert show.index == 0
    swipe(controller, direction, 3.0)
    assert show.index == direction % 3


def test_taps_on_a_card(controller: Controller[Figure], show: Show) -> None:
    tap(controller, 150, 150, 1.0)
    tap(controller, 600, 400, 2.0)  # inside: it stays
    assert controller.card is not None
    tap(controller, 1310, 230, 3.0)  # its close button
    assert controller.card is None
    tap(controller, 150, 150, 4.0)
    tap(controller, 1710, 1010, 5.0)  # outside, on "next": only closes the card
    assert controller.card is None
    assert show.index == 0


def test_a_slide_change_or_the_idle_reset_closes_the_card(
    controller: Controller[Figure], show: Show
) -> None:
    tap(controller, 150, 150, 1.0)
    show.next(2.0)
    assert controller.card is None
    tap(controller, 150, 150, 3.0)
    show.tick(3.1 + 60)
    assert show.mode is Mode.ATTRACT
    assert controller.card is None


def test_pressed_feedback_follows_what_is_on_top(controller: Controller[Figure]) -> None:
    controller.gesture(Press(1710, 1010), 1.0)
    assert controller.pressed == "next"
    controller.release()
    assert controller.pressed is None
    controller.gesture(Press(150, 150), 2.0)
    assert controller.pressed == Element(Figure("tile:gdp"))
    controller.gesture(Tap(150, 150), 2.1)
    controller.release()
    controller.gesture(Press(1310, 230), 3.0)
    assert controller.pressed == "card-close"
    controller.release()
    controller.gesture(Tap(1310, 230), 3.1)
    open_pad(controller)
    assert controller.pressed is None
    controller.gesture(Press(850, 350), 7.0)
    assert controller.pressed == PinKey("1")


def test_the_hold_opens_the_pad_only_in_the_corner_and_with_a_pin(
    show: Show, controller: Controller[Figure]
) -> None:
    assert not controller.hold(500, 500, HOLD_S * 2)
    without = Controller(show, FakeSurface())
    assert not without.hold(20, 20, HOLD_S * 2)  # no PIN configured: no exit gesture
    tap(controller, 150, 150, 1.0)
    open_pad(controller)
    assert controller.card is None  # the pad replaces the card


@pytest.mark.parametrize(
    "key",
    [*StaffKey, None],
)
def test_no_key_reaches_the_show_behind_the_pad(
    controller: Controller[Figure], show: Show, key: StaffKey | None
) -> None:
    show.go(1, 0.5)
    open_pad(controller)
    assert controller.key(key, 2.0)  # every key stops at the pad
    assert (show.index, show.lang) == (1, "zh")


def test_a_keyboard_enters_the_pin(controller: Controller[Figure], exits: list[str]) -> None:
    open_pad(controller)
    for key in "13579":
        controller.key(StaffKey(key), 2.0)
    controller.key(StaffKey.BACKSPACE, 2.0)
    assert controller.pin_entry == "1357"
    controller.key(StaffKey.ENTER, 2.0)
    assert controller.pin_message == "wrong"
    assert controller.pin_entry == ""
    assert exits == []
    for key in "2468":
        controller.key(StaffKey(key), 3.0)
    controller.key(StaffKey.ENTER, 3.0)
    assert exits == ["exit"]
    assert not controller.pin_open


def test_a_pin_has_at_most_twelve_digits(controller: Controller[Figure]) -> None:
    open_pad(controller)
    for _ in range(20):
        controller.key(StaffKey.DIGIT_7, 2.0)
    assert controller.pin_entry == "7" * 12


def test_escape_closes_the_pad(controller: Controller[Figure], show: Show) -> None:
    open_pad(controller)
    controller.key(StaffKey.DIGIT_4, 2.0)
    assert controller.key(StaffKey.ESCAPE, 2.0)
    assert not controller.pin_open
    assert controller.key(StaffKey.NEXT, 3.0)  # closed: keys reach the show again
    assert show.index == 1


def test_no_touch_reaches_the_show_behind_the_pad(
    controller: Controller[Figure], show: Show, exits: list[str]
) -> None:
    open_pad(controller)
    swipe(controller, 1, 2.0)
    swipe(controller, -1, 3.0)
    controller.gesture(LongPress(850, 350), 4.0)  # a long press on a key is that key
    tap(controller, 850, 350, 5.0)
    assert (show.index, controller.pin_entry) == (0, "11")
    tap(controller, 150, 150, 6.0)  # outside the pad, over a figure: closes the pad only
    assert not controller.pin_open
    assert controller.card is None
    assert exits == []


def test_the_idle_reset_closes_the_pad(controller: Controller[Figure], show: Show) -> None:
    open_pad(controller)
    controller.key(StaffKey.DIGIT_2, 50.0)  # typing keeps staff's visit going
    show.tick(100.0)
    assert controller.pin_entry == "2"
    show.tick(110.0)
    assert show.mode is Mode.ATTRACT
    assert not controller.pin_open


def test_staff_keys_without_the_pad(controller: Controller[Figure], show: Show) -> None:
    # Slide 10 of a three-slide deck wraps to the first.
    assert controller.key(StaffKey.DIGIT_0, 1.0)
    assert show.index == 0
    assert controller.key(StaffKey.DIGIT_3, 1.0)
    assert show.index == 2
    assert controller.key(StaffKey.HOME, 1.0)
    assert show.index == 0
    assert controller.key(StaffKey.LANGUAGE, 1.0)
    assert show.lang == "en"
    assert not controller.key(StaffKey.ESCAPE, 1.0)  # nothing open: the window decides
    assert not controller.key(None, 1.0)
    tap(controller, 150, 150, 2.0)
    assert controller.key(StaffKey.ESCAPE, 3.0)
    assert controller.card is None


def test_the_finger_that_keeps_exploring_does_nothing_else(show: Show) -> None:
    surface = FakeSurface()
    surface.counting = True
    controller: Controller[Figure] = Controller(show, surface)
    show.touch(0.0)
    assert show.idle_warning(55.0) is not None
    controller.gesture(Press(100, 1000), 55.0)  # on the countdown's panel
    controller.gesture(Swipe(1), 55.2)
    assert show.idle_warning(55.2) is None
    assert show.index == 0
    tap(controller, 100, 1000, 56.0)  # the panel is gone: nothing there
    controller.gesture(Press(900, 900), 56.5)
    controller.gesture(Swipe(1), 56.7)
    assert show.index == 1  # the next finger acts again


def test_a_tap_elsewhere_during_the_countdown_just_works(
    controller: Controller[Figure], show: Show
) -> None:
    # The countdown covers nothing of the slide or the navigation.
    show.touch(0.0)
    assert show.idle_warning(55.0) is not None
    tap(controller, 150, 150, 55.0)  # on a figure
    assert controller.card == Figure("tile:gdp")
    assert show.idle_warning(55.2) is None
    controller.card = None
    assert show.idle_warning(110.0) is not None
    tap(controller, 1720, 1020, 110.0)  # next
    assert show.index == 1
    assert show.idle_warning(110.2) is None
