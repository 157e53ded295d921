"""The content format: pydantic models, the one definition of deck, slide and metric files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    RootModel,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from kiosk.content.problems import quoted

LANGUAGES: tuple[str, ...] = ("zh", "en")
"""Languages the kiosk knows how to show; a deck picks one or both."""

Language = Literal["zh", "en"]
TransitionName = Literal["fade", "push", "none"]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors and YAML's guesses are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


VISIBLE = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
"""A JSON Schema pattern (ECMA-262 and Python alike) for text with at least one character that
`str.strip()` keeps: the schema's side of `Text`'s blank check. The class lists exactly what
`str.isspace()` calls whitespace (a test holds it to that), written as escapes so it reads."""


SHOWN = (
    ("\t\n\r", "tabs and line breaks"),
    ("\u0020-\u007e", "ASCII"),
    ("\u00a0-\u036f", "Latin-1, Latin Extended, IPA, spacing and combining accents (pinyin)"),
    ("\u0370-\u03ff\u0400-\u04ff", "Greek and Cyrillic"),
    ("\u1e00-\u1eff", "Latin Extended Additional"),
    ("\u2000-\u200b\u2010-\u2027\u202f-\u205e", "general punctuation, no bidi controls"),
    ("\u2070-\u209f\u20a0-\u20cf", "superscripts, subscripts and currency"),
    ("\u2100-\u22ff", "letterlike symbols, number forms, arrows and mathematics (℃, №, ×)"),
    ("\u2460-\u24ff\u25a0-\u26ff", "circled numbers, shapes and symbols (①, ■, ★)"),
    ("\u2e80-\u2fdf\u3000-\u312f\u31a0-\u31ef", "CJK radicals, punctuation, kana, bopomofo"),
    ("\u3200-\u4dbf\u4e00-\u9fff", "enclosed CJK, CJK units (㎡), CJK ideographs and Ext. A"),
    ("\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f", "CJK compatibility and small forms"),
    ("\uff00-\uffef", "full-width and half-width forms (，１２３)"),
)
"""The characters a text may hold, in ranges of code points: those of Chinese and English text
that the kiosk's two faces (Inter, Noto Sans CJK SC) draw. Others would draw as empty boxes or
from whatever fallback font the system has, and mixing many scripts is what costs layout most:
a 200-character title alternating Arabic, Thai, Devanagari, emoji and rare ideographs took 0.9 s
to paint on every frame at 3840x2160. Emoji and every character beyond U+FFFF are outside."""

SHOWN_CLASS = "".join(ranges for ranges, _ in SHOWN)
SHOWN_PATTERN = f"^[{SHOWN_CLASS}]*$"
"""The schema's side of the character check (only BMP ranges: ECMA-262 without the u flag
sees a character beyond U+FFFF as two surrogates, which no range here admits)."""
_UNSHOWN = re.compile(f"[^{SHOWN_CLASS}]")


def unshown(text: str) -> tuple[int, str] | None:
    """The first character of `text` the kiosk cannot show, with its place (from 1)."""
    match = _UNSHOWN.search(text)
    return (match.start() + 1, match.group()) if match else None


def _unshown_error(text: str) -> PydanticCustomError | None:
    found = unshown(text)
    if found is None:
        return None
    place, char = found
    return PydanticCustomError(
        "text_character",
        "character {n} is {char} (U+{code}), which the kiosk cannot show: texts hold Chinese, "
        "Latin, Greek and Cyrillic letters, digits, punctuation and common symbols",
        {"n": place, "char": quoted(char), "code": f"{ord(char):04X}"},
    )


class Text(RootModel[str | dict[str, str]]):
    """A visible string: plain text shown in every language, or one text per language."""

    root: str | dict[str, str]
    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _check(cls, value: Any) -> Any:
        if isinstance(value, Text):
            return value.root
        if isinstance(value, str):
            if not value.strip():
                raise PydanticCustomError("text_empty", "text may not be empty")
            error = _unshown_error(value)
            if error is not None:
                raise error
            return value
        if isinstance(value, dict):
            if not value:
                raise PydanticCustomError("text_empty", "text may not be empty")
            for lang, text in value.items():
                if lang not in LANGUAGES:
                    raise PydanticCustomError(
                        "text_language",
                        "unknown language {lang} (languages are zh and en)",
                        {"lang": quoted(lang)},
                    )
                if not isinstance(text, str):
                    raise PydanticCustomError(
                        "text_type",
                        "the {lang} text must be text, got {got}",
                        {"lang": lang, "got": quoted(text)},
                    )
                if not text.strip():
                    raise PydanticCustomError(
                        "text_empty", "the {lang} text may not be empty", {"lang": lang}
                    )
            errors = [
                InitErrorDetails(type=error, loc=(lang,), input=text)
                for lang, text in value.items()
                if (error := _unshown_error(text)) is not None
            ]
            if errors:
                # At the language (`title.en`), where the curator's YAML has the character.
                raise ValidationError.from_exception_data("Text", errors)
            return value
        raise PydanticCustomError(
            "text_type",
            "expected text or {shape}, got {got}",
            {"shape": "{zh: ..., en: ...}", "got": quoted(value)},
        )

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to the other language rather than showing nothing."""
        if isinstance(self.root, str):
            return self.root
        if lang in self.root:
            return self.root[lang]
        return next(iter(self.root.values()))

    def languages(self) -> set[str] | None:
        """The languages given, or None for a plain text shown in all of them."""
        return None if isinstance(self.root, str) else set(self.root)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Written out because the validator above decides, not the `str | dict` annotation:
        # blank text and unknown languages are refused here too, as `_check` refuses them.
        visible = {
            "type": "string",
            "pattern": VISIBLE,
            "patternErrorMessage": "text may not be empty",
            "allOf": [
                {
                    "pattern": SHOWN_PATTERN,
                    "patternErrorMessage": "a character the kiosk cannot show (an emoji?)",
                }
            ],
        }
        return {
            "description": "Plain text, or the text per language: {zh: ..., en: ...}",
            "anyOf": [
                visible,
                {
                    "type": "object",
                    "properties": dict.fromkeys(LANGUAGES, visible),
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ],
        }


@dataclass(frozen=True)
class TextLimit:
    """The most characters a visible text may have, in each of its languages.

    Written beside `Text` in a field's annotation (`Annotated[Text, TITLE]`). Text is laid out
    on the UI thread, and its cost grows with its length: a 200,000-character title took 4 s
    and 818 MB to render, long enough to stall the status file the watchdog reads. The limits
    are generous for what a curator writes (a slide is read in 5-10 seconds: a headline and
    about 20 English words or 45 Chinese characters) and bound the worst slide well under a
    second at 3840x2160. The schema states them too (maxLength on the text and on each
    language's text)."""

    chars: int
    what: str
    """What the text is, for the message: `for a title`."""

    def describe(self, description: str) -> str:
        """A field's description with the limit said, for the reference and editors."""
        return f"{description} (at most {self.chars:,} characters)"

    def _check(self, value: Text) -> Text:
        root = value.root
        texts = [((), root)] if isinstance(root, str) else [((k,), v) for k, v in root.items()]
        errors: list[InitErrorDetails] = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "text_too_long",
                    "{count} characters is more than the {limit} allowed for {what}",
                    {"count": f"{len(text):,}", "limit": f"{self.chars:,}", "what": self.what},
                ),
                loc=loc,
                input=text,
            )
            for loc, text in texts
            if len(text) > self.chars
        ]
        if errors:
            # Raised as a ValidationError so that each error lies at its language
            # (`title.en`), where the curator's YAML has the long text.
            raise ValidationError.from_exception_data("Text", errors)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Beside the reference to Text: `maxLength` holds a plain string, `properties` each
        # language of a mapping; each keyword applies only to its own JSON type.
        bound = {"maxLength": self.chars}
        return {**handler(schema), **bound, "properties": dict.fromkeys(LANGUAGES, bound)}


TITLE = TextLimit(200, "a title")
"""A heading: two or three lines at title size."""
LABEL = TextLimit(80, "a label")
"""A name: a figure's label, a bar, a series, a node, an event, a kicker."""
SHORT = TextLimit(40, "a short label")
"""A unit beside a figure, or a label on a diagram's line (drawn on every frame)."""
LINE = TextLimit(300, "a line")
"""A sentence: a subtitle, an intro, a note, a caption, a source, an attribution."""
DETAIL = TextLimit(1_000, "a detail card")
"""The text of a card a visitor opens: a few short paragraphs."""
BODY = TextLimit(2_000, "a body text")
"""A text slide's body, beside its image."""
QUOTE = TextLimit(500, "a quotation")
"""A quotation set large."""

TitleText = Annotated[Text, TITLE]
LabelText = Annotated[Text, LABEL]
ShortText = Annotated[Text, SHORT]
LineText = Annotated[Text, LINE]
DetailText = Annotated[Text, DETAIL]
BodyText = Annotated[Text, BODY]
QuoteText = Annotated[Text, QUOTE]

MAX_SLIDES = 1_000
"""Slides in a deck: a hall's show has tens; a thousand still loads in well under a second."""
MAX_METRIC_FILES = 100
MAX_METRICS = 1_000
"""Figures in one metrics file."""
MAX_CATEGORIES = 24
"""Bars, points or rings of a chart."""
MAX_LINKS = 24
"""Links of a diagram: a hub and fifteen spokes, or a chain with a few cross links; more is a
tangle no visitor reads, and each long line costs about 1.5 ms a frame at 3840x2160."""
MAX_ID = 64
"""Characters of an id or a metric key: a name, not a text (it is written to the status file
and the analytics of every slide shown)."""


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate:
    """A calendar date known to the year, the month or the day: `2010`, `2025-10`, `2010-06-18`."""

    __slots__ = ("day", "month", "year")

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        self.year, self.month, self.day = year, month, day

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse a YAML date or a string of the three accepted shapes; raise a curator's error."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return cls(value)
        match = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
        if match is None:
            raise PydanticCustomError(
                "date_format",
                "expected a date like 2010-06-18, 2025-10 or 2026, got {got}",
                {"got": quoted(value)},
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            date(year or 1, month or 1, day or 1)
        except ValueError:
            raise PydanticCustomError(
                "date_value", "{got} is not a real date", {"got": quoted(value)}
            ) from None
        return cls(year or 0, month, day)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self.sort_key() == other.sort_key()

    def __hash__(self) -> int:
        return hash(self.sort_key())

    def __repr__(self) -> str:
        return f"PartialDate({self.year}, {self.month}, {self.day})"

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Both forms `parse` takes: YAML reads `2026` as a number (editors and check-jsonschema
        # alike) and `2010-06-18` as text, so a schema of strings alone flagged valid files.
        return {
            "description": "A date: 2010-06-18, or only the month (2025-10) or year (2026)",
            "anyOf": [
                {
                    "type": "string",
                    "pattern": DATE_PATTERN,
                    "patternErrorMessage": "expected a real date like 2010-06-18, 2025-10 or 2026",
                },
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
        }


def _digit(chars: str) -> str:
    """A regex class of these digits (`0-9`, `013578`), ASCII or full width: `parse`'s `\\d`
    takes the full-width digits a Chinese input method types (２０２６), so the schema must."""
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in chars)
    return f"[{chars}{wide}]"


def _date_pattern() -> str:
    """The strings `PartialDate.parse` accepts, as one regex: real dates only, with its quirks
    (a month or day of 00 is checked as the first, and year 0000 as year 1)."""
    d, zero, one, two, three = (_digit(c) for c in ("0-9", "0", "1", "2", "3"))
    year = d + "{4}"
    month = f"(?:{zero}{d}|{one}{_digit('0-2')})"
    long_month = f"(?:{zero}{_digit('013578')}|{one}{_digit('02')})"  # 00 counts as January
    short_month = f"(?:{zero}{_digit('469')}|{one}{one})"
    february = f"{zero}{two}"
    upto_31 = f"(?:{_digit('0-2')}{d}|{three}{_digit('01')})"
    upto_30 = f"(?:{_digit('0-2')}{d}|{three}{zero})"
    upto_28 = f"(?:{_digit('01')}{d}|{two}{_digit('0-8')})"
    # Two-digit multiples of 4 but 00: a year's last two digits, or a leap century's first two.
    by_four = (
        f"(?:{zero}{_digit('48')}|{_digit('2468')}{_digit('048')}|{_digit('13579')}{_digit('26')})"
    )
    leap_year = f"(?:{d}{d}{by_four}|{by_four}{zero}{zero})"
    return (
        f"^(?:{year}(?:-{month})?"
        f"|{year}-(?:{long_month}-{upto_31}|{short_month}-{upto_30}|{february}-{upto_28})"
        f"|{leap_year}-{february}-{two}{_digit('9')})$"
    )


DATE_PATTERN = _date_pattern()
"""A JSON Schema pattern for the date strings `PartialDate.parse` accepts (tested against it)."""


AssetPath = Annotated[
    str,
    Field(
        min_length=1,
        description="A file inside the content folder, written relative to it (images/rivers.svg)",
    ),
]
MetricKey = Annotated[
    str,
    Field(
        pattern=SLUG,
        max_length=MAX_ID,
        description="The key of a figure defined in a metrics file",
    ),
]
Seconds = Annotated[float, Field(gt=0, le=3600)]


# --- metrics -----------------------------------------------------------------------------------


class Metric(Strict):
    """One figure, defined once and shown by every slide that names its key."""

    value: float = Field(description="The number itself, in plain units: 3520000, not 3.52")
    unit: ShortText | None = Field(
        default=None, description=SHORT.describe("What the number counts: {zh: 平方公里, en: km²}")
    )
    label: LabelText = Field(description=LABEL.describe("What the figure is, as a short caption"))
    qualifier: Literal["over", "about", "exact"] = Field(
        default="exact", description="Shown before the number: over (超过) or about (约)"
    )
    format: Literal["auto", "plain", "percent"] = Field(
        default="auto",
        description=(
            "auto: large numbers in words (3.52 million / 352万); plain: digits with "
            "thousands separators (1,360); percent: a share out of 100"
        ),
    )
    decimals: int | None = Field(
        default=None, ge=0, le=4, description="Decimals shown; by default as many as needed"
    )
    detail: DetailText = Field(
        description=DETAIL.describe("The longer text shown when a visitor taps the figure")
    )
    source: LineText = Field(
        description=LINE.describe("Where the figure comes from: Source: ECNS, Jan 2026")
    )
    as_of: PartialDate = Field(description="When the figure was true or published")

    # The schema's side of `_percent_range`, so an editor underlines it as the loader refuses it.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"format": {"const": "percent"}}, "required": ["format"]},
            "then": {"properties": {"value": {"minimum": 0, "maximum": 100}}},
        }
    )

    @model_validator(mode="after")
    def _percent_range(self) -> Metric:
        if self.format == "percent" and not 0 <= self.value <= 100:
            raise PydanticCustomError(
                "percent_range", "a percent figure must lie between 0 and 100"
            )
        return self


class MetricsFile(Strict):
    """A metrics file: figures under their keys."""

    metrics: dict[Annotated[str, Field(pattern=SLUG, max_length=MAX_ID)], Metric] = Field(
        max_length=MAX_METRICS,
        description=f"Figures by key (lower-case words joined by hyphens: nev-share); at most "
        f"{MAX_METRICS:,}",
        # pydantic writes the key pattern as patternProperties, which lets other keys through.
        json_schema_extra={"additionalProperties": False},
    )


# --- deck --------------------------------------------------------------------------------------


class LoopSettings(Strict):
    """How the show runs on its own."""

    slide_duration: Seconds = Field(
        default=12, description="Seconds each slide stays on in the attract loop"
    )
    idle_timeout: Seconds = Field(
        default=60, description="Seconds without a touch before the show returns to its loop"
    )
    transition: TransitionName = Field(
        default="fade", description="How one slide gives way to the next: fade, push or none"
    )
    reduce_motion: bool = Field(
        default=False, description="Replace every animation with an instant change"
    )


def _default_language_offered_schema(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """The schema's side of `DeckFile._default_language_offered`: `languages`, when given, holds
    the default language (the field's default when `default_language` is not given)."""
    unset = cls.model_fields["default_language"].default
    schema["allOf"] = [
        {
            "if": {
                "properties": {"default_language": {"const": lang}},
                **({} if lang == unset else {"required": ["default_language"]}),
            },
            "then": {"properties": {"languages": {"contains": {"const": lang}}}},
        }
        for lang in LANGUAGES
    ]


class DeckFile(Strict):
    """The deck file, deck.yaml: the show's title, settings and the order of its slides."""

    model_config = ConfigDict(json_schema_extra=_default_language_offered_schema)

    title: TitleText = Field(description=TITLE.describe("The show's name"))
    languages: list[Language] = Field(
        default=["zh", "en"],
        min_length=1,
        max_length=len(LANGUAGES),
        description="Languages the show offers",
    )
    default_language: Language = Field(default="zh", description="The language the loop returns to")
    loop: LoopSettings = Field(default_factory=LoopSettings, description="Timing of the loop")
    theme: Literal["rivers"] = Field(default="rivers", description="The visual theme")
    metrics: list[AssetPath] = Field(
        default_factory=list,
        max_length=MAX_METRIC_FILES,
        description=f"Metric files, relative to the content folder; at most {MAX_METRIC_FILES}",
    )
    slides: list[AssetPath] = Field(
        min_length=1,
        max_length=MAX_SLIDES,
        description=f"Slide files in the order they are shown; at most {MAX_SLIDES:,}",
    )

    @model_validator(mode="after")
    def _default_language_offered(self) -> DeckFile:
        if self.default_language not in self.languages:
            raise PydanticCustomError(
                "default_language",
                "default_language {lang} is not one of the deck's languages",
                {"lang": quoted(self.default_language)},
            )
        return self


# --- slides ------------------------------------------------------------------------------------


class SlideBase(Strict):
    """What every slide has."""

    id: str = Field(
        pattern=SLUG,
        max_length=MAX_ID,
        description="A stable name for the slide (lower-case words joined by hyphens)",
    )
    duration: Seconds | None = Field(
        default=None, description="Seconds on screen in the loop; the deck's default if absent"
    )
    transition: TransitionName | None = Field(
        default=None, description="Transition into this slide; the deck's default if absent"
    )
    source: LineText | None = Field(
        default=None,
        description=LINE.describe(
            "Source line shown at the foot; for figures, their metrics' sources if absent"
        ),
    )
    example: ClassVar[str] = ""

    @property
    def slide_type(self) -> str:
        """The slide's `type:` (title, metrics, chart, ...)."""
        return str(self.__dict__["type"])


class TitleSlide(SlideBase):
    """A hero title and subtitle over a drawn background."""

    type: Literal["title"]
    title: TitleText = Field(description=TITLE.describe("The large title"))
    subtitle: LineText | None = Field(
        default=None, description=LINE.describe("A line under the title")
    )
    kicker: LabelText | None = Field(
        default=None, description=LABEL.describe("A small line above the title")
    )
    background: AssetPath | None = Field(
        default=None, description="An image behind the title; the drawn rivers if absent"
    )
    example: ClassVar[str] = """\
id: welcome
type: title
kicker: {zh: 国家级新区, en: National-level new area}
title: {zh: 重庆两江新区, en: Chongqing Liangjiang New Area}
subtitle: {zh: 两江交汇之地, en: Where two rivers meet}
"""


class Tile(Strict):
    """A KPI tile showing one figure."""

    metric: MetricKey
    detail: DetailText | None = Field(
        default=None,
        description=DETAIL.describe("Text of the detail card; the metric's detail if absent"),
    )
    icon: AssetPath | None = Field(default=None, description="A small icon above the figure")


class MetricsSlide(SlideBase):
    """KPI tiles whose numbers count up; each tile opens a detail card when tapped."""

    type: Literal["metrics"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    intro: LineText | None = Field(
        default=None, description=LINE.describe("A sentence under the heading")
    )
    tiles: list[Tile] = Field(min_length=1, max_length=8, description="One to eight tiles")
    example: ClassVar[str] = """\
id: at-a-glance
type: metrics
title: {zh: 概览, en: At a glance}
tiles:
  - metric: area
  - metric: population
    detail: {zh: 常住人口。, en: Residents of the area.}
"""


class Category(Strict):
    """One bar, point or ring of a chart."""

    label: LabelText | None = Field(
        default=None,
        description=LABEL.describe("Its name on the axis; the metric's label if absent"),
    )
    detail: DetailText | None = Field(
        default=None, description=DETAIL.describe("Detail card text; the metric's detail if absent")
    )


class Series(Strict):
    """One row of values: numbers written here, or figures named by metric key."""

    name: LabelText = Field(description=LABEL.describe("The series name, shown in the legend"))
    values: list[float] | None = Field(
        default=None, max_length=MAX_CATEGORIES, description="One number per category"
    )
    metrics: list[MetricKey] | None = Field(
        default=None,
        max_length=MAX_CATEGORIES,
        description="One metric key per category, instead of values",
    )

    # The schema's side of `_one_of` (a null counts as absent, as it does for the model).
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [key], "properties": {key: {"type": "array"}}}
                for key in ("values", "metrics")
            ]
        }
    )

    @model_validator(mode="after")
    def _one_of(self) -> Series:
        if (self.values is None) == (self.metrics is None):
            raise PydanticCustomError(
                "series_values", "a series needs either values or metrics (one of the two)"
            )
        return self

    def count(self) -> int:
        return len(self.values if self.values is not None else self.metrics or [])


class ChartSlide(SlideBase):
    """A chart: bar, hbar (horizontal bars), line, or share (percentage rings)."""

    type: Literal["chart"]
    kind: Literal["bar", "hbar", "line", "share"] = Field(description="The kind of chart")
    title: TitleText = Field(
        description=TITLE.describe("What the chart shows (every chart has one)")
    )
    unit: ShortText | None = Field(
        default=None, description=SHORT.describe("Unit of the values; the metrics' unit if absent")
    )
    categories: list[Category] = Field(
        min_length=1,
        max_length=MAX_CATEGORIES,
        description=f"The bars, points or rings, in order; at most {MAX_CATEGORIES}",
    )
    series: list[Series] = Field(
        min_length=1, max_length=4, description="Rows of values, one value per category"
    )
    note: LineText | None = Field(
        default=None, description=LINE.describe("A sentence under the chart")
    )

    # The share rules of `_shape` (one series per category count cannot be said in a schema).
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"const": "share"}}, "required": ["kind"]},
            "then": {
                "properties": {
                    "series": {
                        "maxItems": 1,
                        "items": {
                            "properties": {"values": {"items": {"minimum": 0, "maximum": 100}}}
                        },
                    }
                }
            },
        }
    )

    @model_validator(mode="after")
    def _shape(self) -> ChartSlide:
        for series in self.series:
            if series.count() != len(self.categories):
                raise PydanticCustomError(
                    "series_length",
                    "every series needs one value per category ({n}), one has {m}",
                    {"n": len(self.categories), "m": series.count()},
                )
        if self.kind == "share":
            if len(self.series) != 1:
                raise PydanticCustomError(
                    "share_series", "a share chart has exactly one series of percentages"
                )
            for value in self.series[0].values or []:
                if not 0 <= value <= 100:
                    raise PydanticCustomError(
                        "share_range", "share values are percentages between 0 and 100"
                    )
        return self

    example: ClassVar[str] = """\
id: industries
type: chart
kind: hbar
title: {zh: 三大产业规模, en: Three industries by scale}
categories:
  - label: {zh: 智能网联新能源汽车, en: Intelligent connected NEVs}
  - label: {zh: 新一代电子信息制造, en: New-generation electronics}
series:
  - name: {zh: 产业规模, en: Industry scale}
    metrics: [nev-industry, electronics-industry]
"""


class Event(Strict):
    """A dated event on a timeline."""

    date: PartialDate = Field(description="When: 2010-06-18, 2025-10 or 2026")
    until: PartialDate | None = Field(
        default=None, description="The end of a period (2026 to 2030: date 2026, until 2030)"
    )
    label: LabelText = Field(description=LABEL.describe("What happened, in a few words"))
    detail: DetailText = Field(
        description=DETAIL.describe("Detail card text when the event is tapped")
    )

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        if self.until is not None and self.until.sort_key() < self.date.sort_key():
            raise PydanticCustomError("until_before", "until comes before date")
        return self


class TimelineSlide(SlideBase):
    """Dated events that appear one after another along an axis."""

    type: Literal["timeline"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    events: list[Event] = Field(min_length=1, max_length=8, description="One to eight events")
    example: ClassVar[str] = """\
id: milestones
type: timeline
title: {zh: 发展历程, en: Milestones}
events:
  - date: 2010-06-18
    label: {zh: 两江新区成立, en: Liangjiang New Area established}
    detail: {zh: 中国内陆首个国家级新区。, en: The first national-level new area in inland China.}
"""


class TextSlide(SlideBase):
    """A heading and body text, with an optional image beside it."""

    type: Literal["text"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    body: BodyText = Field(
        description=BODY.describe("The text; a blank line starts a new paragraph")
    )
    image: AssetPath | None = Field(default=None, description="An image beside the text")
    image_caption: LineText | None = Field(
        default=None, description=LINE.describe("A caption under the image")
    )
    example: ClassVar[str] = """\
id: two-rivers
type: text
title: {zh: 两江, en: Two rivers}
body: {zh: 长江与嘉陵江在重庆交汇。, en: The Yangtze and the Jialing meet at Chongqing.}
image: images/confluence.svg
"""


class Node(Strict):
    """A tappable node of a diagram."""

    id: str = Field(pattern=SLUG, max_length=MAX_ID, description="The node's name, used by links")
    label: LabelText = Field(description=LABEL.describe("The text on the node"))
    detail: DetailText = Field(
        description=DETAIL.describe("Detail card text when the node is tapped")
    )
    x: float = Field(ge=0, le=1, description="Horizontal place, 0 (left) to 1 (right)")
    y: float = Field(ge=0, le=1, description="Vertical place, 0 (top) to 1 (bottom)")
    kind: Literal["hub", "platform", "place"] = Field(
        default="platform", description="hub draws large; place draws as a dot"
    )
    icon: AssetPath | None = Field(default=None, description="A small icon on the node")


class Link(Strict):
    """A line between two nodes."""

    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(
        alias="from", max_length=MAX_ID, description="The id of the node it starts at"
    )
    to: str = Field(max_length=MAX_ID, description="The id of the node it ends at")
    label: ShortText | None = Field(
        default=None, description=SHORT.describe("A short text on the line")
    )


class DiagramSlide(SlideBase):
    """Nodes and links, for platforms and hubs; each node opens a detail card when tapped."""

    type: Literal["diagram"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    note: LineText | None = Field(
        default=None,
        description=LINE.describe("A line under the diagram, such as: Schematic, not to scale"),
    )
    nodes: list[Node] = Field(min_length=1, max_length=16, description="The nodes; at most 16")
    links: list[Link] = Field(
        default_factory=list,
        max_length=MAX_LINKS,
        description=f"Lines between nodes; at most {MAX_LINKS}",
    )
    example: ClassVar[str] = """\
id: open-platforms
type: diagram
title: {zh: 开放平台, en: Open platforms}
note: {zh: 示意图, en: Schematic}
nodes:
  - id: guoyuan
    label: {zh: 果园港, en: Guoyuan Port}
    detail:
      zh: 西部地区唯一的港口型国家物流枢纽。
      en: The western region's sole port-type national logistics hub.
    x: 0.3
    y: 0.5
  - id: airport
    label: {zh: 江北国际机场, en: Jiangbei International Airport}
    detail: {zh: 两江新区的航空门户。, en: The area's air gateway.}
    x: 0.7
    y: 0.5
links:
  - {from: guoyuan, to: airport}
"""

    @field_validator("nodes")
    @classmethod
    def _unique_nodes(cls, nodes: list[Node]) -> list[Node]:
        seen: set[str] = set()
        for node in nodes:
            if node.id in seen:
                raise PydanticCustomError(
                    "duplicate_node", "two nodes have the id {id}", {"id": quoted(node.id)}
                )
            seen.add(node.id)
        return nodes


class QuoteSlide(SlideBase):
    """A large quotation with its attribution."""

    type: Literal["quote"]
    quote: QuoteText = Field(description=QUOTE.describe("The quotation, without quotation marks"))
    attribution: LineText = Field(description=LINE.describe("Who said or wrote it"))
    example: ClassVar[str] = """\
id: imprint
type: quote
quote: {zh: 在未来产业上留下“两江印记”, en: To leave a "Liangjiang Imprint" on future industries}
attribution: {zh: 两江新区发展目标, en: Liangjiang New Area's ambition}
"""


SLIDE_TYPES: tuple[type[SlideBase], ...] = (
    TitleSlide,
    MetricsSlide,
    ChartSlide,
    TimelineSlide,
    TextSlide,
    DiagramSlide,
    QuoteSlide,
)

Slide = Annotated[
    TitleSlide | MetricsSlide | ChartSlide | TimelineSlide | TextSlide | DiagramSlide | QuoteSlide,
    Field(discriminator="type"),
]


def slide_type_name(cls: type[SlideBase]) -> str:
    """The `type:` value of a slide class."""
    return str(cls.model_fields["type"].annotation.__args__[0])  # type: ignore[union-attr]
