"""A chart's one scale: how every number of it is written, and its round value ticks."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.content.format import decimals_for, format_figure, format_metric, scale_for
from kiosk.content.model import ChartSlide, Metric

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Scale:
    """How every number of one chart is written: one divisor, one unit title, one format."""

    divisor: float
    fmt: str
    decimals: int
    like: float
    title: str
    lang: str
    percent: bool
    tier: bool = False
    """Every figure is a tier (4000亿元级): the chart draws no value axis, as it measures
    nothing, and each bar's label is its tier, unit and all."""

    def number(self, value: float, decimals: int | None = None) -> str:
        """`value` (plain units) as the chart writes it: 400 (billion yuan), 4000 (亿元)."""
        places = self.decimals if decimals is None else decimals
        return format_figure(value, self.lang, fmt=self.fmt, decimals=places, like=self.like).number

    def value_text(self, value: float, metric: Metric | None = None) -> str:
        """A bar's label: its number in this scale, with `%` for percentages and the metric's
        qualifier (over 125 / 超过125)."""
        if self.tier and metric is not None:
            return format_metric(metric, self.lang).text
        number = self.number(value)
        if self.percent:
            number = f"{number}%"
        qualifier = format_metric(metric, self.lang).qualifier if metric is not None else ""
        if not qualifier:
            return number
        return f"{qualifier}{number}" if self.lang == "zh" else f"{qualifier} {number}"


def chart_scale(
    slide: ChartSlide, metrics: list[Metric | None], values: list[float], lang: str
) -> Scale:
    """The one scale of a chart, picked from its largest value in `lang`."""
    known = [m for m in metrics if m is not None]
    if known and all(m.format == "percent" for m in known):
        fmt = "percent"
    elif known and all(m.format == "plain" for m in known):
        fmt = "plain"
    else:
        fmt = "auto"
    if slide.unit is not None:
        unit = slide.unit.get(lang)
    else:
        unit = next((m.unit.get(lang) for m in known if m.unit is not None), "")
    if unit.strip() == "%":
        fmt = "percent"
    largest = max((abs(v) for v in values), default=0.0) or 1.0
    divisor, word = scale_for(largest, lang) if fmt == "auto" else (1.0, "")
    if fmt == "percent":
        unit = "%"
    given = [m.decimals for m in known if m.decimals is not None]
    decimals = max(given) if given else max(decimals_for(v / divisor) for v in values or [0.0])
    title = f"{word}{unit}" if lang == "zh" else " ".join(p for p in (word, unit) if p)
    tier = bool(metrics) and all(m is not None and m.qualifier == "tier" for m in metrics)
    if tier:
        title = ""  # each tier label carries its unit
    return Scale(divisor, fmt, decimals, largest, title, lang, fmt == "percent", tier)


def nice_step(span: float, target: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `target` steps."""
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for m in NICE_STEPS:
        step = m * magnitude
        if m == 2.5 and magnitude < 10:
            continue  # 25, 250, ... are round; 2.5 and 0.25 are not
        if step >= raw * 0.999:
            return step
    return 10 * magnitude


def value_ticks(
    low: float, high: float, step: float, label: Callable[[float], str]
) -> list[tuple[float, str]]:
    """Ticks every `step` from the step at or below `low` to `high`, labelled by `label`."""
    first = math.floor(low / step + 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= high + step * 1e-6:
        v = first + k * step
        ticks.append((v, label(v)))
        k += 1
    return ticks
