"""The tiles slide: a heading and two to eight icon tiles, each opening a detail card."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from kiosk.content.model.base import SlideBase
from kiosk.content.model.fields import AssetPath, Strict
from kiosk.content.model.text import (
    DETAIL,
    LABEL,
    LINE,
    TITLE,
    DetailText,
    LabelText,
    LineText,
    TitleText,
)

MIN_TILES = 2
MAX_TILES = 8


class IconTile(Strict):
    """One tile: an icon, a short label under it, and the card a tap opens."""

    icon: AssetPath = Field(
        description="The tile's icon: an SVG (or PNG) in the content folder, drawn square"
    )
    label: LabelText = Field(description=LABEL.describe("The few words under the icon"))
    detail: DetailText = Field(
        description=DETAIL.describe("Detail card text when the tile is tapped")
    )


class TilesSlide(SlideBase):
    """Icon tiles under a heading, for a few named ideas; each opens a card when tapped."""

    type: Literal["tiles"]
    title: TitleText = Field(description=TITLE.describe("The slide's heading"))
    intro: LineText | None = Field(
        default=None, description=LINE.describe("A sentence under the heading")
    )
    tiles: list[IconTile] = Field(
        min_length=MIN_TILES,
        max_length=MAX_TILES,
        description=f"The tiles, in reading order; {MIN_TILES} to {MAX_TILES}",
    )
    example: ClassVar[str] = """\
id: industry-direction
type: tiles
title: {zh: 智能、绿色、融合, en: "Intelligent, green, integrated"}
tiles:
  - icon: images/icons/manufacturing.svg
    label: {zh: 先进制造业集群, en: Advanced manufacturing clusters}
    detail: {zh: 打造先进制造业集群体系。, en: Building an advanced manufacturing cluster system.}
  - icon: images/icons/ai.svg
    label: {zh: 人工智能赋能, en: AI in every sector}
    detail: {zh: 推动人工智能赋能千行百业。, en: AI-enabled transformation across all sectors.}
"""
