"""Numbers and dates as each language writes them."""

from __future__ import annotations

import pytest

from kiosk.content.model import PartialDate
from kiosk.ui.draw.format import format_date, format_figure, format_period


@pytest.mark.parametrize(
    ("value", "lang", "kwargs", "expected"),
    [
        (1360, "en", {"fmt": "plain", "unit": "km²"}, "1,360 km²"),
        (1360, "zh", {"fmt": "plain", "unit": "平方公里"}, "1,360平方公里"),
        (3_520_000, "en", {"unit": "residents"}, "3.52 million residents"),
        (3_520_000, "zh", {"unit": "人"}, "352万人"),
        (400e9, "en", {"unit": "yuan"}, "400 billion yuan"),
        (400e9, "zh", {"unit": "元"}, "4000亿元"),
        (670e9, "en", {"unit": "yuan", "qualifier": "over"}, "over 670 billion yuan"),
        (670e9, "zh", {"unit": "元", "qualifier": "over"}, "超过6700亿元"),
        (540_000, "en", {"qualifier": "over"}, "over 540,000"),
        (540_000, "zh", {"qualifier": "over"}, "超过54万"),
        (120e6, "zh", {"unit": "人次"}, "1.2亿人次"),
        (
            96.22e9,
            "en",
            {"unit": "US dollars", "qualifier": "about"},
            "about 96.22 billion US dollars",
        ),
        (75, "en", {"fmt": "percent"}, "75%"),
        (40, "zh", {"fmt": "percent", "qualifier": "over"}, "超过40%"),
        (40, "en", {"fmt": "percent", "qualifier": "over"}, "over 40%"),
        (12, "en", {}, "12"),
    ],
)
def test_figures(value: float, lang: str, kwargs: dict[str, str], expected: str) -> None:
    assert format_figure(value, lang, **kwargs).text == expected


def test_count_up_keeps_the_final_scale() -> None:
    midway = format_figure(1_760_000, "en", like=3_520_000, unit="residents")
    assert (midway.number, midway.scale) == ("1.76", "million")
    start = format_figure(0, "zh", like=3_520_000, unit="人")
    assert (start.number, start.suffix) == ("0", "万人")


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
