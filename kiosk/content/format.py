"""Numbers and dates as each language writes them: `3.52 million` / `352万`, `18 June 2010`.

One grouping rule a language, for every number the kiosk shows (tiles, bar labels, rings, axis
marks): English groups thousands with commas from 1,000 (`1,360`, `540,000`); Chinese never
groups (`1360`, `6700亿`), as its large numbers are read in 万 and 亿, four digits apart, and a
comma every three digits cuts across them. A curator's `format` picks scaled, plain or percent;
the grouping follows the language either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.model import Metric, PartialDate, Text

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SCALES = {
    "en": ((1e9, "billion"), (1e6, "million")),
    "zh": ((1e8, "亿"), (1e4, "万")),
}
QUALIFIERS = {
    "en": {"over": "over", "about": "about", "exact": "", "tier": ""},
    "zh": {"over": "超过", "about": "约", "exact": "", "tier": ""},
}
TIER = {"en": "tier", "zh": "级"}
"""The word that makes a figure a tier (400-billion-yuan tier, 4000亿元级), not a measurement."""


@dataclass(frozen=True)
class Figure:
    """A number split the way a KPI tile shows it: small qualifier, big number, small words."""

    qualifier: str
    number: str
    scale: str
    unit: str
    lang: str
    tier: bool = False
    """The figure names a tier (`400-billion-yuan tier`, `4000亿元级`), not a measured value."""

    @property
    def suffix(self) -> str:
        """What follows the number: `million residents`, `万人`, `%`; for a tier
        `billion-yuan tier` / `亿元级`."""
        if self.tier:
            word = TIER.get(self.lang, TIER["en"])
            if self.lang == "zh":
                return f"{self.scale}{self.unit}{word}"
            return " ".join(("-".join(p for p in (self.scale, self.unit) if p), word)).strip()
        if self.lang == "zh":
            return f"{self.scale}{self.unit}"
        return " ".join(p for p in (self.scale, self.unit) if p)

    @property
    def text(self) -> str:
        """The whole figure in one line: `over 670 billion yuan`, `超过6700亿元`,
        `400-billion-yuan tier`."""
        gap = "" if self.lang == "zh" else " "
        suffix = self.suffix
        if self.tier:
            # English hyphenates a tier into one compound (a 400-billion-yuan tier).
            joiner = "" if self.lang == "zh" else "-"
            return f"{self.number}{joiner}{suffix}" if suffix else self.number
        joiner = "" if self.unit == "%" and not self.scale else gap
        body = f"{self.number}{joiner}{suffix}" if suffix else self.number
        return f"{self.qualifier}{gap}{body}" if self.qualifier else body


def scale_for(value: float, lang: str) -> tuple[float, str]:
    """The divisor and word a language uses for a number this large (1 and '' when small)."""
    for divisor, word in SCALES.get(lang, SCALES["en"]):
        if abs(value) >= divisor:
            return divisor, word
    return 1.0, ""


def decimals_for(value: float, limit: int = 2) -> int:
    """The fewest decimals (up to `limit`) that show `value` exactly."""
    for places in range(limit + 1):
        if abs(round(value, places) - value) < 1e-9 * max(1.0, abs(value)):
            return places
    return limit


GROUPED = {"en": True, "zh": False}
"""Whether a language groups thousands with commas (a language not listed does, as English)."""


def group(value: float, decimals: int, lang: str) -> str:
    """`value` with `decimals` places, grouped as `lang` writes numbers: 1,360 and 540,000 in
    English, 1360 and 540000 in Chinese; 3.52 keeps its decimals."""
    if GROUPED.get(lang, True):
        return f"{value:,.{decimals}f}"
    return f"{value:.{decimals}f}"


def format_figure(
    value: float,
    lang: str,
    *,
    fmt: str = "auto",
    decimals: int | None = None,
    unit: str = "",
    qualifier: str = "exact",
    like: float | None = None,
) -> Figure:
    """Format `value` for `lang`; `like` is the value whose scale and decimals are used (a
    chart writes all its numbers in the scale of its largest)."""
    reference = value if like is None else like
    if fmt == "percent":
        places = decimals if decimals is not None else decimals_for(reference)
        return Figure(QUALIFIERS[lang][qualifier], group(value, places, lang), "", "%", lang)
    divisor, word = scale_for(reference, lang) if fmt == "auto" else (1.0, "")
    places = decimals if decimals is not None else decimals_for(reference / divisor)
    number = group(value / divisor, places, lang)
    return Figure(QUALIFIERS[lang][qualifier], number, word, unit, lang, qualifier == "tier")


def format_metric(metric: Metric, lang: str) -> Figure:
    """A metric's figure in `lang`: the one number it states (no intermediate values: a
    figure on screen is always the figure)."""
    return format_figure(
        metric.value,
        lang,
        fmt=metric.format,
        decimals=metric.decimals,
        unit=metric.unit.get(lang) if metric.unit else "",
        qualifier=metric.qualifier,
    )


def format_date(when: PartialDate, lang: str) -> str:
    """`18 June 2010` / `2010年6月18日`, to the precision the content gives."""
    if lang == "zh":
        text = f"{when.year}年"
        if when.month:
            text += f"{when.month}月"
        if when.day:
            text += f"{when.day}日"
        return text
    if when.day and when.month:
        return f"{when.day} {MONTHS_EN[when.month - 1]} {when.year}"
    if when.month:
        return f"{MONTHS_EN[when.month - 1]} {when.year}"
    return str(when.year)


def format_period(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    """A date, or a period `2026–2030` / `2026—2030年`."""
    if end is None:
        return format_date(start, lang)
    if lang == "zh" and not (start.month or end.month):
        return f"{start.year}—{end.year}年"
    return f"{format_date(start, lang)}–{format_date(end, lang)}"


def text_of(text: Text | None, lang: str) -> str:
    """A Text in `lang`, or the empty string when absent."""
    return text.get(lang) if text is not None else ""
