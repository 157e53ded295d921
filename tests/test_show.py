"""The show's rules, driven by an injected clock: no Qt, no waiting."""

from __future__ import annotations

import random
from dataclasses import replace
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


# --- the bilingual loop -----------------------------------------------------------------------


def bilingual(tmp_path: Path, loop: str, slides: int = 3, name: str = "show") -> Deck:
    """THREE's slides (10 s, 7.5 s, 10 s), or the first `slides` of them, with `loop` added."""
    files = dict(THREE)
    listed = ", ".join(f"slides/{n}.yaml" for n in ("one", "two", "three")[:slides])
    files["deck.yaml"] = (
        f"title: T\nloop: {{slide_duration: 10, idle_timeout: 60, {loop}}}\n"
        f"metrics: [metrics.yaml]\nslides: [{listed}]\n"
    )
    if slides < 3:
        files["slides/three.yaml"] = None  # type: ignore[assignment]
    return load_deck(write_show(tmp_path / name, files))


def watch(show: Show, until: float) -> list[tuple[float, int, str]]:
    """What an untouched loop shows up to `until`: (when, slide, language) at each change, the
    show ticked four times a second as the window does while still."""
    seen = [(show.slide_started, show.index, show.lang)]

    def note(change: Change) -> None:
        if change.kind in ("slide", "language"):
            moment = (show.slide_started, show.index, show.lang)
            if seen[-1][0] == moment[0]:
                seen[-1] = moment  # the slide and its language change at the same moment
            else:
                seen.append(moment)

    show.subscribe(note)
    run(show, 0.0, until)
    return seen


def run(show: Show, since: float, until: float) -> None:
    """Tick the show four times a second from `since` to `until`, as the window does."""
    now = since
    while now < until:
        now = min(until, round(now + 0.25, 2))
        show.tick(now)


def test_an_untouched_loop_plays_each_cycle_in_the_next_language(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    assert show.lang == "zh"
    assert watch(show, 85.0) == [
        (0.0, 0, "zh"),
        (10.0, 1, "zh"),
        (17.5, 2, "zh"),
        (27.5, 0, "en"),
        (37.5, 1, "en"),
        (45.0, 2, "en"),
        (55.0, 0, "zh"),
        (65.0, 1, "zh"),
        (72.5, 2, "zh"),
        (82.5, 0, "en"),
    ]


def test_per_slide_the_language_turns_at_every_slide(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [en, zh], alternate: slide"), now=0.0)
    assert show.lang == "en"  # the loop's first language, not the deck's default
    assert [(i, lang) for _, i, lang in watch(show, 56.0)] == [
        (0, "en"),
        (1, "zh"),
        (2, "en"),
        (0, "zh"),
        (1, "en"),
        (2, "zh"),
        (0, "en"),
    ]


def test_per_slide_an_even_deck_still_shows_every_slide_in_both(tmp_path: Path) -> None:
    # Two slides: strict alternation would show "one" only ever in Chinese. Each new round
    # starts one language on, so the first slide repeats the last one's language at the wrap.
    show = Show(bilingual(tmp_path, "languages: [zh, en], alternate: slide", slides=2), now=0.0)
    assert [(i, lang) for _, i, lang in watch(show, 69.0)] == [
        (0, "zh"),
        (1, "en"),
        (0, "en"),
        (1, "zh"),
        (0, "zh"),
        (1, "en"),
        (0, "en"),
        (1, "zh"),
    ]


def test_a_deck_of_one_slide_still_turns_its_languages(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]", slides=1), now=0.0)
    kinds: list[str] = []
    show.subscribe(lambda c: kinds.append(c.kind))
    assert watch(show, 31.0) == [(0.0, 0, "zh"), (10.0, 0, "en"), (20.0, 0, "zh"), (30.0, 0, "en")]
    # Each turn comes on as the slide again, with its transition, in the new language.
    assert kinds == ["slide", "language"] * 3


def test_the_language_change_follows_the_slide_change(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    seen: list[tuple[str, int, str]] = []
    show.subscribe(lambda c: seen.append((c.kind, c.index, show.lang)))
    show.tick(10.0)
    show.tick(17.5)
    show.tick(27.5)
    # The state is whole before anyone hears: the slide change already sees the new language,
    # so a view builds the incoming slide in it; then the language change is told.
    assert seen == [
        ("slide", 1, "zh"),
        ("slide", 2, "zh"),
        ("slide", 0, "en"),
        ("language", 0, "en"),
    ]


def test_a_visitors_language_holds_until_the_idle_reset(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    run(show, 0.0, 30.0)
    assert (show.index, show.lang) == (0, "en")  # the loop's second cycle
    show.set_language("zh", 31.0)  # a visitor switches
    show.next(40.0)
    for now in range(41, 100):
        show.tick(float(now))
        assert (show.mode, show.lang) == (Mode.VISITOR, "zh")
    show.toggle_language(95.0)
    show.tick(154.9)
    assert (show.mode, show.lang) == (Mode.VISITOR, "en")
    show.tick(155.0)  # the idle reset: the loop from its start, in its first language
    assert (show.mode, show.index, show.lang) == (Mode.ATTRACT, 0, "zh")
    run(show, 155.0, 182.4)
    assert (show.index, show.lang) == (2, "zh")  # a whole cycle in Chinese first
    show.tick(182.5)
    assert (show.index, show.lang) == (0, "en")


def test_the_reset_starts_the_loop_in_its_first_language(tmp_path: Path) -> None:
    deck = bilingual(tmp_path, "languages: [en, zh]")
    show = Show(deck, now=0.0)
    run(show, 0.0, 27.5)
    assert show.lang == "zh"
    show.touch(28.0)
    show.reset(29.0)
    assert (show.index, show.lang, show.loop_round) == (0, "en", 0)


def test_a_starting_language_of_the_loop_is_where_the_loop_begins(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0, lang="en")
    assert [lang for _, _, lang in watch(show, 56.0)] == ["en"] * 3 + ["zh"] * 3 + ["en"]


def test_a_loop_of_one_language_leaves_the_language_alone(tmp_path: Path) -> None:
    # A deck without loop.languages loops in its default language; a starting language (the
    # kiosk's `--lang en`) stays until the first idle reset, as before the loop had languages.
    show = Show(bilingual(tmp_path, "transition: fade"), now=0.0, lang="en")
    assert show.loop_languages == ("zh",)
    assert {lang for _, _, lang in watch(show, 200.0)} == {"en"}
    show.touch(201.0)
    show.tick(261.0)
    assert (show.mode, show.lang) == (Mode.ATTRACT, "zh")


def test_replace_deck_keeps_the_loops_place_and_language(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    run(show, 0.0, 37.5)
    assert (show.index, show.lang) == (1, "en")
    show.replace_deck(bilingual(tmp_path, "languages: [zh, en]", name="same"), 38.0)
    assert (show.index, show.lang) == (1, "en")
    run(show, 38.0, 55.0)
    assert (show.index, show.lang) == (0, "zh")  # the cycle in English ended as it would have


def test_replace_deck_follows_a_loop_that_lost_the_language_on_screen(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    run(show, 0.0, 37.5)
    seen: list[str] = []
    show.subscribe(lambda c: seen.append(c.kind))
    show.replace_deck(bilingual(tmp_path, "languages: [zh]", name="zh"), 38.0)
    assert (show.index, show.lang, seen) == (1, "zh", ["language", "deck"])
    run(show, 38.0, 200.0)
    assert show.lang == "zh"


def test_replace_deck_keeps_a_visitors_language(tmp_path: Path) -> None:
    show = Show(bilingual(tmp_path, "languages: [zh, en]"), now=0.0)
    show.set_language("en", 1.0)
    show.replace_deck(bilingual(tmp_path, "languages: [zh]", name="zh"), 2.0)
    assert (show.mode, show.lang) == (Mode.VISITOR, "en")  # still offered by the deck
    zh = bilingual(tmp_path, "languages: [zh]", name="only")
    only_zh = replace(zh, settings=zh.settings.model_copy(update={"languages": ["zh"]}))
    show.replace_deck(only_zh, 3.0)
    assert (show.mode, show.lang) == (Mode.VISITOR, "zh")  # no longer offered
    show.tick(63.0)
    assert (show.mode, show.index, show.lang) == (Mode.ATTRACT, 0, "zh")


@pytest.mark.parametrize("slides", [1, 2, 3])
@pytest.mark.parametrize("alternate", ["cycle", "slide"])
@pytest.mark.parametrize("order", [("zh", "en"), ("en", "zh")])
def test_two_untouched_rounds_show_every_slide_in_every_language(
    tmp_path: Path, slides: int, alternate: str, order: tuple[str, str]
) -> None:
    loop = f"languages: [{', '.join(order)}], alternate: {alternate}"
    show = Show(bilingual(tmp_path, loop, slides=slides), now=0.0)
    cycle = [10.0, 7.5, 10.0][:slides]
    seen = watch(show, 2 * sum(cycle) - 0.5)  # two whole cycles
    assert len(seen) == 2 * slides
    assert seen[0][1:] == (0, order[0])
    assert {(i, lang) for _, i, lang in seen} == {
        (i, lang) for i in range(slides) for lang in order
    }
    if alternate == "cycle":  # each cycle in one language, the loop's order
        assert [lang for _, _, lang in seen] == [order[0]] * slides + [order[1]] * slides
    else:  # the language turns at every slide but, for an even deck, at the wrap
        turns = [a[2] != b[2] for a, b in zip(seen, seen[1:], strict=False)]
        assert turns == [True] * (slides - 1) + [slides % 2 == 1] + [True] * (slides - 1)
    assert [when for when, _, _ in seen] == pytest.approx(
        [sum(cycle[:i]) + n * sum(cycle) for n in range(2) for i in range(slides)]
    )
