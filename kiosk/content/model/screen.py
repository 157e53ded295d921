"""A screen as mounted in a hall: its size, its pixels, its height above the floor and the reach."""

from __future__ import annotations

import math

from pydantic import ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from kiosk.content.model.fields import SLUG, Strict

REACH_M = 1.2
"""The highest a visitor in a wheelchair reaches forward: 48 in (1220 mm) in the ADA Standards
(308.2.1, unobstructed forward reach) and 1.2 m in EN 17210 (operable parts between 0.8 and
1.2 m above the floor)."""
ASPECT_TOLERANCE = 0.05
"""How far a screen's millimetres may be from the shape of its pixels (square pixels)."""


def parse_resolution(text: str) -> tuple[int, int]:
    """`1920x1080` as (1920, 1080)."""
    width, height = (int(part) for part in text.lower().split("x"))
    return width, height


_ONE_SIZE: JsonDict = {
    # The schema's side of `_one_size`: a diagonal, or a width and a height, never both.
    "oneOf": [
        {
            "required": ["diagonal"],
            "not": {"anyOf": [{"required": ["width_mm"]}, {"required": ["height_mm"]}]},
        },
        {"required": ["width_mm", "height_mm"], "not": {"required": ["diagonal"]}},
    ]
}


class Mounting(Strict):
    """A screen's picture as it hangs in a hall: what `kiosk audit` measures touch targets and
    reach against (`display:` in kiosk.yaml; `audit.screens` in deck.yaml)."""

    model_config = ConfigDict(json_schema_extra=_ONE_SIZE)

    resolution: str = Field(
        default="1920x1080",
        pattern=r"^[1-9][0-9]{2,4}x[1-9][0-9]{2,4}$",
        description="The picture's pixels, WIDTHxHEIGHT (1080x1920 for a portrait screen)",
    )
    diagonal: float | None = Field(
        default=None,
        gt=5,
        le=300,
        description="The picture's diagonal in inches (a 55-inch screen: 55); "
        "or give width_mm and height_mm",
    )
    width_mm: float | None = Field(
        default=None, gt=50, le=10_000, description="The picture's width in millimetres"
    )
    height_mm: float | None = Field(
        default=None, gt=50, le=10_000, description="The picture's height in millimetres"
    )
    bottom: float = Field(
        ge=0,
        le=5,
        description="Metres from the floor to the picture's bottom edge (not the bezel's)",
    )
    reach: float = Field(
        default=REACH_M,
        gt=0.3,
        le=2.5,
        description="Metres above the floor every control must be within: 1.2, a visitor in a "
        "wheelchair reaching forward (ADA 308.2, EN 17210)",
    )

    @model_validator(mode="after")
    def _one_size(self) -> Mounting:
        given = (self.width_mm is not None, self.height_mm is not None)
        if self.diagonal is None and given != (True, True):
            raise PydanticCustomError(
                "screen_size",
                "give the picture's size: diagonal (inches), or width_mm and height_mm",
            )
        if self.diagonal is not None and any(given):
            raise PydanticCustomError(
                "screen_size",
                "give diagonal or width_mm and height_mm, not both",
            )
        if self.width_mm is not None and self.height_mm is not None:
            w, h = parse_resolution(self.resolution)
            if abs((self.width_mm / self.height_mm) / (w / h) - 1) > ASPECT_TOLERANCE:
                raise PydanticCustomError(
                    "screen_aspect",
                    "width_mm and height_mm ({mm}) are not the shape of {res} pixels: "
                    "give resolution as the screen shows the show (1080x1920 in portrait)",
                    {"mm": f"{self.width_mm:g} x {self.height_mm:g} mm", "res": self.resolution},
                )
        return self

    def size_mm(self) -> tuple[float, float]:
        """The picture's width and height in millimetres."""
        if self.width_mm is not None and self.height_mm is not None:
            return self.width_mm, self.height_mm
        w, h = parse_resolution(self.resolution)
        diagonal = (self.diagonal or 0.0) * 25.4
        return diagonal * w / math.hypot(w, h), diagonal * h / math.hypot(w, h)


class ReferenceScreen(Mounting):
    """A typical installation `kiosk audit` measures the deck on when no hall's configuration
    is given."""

    name: str = Field(pattern=SLUG, max_length=64, description="What the audit calls it")


DEFAULT_SCREENS: tuple[ReferenceScreen, ...] = (
    # A 55-inch landscape screen on a wall or a stand, its picture from 0.75 m (a table's
    # height) to 1.44 m: the foot band's controls are near the bottom, well within reach.
    ReferenceScreen(name="landscape-55", resolution="1920x1080", diagonal=55, bottom=0.75),
    # A 55-inch portrait totem: the picture from 0.5 m to 1.72 m, its top out of reach.
    ReferenceScreen(name="portrait-55", resolution="1080x1920", diagonal=55, bottom=0.5),
)
