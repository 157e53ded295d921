"""Metric files: each figure defined once (value, unit, label, source, as-of date) by key."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kiosk.content.model.fields import MAX_ID, MAX_METRICS, SLUG, PartialDate, Strict
from kiosk.content.model.text import (
    DETAIL,
    LABEL,
    LINE,
    SHORT,
    DetailText,
    LabelText,
    LineText,
    ShortText,
)


class Metric(Strict):
    """One figure, defined once and shown by every slide that names its key."""

    value: float = Field(description="The number itself, in plain units: 3520000, not 3.52")
    unit: ShortText | None = Field(
        default=None, description=SHORT.describe("What the number counts: {zh: 平方公里, en: km²}")
    )
    label: LabelText = Field(description=LABEL.describe("What the figure is, as a short caption"))
    qualifier: Literal["over", "about", "exact", "tier"] = Field(
        default="exact",
        description=(
            "over (超过) or about (约), shown before the number; tier: the figure names a "
            "tier, not a measurement, written 400-billion-yuan tier / 4000亿元级 (a chart "
            "of tiers draws no value axis)"
        ),
    )
    format: Literal["auto", "plain", "percent"] = Field(
        default="auto",
        description=(
            "auto: large numbers in words (3.52 million / 352万); plain: digits with "
            "thousands separators (1,360); percent: a share out of 100"
        ),
    )
    decimals: int | None = Field(
        default=None, ge=0, le=4, description="Decimals shown; by default as many as needed"
    )
    detail: DetailText = Field(
        description=DETAIL.describe("The longer text shown when a visitor taps the figure")
    )
    source: LineText = Field(
        description=LINE.describe("Where the figure comes from: Source: ECNS, Jan 2026")
    )
    as_of: PartialDate = Field(description="When the figure was true or published")

    # The schema's side of `_percent_range`, so an editor underlines it as the loader refuses it.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"format": {"const": "percent"}}, "required": ["format"]},
                    "then": {"properties": {"value": {"minimum": 0, "maximum": 100}}},
                },
                {
                    "if": {
                        "properties": {"qualifier": {"const": "tier"}},
                        "required": ["qualifier"],
                    },
                    "then": {"properties": {"format": {"not": {"const": "percent"}}}},
                },
            ]
        }
    )

    @model_validator(mode="after")
    def _percent_range(self) -> Metric:
        if self.format == "percent" and not 0 <= self.value <= 100:
            raise PydanticCustomError(
                "percent_range", "a percent figure must lie between 0 and 100"
            )
        if self.qualifier == "tier" and self.format == "percent":
            raise PydanticCustomError(
                "tier_percent", "a tier names an order of size, not a share: not a percent figure"
            )
        return self


class MetricsFile(Strict):
    """A metrics file: figures under their keys."""

    metrics: dict[Annotated[str, Field(pattern=SLUG, max_length=MAX_ID)], Metric] = Field(
        max_length=MAX_METRICS,
        description=f"Figures by key (lower-case words joined by hyphens: nev-share); at most "
        f"{MAX_METRICS:,}",
        # pydantic writes the key pattern as patternProperties, which lets other keys through.
        json_schema_extra={"additionalProperties": False},
    )
