"""What every slide file has: the base model of the slide types."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from kiosk.content.model.fields import MAX_ID, SLUG, Seconds, Strict, TransitionName
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
    example: ClassVar[str] = ""

    @property
    def slide_type(self) -> str:
        """The slide's `type:` (title, metrics, chart, ...)."""
        return str(self.__dict__["type"])
