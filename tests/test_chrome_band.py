"""Nothing the kiosk adds covers what a slide shows: its chrome lives in the foot band, its tap
cues sit on a free corner, its cards open beside their element.

Every slide of the bundled deck and of the chart fixtures is rendered alone and settled
(`render_slide`), at 1920x1080, 3840x2160 and 1080x1920, in Chinese and English; its content is
every pixel that differs from the theme's background (the source line in the band's source slot
is the slide's own, and allowed there). Each overlay element of each mode is placed from
`kiosk.ui.chrome`'s geometry, as the overlay places it, and checked against those pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.content.model import SlideBase
from kiosk.content.theme import Theme, load_theme, visitor_theme
from kiosk.content.typeset import plain, typeset
from kiosk.ops.display import DisplaySettings
from kiosk.show.show import Mode
from kiosk.ui import chrome
from kiosk.ui.base import HitTarget
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.overlay import Ink
from kiosk.ui.render import render_slide
from kiosk.ui.slides import create_view
from kiosk.ui.window import KioskWindow
from tests.helpers.show import BASE_FILES, BUNDLED, write_show
from tests.helpers.touch import tap
from tests.helpers.windows import settle_on, shown_window

CHARTS = Path(__file__).parent / "fixtures" / "charts"
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
LANGS = ("zh", "en")
MODES = {
    "normal": {},
    "larger": {"larger": True},
    "contrast": {"contrast": True},
    "larger-contrast": {"larger": True, "contrast": True},
}
"""The visitor's access modes (larger text, high contrast), each a `visitor_theme`."""
CONTENT_CONTRAST = 6
"""A pixel this far from the background (in any of R, G, B) is content: the faintest thing a
slide draws (a panel's fill) is about 12 away; the welcome slide's dithered sky is within 2."""


@cache
def decks() -> tuple[tuple[str, Deck], ...]:
    return (("bundled", load_deck(BUNDLED)), ("charts", load_deck(CHARTS)))


@dataclass(frozen=True)
class Rendered:
    """One slide settled at one size and language: what it draws and what can be tapped."""

    name: str
    deck: Deck
    slide: SlideBase
    grid: Grid
    lang: str
    image: QImage
    backdrop: QImage
    targets: list[HitTarget]

    def content(self) -> Ink:
        """The slide's content: everything it draws over its own backdrop (the theme's
        background, the band's hairline, a title slide's full-bleed art), but its source
        line in its slot."""
        drawn = Ink(self.image, self.backdrop, CONTENT_CONTRAST)
        return drawn.without(self.grid.source_rect.adjusted(0, 2, 0, 0))


def targets_of(
    deck: Deck, slide: SlideBase, size: tuple[int, int], lang: str, theme: Theme
) -> tuple[QImage, list[HitTarget]]:
    """The slide's settled backdrop (what it paints before its content) and its targets."""
    view = create_view(deck, slide, lang=lang, theme=theme)
    try:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*size)
        view.show()
        view.settle()
        backdrop = QImage(size[0], size[1], QImage.Format.Format_RGB32)
        painter = QPainter(backdrop)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.paint_background(painter, view.grid)
        finally:
            painter.end()
        return backdrop, view.hit_targets()
    finally:
        view.close()
        view.deleteLater()


def rendered(size: tuple[int, int], mode: str = "normal") -> Iterator[Rendered]:
    for folder, deck in decks():
        theme = visitor_theme(deck.settings.theme, **MODES[mode])
        grid = Grid(float(size[0]), float(size[1]), theme)
        for slide in deck.slides:
            for lang in LANGS:
                backdrop, targets = targets_of(deck, slide, size, lang, theme)
                image = render_slide(deck, slide, size, lang, theme=theme)
                yield Rendered(
                    f"{folder}/{slide.id}", deck, slide, grid, lang, image, backdrop, targets
                )


def band_elements(grid: Grid, count: int) -> dict[str, dict[str, QRectF]]:
    """Every element of the chrome, by mode, that is not tied to one element of the slide."""
    gold, sky = chrome.mark_centers(grid)
    return {
        "attract": {"hint": chrome.hint_rect(grid, count)},
        "visitor": {str(b.key): b.rect for b in chrome.nav_buttons(grid, count)},
        "countdown": {
            "countdown": chrome.countdown_rect(grid, count),
            "keep": chrome.keep_rect(grid, count),
        },
        "notice": {
            "content errors": chrome.message_rect(grid, count),
            "content-error mark": chrome.mark_rect(grid, gold),
            "notice mark": chrome.mark_rect(grid, sky),
        },
    }


def r(rect: QRectF) -> str:
    return "({:.0f}, {:.0f}, {:.0f}, {:.0f})".format(*rect.getRect())


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_overlay_element_covers_slide_content(
    qapp: object, size: tuple[int, int], mode: str
) -> None:
    problems: list[str] = []
    for shot in rendered(size, mode):
        grid = shot.grid
        where = f"{shot.name} {size[0]}x{size[1]} {shot.lang} {mode}"
        content = shot.content()
        band = grid.footer.adjusted(0, 2, 0, 0)
        if content(band) > 0:
            problems.append(f"{where}: the slide draws in the band outside its source slot")
        modes = band_elements(grid, len(shot.deck.slides))
        ink = Ink(shot.image, grid.theme.colors.background)
        cues = chrome.cue_rects(grid, shot.targets, ink)
        modes["attract"].update({f"cue {k}": v for k, v in cues.items()})
        modes["visitor"].update({f"cue {k}": v for k, v in cues.items()})
        for mode, elements in modes.items():
            for name, rect in elements.items():
                if name.startswith("cue "):
                    # A cue sits on its element's panel or the background, never on text or
                    # a figure, inside the frame.
                    if ink(rect) > 0 or not grid.frame.contains(rect):
                        problems.append(f"{where} {mode}: {name} at {r(rect)} covers ink")
                elif content(rect) > 0:
                    problems.append(f"{where} {mode}: {name} at {r(rect)} covers content")
        placed = list(cues.values())
        for i, a in enumerate(placed):
            if any(a.intersects(b) for b in placed[i + 1 :]):
                problems.append(f"{where}: two cues overlap at {r(a)}")
        problems += card_problems(grid, shot.deck, shot.targets, shot.lang, where)
    assert not problems, "\n".join(problems)


def card_problems(
    grid: Grid, deck: Deck, targets: list[HitTarget], lang: str, where: str
) -> list[str]:
    """A card opens inside the frame (never on the band), beside its element and off it."""
    problems = []
    theme: Theme = grid.theme
    frame = grid.frame.adjusted(-0.5, -0.5, 0.5, 0.5)
    for target in targets:
        layout = chrome.card_layout(grid, theme, target, lang, deck.settings.glossary)
        name = f"{where} card of {target.key} at {r(layout.rect)}"
        if not frame.contains(layout.rect):
            problems.append(f"{name}: not inside the frame {r(grid.frame)}")
        if layout.rect.intersects(grid.footer):
            problems.append(f"{name}: covers the band")
        if layout.rect.intersects(layout.ring) or layout.rect.intersects(target.rect):
            problems.append(f"{name}: covers its element {r(target.rect)}")
        if not layout.rect.contains(layout.close):
            problems.append(f"{name}: its close button is outside it")
        if target.title is not None and layout.title != typeset(
            target.title.get(lang), lang, deck.settings.glossary
        ):
            problems.append(f"{name}: does not show the element's own title")
    return problems


@pytest.mark.parametrize("size", [*SIZES, (1280, 720), (720, 1280)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_band_s_slots_fit_at_every_size(size: tuple[int, int]) -> None:
    grid = Grid(float(size[0]), float(size[1]), load_theme())
    band = grid.footer
    slots = {"source": grid.source_rect, "notice": grid.notice_rect, "nav": grid.nav_rect}
    for name, slot in slots.items():
        assert band.adjusted(-0.5, -0.5, 0.5, 0.5).contains(slot), name
        assert slot.width() > grid.px(200), name
    names = list(slots)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            overlap = slots[a].intersected(slots[b])
            assert overlap.isEmpty() or overlap.width() < 0.5, (a, b)
    assert grid.frame.bottom() <= band.top() + 0.01
    count = len(load_deck(BUNDLED).slides)
    nav = grid.nav_rect.adjusted(-0.5, -0.5, 0.5, 0.5)
    for button in chrome.nav_buttons(grid, count):
        assert nav.contains(button.rect), button.key
    hint = chrome.hint_rect(grid, count)
    assert grid.notice_rect.adjusted(-0.5, -0.5, 0.5, 0.5).contains(hint)
    assert hint.height() >= grid.px(60)
    keep = chrome.keep_rect(grid, count)
    assert chrome.countdown_rect(grid, count).contains(keep)
    assert min(keep.width(), keep.height()) >= grid.touch - 0.5


# -- the live window ------------------------------------------------------------------------------


def _drawn(window: KioskWindow) -> list[tuple[str, QRectF]]:
    texts: list[tuple[str, QRectF]] = []
    with observe_text(lambda text, lines, box: texts.append((plain(text), box))):
        window.overlay.grab()
    return texts


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("zh", "触摸屏幕，开始探索", "Touch to explore"),
        ("en", "Touch to explore", "触摸屏幕，开始探索"),
    ],
)
def test_the_attract_hint_speaks_both_languages_in_the_band(
    qtbot: QtBot, lang: str, first: str, second: str
) -> None:
    with shown_window(
        qtbot, load_deck(BUNDLED), DisplaySettings(lang=lang), size=(1920, 1080)
    ) as window:
        assert window.show_state.mode is Mode.ATTRACT
        drawn = dict(_drawn(window))
        assert first in drawn
        assert second in drawn
        assert drawn[first].top() < drawn[second].top()  # the current language leads
        band = window.overlay.grid.footer
        assert band.contains(drawn[first])
        assert band.contains(drawn[second])


def test_the_countdown_dims_nothing_and_sits_in_the_band(qtbot: QtBot) -> None:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as window:
        settle_on(window, "at-a-glance")
        slide = window.stage.view.grab().toImage()
        idle = window.show_state.idle_reset_at()
        assert idle is not None
        window.clock.now = idle - 5  # type: ignore[attr-defined]
        window.tick()
        shown = window.grab().toImage()
        grid = window.overlay.grid
        frame = grid.frame.toAlignedRect()
        # Above the band the screen is the slide itself, cues aside: no veil.
        cues = [
            c.toAlignedRect().adjusted(-2, -2, 2, 2) for c in window.overlay.cue_rects().values()
        ]
        for y in range(frame.top(), frame.bottom(), 37):
            for x in range(frame.left(), frame.right(), 41):
                if not any(c.contains(x, y) for c in cues):
                    assert shown.pixel(x, y) == slide.pixel(x, y), (x, y)
        texts = [text for text, box in _drawn(window) if grid.footer.contains(box)]
        assert "继续探索" in texts
        assert any(text.endswith("秒后回到开始") for text in texts)


def test_an_open_card_keeps_its_element_bright(qtbot: QtBot) -> None:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as window:
        settle_on(window, "at-a-glance")
        slide = window.stage.view.grab().toImage()
        target = window.stage.view.hit_targets()[1]
        window.visitor.card = target
        shown = window.grab().toImage()
        layout = window.overlay.card_layout()
        assert layout is not None
        # The element shows as it is on the slide (its cue aside): the veil has a hole there.
        inside = target.rect.adjusted(10, 10, -10, -10).toAlignedRect()
        cue = window.overlay.cue_rects()[target.key].toAlignedRect().adjusted(-2, -2, 2, 2)
        for y in range(inside.top(), inside.bottom(), 23):
            for x in range(inside.left(), inside.right(), 29):
                if not cue.contains(x, y):
                    assert shown.pixel(x, y) == slide.pixel(x, y), (x, y)
        # The rest is veiled: the heading's brightest pixel is dimmer than on the slide.
        m = round(window.overlay.grid.margin)
        assert brightest(shown, QRect(m, m, 300, 60)) < brightest(slide, QRect(m, m, 300, 60)) - 60
        titles = [text for text, box in _drawn(window) if layout.rect.contains(box)]
        assert plain(layout.title) in titles


def brightest(image: QImage, rect: QRect) -> int:
    return max(
        QColor(image.pixel(x, y)).lightness()
        for y in range(rect.top(), rect.bottom(), 2)
        for x in range(rect.left(), rect.right(), 2)
    )


def test_a_cue_beside_its_element_opens_the_element_s_card(qtbot: QtBot) -> None:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as window:
        settle_on(window, "open-platforms")
        cues = window.overlay.cue_rects()
        targets = window.stage.view.hit_targets()
        beside = [t for t in targets if not t.rect.intersects(cues[t.key])]
        assert beside  # the diagram's pills have no free corner of their own
        for target in beside:
            point = cues[target.key].center().toPoint()
            tap(window, point)
            assert window.card == target
            tap(window, QPoint(5, 5))
            assert window.card is None


@pytest.mark.parametrize("reduce_motion", [False, True])
def test_the_hint_breathes_unless_motion_is_reduced(
    qtbot: QtBot, tmp_path: Path, reduce_motion: bool
) -> None:
    deck_file = BASE_FILES["deck.yaml"].replace(
        "  idle_timeout: 45\n",
        f"  idle_timeout: 45\n  reduce_motion: {str(reduce_motion).lower()}\n",
    )
    deck = load_deck(write_show(tmp_path / "show", {"deck.yaml": deck_file}))
    with shown_window(qtbot, deck, size=(1920, 1080)) as window:
        hint = window.overlay.hint_rect().toAlignedRect()
        frames = []
        for _ in range(2):
            frames.append(window.grab(hint).toImage())
            window.clock.now += 0.75  # type: ignore[attr-defined]
        assert (frames[0] == frames[1]) is reduce_motion
