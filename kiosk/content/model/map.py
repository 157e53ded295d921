"""The map slide: the project's own schematic map (rivers, areas, tappable places)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from kiosk.content.model.base import SlideBase
from kiosk.content.model.fields import MAX_ID, SLUG, AssetPath, Strict, check_unique_ids
from kiosk.content.model.text import (
    DETAIL,
    LABEL,
    LINE,
    SHORT,
    TITLE,
    DetailText,
    LabelText,
    LineText,
    ShortText,
    TitleText,
)

MAX_RIVERS = 8
MAX_AREAS = 8
MAX_PLACES = 16
MAX_POINTS = 32
"""Points of one river or area: a schematic line is a few bends, not a surveyed course."""

Coordinate = Annotated[float, Field(ge=0, le=1)]
Point = Annotated[
    list[Coordinate],
    Field(
        min_length=2,
        max_length=2,
        description="[x, y]: 0 (left, top) to 1 (right, bottom) of the map's drawing",
    ),
]
DEFAULT_ASPECT = 1.6
"""A map's width / height when neither it nor its base map says."""
Aspect = Annotated[float, Field(ge=0.5, le=3)]
MapColor = Literal["teal", "gold", "sky", "muted"]
"""A colour of the theme (rivers: teal for the Jialing, gold for the Yangtze)."""


class River(Strict):
    """A river, drawn as a smooth curve through its points (it draws in from the first)."""

    name: LabelText | None = Field(
        default=None,
        description=LABEL.describe(
            "The river's name, written along it; none where another slide has named it"
        ),
    )
    points: list[Point] = Field(
        min_length=2,
        max_length=MAX_POINTS,
        description=f"The course, upstream first: 2 to {MAX_POINTS} points [x, y]",
    )
    width: float = Field(
        default=1.0, ge=0.25, le=4, description="Relative width: 1 is the theme's river"
    )
    color: MapColor = Field(default="teal", description="A theme colour: teal, gold, sky, muted")
    label_at: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Where along the river its name goes, 0 (first point) to 1 (last)",
    )


class Area(Strict):
    """A shaded area (a district, a new area), with its name inside."""

    label: LabelText | None = Field(
        default=None,
        description=LABEL.describe("The area's name, inside it; none where another slide has it"),
    )
    points: list[Point] = Field(
        min_length=3,
        max_length=MAX_POINTS,
        description=f"The outline: 3 to {MAX_POINTS} points [x, y], drawn as a smooth shape",
    )
    label_at: Point | None = Field(
        default=None, description="Where the name goes, [x, y]; the outline's centre if absent"
    )
    detail: DetailText | None = Field(
        default=None,
        description=DETAIL.describe(
            "Detail card text when the name is tapped (an area with a label); none: no card"
        ),
    )
    color: MapColor = Field(default="teal", description="A theme colour: teal, gold, sky, muted")


PlaceKind = Literal["city", "district", "port", "airport", "station", "zone", "hub"]


class Place(Strict):
    """A place on the map: a marker drawn for its kind and a label; tapped, it opens its card."""

    id: str = Field(pattern=SLUG, max_length=MAX_ID, description="The place's name (unique)")
    label: LabelText = Field(description=LABEL.describe("The name beside the marker"))
    caption: ShortText | None = Field(
        default=None,
        description=SHORT.describe("A short line under the name: the fact that happens here"),
    )
    detail: DetailText | None = Field(
        default=None,
        description=DETAIL.describe("Detail card text when the place is tapped; none: no card"),
    )
    x: Coordinate = Field(description="Horizontal place, 0 (left) to 1 (right) of the map")
    y: Coordinate = Field(description="Vertical place, 0 (top) to 1 (bottom) of the map")
    kind: PlaceKind = Field(
        default="city",
        description="The marker: city (a dot), district (the name only), port, airport, "
        "station, zone (a square badge) or hub (the gold badge)",
    )


class MapSlide(SlideBase):
    """The project's own schematic map: rivers draw in, areas fade in, then the places appear
    in the order listed; each place with a detail opens its card when tapped. The kiosk
    always labels it "Schematic, not to scale"."""

    type: Literal["map"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    intro: LineText | None = Field(
        default=None, description=LINE.describe("A sentence under the heading")
    )
    note: LineText | None = Field(
        default=None, description=LINE.describe("A line under the map, after its schematic label")
    )
    base: AssetPath | None = Field(
        default=None,
        description="A map file of the content folder (maps/liangjiang.yaml) whose aspect, "
        "rivers and areas this map draws under its own: one place's geometry kept once for "
        "every slide that shows it",
    )
    base_names: bool = Field(
        default=True,
        description="Whether the base map's river names and area labels (and the areas' cards) "
        "are drawn: false on a second map of a place the visitor has already seen named",
    )
    aspect: Aspect | None = Field(
        default=None,
        description="Width / height of the map's drawing, whose 0..1 coordinates are of a box "
        f"this shape (fitted to the screen, never stretched); the base map's, else "
        f"{DEFAULT_ASPECT}",
    )
    rivers: list[River] = Field(
        default_factory=list, max_length=MAX_RIVERS, description=f"At most {MAX_RIVERS} rivers"
    )
    areas: list[Area] = Field(
        default_factory=list, max_length=MAX_AREAS, description=f"At most {MAX_AREAS} areas"
    )
    places: list[Place] = Field(
        min_length=1,
        max_length=MAX_PLACES,
        description=f"1 to {MAX_PLACES} places, in the order they appear",
    )
    example: ClassVar[str] = """\
id: where
type: map
title: {zh: 两江新区在哪里, en: "Where is Liangjiang?"}
rivers:
  - name: {zh: 长江, en: Yangtze}
    points: [[0, 0.8], [0.5, 0.7], [1, 0.5]]
    color: gold
  - name: {zh: 嘉陵江, en: Jialing}
    points: [[0.1, 0.1], [0.5, 0.7]]
areas:
  - label: {zh: 两江新区, en: Liangjiang New Area}
    points: [[0.5, 0.1], [0.9, 0.2], [0.8, 0.5], [0.5, 0.6]]
places:
  - id: port
    label: {zh: 果园港, en: Guoyuan Port}
    detail:
      zh: 西部地区唯一的港口型国家物流枢纽。
      en: The western region's sole port-type national logistics hub.
    x: 0.75
    y: 0.58
    kind: port
"""

    @property
    def ratio(self) -> float:
        """The drawing's width / height: its own aspect, else the default (the loader has put
        a base map's aspect in when the slide gives none)."""
        return self.aspect if self.aspect is not None else DEFAULT_ASPECT

    @field_validator("places")
    @classmethod
    def _unique_places(cls, places: list[Place]) -> list[Place]:
        check_unique_ids(places, "place")
        return places


class MapBase(Strict):
    """A base map file (written once in maps/, named by each map slide's `base`): the
    aspect, rivers and areas of one place, drawn under every map slide that names it."""

    aspect: Aspect = Field(
        default=DEFAULT_ASPECT,
        description="Width / height of the drawing whose 0..1 coordinates the file uses",
    )
    rivers: list[River] = Field(
        default_factory=list, max_length=MAX_RIVERS, description=f"At most {MAX_RIVERS} rivers"
    )
    areas: list[Area] = Field(
        default_factory=list, max_length=MAX_AREAS, description=f"At most {MAX_AREAS} areas"
    )
