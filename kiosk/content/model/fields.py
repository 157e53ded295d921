"""The content models' shared parts: the strict base, languages, ids, size caps, dates, paths."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from kiosk.content.problems import quoted

LANGUAGES: tuple[str, ...] = ("zh", "en")
"""Languages the kiosk knows how to show; a deck picks one or both."""

Language = Literal["zh", "en"]
TransitionName = Literal["fade", "push", "none"]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors and YAML's guesses are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


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


def check_unique_ids(items: list[Any], what: str) -> None:
    """Refuse two `items` with one `id` (a slide's nodes or places: links and cards name
    them), saying which."""
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise PydanticCustomError(
                f"duplicate_{what}", f"two {what}s have the id {{id}}", {"id": quoted(item.id)}
            )
        seen.add(item.id)
