"""The slide view base class: background, heading, foot line, entry timing and the layout memo.

A slide view is a view of one slide of the Deck: it takes the model in `__init__`, keeps no
content state of its own and paints itself with QPainter at any size. Its entry animation is a
pure function of `elapsed` (seconds since the slide appeared), which the stage sets from the
show's one clock, so tests and `kiosk render` can put a slide in any moment of its animation.
Drawing helpers (grid, text, painting, easing) are in the toolbox, `kiosk.ui.draw`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from kiosk.content.format import text_of
from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase, Text
from kiosk.content.model.screen import DEFAULT_SCREENS
from kiosk.content.physical import above_reach
from kiosk.content.theme import Theme, load_theme
from kiosk.content.typeset import typeset
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import ease_out
from kiosk.ui.draw.paint import device_ratio, fit_aspect, pixmap_layer, theme_color
from kiosk.ui.draw.text import balanced_width, draw_text, fit_font, text_size, unwidowed
from kiosk.ui.images import load_image

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    # A default lets code that does not care about a view's layout write plain `SlideView`
    # (typing's TypeVar takes a default only from Python 3.13; mypy reads typing_extensions).
    from typing_extensions import TypeVar as DefaultTypeVar

    L = DefaultTypeVar("L", default=Any)
else:
    L = TypeVar("L")
"""A view's layout: where everything goes at one size and language."""

SETTLED = 1e6
"""An `elapsed` long after every entry animation has ended."""
PORTRAIT_REACH = 0.43
"""On a portrait screen a seated visitor reaches the part below this share of its height (a
55-inch portrait screen mounted 0.5 m from the floor: 1.2 m is 43% down, the audit's reference
screen; the hall's own screen is checked by `kiosk audit --config`), so every element a
visitor taps for a card reaches below it."""
LANDSCAPE_REACH = above_reach(DEFAULT_SCREENS[0])
"""On a landscape screen the share above a seated visitor's reach (a 55-inch screen from
0.75 m, the audit's reference: 1.2 m is 34% down): only an element that would start above it
comes down (an English map's top places did)."""
REACH_LEAD = 48.0
"""Design px an element may start above the reach row: its lower part is in reach."""
REACH_FINGER = 16.0
"""Design px of a tappable element that must lie below the reach row (a fingertip, 9 mm)."""
REACH_LEAST = 0.55
"""The share of the content area the reachable part must keep, or the whole area is used (a
crowded chart fills the screen rather than crowding below the reach line)."""


@dataclass(frozen=True)
class HeadingLayout:
    """A slide's heading blocks (rect, text, font, colour), accent rule and content area."""

    blocks: list[tuple[QRectF, str, QFont, str]]
    rule: QRectF | None
    content: QRectF


@dataclass(frozen=True)
class HitTarget:
    """A tappable element of a slide: where it is and what its detail card says."""

    key: str
    rect: QRectF
    title: Text | None
    detail: Text


class SlideView(QWidget, Generic[L]):
    """Base of the slide views: background, heading, foot line, entry timing, layout memo.

    A view measures its layout in `arrange` and reads it through `arranged()`, which keeps
    it until the size or the language changes: layouts are measured once, not every frame.
    """

    static_chrome = True
    """Background, heading and foot never move, so they are painted once and reused; a view
    whose background is animated says False."""

    def __init__(
        self,
        deck: Deck,
        slide: SlideBase,
        *,
        lang: str,
        theme: Theme | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.deck = deck
        self.slide = slide
        self.theme = theme or load_theme(deck.settings.theme)
        self._lang = lang
        self._elapsed = 0.0
        self._highlight: str | None = None
        self._chrome_cache: tuple[tuple[object, ...], QPixmap, QRectF] | None = None
        self._arranged: tuple[tuple[int, int, str], L] | None = None
        self.failed = False
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAutoFillBackground(False)
        self.setup()

    def setup(self) -> None:
        """Called at the end of `__init__`: views set up their own caches and child widgets."""

    def arranged(self) -> L:
        """The layout at the view's size and language, measured by `arrange` when either
        changed (and then handed to `layout_changed`), else the one measured before."""
        key = (self.width(), self.height(), self._lang)
        if self._arranged is None or self._arranged[0] != key:
            self._arranged = (key, self.arrange(self.grid))
            self.layout_changed(self._arranged[1])
        return self._arranged[1]

    def arrange(self, grid: Grid) -> L:
        """Measure where everything goes at `grid` (called only through `arranged`)."""
        raise NotImplementedError(f"{type(self).__name__} has no layout")

    def layout_changed(self, layout: L) -> None:
        """Called with each newly measured layout (views with child widgets place them here)."""

    # -- state set from outside ----------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self._lang

    def set_language(self, lang: str) -> None:
        """Show every string in `lang`, keeping the slide's moment in its animation."""
        if lang != self._lang:
            self._lang = lang
            self.language_changed()
            self.update()

    @property
    def elapsed(self) -> float:
        return self._elapsed

    def set_elapsed(self, seconds: float) -> None:
        """Put the slide at `seconds` after it appeared."""
        self._elapsed = max(0.0, seconds)
        self.elapsed_changed()
        self.update(self.animated_rect())

    def animated_rect(self) -> QRect:
        """What an animation frame can change: the content area below the heading when the
        heading and foot are static (repainting less is most of what makes a frame cheap)."""
        if self.static_chrome and self._chrome_cache is not None:
            return self._chrome_cache[2].toAlignedRect().adjusted(-2, -2, 2, 2)
        return self.rect()

    def settle(self) -> None:
        """Jump to the end of every entry animation."""
        self.set_elapsed(SETTLED)

    def is_settled(self) -> bool:
        return self.calm or self._elapsed >= self.entry_duration()

    def set_highlight(self, key: str | None) -> None:
        """Mark the element `key` as pressed or selected (None for none)."""
        if key != self._highlight:
            self._highlight = key
            self.update()

    @property
    def highlight(self) -> str | None:
        return self._highlight

    @property
    def calm(self) -> bool:
        """No non-essential motion: the curator's `reduce_motion` or a calm theme (the visitor's
        high-contrast one); every element then appears settled from the first frame."""
        return self.deck.settings.loop.reduce_motion or self.theme.motion.calm

    # -- for subclasses --------------------------------------------------------------------------

    def entry_duration(self) -> float:
        """Seconds until the entry animation is over."""
        return self.theme.motion.entry_ms / 1000

    def entry(self, index: int = 0, *, delay: float = 0.0, length: float | None = None) -> float:
        """0→1 progress of the `index`-th element's entry, staggered after `delay` seconds."""
        if self.calm:
            return 1.0
        motion = self.theme.motion
        start = delay + index * motion.stagger_ms / 1000
        span = length if length is not None else motion.entry_ms / 1000
        return ease_out((self._elapsed - start) / span) if span > 0 else 1.0

    def language_changed(self) -> None:
        """Called after the language changed (views with child widgets update them here)."""

    def elapsed_changed(self) -> None:
        """Called after `elapsed` changed (views with child widgets update them here)."""

    def hit_targets(self) -> list[HitTarget]:
        """The tappable elements, in screen coordinates of this view."""
        return []

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        """Paint the slide's own content into `rect` (the frame below the heading)."""

    def heading(self) -> Text | None:
        """The slide's heading, painted by the base class (None: the view paints its own)."""
        return getattr(self.slide, "title", None)

    def intro(self) -> Text | None:
        """A sentence under the heading, if the slide has one."""
        return getattr(self.slide, "intro", None)

    # -- helpers ---------------------------------------------------------------------------------

    def paint_icon(self, painter: QPainter, path: str, rect: QRectF) -> None:
        """A content image (an icon) fitted into `rect`, kept to its aspect."""
        # Through the images module, as every image: a hostile SVG is refused there and an
        # accepted one drawn out of process, and a raster bomb is refused by its header.
        ratio = device_ratio(painter)
        size = QSize(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
        icon = load_image(self.deck.asset(path), size)
        if icon is not None and icon.width() > 0 and icon.height() > 0:
            painter.drawImage(fit_aspect(rect, icon.width() / icon.height()), icon)

    def t(self, text: Text | None) -> str:
        """A content text in the current language, typeset: as it is drawn (Chinese joined
        into words and the deck's glossary terms, curly quotes, en dashes)."""
        return self.typeset(text_of(text, self._lang))

    def typeset(self, text: str) -> str:
        """`text` (already in the current language) as it is drawn."""
        return typeset(text, self._lang, self.deck.settings.glossary)

    @property
    def grid(self) -> Grid:
        return Grid(float(self.width()), float(self.height()), self.theme)

    def color(self, name: str, alpha: float = 1.0) -> QColor:
        """The theme's colour `name` at opacity `alpha`."""
        return theme_color(self.theme, name, alpha)

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            grid = self.grid
            if self.failed:
                self.paint_background(painter, grid)
                return
            try:
                if self.static_chrome:
                    chrome, content = self._chrome(painter, grid)
                    painter.drawPixmap(0, 0, chrome)
                else:
                    self.paint_background(painter, grid)
                    content = self.paint_heading(painter, grid)
                    self.paint_footer(painter, grid)
                self.paint_content(painter, grid, content)
            except Exception:
                # One broken slide must not take the show down: log it once, paint it blank,
                # and let the window move on.
                log.exception("slide %s cannot be painted; it will be skipped", self.slide.id)
                self.failed = True
                painter.fillRect(self.rect(), self.color("background"))
        finally:
            painter.end()

    def _chrome(self, painter: QPainter, grid: Grid) -> tuple[QPixmap, QRectF]:
        """Background, heading and foot line, painted once per size and language: animation
        frames then repaint only what moves."""
        ratio = device_ratio(painter)
        key = (round(grid.width), round(grid.height), self._lang, ratio)
        if self._chrome_cache is not None and self._chrome_cache[0] == key:
            return self._chrome_cache[1], self._chrome_cache[2]
        with pixmap_layer(grid.width, grid.height, ratio) as (pixmap, layer):
            self.paint_background(layer, grid)
            content = self.paint_heading(layer, grid)
            self.paint_footer(layer, grid)
        self._chrome_cache = (key, pixmap, content)
        return pixmap, content

    def paint_background(self, painter: QPainter, grid: Grid) -> None:
        painter.fillRect(QRectF(0, 0, grid.width, grid.height), self.color("background"))
        # A faint river line along the foot: the one decoration every slide shares.
        painter.setPen(self.color("teal", 0.18))
        y = grid.footer.top()
        painter.drawLine(QPointF(grid.margin, y), QPointF(grid.width - grid.margin, y))

    def heading_layout(self, grid: Grid) -> HeadingLayout:
        """Where the heading, its accent rule and the intro go, measured without painting."""
        frame = grid.frame
        heading = self.heading()
        if heading is None:
            return HeadingLayout([], None, frame)
        blocks: list[tuple[QRectF, str, QFont, str]] = []
        title_px = grid.px(self.theme.type.title)
        rect = QRectF(frame.left(), frame.top(), frame.width(), title_px * 2.8)
        text = self.t(heading)
        font = fit_font(text, rect, title_px, bold=True, max_lines=2)
        font = unwidowed(text, font, rect.width())
        # Balanced: two even lines rather than a long one and a lonely last word.
        rect.setWidth(balanced_width(text, font, rect.width()))
        used = text_size(text, font, rect.width()).translated(rect.topLeft())
        blocks.append((rect, text, font, self.theme.colors.text))
        y = used.bottom() + grid.px(18)
        rule = QRectF(frame.left(), y, grid.px(72), grid.px(5))
        top = rule.bottom() + grid.px(28)
        intro = self.intro()
        if intro is not None:
            body_px = grid.px(self.theme.type.body)
            width = frame.width() * (1 if grid.portrait else 0.7)
            irect = QRectF(frame.left(), top, width, body_px * 3)
            itext = self.t(intro)
            ifont = fit_font(itext, irect, body_px, max_lines=2)
            blocks.append((irect, itext, ifont, self.theme.colors.muted))
            irect.setWidth(balanced_width(itext, ifont, irect.width()))
            top = text_size(itext, ifont, irect.width()).translated(irect.topLeft()).bottom()
            top += grid.px(24)
        content = QRectF(frame.left(), top, frame.width(), frame.bottom() - top)
        return HeadingLayout(blocks, rule, content)

    def content_rect(self, grid: Grid) -> QRectF:
        """The area below the heading and intro, where the slide's own content goes."""
        return self.heading_layout(grid).content

    def reach_top(self, grid: Grid) -> float | None:
        """The highest row a tappable element should start at on a portrait screen (a seated
        visitor's reach, less an element's lead); None in landscape, reached whole."""
        if not grid.portrait:
            return None
        return grid.height * PORTRAIT_REACH - grid.px(REACH_LEAD)

    def lowered(self, grid: Grid, top: float, height: float, bottom: float, first: float) -> float:
        """Where a block of tappable elements `height` tall, placed at `top`, goes instead on
        a portrait screen: down as far as its first row (`first` px from its top) needs to be
        in a seated visitor's reach, and as the room above `bottom` lets."""
        short = self.reach_shortfall(grid, [QRectF(0, top, 1, first)])
        return max(top, min(top + short, bottom - height))

    def reach_shortfall(self, grid: Grid, rects: list[QRectF]) -> float:
        """How far the highest of `rects` (tappable elements) must come down for a fingertip
        of it to be in a seated visitor's reach (on the reference screens, portrait or
        landscape); 0 when all are."""
        if not rects:
            return 0.0
        share = PORTRAIT_REACH if grid.portrait else LANDSCAPE_REACH
        row = grid.height * share + grid.px(REACH_FINGER)
        return max(0.0, max(row - rect.bottom() for rect in rects))

    def reach_rect(self, grid: Grid, rect: QRectF | None = None) -> QRectF:
        """`rect` (the content area by default) without what lies above a seated visitor's
        reach on a portrait screen, for a view whose elements fill the area they are given
        (the whole area when too little would be left)."""
        area = QRectF(rect if rect is not None else self.content_rect(grid))
        reach = self.reach_top(grid)
        if reach is None or reach <= area.top():
            return area
        if area.bottom() - reach < REACH_LEAST * area.height():
            return area
        area.setTop(reach)
        return area

    def paint_heading(self, painter: QPainter, grid: Grid) -> QRectF:
        """Paint the heading and intro; return the content area left below them."""
        layout = self.heading_layout(grid)
        for rect, text, font, color in layout.blocks:
            draw_text(painter, rect, text, font, color)
        if layout.rule is not None:
            # A short gold rule under the heading: the slide's single accent mark.
            painter.fillRect(layout.rule, self.color("gold"))
        return layout.content

    def paint_footer(self, painter: QPainter, grid: Grid) -> None:
        sources = self.deck.source(self.slide)
        if not sources:
            return
        text = self.typeset("  ·  ".join(text_of(s, self._lang) for s in sources))
        rect = QRectF(grid.source_rect)  # the rest of the band is kept for navigation
        flags = int(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        font = fit_font(text, rect, grid.px(self.theme.type.caption), flags=flags, max_lines=2)
        rect.setWidth(balanced_width(text, font, rect.width(), flags))
        draw_text(painter, rect, text, font, self.theme.colors.muted, flags)
