"""Visitor analytics recorded through the real window: touches in, `kiosk stats` numbers out.

Assumes the window's wiring: `KioskWindow(source, clock=..., analytics=Recorder(...))` reports the
first slide when it opens (attract), a session on the first touch, every slide change (with the
mode and the language it comes on in), each card opened (slide id and element key), each language
change, the attract loop's wrap to the first slide, and the idle reset
(`session_ended(idle_s=<the idle timeout>)`).
"""

from __future__ import annotations

import calendar
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from kiosk.analytics.recorder import Recorder
from kiosk.analytics.stats import compute_stats
from kiosk.content.loader import Deck, load_deck
from kiosk.show.clock import ManualClock
from kiosk.show.hits import Control
from kiosk.show.show import Mode
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.window import KioskWindow
from tests.helpers.show import write_show
from tests.helpers.touch import center, swipe, tap
from tests.helpers.windows import shown_window

WALL_AT_START = float(calendar.timegm((2026, 5, 1, 2, 0, 0)))
"""The wall clock when the fake monotonic clock reads 1000."""


def advance(window: KioskWindow, seconds: float) -> None:
    window.clock.now += seconds  # type: ignore[attr-defined]
    window.tick()


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    # Slide "one" (a title) and "two" (a bar chart with categories A, B, C); a 10 s loop and a
    # 45 s idle timeout.
    return load_deck(write_show(tmp_path / "show"))


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[tuple[Recorder, ManualClock, Path]]:
    clock = ManualClock(1000.0)
    db = tmp_path / "analytics.sqlite3"
    rec = Recorder(db, wall_clock=lambda: WALL_AT_START + clock.now - 1000.0)
    try:
        yield rec, clock, db
    finally:
        rec.close()


@pytest.fixture
def window(
    qtbot: QtBot, deck: Deck, recorder: tuple[Recorder, ManualClock, Path]
) -> Iterator[KioskWindow]:
    rec, clock, _ = recorder
    with shown_window(qtbot, deck, size=(1920, 1080), clock=clock, analytics=rec) as win:
        yield win


def category_center(window: KioskWindow, key: str) -> QPoint:
    target = next(t for t in window.stage.view.hit_targets() if t.key == key)
    return target.rect.center().toPoint()


def test_a_visit_through_real_touches_is_recorded(
    window: KioskWindow, recorder: tuple[Recorder, ManualClock, Path]
) -> None:
    rec, clock, db = recorder
    assert clock.now == 1000.0
    # The attract loop: one -> two -> one (a full cycle).
    advance(window, 10)
    advance(window, 10)
    assert window.show_state.index == 0
    advance(window, 5)  # 1025
    # A visitor: "next" (the first touch starts the session, at 1025; the slide changes on
    # release, 0.08 s later).
    tap(window, center(window, "next"))
    assert window.show_state.mode is Mode.VISITOR
    assert window.show_state.index == 1
    for _ in range(3):  # the transition ends; the chart settles
        advance(window, 1)
    tap(window, category_center(window, "category:1"))  # opens its card at 1028.16
    assert window.card is not None
    advance(window, 2)
    tap(window, QPoint(10, 10))  # closes the card
    assert window.card is None
    tap(window, center(window, "lang"))  # English from 1030.32
    assert window.show_state.lang == "en"
    advance(window, 5)
    tap(window, center(window, "prev"))  # pressed at 1035.32; back on "one" at 1035.40
    assert window.show_state.index == 0
    # Nobody touches: the idle reset (45 s after the last touch) at the next tick, 1081.40.
    advance(window, 46)
    assert window.show_state.mode is Mode.ATTRACT
    assert window.show_state.lang == "zh"
    advance(window, 10)  # the loop goes on: "two" at 1091.40
    assert window.show_state.index == 1
    assert rec.flush()
    assert rec.enabled

    stats = compute_stats([db], None, None).as_json()
    active = 1081.40 - 45 - 1025.0  # the session without the idle wait
    assert stats["sessions"]["count"] == 1
    assert stats["sessions"]["unfinished"] == 0
    assert stats["sessions"]["median_length_s"] == pytest.approx(1081.40 - 1025.0, abs=1e-3)
    assert stats["sessions"]["median_active_s"] == pytest.approx(active, abs=1e-3)
    one, two = stats["slide_views"]["one"], stats["slide_views"]["two"]
    # "one": seen when the visitor touched (0.08 s until "next" took effect), then from
    # 1035.40 to the last touch's idle wait (1081.40 - 45): 1.0 s.
    assert one["views"] == 2
    assert one["median_dwell_s"] == pytest.approx((0.08 + 1.0) / 2, abs=1e-3)
    assert two["views"] == 1
    assert two["median_dwell_s"] == pytest.approx(1035.40 - 1025.08, abs=1e-3)
    # The loop showed "one" at the start, after its wrap and after the reset; "two" twice.
    assert one["attract_views"] == 3
    assert two["attract_views"] == 2  # the second is still on screen (recorded when shown)
    assert stats["cards_opened"] == {"two": {"category:1": 1}}
    zh = (1030.32 - 1025.0) / active
    assert stats["languages"]["zh"] == pytest.approx(zh, abs=1e-3)
    assert stats["languages"]["en"] == pytest.approx(1 - zh, abs=1e-3)
    assert stats["language_switches"] == {"en": 1}  # the reset's return to Chinese is not one
    assert stats["loop_cycles"] == 1
    assert sum(stats["per_hour"]) == 1
    assert sum(stats["per_day"].values()) == 1


def test_staff_keys_and_swipes_count_as_a_visitor_too(
    window: KioskWindow, recorder: tuple[Recorder, ManualClock, Path], qtbot: QtBot
) -> None:
    rec, _, db = recorder
    swipe(window, QPoint(1400, 500), QPoint(700, 520))  # forward
    assert window.show_state.index == 1
    advance(window, 3)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.show_state.index == 0
    advance(window, 3)
    assert rec.flush()
    stats = compute_stats([db], None, None).as_json()
    assert stats["sessions"]["count"] == 1
    assert stats["sessions"]["unfinished"] == 1  # still going
    assert stats["slide_views"]["two"]["views"] == 1
    assert stats["slide_views"]["one"]["views"] == 2  # where the swipe began, and after Home


@pytest.fixture
def bilingual_window(
    qtbot: QtBot, tmp_path: Path, recorder: tuple[Recorder, ManualClock, Path]
) -> Iterator[KioskWindow]:
    # The base show (a title "one", a chart "two"; 10 s a slide) with a loop in zh, then en.
    deck_file = (
        "title: {zh: 测试展, en: Test show}\n"
        "loop: {slide_duration: 10, idle_timeout: 45, languages: [zh, en]}\n"
        "metrics: [metrics.yaml]\nslides: [slides/one.yaml, slides/two.yaml]\n"
    )
    deck = load_deck(write_show(tmp_path / "bilingual", {"deck.yaml": deck_file}))
    rec, clock, _ = recorder
    with shown_window(qtbot, deck, size=(1920, 1080), clock=clock, analytics=rec) as win:
        yield win


def test_the_loop_turns_its_language_on_screen_and_in_the_records(
    bilingual_window: KioskWindow, recorder: tuple[Recorder, ManualClock, Path]
) -> None:
    window = bilingual_window
    rec, _, db = recorder
    advance(window, 10)  # "two", still in Chinese
    for _ in range(3):
        advance(window, 1)
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(text.replace("\u2060", ""))):
        advance(window, 7)  # 1020: the wrap, into English
    assert (window.show_state.index, window.show_state.lang) == (0, "en")
    # The outgoing chart was snapshot as it was, in Chinese; the incoming title built in
    # English: neither was ever drawn in the other language.
    assert {"甲", "Title"} <= set(drawn)  # the chart's first series, the title slide's title
    assert not {"First", "标题"} & set(drawn)
    assert window.stage.view.lang == "en"
    for _ in range(3):
        advance(window, 1)
    assert window.stage.view.lang == "en"
    advance(window, 7)  # 1030: "two" in English
    assert window.stage.view.lang == "en"
    advance(window, 5)  # 1035: a visitor switches to Chinese, then walks away
    tap(window, center(window, "lang"))
    assert window.show_state.lang == "zh"
    advance(window, 46)  # the idle reset: the loop from "one", in Chinese
    assert (window.show_state.mode, window.show_state.index) == (Mode.ATTRACT, 0)
    assert window.show_state.lang == "zh"
    advance(window, 4)
    assert rec.flush()
    views = [
        (slide, mode, lang)
        for slide, mode, lang in rows(db, "SELECT slide_id, mode, lang FROM views ORDER BY t, id")
    ]
    assert views == [
        ("one", "attract", "zh"),
        ("two", "attract", "zh"),
        ("one", "attract", "en"),
        ("two", "attract", "en"),
        ("two", "visitor", "en"),
        ("one", "attract", "zh"),
    ]
    loop = compute_stats([db], None, None).as_json()["loop_languages"]
    # 10 + 10 s in Chinese, 10 + 5 s in English; the view the reset began is still on.
    assert loop == {
        "zh": {
            "views": 3,
            "time_s": pytest.approx(20.0),
            "share": pytest.approx(20 / 35, abs=1e-4),
        },
        "en": {
            "views": 2,
            "time_s": pytest.approx(15.0),
            "share": pytest.approx(15 / 35, abs=1e-4),
        },
    }


def rows(db: Path, sql: str) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def test_the_access_controls_a_visitor_taps_are_recorded(
    window: KioskWindow, recorder: tuple[Recorder, ManualClock, Path]
) -> None:
    rec, _, db = recorder
    tap(window, center(window, Control.LARGER))  # the first touch: a session, larger text on
    assert window.show_state.mode is Mode.VISITOR
    assert window.show_state.access.larger
    advance(window, 2)
    tap(window, center(window, Control.CONTRAST))
    advance(window, 2)
    tap(window, center(window, Control.LARGER))  # and off again
    assert not window.show_state.access.larger
    advance(window, 2)
    assert rec.flush()
    assert rows(db, "SELECT feature, switched_on, session_id FROM access ORDER BY t, id") == [
        ("larger", 1, 1),
        ("contrast", 1, 1),
        ("larger", 0, 1),
    ]
    access = compute_stats([db], None, None).as_json()["access"]
    assert access == {
        "listen": {"sessions": 0, "switched_on": 0, "share": 0.0},
        "larger": {"sessions": 1, "switched_on": 1, "share": 1.0},
        "contrast": {"sessions": 1, "switched_on": 1, "share": 1.0},
    }
