"""The curator's audit of a valid deck: what each slide shows at a glance, how long it takes to
read, figures without a source and cards that only repeat their element."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from kiosk.content.errors import display_path
from kiosk.content.loader import Deck
from kiosk.content.model import ChartSlide, Metric, PartialDate, SlideBase, Text
from kiosk.content.model.deck import AuditSettings
from kiosk.content.problems import Problem, Severity, quoted
from kiosk.content.yamlfile import Path_, YamlDocument, YamlFileError, read_yaml_file

# -- counting -------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ALNUM = r"[^\W_]"
_RUN = re.compile(f"{_ALNUM}+(?:['\u2019.,\\-]{_ALNUM}+)*")
"""A Latin word or a number: letters or digits, joined inside by an apostrophe, a hyphen, a
point or a comma (`don't`, `large-scale`, `1,360`, `3.52`); an en dash parts two (`2026–2030`)."""

UNITS = {"zh": "characters", "en": "words"}
"""What a language's count counts, for messages and the table."""


def count(text: str) -> int:
    """The words (English) or characters (Chinese) a reader takes in: each Han character counts
    one, and so does each run of letters or digits (a Latin word or a number: `NEV`, `2026`,
    `1,360`); punctuation, spaces and symbols (`%`, `²`) count nothing. One rule for both
    languages: `2010年6月18日` is 6, `18 June 2010` is 3."""
    return len(_HAN.findall(text)) + len(_RUN.findall(_HAN.sub(" ", text)))


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
    element: Path_ | None = None
    """The tappable element (a tile, node, event, category, place) the text belongs to."""
    figure: FigureKind | None = None
    by_language: bool = False
    """Written per language (`{zh: ..., en: ...}`), so each language has a place of its own."""

    def text(self, lang: str) -> str:
        return self.texts.get(lang, "")


_QUALIFIERS = {"over": {"en": "over", "zh": "超过"}, "about": {"en": "about", "zh": "约"}}
_TIER = {"en": "tier", "zh": "级"}
_SCALES = {"en": ((1e9, "billion"), (1e6, "million")), "zh": ((1e8, "亿"), (1e4, "万"))}
_MONTHS = [
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
]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _scale(value: float, lang: str) -> tuple[float, str]:
    for divisor, word in _SCALES.get(lang, _SCALES["en"]):
        if abs(value) >= divisor:
            return divisor, word
    return 1.0, ""


def figure_text(metric: Metric, lang: str, *, bare: bool = False) -> str:
    """A metric's figure as the kiosk shows it, near enough to count and compare its words:
    `over 670 billion yuan`, `超过 6700 亿 元`; `bare` is a chart's bar label (qualifier and
    number: the unit is the chart's, written once)."""
    if metric.format == "percent":
        number, scale, unit = _number(metric.value) + "%", "", ""
    else:
        divisor, scale = _scale(metric.value, lang) if metric.format == "auto" else (1.0, "")
        number = _number(metric.value / divisor)
        unit = metric.unit.get(lang) if metric.unit is not None else ""
    if bare and metric.qualifier != "tier":  # a tier's bar is labelled unit and all
        scale, unit = "", ""
    if metric.qualifier == "tier":
        # One compound in English, as the kiosk writes it: a 400-billion-yuan tier.
        if lang == "zh":
            return " ".join(p for p in (number, scale, unit, _TIER["zh"]) if p)
        return "-".join(p for p in (number, scale, unit) if p) + " " + _TIER["en"]
    qualifier = _QUALIFIERS.get(metric.qualifier, {}).get(lang, "")
    return " ".join(p for p in (qualifier, number, scale, unit) if p)


def date_text(when: PartialDate, lang: str) -> str:
    """A date as a timeline shows it: `18 June 2010`, `2010年6月18日`."""
    if lang == "zh":
        return (
            f"{when.year}年"
            + (f"{when.month}月" if when.month else "")
            + (f"{when.day}日" if when.day else "")
        )
    month = _MONTHS[when.month - 1] if when.month else ""
    return " ".join(p for p in (str(when.day or ""), month, str(when.year)) if p)


@dataclass
class _Walk:
    """One slide's texts, found by walking its model: a `Text` field named `detail` is card
    text, one named `source` the source line, the slide's own `title` the headline, and every
    other text, date and number is shown. An element naming a `metric` shows its figure in
    full and, without a label of its own, the metric's label; without a detail of its own its
    card is the metric's. Types that need more say so in `FIELD_RULES`."""

    deck: Deck
    slide: SlideBase
    file: str
    languages: Sequence[str]
    metric_files: Callable[[str], str]
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
    ) -> None:
        at = Location(file or self.file, path)
        by_language = source is not None and source.languages() is not None
        self.pieces.append(Piece(role, dict(texts), at, element, figure, by_language))

    def metric(self, key: str) -> Metric | None:
        return self.deck.metrics.get(key)

    def metric_at(self, key: str, *rest: str) -> tuple[str, Path_]:
        return self.metric_files(key), ("metrics", key, *rest)

    def model(self, model: BaseModel, path: Path_, element: Path_ | None) -> None:
        fields = type(model).model_fields
        if path and "detail" in fields:
            element = path
        for name, info in fields.items():
            here = (*path, info.alias or name)
            rule = FIELD_RULES.get((type(model), name))
            if rule is not None:
                rule(self, model, here)
            else:
                self.value(name, getattr(model, name), here, element, top=not path)
        key = getattr(model, "metric", None)
        if isinstance(key, str) and "metric" in fields:
            self.metric_element(model, key, (*path, "metric"), element)
        for texts in SHOWN_BY_KIOSK.get(type(model), ()):
            self.add("body", texts, path or ("type",), element)

    def metric_element(
        self, model: BaseModel, key: str, path: Path_, element: Path_ | None
    ) -> None:
        metric = self.metric(key)
        if metric is None:
            return
        figure = {lang: figure_text(metric, lang) for lang in self.languages}
        self.add("body", figure, path, element, "metric")
        if getattr(model, "label", None) is None:
            self.add("body", self.texts(metric.label), path, element)
        if "detail" in type(model).model_fields and getattr(model, "detail", None) is None:
            file, at = self.metric_at(key, "detail")
            self.add("card", self.texts(metric.detail), at, element, file=file)

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
            if name == "metrics":
                for i, key in enumerate(value):
                    metric = self.metric(key)
                    if metric is not None:
                        figure = {lang: figure_text(metric, lang) for lang in self.languages}
                        self.add("body", figure, (*path, i), element, "metric")
            elif name == "values":
                for i, number in enumerate(value):
                    texts = dict.fromkeys(self.languages, _number(number))
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
            walk.add("card", walk.texts(metric.detail), at, here, file=file)


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
                walk.add("body", texts, (*path, s, "metrics", i), category, "metric")
            elif series.values is not None:
                number = series.values[i]
                largest = max(largest, abs(number))
                texts = dict.fromkeys(walk.languages, _number(number))
                walk.add("body", texts, (*path, s, "values", i), category, "written")
    units: dict[str, str] = {}
    tiers = unit_metric is not None and unit_metric.qualifier == "tier"
    for lang in [] if tiers else walk.languages:
        unit = chart.unit or (unit_metric.unit if unit_metric is not None else None)
        percent = unit_metric is not None and unit_metric.format == "percent"
        scale = "" if percent else _scale(largest, lang)[1]
        words = " ".join(p for p in (scale, unit.get(lang) if unit else "") if p)
        if words:
            units[lang] = words
    if units:
        walk.add("body", units, ("unit",) if chart.unit else path, None)


def _written_elsewhere(walk: _Walk, model: BaseModel, path: Path_) -> None:
    """A field another rule counts (a chart's unit goes with its bars)."""


FieldRule = Callable[[_Walk, BaseModel, Path_], None]
FIELD_RULES: dict[tuple[type[BaseModel], str], FieldRule] = {
    (ChartSlide, "categories"): _chart_categories,
    (ChartSlide, "series"): _chart_series,
    (ChartSlide, "unit"): _written_elsewhere,
}
"""The slide types whose text the generic walk cannot tell: by model and field name."""

SHOWN_BY_KIOSK: dict[type[BaseModel], tuple[Mapping[str, str], ...]] = {}
"""Texts the kiosk itself draws on a slide of a type (not written in the content)."""


def _register_map() -> None:
    # The map slide type comes from another module; it is labelled by the kiosk itself.
    try:
        from kiosk.content.model.map import MapSlide
    except ImportError:  # pragma: no cover - an older tree without maps
        return
    SHOWN_BY_KIOSK[MapSlide] = ({"zh": "示意图，非按比例", "en": "Schematic, not to scale"},)


_register_map()


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

    def cards(self) -> Iterator[tuple[Path_, Piece, list[Piece]]]:
        """Each card with its element's path and the texts the element shows."""
        for card in self.of("card"):
            element = card.element
            shown = [p for p in self.of("body") if element is not None and p.element == element]
            yield element or card.at.path, card, shown


def slide_texts(deck: Deck, metric_files: Callable[[str], str]) -> list[SlideText]:
    """The visible text of every slide of the deck."""
    languages = tuple(deck.settings.languages)
    found: list[SlideText] = []
    for index, (slide, file) in enumerate(zip(deck.slides, deck.slide_files, strict=True)):
        walk = _Walk(deck, slide, file, languages, metric_files)
        walk.model(slide, (), None)
        found.append(SlideText(index, slide, file, deck.duration(slide), tuple(walk.pieces)))
    return found


# -- where things are ---------------------------------------------------------------------


class Locator:
    """Line and column of a path in a content file, read again from the folder (the deck keeps
    its models, not its YAML): every finding says where to edit, as validate's problems do."""

    def __init__(self, deck: Deck) -> None:
        self.root = Path(os.path.realpath(deck.root))
        self.metric_list = list(deck.settings.metrics)
        self._docs: dict[str, YamlDocument | None] = {}
        self._metric_file: dict[str, str] = {}

    def doc(self, file: str) -> YamlDocument | None:
        if file not in self._docs:
            try:
                self._docs[file] = read_yaml_file(self.root / file, file)
            except (YamlFileError, OSError):
                self._docs[file] = None  # changed since it was loaded: the file, unplaced
        return self._docs[file]

    def metric_file(self, key: str) -> str:
        """The metrics file (as deck.yaml lists it) that defines `key`."""
        if not self._metric_file:
            for file in self.metric_list:
                doc = self.doc(file)
                data = doc.data.get("metrics") if doc and isinstance(doc.data, dict) else None
                for name in data if isinstance(data, dict) else ():
                    self._metric_file.setdefault(str(name), file)
        return self._metric_file.get(key, self.metric_list[0] if self.metric_list else "")

    def place(self, at: Location) -> tuple[int | None, int | None]:
        doc = self.doc(at.file)
        if doc is None:
            return None, None
        mark = doc.value_mark(at.path)
        return mark.line, mark.col


# -- findings and checks ------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the audit asks the curator to look at."""

    kind: str
    message: str
    at: Location | None = None
    slide: str | None = None
    language: str | None = None
    severity: Severity = "warning"


@dataclass
class AuditContext:
    """What every check reads: the deck, its audit settings and every slide's text."""

    deck: Deck
    settings: AuditSettings
    slides: list[SlideText]
    locator: Locator

    @property
    def languages(self) -> Sequence[str]:
        return tuple(self.deck.settings.languages)


Check = Callable[[AuditContext], Iterable[Finding]]


def _amount(n: int, lang: str) -> str:
    unit = UNITS.get(lang, "words")
    return f"{n} {unit[:-1] if n == 1 else unit}"


def _in(piece: Piece, lang: str) -> Location:
    """The place of a text's `lang` (`body.en`), or of the text when it is not per language."""
    at = piece.at
    return Location(at.file, (*at.path, lang)) if piece.by_language else at


def check_glance(ctx: AuditContext) -> Iterator[Finding]:
    """A body (all a slide shows but its headline) longer than the deck's glance limit."""
    for st in ctx.slides:
        body = st.of("body")
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            if n.body <= n.limit:
                continue
            key = "glance_chars" if lang == "zh" else "glance_words"
            at = next((_in(p, lang) for p in body if count(p.text(lang))), None)
            yield Finding(
                "glance",
                f"{st.slide.id}: the {lang} text under the headline has "
                f"{_amount(n.body, lang)}, more than a glance ({n.limit}, audit.{key}): "
                "keep a headline and one figure or picture, move the rest into cards",
                at,
                st.slide.id,
                lang,
            )


def check_reading_time(ctx: AuditContext) -> Iterator[Finding]:
    """Visible text that takes longer to read than the slide stays on screen."""
    for st in ctx.slides:
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            if n.reading_seconds <= n.duration:
                continue
            path: Path_ = ("duration",) if st.slide.duration is not None else ("id",)
            yield Finding(
                "reading",
                f"{st.slide.id}: reading its {lang} text takes about {n.reading_seconds:g} s "
                f"({_amount(n.total, lang)}), longer than its {n.duration:g} s on screen: "
                "shorten the text or lengthen duration",
                Location(st.file, path),
                st.slide.id,
                lang,
            )


_DIGITS = re.compile(r"[0-9\uff10-\uff19][0-9\uff10-\uff19.,]*")


def check_figure_sources(ctx: AuditContext) -> Iterator[Finding]:
    """A number on a slide with no source line to trace it to: a figure written in the slide
    (a chart's values, a date, digits in a text) when the slide has no `source`. A metric's
    figure carries its own source, which the slide's foot shows."""
    for st in ctx.slides:
        if st.slide.source is not None:
            continue
        for piece in st.of("headline", "body"):
            if piece.figure == "metric":
                continue
            found = next(
                (
                    (m.group(), lang)
                    for lang in ctx.languages
                    for m in [_DIGITS.search(piece.text(lang))]
                    if m
                ),
                None,
            )
            if found is None:
                continue
            number, lang = found
            what = "date" if _is_date(st.slide, piece.at.path) else "figure"
            at = _in(piece, lang)
            yield Finding(
                "unsourced",
                f"{st.slide.id}: {display_path(at.path)} shows the {what} "
                f"{quoted(number.rstrip('.,'))} with no source: give the slide a source line "
                "(source:), or take the figure from a metrics file, which carries its own",
                at,
                st.slide.id,
            )


def _is_date(slide: SlideBase, path: Path_) -> bool:
    value: Any = slide
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, str(part), None)
    return isinstance(value, PartialDate)


_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whose",
        "here",
        "there",
        "also",
        "such",
        "than",
        "into",
        "per",
        "all",
        "each",
        "both",
        "one",
    ]
) | set("的了是为和与在及其之也并而等个")
_EQUIVALENT = {
    "km²": "square kilometre kilometres km",
    "km2": "square kilometre kilometres km",
    "%": "percent per cent",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "us$": "us dollar dollars",
    "nevs": "nev new energy vehicle vehicles",
    "nev": "new energy vehicle vehicles",
}
"""What a shown text says in other words, so a card that spells it out adds nothing."""


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The words of a text that carry meaning, in one form for comparing: Han characters one
    by one, words lower-cased and singular, numbers without their commas, no function words."""
    found = _HAN.findall(text)
    for run in _RUN.findall(_HAN.sub(" ", text.lower())):
        word = run.replace(",", "") if run[0].isdigit() else run
        found.extend(_stem(part) for part in re.split(r"[-'\u2019]", word) if part)
    return [t for t in found if t not in _STOP]


def _seen(text: str) -> set[str]:
    seen = set(tokens(text))
    lowered = text.lower()
    for shown, means in _EQUIVALENT.items():
        if shown in lowered:
            seen.update(tokens(means))
    return seen


def novelty(card: str, shown: str) -> tuple[int, int]:
    """How many of a card's meaningful words `shown` lacks, and of how many."""
    words = tokens(card)
    seen = _seen(shown)
    return sum(1 for w in words if w not in seen), len(words)


def _plain(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def repeats(card: str, shown: str, least_new: float) -> tuple[bool, int, int]:
    """Whether a card only repeats `shown`: under `least_new` of its words are new, or its
    text is nearly the same (difflib's ratio above 0.8) or contained in what is shown."""
    new, total = novelty(card, shown)
    a, b = _plain(card), _plain(shown)
    same = bool(a) and (a in b or difflib.SequenceMatcher(None, a, b).ratio() > 0.8)
    return same or total == 0 or new < least_new * total, new, total


def _new_of(new: int, total: int, lang: str) -> str:
    unit = UNITS.get(lang, "words")
    return f"{lang}: {new} of its {total} {unit[:-1] if total == 1 else unit} new"


def check_repeated_cards(ctx: AuditContext) -> Iterator[Finding]:
    """A card that adds nothing to what its element shows (with the slide's headline and the
    show's title, which the visitor has already read)."""
    title = ctx.deck.settings.title
    for st in ctx.slides:
        headline = st.of("headline")
        for element, card, shown in st.cards():
            said: list[str] = []
            for lang in ctx.languages:
                context = [title.get(lang), *(p.text(lang) for p in headline + shown)]
                repeated, new, total = repeats(
                    card.text(lang), "\n".join(context), ctx.settings.card_novelty
                )
                if repeated:
                    said.append(_new_of(new, total, lang))
            if not said:
                continue
            whose = (
                f" (the metric {quoted(card.at.path[1])}'s detail)"
                if card.at.file != st.file and len(card.at.path) > 1
                else ""
            )
            yield Finding(
                "repeated-card",
                f"{st.slide.id}: the card of {display_path(element)}{whose} only repeats what "
                f"it shows ({'; '.join(said)}): give the date, context or comparison it does not",
                card.at,
                st.slide.id,
            )


CHECKS: list[Check] = [check_glance, check_reading_time, check_figure_sources, check_repeated_cards]
"""The audit's checks, in the order their findings are listed; each is a small function of
the context, so another check is one more function here."""


# -- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """The audit of one deck: each slide counted in each language, and the findings."""

    context: AuditContext
    findings: tuple[Finding, ...]

    def problems(self) -> list[Problem]:
        """The findings as validate's located problems."""
        out: list[Problem] = []
        for f in self.findings:
            file, line, col = self.where(f)
            out.append(
                Problem(file or str(self.context.deck.root), line, col, f.message, f.severity)
            )
        return out

    def where(self, finding: Finding) -> tuple[str | None, int | None, int | None]:
        if finding.at is None:
            return None, None, None
        line, col = self.context.locator.place(finding.at)
        return finding.at.file, line, col


def audit_deck(deck: Deck, checks: Sequence[Check] = CHECKS) -> Audit:
    """Run `checks` over a valid deck."""
    locator = Locator(deck)
    context = AuditContext(
        deck, deck.settings.audit, slide_texts(deck, locator.metric_file), locator
    )
    order = {st.slide.id: st.index for st in context.slides}
    found = [f for check in checks for f in check(context)]
    # A slide's findings together, in slide order (the deck's own first), each check's in turn.
    findings = sorted(found, key=lambda f: -1 if f.slide is None else order.get(f.slide, -1))
    return Audit(context, tuple(findings))


def table_lines(audit: Audit) -> list[str]:
    """The per-slide table: slide, language, headline and body counts, reading time."""
    ctx = audit.context
    width = max([len(st.slide.id) for st in ctx.slides] + [5])
    lines = [
        f"{'#':>3}  {'slide':<{width}}  lang  {'headline':>8}  {'body / glance':>18}  "
        "reading / on screen"
    ]
    for st in ctx.slides:
        for i, lang in enumerate(ctx.languages):
            n = st.count(lang, ctx.settings)
            unit = "chars" if lang == "zh" else "words"
            over_body = "!" if n.body > n.limit else " "
            over_time = "!" if n.reading_seconds > n.duration else " "
            number = f"{st.index + 1:>3}" if i == 0 else "   "
            name = st.slide.id if i == 0 else ""
            lines.append(
                f"{number}  {name:<{width}}  {lang:<4}  {n.headline:>8}  "
                f"{f'{n.body} / {n.limit} {unit}':>17}{over_body}  "
                f"{n.reading_seconds:>5.1f} s / {n.duration:g} s{over_time}".rstrip()
            )
    return lines


def audit_json(audit: Audit, folder: str, *, strict: bool) -> dict[str, Any]:
    """The audit as one JSON object (its keys are documented in the README)."""
    ctx = audit.context

    def finding(f: Finding) -> dict[str, Any]:
        file, line, col = audit.where(f)
        return {
            "kind": f.kind,
            "severity": "error" if strict else f.severity,
            "message": f.message,
            "language": f.language,
            "location": None
            if file is None
            else {
                "file": file,
                "line": line,
                "column": col,
                "path": display_path(f.at.path) if f.at else "",
            },
        }

    slides = []
    for st in ctx.slides:
        languages = {}
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            languages[lang] = {
                "unit": UNITS.get(lang, "words"),
                "headline": n.headline,
                "body": n.body,
                "total": n.total,
                "glance_limit": n.limit,
                "reading_seconds": n.reading_seconds,
                "duration": n.duration,
                "cards": len(st.of("card")),
            }
        slides.append(
            {
                "index": st.index + 1,
                "id": st.slide.id,
                "type": st.slide.slide_type,
                "file": st.file,
                "duration": st.duration,
                "languages": languages,
                "findings": [finding(f) for f in audit.findings if f.slide == st.slide.id],
            }
        )
    settings = ctx.settings.model_dump()
    warnings = len(audit.findings)
    return {
        "folder": folder,
        "valid": True,
        "strict": strict,
        "passed": not (strict and warnings),
        "settings": settings,
        "languages": list(ctx.languages),
        "slides": slides,
        "findings": [finding(f) for f in audit.findings if f.slide is None],
        "summary": {"slides": len(ctx.slides), "findings": warnings},
    }
