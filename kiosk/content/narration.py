"""What the kiosk says for a slide or an open card, in each language, written for a voice.

A voice reads what the screen shows, not what it draws: `1,360 km²` is "1,360 square
kilometres", `75%` is "75 per cent" / "百分之七十五", `2026–2030` is "2026 to 2030" /
"2026年至2030年", and a symbol a synthesiser spells out or skips (², %, –, /, +, bullets, the
word joiners of typesetting) never reaches it. The slide's pieces come from `visible` (the one
walk of what a slide shows) and its figures and dates from `format` (as the screen writes
them), so the spoken slide and the shown slide cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from kiosk.content.cards import Card, slide_cards
from kiosk.content.format import (
    TIER,
    Figure,
    decimals_for,
    format_date,
    format_figure,
    format_metric,
    scale_for,
)
from kiosk.content.loader import Deck
from kiosk.content.model import (
    ChartSlide,
    PartialDate,
    SlideBase,
    Text,
)
from kiosk.content.typeset import plain
from kiosk.content.visible import Piece, SlideText, slide_texts

# -- the unit vocabulary -------------------------------------------------------------------

UNIT_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "km²": "square kilometres",
        "km2": "square kilometres",
        "sq km": "square kilometres",
        "m²": "square metres",
        "m2": "square metres",
        "㎡": "square metres",
        "ha": "hectares",
        "km": "kilometres",
        "m": "metres",
        "cm": "centimetres",
        "mm": "millimetres",
        "m³": "cubic metres",
        "kg": "kilograms",
        "t": "tonnes",
        "%": "per cent",
        "‰": "per mille",
        "℃": "degrees Celsius",
        "°C": "degrees Celsius",
        "°": "degrees",
        "US$": "US dollars",
        "$": "dollars",
        "USD": "US dollars",
        "¥": "yuan",
        "RMB": "yuan",
        "CNY": "yuan",
        "€": "euros",
        "£": "pounds",
        "kWh": "kilowatt hours",
        "kW": "kilowatts",
        "MW": "megawatts",
        "GW": "gigawatts",
        "TEU": "twenty-foot equivalent units",
        "km/h": "kilometres an hour",
        "h": "hours",
        "min": "minutes",
        "s": "seconds",
        "yr": "years",
    },
    "zh": {
        "km²": "平方公里",
        "km2": "平方公里",
        "m²": "平方米",
        "m2": "平方米",
        "㎡": "平方米",
        "ha": "公顷",
        "km": "公里",
        "m": "米",
        "cm": "厘米",
        "mm": "毫米",
        "m³": "立方米",
        "kg": "千克",
        "t": "吨",
        "%": "百分之",
        "‰": "千分之",
        "℃": "摄氏度",
        "°C": "摄氏度",
        "°": "度",
        "US$": "美元",
        "$": "美元",
        "USD": "美元",
        "¥": "元",
        "RMB": "元",
        "CNY": "元",
        "€": "欧元",
        "£": "英镑",
        "kWh": "千瓦时",
        "kW": "千瓦",
        "MW": "兆瓦",
        "GW": "吉瓦",
        "TEU": "标准箱",
        "km/h": "公里每小时",
        "h": "小时",
        "min": "分钟",
        "s": "秒",
        "/年": "每年",
        "/月": "每月",
        "/日": "每日",
        "/天": "每天",
    },
}
"""How a unit written beside a figure is said: the units of the content's metric files and the
common ones. A unit that is not here is said as written, its symbols put in words
(`unit_words`), so no figure is ever said without its unit."""

PER = {"en": " per ", "zh": "每"}
SQUARE = {"en": ("square ", "cubic "), "zh": ("平方", "立方")}


def unit_words(unit: str, lang: str) -> str:
    """A unit as a voice says it in `lang`: `km²` → `square kilometres` / `平方公里`,
    `人次/年` → `人次每年`; a unit not in the vocabulary as written, its symbols in words."""
    unit = plain(unit).strip()
    if not unit:
        return ""
    words = UNIT_WORDS.get(lang, UNIT_WORDS["en"])
    if unit in words:
        return words[unit]
    if "/" in unit:
        parts = [p.strip() for p in unit.split("/")]
        if all(parts):
            return PER.get(lang, PER["en"]).join(unit_words(p, lang) for p in parts)
    for mark, index in (("²", 0), ("³", 1)):
        if unit.endswith(mark) and len(unit) > 1:
            return SQUARE.get(lang, SQUARE["en"])[index] + unit_words(unit[:-1], lang)
    if " " in unit and lang != "zh":
        # Symbols and abbreviations among words (`t CO2`), not a word that is also a symbol.
        return " ".join(
            unit_words(w, lang) if w in words and len(w) > 1 else w for w in unit.split()
        )
    return speakable(unit, lang, sentence=False) or unit


# -- numbers in Chinese words -----------------------------------------------------------------

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_SECTIONS = ("", "万", "亿", "万亿")


def _zh_section(n: int) -> str:
    """0 < n < 10000 in Chinese words: 1005 一千零五, 1050 一千零五十."""
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _ZH_DIGITS[digit] + unit
    return out


def zh_number(number: str) -> str:
    """A number written in digits (`75`, `55.5`, `1,360`) in Chinese words (七十五, 五十五点五,
    一千三百六十), for what a voice must say in words (百分之七十五); digits it cannot say
    (a number beyond 10¹⁶) are kept."""
    whole, _, fraction = number.replace(",", "").partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(whole) > 16:
        return number
    n = int(whole)
    if n == 0:
        words = "零"
    else:
        sections: list[str] = []
        rest = n
        for index in range(len(_ZH_SECTIONS)):
            part = rest % 10000
            rest //= 10000
            if part:
                text = _zh_section(part) + _ZH_SECTIONS[index]
                if rest and part < 1000:
                    text = "零" + text  # 10005: 一万零五
                sections.append(text)
            elif sections and not sections[-1].startswith("零"):
                sections.append("零")
            if not rest:
                break
        words = "".join(reversed(sections)).rstrip("零")
        words = re.sub("零+", "零", words)
        if words.startswith("一十"):
            words = words[1:]  # 十五, not 一十五
    if fraction:
        words += "点" + "".join(_ZH_DIGITS[int(d)] for d in fraction)
    return words


# -- figures said ----------------------------------------------------------------------------


def spoken_figure(figure: Figure) -> str:
    """A figure as said, unit in words: `over 670 billion yuan`, `75 per cent`, `百分之七十五`,
    `400-billion-yuan tier`, `4000亿元级`, `1360平方公里`."""
    lang = figure.lang
    zh = lang == "zh"
    if figure.unit == "%" and not figure.scale:
        said = f"百分之{zh_number(figure.number)}" if zh else f"{figure.number} per cent"
        return (
            f"{figure.qualifier}{said}"
            if zh
            else " ".join(p for p in (figure.qualifier, said) if p)
        )
    unit = unit_words(figure.unit, lang)
    if figure.tier:
        if zh:
            return f"{figure.number}{figure.scale}{unit}{TIER['zh']}"
        compound = "-".join(p for p in (figure.number, figure.scale, unit.replace(" ", "-")) if p)
        return f"{compound} {TIER.get(lang, TIER['en'])}"
    if zh:
        return f"{figure.qualifier}{figure.number}{figure.scale}{unit}"
    return " ".join(p for p in (figure.qualifier, figure.number, figure.scale, unit) if p)


# -- free text made speakable ------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_INVISIBLE: dict[int, int | None] = {
    **dict.fromkeys(map(ord, "\u2060\u00ad\u200b\u200c\u200d\ufeff"), None),
    # Full-width digits and letters (a Chinese input method's ２０２６) as a voice knows them.
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ABBREVIATED = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?= \d{4}\b)")
_NUMBER = r"(?<![\d.,])\d+(?:[.,]\d+)*"
"""A number written in digits, from its first digit (so that a long run is tried once)."""
_CURRENCY = re.compile(
    rf"(US\$|\$|¥|€|£|RMB ?|USD ?|CNY ?)({_NUMBER})( ?(?:trillion|billion|million|thousand|亿|万))?"
)
_SYMBOL_UNITS = ("km²", "m²", "m³", "㎡", "℃", "°C", "‰")
_LETTER_UNITS = ("km/h", "kWh", "km", "kg", "cm", "mm", "kW", "MW", "GW", "TEU", "ha", "t", "m")
_AFTER_NUMBER = re.compile(
    rf"(\d)\s?({'|'.join(map(re.escape, _SYMBOL_UNITS))}"
    rf"|(?:{'|'.join(map(re.escape, _LETTER_UNITS))})(?![\w²³]))"
)
_PERCENT = re.compile(rf"({_NUMBER})\s?[%％]")
_YEAR_RANGE_ZH = re.compile(r"(\d{4})年?\s*(?:[-–—~～]|——)\s*(\d{4})年")
_RANGE = re.compile(rf"({_NUMBER})\s*[–—~～]\s*({_NUMBER})|(\d{{4}})-(\d{{4}})(?!-)")
_PER_TIME = re.compile(r"\s*/\s*(年|月|日|天|小时|year|month|day|hour|week)\b")
_SLASH = re.compile(r"\s*/\s*")
_DOT_BETWEEN = re.compile(r"(?<=\S)[·・‧](?=\S)")
_BULLETS = re.compile(r"\s*[•·・‧●▪◦■□◆◇★☆►▶]\s*")
_QUOTES = re.compile(r"[“”„‟\"«»「」『』《》〈〉‹›]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")
_OPEN = re.compile(r"\s*[(\[（【〔{]\s*")
_CLOSE = re.compile(r"\s*[)\]）】〕}]")
_CLOSE_IN_ZH = re.compile(r"\s*[)\]）】〕}](?=[\u3400-\u9fff])")
_MORE_THAN = re.compile(
    r"((?<![\d.,])\d[\d,.]*(?: ?(?:trillion|billion|million|thousand|亿|万))?)\s?[+＋](?![\d\w])"
)
_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
HANDLED_SYMBOLS = frozenset("%％‰°℃㎡$¥€£+＋&×№=→⇒•●▪◦■□◆◇★☆►▶~～") | frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")
"""The symbols the replacements below put in words or pauses; any other is left out first,
so that what it stood between is said as if it were not there, the same the second time."""
_WIDE_SPACE = re.compile(r"(?<=\S)\u3000+(?=\S)")
_ENDS = {"en": ".!?", "zh": "。！？!?"}
_PAUSES = ",;:，、；："

SPOKEN_SYMBOLS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "+": " plus ",
        "&": " and ",
        "×": " times ",
        "№": "number ",
        "…": ", ",
        "=": " is ",
        "$": " dollars ",
        "¥": " yuan ",
        "€": " euros ",
        "£": " pounds ",
        "→": " to ",
        "⇒": " to ",
    },
    "zh": {
        "+": "加",
        "＋": "加",
        "&": "和",
        "×": "乘",
        "№": "第",
        "…": "，",
        "=": "等于",
        "$": "美元",
        "¥": "元",
        "€": "欧元",
        "£": "英镑",
        "→": "到",
        "⇒": "到",
    },
}
"""Symbols said as words where they are left in a text (`seaport + airport`)."""


def _say_date(match: re.Match[str], lang: str) -> str:
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    return format_date(PartialDate(year, month, day), lang)


def _say_currency(match: re.Match[str], lang: str) -> str:
    symbol, number, scale = match.group(1).strip(), match.group(2), (match.group(3) or "")
    unit = unit_words(symbol, lang)
    if lang == "zh":
        return f"{number}{scale.strip()}{unit}"
    return f"{number}{scale} {unit}"


def _say_percent(match: re.Match[str], lang: str) -> str:
    number = match.group(1)
    return f"百分之{zh_number(number)}" if lang == "zh" else f"{number} per cent"


def _say_range(match: re.Match[str], lang: str) -> str:
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    return f"{first}至{second}" if lang == "zh" else f"{first} to {second}"


def _tidy(text: str, lang: str) -> str:
    """Spaces and pauses left by the replacements put straight: one space, no pause before
    another mark or at the start, none doubled."""
    text = _SPACES.sub(" ", text)
    text = re.sub(r" +([,.;:!?，。、；：！？])", r"\1", text)
    text = re.sub(r"([,;:，、；：])[ ]*(?=[,.;:!?，。、；：！？])", "", text)
    text = re.sub(r"^[ ,.;:，。、；：]+", "", text)
    if lang == "zh":
        text = re.sub(
            r"(?<=[\u3000-\u9fff，。、；：！？]) (?=[\u3000-\u9fff，。、；：！？])", "", text
        )
    return text.strip()


def speakable(text: str, lang: str, *, sentence: bool = True) -> str:
    """`text` as a voice should read it in `lang`: figures' units, percentages, ranges and
    dates in words, symbols said or left out, every line and paragraph a sentence of its own
    (so the voice pauses), the typesetting's invisible marks gone. Idempotent: made again
    from what it says, it says the same."""
    said = _speakable(text, lang, sentence)
    for _ in range(3):  # a replacement can bring two parts together that another one takes
        again = _speakable(said, lang, sentence)
        if again == said:
            break
        said = again
    return said


def _superscript(match: re.Match[str], lang: str) -> str:
    power = match.group(0).translate(_SUPERSCRIPT_DIGITS)
    if lang == "zh":
        return {"2": "的平方", "3": "的立方"}.get(power, f"的{power}次方")
    return {"2": " squared", "3": " cubed"}.get(power, f" to the power of {power}")


def _speakable(text: str, lang: str, sentence: bool) -> str:
    zh = lang == "zh"
    text = unicodedata.normalize("NFC", plain(text)).translate(_INVISIBLE)
    text = "".join(
        " " if unicodedata.category(c)[0] == "S" and c not in HANDLED_SYMBOLS else c for c in text
    )
    text = _ISO_DATE.sub(lambda m: _say_date(m, lang), text)
    if not zh:
        text = _ABBREVIATED.sub(
            lambda m: format_date(PartialDate(2000, _MONTHS[m.group(1).lower()]), "en").split()[0],
            text,
        )
    text = _CURRENCY.sub(lambda m: _say_currency(m, lang), text)
    text = _MORE_THAN.sub(lambda m: ("超过" if zh else "more than ") + m.group(1), text)
    if zh:
        text = _WIDE_SPACE.sub("，", text)  # 青：行政区　金：开发区: two items, not one
    text = _PERCENT.sub(lambda m: _say_percent(m, lang), text)
    words = UNIT_WORDS.get(lang, UNIT_WORDS["en"])
    gap = "" if zh else " "
    text = _AFTER_NUMBER.sub(
        lambda m: f"{m.group(1)}{gap}{words.get(m.group(2), m.group(2))}", text
    )
    for symbol in _SYMBOL_UNITS:
        text = text.replace(symbol, f"{gap}{words[symbol]}{gap}")
    text = re.sub("[%％]", f" {words['%']} " if not zh else "百分比", text)
    text = _SUPERSCRIPT.sub(lambda m: _superscript(m, lang), text)
    if zh:
        text = _YEAR_RANGE_ZH.sub(r"\1年至\2年", text)
    text = _RANGE.sub(lambda m: _say_range(m, lang), text)
    text = _PER_TIME.sub(lambda m: PER[lang if zh else "en"] + m.group(1), text)
    text = _SLASH.sub(" or " if not zh else "或", text)
    text = _DOT_BETWEEN.sub("" if zh else " ", text)
    text = _BULLETS.sub("，" if zh else ". ", text)
    text = re.sub(r"(?<=[A-Za-z])[–—](?=[A-Za-z])", "-", text)  # Chengdu–Chongqing
    text = re.sub(r"\s*(?:——|[–—―])\s*", "，" if zh else ", ", text)
    text = _QUOTES.sub("", text)
    if zh:
        text = _CLOSE_IN_ZH.sub("", text)  # 未来五年（2026—2030年）的: the sentence goes on
    text = _OPEN.sub("，" if zh else ", ", text)
    text = _CLOSE.sub("，" if zh else ",", text)
    for symbol, said in SPOKEN_SYMBOLS.get(lang, SPOKEN_SYMBOLS["en"]).items():
        text = text.replace(symbol, said)
    text = "".join(_speakable_char(c, lang) for c in text)
    if not sentence:
        return _tidy(text.replace("\n", " "), lang)
    lines = [_tidy(line, lang) for line in text.splitlines()]
    return join_sentences((line for line in lines if line), lang)


def _speakable_char(char: str, lang: str) -> str:
    """A character left after the replacements: kept when a voice reads it as a letter, a
    digit or punctuation it pauses at; a superscript digit as its digit; any other symbol
    (an arrow, a stray sign) left out, as a voice would spell it or skip it."""
    category = unicodedata.category(char)
    if category[0] in "LZ" or category == "Nd":
        return char
    if category in ("No", "Nl"):  # ½, ①, Ⅻ: said as the number they stand for
        value = unicodedata.numeric(char, -1.0)
        return f" {value:g} " if value >= 0 else " "
    if char in ".,;:!?'-\n" or char in "，。、；：！？":
        return char
    if category[0] == "P":
        return " "
    return " "


def ended(sentence: str, lang: str) -> str:
    """`sentence` ended so that the voice pauses after it: a full stop (。) unless it has
    one, a pause mark at its end made a full stop."""
    sentence = sentence.strip()
    if not sentence:
        return ""
    zh = lang == "zh"
    while sentence and sentence[-1] in _PAUSES:
        sentence = sentence[:-1].rstrip()
    if not sentence:
        return ""
    if sentence[-1] in _ENDS["zh" if zh else "en"] or (not zh and sentence[-1] in "。！？"):
        return sentence
    if zh and sentence[-1] in ".!?":
        return sentence[:-1] + {"!": "！", "?": "？"}.get(sentence[-1], "。")
    return sentence + ("。" if zh else ".")


def join_sentences(sentences: Iterable[str], lang: str) -> str:
    """Sentences ended and put one after another (Chinese without spaces)."""
    parts = [ended(s, lang) for s in sentences]
    return ("" if lang == "zh" else " ").join(p for p in parts if p)


# -- a slide's script ----------------------------------------------------------------------------

READING_ORDER: Mapping[str, int] = {"kicker": -2, "title": -1, "type": 99}
"""The slide's top-level fields read out of their model's order: a kicker sits above the
title it is declared after; the kiosk's own words (a map's "not to scale", under `type`) last."""


def _solo(deck: Deck, slide: SlideBase) -> SlideText:
    """The visible pieces of one slide (of `deck`, or shown with its settings and figures)."""
    index = deck.index_of(slide.id)
    file = deck.slide_files[index] if index is not None else ""
    alone = replace(deck, slides=(slide,), slide_files=(file,), _index={slide.id: 0})
    return slide_texts(alone, lambda key: "")[0]


def _chart_value(slide: ChartSlide, series: int, index: int, lang: str) -> str:
    """A value written in a chart, said as the chart writes it: a ring's percentage as it is,
    a bar's in the scale of the chart's largest value with as many decimals as its most
    precise value needs (never rounded to another figure), with the chart's unit."""
    values = [v for s in slide.series for v in (s.values or [])]
    value = (slide.series[series].values or [])[index]
    unit = slide.unit.get(lang) if slide.unit is not None else ""
    if slide.kind == "share" or unit.strip() in ("%", "％"):
        return spoken_figure(format_figure(value, lang, fmt="percent"))
    largest = max((abs(v) for v in values), default=0.0) or 1.0
    divisor, _ = scale_for(largest, lang)
    places = max(decimals_for(v / divisor) for v in values)
    figure = format_figure(value, lang, decimals=places, unit=unit, like=largest)
    return spoken_figure(figure)


def _figure_said(deck: Deck, slide: SlideBase, piece: Piece, lang: str) -> str:
    """A figure piece said in words: a metric's figure in full, with its unit (a chart's bar
    label is bare on screen, the unit written once on the axis), a chart's value with the
    chart's unit, a date as the screen writes it."""
    if piece.figure == "metric" and piece.metric is not None:
        metric = deck.metrics.get(piece.metric)
        if metric is not None:
            return spoken_figure(format_metric(metric, lang))
    path = piece.at.path
    if isinstance(slide, ChartSlide) and len(path) >= 4 and path[0] == "series":
        series, index = path[1], path[3]
        if path[2] == "values" and isinstance(series, int) and isinstance(index, int):
            return _chart_value(slide, series, index, lang)
    return speakable(piece.text(lang), lang, sentence=False)


def _is_date(piece: Piece) -> bool:
    return (
        piece.figure == "written" and bool(piece.at.path) and piece.at.path[-1] in ("date", "until")
    )


def _series_name(slide: SlideBase, piece: Piece, lang: str) -> str:
    """The series a chart's figure belongs to, said before it when a chart has several."""
    path = piece.at.path
    if isinstance(slide, ChartSlide) and len(slide.series) > 1 and path[:1] == ("series",):
        series = path[1]
        if isinstance(series, int) and 0 <= series < len(slide.series):
            return speakable(slide.series[series].name.get(lang), lang, sentence=False)
    return ""


def _legend(slide: SlideBase, piece: Piece) -> bool:
    """A piece said with each figure instead (a chart's legend entries and its unit)."""
    if not isinstance(slide, ChartSlide):
        return False
    path = piece.at.path
    return path == ("unit",) or (piece.element is None and path[:1] == ("series",))


def _group_sentence(deck: Deck, slide: SlideBase, pieces: list[Piece], lang: str) -> str:
    """One element's pieces as one sentence: `Area: 1,360 square kilometres`, `18 June 2010:
    Liangjiang New Area established`, `Major fronts: 6. National strategies, Opening-up`."""
    zh = lang == "zh"
    colon, comma = ("：", "、") if zh else (": ", ", ")
    texts = [speakable(p.text(lang), lang, sentence=False) for p in pieces if p.figure is None]
    texts = [t for t in texts if t]
    dates = [p for p in pieces if _is_date(p)]
    figures = [p for p in pieces if p.figure is not None and not _is_date(p)]
    said: list[str] = []
    for piece in figures:
        name = _series_name(slide, piece, lang)
        figure = _figure_said(deck, slide, piece, lang)
        said.append(f"{name}{'' if zh else ' '}{figure}" if name else figure)
    if dates:
        when = ("至" if zh else " to ").join(
            speakable(p.text(lang), lang, sentence=False) for p in dates
        )
        lead = [when + (colon + comma.join(texts) if texts else "")]
        return join_sentences([*lead, *said], lang)
    if not texts:
        return join_sentences([comma.join(said)], lang)
    first, rest = texts[0].rstrip(_PAUSES + " "), texts[1:]
    head = f"{first}{colon}{comma.join(said)}" if said else first
    return join_sentences([head, comma.join(rest)] if rest else [head], lang)


def slide_script(deck: Deck, slide: SlideBase, lang: str) -> str:
    """What the kiosk says for `slide` in `lang`: its heading, then everything it shows
    without a tap in reading order (intro and body, tiles and figures with their labels, a
    chart's bars with their values, a timeline's events with their dates, a map's places),
    each element a sentence, figures and dates in words. The source line is not read."""
    text = _solo(deck, slide)
    groups: dict[object, list[Piece]] = {}
    for piece in text.of("headline", "body"):
        if _legend(slide, piece):
            continue
        key = piece.element if piece.element is not None else piece.at
        groups.setdefault(key, []).append(piece)

    def rank(group: list[Piece]) -> int:
        path = group[0].at.path
        return READING_ORDER.get(str(path[0]), 0) if path else 0

    ordered = sorted(groups.values(), key=rank)
    sentences: list[str] = []
    for group in ordered:
        if len(group) == 1 and group[0].figure is None:
            sentences.append(speakable(group[0].text(lang), lang))
        else:
            sentences.append(_group_sentence(deck, slide, group, lang))
    return join_sentences([s for s in sentences if s], lang)


def card_script(title: Text | None, detail: Text, lang: str) -> str:
    """What the kiosk says for an open card: its title, then its text, a sentence at least
    for each of its lines."""
    parts = [speakable(title.get(lang), lang)] if title is not None else []
    parts.append(speakable(detail.get(lang), lang))
    return join_sentences([p for p in parts if p], lang)


# -- every script of a deck ----------------------------------------------------------------------

ScriptKind = Literal["slide", "card"]


@dataclass(frozen=True)
class Script:
    """One thing the kiosk may say: a slide's script or one of its cards', in one language,
    with the curator's recording for it where the slide gives one."""

    slide_id: str
    lang: str
    kind: ScriptKind
    card: str | None
    """The card's key (`tile:area`, `event:0`): None for the slide's own script."""
    text: str
    audio: Path | None = None
    """The recorded file that is played instead of synthesised speech (slides only)."""
    title: str | None = None
    """A card's title in `lang`, as its view shows it (for an index of what is said)."""


CardSource = Callable[[Deck, SlideBase], Iterable[Card]]


def recorded(deck: Deck, slide: SlideBase, lang: str) -> Path | None:
    """The curator's recording of `slide` in `lang` (checked by the loader), or None."""
    if not slide.audio or lang not in slide.audio:
        return None
    return deck.asset(slide.audio[lang])


def deck_scripts(
    deck: Deck,
    languages: Sequence[str] | None = None,
    *,
    cards: CardSource = slide_cards,
) -> list[Script]:
    """Every script of `deck`: each slide's and each of its cards', in each language (the
    deck's, or `languages`), for speech made ahead of time and for `kiosk narrate`."""
    scripts: list[Script] = []
    for lang in languages or deck.settings.languages:
        for slide in deck.slides:
            text = slide_script(deck, slide, lang)
            scripts.append(Script(slide.id, lang, "slide", None, text, recorded(deck, slide, lang)))
            for card in cards(deck, slide):
                said = card_script(card.title, card.detail, lang)
                title = card.title.get(lang) if card.title is not None else None
                scripts.append(Script(slide.id, lang, "card", card.key, said, None, title))
    return scripts
