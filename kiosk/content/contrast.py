"""WCAG 2.2 contrast of every colour pair the slides and the chrome draw, in every theme."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.content.theme import Colors, Theme

RGB = tuple[float, float, float]
"""A colour as sRGB components from 0 to 1 (as written: gamma-encoded)."""

Kind = Literal["text", "control", "graphic"]
Role = Literal["text", "large text", "control", "graphic"]

ROLE_NAMES: dict[Role, str] = {
    "text": "text",
    "large text": "large text",
    "control": "a control",
    "graphic": "a graphic",
}
MINIMUM: dict[Role, float] = {"text": 4.5, "large text": 3.0, "control": 3.0, "graphic": 3.0}
"""WCAG 2.2 level AA: 1.4.3 (text 4.5:1, large text 3:1) and 1.4.11 (the parts of a control
or a graphic a visitor needs to see it, 3:1)."""
LARGE_PX = 24.0
"""Large text: 18 pt, 24 px (at the design size, 1920x1080: the kiosk's px scale with the
screen, and a 55-inch screen read from 1-3 m is far larger than the desktop WCAG assumes)."""
LARGE_BOLD_PX = 18.7
"""Or bold at 14 pt (18.66 px)."""

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAMED = {"black": "#000000", "white": "#ffffff"}


def parse_color(text: str) -> tuple[RGB, float]:
    """A colour as a theme writes it (`#RGB`, `#RRGGBB`, Qt's `#AARRGGBB`, black or white):
    its components and its alpha. ValueError for anything else."""
    value = _NAMED.get(text.strip().lower(), text.strip())
    if not _HEX.fullmatch(value):
        raise ValueError(f"not a colour this audit reads: {text!r} (write #RRGGBB)")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    alpha = 1.0
    if len(digits) == 8:
        alpha, digits = int(digits[:2], 16) / 255, digits[2:]
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b), alpha


def _linear(c: float) -> float:
    # WCAG 2.2's sRGB threshold is 0.04045 (2.0 printed 0.03928; no 8-bit value lies between).
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.2 relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2.2 contrast ratio of two opaque colours, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def composite(over: RGB, alpha: float, under: RGB) -> RGB:
    """`over` at opacity `alpha` painted on `under`, as QPainter blends: in sRGB values (so
    `mix(a, b, t)` of the views is `b` at `t` over `a`)."""
    return (
        over[0] * alpha + under[0] * (1 - alpha),
        over[1] * alpha + under[1] * (1 - alpha),
        over[2] * alpha + under[2] * (1 - alpha),
    )


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


# -- what is drawn --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One paint of a stack: a theme colour (or `#RRGGBB`) at an opacity."""

    color: str
    alpha: float = 1.0

    def __str__(self) -> str:
        return self.color if self.alpha >= 1 else f"{self.color} at {round(self.alpha * 100)} %"


def layers(spec: str) -> tuple[Layer, ...]:
    """`"background + panel@0.9"`: the background, then the panel at 90 % over it."""
    out = []
    for part in spec.split("+"):
        name, _, alpha = part.strip().partition("@")
        out.append(Layer(name, float(alpha) if alpha else 1.0))
    return tuple(out)


@dataclass(frozen=True)
class Pair:
    """A colour drawn on another, where the kiosk draws it and what it must be seen as.

    `ink` and `ground` are stacks of paints, bottom first (`"background + panel@0.9"`: the
    chrome's button fill over the slide's background); the ink is painted over the ground.
    Text has a `size` (a name of the theme's type scale or design px: the smallest it is
    drawn at, for text fitted down to a floor) that decides between text and large text."""

    used: str
    ink: str
    ground: str
    kind: Kind = "text"
    size: str | float | None = None
    bold: bool = False

    def px(self, theme: Theme) -> float | None:
        if self.size is None:
            return None
        return float(getattr(theme.type, self.size)) if isinstance(self.size, str) else self.size

    def role(self, theme: Theme) -> Role:
        if self.kind != "text":
            return self.kind
        px = self.px(theme) or 0.0
        large = px >= LARGE_PX or (self.bold and px >= LARGE_BOLD_PX)
        return "large text" if large else "text"

    @property
    def named(self) -> str:
        """The theme colour the ink is: the one to change when the pair fails."""
        return layers(self.ink)[-1].color


B, P = "background", "background + panel"
BUTTON = "background + panel@0.9"
PRESSED = "background + teal@0.55"
CARD_CLOSE = "background + panel + background@0.8"

PAIRS: tuple[Pair, ...] = (
    # Every slide (ui/base.py): heading, intro, the source line in the foot band.
    Pair("slide heading", "text", B, size="title", bold=True),
    Pair("slide intro", "muted", B, size="body"),
    Pair("source line", "muted", B, size="caption"),
    # Title slide: over the rivers, under a vignette of the background (about 92 % where the
    # words are), so the background is what the words stand on.
    Pair("title slide kicker", "teal", B, size="body", bold=True),
    Pair("title slide title", "text", B, size="hero", bold=True),
    Pair("title slide subtitle and figure labels", "muted", B, size="caption"),
    Pair("title slide figures", "text", B, size="subtitle", bold=True),
    # Text and quote slides.
    Pair("text slide body", "text", B, size="caption"),
    Pair("text slide image caption", "muted", B, size="caption"),
    Pair("quote", "text", B, size="body"),
    Pair("quote attribution", "muted", B, size="caption"),
    # Metrics and icon tiles: on panels.
    Pair("tile label", "muted", P, size="caption"),
    Pair("tile figure", "text", P, size="subtitle", bold=True),
    Pair("tile key figure", "gold", P, size="subtitle", bold=True),
    Pair("tile chip", "text", "background + panel + teal@0.12", size="caption"),
    Pair("selected tile's edge", "teal", P, kind="graphic"),
    # Charts.
    Pair("chart axis and note", "muted", B, size="caption"),
    Pair("chart categories and values", "text", B, size="caption"),
    Pair("chart series 1 (teal)", "teal", B, kind="graphic"),
    Pair("chart series 2 (gold)", "gold", B, kind="graphic"),
    Pair("chart series 3 (sky)", "sky", B, kind="graphic"),
    Pair("ring chart arc (teal) on its track", "teal", "background + track", kind="graphic"),
    Pair("ring chart key arc (gold) on its track", "gold", "background + track", kind="graphic"),
    Pair("ring chart label", "text", P, size="caption"),
    Pair("ring chart items", "muted", P, size="caption"),
    # Timeline.
    Pair("timeline date", "teal", B, size="caption", bold=True),
    Pair("timeline label", "text", B, size="caption"),
    Pair("timeline dot", "teal", B, kind="graphic"),
    Pair("timeline first dot", "gold", B, kind="graphic"),
    # Diagram: node pills tinted with their hue, the gold hub solid with dark type.
    Pair("diagram node label", "text", "background + teal@0.22", size="caption"),
    Pair("diagram node edge", "teal", B, kind="graphic"),
    Pair("diagram hub label", "background", "background + gold", size="caption"),
    Pair("diagram connection label", "muted", B, size="caption"),
    Pair("diagram place dot", "sky", B, kind="graphic"),
    # Map: labels on a plate of the background at 80 % over the map's panel-like areas.
    Pair("map place label", "text", "background + panel + background@0.8", size="label"),
    Pair("map district label", "muted", "background + panel + background@0.8", size="label"),
    Pair("map caption", "teal + text@0.35", B, size="caption"),
    Pair("map schematic tag", "muted", "background + panel@0.8", size="caption"),
    Pair("map hub badge glyph", "background", "background + gold", kind="graphic"),
    Pair("map badge glyph", "text", "background + teal@0.22", kind="graphic"),
    # The chrome (ui/overlay.py): the foot band's controls, the hint, cards, the countdown.
    Pair(
        "band buttons' icons (listen, A+, contrast, previous, next, home)",
        "text",
        BUTTON,
        kind="control",
    ),
    Pair("band buttons' icons, pressed", "text", PRESSED, kind="control"),
    # An access control switched on (listen speaking, A+, contrast) is filled teal, its mark
    # dark: the fill tells it is on, so it too must be seen on the band.
    Pair("access control switched on: its fill", "teal", B, kind="control"),
    Pair("access control switched on: its mark", "background", "background + teal", kind="control"),
    Pair(
        "access control switched on, pressed: its mark",
        "background",
        "background + text",
        kind="control",
    ),
    Pair("language button, current language", "text", BUTTON, size=24, bold=True),
    Pair("language button, other language", "muted", BUTTON, size=24),
    Pair("progress dot, current slide", "teal", B, kind="control"),
    Pair("progress dots, other slides", "muted@0.55", B, kind="control"),
    # The hint's pill and fingertip breathe; its words are drawn at full strength.
    Pair("attract hint, first line", "text", "background + panel@0.92", size=25, bold=True),
    Pair("attract hint, second line", "muted", "background + panel@0.92", size=20),
    Pair("tap cue '+' on its disc", "background", "background + teal", kind="control"),
    Pair("tap cue disc on a panel", "teal", P, kind="control"),
    Pair("card title", "text", P, size=28, bold=True),
    Pair("card text", "text", P, size="caption"),
    Pair("card close button", "text", CARD_CLOSE, kind="control"),
    Pair("idle countdown text", "text", P, size=20, bold=True),
    Pair("idle countdown, second line", "muted", P, size=20),
    Pair("keep exploring button", "background", "background + gold", size=18.7, bold=True),
    Pair("keep exploring button, pressed", "background", "background + teal", size=18.7, bold=True),
)
"""The colour pairs the views and the chrome draw (read from kiosk/ui/slides, base.py and
overlay.py), each at the smallest size it is set. Left out on purpose: what is decoration
(WCAG 1.4.11 asks nothing of it): panel edges and hairlines, the gold rule under a heading,
the title slide's ribbons, glows, the card's dimming veil, pulses and ripples, an image's
placeholder; a panel's fill against the background (its text and icon say what it is); a
ring chart's track against the background (the arc on the track shows the share, and the
figure is written in the ring)."""


def stack_color(spec: str, colors: Colors, under: RGB | None = None) -> RGB:
    """The colour a stack of paints makes (over `under`, or from its opaque first paint)."""
    out = under
    for layer in layers(spec):
        value = getattr(colors, layer.color, None) if not layer.color.startswith("#") else None
        rgb, alpha = parse_color(str(value) if value is not None else layer.color)
        alpha *= layer.alpha
        out = rgb if out is None else composite(rgb, alpha, out)
        if out is None:  # pragma: no cover - the first paint always sets it
            raise ValueError(spec)
    if out is None:
        raise ValueError(f"an empty stack: {spec!r}")
    return out


@dataclass(frozen=True)
class Measured:
    """A pair measured in one theme."""

    pair: Pair
    role: Role
    ratio: float
    minimum: float
    ink: RGB
    ground: RGB

    @property
    def passed(self) -> bool:
        # Rounded as WCAG's figures are read: 4.499 is not 4.5.
        return self.ratio + 1e-9 >= self.minimum


def measure(theme: Theme, pairs: Sequence[Pair] = PAIRS) -> Iterator[Measured]:
    """Every pair's contrast in `theme` (ValueError when a colour cannot be read)."""
    for pair in pairs:
        ground = stack_color(pair.ground, theme.colors)
        ink = stack_color(pair.ink, theme.colors, ground)
        role = pair.role(theme)
        yield Measured(pair, role, contrast_ratio(ink, ground), MINIMUM[role], ink, ground)


def nearest_passing(measured: Measured, colors: Colors) -> str:
    """What would make a failing pair pass, nearest first: a higher opacity for a translucent
    ink (`muted at 45 % raised to 51 %`), else the ink's theme colour moved toward white or
    black (whichever the ground allows) by the least step, at the opacity it is drawn at
    (`muted #7B878F`)."""
    pair = measured.pair
    stack = layers(pair.ink)
    top = stack[-1]
    if top.alpha < 1:
        for step in range(round(top.alpha * 100) + 1, 101):
            spec = " + ".join(
                [*(f"{s.color}@{s.alpha}" for s in stack[:-1]), f"{top.color}@{step / 100}"]
            )
            ink = stack_color(spec, colors, measured.ground)
            if contrast_ratio(ink, measured.ground) + 1e-9 >= measured.minimum:
                return f"{top} raised to {step} %"
    base = getattr(colors, top.color, top.color)
    rgb, _ = parse_color(str(base))
    darker = relative_luminance(measured.ground) > 0.18
    target: RGB = (0.0, 0.0, 0.0) if darker else (1.0, 1.0, 1.0)
    for step in range(1, 101):
        moved = composite(target, step / 100, rgb)
        candidate = to_hex(moved)
        spec = " + ".join(
            [*(f"{s.color}@{s.alpha}" for s in stack[:-1]), f"{candidate}@{top.alpha}"]
        )
        ink = stack_color(spec, colors, measured.ground)
        if contrast_ratio(ink, measured.ground) + 1e-9 >= measured.minimum:
            return f"{top.color} {candidate}"
    return f"{top.color} {'#000000' if darker else '#FFFFFF'}"
