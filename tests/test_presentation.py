"""The visitor's presentation modes: the high-contrast theme, larger text and calm motion.

Every slide of the bundled deck and of the chart fixtures is rendered settled at 1920x1080,
3840x2160 and 1080x1920 in Chinese and English, with the deck's theme and at the larger text
size, and every text drawn is heard (`observe_text`, `observe_cuts`): none cut short, none
outside its slide's frame (the source line in its band slot), no two on top of each other.
"""

from __future__ import annotations

import statistics
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.content.theme import (
    CONTRAST,
    LARGER_TEXT,
    Theme,
    load_theme,
    theme_names,
    visitor_theme,
)
from kiosk.content.typeset import plain
from kiosk.ui.base import SETTLED
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.observe import observe_cuts, observe_text
from kiosk.ui.render import render_deck, render_slide
from kiosk.ui.slides import create_view
from kiosk.ui.stage import Stage
from tests.helpers.show import BUNDLED, TITLES, write_show

CHARTS = Path(__file__).parent / "fixtures" / "charts"
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
LANGS = ("zh", "en")


@cache
def decks() -> tuple[tuple[str, Deck], ...]:
    return (("bundled", load_deck(BUNDLED)), ("charts", load_deck(CHARTS)))


# -- the themes (pure) ---------------------------------------------------------------------------


def luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of a #RRGGBB colour."""
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_theme_file_is_a_theme() -> None:
    names = theme_names()
    assert {"rivers", CONTRAST} <= set(names)
    for name in names:
        assert isinstance(load_theme(name), Theme)
    assert not load_theme("rivers").motion.calm
    assert load_theme(CONTRAST).motion.calm


def test_the_contrast_theme_keeps_the_rivers_shapes() -> None:
    rivers, contrast = load_theme("rivers"), load_theme(CONTRAST)
    assert contrast.type == rivers.type
    assert contrast.space == rivers.space
    assert contrast.series == rivers.series


@pytest.mark.parametrize("ground", ["background", "panel"])
def test_every_text_colour_of_the_contrast_theme_reads_at_seven_to_one(ground: str) -> None:
    colors = load_theme(CONTRAST).colors
    back = getattr(colors, ground)
    for name in ("text", "muted", "teal", "gold", "sky"):
        assert ratio(getattr(colors, name), back) >= 7, (name, ground)
    # Ink on a filled pill (the diagram's) and the panels' edge: a graphic, 3:1 at least.
    assert ratio(colors.background, colors.teal) >= 7
    assert ratio(colors.panel_edge, colors.panel) >= 3
    assert ratio(colors.panel_edge, colors.background) >= 3


def test_the_three_series_are_told_apart() -> None:
    theme = load_theme(CONTRAST)
    series = [theme.series_color(i) for i in range(3)]
    for i, a in enumerate(series):
        for b in series[i + 1 :]:
            assert QColor(a).hue() != QColor(b).hue()
            assert abs(QColor(a).hue() - QColor(b).hue()) > 30, (a, b)


def test_enlarged_scales_every_type_size_but_the_line_height() -> None:
    base = load_theme("rivers")
    big = base.enlarged(LARGER_TEXT)
    assert LARGER_TEXT == 1.3
    for name, value in base.type.model_dump().items():
        if name == "line_height":
            assert getattr(big.type, name) == value
        else:
            assert getattr(big.type, name) == pytest.approx(value * 1.3)
    assert big.colors == base.colors
    assert big.space == base.space
    assert base.type.body == 30  # the original is untouched


def test_visitor_theme_picks_and_caches() -> None:
    assert visitor_theme("rivers") is load_theme("rivers")
    assert visitor_theme("rivers", contrast=True) is load_theme(CONTRAST)
    larger = visitor_theme("rivers", larger=True, contrast=True)
    assert larger is visitor_theme("rivers", larger=True, contrast=True)
    assert larger.colors == load_theme(CONTRAST).colors
    assert larger.type.title == pytest.approx(load_theme(CONTRAST).type.title * LARGER_TEXT)


# -- every text whole, in every mode -------------------------------------------------------------


def drawn_problems(deck: Deck, theme: Theme, size: tuple[int, int], lang: str) -> list[str]:
    """Every text of every slide drawn cut, outside its slide's frame, or over another."""
    grid = Grid(float(size[0]), float(size[1]), theme)
    frame = grid.frame.adjusted(-1, -1, 1, 1)
    source = grid.source_rect.adjusted(-1, -1, 1, 1)
    problems: list[str] = []
    for slide in deck.slides:
        where = f"{slide.id} {size[0]}x{size[1]} {lang}"
        texts: list[tuple[str, QRectF]] = []
        cuts: list[tuple[str, str]] = []

        def heard(
            text: str, lines: list[str], box: QRectF, texts: list[tuple[str, QRectF]] = texts
        ) -> None:
            texts.append((plain(text), QRectF(box)))

        def cut(text: str, how: str, cuts: list[tuple[str, str]] = cuts) -> None:
            cuts.append((plain(text), how))

        with observe_text(heard), observe_cuts(cut):
            render_slide(deck, slide, size, lang, theme=theme)
        problems += [f"{where}: {text!r} {how}" for text, how in cuts]
        for text, box in texts:
            if not (frame.contains(box) or source.contains(box)):
                problems.append(f"{where}: {text!r} at {box.getRect()} is outside the frame")
        for i, (text, box) in enumerate(texts):
            for other, other_box in texts[i + 1 :]:
                overlap = box.intersected(other_box)
                if overlap.width() > 1 and overlap.height() > 1 and box != other_box:
                    problems.append(f"{where}: {text!r} and {other!r} overlap")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_text_is_drawn_whole(qapp: object, size: tuple[int, int], larger: bool) -> None:
    problems = []
    for _, deck in decks():
        theme = visitor_theme(deck.settings.theme, larger=larger)
        for lang in LANGS:
            problems += drawn_problems(deck, theme, size, lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
def test_chart_value_labels_are_whole(qtbot: QtBot, larger: bool) -> None:
    """pyqtgraph draws a bar's figure itself: it stays inside the plot and the frame."""
    from kiosk.ui.slides.chart.plot import PlotView

    problems = []
    for _, deck in decks():
        theme = visitor_theme(deck.settings.theme, larger=larger)
        for slide in deck.slides:
            for size in SIZES:
                for lang in LANGS:
                    view = create_view(deck, slide, lang=lang, theme=theme)
                    if not isinstance(view, PlotView):
                        view.deleteLater()
                        break
                    qtbot.addWidget(view)
                    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                    view.resize(*size)
                    view.show()
                    view.settle()
                    view.render(QImage(*size, QImage.Format.Format_RGB32))  # lays the plot out
                    plot = view.plot_widget
                    assert plot is not None
                    inside = QRectF(plot.geometry()).intersected(view.grid.frame)
                    inside = inside.adjusted(-1, -1, 1, 1)
                    labels = view.value_label_rects()
                    where = f"{slide.id} {size[0]}x{size[1]} {lang}"
                    problems += [
                        f"{where}: {text!r} at {box.getRect()} is cut"
                        for text, box in labels
                        if not inside.contains(box)
                    ]
                    problems += [
                        f"{where}: {a!r} and {b!r} overlap"
                        for i, (a, box) in enumerate(labels)
                        for b, other in labels[i + 1 :]
                        if box.intersected(other).width() > 1
                        and box.intersected(other).height() > 1
                    ]
                    view.close()
    assert not problems, "\n".join(problems)


def test_the_check_hears_a_cut_text(qapp: object) -> None:
    from PySide6.QtGui import QPainter

    from kiosk.ui.draw.text import TextBlock, draw_text
    from kiosk.ui.fonts import ui_font

    heard: list[str] = []
    image = QImage(200, 200, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        with observe_cuts(lambda text, how: heard.append(how)):
            draw_text(painter, QRectF(0, 0, 40, 10), "much too long a line", ui_font(20), "#fff")
            block = TextBlock(["one two three four five six"], ui_font(20), 60, 1.3, max_height=30)
            block.draw(painter, QRectF(0, 0, 1, 1).topLeft(), "#fff")
            draw_text(painter, QRectF(0, 0, 400, 100), "fits", ui_font(20), "#fff")
    finally:
        painter.end()
    assert heard == ["clipped", "elided"]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_larger_text_is_larger(qapp: object, size: tuple[int, int]) -> None:
    """Each slide's texts grow by about the step, not fitted back to the normal size (a
    figure in a ring keeps to its ring)."""

    def heights(deck: Deck, slide: object, theme: Theme, lang: str) -> dict[str, float]:
        found: dict[str, float] = {}
        with observe_text(
            lambda text, lines, box: found.setdefault(
                plain(text), box.height() / max(1, len(lines))
            )
        ):
            render_slide(deck, slide, size, lang, theme=theme)  # type: ignore[arg-type]
        return found

    small: list[str] = []
    for _, deck in decks():
        normal = visitor_theme(deck.settings.theme)
        larger = visitor_theme(deck.settings.theme, larger=True)
        for lang in LANGS:
            for slide in deck.slides:
                before = heights(deck, slide, normal, lang)
                after = heights(deck, slide, larger, lang)
                growth = [after[t] / before[t] for t in before if t in after and before[t] > 0]
                if statistics.median(growth) < 1.2:
                    small.append(f"{slide.id} {lang}: ×{statistics.median(growth):.2f}")
    assert small == []


# -- within reach on a portrait screen -----------------------------------------------------------


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
def test_every_tap_target_reaches_below_the_reach_row_in_portrait(
    qtbot: QtBot, larger: bool
) -> None:
    """A seated visitor reaches the lower part of a portrait screen (the audit's reference:
    55 inches from 0.5 m, reach 1.2 m): every element with a card dips a fingertip below it."""
    from kiosk.ui.base import PORTRAIT_REACH

    size = (1080, 1920)
    row = size[1] * PORTRAIT_REACH + 14  # 9 mm on that screen
    high = []
    for _, deck in decks():
        theme = visitor_theme(deck.settings.theme, larger=larger)
        for slide in deck.slides:
            for lang in LANGS:
                view = create_view(deck, slide, lang=lang, theme=theme)
                qtbot.addWidget(view)
                view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                view.resize(*size)
                view.show()
                view.settle()
                high += [
                    f"{slide.id} {lang}: {t.key} ends at {t.rect.bottom():.0f}"
                    for t in view.hit_targets()
                    if t.rect.bottom() < row
                ]
                view.close()
    assert high == []


# -- calm motion -------------------------------------------------------------------------------


def picture(deck: Deck, slide: object, theme: Theme, elapsed: float) -> QImage:
    return render_slide(deck, slide, (960, 540), "en", elapsed=elapsed, theme=theme)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_calm_theme_shows_every_slide_settled_from_its_first_frame(qapp: object) -> None:
    moving = []
    for _, deck in decks():
        calm = visitor_theme(deck.settings.theme, contrast=True)
        normal = visitor_theme(deck.settings.theme)
        for slide in deck.slides:
            first = picture(deck, slide, calm, 0.0)
            assert first == picture(deck, slide, calm, 0.3)
            if first != picture(deck, slide, calm, SETTLED):
                moving.append(slide.id)
            # The deck's theme does move: the check sees motion.
            assert picture(deck, slide, normal, 0.0) != picture(deck, slide, normal, SETTLED)
    assert moving == []


def test_calm_is_the_curator_s_reduce_motion_or_the_theme_s(qtbot: QtBot) -> None:
    deck = load_deck(BUNDLED)
    slide = deck.slides[0]
    views = {
        "normal": create_view(deck, slide, lang="en"),
        "calm theme": create_view(deck, slide, lang="en", theme=load_theme(CONTRAST)),
        "reduce_motion": create_view(deck.with_loop(reduce_motion=True), slide, lang="en"),
    }
    for view in views.values():
        qtbot.addWidget(view)
    assert {name: view.calm for name, view in views.items()} == {
        "normal": False,
        "calm theme": True,
        "reduce_motion": True,
    }
    assert views["calm theme"].entry(5) == 1.0
    assert views["calm theme"].is_settled()
    assert not views["normal"].is_settled()


# -- the stage switching themes ------------------------------------------------------------------


@pytest.fixture
def stage(qtbot: QtBot, tmp_path: Path) -> Stage:
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    stage = Stage(deck, lang="en", now=100.0)
    qtbot.addWidget(stage)
    stage.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    stage.resize(960, 540)
    stage.show()
    return stage


def test_set_theme_rebuilds_the_live_slide_at_the_same_moment(stage: Stage) -> None:
    stage.show_slide(1, 1, 100.0)
    stage.animate(101.0)  # the transition is over: the live view's entry starts
    stage.animate(101.3)
    before = stage.view
    elapsed = before.elapsed
    assert 0 < elapsed < before.entry_duration()
    larger = visitor_theme(stage.deck.settings.theme, larger=True)
    stage.set_theme(larger, 101.3)
    assert stage.view is not before
    assert stage.view.theme is larger
    assert stage.view.slide.id == "two"
    assert stage.view.elapsed == elapsed
    assert stage.transition is None
    assert stage.view.isVisible()
    stage.animate(101.5)
    assert stage.view.elapsed == pytest.approx(elapsed + 0.2)


def test_set_theme_during_a_transition_lands_on_the_new_slide(stage: Stage) -> None:
    stage.show_slide(1, 1, 100.0)
    assert stage.transition is not None
    stage.set_theme(load_theme(CONTRAST), 100.2)
    assert stage.transition is None
    assert stage.view.slide.id == "two"
    assert stage.view.theme is load_theme(CONTRAST)
    assert stage.view.isVisible()


def test_a_calm_theme_changes_slides_without_a_transition(stage: Stage) -> None:
    stage.show_slide(1, 1, 100.0)
    assert stage.transition is not None
    stage.animate(101.0)
    stage.set_theme(visitor_theme(stage.deck.settings.theme, contrast=True), 101.0)
    stage.show_slide(2, 1, 102.0)
    assert stage.transition is None
    assert stage.view.slide.id == "three"
    assert stage.view.is_settled()
    image = stage.grab().toImage()
    background = QColor(load_theme(CONTRAST).colors.background)
    assert image.pixelColor(2, 2) == background
    # Back to the deck's theme: transitions again.
    stage.set_theme(load_theme(stage.deck.settings.theme), 102.5)
    stage.show_slide(0, -1, 103.0)
    assert stage.transition is not None


# -- kiosk render --------------------------------------------------------------------------------


def test_render_draws_the_modes(qapp: object, tmp_path: Path) -> None:
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    plain_out = render_deck(deck, tmp_path / "plain", (640, 360), "en", sheet=False)
    contrast_out = render_deck(
        deck, tmp_path / "contrast", (640, 360), "en", sheet=False, larger=True, contrast=True
    )
    assert [p.name for p in plain_out] == [p.name for p in contrast_out]
    corner = QImage(str(contrast_out[0])).pixelColor(1, 1)
    assert corner == QColor(load_theme(CONTRAST).colors.background)
    assert QImage(str(plain_out[0])).pixelColor(1, 1) == QColor(
        load_theme("rivers").colors.background
    )


def test_kiosk_render_takes_larger_and_contrast(tmp_path: Path) -> None:
    from kiosk.cli import build_parser

    args = build_parser().parse_args(
        ["render", str(tmp_path), "--out", str(tmp_path / "out"), "--larger", "--contrast"]
    )
    assert (args.larger, args.contrast) == (True, True)
    args = build_parser().parse_args(["render", "--out", str(tmp_path / "out")])
    assert (args.larger, args.contrast) == (False, False)
