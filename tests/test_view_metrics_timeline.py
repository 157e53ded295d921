"""The metrics and timeline views: every size and language, the figures' entry, hit targets and
pixels."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content.cards import month_slots
from kiosk.content.format import format_metric, format_period
from kiosk.content.loader import Deck, load_deck
from kiosk.content.model import MetricsSlide, SlideBase, TimelineSlide
from kiosk.content.theme import Theme, visitor_theme
from kiosk.ui.base import SETTLED, SlideView
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.draw.text import text_size
from kiosk.ui.fonts import load_fonts
from kiosk.ui.render import render_slide
from kiosk.ui.slides.metrics import MetricsView
from kiosk.ui.slides.timeline import (
    BREAK,
    DOT,
    EVENT_DELAY,
    EVENT_STAGGER,
    TimelineView,
    long_gaps,
)
from tests.helpers.show import BUNDLED
from tests.helpers.views import shown_view

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
LANGS = ["zh", "en"]
GOLD = QColor("#E8B04A")


@pytest.fixture(scope="module")
def deck(qapp: object) -> Deck:
    load_fonts()
    return load_deck(BUNDLED)


@pytest.fixture
def make_view(qtbot: QtBot, deck: Deck) -> Callable[..., SlideView]:
    """A view of a slide at a size, language and moment, closed after the test."""

    def make(
        slide: SlideBase,
        size: tuple[int, int] = (1920, 1080),
        lang: str = "en",
        elapsed: float = SETTLED,
        of: Deck | None = None,
        theme: Theme | None = None,
    ) -> SlideView:
        view = shown_view(qtbot, of or deck, slide, size, lang, elapsed, theme=theme)
        return view

    return make


def slide_of(deck: Deck, kind: type[SlideBase]) -> SlideBase:
    return next(s for s in deck.slides if isinstance(s, kind))


def grab(view: SlideView) -> QImage:
    image = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    view.render(image)
    return image


def pixels(image: QImage, rect: QRectF, step: int = 2) -> Iterator[QColor]:
    r = rect.toAlignedRect().intersected(image.rect())
    for y in range(r.top(), r.bottom() + 1, step):
        for x in range(r.left(), r.right() + 1, step):
            yield image.pixelColor(x, y)


def near(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return (
        abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance
    )


def count_near(image: QImage, rect: QRectF, color: QColor) -> int:
    return sum(near(c, color) for c in pixels(image, rect))


def overlap(a: QRectF, b: QRectF) -> bool:
    inter = a.intersected(b)
    return inter.width() > 0.5 and inter.height() > 0.5


def metrics_slide(count: int, keys: list[str]) -> MetricsSlide:
    return MetricsSlide.model_validate(
        {
            "id": f"tiles-{count}",
            "type": "metrics",
            "title": {"zh": "测试", "en": "Test"},
            "tiles": [{"metric": keys[i % len(keys)]} for i in range(count)],
        }
    )


def glance_slide() -> MetricsSlide:
    """Tiles of the deck's figures, fixed here (the bundled slides change with the editing)."""
    keys = ["area", "population", "industrial-output", "business-entities", "passengers"]
    return metrics_slide(5, keys)


def timeline_slide(count: int) -> TimelineSlide:
    label = {
        "zh": "一个相当长的事件标签，检验换行与字号",
        "en": "A rather long event label that has to wrap onto several lines",
    }
    events = [
        {
            "date": f"{2000 + i}-0{1 + i}-1{i}" if i % 2 else 2000 + i,
            "label": label if i % 3 == 0 else {"zh": f"事件{i}", "en": f"Event {i}"},
            "detail": "Detail.",
            **({"until": 2040} if i == count - 1 else {}),
        }
        for i in range(count)
    ]
    return TimelineSlide.model_validate(
        {"id": f"events-{count}", "type": "timeline", "title": "T", "events": events}
    )


# --- both views ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", [MetricsSlide, TimelineSlide], ids=["metrics", "timeline"])
def test_renders_at_every_size_and_language(
    deck: Deck, kind: type[SlideBase], size: tuple[int, int], lang: str
) -> None:
    image = render_slide(deck, slide_of(deck, kind), size, lang)
    assert (image.width(), image.height()) == size
    colors = {image.pixel(x, y) for x in range(0, size[0], 23) for y in range(0, size[1], 19)}
    assert len(colors) > 8


def test_views_are_the_exported_classes(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    assert isinstance(make_view(glance_slide()), MetricsView)
    assert isinstance(make_view(slide_of(deck, TimelineSlide)), TimelineView)


@pytest.mark.parametrize("kind", [MetricsSlide, TimelineSlide], ids=["metrics", "timeline"])
def test_reduce_motion_shows_everything_at_once(
    deck: Deck, make_view: Callable[..., SlideView], kind: type[SlideBase]
) -> None:
    loop = deck.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(deck, settings=deck.settings.model_copy(update={"loop": loop}))
    view = make_view(slide_of(deck, kind), elapsed=0.0, of=calm)
    assert view.entry_duration() == 0.0
    assert view.is_settled()
    if isinstance(view, MetricsView):
        final = [format_metric(view.metric_of(t), "en").text for t in view.slide.tiles]
        assert [f.text for f in view.tile_figures()] == final


# --- metrics -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_figures_never_count_they_slide_into_place(
    deck: Deck, make_view: Callable[..., SlideView], lang: str
) -> None:
    view = make_view(glance_slide(), lang=lang, elapsed=0.0)
    assert isinstance(view, MetricsView)
    final = [format_metric(view.metric_of(t), lang) for t in view.slide.tiles]
    runs = [[(r.role, r.text) for r in view.figure_runs(i)] for i in range(len(final))]
    reveals = []
    frame = 0.0
    while frame <= view.entry_duration() + 0.05:
        view.set_elapsed(frame)
        # Every moment shows the figure itself, in the same places: only how much of its
        # digits shows changes.
        assert view.tile_figures() == final, frame
        assert [[(r.role, r.text) for r in view.figure_runs(i)] for i in range(len(final))] == runs
        reveals.append(view.reveal_progress(0))
        frame += 1 / 60
    assert reveals[0] == 0.0
    assert reveals[-1] == 1.0
    assert reveals == sorted(reveals)
    assert 0 < reveals[len(reveals) // 3] < 1


def test_digits_slide_up_inside_their_line(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    view = make_view(glance_slide(), lang="en", elapsed=0.0)
    assert isinstance(view, MetricsView)
    number = next(r for r in view.figure_runs(0) if r.role == "number")
    box = number.box()
    tile = view.hit_targets()[0].rect
    settled_at = view.entry_duration() + 0.1
    seen = []
    # The tile itself has risen into place by 0.8 s; its figure's digits are still landing.
    for elapsed in (0.1, 0.82, 1.0, settled_at):
        view.set_elapsed(elapsed)
        image = grab(view)
        seen.append(count_near(image, box, GOLD))
        # Nothing of the figure shows outside its own line while it slides in.
        below = QRectF(tile.left(), box.bottom() + 2, tile.width(), tile.bottom() - box.bottom())
        assert count_near(image, below, GOLD) == 0, elapsed
    assert seen[0] == 0  # not yet begun
    # Rising: the last glyph's final pixels can lie inside the box a frame or two before it
    # lands (how many depends on the face's metrics), so the last step may be level.
    assert 0 < seen[1] < seen[2] <= seen[3]
    assert seen[1] < seen[3]


def test_entry_duration_is_when_the_last_figure_lands(
    deck: Deck, make_view: Callable[..., SlideView]
) -> None:
    view = make_view(glance_slide(), lang="zh")
    assert isinstance(view, MetricsView)
    final = [format_metric(view.metric_of(t), "zh").text for t in view.slide.tiles]
    view.set_elapsed(view.entry_duration())
    assert view.is_settled()
    assert [f.text for f in view.tile_figures()] == final
    assert view.reveal_progress(len(final) - 1) == 1
    view.set_elapsed(view.entry_duration() - 0.3)
    assert not view.is_settled()
    assert view.reveal_progress(len(final) - 1) < 1
    assert view.reveal_progress(0) == 1


def test_language_change_repaints_the_figures(
    deck: Deck, make_view: Callable[..., SlideView]
) -> None:
    view = make_view(glance_slide(), lang="zh")
    assert isinstance(view, MetricsView)
    zh = [f.text for f in view.tile_figures()]
    view.set_language("en")
    en = [f.text for f in view.tile_figures()]
    assert en == [format_metric(view.metric_of(t), "en").text for t in view.slide.tiles]
    assert zh != en
    assert "352万人" in zh
    assert "3.52 million residents" in en


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_metrics_hit_targets(
    deck: Deck, make_view: Callable[..., SlideView], size: tuple[int, int]
) -> None:
    slide = glance_slide()
    view = make_view(slide, size)
    targets = view.hit_targets()
    assert [t.key for t in targets] == [f"tile:{t.metric}" for t in slide.tiles]
    for target, tile in zip(targets, slide.tiles, strict=True):
        metric = deck.metrics[tile.metric]
        assert target.title == metric.label
        assert target.detail == (tile.detail or metric.detail)
        assert view.rect().toRectF().contains(target.rect)
        assert min(target.rect.width(), target.rect.height()) >= view.grid.px(64)
    for a, b in itertools.combinations(targets, 2):
        assert not overlap(a.rect, b.rect), (a.key, b.key)


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("count", range(1, 9))
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_any_number_of_tiles_fits(
    deck: Deck,
    make_view: Callable[..., SlideView],
    size: tuple[int, int],
    count: int,
    larger: bool,
) -> None:
    # The longest figures of the deck, in both languages: nothing leaves its tile (at the
    # visitor's larger text too).
    keys = ["business-entities", "passengers", "industrial-output-usd", "rmb-settlement-share"]
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for lang in LANGS:
        view = make_view(metrics_slide(count, keys), size, lang, theme=theme)
        assert isinstance(view, MetricsView)
        layout = view.arranged()
        frame = view.grid.frame
        for i, placed in enumerate(layout.tiles):
            assert frame.contains(placed.rect)
            runs = view.figure_runs(i)
            assert [r.role for r in runs][-2:] == ["number", "unit"]
            label = view.t(view.metric_of(view.slide.tiles[i]).label)
            used = text_size(label, placed.label_font, placed.label_rect.width())
            used.moveTopLeft(placed.label_rect.topLeft())
            assert placed.label_rect.contains(used), (lang, i, label)
            for run in runs:
                assert placed.rect.contains(run.box()), (lang, i, run.text)
                assert not overlap(run.box(), used), (lang, i, run.text)
            for one, other in itertools.combinations(runs, 2):
                assert not overlap(one.box(), other.box()), (lang, i, one.text, other.text)
        for a, b in itertools.combinations(view.hit_targets(), 2):
            assert not overlap(a.rect, b.rect)


def test_tiles_lay_out_in_rows(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    keys = list(deck.metrics)
    for count, columns in ((1, 1), (3, 3), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4)):
        view = make_view(metrics_slide(count, keys))
        tops = sorted({round(t.rect.top()) for t in view.hit_targets()})
        assert len(tops) == -(-count // columns), count
    view = make_view(metrics_slide(5, keys), (1080, 1920))
    lefts = {round(t.rect.left()) for t in view.hit_targets()}
    assert len(lefts) == 3  # two columns and the last tile centred


def test_tile_pixels_and_the_gold_accent(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    view = make_view(glance_slide(), lang="en")
    assert isinstance(view, MetricsView)
    image = grab(view)
    panel = QColor(view.theme.colors.panel)
    inset = view.grid.px(12)
    targets = view.hit_targets()
    for target in targets:
        r = target.rect
        assert image.pixelColor(QPointF(r.right() - inset, r.center().y()).toPoint()) == panel
    number = next(r for r in view.figure_runs(0) if r.role == "number")
    assert count_near(image, number.box(), GOLD) > 200
    # One accent: no gold on the other tiles.
    for target in targets[1:]:
        assert count_near(image, target.rect, GOLD) == 0

    view.set_elapsed(0.0)
    start = grab(view)
    assert count_near(start, targets[0].rect, GOLD) == 0
    background = QColor(view.theme.colors.background)
    r = targets[0].rect
    assert start.pixelColor(QPointF(r.right() - inset, r.center().y()).toPoint()) == background


def test_pressed_tile_is_painted(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    view = make_view(glance_slide())
    target = view.hit_targets()[1]
    inset = view.grid.px(12)
    probe = QPointF(target.rect.right() - inset, target.rect.center().y()).toPoint()
    before = grab(view)
    view.set_highlight(target.key)
    after = grab(view)
    panel = QColor(view.theme.colors.panel)
    assert before.pixelColor(probe) == panel
    assert after.pixelColor(probe).lightness() > panel.lightness()
    edge = QRectF(target.rect.left(), target.rect.top() + 40, 3, target.rect.height() - 80)
    teal = QColor(view.theme.colors.teal)
    assert count_near(after, edge, teal) > 10
    assert count_near(before, edge, teal) == 0


# --- timeline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_timeline_hit_targets(
    deck: Deck, make_view: Callable[..., SlideView], size: tuple[int, int], lang: str
) -> None:
    slide = slide_of(deck, TimelineSlide)
    assert isinstance(slide, TimelineSlide)
    view = make_view(slide, size, lang)
    assert isinstance(view, TimelineView)
    targets = view.hit_targets()
    assert [t.key for t in targets] == [f"event:{i}" for i in range(len(slide.events))]
    # In the order written, not sorted.
    assert [t.title for t in targets] == [e.label for e in slide.events]
    # Each card names its event's date first: read alone, the card would otherwise lack it.
    for target, event in zip(targets, slide.events, strict=True):
        for language in ("zh", "en"):
            date = format_period(event.date, event.until, language)
            assert target.detail.get(language) == f"{date}\n\n{event.detail.get(language)}"
    layout = view.arranged()
    dots = [e.dot for e in layout.events]
    for i, (target, placed) in enumerate(zip(targets, layout.events, strict=True)):
        assert view.rect().toRectF().contains(target.rect)
        assert min(target.rect.width(), target.rect.height()) >= view.grid.px(64)
        assert target.rect.contains(placed.date_rect)
        assert target.rect.contains(placed.label_rect)
        # A tap on a dot finds its own event first, as the window looks targets up in order.
        hit = next(t for t in targets if t.rect.contains(dots[i]))
        assert hit.key == f"event:{i}"


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("count", range(1, 9))
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_any_number_of_events_fits(
    deck: Deck,
    make_view: Callable[..., SlideView],
    size: tuple[int, int],
    count: int,
    larger: bool,
) -> None:
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for lang in LANGS:
        view = make_view(timeline_slide(count), size, lang, theme=theme)
        assert isinstance(view, TimelineView)
        layout = view.arranged()
        frame = view.grid.frame
        boxes = []
        for placed in layout.events:
            for rect in (placed.date_rect, placed.label_rect):
                assert frame.contains(rect), (lang, rect)
                boxes.append(rect)
        for a, b in itertools.combinations(boxes, 2):
            assert not overlap(a, b), lang
        for target in view.hit_targets():
            assert min(target.rect.width(), target.rect.height()) >= view.grid.px(64)
            assert view.rect().toRectF().contains(target.rect)


def test_events_appear_one_after_another(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    view = make_view(slide_of(deck, TimelineSlide), elapsed=0.0)
    assert isinstance(view, TimelineView)
    layout = view.arranged()
    background = QColor(view.theme.colors.background)
    start = grab(view)
    # Nothing yet: not the axis, not a dot.
    axis = layout.axis
    assert start.pixelColor(axis.pointAt(0.5).toPoint()) == background
    assert all(start.pixelColor(e.dot.toPoint()) == background for e in layout.events)
    # The axis first, then the first event while the second is still to come.
    view.set_elapsed(EVENT_DELAY + EVENT_STAGGER * 1.5)
    early = grab(view)
    assert early.pixelColor(axis.pointAt(0.5).toPoint()) != background
    assert view.event_progress(0) > view.event_progress(1) > 0
    assert view.event_progress(2) == 0
    teal = QColor(view.theme.colors.teal)
    # The third dot's place shows only the axis through it, no dot yet.
    assert not near(early.pixelColor(layout.events[2].dot.toPoint()), teal, 60)
    view.settle()
    assert near(grab(view).pixelColor(layout.events[2].dot.toPoint()), teal)
    assert view.is_settled()
    assert all(view.event_progress(i) == 1 for i in range(len(layout.events)))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_first_dot_is_the_gold_accent(
    deck: Deck, make_view: Callable[..., SlideView], size: tuple[int, int]
) -> None:
    view = make_view(slide_of(deck, TimelineSlide), size, "zh")
    assert isinstance(view, TimelineView)
    image = grab(view)
    dots = [e.dot.toPoint() for e in view.arranged().events]
    teal = QColor(view.theme.colors.teal)
    assert near(image.pixelColor(dots[0]), GOLD)
    assert all(near(image.pixelColor(d), teal) for d in dots[1:])


def test_pressed_event_is_painted(deck: Deck, make_view: Callable[..., SlideView]) -> None:
    view = make_view(slide_of(deck, TimelineSlide))
    assert isinstance(view, TimelineView)
    target = view.hit_targets()[2]
    words = view.arranged().events[2].words
    assert target.rect.contains(words)
    # Just beside the words, inside the pressed panel's padding.
    probe = QPointF(words.left() - view.grid.px(10), words.center().y()).toPoint()
    background = QColor(view.theme.colors.background)
    assert grab(view).pixelColor(probe) == background
    view.set_highlight(target.key)
    assert grab(view).pixelColor(probe).lightness() > background.lightness()
    view.set_highlight(None)
    assert grab(view).pixelColor(probe) == background


# --- timeline: not to scale, and says so ---------------------------------------------------------


def dated_slide(dates: list[tuple[str, str | None]]) -> TimelineSlide:
    return TimelineSlide.model_validate(
        {
            "id": "dated",
            "type": "timeline",
            "title": "T",
            "events": [
                {
                    "date": d,
                    "label": f"Event {i}",
                    "detail": "Test data.",
                    **({"until": u} if u else {}),
                }
                for i, (d, u) in enumerate(dates)
            ],
        }
    )


def test_long_gaps_are_the_ones_of_five_years_or_more() -> None:
    slide = dated_slide(
        [
            ("2010-06-18", None),
            ("2015-05", None),
            ("2020-05", None),
            ("2021", "2024"),
            ("2029", None),
        ]
    )
    # 2010-06 to 2015-05 is 59 months; 2015-05 to 2020-05 is 60; a period counts from its end.
    assert long_gaps(slide.events) == [1, 3]
    assert long_gaps(dated_slide([("2010", None)]).events) == []


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_bundled_timeline_breaks_its_axis_between_2010_and_2025(
    deck: Deck, make_view: Callable[..., SlideView], size: tuple[int, int], lang: str
) -> None:
    slide = slide_of(deck, TimelineSlide)
    assert isinstance(slide, TimelineSlide)
    view = make_view(slide, size, lang)
    assert isinstance(view, TimelineView)
    layout = view.arranged()
    marks = view.break_marks()
    assert len(marks) == 1
    first, second = layout.events[0].dot, layout.events[1].dot
    mark = marks[0]
    assert mark.x() == pytest.approx((first.x() + second.x()) / 2, abs=1)
    assert mark.y() == pytest.approx((first.y() + second.y()) / 2, abs=1)
    image = grab(view)
    background = QColor(view.theme.colors.background)
    # The axis is cut at the mark (background there) and the strokes stand off the axis.
    assert image.pixelColor(mark.toPoint()) == background
    grid = view.grid
    along = layout.axis.unitVector()
    step = QPointF(along.dx(), along.dy()) * (BREAK[0] / 2) * grid.scale
    stroke_mid = (mark + step).toPoint()
    assert image.pixelColor(stroke_mid) != background
    # One band for 2026–2030, longer than a dot along the axis.
    assert [e.until is not None for e in slide.events].count(True) == 1
    assert layout.band > 3 * grid.px(DOT)
    # The January 2026 events share one place on the axis: the source gives them no order.
    january = [e for e in slide.events if (e.date.year, e.date.month) == (2026, 1)]
    assert len(january) == 1


def test_the_axis_draws_in_and_the_break_appears_when_it_is_reached(
    deck: Deck, make_view: Callable[..., SlideView]
) -> None:
    view = make_view(slide_of(deck, TimelineSlide), elapsed=0.0)
    assert isinstance(view, TimelineView)
    mark = view.break_marks()[0]
    grid = view.grid
    layout = view.arranged()
    along = layout.axis.unitVector()
    stroke = (mark + QPointF(along.dx(), along.dy()) * (BREAK[0] / 2) * grid.scale).toPoint()
    background = QColor(view.theme.colors.background)
    assert grab(view).pixelColor(stroke) == background
    view.settle()
    assert grab(view).pixelColor(stroke) != background


def test_reduce_motion_draws_the_break_at_once(
    deck: Deck, make_view: Callable[..., SlideView]
) -> None:
    loop = deck.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(deck, settings=deck.settings.model_copy(update={"loop": loop}))
    view = make_view(slide_of(deck, TimelineSlide), elapsed=0.0, of=calm)
    assert isinstance(view, TimelineView)
    mark = view.break_marks()[0]
    along = view.arranged().axis.unitVector()
    stroke = (mark + QPointF(along.dx(), along.dy()) * (BREAK[0] / 2) * view.grid.scale).toPoint()
    assert grab(view).pixelColor(stroke) != QColor(view.theme.colors.background)


def test_no_break_without_a_long_gap(make_view: Callable[..., SlideView]) -> None:
    view = make_view(dated_slide([("2020", None), ("2022", None), ("2024", "2026")]))
    assert isinstance(view, TimelineView)
    assert view.break_marks() == []


# --- metrics: giant counts with chips ------------------------------------------------------------


def chips_slide() -> MetricsSlide:
    return MetricsSlide.model_validate(
        {
            "id": "counts",
            "type": "metrics",
            "title": "T",
            "tiles": [
                {"metric": "major-fronts", "chips": ["Test chip one", "Test chip two"]},
                {
                    "metric": "key-tasks",
                    "chips": [
                        {"zh": "测试甲", "en": "Test chip three"},
                        {"zh": "测试乙", "en": "A much longer test chip four"},
                        {"zh": "测试丙", "en": "Test chip five"},
                    ],
                },
            ],
            "note": {"zh": "测试说明", "en": "Test note."},
        }
    )


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_chips_sit_under_their_figure_inside_their_tile(
    make_view: Callable[..., SlideView], size: tuple[int, int], lang: str
) -> None:
    view = make_view(chips_slide(), size, lang)
    assert isinstance(view, MetricsView)
    layout = view.arranged()
    frame = view.grid.frame
    for i, placed in enumerate(layout.tiles):
        number = next(r for r in view.figure_runs(i) if r.role == "number").box()
        assert len(placed.chips) == len(view.slide.tiles[i].chips or [])
        for pill, _ in placed.chips:
            assert placed.rect.contains(pill)
            assert pill.top() >= number.bottom() - 1
        for (a, _), (b, _) in itertools.combinations(placed.chips, 2):
            assert not overlap(a, b)
    assert [w for _, w in layout.tiles[0].chips] == ["Test chip one", "Test chip two"]
    assert layout.note_rect is not None
    assert frame.contains(layout.note_rect)
    assert all(layout.note_rect.top() >= t.rect.bottom() for t in layout.tiles)
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(text.replace("\u2060", ""))):
        grab(view)
    assert ("测试甲" if lang == "zh" else "Test chip three") in drawn
    assert ("测试说明" if lang == "zh" else "Test note.") in drawn
    # Taps open the tile's card: the metric's detail (the chips' names in full).
    targets = view.hit_targets()
    assert [t.key for t in targets] == ["tile:major-fronts", "tile:key-tasks"]
    for target, placed in zip(targets, layout.tiles, strict=True):
        assert all(target.rect.contains(p) for p, _ in placed.chips)


def test_a_count_with_chips_is_giant(make_view: Callable[..., SlideView]) -> None:
    with_chips = make_view(chips_slide())
    plain = make_view(metrics_slide(2, ["major-fronts", "key-tasks"]))
    assert isinstance(with_chips, MetricsView)
    assert isinstance(plain, MetricsView)
    giant = with_chips.arranged().number_font.pixelSize()
    assert giant > 1.3 * plain.arranged().number_font.pixelSize()


def test_the_bundled_strategy_counts_and_names_only_what_the_article_names(deck: Deck) -> None:
    index = deck.index_of("strategy")
    assert index is not None
    slide = deck.slides[index]
    assert isinstance(slide, MetricsSlide)
    assert [format_metric(deck.metrics[t.metric], "en").text for t in slide.tiles] == ["6", "12"]
    assert [len(t.chips or []) for t in slide.tiles] == [2, 3]
    assert slide.note is not None


@pytest.mark.parametrize(
    ("chips", "message"),
    [
        ([], "List should have at least 1 item after validation, not 0"),
        (["a", "b", "c", "d", "e"], "List should have at most 4 items after validation, not 5"),
    ],
)
def test_chips_are_one_to_four(chips: list[str], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as raised:
        MetricsSlide.model_validate(
            {"id": "a", "type": "metrics", "title": "T", "tiles": [{"metric": "a", "chips": chips}]}
        )
    assert [e["msg"] for e in raised.value.errors()] == [message]


def test_reduce_motion_shows_the_chips_and_note_at_once(
    deck: Deck, make_view: Callable[..., SlideView]
) -> None:
    loop = deck.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(deck, settings=deck.settings.model_copy(update={"loop": loop}))
    view = make_view(chips_slide(), elapsed=0.0, of=calm)
    assert view.is_settled()
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(text)):
        grab(view)
    assert "Test chip one" in drawn
    assert "Test note." in drawn


@pytest.mark.parametrize(
    ("lang", "runs"),
    [
        ("en", [("number", "400"), ("unit", "billion-yuan tier")]),
        ("zh", [("number", "4000"), ("unit", "亿元级")]),
    ],
)
def test_a_tier_on_a_tile_is_written_as_a_tier(
    make_view: Callable[..., SlideView], lang: str, runs: list[tuple[str, str]]
) -> None:
    view = make_view(metrics_slide(1, ["nev-industry"]), lang=lang)
    assert isinstance(view, MetricsView)
    assert [(r.role, r.text) for r in view.figure_runs(0)] == runs


# --- timeline: events of one month claim no order ------------------------------------------------


def january_slide() -> TimelineSlide:
    return TimelineSlide.model_validate(
        {
            "id": "january",
            "type": "timeline",
            "title": "T",
            "events": [
                {"date": "2010-06-18", "label": "Test founding", "detail": "Test data: A."},
                {
                    "date": "2026-01",
                    "label": {"zh": "测试成立", "en": "Test inauguration"},
                    "detail": {"zh": "测试：某个星期日。", "en": "Test data: on a Sunday."},
                },
                {
                    "date": "2026-01-12",
                    "label": {"zh": "测试全会", "en": "Test plenary"},
                    "detail": {"zh": "测试：目标。", "en": "Test data: the goals."},
                },
                {"date": 2026, "until": 2030, "label": "Test plan", "detail": "Test data: B."},
            ],
        }
    )


def test_month_slots_group_consecutive_events_of_one_month() -> None:
    assert month_slots(january_slide().events) == [[0], [1, 2], [3]]
    assert month_slots(dated_slide([("2026-01", None), ("2026", "2030")]).events) == [[0], [1]]
    assert month_slots(dated_slide([("2026", None), ("2026", None)]).events) == [[0], [1]]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_events_of_one_month_share_one_place_and_one_card(
    make_view: Callable[..., SlideView], size: tuple[int, int], lang: str
) -> None:
    view = make_view(january_slide(), size, lang)
    assert isinstance(view, TimelineView)
    layout = view.arranged()
    assert len(layout.events) == 3  # one dot for January, not two in an order
    frame = view.grid.frame
    for placed in layout.events:
        assert frame.contains(placed.date_rect)
        assert frame.contains(placed.label_rect)
    drawn: list[str] = []
    with observe_text(lambda text, lines, box: drawn.append(text.replace("\u2060", ""))):
        grab(view)
    month = "2026年1月" if lang == "zh" else "January 2026"
    assert drawn.count(month) == 1
    assert not any("12" in d and "2026" in d for d in drawn)  # no day claimed on the axis
    targets = view.hit_targets()
    assert [t.key for t in targets] == ["event:0", "event:1", "event:3"]
    card = targets[1]
    assert card.title is not None
    assert card.title.get(lang) == month
    if lang == "en":
        assert card.detail.get("en") == (
            "Test inauguration: Test data: on a Sunday.\n\n"
            "Test plenary, 12 January 2026: Test data: the goals."
        )
    else:
        assert (
            card.detail.get("zh")
            == "测试成立：测试：某个星期日。\n\n测试全会（2026年1月12日）：测试：目标。"
        )
    view.set_highlight("event:1")
    assert view.highlight == view.key(1)
