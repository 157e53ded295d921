"""The deck file, deck.yaml: the show's title, languages, loop settings, theme and slide order."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

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
from kiosk.content.model.text import TITLE, TitleText
from kiosk.content.problems import quoted

MAX_GLOSSARY = 500
GlossaryTerm = Annotated[str, StringConstraints(min_length=2, max_length=40, pattern=r"^\S+$")]
"""A term a line never breaks inside: an official name such as 西部陆海新通道."""


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
    glossary: list[GlossaryTerm] = Field(
        default_factory=list,
        max_length=MAX_GLOSSARY,
        description=(
            "Terms a line never breaks inside (official names such as 西部陆海新通道), "
            f"2 to 40 characters without spaces; at most {MAX_GLOSSARY}"
        ),
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
