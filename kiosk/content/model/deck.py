"""The deck file, deck.yaml: the show's title, languages, loop settings, theme and slide order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from kiosk.content.model.fields import (
    LANGUAGES,
    MAX_METRIC_FILES,
    MAX_SLIDES,
    AssetPath,
    Language,
    Seconds,
    Strict,
    TransitionName,
)
from kiosk.content.model.screen import DEFAULT_SCREENS, ReferenceScreen
from kiosk.content.model.text import SHOWN_PATTERN, TITLE, VISIBLE, TitleText, unshown
from kiosk.content.problems import quoted

MAX_GLOSSARY = 500
GLOSSARY_CHARS = (2, 40)
"""The shortest and the longest glossary term: a name of two characters or more, and no
sentence (the longest official names, such as 中国（重庆）自由贸易试验区两江片区, are about 20)."""
_SPACES = "[\\u200b" + VISIBLE[2:]
"""A regex class of the spaces a glossary term may not hold: those `str.isspace()` calls
whitespace (`VISIBLE` unnegated) and the zero-width space, which pasted text carries unseen and
at which a line may break as at any other."""

Item = TypeVar("Item", bound=Hashable)


def _unique(
    where: str, check: Callable[[Item], object] | None = None
) -> Callable[[list[Item]], list[Item]]:
    """A list validator: each item passes `check` (which raises PydanticCustomError) and none
    is repeated; every item's error is reported at the item, in one pass."""

    def validate(items: list[Item]) -> list[Item]:
        first: dict[Item, int] = {}
        errors: list[InitErrorDetails] = []
        for i, item in enumerate(items):
            try:
                if check is not None:
                    check(item)
                if item in first:
                    raise PydanticCustomError(
                        "duplicate",
                        "{item} is listed twice (also {where}[{first}])",
                        {"item": quoted(item), "where": where, "first": first[item]},
                    )
            except PydanticCustomError as error:
                errors.append(InitErrorDetails(type=error, loc=(i,), input=item))
            first.setdefault(item, i)
        if errors:
            # At each item (`glossary[3]`), where the curator's YAML has it.
            raise ValidationError.from_exception_data("list", errors)
        return items

    return validate


class _GlossaryTerm:
    """A glossary term's rules, with a message for each: one unbroken run of characters the
    kiosk can show, 2 to 40 of them. The schema states the same rules. The deck's list checks
    its terms (`check`), so that every bad term and every repeat is reported in one pass."""

    @staticmethod
    def check(term: str) -> None:
        low, high = GLOSSARY_CHARS
        space = next((i for i, c in enumerate(term) if c.isspace() or c == "\u200b"), None)
        if space is not None:
            # A line may break at a space whatever the glossary says, so a term with one
            # could never hold together: a name written with a space is left out.
            raise PydanticCustomError(
                "glossary_space",
                "character {n} of {term} is a space (U+{code}): a glossary term is one "
                "unbroken name, and a line may break at a space anyway",
                {"n": space + 1, "term": quoted(term), "code": f"{ord(term[space]):04X}"},
            )
        found = unshown(term)
        if found is not None:
            place, char = found
            raise PydanticCustomError(
                "text_character",
                "character {n} is {char} (U+{code}), which the kiosk cannot show: texts hold "
                "Chinese, Latin, Greek and Cyrillic letters, digits, punctuation and common "
                "symbols",
                {"n": place, "char": quoted(char), "code": f"{ord(char):04X}"},
            )
        if len(term) > high:
            raise PydanticCustomError(
                "glossary_long",
                "{count} characters is more than the {limit} allowed for a glossary term",
                {"count": len(term), "limit": high},
            )
        if len(term) < low:
            raise PydanticCustomError(
                "glossary_short",
                "{term} is {count} character{s}; a glossary term has {low} to {high}",
                {
                    "term": quoted(term),
                    "count": len(term),
                    "s": "" if len(term) == 1 else "s",
                    "low": low,
                    "high": high,
                },
            )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        low, high = GLOSSARY_CHARS
        # `not` a search for a space rather than an anchored pattern: Python's `$` (which
        # Python validators use) matches before a final line break, ECMA-262's does not.
        return {
            "type": "string",
            "minLength": low,
            "maxLength": high,
            "not": {"pattern": _SPACES},
            "pattern": SHOWN_PATTERN,
            "description": "A term lines never break inside: 2 to 40 characters, no spaces",
        }


GlossaryTerm = Annotated[str, _GlossaryTerm]
"""A term a line never breaks inside: an official name such as 西部陆海新通道."""

LoopAlternate = Literal["cycle", "slide"]


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
    languages: Annotated[list[Language], AfterValidator(_unique("loop.languages"))] | None = Field(
        default=None,
        min_length=1,
        max_length=len(LANGUAGES),
        json_schema_extra={"uniqueItems": True},
        description=(
            "Languages the loop plays in, in turn, from the deck's languages: [zh, en]; "
            "the loop starts in the first, and again after every idle reset; "
            "the default language alone if absent"
        ),
    )
    alternate: LoopAlternate = Field(
        default="cycle",
        description=(
            "When the loop turns to its next language: cycle (after the last slide) "
            "or slide (at every slide)"
        ),
    )


class ReadingRates(Strict):
    """How fast a visitor reads a slide, for `kiosk audit`'s reading time."""

    en_words_per_second: float = Field(
        default=3.0,
        gt=0,
        le=20,
        description=(
            "English words a visitor reads in a second (3: 180 a minute, below the 200 to 250 "
            "of an adult reading a page silently: a visitor stands, looks up, looks at a figure)"
        ),
    )
    zh_chars_per_second: float = Field(
        default=5.0,
        gt=0,
        le=40,
        description=(
            "Chinese characters a visitor reads in a second (5: 300 a minute, below the 300 to "
            "500 of an adult reading a page silently)"
        ),
    )


class AuditSettings(Strict):
    """What `kiosk audit` holds each slide to: the glance limit, reading rates and cards."""

    glance_words: int = Field(
        default=20,
        ge=1,
        le=1_000,
        description=(
            "Most English words of a slide's body (all it shows without a tap but its headline "
            "and source line); more is a warning"
        ),
    )
    glance_chars: int = Field(
        default=45,
        ge=1,
        le=2_000,
        description=(
            "Most Chinese characters of a slide's body (a Han character counts one, and so does "
            "a number or a Latin word); more is a warning"
        ),
    )
    reading: ReadingRates = Field(
        default_factory=ReadingRates,
        description="Reading rates: a slide whose text takes longer than its duration is a warning",
    )
    card_novelty: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description=(
            "Least share of a card's words (Chinese: characters) that its element, the slide's "
            "headline and the show's title do not already show; a card below it only repeats"
        ),
    )
    screens: list[ReferenceScreen] = Field(
        default_factory=lambda: list(DEFAULT_SCREENS),
        min_length=1,
        max_length=16,
        description=(
            "Reference installations touch targets (at least 9 mm) and reach are measured on "
            "when no hall's configuration is given (`kiosk audit --config FILE` measures on "
            "its display: instead); default: a 55-inch landscape screen from 0.75 m and a "
            "55-inch portrait one from 0.5 m, reach 1.2 m"
        ),
    )


def _languages_offered_schema(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """The schema's side of `DeckFile._languages_offered`: `languages`, when given, holds the
    default language (the field's default when `default_language` is not given) and every
    language of the loop."""
    unset = cls.model_fields["default_language"].default
    default_offered = [
        {
            "if": {
                "properties": {"default_language": {"const": lang}},
                **({} if lang == unset else {"required": ["default_language"]}),
            },
            "then": {"properties": {"languages": {"contains": {"const": lang}}}},
        }
        for lang in LANGUAGES
    ]
    # `type: array` in the condition: `contains` says yes to anything that is not a list,
    # and a loop without languages (or with `languages: null`) asks nothing of the deck's.
    loop_offered = [
        {
            "if": {
                "properties": {
                    "loop": {
                        "properties": {"languages": {"type": "array", "contains": {"const": lang}}},
                        "required": ["languages"],
                    }
                },
                "required": ["loop"],
            },
            "then": {"properties": {"languages": {"contains": {"const": lang}}}},
        }
        for lang in LANGUAGES
    ]
    schema["allOf"] = default_offered + loop_offered


class DeckFile(Strict):
    """The deck file, deck.yaml: the show's title, settings and the order of its slides."""

    model_config = ConfigDict(json_schema_extra=_languages_offered_schema)

    title: TitleText = Field(description=TITLE.describe("The show's name"))
    languages: list[Language] = Field(
        default=["zh", "en"],
        min_length=1,
        max_length=len(LANGUAGES),
        description="Languages the show offers",
    )
    default_language: Language = Field(
        default="zh",
        description="The show's first language, and the loop's when loop.languages is not given",
    )
    loop: LoopSettings = Field(
        default_factory=LoopSettings, description="Timing and languages of the loop"
    )
    theme: Literal["rivers"] = Field(default="rivers", description="The visual theme")
    audit: AuditSettings = Field(
        default_factory=AuditSettings,
        description="What `kiosk audit` checks slides against: glance limit, reading rates, "
        "reference screens",
    )
    metrics: list[AssetPath] = Field(
        default_factory=list,
        max_length=MAX_METRIC_FILES,
        description=f"Metric files, relative to the content folder; at most {MAX_METRIC_FILES}",
    )
    glossary: Annotated[
        list[GlossaryTerm], AfterValidator(_unique("glossary", _GlossaryTerm.check))
    ] = Field(
        default_factory=list,
        max_length=MAX_GLOSSARY,
        json_schema_extra={"uniqueItems": True},
        description=(
            "Terms a line never breaks inside (official names such as 西部陆海新通道), "
            f"2 to 40 characters without spaces, each once; at most {MAX_GLOSSARY}"
        ),
    )
    slides: list[AssetPath] = Field(
        min_length=1,
        max_length=MAX_SLIDES,
        description=f"Slide files in the order they are shown; at most {MAX_SLIDES:,}",
    )

    @property
    def loop_languages(self) -> Sequence[str]:
        """The languages the loop plays in, in turn (the default language alone if not given)."""
        return tuple(self.loop.languages or (self.default_language,))

    @model_validator(mode="after")
    def _languages_offered(self) -> DeckFile:
        if self.default_language not in self.languages:
            raise PydanticCustomError(
                "default_language",
                "default_language {lang} is not one of the deck's languages",
                {"lang": quoted(self.default_language)},
            )
        offered = " and ".join(self.languages)
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "loop_language",
                    "{lang} is not one of the deck's languages ({offered})",
                    {"lang": quoted(lang), "offered": offered},
                ),
                loc=("loop", "languages", i),
                input=lang,
            )
            for i, lang in enumerate(self.loop.languages or ())
            if lang not in self.languages
        ]
        if errors:
            # At the language in the loop (`loop.languages[1]`), where the YAML has it.
            raise ValidationError.from_exception_data("DeckFile", errors)
        return self
