"""No visible string of the bundled deck renders a missing glyph (a tofu box), in any language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QTextLayout

from kiosk.content.format import format_metric, format_period
from kiosk.content.loader import Deck, walk
from kiosk.content.model import Event, Metric, Text
from kiosk.ui.fonts import CJK_FAMILY, LATIN_FAMILY, load_fonts, ui_font


def visible_strings(deck: Deck, lang: str) -> Iterator[str]:
    for _, value in walk(deck.settings, ()):
        if isinstance(value, Text):
            yield value.get(lang)
    for slide in deck.slides:
        for _, value in walk(slide, ()):
            if isinstance(value, Text):
                yield value.get(lang)
            elif isinstance(value, Event):
                yield format_period(value.date, value.until, lang)
    for metric in deck.metrics.values():
        yield format_metric(metric, lang).text
        for _, value in walk(metric, ()):
            if isinstance(value, Text):
                yield value.get(lang)


def missing_glyphs(text: str, bold: bool) -> list[str]:
    layout = QTextLayout(text, ui_font(40, bold=bold))
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    missing = []
    for run in layout.glyphRuns():
        if 0 in run.glyphIndexes():
            missing.append(f"{text!r} in {run.rawFont().familyName()}")
    return missing


def test_fonts_load_by_file(qapp: object) -> None:
    families = load_fonts()
    assert families == [LATIN_FAMILY, CJK_FAMILY]
    assert ui_font(30).families() == [LATIN_FAMILY, CJK_FAMILY]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_tofu_in_the_bundled_deck(qapp: object, bundled_deck: Deck, lang: str) -> None:
    load_fonts()
    strings = sorted(set(visible_strings(bundled_deck, lang)))
    assert len(strings) > 50
    missing = [m for s in strings for bold in (False, True) for m in missing_glyphs(s, bold)]
    assert missing == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_tofu_in_the_kiosk_s_own_words(qapp: object, lang: str) -> None:
    from kiosk.ui.overlay import STRINGS

    load_fonts()
    words = [texts[lang] for texts in STRINGS.values()]
    assert [m for w in words for bold in (False, True) for m in missing_glyphs(w, bold)] == []


def test_the_check_finds_tofu(qapp: object) -> None:
    load_fonts()
    assert missing_glyphs("\U000f0000", False)  # a private-use character no font has


def test_chinese_uses_the_simplified_face(qapp: object) -> None:
    load_fonts()
    layout = QTextLayout("两江新区", ui_font(40))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    assert {run.rawFont().familyName() for run in layout.glyphRuns()} == {CJK_FAMILY}


def test_metric_strings_are_covered(bundled_deck: Deck) -> None:
    metric = next(iter(bundled_deck.metrics.values()))
    assert isinstance(metric, Metric)
    assert format_metric(metric, "zh").text in set(visible_strings(bundled_deck, "zh"))
