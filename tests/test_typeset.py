"""Typesetting: Chinese breaks only between words and never inside a glossary term, Chinese
punctuation keeps its line rules, English gets curly quotes and en dashes, headings balance."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest

from kiosk.content.loader import Deck, load_deck
from kiosk.content.typeset import (
    WJ,
    cjk_face_spans,
    has_cjk,
    is_cjk,
    plain,
    punctuate,
    segments,
    typeset,
)
from tests.helpers.show import BUNDLED, REPO

GLOSSARY = ("西部陆海新通道", "成渝地区双城经济圈", "重庆两江新区", "两江新区", "十五五")


def joined(text: str) -> str:
    """Typeset text with its word joiners shown as "|"."""
    return text.replace(WJ, "|")


# --- Chinese ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经营主体", "经|营主|体"),
        ("主阵地", "主|阵|地"),
        ("先进制造业", "先|进制|造|业"),
        ("支持成为高地", "支|持成|为高|地"),
        ("现代化", "现|代|化"),
        ("是", "是"),
    ],
)
def test_chinese_words_hold_together(text: str, expected: str) -> None:
    assert joined(typeset(text, "zh")) == expected


def test_a_glossary_term_holds_together_where_jieba_splits_it() -> None:
    assert segments("西部陆海新通道") != ["西部陆海新通道"]  # what the glossary is for
    assert segments("支持西部陆海新通道建设", GLOSSARY) == ["支持", "西部陆海新通道", "建设"]
    assert joined(typeset("西部陆海新通道", "zh", GLOSSARY)) == "西|部|陆|海|新|通|道"
    # Without the glossary the segmenter's cut shows (西部 / 陆海 / 新 / 通道).
    assert joined(typeset("西部陆海新通道", "zh")) == "西|部陆|海新通|道"


def test_the_longest_glossary_term_wins() -> None:
    cut = segments("重庆两江新区行政区", GLOSSARY)
    assert cut[0] == "重庆两江新区"
    assert "".join(cut) == "重庆两江新区行政区"


def test_a_term_is_whole_when_it_sits_inside_quotes() -> None:
    text = typeset("“十五五”时期", "zh", GLOSSARY)
    assert joined(text) == "“十|五|五”时|期"


def test_latin_and_numbers_inside_chinese_are_left_to_the_line_breaker() -> None:
    assert joined(typeset("GDP增长13.2%", "zh")) == "GDP增|长13.2%"
    assert joined(typeset("iPhone 手机", "zh")) == "iPhone 手|机"


def test_a_figure_holds_on_to_its_unit_word() -> None:
    assert joined(typeset("超过54万户", "zh")) == "超|过54|万|户"
    assert joined(typeset("2026年1月", "zh")) == "2026|年1|月"
    assert joined(typeset("1.2亿人次", "zh")) == "1.2|亿|人|次"


def test_punctuation_qt_does_not_keep_is_joined() -> None:
    # Qt already never breaks before 。，、：；！？）》」』” nor after （《「『“: nothing added.
    assert joined(typeset("是，也（是）", "zh")) == "是，也（是）"
    # A middle dot and a wave dash must not start a line; a two-em dash is one mark.
    assert joined(typeset("3～5", "zh")) == "3|～5"
    assert joined(typeset("江——河", "zh")) == "江—|—河"


def test_typeset_is_idempotent_and_plain_undoes_it() -> None:
    source = "两江新区融合行政区与开发区双重角色，实现“体制统一”。"
    once = typeset(source, "zh", GLOSSARY)
    assert typeset(once, "zh", GLOSSARY) == once
    assert plain(once) == source


def test_the_character_classes() -> None:
    assert all(is_cjk(c) for c in "两，ア𠀀")
    assert not any(is_cjk(c) for c in "A1“")
    assert has_cjk("Liangjiang 两江")
    assert not has_cjk("Liangjiang")


# --- English ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Liangjiang" means "two rivers"', "“Liangjiang” means “two rivers”"),
        ("Liangjiang's priorities", "Liangjiang’s priorities"),
        ("don't", "don’t"),
        ("'two rivers'", "‘two rivers’"),
        ("the '90s", "the ’90s"),
        ('He said: "go."', "He said: “go.”"),
        ('("quoted")', "(“quoted”)"),
        ("2026-2030", "2026–2030"),
        ("2026 - 2030", "2026 – 2030"),
        ("1.5-2.5 million", "1.5–2.5 million"),
        ("China-Singapore", "China-Singapore"),
        ("Chengdu-Chongqing Economic Circle", "Chengdu-Chongqing Economic Circle"),
        ("2026-01-12", "2026-01-12"),
        ("2026-01", "2026-01"),
        ("15th Five-Year Plan", "15th Five-Year Plan"),
        ("-5", "-5"),
        ("wait...", "wait…"),
        ("", ""),
    ],
)
def test_english_punctuation(text: str, expected: str) -> None:
    assert typeset(text, "en") == expected
    assert punctuate(text) == expected


def test_straight_quotes_in_chinese_open_and_close_by_count() -> None:
    assert plain(typeset('首届"两会"，谋划', "zh")) == "首届“两会”，谋划"


def test_english_is_left_without_word_joiners() -> None:
    text = 'Liangjiang\'s "two rivers", 2026-2030'
    assert WJ not in typeset(text, "en", GLOSSARY)


def test_a_latin_glossary_term_does_not_break_at_its_hyphen() -> None:
    assert joined(typeset("the Chengdu-Chongqing circle", "en", ["Chengdu-Chongqing"])) == (
        "the Chengdu-|Chongqing circle"
    )


# --- which marks take the CJK face ---


def test_chinese_quotes_take_the_cjk_face() -> None:
    assert cjk_face_spans("首届“两会”") == [(2, 1), (5, 1)]
    # A pair takes one face, though only one of its quotes touches a Chinese character.
    assert cjk_face_spans("“AI”时代") == [(0, 1), (3, 1)]
    assert cjk_face_spans("江——河") == [(1, 2)]


def test_english_quotes_and_apostrophes_keep_the_latin_face() -> None:
    assert cjk_face_spans("“Liangjiang’s” rivers") == []
    assert cjk_face_spans("Liangjiang’s 两江") == []


# --- startup ---


def test_validate_does_not_load_the_segmenter() -> None:
    """`kiosk validate` starts fast: the segmenter is imported on first use only."""
    code = (
        "import sys, kiosk.cli, kiosk.content.typeset, kiosk.content.loader;"
        "print('rjieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the lines drawn on the bundled deck ---

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
NO_LINE_START = set("。，、：；！？）》」』”’】〕〉…·～%")
NO_LINE_END = set("（《「『“‘【〔〈")


@dataclass(frozen=True)
class Drawn:
    slide: str
    size: tuple[int, int]
    text: str
    lines: list[str]

    def where(self) -> str:
        return f"{self.slide} at {self.size[0]}x{self.size[1]}"


def drawn_texts(
    deck: Deck, lang: str, size: tuple[int, int], *, larger: bool = False
) -> list[Drawn]:
    from kiosk.content.theme import visitor_theme
    from kiosk.ui.draw.observe import observe_text
    from kiosk.ui.render import render_slide

    theme = visitor_theme(deck.settings.theme, larger=larger)

    found: list[Drawn] = []
    for slide in deck.slides:

        def heard(text: str, lines: list[str], _box: object, slide_id: str = slide.id) -> None:
            found.append(Drawn(slide_id, size, text, lines))

        with observe_text(heard):
            render_slide(deck, slide, size, lang, theme=theme)
    return found


def drawn_cards(
    deck: Deck, lang: str, size: tuple[int, int], *, larger: bool = False
) -> list[Drawn]:
    """Every card's text as the open card lays it out: glance-length slides rarely wrap, so
    the long texts a visitor reads are the cards'."""
    import shiboken6
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QImage, QPainter

    from kiosk.content.theme import visitor_theme
    from kiosk.ui.chrome import card_layout
    from kiosk.ui.draw.observe import observe_text
    from kiosk.ui.slides import create_view

    found: list[Drawn] = []
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    theme = visitor_theme(deck.settings.theme, larger=larger)
    for slide in deck.slides:
        view = create_view(deck, slide, lang=lang, theme=theme)
        try:
            view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            view.resize(*size)
            view.show()
            for target in view.hit_targets():
                layout = card_layout(view.grid, view.theme, target, lang, deck.settings.glossary)

                where = f"{slide.id} card {target.key}"

                def heard(text: str, lines: list[str], _box: object, where: str = where) -> None:
                    found.append(Drawn(where, size, text, lines))

                painter = QPainter(image)
                with observe_text(heard):
                    layout.block.draw(painter, QPointF(0, 0), "#ffffff")
                painter.end()
        finally:
            view.close()
            shiboken6.delete(view)
    return found


def line_starts(text: str, lines: list[str]) -> list[int]:
    """Where in `text` (word joiners dropped) each line after the first begins."""
    source = plain(text)
    starts: list[int] = []
    cursor = 0
    for index, line in enumerate(lines):
        part = plain(line).strip()
        if not part:
            continue
        at = source.find(part, cursor)
        assert at >= 0, f"line {part!r} is not in {source!r}"
        if index:
            starts.append(at)
        cursor = at + len(part)
    return starts


def bad_breaks(drawn: Drawn, glossary: list[str]) -> list[str]:
    """Breaks inside a word or term (unless the unit is longer than any line, so it cannot
    fit one), and lines that start or end with a mark Chinese rules keep off that edge."""
    source = plain(drawn.text)
    if not has_cjk(source) or len(drawn.lines) < 2:
        return []
    widest = max(len(plain(line).strip()) for line in drawn.lines)
    units = segments(source, glossary)
    bounds: dict[int, str] = {}
    position = 0
    for unit in units:
        for i in range(position + 1, position + len(unit)):
            bounds[i] = unit
        position += len(unit)
    found = []
    for at in line_starts(drawn.text, drawn.lines):
        before, after = source[at - 1], source[at]
        unit = bounds.get(at)
        if unit is not None and is_cjk(before) and is_cjk(after) and len(unit) < widest:
            found.append(f"{drawn.where()}: {source[:at]!r} / {source[at:]!r} splits {unit!r}")
        if after in NO_LINE_START:
            found.append(f"{drawn.where()}: a line starts with {after!r} in {source!r}")
        if before in NO_LINE_END:
            found.append(f"{drawn.where()}: a line ends with {before!r} in {source!r}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chinese_lines_break_only_between_words(
    qapp: object, bundled_deck: Deck, size: tuple[int, int], larger: bool
) -> None:
    """At the deck's sizes and at the visitor's larger text (which breaks more lines)."""
    from kiosk.ui.fonts import load_fonts

    load_fonts()
    glossary = bundled_deck.settings.glossary
    drawn = drawn_texts(bundled_deck, "zh", size, larger=larger) + drawn_cards(
        bundled_deck, "zh", size, larger=larger
    )
    assert sum(len(d.lines) > 1 and has_cjk(d.text) for d in drawn) > 5  # the test sees lines
    assert [problem for d in drawn for problem in bad_breaks(d, glossary)] == []
    # The chart fixtures too (no glossary: jieba's words alone).
    charts = load_deck(REPO / "tests" / "fixtures" / "charts")
    drawn = drawn_texts(charts, "zh", size, larger=larger)
    assert [problem for d in drawn for problem in bad_breaks(d, [])] == []


def test_the_glossary_lists_the_names_the_issue_saw_broken(bundled_deck: Deck) -> None:
    glossary = bundled_deck.settings.glossary
    for term in ("西部陆海新通道", "成渝地区双城经济圈", "经营主体", "主阵地", "现代化新重庆"):
        assert term in glossary
    # Every term appears in the deck: a glossary of names the deck never shows is noise.
    words = "".join(
        path.read_text()
        for folder in ("slides", "metrics")
        for path in (BUNDLED / folder).glob("*.yaml")
    )
    assert [term for term in glossary if term not in words] == []


def test_the_check_finds_a_broken_word() -> None:
    drawn = Drawn("x", (1, 1), "支持成为高地", ["支", "持成为高地"])
    assert bad_breaks(drawn, []) != []
    drawn = Drawn("x", (1, 1), "支持成为高地", ["支持成为", "高地"])
    assert bad_breaks(drawn, []) == []
    drawn = Drawn("x", (1, 1), "支持，成为", ["支持", "，成为"])
    assert "starts with" in bad_breaks(drawn, [])[0]


def widows(drawn: Drawn) -> bool:
    """A last line of one short word under a longer line."""
    lines = [plain(line).strip() for line in drawn.lines if line.strip()]
    if len(lines) < 2:
        return False
    last = lines[-1]
    return " " not in last and len(last) < 0.5 * max(len(line) for line in lines[:-1])


@pytest.mark.slow
@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headings_are_balanced(
    qapp: object, bundled_deck: Deck, size: tuple[int, int], lang: str, larger: bool
) -> None:
    from kiosk.ui.fonts import load_fonts

    load_fonts()
    headings = {
        plain(typeset(slide.title.get(lang), lang, bundled_deck.settings.glossary))
        for slide in bundled_deck.slides
        if getattr(slide, "title", None) is not None
    }
    drawn = [
        d for d in drawn_texts(bundled_deck, lang, size, larger=larger) if plain(d.text) in headings
    ]
    assert len({d.text for d in drawn}) >= len(headings) - 1
    assert [f"{d.where()}: {d.lines}" for d in drawn if widows(d)] == []


def test_the_widow_check_finds_one() -> None:
    assert widows(Drawn("x", (1, 1), "", ["Chongqing Liangjiang New", "Area"]))
    assert not widows(Drawn("x", (1, 1), "", ["Chongqing Liangjiang", "New Area"]))


# --- what Qt makes of it ---


def deck_strings(deck: Deck, lang: str) -> list[str]:
    from kiosk.content.loader import walk
    from kiosk.content.model import Text

    found = set()
    for root in [deck.settings, *deck.slides, *deck.metrics.values()]:
        for _, value in walk(root, ()):
            if isinstance(value, Text):
                found.add(value.get(lang))
    return sorted(found)


def width_of(text: str) -> float:
    layout = laid(text)  # kept alive: a QTextLine outliving its layout crashes
    return float(layout.lineAt(0).naturalTextWidth())


def laid(text: str, bold: bool = False) -> Any:
    from PySide6.QtGui import QTextOption

    from kiosk.ui.draw.text import new_layout
    from kiosk.ui.fonts import ui_font

    layout = new_layout(text, ui_font(40, bold=bold), QTextOption())
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    return layout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_word_joiners_draw_nothing(qapp: object, bundled_deck: Deck, lang: str) -> None:
    """No tofu for U+2060, and it takes no room: the typeset string is exactly as wide."""
    from kiosk.ui.fonts import load_fonts

    load_fonts()
    glossary = bundled_deck.settings.glossary
    strings = deck_strings(bundled_deck, lang)
    assert len(strings) > 50
    missing, wider = [], []
    for source in strings:
        text = typeset(source, lang, glossary)
        for bold in (False, True):
            layout = laid(text, bold)
            if any(0 in run.glyphIndexes() for run in layout.glyphRuns()):
                missing.append(text)
        if plain(text) == source and WJ in text:
            width = width_of(text)
            alone = width_of(source)
            if abs(width - alone) > 0.5:
                wider.append(f"{source!r}: {alone} → {width}")
    assert missing == []
    assert wider == []


def test_chinese_quotes_are_drawn_full_width_by_the_cjk_face(qapp: object) -> None:
    from kiosk.ui.fonts import CJK_FAMILY, LATIN_FAMILY, load_fonts

    load_fonts()

    def faces(text: str, chars: str) -> set[str]:
        layout = laid(text)
        used = set()
        for run in layout.glyphRuns():
            family = run.rawFont().familyName()
            glyphs = set(run.glyphIndexes())
            for char in chars:
                if glyphs & set(run.rawFont().glyphIndexesForString(char)):
                    used.add(family)
        return used

    assert faces(typeset("首届“两会”召开", "zh"), "“”") == {CJK_FAMILY}
    assert faces(typeset('"two sessions"', "en"), "“”") == {LATIN_FAMILY}
    # Full-width: a Chinese quote is as wide as a character.
    quoted = width_of("两“两”两")
    assert quoted == pytest.approx(5 * width_of("两"), abs=1)


def test_two_marks_side_by_side_leave_no_em_of_air(qapp: object) -> None:
    from kiosk.content.typeset import compressed_marks

    assert compressed_marks("“十五五”：主引擎") == [0, 4]
    assert compressed_marks("嘉陵江（青），非") == [5]
    assert compressed_marks('"AI": x') == []
    squeezed = width_of("两”：两")
    char = width_of("两")
    assert squeezed == pytest.approx(3.5 * char, abs=1)


def test_a_term_wider_than_the_line_still_wraps(qapp: object) -> None:
    """A glossary term is unbreakable, but one wider than the box breaks anywhere rather
    than overflow (QPainter.drawText's word wrap cannot fall back; draw_text does)."""
    from kiosk.ui.draw.text import WRAP, set_text
    from kiosk.ui.fonts import load_fonts, ui_font

    load_fonts()
    text = typeset("成渝地区双城经济圈", "zh", GLOSSARY)
    font = ui_font(40)
    narrow = set_text(text, font, 130, WRAP)
    assert len(narrow.lines()) > 1
    assert narrow.used.width() <= 130 + 0.5
