"""Visitors' touches and clicks through the real event path (QTest.touchEvent, mouse clicks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.show.hits import Dot
from kiosk.show.show import Mode
from kiosk.ui.window import KioskWindow
from tests.helpers.show import BUNDLED, TITLES, write_show
from tests.helpers.touch import center, swipe, tap, touch_device
from tests.helpers.windows import settle_on, shown_window


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show", TITLES))


@pytest.fixture
def window(qtbot: QtBot, deck: Deck) -> Iterator[KioskWindow]:
    with shown_window(qtbot, deck, size=(1920, 1080)) as win:
        yield win


def test_tapping_next_and_previous(window: KioskWindow) -> None:
    tap(window, center(window, "next"))
    assert window.show_state.index == 1
    assert window.show_state.mode is Mode.VISITOR
    window.clock.now += 1  # type: ignore[attr-defined]
    tap(window, center(window, "prev"))
    assert window.show_state.index == 0


def test_progress_dots_home_and_language(window: KioskWindow) -> None:
    tap(window, center(window, Dot(2)))
    assert window.show_state.index == 2
    tap(window, center(window, "home"))
    assert window.show_state.index == 0
    tap(window, center(window, "lang"))
    assert window.show_state.lang == "en"
    assert window.stage.view.lang == "en"


def test_swipe_left_goes_forward_and_is_not_a_tap(window: KioskWindow) -> None:
    swipe(window, QPoint(1400, 500), QPoint(700, 520))
    assert window.show_state.index == 1
    swipe(window, QPoint(500, 500), QPoint(1300, 500))
    assert window.show_state.index == 0


def test_press_shows_feedback_in_the_next_frame(window: KioskWindow) -> None:
    point = QPoint(900, 400)
    QTest.touchEvent(window.overlay, touch_device()).press(0, point)
    assert window.visitor.ripples
    assert window.timer.interval() == 16
    image = window.grab().toImage()
    teal = image.pixelColor(point.x() + 10, point.y())  # inside the ripple
    background = window.stage.view.grab().toImage().pixelColor(point.x() + 10, point.y())
    assert teal != background
    QTest.touchEvent(window.overlay, touch_device()).release(0, point)


def test_second_finger_does_not_confuse_it(window: KioskWindow) -> None:
    next_button = center(window, "next")
    seq = QTest.touchEvent(window.overlay, touch_device())
    seq.press(0, QPoint(300, 300)).press(1, next_button).commit()
    window.clock.now += 0.05  # type: ignore[attr-defined]
    QTest.touchEvent(window.overlay, touch_device()).stationary(0).release(1, next_button)
    assert window.show_state.index == 0  # the second visitor's finger was ignored
    QTest.touchEvent(window.overlay, touch_device()).release(0, QPoint(300, 300))
    assert window.show_state.index == 0


def test_mouse_clicks_work_too(window: KioskWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(window.overlay, Qt.MouseButton.LeftButton, pos=center(window, "next"))
    assert window.show_state.index == 1


def test_idle_reset_closes_everything(window: KioskWindow) -> None:
    tap(window, center(window, "lang"))
    tap(window, center(window, "next"))
    assert window.show_state.idle_warning(window.clock() + 55) is not None
    window.clock.now += 61  # type: ignore[attr-defined]
    window.tick()
    assert window.show_state.mode is Mode.ATTRACT
    assert (window.show_state.index, window.show_state.lang) == (0, "zh")


@pytest.fixture
def bundled_window(qtbot: QtBot) -> Iterator[KioskWindow]:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as win:
        yield win


@pytest.mark.parametrize("slide_id", ["at-a-glance", "milestones", "industries", "open-platforms"])
def test_tapping_an_element_opens_its_card(bundled_window: KioskWindow, slide_id: str) -> None:
    window = bundled_window
    settle_on(window, slide_id)
    targets = window.stage.view.hit_targets()
    assert targets
    tap(window, targets[0].rect.center().toPoint())
    assert window.card == targets[0]
    # A tap inside the card keeps it; outside closes it.
    tap(window, window.overlay.card_rect().center().toPoint())
    assert window.card is not None
    tap(window, QPoint(10, 10))
    assert window.card is None
    tap(window, targets[-1].rect.center().toPoint())
    assert window.card == targets[-1]
    tap(window, window.overlay.card_close_rect().center().toPoint())
    assert window.card is None


@pytest.mark.parametrize(("start", "end"), [((1500, 300), (600, 300)), ((600, 800), (1500, 800))])
def test_a_swipe_on_a_card_only_closes_it(
    bundled_window: KioskWindow, start: tuple[int, int], end: tuple[int, int]
) -> None:
    # Found driving the real window through X11: the swipe closed the card and changed slide.
    window = bundled_window
    settle_on(window, "at-a-glance")
    index = window.show_state.index
    tap(window, window.stage.view.hit_targets()[0].rect.center().toPoint())
    assert window.card is not None
    swipe(window, QPoint(*start), QPoint(*end))
    assert window.card is None
    assert window.show_state.index == index
    swipe(window, QPoint(*start), QPoint(*end))  # with the card gone, a swipe navigates
    assert window.show_state.index != index


def test_escape_closes_a_card_not_the_window(bundled_window: KioskWindow) -> None:
    window = bundled_window
    settle_on(window, "at-a-glance")
    tap(window, window.stage.view.hit_targets()[0].rect.center().toPoint())
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.card is None
    assert window.isVisible()


def _countdown(window: KioskWindow) -> None:
    idle = window.show_state.idle_reset_at()
    assert idle is not None
    window.clock.now = idle - 5  # type: ignore[attr-defined]
    window.tick()
    assert window.show_state.idle_warning(window.clock()) is not None


def test_keep_exploring_keeps_the_visit_and_does_nothing_else(bundled_window: KioskWindow) -> None:
    window = bundled_window
    settle_on(window, "at-a-glance")
    index = window.show_state.index
    _countdown(window)
    keep = window.overlay.keep_rect()
    assert window.overlay.countdown_rect().contains(keep)
    assert window.overlay.grid.footer.contains(keep)  # in the band, over nothing of the slide
    tap(window, keep.center().toPoint())
    assert window.card is None
    assert window.show_state.idle_warning(window.clock()) is None
    assert (window.show_state.mode, window.show_state.index) == (Mode.VISITOR, index)


def test_during_the_countdown_the_slide_and_the_navigation_just_work(
    bundled_window: KioskWindow,
) -> None:
    # The countdown covers nothing: a tap on a figure opens its card at once (and, like every
    # touch, keeps the visit); the navigation answers too.
    window = bundled_window
    settle_on(window, "at-a-glance")
    _countdown(window)
    target = window.stage.view.hit_targets()[0]
    tap(window, target.rect.center().toPoint())
    assert window.card == target
    assert window.show_state.idle_warning(window.clock()) is None
    tap(window, QPoint(10, 10))
    index = window.show_state.index
    _countdown(window)
    tap(window, center(window, "next"))
    assert window.show_state.index == index + 1
    assert window.show_state.idle_warning(window.clock()) is None


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
def test_controls_are_at_least_9_mm_and_inside(qtbot: QtBot, size: tuple[int, int]) -> None:
    from PySide6.QtGui import QGuiApplication

    # The bundled deck's 13 slides: 13 dots.
    with shown_window(qtbot, load_deck(BUNDLED), size=size) as win:
        mm = 25.4 / QGuiApplication.primaryScreen().physicalDotsPerInch()
        controls = win.overlay.controls()
        for control in controls:
            assert control.rect.width() * mm >= 9, control.key
            assert control.rect.height() * mm >= 9, control.key
            assert win.rect().toRectF().contains(control.rect), control.key
        for a, b in zip(controls, controls[1:], strict=False):
            intersection = a.rect.intersected(b.rect)
            assert not intersection.isValid() or intersection.width() < 1
