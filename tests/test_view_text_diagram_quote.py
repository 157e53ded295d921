"""The text, diagram and quote slide views: every bundled slide at three sizes in both languages,
text that always fits, images (and their absence), diagram hit targets and highlights."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Deck, load_deck
from kiosk.content.model import (
    BODY,
    LABEL,
    QUOTE,
    DiagramSlide,
    QuoteSlide,
    SlideBase,
    TextSlide,
)
from kiosk.content.theme import load_theme, visitor_theme
from kiosk.ui import images as images_module
from kiosk.ui.base import SETTLED
from kiosk.ui.draw.text import TextBlock
from kiosk.ui.fonts import load_fonts, ui_font
from kiosk.ui.slides import text as text_module
from kiosk.ui.slides.diagram import DiagramView
from kiosk.ui.slides.quote import QuoteView
from kiosk.ui.slides.text import BODY_FLOOR, TextView
from tests.helpers.show import BUNDLED, REPO, write_show
from tests.helpers.views import grab, shown_view

DIAGRAMS = REPO / "tests" / "fixtures" / "diagram"
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
LANGS = ["zh", "en"]
CASES = [
    pytest.param(size, lang, id=f"{size[0]}x{size[1]}-{lang}") for size in SIZES for lang in LANGS
]
THEME = load_theme()
BACKGROUND = QColor(THEME.colors.background)
EPS = 0.75

GOLD_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300"
 width="400" height="300"><rect width="400" height="300" fill="#E8B04A"/></svg>"""

LONG_EN = "\n\n".join(
    f"Paragraph {i + 1}. The Yangtze and the Jialing meet at Chongqing, where a new area grows "
    "along both banks: ports, rail, an airport, factories for cars and chips, and the homes and "
    "schools of the people who work there, all described here at far greater length than a "
    "kiosk slide should ever carry, so that the view must shrink it and, at last, cut it."
    for i in range(12)
)
LONG_ZH = "\n\n".join(
    f"第{i + 1}段。长江与嘉陵江在重庆交汇，两江新区沿两岸生长：港口、铁路、机场、汽车与芯片工厂，"
    "以及在这里工作的人们的家园和学校。这段文字远远超过一张展示页应有的长度，"
    "因此视图必须缩小字号，最后还必须截断它。"
    for i in range(14)
)


def longest(text: str, chars: int) -> str:
    """The first paragraphs of `text` that a text limited to `chars` characters can hold."""
    kept = text[:chars].rsplit("\n\n", 1)[0]
    return kept if len(kept) <= chars else text[:chars]


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def deck(qapp: object) -> Deck:
    load_fonts()
    return load_deck(BUNDLED)


@pytest.fixture(scope="module")
def diagram_deck(qapp: object) -> Deck:
    """The diagram's test data: the bundled deck has no diagram since open-platforms is a map."""
    load_fonts()
    return load_deck(DIAGRAMS)


def slides_of(deck: Deck, *types: type[SlideBase]) -> list[SlideBase]:
    return [s for s in deck.slides if isinstance(s, types)]


make_view = shown_view


def pixels(image: QImage, rect: QRectF, step: int = 3) -> Iterator[QColor]:
    left, top = max(0, int(rect.left())), max(0, int(rect.top()))
    right = min(image.width() - 1, int(rect.right()))
    bottom = min(image.height() - 1, int(rect.bottom()))
    for y in range(top, bottom + 1, step):
        for x in range(left, right + 1, step):
            yield image.pixelColor(x, y)


def close(a: QColor, b: QColor, tolerance: int = 10) -> bool:
    return (
        abs(a.red() - b.red()) <= tolerance
        and abs(a.green() - b.green()) <= tolerance
        and abs(a.blue() - b.blue()) <= tolerance
    )


def share_not(image: QImage, rect: QRectF, color: QColor) -> float:
    """The share of sampled pixels in `rect` that are not `color` (about 200 x 200 samples)."""
    step = max(2, round(max(rect.width(), rect.height()) / 200))
    samples = list(pixels(image, rect, step))
    return sum(not close(p, color) for p in samples) / max(1, len(samples))


def changed(a: QImage, b: QImage, rect: QRectF) -> int:
    step = 2 if a.width() <= 1920 else 3
    return sum(
        not close(p, q, 2)
        for p, q in zip(pixels(a, rect, step), pixels(b, rect, step), strict=True)
    )


def inside(outer: QRectF, inner: QRectF) -> bool:
    return outer.adjusted(-EPS, -EPS, EPS, EPS).contains(inner)


def show_with(tmp_path: Path, slide: str, files: dict[str, str | bytes] | None = None) -> Path:
    """A content folder whose second slide is `slide` (YAML), with extra files."""
    return write_show(tmp_path / "show", {"slides/two.yaml": slide, **(files or {})})


def text_slide(body_en: str, body_zh: str, image: str | None = "images/pic.svg") -> str:
    lines = [
        "id: two",
        "type: text",
        "title: {zh: 很长的正文, en: A very long body}",
        f"body: {{zh: {json.dumps(body_zh, ensure_ascii=False)}, en: {json.dumps(body_en)}}}",
    ]
    if image:
        lines += [f"image: {image}", "image_caption: {zh: 金色的测试图, en: A gold test picture}"]
    return "\n".join(lines) + "\n"


# --- every bundled slide ------------------------------------------------------------------------


def test_bundled_deck_has_these_types(deck: Deck) -> None:
    assert slides_of(deck, TextSlide)
    assert slides_of(deck, QuoteSlide)


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize(("size", "lang"), CASES)
def test_text_slides_fit(
    qtbot: QtBot, deck: Deck, size: tuple[int, int], lang: str, larger: bool
) -> None:
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for slide in slides_of(deck, TextSlide):
        view = make_view(qtbot, deck, slide, size, lang, theme=theme)
        assert isinstance(view, TextView)
        image = grab(view)
        layout = view.arranged()
        grid = view.grid
        assert view.body_fits(), slide.id
        assert not layout.elided, f"{slide.id}: the bundled text had to be cut"
        # The bundled texts are short enough to stay at a comfortable size.
        assert layout.body_px >= grid.px(BODY_FLOOR) - 1, slide.id
        assert not layout.body.has_tofu(), slide.id
        for rect in layout.rects.values():
            assert inside(grid.frame, rect), (slide.id, rect)
        if layout.image_panel is not None:
            assert not layout.image_panel.intersects(layout.body_rect)
            # The image is drawn: the panel is far from plain background.
            assert share_not(image, layout.image_panel, BACKGROUND) > 0.5, slide.id
        if layout.caption is not None:
            assert not layout.caption.has_tofu()
            assert not layout.caption.elided


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize(("size", "lang"), CASES)
def test_diagram_slides_lay_out(
    qtbot: QtBot, diagram_deck: Deck, size: tuple[int, int], lang: str, larger: bool
) -> None:
    theme = visitor_theme(diagram_deck.settings.theme, larger=larger)
    for slide in slides_of(diagram_deck, DiagramSlide):
        view = make_view(qtbot, diagram_deck, slide, size, lang, theme=theme)
        assert isinstance(view, DiagramView)
        grab(view)
        layout = view.arranged()
        frame = view.grid.frame
        assert sum(box.accent for box in layout.boxes) <= 1
        for box in layout.boxes:
            assert inside(frame, box.bounds), (slide.id, box.node.id)
            assert inside(layout.area, box.bounds), (slide.id, box.node.id)
            assert not box.label.elided, (slide.id, box.node.id)
            assert not box.label.has_tofu()
        for i, a in enumerate(layout.boxes):
            for b in layout.boxes[i + 1 :]:
                assert not a.bounds.intersects(b.bounds), (slide.id, a.node.id, b.node.id)
        if layout.note is not None and layout.note_origin is not None:
            note = QRectF(
                layout.note_origin.x(),
                layout.note_origin.y(),
                layout.note.width,
                layout.note.height,
            )
            assert inside(frame, note)
            assert not note.intersects(layout.area)
            assert not layout.note.elided


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize(("size", "lang"), CASES)
def test_quote_slides_fit(
    qtbot: QtBot, deck: Deck, size: tuple[int, int], lang: str, larger: bool
) -> None:
    teal = QColor(THEME.colors.teal)
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for slide in slides_of(deck, QuoteSlide):
        view = make_view(qtbot, deck, slide, size, lang, theme=theme)
        assert isinstance(view, QuoteView)
        assert view.heading() is None
        image = grab(view)
        layout = view.arranged()
        grid = view.grid
        for rect in (layout.mark, layout.quote_rect, layout.attribution_rect):
            assert inside(grid.frame, rect)
        assert not layout.quote_rect.intersects(layout.attribution_rect)
        assert not layout.mark.intersects(layout.quote_rect)
        assert not layout.quote.elided
        assert layout.quote.font.pixelSize() >= grid.px(56) - 1  # large, as a quote should be
        assert not layout.quote.has_tofu()
        assert not layout.attribution.has_tofu()
        assert any(close(p, teal, 16) for p in pixels(image, layout.mark, 2))


# --- text: fitting, images, placeholder --------------------------------------------------------


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_very_long_body_still_fits(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int], lang: str
) -> None:
    # The longest bodies the model allows.
    body_en, body_zh = longest(LONG_EN, BODY.chars), longest(LONG_ZH, BODY.chars)
    root = show_with(tmp_path, text_slide(body_en, body_zh), {"images/pic.svg": GOLD_SVG})
    deck = load_deck(root)
    view = make_view(qtbot, deck, deck.slides[1], size, lang)
    assert isinstance(view, TextView)
    grab(view)
    layout = view.arranged()
    grid = view.grid
    assert view.body_fits()
    assert layout.body_px < grid.px(THEME.type.body)  # it shrank...
    assert layout.body_px >= grid.px(THEME.type.caption) - 1  # ...but stays legible
    for rect in layout.paragraph_rects:
        assert inside(grid.frame, rect)
        assert rect.bottom() <= grid.frame.bottom() + EPS
        assert layout.image_panel is not None
        assert not rect.intersects(layout.image_panel)


def test_long_body_shrinks_before_it_is_cut(qtbot: QtBot, tmp_path: Path) -> None:
    body_en = "\n\n".join(LONG_EN.split("\n\n")[:4])
    body_zh = "\n\n".join(LONG_ZH.split("\n\n")[:6])
    root = show_with(tmp_path, text_slide(body_en, body_zh), {"images/pic.svg": GOLD_SVG})
    deck = load_deck(root)
    for lang in LANGS:
        view = make_view(qtbot, deck, deck.slides[1], (1920, 1080), lang)
        layout = view.arranged()  # type: ignore[attr-defined]
        assert view.body_fits()  # type: ignore[attr-defined]
        assert not layout.elided
        assert layout.body_px < THEME.type.body


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_glance_length_body_is_set_large(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int]
) -> None:
    # One sentence, read from across the hall: the subtitle size, not the body size.
    short = text_slide("One sentence, read from across the hall.", "一句话，从展厅另一头也读得清。")
    long = text_slide(
        " ".join(["A longer body of many words that a glance cannot take in."] * 3),
        "这是一段较长的正文，一眼看不完，需要停下来细读，" * 3,
    )
    for slide, design in ((short, THEME.type.subtitle), (long, THEME.type.body)):
        root = show_with(tmp_path / str(design), slide, {"images/pic.svg": GOLD_SVG})
        deck = load_deck(root)
        for lang in LANGS:
            view = make_view(qtbot, deck, deck.slides[1], size, lang)
            assert isinstance(view, TextView)
            assert view.arranged().body_px == pytest.approx(view.grid.px(design)), lang
            assert view.body_fits()


@pytest.mark.parametrize("room", [10.0, 50.0, 120.0, 333.0, 800.0])
def test_text_block_never_grows_past_its_room(qapp: object, room: float) -> None:
    load_fonts()
    for body in (LONG_EN, LONG_ZH):
        texts = body.split("\n\n")
        block = TextBlock(texts, ui_font(30), 700, 1.3, max_height=room)
        assert block.height <= room + 0.5
        assert block.elided
        if block.layouts:
            assert block.layouts[-1].text().endswith("…")


def test_svg_image_is_drawn(qtbot: QtBot, tmp_path: Path) -> None:
    root = show_with(tmp_path, text_slide("Short.", "短。"), {"images/pic.svg": GOLD_SVG})
    deck = load_deck(root)
    view = make_view(qtbot, deck, deck.slides[1], (1920, 1080), "en")
    image = grab(view)
    panel = view.arranged().image_panel  # type: ignore[attr-defined]
    assert panel is not None
    # Kept at its 4:3 aspect and filled by the gold picture.
    assert panel.width() / panel.height() == pytest.approx(4 / 3, rel=0.02)
    gold = QColor(THEME.colors.gold)
    assert close(image.pixelColor(panel.center().toPoint()), gold)


def test_raster_image_is_decoded_once_per_size(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = QImage(640, 360, QImage.Format.Format_RGB32)
    picture.fill(QColor(THEME.colors.sky))
    root = show_with(tmp_path, text_slide("Short.", "短。", "images/photo.png"))
    (root / "images").mkdir(exist_ok=True)
    assert picture.save(str(root / "images" / "photo.png"))
    deck = load_deck(root)
    calls: list[tuple[int, int]] = []
    real = images_module._decode

    def counting(path: Path, size: object, mode: object) -> QImage | None:
        calls.append((size.width(), size.height()))  # type: ignore[attr-defined]
        return real(path, size, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(images_module, "_decode", counting)
    view = make_view(qtbot, deck, deck.slides[1], (1920, 1080), "en")
    image = grab(view)
    grab(view)
    view.set_elapsed(SETTLED - 1)
    grab(view)
    assert len(calls) == 1
    panel = view.arranged().image_panel  # type: ignore[attr-defined]
    assert calls[0] == (round(panel.width()), round(panel.height()))
    assert panel.width() / panel.height() == pytest.approx(16 / 9, rel=0.02)
    assert close(image.pixelColor(panel.center().toPoint()), QColor(THEME.colors.sky))
    view.resize(3840, 2160)
    grab(view)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [("images/pic.svg", GOLD_SVG), ("images/broken.png", b"this is not a png")],
    ids=["deleted", "unreadable"],
)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_missing_image_draws_placeholder(
    qtbot: QtBot, tmp_path: Path, name: str, content: str | bytes, size: tuple[int, int]
) -> None:
    root = show_with(tmp_path, text_slide("Short.", "短。", name), {name: content})
    deck = load_deck(root)
    if name.endswith(".svg"):
        (root / name).unlink()  # gone after the deck was loaded
    view = make_view(qtbot, deck, deck.slides[1], size, "en")
    image = grab(view)
    panel = view.arranged().image_panel  # type: ignore[attr-defined]
    assert panel is not None
    assert view.body_fits()  # type: ignore[attr-defined]
    # A calm panel in the panel colour, with a faint picture sign in the middle.
    inner = panel.adjusted(
        panel.width() * 0.1, panel.height() * 0.1, -panel.width() * 0.1, -panel.height() * 0.1
    )
    samples = list(pixels(image, inner, 4))
    panel_color = QColor(THEME.colors.panel)
    assert sum(close(p, panel_color, 4) for p in samples) / len(samples) > 0.8
    assert any(not close(p, panel_color, 8) for p in samples)


def test_text_without_image_uses_the_width(qtbot: QtBot, tmp_path: Path) -> None:
    root = show_with(tmp_path, text_slide(LONG_EN[:600], LONG_ZH[:200], None))
    deck = load_deck(root)
    view = make_view(qtbot, deck, deck.slides[1], (1920, 1080), "en")
    grab(view)
    layout = view.arranged()  # type: ignore[attr-defined]
    assert layout.image_panel is None
    assert view.body_fits()  # type: ignore[attr-defined]
    assert layout.body_rect.width() > view.grid.frame.width() * 0.6


def test_paragraphs_enter_one_after_another(qtbot: QtBot, deck: Deck) -> None:
    slide = slides_of(deck, TextSlide)[0]
    view = make_view(qtbot, deck, slide, (1920, 1080), "en", elapsed=0.0)
    assert isinstance(view, TextView)
    layout = view.arranged()
    start = grab(view)
    assert share_not(start, layout.body_rect, BACKGROUND) == 0
    assert layout.image_panel is not None
    assert share_not(start, layout.image_panel, BACKGROUND) == 0
    # Part-way: the first paragraph is further in than the second.
    view.set_elapsed(0.25)
    assert view.entry(0, delay=text_module.ENTRY_DELAY) > view.entry(
        1, delay=text_module.ENTRY_DELAY
    )
    view.set_elapsed(view.entry_duration())
    assert view.is_settled()
    end = grab(view)
    assert share_not(end, layout.paragraph_rects[0], BACKGROUND) > 0.02


# --- diagram: hit targets and highlight ---------------------------------------------------------


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_hit_targets_are_the_nodes(
    qtbot: QtBot, diagram_deck: Deck, size: tuple[int, int], lang: str
) -> None:
    for slide in slides_of(diagram_deck, DiagramSlide):
        assert isinstance(slide, DiagramSlide)
        view = make_view(qtbot, diagram_deck, slide, size, lang)
        targets = view.hit_targets()
        assert [t.key for t in targets] == [f"node:{n.id}" for n in slide.nodes]
        least = view.grid.touch - 0.01
        whole = QRectF(0, 0, *size)
        layout = view.arranged()  # type: ignore[attr-defined]
        for target, node in zip(targets, slide.nodes, strict=True):
            assert whole.contains(target.rect), target.key
            assert target.rect.width() >= least, target.key
            assert target.rect.height() >= least, target.key
            assert target.title == node.label
            assert target.detail == node.detail
            assert target.rect.contains(layout.box(node.id).center)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("node_id", ["liangjiang", "free-trade-zone", "airport"])
def test_highlight_lights_only_that_node(
    qtbot: QtBot, diagram_deck: Deck, node_id: str, size: tuple[int, int]
) -> None:
    slide = next(s for s in slides_of(diagram_deck, DiagramSlide) if s.id == "open-platforms")
    view = make_view(qtbot, diagram_deck, slide, size, "en")
    layout = view.arranged()  # type: ignore[attr-defined]
    before = grab(view)
    view.set_highlight(f"node:{node_id}")
    after = grab(view)
    box = layout.box(node_id)
    assert changed(before, after, box.bounds) > 20
    for other in layout.boxes:
        if other.node.id != node_id:
            assert changed(before, after, other.shape) == 0, other.node.id
    view.set_highlight(None)
    assert changed(before, grab(view), box.bounds) == 0


def test_crowded_diagram_stays_inside(qtbot: QtBot, tmp_path: Path) -> None:
    corners = [
        (0, 0),
        (1, 0),
        (0, 1),
        (1, 1),
        (0.5, 0.5),
        (0.5, 0),
        (0, 0.5),
        (1, 0.5),
        (0.5, 1),
        (0.25, 0.25),
        (0.75, 0.75),
        (0.5, 0.5),
    ]
    kinds = ["hub", "hub", "platform", "place"]
    nodes = "\n".join(
        f"  - {{id: n{i}, label: {{zh: 第{i}个相当长的节点名称, en: Node {i} with a rather long "
        f"name}}, detail: Detail {i}, x: {x}, y: {y}, kind: {kinds[i % 4]}}}"
        for i, (x, y) in enumerate(corners)
    )
    rambling = ("A label far too long for any node, " * 5)[: LABEL.chars]  # the longest allowed
    nodes += f"\n  - {{id: long, label: {json.dumps(rambling.strip())}, detail: D, x: 0.3, y: 0.7}}"
    links = "\n".join(f"  - {{from: n{i}, to: n{i + 1}, label: link {i}}}" for i in range(11))
    slide = f"""\
id: two
type: diagram
title: {{zh: 拥挤的图, en: A crowded diagram}}
note: {{zh: 示意图, en: Schematic}}
nodes:
{nodes}
links:
{links}
"""
    deck = load_deck(show_with(tmp_path, slide))
    for size in SIZES:
        for lang in LANGS:
            view = make_view(qtbot, deck, deck.slides[1], size, lang)
            grab(view)
            layout = view.arranged()  # type: ignore[attr-defined]
            assert sum(box.accent for box in layout.boxes) == 1  # one gold hub only
            long = layout.box("long")
            # The longest label allowed takes three lines at most, cut where they are too few.
            assert long.label.lines() <= 3
            for box in layout.boxes:
                assert inside(view.grid.frame, box.bounds), (size, lang, box.node.id)
            for target in view.hit_targets():
                assert QRectF(0, 0, *size).contains(target.rect)


def test_diagram_draws_in(qtbot: QtBot, diagram_deck: Deck) -> None:
    slide = next(s for s in slides_of(diagram_deck, DiagramSlide) if s.id == "open-platforms")
    view = make_view(qtbot, diagram_deck, slide, (1920, 1080), "zh", elapsed=0.0)
    layout = view.arranged()  # type: ignore[attr-defined]
    assert share_not(grab(view), layout.area, BACKGROUND) == 0
    view.set_elapsed(view.entry_duration())
    assert view.is_settled()
    assert share_not(grab(view), layout.box("liangjiang").shape, BACKGROUND) > 0.5


# --- quote ------------------------------------------------------------------------------------


def test_long_quote_still_fits(qtbot: QtBot, tmp_path: Path) -> None:
    longest_quote = LONG_EN[: QUOTE.chars]  # the longest the model allows
    slide = f"""\
id: two
type: quote
quote: {{zh: {json.dumps(LONG_ZH[:400], ensure_ascii=False)}, en: {json.dumps(longest_quote)}}}
attribution: {{zh: 一位很健谈的人, en: A very talkative person}}
"""
    deck = load_deck(show_with(tmp_path, slide))
    for size in SIZES:
        for lang in LANGS:
            view = make_view(qtbot, deck, deck.slides[1], size, lang)
            grab(view)
            layout = view.arranged()  # type: ignore[attr-defined]
            frame = view.grid.frame
            assert inside(frame, layout.quote_rect), (size, lang)
            assert inside(frame, layout.attribution_rect), (size, lang)
            assert not layout.quote_rect.intersects(layout.attribution_rect)


def test_quote_fades_in(qtbot: QtBot, deck: Deck) -> None:
    slide = slides_of(deck, QuoteSlide)[0]
    view = make_view(qtbot, deck, slide, (1920, 1080), "en", elapsed=0.0)
    layout = view.arranged()  # type: ignore[attr-defined]
    assert share_not(grab(view), layout.quote_rect, BACKGROUND) == 0
    view.set_elapsed(view.entry_duration())
    assert view.is_settled()
    assert share_not(grab(view), layout.quote_rect, BACKGROUND) > 0.02
