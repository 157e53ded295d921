"""Numbers and dates as each language writes them: one grouping rule a language."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.content.format import format_date, format_figure, format_metric, format_period, group
from kiosk.content.loader import load_deck
from kiosk.content.model import PartialDate
from tests.helpers.show import BUNDLED

# One grouping rule a language: English groups thousands with commas from 1,000; Chinese never
# groups, scaled (6700亿) or plain (1360, 540000). Each row: value, language, options, text.
FIGURES = [
    # The bundled deck's figures, as its tiles, bars and rings write them.
    (1360, "en", {"fmt": "plain", "unit": "km²"}, "1,360 km²"),
    (1360, "zh", {"fmt": "plain", "unit": "平方公里"}, "1360平方公里"),
    (3_520_000, "en", {"unit": "residents"}, "3.52 million residents"),
    (3_520_000, "zh", {"unit": "人"}, "352万人"),
    (540_000, "en", {"qualifier": "over", "unit": "entities"}, "over 540,000 entities"),
    (540_000, "zh", {"qualifier": "over", "unit": "户"}, "超过54万户"),
    (120e6, "en", {"qualifier": "over", "unit": "passengers"}, "over 120 million passengers"),
    (120e6, "zh", {"qualifier": "over", "unit": "人次"}, "超过1.2亿人次"),
    (670e9, "en", {"unit": "yuan", "qualifier": "over"}, "over 670 billion yuan"),
    (670e9, "zh", {"unit": "元", "qualifier": "over"}, "超过6700亿元"),
    (400e9, "en", {"unit": "yuan"}, "400 billion yuan"),
    (400e9, "zh", {"unit": "元"}, "4000亿元"),
    (96.22e9, "en", {"unit": "US dollars", "qualifier": "about"}, "about 96.22 billion US dollars"),
    (96.22e9, "zh", {"unit": "美元", "qualifier": "about"}, "约962.2亿美元"),
    (75, "en", {"fmt": "percent"}, "75%"),
    (75, "zh", {"fmt": "percent"}, "75%"),
    (40, "en", {"fmt": "percent", "qualifier": "over"}, "over 40%"),
    (40, "zh", {"fmt": "percent", "qualifier": "over"}, "超过40%"),
    # Tiers: an order of size, not a measurement (a 400-billion-yuan industry), one compound.
    (400e9, "en", {"unit": "yuan", "qualifier": "tier"}, "400-billion-yuan tier"),
    (400e9, "zh", {"unit": "元", "qualifier": "tier"}, "4000亿元级"),
    (200e9, "en", {"unit": "yuan", "qualifier": "tier"}, "200-billion-yuan tier"),
    (10e9, "zh", {"unit": "元", "qualifier": "tier"}, "100亿元级"),
    (500, "en", {"fmt": "plain", "qualifier": "tier"}, "500-tier"),
    (500, "zh", {"fmt": "plain", "qualifier": "tier"}, "500级"),
    # Counts: a plain small number with its noun.
    (6, "en", {"fmt": "plain", "unit": "fronts"}, "6 fronts"),
    (12, "zh", {"fmt": "plain", "unit": "项"}, "12项"),
    # Plain numbers: grouped from 1,000 in English, never in Chinese.
    (12, "en", {}, "12"),
    (12, "zh", {}, "12"),
    (999, "en", {"fmt": "plain"}, "999"),
    (1000, "en", {"fmt": "plain"}, "1,000"),
    (1000, "zh", {"fmt": "plain"}, "1000"),
    (540_000, "en", {"fmt": "plain"}, "540,000"),
    (540_000, "zh", {"fmt": "plain"}, "540000"),
    (12_345_678, "en", {"fmt": "plain"}, "12,345,678"),
    (12_345_678, "zh", {"fmt": "plain"}, "12345678"),
    # Scaled: English from a million, Chinese from 万; the scale's mantissa groups as above.
    (9999, "zh", {}, "9999"),
    (10_000, "zh", {}, "1万"),
    (999_999, "en", {}, "999,999"),
    (1_500e9, "en", {}, "1,500 billion"),
    (1_500e12, "zh", {}, "15000000亿"),
    # Decimals: kept as given or as few as show the value; grouping only left of the point.
    (1234.5, "en", {"fmt": "plain"}, "1,234.5"),
    (1234.5, "zh", {"fmt": "plain"}, "1234.5"),
    (3.52, "en", {"fmt": "plain", "decimals": 1}, "3.5"),
    (55.5, "zh", {"fmt": "percent"}, "55.5%"),
    (12.25, "en", {"fmt": "percent", "decimals": 1}, "12.2%"),
    (1250.0, "en", {"fmt": "percent"}, "1,250%"),
    (1250.0, "zh", {"fmt": "percent"}, "1250%"),
]


@pytest.mark.parametrize(("value", "lang", "kwargs", "expected"), FIGURES)
def test_figures(value: float, lang: str, kwargs: dict[str, Any], expected: str) -> None:
    assert format_figure(value, lang, **kwargs).text == expected


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1360, 0, "en", "1,360"),
        (1360, 0, "zh", "1360"),
        (6700, 0, "zh", "6700"),
        (540_000, 0, "en", "540,000"),
        (3.52, 2, "en", "3.52"),
        (-1360, 0, "en", "-1,360"),
        (1360, 0, "fr", "1,360"),  # a language without a rule of its own groups as English
    ],
)
def test_group(value: float, decimals: int, lang: str, expected: str) -> None:
    assert group(value, decimals, lang) == expected


def test_the_decks_figures_follow_one_rule_a_language() -> None:
    deck = load_deck(BUNDLED)
    for lang in ("zh", "en"):
        for key, metric in deck.metrics.items():
            number = format_metric(metric, lang).number
            if lang == "zh":
                assert "," not in number, (key, number)
            else:
                whole = number.split(".")[0].replace(",", "")
                assert number.split(".")[0] == f"{int(whole):,}", (key, number)
    assert format_metric(deck.metrics["area"], "zh").text == "1360平方公里"
    assert format_metric(deck.metrics["area"], "en").text == "1,360 km²"


def test_a_tier_splits_as_a_tile_shows_it() -> None:
    # Big number, then the words: 400 | billion-yuan tier; 4000 | 亿元级; no qualifier before.
    en = format_figure(400e9, "en", unit="yuan", qualifier="tier")
    assert (en.qualifier, en.number, en.suffix, en.tier) == ("", "400", "billion-yuan tier", True)
    zh = format_figure(400e9, "zh", unit="元", qualifier="tier")
    assert (zh.qualifier, zh.number, zh.suffix) == ("", "4000", "亿元级")


def test_the_decks_industries_are_tiers_in_both_languages() -> None:
    deck = load_deck(BUNDLED)
    texts = {
        lang: [
            format_metric(deck.metrics[k], lang).text
            for k in ("nev-industry", "electronics-industry", "software-industry")
        ]
        for lang in ("zh", "en")
    }
    assert texts == {
        "zh": ["4000亿元级", "3000亿元级", "2000亿元级"],
        "en": ["400-billion-yuan tier", "300-billion-yuan tier", "200-billion-yuan tier"],
    }


def test_a_chart_writes_every_value_in_its_largest_values_scale() -> None:
    midway = format_figure(1_760_000, "en", like=3_520_000, unit="residents")
    assert (midway.number, midway.scale) == ("1.76", "million")
    small = format_figure(20e9, "zh", like=400e9, unit="元")
    assert (small.number, small.suffix) == ("200", "亿元")


@pytest.mark.parametrize(
    ("when", "until", "lang", "expected"),
    [
        ("2010-06-18", None, "en", "18 June 2010"),
        ("2010-06-18", None, "zh", "2010年6月18日"),
        ("2025-10", None, "en", "October 2025"),
        ("2025-10", None, "zh", "2025年10月"),
        ("2026", "2030", "en", "2026–2030"),
        ("2026", "2030", "zh", "2026—2030年"),
    ],
)
def test_dates(when: str, until: str | None, lang: str, expected: str) -> None:
    end = PartialDate.parse(until) if until else None
    assert format_period(PartialDate.parse(when), end, lang) == expected
    if until is None:
        assert format_date(PartialDate.parse(when), lang) == expected
