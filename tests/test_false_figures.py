"""No false figure, ever: every number drawn in every frame of every entry animation is one the
content states, so a photograph of the screen at any moment carries only true figures away.

Each slide of the bundled deck and of the chart fixtures is stepped through its entry at 60 Hz
in both languages, each frame rendered; every string drawn (observed from the drawing
toolbox, line by line, so a number broken over two lines is caught too) and every pyqtgraph
value label is searched for numbers. A number is allowed when the content states it:

- a figure as `kiosk.content.format` writes it for the language (a tile's `540,000`, a bar's
  `4000`, a ring's `40%`): the final figure, whatever the frame;
- a number in the slide's own words in that language (titles, labels, notes, sources,
  details: `2026年1月`, `US$96.22`) and the parts of its dates (`2010`, `6`, `18`);
- on a chart's value axis only, a round scale mark: a whole multiple of the axis's tick step
  (`0`, `1000`, `2000`), as an axis states no figure, only where the figures lie.

A figure partly revealed (clipped while its digits slide in) is fine: the string drawn is the
final one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage

from kiosk.content.format import decimals_for, format_metric, group
from kiosk.content.loader import Deck, load_deck, metric_keys, walk
from kiosk.content.model import ChartSlide, SlideBase, Text
from kiosk.content.model.fields import PartialDate
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.render import render_slide
from kiosk.ui.slides import create_view
from kiosk.ui.slides.chart import ChartView
from kiosk.ui.slides.chart.layout import PlotLayout
from kiosk.ui.slides.chart.scale import chart_scale
from tests.helpers.show import BUNDLED, REPO

FIXTURES = REPO / "tests" / "fixtures" / "charts"
LANGS = ["zh", "en"]
FRAME = 1 / 60
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
EVERY = {(1920, 1080): 1, (3840, 2160): 10, (1080, 1920): 10}
"""Which frames are rendered at each size: every one at 1920x1080, where the motion is tested
frame by frame; every tenth elsewhere, where what differs is the layout (how lines wrap: a
number broken over two lines), not the motion, and a 4K frame costs four times as much."""
NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
JOINER = "\u2060"


def numbers_in(text: str) -> list[str]:
    """The numbers written in `text`, separators removed: `over 540,000` gives `540000`."""
    found = []
    for match in NUMBER.finditer(text.replace(JOINER, "")):
        token = match.group().rstrip(",")  # a comma after a number is punctuation
        found.append(token.replace(",", ""))
    return found


def content_numbers(deck: Deck, slide: SlideBase, lang: str) -> set[str]:
    """Every number the slide's content states in `lang`, as the figures are written."""
    allowed: set[str] = set()
    for _, value in walk(slide, ()):
        if isinstance(value, Text):
            allowed.update(numbers_in(value.get(lang)))
        elif isinstance(value, PartialDate):
            parts = (value.year, value.month, value.day)
            allowed.update(str(p) for p in parts if p)
    for key in metric_keys(slide):
        metric = deck.metrics[key]
        allowed.update(numbers_in(format_metric(metric, lang).text))
        for text in (metric.label, metric.detail, metric.source, metric.unit):
            if text is not None:
                allowed.update(numbers_in(text.get(lang)))
    for source in deck.source(slide):
        allowed.update(numbers_in(source.get(lang)))
    if isinstance(slide, ChartSlide):
        metrics = [
            deck.metrics[s.metrics[c]] if s.metrics else None
            for s in slide.series
            for c in range(len(slide.categories))
        ]
        values = [
            float(v)
            for s in slide.series
            for v in (s.values or [deck.metrics[k].value for k in s.metrics or []])
        ]
        scale = chart_scale(slide, metrics, values, lang)
        for value in values:
            # In the chart's scale, with its shared decimals (a bar's 75.0) or its own (75%).
            allowed.update(numbers_in(scale.value_text(value)))
            mantissa = value / scale.divisor
            allowed.update(numbers_in(group(mantissa, decimals_for(mantissa), lang)))
    return allowed


def is_scale_mark(token: str, layout: PlotLayout) -> bool:
    """Whether `token` is a round mark of the chart's value axis (a multiple of its step)."""
    ticks = [v for v, _ in layout.ticks]
    if len(ticks) < 2:
        return False
    step = ticks[1] - ticks[0]
    value = float(token)
    k = value / step
    return abs(k - round(k)) < 1e-6 and ticks[0] - 1e-9 <= value <= ticks[-1] + 1e-9


def drawn_numbers(
    deck: Deck, slide: SlideBase, lang: str, size: tuple[int, int]
) -> Iterator[tuple[float, str, str, PlotLayout | None]]:
    """(elapsed, number, the line it was in, the plot layout when it is a value axis mark)
    for every number drawn in every frame of the slide's entry animation, from its first
    frame until it has settled."""
    view = create_view(deck, slide, lang=lang)
    image = QImage(*size, QImage.Format.Format_RGB32)
    lines: list[str] = []

    def heard(text: str, drawn: list[str], box: QRectF) -> None:
        lines.extend(drawn or [text])

    try:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*size)
        view.show()
        frames = math.ceil(view.entry_duration() / FRAME) + 2
        assert frames < 60 * 10, "an entry animation longer than ten seconds"
        for frame in [*range(0, frames, EVERY[size]), frames - 1]:
            elapsed = frame * FRAME
            view.set_elapsed(elapsed)
            lines.clear()
            with observe_text(heard):
                view.render(image)
            if isinstance(view, ChartView):
                # Drawn by pyqtgraph, not the toolbox: its value labels and axis texts.
                lines.extend(text for row in view.value_texts() for text in row if text)
                layout = view.arranged()
                if isinstance(layout, PlotLayout):
                    lines.extend(layout.categories)
                    for _, label in layout.ticks:
                        for token in numbers_in(label):
                            yield elapsed, token, label, layout
            for line in lines:
                for token in numbers_in(line):
                    yield elapsed, token, line, None
    finally:
        view.close()
        shiboken6.delete(view)


@pytest.fixture(scope="module")
def decks(qapp: object) -> dict[str, Deck]:
    load_fonts()
    return {"bundled": load_deck(BUNDLED), "fixtures": load_deck(FIXTURES)}


def slide_ids(path: Path) -> list[str]:
    """The slide ids of a deck, read when the tests are collected (no Qt needed)."""
    return [s.id for s in load_deck(path).slides]


CASES = [("bundled", i) for i in slide_ids(BUNDLED)] + [
    ("fixtures", i) for i in slide_ids(FIXTURES)
]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("which", "slide_id"), CASES, ids=[f"{w}-{i}" for w, i in CASES])
def test_every_number_drawn_mid_animation_is_stated_by_the_content(
    decks: dict[str, Deck], which: str, slide_id: str, lang: str, size: tuple[int, int]
) -> None:
    deck = decks[which]
    slide = next(s for s in deck.slides if s.id == slide_id)
    allowed = content_numbers(deck, slide, lang)
    false: dict[str, tuple[float, str]] = {}
    for elapsed, token, line, axis in drawn_numbers(deck, slide, lang, size):
        if token in allowed or (axis is not None and is_scale_mark(token, axis)):
            continue
        false.setdefault(token, (round(elapsed, 3), line))
    shown = dict(list(false.items())[:8])
    assert not false, f"{len(false)} numbers the content never states were drawn: {shown}"


def test_the_check_catches_a_count_up(decks: dict[str, Deck]) -> None:
    # What the count-up drew (seen on the screen before the digits slid in instead) is not a
    # number the content states; the figures are.
    deck = decks["bundled"]
    tiles = next(s for s in deck.slides if s.id == "at-a-glance")
    rings = next(s for s in deck.slides if s.id == "shares")
    assert numbers_in("over 413,368 entities") == ["413368"]
    assert "413368" not in content_numbers(deck, tiles, "en")
    assert "0.95" not in content_numbers(deck, tiles, "en")
    assert numbers_in("超过\u206011%") == ["11"]
    assert "11" not in content_numbers(deck, rings, "zh")
    assert {"540000", "670"} <= content_numbers(deck, tiles, "en")
    assert {"54", "6700"} <= content_numbers(deck, tiles, "zh")
    # Area and population open the deck, written in the welcome's subtitle.
    welcome = next(s for s in deck.slides if s.id == "welcome")
    assert {"1360", "3.52"} <= content_numbers(deck, welcome, "en")
    assert {"1360", "352"} <= content_numbers(deck, welcome, "zh")
    assert {"75", "40"} <= content_numbers(deck, rings, "zh")
    assert numbers_in("1,360 km², 2026年1月, US$96.22, 3.52.") == [
        "1360",
        "2026",
        "1",
        "96.22",
        "3.52",
    ]


@pytest.mark.parametrize("slide_id", ["at-a-glance", "industries", "shares"])
def test_reduce_motion_shows_the_figures_at_once(decks: dict[str, Deck], slide_id: str) -> None:
    calm = decks["bundled"].with_loop(reduce_motion=True)
    slide = next(s for s in calm.slides if s.id == slide_id)
    for lang in LANGS:
        first = render_slide(calm, slide, (1920, 1080), lang, elapsed=0.0)
        assert first == render_slide(calm, slide, (1920, 1080), lang), (slide_id, lang)
        moving = render_slide(decks["bundled"], slide, (1920, 1080), lang, elapsed=0.3)
        assert moving != first, (slide_id, lang)
