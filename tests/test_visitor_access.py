"""The visitor's access controls: listen, larger text, high contrast; through real touches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.content.model import SlideBase, Text
from kiosk.content.theme import LARGER_TEXT, load_theme
from kiosk.show.clock import ManualClock
from kiosk.show.hits import Control
from kiosk.show.show import Access, Mode, Show
from kiosk.ui import chrome
from kiosk.ui.draw.grid import Grid
from kiosk.ui.listening import LISTEN_WAIT_S
from kiosk.ui.window import KioskWindow
from tests.helpers.show import BUNDLED, TITLES, write_show
from tests.helpers.touch import center, tap
from tests.helpers.windows import settle_on, shown_window


@dataclass
class FakeSpeaker:
    """A speaker that records what it was asked; `ready` says whether audio is made yet."""

    ready: bool = True
    said: list[tuple[str, str]] = field(default_factory=list)
    decks: list[str] = field(default_factory=list)
    playing: bool = False
    stops: int = 0
    closed: bool = False

    @property
    def speaking(self) -> bool:
        return self.playing

    @property
    def prepared(self) -> bool:
        return self.ready

    def prepare(self, deck: Deck) -> None:
        self.decks.append(deck.revision)

    def speak_slide(self, deck: Deck, slide: SlideBase, lang: str) -> bool:
        if not self.ready:
            return False
        self.said.append((f"slide:{slide.id}", lang))
        self.playing = True
        return True

    def speak_card(self, title: Text | None, detail: Text, lang: str) -> bool:
        if not self.ready:
            return False
        self.said.append((f"card:{detail.get(lang)[:12]}", lang))
        self.playing = True
        return True

    def stop(self) -> None:
        self.stops += 1
        self.playing = False

    def close(self) -> None:
        self.closed = True


def _advance(window: KioskWindow, seconds: float) -> None:
    window.clock.now += seconds  # type: ignore[attr-defined]
    window.tick()


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show", TITLES))


@pytest.fixture
def speaker() -> FakeSpeaker:
    return FakeSpeaker()


@pytest.fixture
def window(qtbot: QtBot, deck: Deck, speaker: FakeSpeaker) -> Iterator[KioskWindow]:
    with shown_window(qtbot, deck, size=(1920, 1080), speaker=speaker) as win:
        yield win


# -- the rules, without Qt ------------------------------------------------------------------


def test_access_holds_for_the_visit_and_the_idle_reset_puts_it_back(deck: Deck) -> None:
    show = Show(deck, now=0.0)
    changes: list[str] = []
    show.subscribe(lambda change: changes.append(change.kind))
    show.toggle_larger(1.0)
    show.toggle_contrast(2.0)
    assert show.access == Access(larger=True, contrast=True)
    assert show.mode is Mode.VISITOR
    assert changes.count("access") == 2
    show.next(3.0)
    assert show.access == Access(larger=True, contrast=True)  # it holds on every slide
    show.toggle_larger(4.0)
    assert show.access == Access(contrast=True)
    show.tick(4.0 + deck.settings.loop.idle_timeout)
    assert show.mode is Mode.ATTRACT
    assert show.access == Access()
    assert changes.count("access") == 4


def test_the_access_controls_start_the_band_and_keep_clear_of_the_rest() -> None:
    for size in ((1920, 1080), (3840, 2160), (1080, 1920)):
        grid = Grid(*size, load_theme())
        buttons = chrome.controls(grid, 13)
        keys = [b.key for b in buttons]
        assert keys[:3] == [Control.LISTEN, Control.LARGER, Control.CONTRAST]
        band = grid.footer
        for button in buttons:
            assert band.contains(button.rect), (size, button.key)
        for a in buttons[:3]:
            assert not a.rect.intersects(grid.source_rect), size
            assert not a.rect.intersects(grid.notice_rect), size
            for b in buttons[3:]:
                assert not a.rect.intersects(b.rect), (size, a.key, b.key)


def test_on_a_portrait_screen_mounted_high_the_access_controls_come_down() -> None:
    grid = Grid(1080, 1920, load_theme())
    upper = chrome.controls(grid, 13)
    assert upper[0].rect.top() < grid.nav_rect.top()  # the upper row, where there is room
    reach = grid.nav_rect.top()  # the hall's reach line passes between the rows
    lowered = chrome.controls(grid, 13, reach)
    assert [b.key for b in lowered] == [b.key for b in upper]
    for button in lowered:
        assert button.rect.top() >= reach, button.key
    for a, b in zip(lowered, lowered[1:], strict=False):
        assert a.rect.right() <= b.rect.left() + 0.5, (a.key, b.key)
    # Landscape has one row: nothing to move, and a reach line changes nothing.
    wide = Grid(1920, 1080, load_theme())
    assert [b.rect for b in chrome.controls(wide, 13, 2000.0)] == [
        b.rect for b in chrome.controls(wide, 13)
    ]


# -- larger text and high contrast -----------------------------------------------------------


def test_larger_text_and_contrast_repaint_the_slide_and_the_chrome(window: KioskWindow) -> None:
    plain = window.stage.theme
    tap(window, center(window, Control.LARGER))
    assert window.show_state.access.larger
    assert window.status()["access"] == {"larger": True, "contrast": False}
    assert window.stage.view.theme.type.body == pytest.approx(plain.type.body * LARGER_TEXT)
    assert window.overlay.theme is window.stage.theme
    tap(window, center(window, Control.CONTRAST))
    contrast = window.stage.view.theme
    assert contrast.motion.calm
    assert contrast.colors.background != plain.colors.background
    assert contrast.type.body == pytest.approx(plain.type.body * LARGER_TEXT)
    image = window.grab().toImage()
    corner = image.pixelColor(window.width() // 2, window.height() // 3)
    assert corner.name().upper() == contrast.colors.background.upper()
    # Calm: the next slide comes at once, settled, with no transition.
    tap(window, center(window, "next"))
    assert window.stage.transition is None
    assert window.stage.view.is_settled() or window.stage.view.calm


def test_the_idle_reset_brings_back_the_decks_own_screen(window: KioskWindow) -> None:
    plain = window.stage.theme
    tap(window, center(window, Control.LARGER))
    tap(window, center(window, Control.CONTRAST))
    _advance(window, window.show_state.deck.settings.loop.idle_timeout + 1)
    assert window.show_state.mode is Mode.ATTRACT
    assert window.stage.theme == plain
    assert window.stage.view.theme == plain
    assert window.overlay.theme == plain


# -- listening -------------------------------------------------------------------------------


def test_listen_speaks_the_slide_and_a_second_tap_stops_it(
    window: KioskWindow, speaker: FakeSpeaker
) -> None:
    tap(window, center(window, Control.LISTEN))
    slide = window.show_state.deck.slides[0].id
    assert speaker.said == [(f"slide:{slide}", window.show_state.lang)]
    assert window.overlay.speaking()
    assert window.status()["narration"] == "speaking"
    tap(window, center(window, Control.LISTEN))
    assert not speaker.playing
    assert window.status()["narration"] == "ready"
    assert not window.overlay.speaking()
    assert len(speaker.said) == 1


@pytest.mark.parametrize("how", ["next", "lang", "swipe", "idle"])
def test_a_slide_or_language_change_stops_the_speech(
    window: KioskWindow, speaker: FakeSpeaker, how: str
) -> None:
    tap(window, center(window, Control.LISTEN))
    assert speaker.playing
    if how == "swipe":
        window.show_state.next(window.clock())
    elif how == "idle":
        _advance(window, window.show_state.deck.settings.loop.idle_timeout + 1)
    else:
        tap(window, center(window, how))
    assert not speaker.playing
    assert speaker.stops >= 1
    assert len(speaker.said) == 1  # nothing else started by itself


def test_listen_on_an_open_card_speaks_the_card_and_closing_it_stops(
    qtbot: QtBot, speaker: FakeSpeaker
) -> None:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080), speaker=speaker) as win:
        settle_on(win, "at-a-glance")
        target = win.stage.view.hit_targets()[0]
        tap(win, target.rect.center().toPoint())
        assert win.card == target
        tap(win, center(win, Control.LISTEN))
        assert win.card == target  # the band's listen control leaves the card open
        assert speaker.said
        assert speaker.said[-1][0].startswith("card:")
        assert speaker.playing
        tap(win, QPoint(5, win.height() // 2))  # outside the card: it closes
        assert win.card is None
        _advance(win, 0.1)
        assert not speaker.playing


def test_audio_not_made_yet_plays_when_it_is_ready_or_not_at_all(
    window: KioskWindow, speaker: FakeSpeaker
) -> None:
    speaker.ready = False
    tap(window, center(window, Control.LISTEN))
    assert speaker.said == []
    assert window.overlay.speaking()  # the control shows the request
    speaker.ready = True
    _advance(window, 0.25)
    assert len(speaker.said) == 1
    speaker.stop()
    speaker.ready = False
    tap(window, center(window, Control.LISTEN))
    _advance(window, LISTEN_WAIT_S + 1)
    assert speaker.said[1:] == []
    assert not window.overlay.speaking()  # given up: the control is off again


def test_the_loop_is_silent_unless_the_configuration_lets_it_speak(
    qtbot: QtBot, deck: Deck
) -> None:
    quiet, loud = FakeSpeaker(), FakeSpeaker()
    clock = ManualClock(1000.0)
    with shown_window(qtbot, deck, speaker=quiet, clock=clock) as win:
        _advance(win, deck.duration(deck.slides[0]) + 0.1)
        assert win.show_state.index == 1
        assert quiet.said == []
    with shown_window(qtbot, deck, speaker=loud, narrate_loop=True) as win:
        _advance(win, deck.duration(deck.slides[0]) + 0.1)
        assert loud.said == [(f"slide:{deck.slides[1].id}", win.show_state.lang)]


def test_the_speaker_prepares_every_deck_and_is_closed_with_the_window(
    qtbot: QtBot, deck: Deck, speaker: FakeSpeaker
) -> None:
    with shown_window(qtbot, deck, speaker=speaker) as win:
        assert speaker.decks == [deck.revision]
        win.close()
    assert speaker.closed


@pytest.mark.parametrize(
    ("status", "line"),
    [
        ({}, None),
        ({"narration": "ready", "access": {"larger": False, "contrast": False}}, "narration ready"),
        (
            {"narration": "speaking", "access": {"larger": True, "contrast": True}},
            "narration speaking; the visitor asked for larger text and high contrast",
        ),
        ({"access": {"contrast": True}}, "the visitor asked for high contrast"),
        ({"narration": 3, "access": "nonsense"}, None),
    ],
)
def test_kiosk_status_tells_narration_and_what_the_visitor_asked_for(
    status: dict[str, object], line: str | None
) -> None:
    from kiosk.ops.fleet import access_line

    assert access_line(status) == line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_card_a_visitor_can_open_is_among_the_scripts_made_ahead(
    qtbot: QtBot, lang: str
) -> None:
    """The narrator makes every card's audio from the deck before anyone asks; the views make
    the cards. A card whose words differ from what the narrator made would never be heard."""
    from kiosk.content.narration import card_script, deck_scripts
    from kiosk.ui.slides import create_view

    deck = load_deck(BUNDLED)
    made = {s.text for s in deck_scripts(deck) if s.lang == lang}
    cards = 0
    for slide in deck.slides:
        view = create_view(deck, slide, lang=lang)
        qtbot.addWidget(view)
        view.resize(1920, 1080)
        view.settle()
        for target in view.hit_targets():
            cards += 1
            assert card_script(target.title, target.detail, lang) in made, (slide.id, target.key)
    assert cards >= 20


def test_the_halls_reach_line_brings_the_controls_down_in_the_running_window(
    qtbot: QtBot, deck: Deck
) -> None:
    from kiosk.content.model.screen import Mounting
    from kiosk.content.physical import reach_line
    from kiosk.ops.display import DisplaySettings

    # A 55-inch portrait totem whose picture starts 1.08 m up: the band's upper row is above
    # a seated visitor's hand (1.2 m), its lower row is not.
    totem = Mounting(resolution="1080x1920", diagonal=55, bottom=1.08)
    display = DisplaySettings(mounting=totem)
    with shown_window(qtbot, deck, display, size=(1080, 1920)) as win:
        reach = reach_line(totem, 1920)
        assert win.overlay.reach == pytest.approx(reach)
        grid = win.overlay.grid
        assert grid.access_rect.top() < reach < grid.nav_rect.top()
        for control in win.overlay.controls():
            assert control.rect.top() >= reach, control.key
        larger = next(c for c in win.overlay.controls() if c.key is Control.LARGER)
        point = larger.rect.center()
        assert win.overlay.hit_at(point.x(), point.y()) is Control.LARGER  # answers there
    with shown_window(qtbot, deck, size=(1080, 1920)) as win:
        assert win.overlay.reach is None  # no hall known: the upper row, where there is room
        assert win.overlay.controls()[0].rect.top() < win.overlay.grid.nav_rect.top()


def test_a_screen_hung_too_high_is_told_to_the_installer(
    qtbot: QtBot, deck: Deck, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.content.model.screen import Mounting
    from kiosk.ops.display import DisplaySettings

    high = DisplaySettings(mounting=Mounting(resolution="1920x1080", diagonal=55, bottom=1.3))
    with (
        caplog.at_level("WARNING", logger="kiosk.ui.window"),
        shown_window(qtbot, deck, high, size=(1920, 1080)) as win,
    ):
        every = len(win.overlay.controls())
    told = [r.getMessage() for r in caplog.records if "reach line" in r.getMessage()]
    assert len(told) == 1  # once, not at every resize or frame
    assert told[0].startswith(f"{every} controls are above the reach line")


def test_listening_is_recorded_as_a_visitors_use_of_the_control(
    qtbot: QtBot, deck: Deck, speaker: FakeSpeaker, tmp_path: Path
) -> None:
    import contextlib
    import sqlite3

    from kiosk.analytics.recorder import Recorder

    clock = ManualClock(1000.0)
    db = tmp_path / "analytics.sqlite3"
    recorder = Recorder(db, wall_clock=lambda: 1_800_000_000 + clock.now)
    try:
        with shown_window(
            qtbot, deck, size=(1920, 1080), clock=clock, analytics=recorder, speaker=speaker
        ) as win:
            tap(win, center(win, Control.LISTEN))  # on
            _advance(win, 1)
            tap(win, center(win, Control.LISTEN))  # off again
            _advance(win, 1)
            tap(win, center(win, Control.LISTEN))  # on; a slide change stops it by itself
            tap(win, center(win, "next"))
        assert recorder.flush()
    finally:
        recorder.close()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT feature, switched_on FROM access ORDER BY t, id").fetchall()
    assert rows == [("listen", 1), ("listen", 0), ("listen", 1)]


@pytest.mark.parametrize("mode", ["plain", "larger-contrast"])
def test_cues_placed_on_the_live_slide_are_where_a_settled_copy_puts_them(
    qtbot: QtBot, mode: str
) -> None:
    """A settled live slide lends its own picture to place its cues (no second copy is
    built); the places are the same as on the copy."""
    deck = load_deck(BUNDLED)
    with shown_window(qtbot, deck, size=(1920, 1080)) as win:
        if mode != "plain":
            win.show_state.toggle_larger(win.clock())
            win.show_state.toggle_contrast(win.clock())
        for slide in deck.slides:
            settle_on(win, slide.id)
            assert win._settled_picture() is not None, slide.id
            live = win.overlay.cue_rects()
            settled = win.overlay.settled
            win.overlay.settled = lambda: None
            win.overlay._cue_cache = None
            try:
                copied = win.overlay.cue_rects()
            finally:
                win.overlay.settled = settled
                win.overlay._cue_cache = None
            assert live == copied, slide.id


def test_an_open_card_dims_the_band_but_not_the_listen_control(qtbot: QtBot) -> None:
    """With a card open, listen is the one control that still does something (it speaks the
    card): it stays as bright as it was, the rest of the band dims with the slide."""

    def brightest(win: KioskWindow, key: Control) -> int:
        rect = next(c.rect for c in win.overlay.controls() if c.key is key).toRect()
        image = win.grab().toImage()
        return max(
            max(image.pixelColor(x, y).getRgb()[:3])
            for x in range(rect.left(), rect.right(), 2)
            for y in range(rect.top(), rect.bottom(), 2)
        )

    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as win:
        settle_on(win, "at-a-glance")
        listen, lang = brightest(win, Control.LISTEN), brightest(win, Control.LANG)
        tap(win, win.stage.view.hit_targets()[0].rect.center().toPoint())
        assert win.card is not None
        assert brightest(win, Control.LISTEN) >= listen - 2
        assert brightest(win, Control.LANG) < lang * 0.7
