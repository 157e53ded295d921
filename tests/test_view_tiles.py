"""The tiles slide: icon tiles at every size and language, their cards, motion and rules."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, check_folder, load_deck
from kiosk.content.model import TilesSlide
from kiosk.content.theme import Theme, visitor_theme
from kiosk.ui.base import SETTLED
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.slides.tiles import TilesView, tile_columns
from tests.helpers.show import BUNDLED, write_show
from tests.helpers.views import shown_view

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
LANGS = ["zh", "en"]
JOINER = "\u2060"


@pytest.fixture(scope="module")
def deck(qapp: object) -> Deck:
    load_fonts()
    return load_deck(BUNDLED)


@pytest.fixture
def make_view(qtbot: QtBot, deck: Deck) -> Callable[..., TilesView]:
    def make(
        slide: TilesSlide,
        size: tuple[int, int] = (1920, 1080),
        lang: str = "en",
        elapsed: float = SETTLED,
        of: Deck | None = None,
        theme: Theme | None = None,
    ) -> TilesView:
        view = shown_view(qtbot, of or deck, slide, size, lang, elapsed, theme=theme)
        assert isinstance(view, TilesView)
        return view

    return make


def bundled_tiles(deck: Deck) -> TilesSlide:
    index = deck.index_of("industry-direction")
    assert index is not None
    slide = deck.slides[index]
    assert isinstance(slide, TilesSlide)
    return slide


def tiles_slide(count: int) -> TilesSlide:
    icons = ["manufacturing", "services", "emerging", "ai", "hub"]
    long = {"zh": "一个相当长的测试标签，检验换行", "en": "A rather long test label that wraps"}
    return TilesSlide.model_validate(
        {
            "id": f"tiles-{count}",
            "type": "tiles",
            "title": "Test data",
            "intro": "Test intro.",
            "tiles": [
                {
                    "icon": f"images/icons/{icons[i % len(icons)]}.svg",
                    "label": long if i % 3 == 0 else {"zh": f"测试{i}", "en": f"Test {i}"},
                    "detail": f"Test data: card {i}.",
                }
                for i in range(count)
            ],
        }
    )


def grab(view: TilesView) -> QImage:
    image = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    view.render(image)
    return image


def drawn_texts(view: TilesView) -> list[str]:
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(text.replace(JOINER, ""))):
        grab(view)
    return drawn


def overlap(a: QRectF, b: QRectF) -> bool:
    inter = a.intersected(b)
    return inter.width() > 0.5 and inter.height() > 0.5


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_bundled_directions_are_five_icon_tiles_inside_the_frame(
    deck: Deck,
    make_view: Callable[..., TilesView],
    size: tuple[int, int],
    lang: str,
    larger: bool,
) -> None:
    slide = bundled_tiles(deck)
    assert len(slide.tiles) == 5
    theme = visitor_theme(deck.settings.theme, larger=larger)
    view = make_view(slide, size, lang, theme=theme)
    layout = view.arranged()
    frame = view.grid.frame
    content = view.content_rect(view.grid)
    for placed in layout.tiles:
        assert frame.contains(placed.rect)
        assert content.contains(placed.rect)
        assert placed.rect.contains(placed.icon)
        assert placed.rect.contains(placed.label)
        assert placed.icon.bottom() <= placed.label.top()
        assert placed.icon.width() >= view.grid.px(96)
    for a, b in itertools.combinations(layout.tiles, 2):
        assert not overlap(a.rect, b.rect)
    # Each icon is drawn: its own colours show inside its square, not only the panel.
    image = grab(view)
    panel = QColor(view.theme.colors.panel)
    for placed in layout.tiles:
        r = placed.icon.toAlignedRect()
        colours = {
            image.pixelColor(x, y).name()
            for x in range(r.left(), r.right(), 4)
            for y in range(r.top(), r.bottom(), 4)
        }
        assert len(colours - {panel.name()}) > 3


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_taps_open_the_tiles_own_cards(
    deck: Deck, make_view: Callable[..., TilesView], size: tuple[int, int]
) -> None:
    slide = bundled_tiles(deck)
    view = make_view(slide, size)
    targets = view.hit_targets()
    assert [t.key for t in targets] == [f"tile:{i}" for i in range(5)]
    for target, tile, placed in zip(targets, slide.tiles, view.arranged().tiles, strict=True):
        assert target.title == tile.label
        assert target.detail == tile.detail
        assert target.rect == placed.rect
        assert min(target.rect.width(), target.rect.height()) >= view.grid.px(64)
        # A tap in the middle of a tile finds that tile.
        hit = next(t for t in targets if t.rect.contains(placed.rect.center()))
        assert hit is target


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("count", range(2, 9))
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_any_number_of_tiles_fits(
    deck: Deck,
    make_view: Callable[..., TilesView],
    size: tuple[int, int],
    count: int,
    larger: bool,
) -> None:
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for lang in LANGS:
        view = make_view(tiles_slide(count), size, lang, theme=theme)
        layout = view.arranged()
        frame = view.grid.frame
        for placed in layout.tiles:
            assert frame.contains(placed.rect), (lang, count)
            assert placed.rect.contains(placed.label), (lang, count)
        for a, b in itertools.combinations(layout.tiles, 2):
            assert not overlap(a.rect, b.rect)
        drawn = drawn_texts(view)
        labels = [view.t(t.label).replace(JOINER, "") for t in view.slide.tiles]
        everything = "".join(drawn).replace("\n", " ")
        assert all(label.split()[0][:4] in everything for label in labels), (lang, drawn)


def test_tile_rows() -> None:
    assert [tile_columns(n, False) for n in range(2, 9)] == [2, 3, 4, 5, 3, 4, 4]
    assert [tile_columns(n, True) for n in range(2, 9)] == [2] * 7


def test_tiles_rise_in_one_after_another(deck: Deck, make_view: Callable[..., TilesView]) -> None:
    view = make_view(bundled_tiles(deck), elapsed=0.0)
    layout = view.arranged()
    background = QColor(view.theme.colors.background)
    start = grab(view)
    assert all(start.pixelColor(t.rect.center().toPoint()) == background for t in layout.tiles)
    view.set_elapsed(0.1 + view.theme.motion.stagger_ms / 1000 * 1.5)
    assert view.entry(0, delay=0.1) > view.entry(1, delay=0.1) > 0
    assert view.entry(4, delay=0.1) == 0
    view.set_elapsed(view.entry_duration())
    assert view.is_settled()
    settled = grab(view)
    assert all(settled.pixelColor(t.rect.center().toPoint()) != background for t in layout.tiles)


def test_reduce_motion_shows_the_tiles_at_once(
    deck: Deck, make_view: Callable[..., TilesView]
) -> None:
    loop = deck.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(deck, settings=deck.settings.model_copy(update={"loop": loop}))
    view = make_view(bundled_tiles(calm), elapsed=0.0, of=calm)
    assert view.entry_duration() == 0.0
    assert view.is_settled()
    image = grab(view)
    background = QColor(view.theme.colors.background)
    assert all(
        image.pixelColor(t.rect.center().toPoint()) != background for t in view.arranged().tiles
    )


def test_the_pressed_tile_lights_up(deck: Deck, make_view: Callable[..., TilesView]) -> None:
    view = make_view(bundled_tiles(deck))
    placed = view.arranged().tiles[2]
    probe = (placed.rect.topLeft() + (placed.rect.center() - placed.rect.topLeft()) * 0.2).toPoint()
    before = grab(view).pixelColor(probe)
    view.set_highlight("tile:2")
    assert grab(view).pixelColor(probe).lightness() > before.lightness()
    view.set_highlight(None)
    assert grab(view).pixelColor(probe) == before


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (1, "List should have at least 2 items after validation, not 1"),
        (9, "List should have at most 8 items after validation, not 9"),
    ],
)
def test_two_to_eight_tiles(count: int, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        tiles_slide(count)
    assert [e["msg"] for e in raised.value.errors()] == [message]


def test_a_tile_without_its_icon_is_reported_at_the_icon(tmp_path: Path) -> None:
    slide = (
        "id: t\ntype: tiles\ntitle: T\ntiles:\n"
        "  - {icon: images/none.svg, label: A, detail: D}\n"
        "  - {icon: images/none.svg, label: B, detail: D}\n"
    )
    deck, problems = check_folder(write_show(tmp_path, {"slides/one.yaml": slide}))
    errors = [str(p) for p in problems if p.is_error]
    assert deck is None
    assert errors == [
        f'slides/one.yaml:{line}:12: tiles.tiles[{i}].icon: image "images/none.svg" does not exist'
        for i, line in ((0, 5), (1, 6))
    ]
