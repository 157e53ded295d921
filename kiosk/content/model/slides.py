"""The slide files: one model per slide `type`, the discriminated union and its type names."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import (
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kiosk.content.model.base import SlideBase
from kiosk.content.model.fields import (
    MAX_CATEGORIES,
    MAX_ID,
    MAX_LINKS,
    SLUG,
    AssetPath,
    MetricKey,
    PartialDate,
    Strict,
    check_unique_ids,
)
from kiosk.content.model.map import MapSlide
from kiosk.content.model.text import (
    BODY,
    DETAIL,
    LABEL,
    LINE,
    QUOTE,
    SHORT,
    TITLE,
    BodyText,
    DetailText,
    LabelText,
    LineText,
    QuoteText,
    ShortText,
    TitleText,
)
from kiosk.content.model.tiles import TilesSlide

MAX_ITEMS = 4
"""Things one share ring stands for, named under it."""
MAX_CHIPS = 4
"""Named items under one tile's figure."""


MAX_TITLE_FIGURES = 3


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
    figures: list[MetricKey] = Field(
        default_factory=list,
        max_length=MAX_TITLE_FIGURES,
        description=(
            "Figures shown under the subtitle, by metric key (the first things a visitor asks: "
            f"how big, how many people); at most {MAX_TITLE_FIGURES}"
        ),
    )
    example: ClassVar[str] = """\
id: welcome
type: title
kicker: {zh: 国家级新区, en: National-level new area}
title: {zh: 重庆两江新区, en: Chongqing Liangjiang New Area}
subtitle: {zh: 两江交汇之地, en: Where two rivers meet}
figures: [area, population]
"""


class Tile(Strict):
    """A KPI tile showing one figure."""

    metric: MetricKey
    detail: DetailText | None = Field(
        default=None,
        description=DETAIL.describe("Text of the detail card; the metric's detail if absent"),
    )
    icon: AssetPath | None = Field(default=None, description="A small icon above the figure")
    chips: list[LabelText] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CHIPS,
        description=LABEL.describe(
            f"Short names shown as chips under the figure (the named items a count counts); "
            f"1 to {MAX_CHIPS}"
        ),
    )


class MetricsSlide(SlideBase):
    """KPI tiles whose figures slide into place; each tile opens a detail card when tapped."""

    type: Literal["metrics"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    intro: LineText | None = Field(
        default=None, description=LINE.describe("A sentence under the heading")
    )
    tiles: list[Tile] = Field(min_length=1, max_length=8, description="One to eight tiles")
    note: LineText | None = Field(
        default=None,
        description=LINE.describe(
            "A line under the tiles, such as: The article names only some of them"
        ),
    )
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
    hero: bool = Field(
        default=False,
        description="Share rings: this ring is the slide's hero, drawn large in the accent colour "
        "(at most one category)",
    )
    items: list[LabelText] | None = Field(
        default=None,
        min_length=2,
        max_length=MAX_ITEMS,
        description=f"Share rings: the several things one figure is true of, named under its "
        f"ring (over 40 % of trade, of investment and of settlement); 2 to {MAX_ITEMS}",
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
    """A chart: bar, hbar (horizontal bars), line, or share (percentage rings). A bar chart of
    tiers (metrics with `qualifier: tier`) draws no value axis; a share chart may have one
    `hero` ring and rings that name several `items`."""

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
                    },
                    "categories": {
                        "not": {
                            "contains": {
                                "properties": {"hero": {"const": True}},
                                "required": ["hero"],
                            },
                            "minContains": 2,
                        }
                    },
                }
            },
            "else": {
                "properties": {
                    "categories": {
                        "items": {
                            "properties": {
                                "hero": {"const": False},
                                "items": {"type": "null"},
                            }
                        }
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
            heroes = sum(c.hero for c in self.categories)
            if heroes > 1:
                raise PydanticCustomError(
                    "share_heroes",
                    "a share chart has one hero ring at most; {n} categories say hero: true",
                    {"n": heroes},
                )
        elif any(c.hero or c.items is not None for c in self.categories):
            raise PydanticCustomError(
                "share_only", "hero and items are for share rings (kind: share) only"
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
    """Dated events that appear one after another along an axis, in the order written. The axis
    is not to scale: a gap of five years or more between events is cut by a break mark, a
    period (`until`) is a band along it, each card opens with its event's date, and
    consecutive events of one month share one place (the source gives them no order)."""

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
        check_unique_ids(nodes, "node")
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
    MapSlide,
    TilesSlide,
)

Slide = Annotated[
    TitleSlide
    | MetricsSlide
    | ChartSlide
    | TimelineSlide
    | TextSlide
    | DiagramSlide
    | QuoteSlide
    | MapSlide
    | TilesSlide,
    Field(discriminator="type"),
]


def slide_type_name(cls: type[SlideBase]) -> str:
    """The `type:` value of a slide class."""
    return str(cls.model_fields["type"].annotation.__args__[0])  # type: ignore[union-attr]
