"""The theme: colours, type scale, spacing and motion, read from a YAML file curators can read."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

THEMES = Path(__file__).resolve().parent / "themes"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colors(_Section):
    background: str
    panel: str
    panel_edge: str
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


@cache
def load_theme(name: str = "rivers") -> Theme:
    """The named theme from kiosk/content/themes/."""
    path = THEMES / f"{name}.yaml"
    return Theme.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
