"""The theme: colours, type scale, spacing and motion, read from a YAML file curators can read."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

THEMES = Path(__file__).resolve().parent / "themes"
CONTRAST = "contrast"
"""The high-contrast theme a visitor can switch to, whatever the deck's theme."""
LARGER_TEXT = 1.3
"""How much the visitor's larger-text control enlarges every type size."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colors(_Section):
    background: str
    panel: str
    panel_edge: str
    track: str
    """The unfilled rest of a share ring: visible, and plainly not part of the data."""
    teal: str
    gold: str
    sky: str
    text: str
    muted: str


class TypeScale(_Section):
    hero: float
    title: float
    kpi: float
    subtitle: float
    body: float
    label: float
    caption: float
    line_height: float = Field(ge=1, le=2)


class Space(_Section):
    margin: float
    gutter: float
    radius: float
    footer: float
    touch: float = Field(gt=0)
    """The smallest side of a tap target, whatever is drawn there."""


class Motion(_Section):
    transition_ms: int = Field(ge=0)
    countup_ms: int = Field(ge=0)
    stagger_ms: int = Field(ge=0)
    entry_ms: int = Field(ge=0)
    calm: bool = False
    """No non-essential motion: slides change at once and their elements appear settled (the
    high-contrast theme's, for visitors whom movement distracts or unsettles)."""


class Theme(_Section):
    """A whole theme."""

    colors: Colors
    series: list[str] = Field(min_length=1)
    type: TypeScale
    space: Space
    motion: Motion

    def series_color(self, index: int) -> str:
        """The colour of chart series `index` (cycling)."""
        name = self.series[index % len(self.series)]
        return str(getattr(self.colors, name, name))

    def enlarged(self, factor: float) -> Theme:
        """This theme with every type size times `factor` (the line height, a ratio, kept)."""
        sizes: dict[str, Any] = {
            key: value * factor
            for key, value in self.type.model_dump().items()
            if key != "line_height"
        }
        return self.model_copy(update={"type": self.type.model_copy(update=sizes)})


@cache
def load_theme(name: str = "rivers") -> Theme:
    """The named theme from kiosk/content/themes/."""
    path = THEMES / f"{name}.yaml"
    return Theme.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def visitor_theme(name: str, *, larger: bool = False, contrast: bool = False) -> Theme:
    """The theme a visitor sees: the deck's theme `name`, or the high-contrast one when
    `contrast`, with every type size times LARGER_TEXT when `larger`."""
    theme = load_theme(CONTRAST if contrast else name)
    return theme.enlarged(LARGER_TEXT) if larger else theme


def theme_names() -> list[str]:
    """Every theme kiosk/content/themes/ holds, by name."""
    return sorted(path.stem for path in THEMES.glob("*.yaml"))
