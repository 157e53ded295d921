"""Visible text: bilingual `Text`, the characters the kiosk can show and the length limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    RootModel,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from kiosk.content.model.fields import LANGUAGES
from kiosk.content.problems import quoted

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
