"""What every slide file has: the base model of the slide types."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from kiosk.content.model.fields import (
    MAX_ID,
    SLUG,
    AssetPath,
    Language,
    Seconds,
    Strict,
    TransitionName,
)
from kiosk.content.model.text import LINE, LineText


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
    audio: dict[Language, AssetPath] | None = Field(
        default=None,
        min_length=1,
        description=(
            "Recorded narration, by language: {zh: audio/01-welcome.zh.ogg}; a WAV, FLAC or "
            "Ogg Vorbis file in the content folder, played when a visitor asks to listen "
            "instead of the kiosk's synthesised speech (a language without one is synthesised)"
        ),
    )
    example: ClassVar[str] = ""

    @property
    def slide_type(self) -> str:
        """The slide's `type:` (title, metrics, chart, ...)."""
        return str(self.__dict__["type"])
