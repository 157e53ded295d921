"""What a slide shows without a tap, in each language, and its words or characters counted."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, get_args, get_type_hints

from pydantic import BaseModel

from kiosk.content.format import decimals_for, format_date, format_metric, scale_for
from kiosk.content.loader import Deck
from kiosk.content.model import (
    ChartSlide,
    MapSlide,
    Metric,
    MetricKey,
    PartialDate,
    SlideBase,
    Text,
)
from kiosk.content.model.deck import AuditSettings
from kiosk.content.yamlfile import Path_

# -- counting -------------------------------------------------------------------------------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ALNUM = r"[^\W_]"
RUN = re.compile(f"{_ALNUM}+(?:['\u2019.,\\-]{_ALNUM}+)*")
"""A Latin word or a number: letters or digits, joined inside by an apostrophe, a hyphen, a
point or a comma (`don't`, `large-scale`, `1,360`, `3.52`); an en dash parts two (`2026–2030`)."""

UNITS = {"zh": "characters", "en": "words"}
"""What a language's count counts, for messages and the table."""


def count(text: str) -> int:
    """The words (English) or characters (Chinese) a reader takes in: each Han character counts
    one, and so does each run of letters or digits (a Latin word or a number: `NEV`, `2026`,
    `1,360`); punctuation, spaces and symbols (`%`, `²`) count nothing. One rule for both
    languages: `2010年6月18日` is 6, `18 June 2010` is 3."""
    return len(HAN.findall(text)) + len(RUN.findall(HAN.sub(" ", text)))


# -- the text a slide shows ---------------------------------------------------------------

Role = Literal["headline", "body", "card", "source"]
FigureKind = Literal["metric", "written"]
"""A number shown: a metric's (which carries its source) or one written in the slide."""


@dataclass(frozen=True)
class Location:
    """Where a piece of text was written: a file of the content folder and the path in it."""

    file: str
    path: Path_


@dataclass(frozen=True)
class Piece:
    """One text a slide shows (or keeps in a card), in each of the deck's languages."""

    role: Role
    texts: Mapping[str, str]
    at: Location
    element: Location | None = None
    """The tappable element (a tile, node, event, category, place) the text belongs to, where
    it is written (a card of a metric's detail lies in the metrics file, its element not)."""
    figure: FigureKind | None = None
    by_language: bool = False
    """Written per language (`{zh: ..., en: ...}`), so each language has a place of its own."""
    metric: str | None = None
    """The key of the metric whose figure this is."""

    def text(self, lang: str) -> str:
        return self.texts.get(lang, "")


def word_list(text: str) -> tuple[str, ...]:
    """The words of a line of words (a table written as one string)."""
    return tuple(text.split())


def _plain(value: float) -> str:
    """A number written in a slide (a chart's values), as digits to count: one run each."""
    return f"{value:.{decimals_for(value)}f}"


def figure_text(metric: Metric, lang: str, *, bare: bool = False) -> str:
    """A metric's figure as the kiosk shows it (`over 670 billion yuan`, `超过6700亿元`,
    `400-billion-yuan tier`); `bare` is a chart's bar label: qualifier and number, the unit
    being the chart's, written once (a tier's label carries its unit, a percent its sign)."""
    figure = format_metric(metric, lang)
    if bare and not figure.tier:
        number = figure.number + ("%" if metric.format == "percent" else "")
        gap = "" if lang == "zh" else " "
        return gap.join(p for p in (figure.qualifier, number) if p)
    return figure.text


def date_text(when: PartialDate, lang: str) -> str:
    """A date as a timeline shows it: `18 June 2010`, `2010年6月18日`."""
    return format_date(when, lang)


def _names_a_metric(hint: Any) -> bool:
    return bool(hint == MetricKey or any(_names_a_metric(arg) for arg in get_args(hint)))


@cache
def metric_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that name metrics by key (`metric: MetricKey`, `figures:
    list[MetricKey]`), told by their annotation, so a new type's are found without a rule."""
    try:
        hints = get_type_hints(model, include_extras=True)
    except (NameError, TypeError):  # an annotation that cannot be resolved: by name, then
        return frozenset(n for n in model.model_fields if n in ("metric", "metrics"))
    return frozenset(n for n in model.model_fields if _names_a_metric(hints.get(n)))


@dataclass
class _Walk:
    """One slide's texts, found by walking its model: a `Text` field named `detail` is card
    text, one named `source` the source line, the slide's own `title` the headline, and every
    other text, date and number is shown. A field naming one metric (`metric: MetricKey`)
    shows its figure in full and, when its element has no label of its own, the metric's
    label; without a detail of its own the element's card is the metric's. A field naming
    several (`figures: list[MetricKey]`) shows each figure with its label. Types that need
    more say so in `FIELD_RULES`."""

    deck: Deck
    slide: SlideBase
    file: str
    languages: Sequence[str]
    metric_files: Callable[[str], str]
    data_of: Callable[[str], Any]
    """The YAML data of a file of the content folder (None when it cannot be read)."""
    pieces: list[Piece] = field(default_factory=list)

    def texts(self, text: Text) -> dict[str, str]:
        return {lang: text.get(lang) for lang in self.languages}

    def add(
        self,
        role: Role,
        texts: Mapping[str, str],
        path: Path_,
        element: Path_ | None,
        figure: FigureKind | None = None,
        file: str | None = None,
        source: Text | None = None,
        metric: str | None = None,
    ) -> None:
        at = Location(file or self.file, path)
        by_language = source is not None and source.languages() is not None
        owner = Location(self.file, element) if element is not None else None
        piece = Piece(role, dict(texts), at, owner, figure, by_language, metric)
        self.pieces.append(piece)

    def metric(self, key: str) -> Metric | None:
        return self.deck.metrics.get(key)

    def metric_at(self, key: str, *rest: str) -> tuple[str, Path_]:
        return self.metric_files(key), ("metrics", key, *rest)

    def model(self, model: BaseModel, path: Path_, element: Path_ | None) -> None:
        fields = type(model).model_fields
        if path and "detail" in fields:
            element = path
        keyed = metric_fields(type(model))
        for name, info in fields.items():
            here = (*path, info.alias or name)
            rule = FIELD_RULES.get((type(model), name))
            value = getattr(model, name)
            if rule is not None:
                rule(self, model, here)
            elif name in keyed and isinstance(value, str):
                self.metric_element(model, value, here, element)
            elif name in keyed and isinstance(value, list | tuple):
                for i, key in enumerate(value):
                    self.figure(key, (*here, i), element, labelled=False)
            else:
                self.value(name, value, here, element, top=not path)
        for texts in SHOWN_BY_KIOSK.get(type(model), ()):
            self.add("body", texts, path or ("type",), element)

    def figure(self, key: str, path: Path_, element: Path_ | None, *, labelled: bool) -> None:
        """A metric's figure in full, with the metric's label unless the element has its own."""
        metric = self.metric(key)
        if metric is None:
            return
        figure = {lang: figure_text(metric, lang) for lang in self.languages}
        self.add("body", figure, path, element, "metric", metric=key)
        if not labelled:
            self.add("body", self.texts(metric.label), path, element, source=metric.label)

    def metric_element(
        self, model: BaseModel, key: str, path: Path_, element: Path_ | None
    ) -> None:
        metric = self.metric(key)
        if metric is None:
            return
        self.figure(key, path, element, labelled=getattr(model, "label", None) is not None)
        if "detail" in type(model).model_fields and getattr(model, "detail", None) is None:
            file, at = self.metric_at(key, "detail")
            self.add(
                "card", self.texts(metric.detail), at, element, file=file, source=metric.detail
            )

    def value(
        self, name: str, value: Any, path: Path_, element: Path_ | None, *, top: bool = False
    ) -> None:
        if value is None:
            return
        if isinstance(value, Text):
            role: Role = (
                "card"
                if name == "detail"
                else "source"
                if name == "source"
                else "headline"
                if name == "title" and top
                else "body"
            )
            self.add(role, self.texts(value), path, element, source=value)
        elif isinstance(value, PartialDate):
            texts = {lang: date_text(value, lang) for lang in self.languages}
            self.add("body", texts, path, element, "written")
        elif isinstance(value, BaseModel):
            self.model(value, path, element)
        elif isinstance(value, list | tuple):
            if name == "values":
                for i, number in enumerate(value):
                    texts = dict.fromkeys(self.languages, _plain(number))
                    self.add("body", texts, (*path, i), element, "written")
            else:
                for i, item in enumerate(value):
                    self.value(name, item, (*path, i), element)


def _chart_categories(walk: _Walk, chart: BaseModel, path: Path_) -> None:
    """A chart's category is the element of the bars at its place in every series: its label
    and its card are the first series' metric's when it has none of its own."""
    assert isinstance(chart, ChartSlide)
    for i, category in enumerate(chart.categories):
        here = (*path, i)
        walk.model(category, here, here)
        keys = [s.metrics[i] for s in chart.series if s.metrics]
        metric = walk.metric(keys[0]) if keys else None
        if metric is None:
            continue
        if category.label is None:
            walk.add("body", walk.texts(metric.label), here, here)
        if category.detail is None:
            file, at = walk.metric_at(keys[0], "detail")
            walk.add("card", walk.texts(metric.detail), at, here, file=file, source=metric.detail)


def _chart_series(walk: _Walk, chart: BaseModel, path: Path_) -> None:
    """A chart's bars are labelled with their numbers (and qualifiers) alone, each bar part
    of its category; the unit (with its scale word, billion or 亿) is written once, and the
    series' names in a legend when there are two or more."""
    assert isinstance(chart, ChartSlide)
    largest: float = 0.0
    unit_metric: Metric | None = None
    for s, series in enumerate(chart.series):
        if len(chart.series) > 1:  # the legend, which one series goes without
            walk.add("body", walk.texts(series.name), (*path, s, "name"), None, source=series.name)
        for i in range(series.count()):
            category = ("categories", i)
            if series.metrics is not None:
                metric = walk.metric(series.metrics[i])
                if metric is None:
                    continue
                unit_metric = unit_metric or metric
                largest = max(largest, abs(metric.value))
                texts = {lang: figure_text(metric, lang, bare=True) for lang in walk.languages}
                key = series.metrics[i]
                walk.add("body", texts, (*path, s, "metrics", i), category, "metric", metric=key)
            elif series.values is not None:
                number = series.values[i]
                largest = max(largest, abs(number))
                texts = dict.fromkeys(walk.languages, _plain(number))
                walk.add("body", texts, (*path, s, "values", i), category, "written")
    units: dict[str, str] = {}
    tiers = unit_metric is not None and unit_metric.qualifier == "tier"
    for lang in [] if tiers else walk.languages:
        unit = chart.unit or (unit_metric.unit if unit_metric is not None else None)
        percent = unit_metric is not None and unit_metric.format == "percent"
        scale = "" if percent else scale_for(largest, lang)[1]
        words = " ".join(p for p in (scale, unit.get(lang) if unit else "") if p)
        if words:
            units[lang] = words
    if units:
        walk.add("body", units, ("unit",) if chart.unit else path, None)


def _map_layers(walk: _Walk, slide: BaseModel, path: Path_) -> None:
    """A map's rivers or areas: its base map's first (the loader puts them in under the
    slide's own), written in the base map file, then the slide's own, counted from 0 again."""
    assert isinstance(slide, MapSlide)
    kind = str(path[-1])
    items = getattr(slide, kind)
    data = walk.data_of(slide.base) if slide.base else None
    written = data.get(kind) if isinstance(data, dict) else None
    based = min(len(written), len(items)) if isinstance(written, list) else 0
    for i, item in enumerate(items):
        if i < based and slide.base:
            own, walk.file = walk.file, slide.base
            try:
                walk.value(kind, item, (kind, i), None)
            finally:
                walk.file = own
        else:
            walk.value(kind, item, (kind, i - based), None)


def _written_elsewhere(walk: _Walk, model: BaseModel, path: Path_) -> None:
    """A field another rule counts (a chart's unit goes with its bars)."""


FieldRule = Callable[[_Walk, BaseModel, Path_], None]
FIELD_RULES: dict[tuple[type[BaseModel], str], FieldRule] = {
    (ChartSlide, "categories"): _chart_categories,
    (ChartSlide, "series"): _chart_series,
    (ChartSlide, "unit"): _written_elsewhere,
    (MapSlide, "rivers"): _map_layers,
    (MapSlide, "areas"): _map_layers,
}
"""The slide types whose text the generic walk cannot tell: by model and field name."""

SHOWN_BY_KIOSK: dict[type[BaseModel], tuple[Mapping[str, str], ...]] = {
    MapSlide: ({"zh": "示意图，非按比例", "en": "Schematic, not to scale"},),
}
"""Texts the kiosk itself draws on a slide of a type (the words of kiosk/ui/words.py, which
content may not import)."""


@dataclass(frozen=True)
class LanguageCount:
    """One slide's visible text in one language, counted and timed."""

    lang: str
    headline: int
    body: int
    limit: int
    reading_seconds: float
    duration: float

    @property
    def unit(self) -> str:
        return UNITS.get(self.lang, "words")

    @property
    def total(self) -> int:
        return self.headline + self.body


@dataclass(frozen=True)
class SlideText:
    """Everything one slide shows, in pieces, with where each was written."""

    index: int
    slide: SlideBase
    file: str
    duration: float
    pieces: tuple[Piece, ...]

    def of(self, *roles: Role) -> list[Piece]:
        return [p for p in self.pieces if p.role in roles]

    def visible(self, lang: str) -> str:
        """All the slide shows in `lang` without a tap, one piece a line."""
        return "\n".join(p.text(lang) for p in self.of("headline", "body"))

    def count(self, lang: str, settings: AuditSettings) -> LanguageCount:
        headline = sum(count(p.text(lang)) for p in self.of("headline"))
        body = sum(count(p.text(lang)) for p in self.of("body"))
        rate = (
            settings.reading.zh_chars_per_second
            if lang == "zh"
            else settings.reading.en_words_per_second
        )
        limit = settings.glance_chars if lang == "zh" else settings.glance_words
        seconds = round((headline + body) / rate, 1)
        return LanguageCount(lang, headline, body, limit, seconds, self.duration)

    def cards(self) -> Iterator[tuple[Location, Piece, list[Piece]]]:
        """Each card with its element's place and the texts the element shows."""
        for card in self.of("card"):
            element = card.element
            shown = [p for p in self.of("body") if element is not None and p.element == element]
            yield element or card.at, card, shown


def slide_texts(
    deck: Deck,
    metric_files: Callable[[str], str],
    data_of: Callable[[str], Any] = lambda file: None,
) -> list[SlideText]:
    """The visible text of every slide of the deck (`metric_files`: the metrics file that
    defines a key; `data_of`: a file's YAML data, to place what a map's base map holds)."""
    languages = tuple(deck.settings.languages)
    found: list[SlideText] = []
    for index, (slide, file) in enumerate(zip(deck.slides, deck.slide_files, strict=True)):
        walk = _Walk(deck, slide, file, languages, metric_files, data_of)
        walk.model(slide, (), None)
        found.append(SlideText(index, slide, file, float(deck.duration(slide)), tuple(walk.pieces)))
    return found
