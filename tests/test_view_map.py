"""The map slide: its model's messages, and the view (rivers drawing in, places in order, labels
that never overlap or leave the frame at three sizes in both languages, taps that open cards)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, check_folder, load_deck
from kiosk.content.model import MapSlide
from kiosk.content.theme import load_theme, visitor_theme
from kiosk.content.typeset import plain
from kiosk.ui.base import SETTLED, SlideView
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.slides.map import MapLayout, MapView
from tests.helpers.show import BASE_FILES, BUNDLED, write_show
from tests.helpers.touch import tap
from tests.helpers.views import grab, shown_view
from tests.helpers.windows import settle_on, shown_window

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
LANGS = ["zh", "en"]
CASES = [
    pytest.param(size, lang, id=f"{size[0]}x{size[1]}-{lang}") for size in SIZES for lang in LANGS
]
THEME = load_theme()
BACKGROUND = QColor(THEME.colors.background)
EPS = 0.75

MAP = """\
id: two
type: map
title: {zh: 地图, en: A map}
rivers:
  - name: {zh: 长江, en: Yangtze}
    points: [[0, 0.8], [0.5, 0.7], [1, 0.5]]
    color: gold
areas:
  - label: {zh: 新区, en: New area}
    points: [[0.4, 0.1], [0.9, 0.2], [0.6, 0.5]]
places:
  - {id: port, label: {zh: 港口, en: Port}, detail: {zh: 一个港口。, en: A port.}, x: 0.7,
     y: 0.6, kind: port}
  - {id: city, label: {zh: 城市, en: City}, x: 0.3, y: 0.7}
"""


def map_show(tmp_path: Path, slide: str = MAP) -> Path:
    return write_show(tmp_path / "show", {"slides/two.yaml": slide})


# --- the model ----------------------------------------------------------------------------------

MESSAGES: list[tuple[str, str, str, str]] = [
    (
        "a river of one point",
        "    points: [[0, 0.8], [0.5, 0.7], [1, 0.5]]\n    color: gold",
        "    points: [[0, 0.8]]\n    color: gold",
        "slides/two.yaml:6:13: map.rivers[0].points: needs at least 2 items, has 1",
    ),
    (
        "an area of two points",
        "[[0.4, 0.1], [0.9, 0.2], [0.6, 0.5]]",
        "[[0.4, 0.1], [0.9, 0.2]]",
        "slides/two.yaml:10:13: map.areas[0].points: needs at least 3 items, has 2",
    ),
    (
        "a point off the map",
        "[[0, 0.8], [0.5, 0.7], [1, 0.5]]",
        "[[0, 0.8], [0.5, 1.2], [1, 0.5]]",
        "slides/two.yaml:6:30: map.rivers[0].points[1][1]: must be at most 1, got 1.2",
    ),
    (
        "a point of three numbers",
        "[[0, 0.8], [0.5, 0.7], [1, 0.5]]",
        "[[0, 0.8], [0.5, 0.7, 0.1], [1, 0.5]]",
        "slides/two.yaml:6:24: map.rivers[0].points[1]: 3 items is more than the 2 allowed",
    ),
    (
        "a place off the map",
        "x: 0.7,",
        "x: 1.7,",
        "slides/two.yaml:12:80: map.places[0].x: must be at most 1, got 1.7",
    ),
    (
        "two places of one id",
        "{id: city,",
        "{id: port,",
        'slides/two.yaml:12:3: map.places: two places have the id "port"',
    ),
    (
        "an unknown kind of place",
        "kind: port}",
        "kind: harbour}",
        "slides/two.yaml:13:20: map.places[0].kind: expected one of city, district, port, "
        'airport, station, zone, hub, got "harbour"',
    ),
    (
        "a colour the theme does not have",
        "color: gold",
        "color: red",
        "slides/two.yaml:7:12: map.rivers[0].color: expected one of teal, gold, sky, muted, "
        'got "red"',
    ),
    (
        "a map without places",
        MAP[MAP.index("places:") :],
        "places: []\n",
        "slides/two.yaml:11:9: map.places: needs at least 1 item, has 0",
    ),
    (
        "a misspelt key",
        "    color: gold",
        "    colour: gold",
        'slides/two.yaml:7:5: map.rivers[0].colour: unknown key "colour"; did you mean "color"?',
    ),
    (
        "a label without its English",
        "{zh: 城市, en: City}",
        "{zh: 城市}",
        "slides/two.yaml:14:23: map.places[1].label: missing the English (en) text; the deck is "
        "shown in zh and en",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "message"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES]
)
def test_exact_located_messages(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert MAP.count(old) == 1
    deck, problems = check_folder(map_show(tmp_path, MAP.replace(old, new)))
    assert deck is None
    assert [str(p) for p in problems] == [message]


def test_the_example_loads(tmp_path: Path) -> None:
    deck = load_deck(map_show(tmp_path, MapSlide.example))
    slide = deck.slides[1]
    assert isinstance(slide, MapSlide)
    assert [p.id for p in slide.places] == ["port"]


BASE = """\
aspect: 2
rivers:
  - name: {zh: 长江, en: Yangtze}
    points: [[0, 0.8], [0.5, 0.7], [1, 0.5]]
areas:
  - label: {zh: 新区, en: New area}
    points: [[0.4, 0.1], [0.9, 0.2], [0.6, 0.5]]
    detail: {zh: 说明, en: About it}
"""
ON_BASE = """\
id: two
type: map
title: {zh: 地图, en: A map}
base: maps/here.yaml
rivers:
  - {points: [[0, 0], [1, 1]], color: sky}
places:
  - {id: port, label: {zh: 港口, en: Port}, x: 0.7, y: 0.6, kind: port}
"""


def test_a_base_map_goes_under_the_slide_s_own(tmp_path: Path) -> None:
    root = write_show(tmp_path / "show", {"slides/two.yaml": ON_BASE, "maps/here.yaml": BASE})
    deck, problems = check_folder(root)
    assert problems == []  # the base map is no unlisted file
    assert deck is not None
    slide = deck.slides[1]
    assert isinstance(slide, MapSlide)
    assert slide.ratio == 2
    assert [r.color for r in slide.rivers] == ["teal", "sky"]  # the base's first
    assert slide.rivers[0].name is not None
    assert slide.areas[0].label is not None


def test_a_second_map_may_leave_the_base_s_names_out(tmp_path: Path) -> None:
    files = {
        "slides/two.yaml": ON_BASE.replace(
            "base: maps/here.yaml", "base: maps/here.yaml\naspect: 1"
        ),
        "slides/three.yaml": ON_BASE.replace("id: two", "id: three").replace(
            "base: maps/here.yaml", "base: maps/here.yaml\nbase_names: false"
        ),
        "deck.yaml": BASE_FILES["deck.yaml"] + "  - slides/three.yaml\n",
        "maps/here.yaml": BASE,
    }
    deck = load_deck(write_show(tmp_path / "show", files))
    two, three = deck.slides[1], deck.slides[2]
    assert isinstance(two, MapSlide)
    assert isinstance(three, MapSlide)
    assert two.ratio == 1  # the slide's own aspect wins
    assert three.rivers[0].name is None
    assert three.areas[0].label is None
    assert three.areas[0].detail is None
    assert three.rivers[0].points == two.rivers[0].points


BASE_MESSAGES: list[tuple[str, dict[str, str], str]] = [
    (
        "a missing base map",
        {},
        'slides/two.yaml:4:7: map.base: map file "maps/here.yaml" does not exist',
    ),
    (
        "a point off the base map",
        {"maps/here.yaml": BASE.replace("[0.5, 0.7]", "[0.5, 7]")},
        "maps/here.yaml:4:30: rivers[0].points[1][1]: must be at most 1, got 7",
    ),
    (
        "a base map of another kind of file",
        {"maps/here.yaml": "title: {zh: 标题, en: Title}\n"},
        'maps/here.yaml:1:1: title: unknown key "title" (allowed here: aspect, rivers, areas)',
    ),
    (
        "too many rivers with the base's",
        {
            "slides/two.yaml": ON_BASE.replace(
                "rivers:\n", "rivers:\n" + "  - {points: [[0, 0], [1, 1]]}\n" * 7
            )
        },
        "slides/two.yaml:4:7: map.base: its 1 rivers and the slide's 8 are more than the 8 a "
        "map draws",
    ),
    (
        "a base map's label without its English",
        {"maps/here.yaml": BASE.replace("{zh: 新区, en: New area}", "{zh: 新区}")},
        "maps/here.yaml:6:12: areas[0].label: missing the English (en) text; the deck is shown "
        "in zh and en",
    ),
]


@pytest.mark.parametrize(
    ("files", "message"), [m[1:] for m in BASE_MESSAGES], ids=[m[0] for m in BASE_MESSAGES]
)
def test_base_map_problems_are_located(tmp_path: Path, files: dict[str, str], message: str) -> None:
    merged: dict[str, str | bytes | None] = {"slides/two.yaml": ON_BASE}
    if "maps/here.yaml" not in files and files:
        merged["maps/here.yaml"] = BASE
    merged.update(files)
    deck, problems = check_folder(write_show(tmp_path / "show", merged))
    assert deck is None
    assert [str(p) for p in problems] == [message]


def test_an_edit_of_the_base_map_reloads_the_show(qtbot: QtBot, tmp_path: Path) -> None:
    from kiosk.ui.reload import ContentWatcher

    root = write_show(tmp_path / "show", {"slides/two.yaml": ON_BASE, "maps/here.yaml": BASE})
    watcher = ContentWatcher(root, revision=load_deck(root).revision, debounce_ms=20, settle_ms=80)
    decks: list[Deck] = []
    failures: list[list[object]] = []
    watcher.reloaded.connect(decks.append)
    watcher.failed.connect(failures.append)
    try:
        qtbot.waitUntil(lambda: watcher.loads >= 1 and watcher.state == "idle", timeout=5000)
        base = root / "maps" / "here.yaml"
        base.write_text(BASE.replace("aspect: 2", "aspect: 1.5"), encoding="utf-8")
        qtbot.waitUntil(lambda: bool(decks), timeout=5000)
        slide = decks[-1].slides[1]
        assert isinstance(slide, MapSlide)
        assert slide.ratio == 1.5
        # A mistake there keeps the last good show, and is told where it is.
        base.write_text(BASE.replace("aspect: 2", "aspect: 9"), encoding="utf-8")
        qtbot.waitUntil(lambda: bool(failures), timeout=5000)
        assert [str(p) for p in failures[-1]] == [
            "maps/here.yaml:1:9: aspect: must be at most 3, got 9"
        ]
    finally:
        watcher.stop()
        watcher.wait()


def test_bundled_locator_is_within_the_first_three_slides() -> None:
    deck = load_deck(BUNDLED)
    kinds = [s.slide_type for s in deck.slides[:3]]
    assert "map" in kinds


# --- the view -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deck(qapp: object) -> Deck:
    load_fonts()
    return load_deck(BUNDLED)


def maps(deck: Deck) -> list[MapSlide]:
    return [s for s in deck.slides if isinstance(s, MapSlide)]


def make_view(
    qtbot: QtBot,
    deck: Deck,
    slide: MapSlide,
    size: tuple[int, int],
    lang: str,
    elapsed: float = SETTLED,
    *,
    larger: bool = False,
) -> MapView:
    theme = visitor_theme(deck.settings.theme, larger=larger)
    view = shown_view(qtbot, deck, slide, size, lang, elapsed, theme=theme)
    assert isinstance(view, MapView)
    return view


def drawn_texts(view: SlideView) -> list[str]:
    """Every text one frame of `view` draws, as plain text."""
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(plain(text))):
        grab(view)
    return drawn


def inside(outer: QRectF, inner: QRectF) -> bool:
    return outer.adjusted(-EPS, -EPS, EPS, EPS).contains(inner)


def overlap(a: QRectF, b: QRectF) -> bool:
    cut = a.intersected(b)
    return cut.width() > EPS and cut.height() > EPS


def near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_the_bundled_deck_has_two_maps(deck: Deck) -> None:
    assert [s.id for s in maps(deck)] == ["where", "open-platforms"]


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize(("size", "lang"), CASES)
def test_labels_never_overlap_and_stay_in_the_frame(
    qtbot: QtBot, deck: Deck, size: tuple[int, int], lang: str, larger: bool
) -> None:
    """At the deck's type sizes and the visitor's larger text."""
    for slide in maps(deck):
        view = make_view(qtbot, deck, slide, size, lang, larger=larger)
        grab(view)
        layout: MapLayout = view.arranged()
        frame = view.grid.frame
        labels = layout.labels()
        for name, rect in labels:
            assert inside(frame, rect), (slide.id, name)
        for i, (a, ra) in enumerate(labels):
            for b, rb in labels[i + 1 :]:
                assert not overlap(ra, rb), (slide.id, a, b)
        # No label covers another place's marker.
        for box in layout.places:
            assert box.marker.isEmpty() or inside(frame, box.marker), (slide.id, box.place.id)
            for name, rect in labels:
                if name != f"place:{box.place.id}" and not box.marker.isEmpty():
                    assert not overlap(rect, box.marker), (slide.id, name, box.place.id)
        # The map's own words: its schematic tag, above the foot band.
        assert inside(frame, layout.tag_rect)


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_every_place_with_a_card_is_a_target(
    qtbot: QtBot, deck: Deck, size: tuple[int, int], lang: str
) -> None:
    for slide in maps(deck):
        view = make_view(qtbot, deck, slide, size, lang)
        layout: MapLayout = view.arranged()
        targets = {t.key: t for t in view.hit_targets()}
        least = view.grid.touch - 0.5
        screen = QRectF(0, 0, *size)
        for place in slide.places:
            target = targets.get(f"place:{place.id}")
            if place.detail is None:
                assert target is None
                continue
            assert target is not None, place.id
            assert target.title == place.label
            assert target.detail == place.detail
            box = layout.place(place.id)
            assert box is not None
            assert target.rect.contains(box.center)
            assert target.rect.contains(box.label_rect.center())
            assert min(target.rect.width(), target.rect.height()) >= least
            assert screen.contains(target.rect)


def test_places_appear_in_the_order_listed(qtbot: QtBot, deck: Deck) -> None:
    slide = maps(deck)[0]
    view = make_view(qtbot, deck, slide, (1920, 1080), "en", elapsed=0.0)
    layout: MapLayout = view.arranged()
    count = len(slide.places)
    shown_counts = []
    step = 1 / 60
    t = 0.0
    while t <= view.entry_duration() + step:
        view.set_elapsed(t)
        progress = [view.place_progress(i) for i in range(count)]
        # Never a later place ahead of an earlier one.
        assert progress == sorted(progress, reverse=True), t
        shown_counts.append(sum(p > 0 for p in progress))
        t += step
    assert shown_counts[0] == 0  # nothing but the rivers at first
    assert set(range(count + 1)) <= set(shown_counts)  # each came on its own
    # On screen: when the first place is in and the last not yet, only the first's label shows.
    first, last = layout.places[0], layout.places[-1]
    t = 0.0
    view.set_elapsed(t)
    while view.place_progress(0) < 1:
        t += step
        view.set_elapsed(t)
    assert view.place_progress(count - 1) == 0
    image = grab(view)
    text = QColor(THEME.colors.text)
    assert _near_count(image, first.label_rect, text) > 20
    assert _near_count(image, last.label_rect, text) == 0
    view.settle()
    assert _near_count(grab(view), last.label_rect, text) > 20


def _near_count(image: QImage, rect: QRectF, color: QColor) -> int:
    r = rect.toAlignedRect()
    return sum(
        near(image.pixelColor(x, y), color, 30)
        for y in range(max(0, r.top()), min(image.height(), r.bottom()))
        for x in range(max(0, r.left()), min(image.width(), r.right()))
    )


def test_rivers_draw_in_from_their_first_point(qtbot: QtBot, deck: Deck) -> None:
    slide = maps(deck)[0]
    view = make_view(qtbot, deck, slide, (1920, 1080), "en", elapsed=0.0)
    layout: MapLayout = view.arranged()
    gold = QColor(THEME.colors.gold)
    yangtze = next(r for r in layout.rivers if r.river.color == "gold")
    first, last = yangtze.samples[2], yangtze.samples[-3]

    def at(image: QImage, point: QPointF) -> QColor:
        return image.pixelColor(QPoint(round(point.x()), round(point.y())))

    view.set_elapsed(0.0)
    image = grab(view)
    assert near(at(image, first), BACKGROUND)
    assert near(at(image, last), BACKGROUND)
    view.set_elapsed(view.theme.motion.countup_ms / 1000 / 2)
    image = grab(view)
    assert near(at(image, first), gold)
    assert near(at(image, last), BACKGROUND)
    view.settle()
    image = grab(view)
    assert near(at(image, first), gold)
    assert near(at(image, last), gold)


def test_reduce_motion_shows_the_whole_map_at_once(qtbot: QtBot, deck: Deck) -> None:
    still = deck.with_loop(reduce_motion=True)
    slide = maps(still)[0]
    moving = make_view(qtbot, still, slide, (1920, 1080), "zh", elapsed=0.0)
    settled = make_view(qtbot, still, slide, (1920, 1080), "zh")
    assert grab(moving) == grab(settled)


def test_the_schematic_tag_is_drawn_on_every_map(qtbot: QtBot, deck: Deck) -> None:
    for lang, words in (("zh", "示意图，非按比例"), ("en", "Schematic, not to scale")):
        for slide in maps(deck):
            view = make_view(qtbot, deck, slide, (1920, 1080), lang, elapsed=0.0)
            assert words in drawn_texts(view)


def test_highlight_lights_only_that_place(qtbot: QtBot, deck: Deck) -> None:
    slide = maps(deck)[1]
    view = make_view(qtbot, deck, slide, (1920, 1080), "en")
    layout: MapLayout = view.arranged()
    before = grab(view)
    view.set_highlight("place:guoyuan-port")
    after = grab(view)
    lit = layout.place("guoyuan-port")
    assert lit is not None
    assert _changed(before, after, lit.bounds) > 20
    for box in layout.places:
        if box is not lit and not box.bounds.intersects(lit.bounds.adjusted(-30, -30, 30, 30)):
            assert _changed(before, after, box.bounds) == 0, box.place.id
    view.set_highlight(None)
    assert _changed(before, grab(view), lit.bounds) == 0


def _changed(a: QImage, b: QImage, rect: QRectF) -> int:
    count = 0
    r = rect.toAlignedRect()
    for y in range(max(0, r.top()), min(a.height(), r.bottom()), 2):
        for x in range(max(0, r.left()), min(a.width(), r.right()), 2):
            if a.pixel(x, y) != b.pixel(x, y):
                count += 1
    return count


def test_a_settled_map_repaints_from_its_layers(qtbot: QtBot, deck: Deck) -> None:
    view = make_view(qtbot, deck, maps(deck)[0], (3840, 2160), "en")
    grab(view)
    layers = dict(view._layers)
    assert set(layers) == {"base", "places"}
    grab(view)
    assert all(view._layers[name][1] is layers[name][1] for name in layers)  # not repainted


def test_a_crowded_map_stays_in_its_frame(qtbot: QtBot, tmp_path: Path) -> None:
    spots = [(0, 0), (1, 0), (0, 1), (1, 1), (0.5, 0.5), (0.5, 0), (0, 0.5), (1, 0.5), (0.5, 1)]
    kinds = ["city", "district", "port", "airport", "station", "zone", "hub"]
    places = "\n".join(
        f"  - {{id: p{i}, label: {{zh: 第{i}个相当长的地名, en: Place {i} with a long name}}, "
        f"caption: {{zh: 一句说明, en: A short fact}}, detail: D, x: {x}, y: {y}, "
        f"kind: {kinds[i % len(kinds)]}}}"
        for i, (x, y) in enumerate(spots)
    )
    slide = f"""\
id: two
type: map
title: {{zh: 拥挤的地图, en: A crowded map}}
note: {{zh: 测试数据, en: Test data}}
aspect: 0.5
rivers:
  - {{name: R, points: [[0, 0], [1, 1]]}}
areas:
  - {{label: A, points: [[0, 0], [1, 0], [1, 1]]}}
places:
{places}
"""
    deck = load_deck(map_show(tmp_path, slide))
    for size in SIZES:
        for lang in LANGS:
            view = make_view(qtbot, deck, deck.slides[1], size, lang)  # type: ignore[arg-type]
            grab(view)
            layout: MapLayout = view.arranged()
            frame = view.grid.frame
            for name, rect in layout.labels():
                assert inside(frame, rect), (size, lang, name)
            for target in view.hit_targets():
                assert QRectF(0, 0, *size).contains(target.rect)


def test_a_label_left_of_its_marker_ends_at_the_marker(qtbot: QtBot, tmp_path: Path) -> None:
    slide = MAP.replace("type: map\n", "type: map\naspect: 3\n").replace(
        "x: 0.7,\n     y: 0.6", "x: 0.99,\n     y: 0.6"
    )
    slide = slide.replace(
        "label: {zh: 港口, en: Port}", "label: {zh: 港口, en: A port with a long name}"
    )
    deck = load_deck(map_show(tmp_path, slide))
    view = make_view(qtbot, deck, deck.slides[1], (1920, 1080), "en")  # type: ignore[arg-type]
    grab(view)
    box = view.arranged().place("port")
    assert box is not None
    assert box.label_rect.right() <= box.marker.left()
    assert box.flush_right
    assert box.label.align == Qt.AlignmentFlag.AlignRight


# --- the window ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slide_id", ["where", "open-platforms"])
def test_tapping_a_place_opens_its_card(qtbot: QtBot, slide_id: str) -> None:
    with shown_window(qtbot, load_deck(BUNDLED), size=(1920, 1080)) as window:
        settle_on(window, slide_id)
        targets = window.stage.view.hit_targets()
        assert len(targets) >= 4
        for target in targets:
            tap(window, target.rect.center().toPoint())
            assert window.card == target, target.key
            tap(window, QPoint(5, 5))
            assert window.card is None
