"""Pixels as millimetres and metres above the floor, on a screen as it is mounted."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.model.screen import Mounting, parse_resolution

MIN_TARGET_MM = 9.0
"""The smallest side of a touch target: 9 mm (about a fingertip's pad; ISO 9241-9 and the
usual touch-screen guidance ask 9 to 10 mm, WCAG 2.2's 2.5.8 its 24 CSS px at arm's length)."""


@dataclass(frozen=True)
class Physical:
    """A screen's picture in the hall: its pixels, its millimetres, where it hangs."""

    name: str
    width_px: int
    height_px: int
    width_mm: float
    height_mm: float
    bottom_m: float
    reach_m: float

    @classmethod
    def of(cls, name: str, mounting: Mounting) -> Physical:
        w, h = parse_resolution(mounting.resolution)
        width_mm, height_mm = mounting.size_mm()
        return cls(name, w, h, width_mm, height_mm, mounting.bottom, mounting.reach)

    @property
    def size(self) -> tuple[int, int]:
        return self.width_px, self.height_px

    @property
    def mm_per_px(self) -> tuple[float, float]:
        """Millimetres a pixel is wide and high."""
        return self.width_mm / self.width_px, self.height_mm / self.height_px

    def size_mm(self, width_px: float, height_px: float) -> tuple[float, float]:
        """A rectangle's width and height in millimetres."""
        x, y = self.mm_per_px
        return width_px * x, height_px * y

    def height_m(self, y_px: float) -> float:
        """Metres above the floor of the pixel row `y_px` (0 at the picture's top edge)."""
        return self.bottom_m + (self.height_px - y_px) * self.mm_per_px[1] / 1000

    @property
    def top_m(self) -> float:
        """The picture's top edge above the floor."""
        return self.height_m(0)

    def reach_row(self) -> float:
        """The pixel row at the reach height: a control whose top is below it (a larger y) is
        within reach (negative: the whole picture is; past the bottom: none of it)."""
        return self.height_px - (self.reach_m - self.bottom_m) * 1000 / self.mm_per_px[1]

    def describe(self) -> str:
        """`portrait-55 (1080x1920, 685 x 1218 mm, from 0.50 to 1.72 m)`."""
        return (
            f"{self.name} ({self.width_px}x{self.height_px}, "
            f"{self.width_mm:.0f} x {self.height_mm:.0f} mm, "
            f"from {self.bottom_m:.2f} to {self.top_m:.2f} m)"
        )


def reach_line(mounting: Mounting, height_px: float) -> float:
    """The pixel row of the reach line in a picture `height_px` high on the screen `mounting`
    describes (the running window's height, whatever the resolution it was audited at): the
    `reach` the chrome's controls keep below (`kiosk.ui.chrome.controls`)."""
    height_m = mounting.size_mm()[1] / 1000
    return height_px * (1 - (mounting.reach - mounting.bottom) / height_m)


def above_reach(mounting: Mounting) -> float:
    """The share of the picture's height, from its top edge, that is above the reach line (0
    when all of it is within reach, 1 when none is): what a view keeps its tapped elements
    below on that screen (`DEFAULT_SCREENS`: 0.34 on the landscape reference, 0.43 on the
    portrait one)."""
    height_m = mounting.size_mm()[1] / 1000
    return max(0.0, min(1.0, 1 - (mounting.reach - mounting.bottom) / height_m))
