"""The chart view: bars, hbars, lines (pyqtgraph) and share rings at every size and language.

Pixels are measured in images from `render_slide` (the path `kiosk render` and the stage's
snapshots take); geometry comes from a second view of the same slide at the same size, which
also shows that the layout does not depend on the widget having been shown.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QTextLayout
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.content.model import ChartSlide
from kiosk.content.theme import Theme, visitor_theme
from kiosk.ui.base import SETTLED
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.draw.text import block_size
from kiosk.ui.fonts import load_fonts
from kiosk.ui.render import render_slide
from kiosk.ui.slides import create_view
from kiosk.ui.slides.chart import ChartView, PlotView
from kiosk.ui.slides.chart.layout import PlotLayout
from kiosk.ui.slides.chart.rings import RingsLayout
from tests.helpers.show import BUNDLED, REPO

FIXTURES = REPO / "tests" / "fixtures" / "charts"
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
LANGS = ["zh", "en"]
TEAL = QColor("#19B3A6")
GOLD = QColor("#E8B04A")
JOINER = "\u2060"
"""The word joiner typesetting puts between the characters of a Chinese word."""
SKY = QColor("#5DA9E9")
SERIES = [TEAL, GOLD, SKY]


# --- fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(qapp: object) -> Deck:
    load_fonts()
    return load_deck(BUNDLED)


@pytest.fixture(scope="module")
def fixtures(qapp: object) -> Deck:
    load_fonts()
    return load_deck(FIXTURES)


@pytest.fixture
def make_view(qtbot: QtBot) -> Callable[..., ChartView]:
    """A chart view at a size, language and moment, hidden but shown (children laid out)."""

    def make(
        deck: Deck,
        slide_id: str,
        size: tuple[int, int] = (1920, 1080),
        lang: str = "en",
        elapsed: float = SETTLED,
        *,
        show: bool = True,
        theme: Theme | None = None,
    ) -> ChartView:
        view = create_view(deck, chart(deck, slide_id), lang=lang, theme=theme)
        assert isinstance(view, ChartView)
        qtbot.addWidget(view)
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*size)
        if show:
            view.show()
        view.set_elapsed(elapsed)
        return view

    return make


def chart(deck: Deck, slide_id: str) -> ChartSlide:
    index = deck.index_of(slide_id)
    assert index is not None
    slide = deck.slides[index]
    assert isinstance(slide, ChartSlide)
    return slide


def chart_ids(deck: Deck) -> list[str]:
    return [s.id for s in deck.slides if isinstance(s, ChartSlide)]


def render(deck: Deck, slide_id: str, size: tuple[int, int], lang: str, **kw: Any) -> QImage:
    return render_slide(deck, chart(deck, slide_id), size, lang, **kw)


def near(a: QColor, b: QColor, tolerance: int = 30) -> bool:
    return (
        abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance
    )


_ARRAYS: dict[int, np.ndarray] = {}


def rgb(image: QImage) -> np.ndarray:
    """The image's pixels as an array of (red, green, blue) rows (the last few are kept)."""
    key = image.cacheKey()
    if key not in _ARRAYS:
        if len(_ARRAYS) > 3:
            _ARRAYS.clear()
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        raw = np.frombuffer(image.constBits(), dtype=np.uint8)
        rows = raw.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()]
        _ARRAYS[key] = rows[:, :, 2::-1].astype(np.int16)  # memory holds B, G, R, A
    return _ARRAYS[key]


def mask_near(array: np.ndarray, color: QColor, tolerance: int = 30) -> np.ndarray:
    target = np.array([color.red(), color.green(), color.blue()], dtype=np.int16)
    return np.abs(array - target).sum(axis=2) <= tolerance


def count_near(image: QImage, rect: QRectF, color: QColor) -> int:
    r = rect.toAlignedRect().intersected(image.rect())
    area = rgb(image)[r.top() : r.bottom() + 1, r.left() : r.right() + 1]
    return int(mask_near(area, color).sum())


def run_along_row(image: QImage, y: float, left: float, right: float, color: QColor) -> int:
    """How many pixels of `color` a row holds between `left` and `right`."""
    row = rgb(image)[round(y), max(0, math.floor(left)) : math.ceil(right)]
    return int(mask_near(row[np.newaxis], color).sum())


def run_along_column(image: QImage, x: float, top: float, bottom: float, color: QColor) -> int:
    column = rgb(image)[max(0, math.floor(top)) : math.ceil(bottom), round(x)]
    return int(mask_near(column[np.newaxis], color).sum())


def inside(inner: QRectF, outer: QRectF, slack: float = 0.5) -> bool:
    return (
        inner.left() >= outer.left() - slack
        and inner.top() >= outer.top() - slack
        and inner.right() <= outer.right() + slack
        and inner.bottom() <= outer.bottom() + slack
    )


def missing_glyphs(text: str, font: QFont) -> list[str]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    return [text for run in layout.glyphRuns() if 0 in run.glyphIndexes()]


def plot_layout(view: ChartView) -> PlotLayout | None:
    """The bar, hbar or line chart's layout (None for share rings)."""
    layout = view.arranged()
    return layout if isinstance(layout, PlotLayout) else None


def ring_layout(view: ChartView) -> RingsLayout | None:
    """The share rings' layout (None for a plot)."""
    layout = view.arranged()
    return layout if isinstance(layout, RingsLayout) else None


def shown_strings(view: ChartView) -> Iterator[tuple[str, QFont]]:
    """Every string the chart draws, with its font."""
    layout = plot_layout(view)
    if layout is not None:
        yield from ((label, layout.category_font) for label in layout.categories)
        yield from ((label, layout.tick_font) for _, label in layout.ticks)
        yield layout.scale.title or "x", layout.tick_font
        for row in view.value_texts():
            yield from ((text, layout.value_font) for text in row if text)
        for series in view.chart.series:
            yield view.t(series.name), layout.legend_font
        if layout.note_font is not None and view.chart.note is not None:
            yield view.t(view.chart.note), layout.note_font
    rings = ring_layout(view)
    if rings is not None:
        for i, ring in enumerate(rings.rings):
            yield "\n".join(ring.lines), rings.label_font
            qualifier, number = view.ring_text(i)
            yield number, rings.number_font
            if qualifier:
                yield qualifier, rings.qualifier_font


def check_layout(view: ChartView) -> None:
    """Everything lies in the view, above the foot band, and nothing overlaps."""
    grid = Grid(view.width(), view.height(), view.theme)
    frame = QRectF(0, 0, view.width(), view.height())
    foot = grid.footer.top() + 0.5
    layout = plot_layout(view)
    if layout is not None:
        plot = layout.plot
        assert plot.width() > grid.px(200)
        assert plot.height() > grid.px(200)
        assert inside(layout.widget, frame)
        assert layout.widget.bottom() <= foot
        assert inside(plot, layout.widget)
        under = layout.widget.bottom()
        if layout.unit_rect is not None:
            assert inside(layout.unit_rect, frame)
            if view.chart.kind == "hbar":
                assert layout.unit_rect.top() >= layout.widget.bottom() - 0.5
                under = layout.unit_rect.bottom()
            else:
                assert layout.unit_rect.bottom() <= layout.widget.top() + 0.5
        for swatch, text, _ in layout.legend:
            assert inside(swatch, frame)
            assert inside(text, frame)
            assert text.bottom() <= layout.widget.top() + 0.5
            if layout.unit_rect is not None and view.chart.kind != "hbar":
                assert not text.intersects(layout.unit_rect)
        if layout.note_rect is not None:
            assert layout.note_rect.top() >= under - 0.5
            assert layout.note_rect.bottom() <= foot
        # Category labels fit their slots, so nothing is clipped or overlaps.
        n = view.count
        for text in layout.categories:
            width, height = block_size(text.split("\n"), layout.category_font)
            if view.chart.kind == "hbar":
                assert width <= layout.axis_left - layout.text_offset + 0.5
                assert height <= plot.height() / n + 0.5
            else:
                assert width <= plot.width() / n + 0.5
                assert height <= layout.axis_bottom - layout.text_offset + 0.5
    rings = ring_layout(view)
    if rings is not None:
        for i, ring in enumerate(rings.rings):
            assert inside(ring.square, frame)
            assert ring.label_rect.bottom() <= foot
            assert ring.label_rect.top() >= ring.square.bottom()
            width, height = block_size(ring.lines, rings.label_font)
            assert width <= ring.label_rect.width() + 0.5
            assert height <= ring.label_rect.height() + 0.5
            for other in rings.rings[i + 1 :]:
                assert not ring.square.intersects(other.square)
                assert not ring.label_rect.intersects(other.label_rect)
            if rings.note_rect is not None:
                assert rings.note_rect.top() >= ring.label_rect.bottom()
                assert rings.note_rect.bottom() <= foot


# --- every chart, every size, both languages -----------------------------------------------------


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_renders_at_every_size(
    bundled: Deck,
    fixtures: Deck,
    make_view: Callable[..., ChartView],
    size: tuple[int, int],
    lang: str,
    larger: bool,
) -> None:
    """At the deck's type sizes and the visitor's larger text (the labels reflow)."""
    for deck in (bundled, fixtures):
        theme = visitor_theme(deck.settings.theme, larger=larger)
        for slide_id in chart_ids(deck):
            image = render(deck, slide_id, size, lang, theme=theme)
            assert (image.width(), image.height()) == size
            view = make_view(deck, slide_id, size, lang, show=False, theme=theme)
            check_layout(view)
            missing = [m for text, font in shown_strings(view) for m in missing_glyphs(text, font)]
            assert missing == [], slide_id
            # The chart itself is drawn: the first series' colour (gold for the first ring).
            if view.chart.kind == "share":
                first = view.hit_targets()[0].rect
                assert count_near(image, first, GOLD) > 50, slide_id
            else:
                assert count_near(image, view.plot_rect(), TEAL) > 50, slide_id
    assert len(chart_ids(bundled)) == 2
    assert len(chart_ids(fixtures)) == 4


def test_the_fixture_deck_has_every_kind(fixtures: Deck) -> None:
    kinds = {chart(fixtures, i).kind for i in chart_ids(fixtures)}
    assert kinds == {"bar", "hbar", "line", "share"}
    line = chart(fixtures, "test-line")
    assert (len(line.series), len(line.categories)) == (2, 5)
    assert len(chart(fixtures, "test-bar").series) == 3
    assert all(
        chart(fixtures, i).title.get("en").startswith("Test data") for i in chart_ids(fixtures)
    )


# --- the numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", ["400-billion-yuan tier", "300-billion-yuan tier", "200-billion-yuan tier"]),
        ("zh", ["4000亿元级", "3000亿元级", "2000亿元级"]),
    ],
)
def test_a_chart_of_tiers_labels_its_bars_as_tiers_and_draws_no_value_axis(
    bundled: Deck, make_view: Callable[..., ChartView], lang: str, labels: list[str]
) -> None:
    # The article states tiers (a 400-billion-yuan industry): an axis of 0, 100, 200 ...
    # would claim a measurement it does not give.
    view = make_view(bundled, "industries", lang=lang)
    layout = plot_layout(view)
    assert layout is not None
    assert layout.scale.tier
    assert layout.ticks == []
    assert layout.scale.title == ""
    assert layout.unit_rect is None
    assert view.value_texts() == [labels]
    assert isinstance(view, PlotView)
    grid_lines = view._grid_lines
    assert grid_lines is not None
    assert not grid_lines.isVisible()


@pytest.mark.parametrize("kind", ["bar", "hbar"])
@pytest.mark.parametrize(
    ("lang", "ticks", "title", "labels"),
    [
        ("en", ["0", "100", "200", "300", "400"], "billion yuan", ["400", "300", "200"]),
        ("zh", ["0", "1000", "2000", "3000", "4000"], "亿元", ["4000", "3000", "2000"]),
    ],
)
def test_one_scale_for_the_whole_chart(
    bundled: Deck,
    qtbot: QtBot,
    kind: str,
    lang: str,
    ticks: list[str],
    title: str,
    labels: list[str],
) -> None:
    # The same figures written as values (not tiers) share one scale and a value axis.
    slide = ChartSlide.model_validate(
        {
            "id": "scaled",
            "type": "chart",
            "kind": kind,
            "title": "Test data",
            "unit": {"zh": "元", "en": "yuan"},
            "categories": [{"label": "A"}, {"label": "B"}, {"label": "C"}],
            "series": [{"name": "S", "values": [4e11, 3e11, 2e11]}],
        }
    )
    view = create_view(bundled, slide, lang=lang)
    assert isinstance(view, ChartView)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.set_elapsed(SETTLED)
    layout = plot_layout(view)
    assert layout is not None
    assert not layout.scale.tier
    assert [label for _, label in layout.ticks] == ticks
    assert layout.scale.title == title
    assert view.value_texts() == [labels]


def test_a_tier_bar_chart_draws_no_value_axis_either(bundled: Deck, qtbot: QtBot) -> None:
    slide = ChartSlide.model_validate(
        {
            "id": "tiers",
            "type": "chart",
            "kind": "bar",
            "title": "Test data",
            "categories": [{}, {}],
            "series": [{"name": "S", "metrics": ["nev-industry", "software-industry"]}],
        }
    )
    view = create_view(bundled, slide, lang="en")
    assert isinstance(view, ChartView)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.set_elapsed(SETTLED)
    layout = plot_layout(view)
    assert layout is not None
    assert layout.ticks == []
    assert layout.axis_left < view.grid.px(20)
    assert view.value_texts() == [["400-billion-yuan tier", "200-billion-yuan tier"]]


@pytest.mark.parametrize(
    ("lang", "ticks", "labels"),
    [
        ("en", ["0", "2,000", "4,000"], ["1,360", "5,400"]),
        ("zh", ["0", "2000", "4000"], ["1360", "5400"]),
    ],
)
def test_plain_numbers_group_as_their_language_writes_them(
    fixtures: Deck, qtbot: QtBot, lang: str, ticks: list[str], labels: list[str]
) -> None:
    # One grouping rule a language on axes and labels alike: commas in English, none in
    # Chinese (the same as its scaled figures, 6700亿).
    slide = ChartSlide.model_validate(
        {
            "id": "plain",
            "type": "chart",
            "kind": "bar",
            "title": "T",
            "categories": [{"label": "A"}, {"label": "B"}],
            "series": [{"name": "S", "values": [1360, 5400]}],
        }
    )
    view = create_view(fixtures, slide, lang=lang)
    assert isinstance(view, ChartView)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.set_elapsed(SETTLED)
    layout = plot_layout(view)
    assert layout is not None
    assert [label for _, label in layout.ticks] == ticks
    assert view.value_texts() == [labels]


def test_qualifiers_and_metric_labels_on_bars(
    fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    en = make_view(fixtures, "test-hbar", lang="en")
    assert en.value_texts() == [["2.10", "over 1.25", "0.80", "0.42"]]
    layout = plot_layout(en)
    assert layout is not None
    assert layout.scale.title == "million visitors"
    assert layout.categories[0].replace("\n", " ").startswith("Test item alpha")
    zh = make_view(fixtures, "test-hbar", lang="zh")
    assert zh.value_texts() == [["210", "超过125", "80", "42"]]
    layout = plot_layout(zh)
    assert layout is not None
    assert layout.scale.title == "万人"


@pytest.mark.parametrize("lang", LANGS)
def test_share_rings_show_qualifiers(
    bundled: Deck, fixtures: Deck, make_view: Callable[..., ChartView], lang: str
) -> None:
    view = make_view(bundled, "shares", lang=lang)
    over = "超过" if lang == "zh" else "over"
    # The three "over 40 %" figures are one ring naming its three items.
    assert [view.ring_text(i) for i in range(2)] == [("", "75%"), (over, "40%")]
    plain = make_view(fixtures, "test-share", lang=lang)
    assert [plain.ring_text(i) for i in range(3)] == [("", "75%"), ("", "30%"), ("", "55.5%")]


# --- pixels: lengths, rings, lines ---------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_hbar_lengths_are_proportional(
    bundled: Deck,
    make_view: Callable[..., ChartView],
    size: tuple[int, int],
    lang: str,
) -> None:
    image = render(bundled, "industries", size, lang)
    view = make_view(bundled, "industries", size, lang, show=False)
    plot = view.plot_rect()
    lengths = [
        run_along_row(image, target.rect.center().y(), plot.left() - 2, plot.right() + 2, TEAL)
        for target in view.hit_targets()
    ]
    # Tier labels are long (400-billion-yuan tier): in a narrow portrait plot they take room.
    assert lengths[0] > plot.width() * (0.3 if view.grid.portrait else 0.6)
    assert lengths[1] / lengths[0] == pytest.approx(0.75, abs=0.015)
    assert lengths[2] / lengths[0] == pytest.approx(0.50, abs=0.015)
    for c, length in enumerate(lengths):
        assert length == pytest.approx(view.bar_rect(c, 0).width(), abs=3)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_grouped_bar_heights_are_proportional(
    fixtures: Deck, make_view: Callable[..., ChartView], size: tuple[int, int]
) -> None:
    image = render(fixtures, "test-bar", size, "en")
    view = make_view(fixtures, "test-bar", size, "en", show=False)
    plot = view.plot_rect()
    values = view.values
    full = max(max(row) for row in values)
    top_px = None
    for s, row in enumerate(values):
        for c, value in enumerate(row):
            x = view.bar_rect(c, s).center().x()
            height = run_along_column(image, x, plot.top(), plot.bottom() + 2, SERIES[s])
            if value == full and top_px is None:
                top_px = height
            assert top_px is not None
            assert height / top_px == pytest.approx(value / full, abs=0.008), (s, c)


def ring_colour_at(image: QImage, square: QRectF, fraction: float) -> QColor:
    """The colour in the middle of a ring's stroke, `fraction` of the way round from 12
    o'clock, clockwise."""
    radius = square.width() * 0.45  # the stroke is a tenth of the diameter
    angle = 2 * math.pi * fraction
    center = square.center()
    point = QPointF(center.x() + radius * math.sin(angle), center.y() - radius * math.cos(angle))
    return image.pixelColor(round(point.x()), round(point.y()))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_share_ring_fills_to_its_value(
    bundled: Deck,
    fixtures: Deck,
    make_view: Callable[..., ChartView],
    size: tuple[int, int],
    lang: str,
) -> None:
    for deck, slide_id in ((bundled, "shares"), (fixtures, "test-share")):
        image = render(deck, slide_id, size, lang)
        view = make_view(deck, slide_id, size, lang, show=False)
        layout = view.arranged()
        assert isinstance(layout, RingsLayout)
        squares = [ring.square for ring in layout.rings]
        first = squares[0]  # 75 %: the one gold ring
        for fraction in (0.02, 0.2, 0.4, 0.6, 0.73):
            assert near(ring_colour_at(image, first, fraction), GOLD), fraction
        for fraction in (0.78, 0.9, 0.97):
            assert near(ring_colour_at(image, first, fraction), QColor("#1E3A50")), fraction
        # The others are teal: over 40 % / 30 %.
        second = squares[1]
        share = view.values[0][1] / 100
        assert near(ring_colour_at(image, second, share * 0.8), TEAL)
        assert not near(ring_colour_at(image, second, share + 0.08), TEAL)
        assert not any(near(ring_colour_at(image, sq, 0.1), GOLD) for sq in squares[1:])


def test_bars_grow_in_from_zero(fixtures: Deck, make_view: Callable[..., ChartView]) -> None:
    for slide_id in ("test-bar", "test-hbar"):
        view = make_view(fixtures, slide_id, show=False)
        plot = view.plot_rect()
        start = render(fixtures, slide_id, (1920, 1080), "en", elapsed=0.0)
        assert all(count_near(start, plot, c) == 0 for c in SERIES), slide_id
        settled = render(fixtures, slide_id, (1920, 1080), "en")
        assert count_near(settled, plot, TEAL) > 1000, slide_id
    # Part way, the first bar is ahead of the last (staggered), both short of their values.
    view = make_view(fixtures, "test-hbar", elapsed=0.6)
    image = render(fixtures, "test-hbar", (1920, 1080), "en", elapsed=0.6)
    plot = view.plot_rect()
    progress = []
    for c, target in enumerate(view.hit_targets()):
        length = run_along_row(image, target.rect.center().y(), plot.left(), plot.right(), TEAL)
        progress.append(length / view.bar_rect(c, 0).width())
    assert 0 < progress[-1] < progress[0] < 0.99
    # The labels never count up with their bars: each reads its figure, waiting at its end.
    assert view.value_texts() == [["2.10", "over 1.25", "0.80", "0.42"]]
    layout = plot_layout(view)
    assert layout is not None
    assert view.plot_widget is not None
    texts = [i for i in view.plot_widget.getPlotItem().items if isinstance(i, pg.TextItem)]
    assert len(texts) == view.count
    for c, label in enumerate(texts):
        end = view.values[0][c] / layout.scale.divisor
        grown = end * view.progress(c)
        assert grown < end
        assert end <= label.pos().x() < end + 0.1 * layout.x_range[1]


def test_value_labels_read_the_figure_in_every_frame(
    bundled: Deck, fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    for deck in (bundled, fixtures):
        for slide_id in chart_ids(deck):
            for lang in LANGS:
                view = make_view(deck, slide_id, lang=lang)
                final = view.value_texts()
                elapsed = 0.0
                while elapsed <= view.entry_duration():
                    view.set_elapsed(elapsed)
                    assert view.value_texts() == final, (slide_id, lang, elapsed)
                    elapsed += 1 / 30


def test_rings_show_their_share_from_the_first_frame(
    bundled: Deck, make_view: Callable[..., ChartView]
) -> None:
    view = make_view(bundled, "shares", lang="zh", elapsed=0.0)
    seen: list[str] = []
    with observe_text(lambda text, lines, box: seen.append(text)):
        for elapsed in (0.25, 0.4, 0.6, 1.0):
            view.set_elapsed(elapsed)
            view.render(QImage(1920, 1080, QImage.Format.Format_RGB32))
    numbers = {t for t in seen if "%" in t}
    assert numbers == {"75%", "40%"}


def test_rings_fill_in_from_zero(fixtures: Deck, make_view: Callable[..., ChartView]) -> None:
    view = make_view(fixtures, "test-share", show=False)
    first = view.hit_targets()[0].rect
    start = render(fixtures, "test-share", (1920, 1080), "en", elapsed=0.0)
    assert count_near(start, first, GOLD) == 0
    middle = render(fixtures, "test-share", (1920, 1080), "en", elapsed=0.5)
    assert near(ring_colour_at(middle, first, 0.02), GOLD)
    assert not near(ring_colour_at(middle, first, 0.73), GOLD)


def line_sample(view: ChartView, series: int, segment: int, t: float = 0.5) -> QPointF:
    layout = plot_layout(view)
    assert layout is not None
    ys = [v / layout.scale.divisor for v in view.values[series]]
    y = ys[segment] + (ys[segment + 1] - ys[segment]) * t
    return view.to_view(segment + t, y)


def line_near(image: QImage, point: QPointF, color: QColor, reach: int = 3) -> bool:
    return any(
        near(image.pixelColor(round(point.x()) + dx, round(point.y()) + dy), color)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    )


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_line_draws_in_left_to_right(
    fixtures: Deck, make_view: Callable[..., ChartView], size: tuple[int, int]
) -> None:
    view = make_view(fixtures, "test-line", size, "zh", show=False)
    # Segments 0-1 and 3-4 of the two series do not cross, so each colour is its own.
    settled = render(fixtures, "test-line", size, "zh")
    for series, color in ((0, TEAL), (1, GOLD)):
        for segment in (0, 3):
            assert line_near(settled, line_sample(view, series, segment), color), (series, segment)
    start = render(fixtures, "test-line", size, "zh", elapsed=0.0)
    assert count_near(start, view.plot_rect(), TEAL) == 0
    assert count_near(start, view.plot_rect(), GOLD) == 0
    middle = render(fixtures, "test-line", size, "zh", elapsed=0.7)
    assert line_near(middle, line_sample(view, 0, 0), TEAL)
    assert not line_near(middle, line_sample(view, 0, 3), TEAL)


# --- timing --------------------------------------------------------------------------------------


def test_entry_duration_is_when_the_last_element_lands(
    bundled: Deck, fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    for deck in (bundled, fixtures):
        for slide_id in chart_ids(deck):
            view = make_view(deck, slide_id, lang="zh")
            final = view.value_texts()
            view.set_elapsed(view.entry_duration())
            assert view.is_settled()
            assert view.value_texts() == final
            last = view.count - 1
            assert view.progress(last, len(view.values) - 1) == 1.0
            view.set_elapsed(view.entry_duration() - 0.25)
            assert not view.is_settled()
            assert view.progress(last, len(view.values) - 1) < 1.0


def test_reduce_motion_shows_the_chart_at_once(
    fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    loop = fixtures.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(
        fixtures, settings=fixtures.settings.model_copy(update={"loop": loop})
    )
    view = make_view(calm, "test-bar", elapsed=0.0)
    assert view.entry_duration() == 0.0
    assert view.is_settled()
    image = render(calm, "test-bar", (1920, 1080), "en", elapsed=0.0)
    assert count_near(image, view.plot_rect(), SKY) > 500


# --- targets, highlight, language ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_one_hit_target_per_category(
    bundled: Deck, fixtures: Deck, make_view: Callable[..., ChartView], size: tuple[int, int]
) -> None:
    frame = QRectF(0, 0, *size)
    for deck in (bundled, fixtures):
        for slide_id in chart_ids(deck):
            view = make_view(deck, slide_id, size, show=False)
            least = view.grid.px(64) - 0.5
            targets = view.hit_targets()
            assert [t.key for t in targets] == [f"category:{i}" for i in range(view.count)]
            for i, target in enumerate(targets):
                assert inside(target.rect, frame)
                assert target.rect.width() >= least
                assert target.rect.height() >= least
                if view.chart.kind in ("bar", "hbar"):
                    for s in range(len(view.values)):
                        assert inside(view.bar_rect(i, s), target.rect, slack=1)
            for a, b in zip(targets, targets[1:], strict=False):
                overlap = a.rect.intersected(b.rect)
                assert overlap.width() < 1 or overlap.height() < 1, slide_id


def test_hit_target_titles_and_details(
    bundled: Deck, fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    hbar = make_view(fixtures, "test-hbar", show=False).hit_targets()
    metrics = fixtures.metrics
    assert hbar[0].title == metrics["test-alpha"].label  # no label: the metric's
    assert hbar[1].detail == metrics["test-beta"].detail  # no detail: the metric's
    assert hbar[2].detail.get("en") == "Test data: its own detail."
    line = make_view(fixtures, "test-line", show=False).hit_targets()
    assert line[2].detail.get("en") == "Test data: the third point."
    assert line[0].detail == line[0].title  # neither: the label itself
    shares = make_view(bundled, "shares", show=False).hit_targets()
    categories = chart(bundled, "shares").categories
    assert [t.detail for t in shares] == [c.detail for c in categories]
    plain = make_view(fixtures, "test-share", show=False).hit_targets()
    assert plain[0].detail == plain[0].title  # values, no detail: the label itself


def test_geometry_matches_pyqtgraph(fixtures: Deck, make_view: Callable[..., ChartView]) -> None:
    for slide_id, size in (("test-bar", (1920, 1080)), ("test-hbar", (1080, 1920))):
        view = make_view(fixtures, slide_id, size)
        plot_widget = view.plot_widget
        assert plot_widget is not None
        box = plot_widget.getPlotItem().getViewBox()
        for x, y in ((0.0, 0.0), (2.0, 1.5), (3.0, 0.5)):
            scene = box.mapViewToScene(QPointF(x, y))
            there = plot_widget.mapTo(view, plot_widget.mapFromScene(scene))
            here = view.to_view(x, y)
            assert abs(there.x() - here.x()) <= 1
            assert abs(there.y() - here.y()) <= 1


def test_the_plot_takes_no_mouse_and_is_built_once(
    fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    for slide_id in ("test-bar", "test-line"):
        view = make_view(fixtures, slide_id, elapsed=0.0)
        plot_widget = view.plot_widget
        assert plot_widget is not None
        item = plot_widget.getPlotItem()
        assert item.getViewBox().state["mouseEnabled"] == [False, False]
        assert not item.menuEnabled()
        assert plot_widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        before = [id(i) for i in plot_widget.scene().items()]
        for elapsed in (0.1, 0.5, 0.9, 1.6, SETTLED):
            view.set_elapsed(elapsed)
        view.set_language("zh")
        view.set_highlight("category:1")
        view.resize(1080, 1920)
        assert [id(i) for i in plot_widget.scene().items()] == before
    assert (
        create_view(fixtures, chart(fixtures, "test-share"), lang="en").findChild(pg.PlotWidget)
        is None
    )


def test_highlight_marks_its_category(fixtures: Deck, make_view: Callable[..., ChartView]) -> None:
    view = make_view(fixtures, "test-bar")
    plain = QImage(1920, 1080, QImage.Format.Format_RGB32)
    view.render(plain)
    view.set_highlight("category:1")
    lit = QImage(1920, 1080, QImage.Format.Format_RGB32)
    view.render(lit)
    chosen = view.bar_rect(1, 0).center()
    other = view.bar_rect(0, 0).center()
    assert near(plain.pixelColor(chosen.toPoint()), TEAL)
    brighter = lit.pixelColor(chosen.toPoint())
    assert brighter.lightness() > TEAL.lightness() + 10
    assert lit.pixelColor(other.toPoint()).lightness() < TEAL.lightness() - 10
    view.set_highlight(None)
    again = QImage(1920, 1080, QImage.Format.Format_RGB32)
    view.render(again)
    assert again == plain

    rings = make_view(fixtures, "test-share")
    before = QImage(1920, 1080, QImage.Format.Format_RGB32)
    rings.render(before)
    rings.set_highlight("category:2")
    after = QImage(1920, 1080, QImage.Format.Format_RGB32)
    rings.render(after)
    square = rings.hit_targets()[2].rect
    outside = QRectF(square.left() - 30, square.top() - 30, square.width() + 60, 24)
    panel = QColor("#12293B")
    assert count_near(after, outside, panel) > count_near(before, outside, panel) + 50


def test_language_change_relabels_the_axes(
    fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    view = make_view(fixtures, "test-bar", lang="en")
    layout = plot_layout(view)
    assert layout is not None
    assert layout.categories[0] == "Test A"
    assert layout.scale.title == "tonnes"
    assert [view.t(s.name) for s in view.chart.series][0] == "Series one"
    english = QImage(1920, 1080, QImage.Format.Format_RGB32)
    view.render(english)
    view.set_language("zh")
    layout = plot_layout(view)
    assert layout is not None
    assert layout.categories[0].replace(JOINER, "") == "测试甲"
    assert layout.scale.title == "吨"
    axis = view.plot_widget.getPlotItem().getAxis("bottom") if view.plot_widget else None
    assert axis is not None
    at, label = axis._tickLevels[0][0]
    assert (at, label.replace(JOINER, "")) == (0, "测试甲")
    chinese = QImage(1920, 1080, QImage.Format.Format_RGB32)
    view.render(chinese)
    assert chinese != english
    # The bars stay where they were: only words changed.
    assert near(chinese.pixelColor(view.bar_rect(0, 0).center().toPoint()), TEAL)


def test_long_labels_wrap_rather_than_clip(
    fixtures: Deck, make_view: Callable[..., ChartView]
) -> None:
    bar = plot_layout(make_view(fixtures, "test-bar", (1080, 1920), "en", show=False))
    assert bar is not None
    assert "\n" in bar.categories[2]
    hbar = plot_layout(make_view(fixtures, "test-hbar", (1080, 1920), "en", show=False))
    assert hbar is not None
    assert "\n" in hbar.categories[0]


# --- share rings: a hero and a ring naming several items -----------------------------------------

HERO_SHARES = {
    "id": "hero-shares",
    "type": "chart",
    "kind": "share",
    "title": "Test data: hero",
    "categories": [
        {"label": "Test share A"},
        {"label": "Test share B", "hero": True, "detail": "Test data: B's card."},
        {"label": "Test share C", "items": ["Test item one", "Test item two", "Test item three"]},
    ],
    "series": [{"name": "S", "values": [30, 75, 40]}],
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_hero_ring_is_the_large_gold_one_and_items_are_named_under_their_ring(
    fixtures: Deck, qtbot: QtBot, size: tuple[int, int], lang: str
) -> None:
    slide = ChartSlide.model_validate(HERO_SHARES)
    view = create_view(fixtures, slide, lang=lang)
    assert isinstance(view, ChartView)
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_elapsed(SETTLED)
    layout = view.arranged()
    assert isinstance(layout, RingsLayout)
    hero, others = layout.rings[1], [layout.rings[0], layout.rings[2]]
    assert hero.hero
    assert all(hero.square.width() > 1.4 * ring.square.width() for ring in others)
    frame = view.grid.frame
    for ring in layout.rings:
        for rect in (ring.square, ring.label_rect, ring.items_rect or ring.label_rect):
            assert inside(rect, frame)
    for a, b in zip(layout.rings, layout.rings[1:], strict=False):
        assert not view.ring_bounds(a).intersects(view.ring_bounds(b))
    assert layout.rings[2].items_rect is not None
    drawn: list[str] = []
    image = QImage(*size, QImage.Format.Format_ARGB32)
    with observe_text(lambda text, lines, box: drawn.append(text.replace(JOINER, ""))):
        view.render(image)
    assert "Test item one\nTest item two\nTest item three" in drawn
    # The hero's ring and figure carry the one accent: gold at its stroke, not at the others'.
    assert near(ring_colour_at(image, hero.square, 0.5), GOLD)
    assert not near(ring_colour_at(image, layout.rings[0].square, 0.1), GOLD)
    targets = view.hit_targets()
    assert [t.key for t in targets] == ["category:0", "category:1", "category:2"]
    assert targets[1].detail.get(lang) == "Test data: B's card."
    # A ring with items answers a tap on its words as on its ring.
    assert targets[2].rect.contains(layout.rings[2].items_rect.center())


def test_hero_and_items_rules_are_told_in_curator_words() -> None:
    from pydantic import ValidationError

    two = {**HERO_SHARES, "categories": [dict(c, hero=True) for c in HERO_SHARES["categories"]]}
    with pytest.raises(ValidationError) as raised:
        ChartSlide.model_validate(two)
    assert [e["msg"] for e in raised.value.errors()] == [
        "a share chart has one hero ring at most; 3 categories say hero: true"
    ]
    bars = {**HERO_SHARES, "kind": "bar"}
    with pytest.raises(ValidationError) as raised:
        ChartSlide.model_validate(bars)
    assert [e["msg"] for e in raised.value.errors()] == [
        "hero and items are for share rings (kind: share) only"
    ]
    one_item = {
        **HERO_SHARES,
        "categories": [{"label": "A", "items": ["only"]}, {}, {}],
    }
    with pytest.raises(ValidationError) as raised:
        ChartSlide.model_validate(one_item)
    assert raised.value.errors()[0]["loc"] == ("categories", 0, "items")


def test_reduce_motion_shows_the_hero_rings_at_once(fixtures: Deck, qtbot: QtBot) -> None:
    loop = fixtures.settings.loop.model_copy(update={"reduce_motion": True})
    calm = dataclasses.replace(
        fixtures, settings=fixtures.settings.model_copy(update={"loop": loop})
    )
    view = create_view(calm, ChartSlide.model_validate(HERO_SHARES), lang="en")
    assert isinstance(view, ChartView)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.set_elapsed(0.0)
    assert view.is_settled()
    assert all(view.progress(i) == 1.0 for i in range(3))
