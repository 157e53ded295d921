"""The show's rules, driven by an injected clock: no Qt, no waiting."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.content.loader import Deck, load_deck
from kiosk.show.show import Change, Mode, Show
from tests.helpers.show import THREE, write_show


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show", THREE))


def test_attract_loop_advances_by_each_slides_duration(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    seen: list[Change] = []
    show.subscribe(seen.append)
    show.tick(9.99)
    assert show.index == 0
    show.tick(10.0)
    assert show.index == 1
    show.tick(17.49)
    assert show.index == 1
    show.tick(17.5)
    assert show.index == 2
    show.tick(27.5)
    assert show.index == 0  # wraps around
    assert [c.kind for c in seen] == ["slide", "slide", "slide"]
    assert all(c.direction == 1 for c in seen)


def test_first_touch_hands_control_to_the_visitor(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    show.touch(3.0)
    assert show.mode is Mode.VISITOR
    show.tick(100.0 - 37.1)  # the loop does not advance while a visitor is in control
    assert show.index == 0


def test_navigation_wraps(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    show.previous(1.0)
    assert show.index == 2
    show.next(2.0)
    assert show.index == 0
    show.go(4, 3.0)
    assert show.index == 1
    show.home(4.0)
    assert show.index == 0


def test_idle_timeout_resets_language_and_slide(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    show.next(5.0)
    show.set_language("en", 6.0)
    assert show.idle_warning(55.0) is None
    assert show.idle_warning(57.0) == pytest.approx(9.0)
    show.tick(65.9)
    assert show.mode is Mode.VISITOR
    show.tick(66.0)
    assert (show.mode, show.index, show.lang) == (Mode.ATTRACT, 0, "zh")
    show.tick(75.9)
    assert show.index == 0
    show.tick(76.0)
    assert show.index == 1  # the loop runs again from the reset


def test_touch_during_warning_keeps_the_visitor(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    show.touch(0.0)
    show.touch(55.0)  # "keep exploring"
    show.tick(100.0)
    assert show.mode is Mode.VISITOR


def test_thirty_days_of_looping_do_not_drift(deck: Deck) -> None:
    rng = random.Random(7)
    show = Show(deck, now=0.0)
    starts: list[float] = []
    show.subscribe(lambda c: starts.append(show.slide_started))
    now = 0.0
    end = 30 * 24 * 3600.0
    while now < end:
        now += rng.uniform(0.05, 4.0)  # ticks arrive late and irregularly
        show.tick(now)
    cycle = 10 + 7.5 + 10
    cycles = int(end // cycle)
    assert show.advances >= cycles * 3
    # Every slide started exactly on its schedule, however late its tick came.
    assert starts[-1] == pytest.approx((show.advances // 3) * cycle + [0, 10, 17.5][show.index])
    assert now - show.slide_started < 10 + 4.0


def test_a_long_stall_restarts_the_slide_instead_of_racing(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    show.tick(3600.0)
    assert show.index == 1
    assert show.slide_started == 3600.0


def test_replace_deck_keeps_the_place(deck: Deck, tmp_path: Path) -> None:
    show = Show(deck, now=0.0)
    show.go(2, 1.0)
    files = dict(THREE)
    files["deck.yaml"] = files["deck.yaml"].replace(
        "slides/one.yaml, slides/two.yaml, slides/three.yaml",
        "slides/three.yaml, slides/one.yaml",
    )
    smaller = load_deck(write_show(tmp_path / "other", files))
    show.replace_deck(smaller, 2.0)
    assert show.index == 0
    assert smaller.slides[show.index].id == "three"
