"""The audit's screen check: the chrome's controls and every slide's tap targets measured in
millimetres and metres above the floor, on the hall's screen or the deck's reference screens."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QRectF, Qt

from kiosk.content.audit import AuditContext, Check, Finding
from kiosk.content.model.screen import Mounting
from kiosk.content.physical import MIN_TARGET_MM, Physical
from kiosk.content.problems import ContentError
from kiosk.content.theme import load_theme
from kiosk.content.visible import Location
from kiosk.show.hits import Control, Dot
from kiosk.ui import chrome
from kiosk.ui.base import SETTLED, HitTarget
from kiosk.ui.draw.grid import Grid
from kiosk.ui.slides import create_view

DISPLAY = "display"
"""`AuditContext.extra[DISPLAY]`: the hall's screen, `(file, Mounting)` from kiosk.yaml's
`display:` (the deck's reference screens when absent)."""
NO_DISPLAY = "no-display"
"""`AuditContext.extra[NO_DISPLAY]`: the configuration file given, which has no `display:`."""
REPORT = "screens"
"""`AuditContext.extra[REPORT]`: what the check measured on each screen, for the JSON."""


@dataclass(frozen=True)
class Screen:
    """A screen to measure on, and where a finding about it is placed."""

    physical: Physical
    at: Location


def audited_screens(ctx: AuditContext) -> list[Screen]:
    """The hall's screen when a configuration gave one, else the deck's reference screens."""
    given = ctx.extra.get(DISPLAY)
    if given is None and NO_DISPLAY in ctx.extra:
        return []
    if given is not None:
        file, mounting = given
        assert isinstance(mounting, Mounting)
        return [Screen(Physical.of("the hall's screen", mounting), Location(file, ("display",)))]
    return [
        Screen(Physical.of(s.name, s), Location("deck.yaml", ("audit", "screens", i)))
        for i, s in enumerate(ctx.settings.screens)
    ]


@dataclass(frozen=True)
class Measured:
    """One control or target on one screen: its name, its size in mm, its top above the floor."""

    name: str
    width_mm: float
    height_mm: float
    top_m: float

    @property
    def smaller_mm(self) -> float:
        return min(self.width_mm, self.height_mm)


def _measure(screen: Physical, name: str, rect: QRectF) -> Measured:
    w, h = screen.size_mm(rect.width(), rect.height())
    return Measured(name, w, h, screen.height_m(rect.top()))


def _control_name(key: Control | Dot) -> str:
    """The JSON's name of a control: its value (`listen`, `next`), the progress dots `dots`."""
    return "dots" if isinstance(key, Dot) else key.value


def said(name: str) -> tuple[str, str]:
    """How a message names a control (`the 'listen' control`), and its verb."""
    if name == "dots":
        return "the progress dots", "are"
    if name == "keep":
        return "the 'keep exploring' button", "is"
    if name == "card-close":
        return "a card's close button", "is"
    return f"the {name!r} control", "is"


def band_controls(grid: Grid, count: int, reach: float | None) -> list[tuple[str, QRectF]]:
    """The band's controls a visitor taps, by name (access controls, navigation, the progress
    dots together): each must be within reach. `reach`: the pixel row of the reach line,
    which the chrome keeps its controls below where it can, as the running kiosk does."""
    return [(_control_name(b.key), b.rect) for b in chrome.controls(grid, count, reach)]


def passing_controls(grid: Grid, count: int) -> list[tuple[str, QRectF]]:
    """The chrome's controls whose size matters but not their reach: the idle countdown's
    "keep exploring" (any touch keeps the visit going) and a card's close button (a card
    opens anywhere in the frame, and a tap anywhere outside it closes it too)."""
    close = chrome.card_close_rect(grid, QRectF(0, 0, grid.width, grid.height))
    return [("keep", chrome.keep_rect(grid, count)), ("card-close", close)]


def _worst(items: Sequence[Measured]) -> dict[str, Measured]:
    """Per name, the smallest (and for reach, the highest) of its items: the progress dots
    are one finding, not one a slide."""
    out: dict[str, Measured] = {}
    for m in items:
        seen = out.get(m.name)
        if seen is None:
            out[m.name] = m
        else:
            out[m.name] = Measured(
                m.name,
                min(seen.width_mm, m.width_mm),
                min(seen.height_mm, m.height_mm),
                max(seen.top_m, m.top_m),
            )
    return out


def _slide_targets(
    ctx: AuditContext, index: int, size: tuple[int, int]
) -> list[tuple[str, HitTarget]]:
    """A slide's tap targets at `size` in each of the deck's languages: one view per slide
    and screen, built off screen, settled and laid out in each language in turn (a label's
    length moves what is placed around it)."""
    deck = ctx.deck
    languages = list(deck.settings.languages)
    view = create_view(deck, deck.slides[index], lang=languages[0])
    found: list[tuple[str, HitTarget]] = []
    try:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.resize(*size)
        view.show()
        for lang in languages:
            view.set_language(lang)
            view.set_elapsed(SETTLED)
            found += [(lang, target) for target in view.hit_targets()]
        return found
    finally:
        view.close()
        # Freed now: the audit runs no event loop, so a deleteLater would keep every view.
        shiboken6.delete(view)


def _slide_at(ctx: AuditContext, index: int) -> Location:
    return Location(ctx.deck.slide_files[index], ("id",))


def _too_small(
    screen: Screen, what: str, verb: str, m: Measured, at: Location, slide: str | None
) -> Finding:
    return Finding(
        "target-size",
        f"{screen.physical.describe()}: {what} {verb} {m.width_mm:.1f} x {m.height_mm:.1f} mm, "
        f"under the {MIN_TARGET_MM:g} mm a fingertip needs on its smaller side",
        at,
        slide,
        severity="error",
    )


def _out_of_reach(phys: Physical, m: Measured) -> bool:
    """A target is reached by its lowest part: out of reach when less than a fingertip of it
    (or of a smaller one, all of it) is below the reach line."""
    reachable = m.height_mm - (m.top_m - phys.reach_m) * 1000
    return reachable < min(MIN_TARGET_MM, m.height_mm) - 1e-6


def _in(langs: Sequence[str], ctx: AuditContext) -> tuple[str, str | None]:
    """` (en)` when a finding holds in some of the deck's languages only, and that language."""
    if len(langs) == len(ctx.languages):
        return "", None
    return f" ({', '.join(langs)})", langs[0] if len(langs) == 1 else None


def measure_slide(
    ctx: AuditContext, screen: Screen, index: int, found: Sequence[tuple[str, HitTarget]]
) -> Iterator[Finding]:
    """A slide's tap targets, each at least 9 mm and within reach in every language (those
    out of reach said together, by their lowest edge)."""
    phys = screen.physical
    slide = ctx.deck.slides[index]
    at = _slide_at(ctx, index)
    by_key: dict[str, list[tuple[str, Measured]]] = {}
    for lang, target in found:
        by_key.setdefault(target.key, []).append((lang, _measure(phys, target.key, target.rect)))
    high: list[str] = []
    for key, seen in by_key.items():
        small = [(lang, m) for lang, m in seen if m.smaller_mm < MIN_TARGET_MM]
        if small:
            shown, only = _in([lang for lang, _ in small], ctx)
            m = min((m for _, m in small), key=lambda m: m.smaller_mm)
            finding = _too_small(
                screen, f"{slide.id}: the tap target {key}{shown}", "is", m, at, slide.id
            )
            yield replace(finding, language=only)
        out = [(lang, m) for lang, m in seen if _out_of_reach(phys, m)]
        if out:
            shown, _ = _in([lang for lang, _ in out], ctx)
            lowest = min(m.top_m - m.height_mm / 1000 for _, m in out)
            high.append(f"{key}{shown} {lowest:.3f} m")
    if high:
        many = len(high) != 1
        yield Finding(
            "reach",
            f"{phys.describe()}: {slide.id}: {len(high)} tap target{'s' if many else ''} "
            f"above the reach of {phys.reach_m:g} m (lowest edge{'s' if many else ''}: "
            f"{', '.join(high)}): a visitor in a wheelchair cannot open "
            f"{'their cards' if many else 'its card'}",
            at,
            slide.id,
        )


def check_screens(ctx: AuditContext) -> Iterator[Finding]:
    """On each screen: every control and tap target at least 9 mm on its smaller side, every
    control of the chrome within reach (its top edge at most `reach` above the floor: an
    error); a slide's tap target above reach is a warning (a card is content; the band's
    controls are what every visitor must be able to reach)."""
    theme = load_theme(ctx.deck.settings.theme)
    count = len(ctx.deck.slides)
    report: list[dict[str, Any]] = []
    ctx.extra[REPORT] = report
    if NO_DISPLAY in ctx.extra:
        yield Finding(
            "reach",
            "the configuration has no display: section, so no screen was measured: give the "
            "hall's screen (diagonal or width_mm and height_mm, resolution, bottom, reach)",
            Location(ctx.extra[NO_DISPLAY], ()),
        )
    for screen in audited_screens(ctx):
        phys = screen.physical
        grid = Grid(float(phys.width_px), float(phys.height_px), theme)
        measured = _worst(
            [
                _measure(phys, name, rect)
                for name, rect in band_controls(grid, count, phys.reach_row())
            ]
        )
        passing = [_measure(phys, name, rect) for name, rect in passing_controls(grid, count)]
        for m in [*measured.values(), *passing]:
            if m.smaller_mm < MIN_TARGET_MM:
                yield _too_small(screen, *said(m.name), m, screen.at, None)
        for m in measured.values():
            if m.top_m > phys.reach_m + 1e-9:
                yield Finding(
                    "reach",
                    f"{phys.describe()}: {said(m.name)[0]}'s top edge is {m.top_m:.2f} m above the "
                    f"floor, out of reach ({phys.reach_m:g} m: a visitor in a wheelchair, "
                    "ADA 308.2, EN 17210): mount the screen lower",
                    screen.at,
                    severity="error",
                )
        targets = 0
        smallest: Measured | None = None
        for index, slide in enumerate(ctx.deck.slides):
            try:
                found = _slide_targets(ctx, index, phys.size)
            except Exception as exc:  # one view that cannot be laid out: said, not a crash
                yield Finding(
                    "target-size",
                    f"{phys.describe()}: {slide.id}: its view cannot be laid out to measure "
                    f"its tap targets ({type(exc).__name__}: {exc})",
                    _slide_at(ctx, index),
                    slide.id,
                    severity="error",
                )
                continue
            yield from measure_slide(ctx, screen, index, found)
            for _, target in found:
                targets += 1
                m = _measure(phys, target.key, target.rect)
                if smallest is None or m.smaller_mm < smallest.smaller_mm:
                    smallest = m
        band = [*measured.values(), *passing]
        report.append(
            {
                "name": phys.name,
                "resolution": f"{phys.width_px}x{phys.height_px}",
                "width_mm": round(phys.width_mm, 1),
                "height_mm": round(phys.height_mm, 1),
                "bottom": phys.bottom_m,
                "top": round(phys.top_m, 3),
                "reach": phys.reach_m,
                "mm_per_px": round(phys.mm_per_px[1], 4),
                "controls": {
                    m.name: {
                        "width_mm": round(m.width_mm, 1),
                        "height_mm": round(m.height_mm, 1),
                        # A card's close button is wherever its card opens.
                        "top": None if m.name == "card-close" else round(m.top_m, 3),
                    }
                    for m in band
                },
                "highest_control": round(max(m.top_m for m in measured.values()), 3),
                "smallest_control_mm": round(min(m.smaller_mm for m in band), 1),
                "targets": targets,
                "smallest_target_mm": None if smallest is None else round(smallest.smaller_mm, 1),
            }
        )


def screen_audit(
    config: Path | None,
) -> tuple[list[Check], dict[str, Any], Path | None] | None:
    """`kiosk audit`'s checks with the screen check added, what it reads (the hall's display
    from the configuration `config`, when given) and the configuration's content folder.
    None when the configuration is not valid (its problems printed, as `kiosk validate`
    prints a folder's)."""
    from kiosk.content.audit import CHECKS
    from kiosk.ops.config import load_config
    from kiosk.ui.app import ensure_app

    extra: dict[str, Any] = {}
    content = None
    if config is not None:
        try:
            loaded = load_config(config)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"{config}: not valid; `python -m kiosk.ops.config {config}` says the same")
            return None
        content = loaded.content
        if loaded.display is not None:
            extra[DISPLAY] = (str(config.absolute()), loaded.display)
        else:
            extra[NO_DISPLAY] = str(config.absolute())
    ensure_app(offscreen=True)
    return [*CHECKS, check_screens], extra, content
