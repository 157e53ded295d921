"""What every slide view shares: the design grid, painting helpers, entry timing, the foot line.

A slide view is a view of one slide of the Deck: it takes the model in `__init__`, keeps no
content state of its own and paints itself with QPainter at any size. Its entry animation is a
pure function of `elapsed` (seconds since the slide appeared), which the stage sets from the
show's one clock, so tests and `kiosk render` can put a slide in any moment of its animation.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar, cast

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from kiosk.content.loader import Deck
from kiosk.content.model import SlideBase, Text
from kiosk.show.format import text_of
from kiosk.ui.cache import ByteLRU
from kiosk.ui.fonts import ui_font
from kiosk.ui.theme import Theme, load_theme

log = logging.getLogger(__name__)
T = TypeVar("T")

SETTLED = 1e6
"""An `elapsed` long after every entry animation has ended."""
DESIGN_LANDSCAPE = (1920.0, 1080.0)
DESIGN_PORTRAIT = (1080.0, 1920.0)


@dataclass(frozen=True)
class Grid:
    """The design grid at a window size: 12 columns, margins and gutters, all scaled."""

    width: float
    height: float
    theme: Theme

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def scale(self) -> float:
        """Design pixels to screen pixels: 1.0 at 1920x1080 (or 1080x1920 in portrait)."""
        w, h = DESIGN_PORTRAIT if self.portrait else DESIGN_LANDSCAPE
        return min(self.width / w, self.height / h)

    def px(self, design: float) -> float:
        """A design size (pixels at 1920x1080) at this window size."""
        return design * self.scale

    @property
    def margin(self) -> float:
        return self.px(self.theme.space.margin)

    @property
    def gutter(self) -> float:
        return self.px(self.theme.space.gutter)

    @property
    def footer_height(self) -> float:
        # Portrait screens are narrow: the source line and the navigation take a row each.
        return self.px(self.theme.space.footer * (1.8 if self.portrait else 1.0))

    @property
    def frame(self) -> QRectF:
        """The area inside the outer margins, above the foot band."""
        m = self.margin
        return QRectF(m, m, self.width - 2 * m, self.height - m - self.footer_height)

    @property
    def footer(self) -> QRectF:
        """The foot band: the source line and the navigation controls."""
        height = self.footer_height
        return QRectF(self.margin, self.height - height, self.width - 2 * self.margin, height)

    @property
    def source_rect(self) -> QRectF:
        """Where the source line goes: the band's left half, or its upper row in portrait."""
        band = self.footer
        if self.portrait:
            return QRectF(band.left(), band.top(), band.width(), band.height() * 0.42)
        return QRectF(band.left(), band.top(), band.width() * 0.48, band.height())

    @property
    def nav_rect(self) -> QRectF:
        """Where the navigation controls go: the band's right half, or its lower row."""
        band = self.footer
        if self.portrait:
            top = band.top() + band.height() * 0.42
            return QRectF(band.left(), top, band.width(), band.bottom() - top)
        left = band.left() + band.width() * 0.5
        return QRectF(left, band.top(), band.right() - left, band.height())

    def columns(self, rect: QRectF, count: int) -> list[QRectF]:
        """`count` equal columns across `rect`, separated by gutters."""
        width = (rect.width() - self.gutter * (count - 1)) / count
        return [
            QRectF(rect.left() + i * (width + self.gutter), rect.top(), width, rect.height())
            for i in range(count)
        ]

    def cells(self, rect: QRectF, count: int, columns: int) -> list[QRectF]:
        """`count` cells in rows of `columns`, filling `rect`."""
        rows = math.ceil(count / columns)
        height = (rect.height() - self.gutter * (rows - 1)) / rows
        cells = []
        for i in range(count):
            row, col = divmod(i, columns)
            in_row = min(columns, count - row * columns)
            width = (rect.width() - self.gutter * (columns - 1)) / columns
            # A short last row is centred rather than left hanging.
            offset = (columns - in_row) * (width + self.gutter) / 2
            cells.append(
                QRectF(
                    rect.left() + offset + col * (width + self.gutter),
                    rect.top() + row * (height + self.gutter),
                    width,
                    height,
                )
            )
        return cells


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


# --- easing and timing ---


def clamp01(value: float) -> float:
    return 0.0 if value <= 0 else 1.0 if value >= 1 else value


def ease_out(t: float) -> float:
    """Cubic ease-out: fast start, gentle landing (count-ups, entries)."""
    t = clamp01(t)
    return 1 - (1 - t) ** 3


def ease_in_out(t: float) -> float:
    """Cubic ease-in-out (transitions)."""
    t = clamp01(t)
    return 4 * t**3 if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


# --- text ---


def blit(painter: QPainter, at: QPointF, pixmap: QPixmap) -> None:
    """Draw a cached pixmap on whole device pixels: at a fractional position the painter
    filters every pixel (smooth transform), several times slower and a little blurred."""
    ratio = pixmap.devicePixelRatioF()
    painter.drawPixmap(QPointF(round(at.x() * ratio) / ratio, round(at.y() * ratio) / ratio),
                       pixmap)  # fmt: skip


@contextmanager
def pixmap_layer(
    width: float, height: float, ratio: float, fill: QColor | None = None
) -> Iterator[tuple[QPixmap, QPainter]]:
    """A pixmap of `width` x `height` logical pixels (transparent unless `fill`) and an
    antialiasing painter on it, ended when the block ends: for everything cached as pixels."""
    pixmap = QPixmap(max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(fill if fill is not None else Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        yield pixmap, painter
    finally:
        painter.end()


WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def line_box_height(text: str, font: QFont) -> float:
    """The height of one unwrapped line of `text`: CJK glyphs come from the fallback face,
    whose lines are taller than the Latin face's `lineSpacing`, so measure the text itself."""
    metrics = QFontMetricsF(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    sample = text.split("\n", 1)[0] or "X"
    return max(
        metrics.lineSpacing(), metrics.boundingRect(QRectF(0, 0, 1e7, 1e6), flags, sample).height()
    )


def text_size(text: str, font: QFont, width: float, flags: int = WRAP) -> QRectF:
    """The box `text` needs when wrapped to `width`."""
    metrics = QFontMetricsF(font)
    return metrics.boundingRect(QRectF(0, 0, max(1.0, width), 1e6), flags, text)


def fit_font(
    text: str,
    rect: QRectF,
    px: float,
    *,
    bold: bool = False,
    min_px: float | None = None,
    flags: int = WRAP,
    max_lines: int | None = None,
) -> QFont:
    """The largest font from `px` down to `min_px` in which `text` fits `rect` when wrapped."""
    floor = min_px if min_px is not None else px * 0.55
    size = px
    while True:
        font = ui_font(size, bold=bold)
        box = text_size(text, font, rect.width(), flags)
        lines = box.height() / line_box_height(text, font)
        fits = box.height() <= rect.height() + 0.5 and box.width() <= rect.width() + 0.5
        if max_lines is not None:
            fits = fits and lines <= max_lines + 0.01
        if fits or size <= floor:
            return font
        size = max(floor, size * 0.93)


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    color: str | QColor,
    flags: int = WRAP,
) -> QRectF:
    """Draw wrapped text in `rect`; return the box it used.

    The laid-out text is kept as a pixmap: Qt lays text out again on every drawText, and
    animation frames draw the same labels sixty times a second while they fade in.
    """
    qcolor = QColor(color)
    ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
    key = (text, font.key(), qcolor.rgba(), round(rect.width() * 4), round(rect.height() * 4),
           flags, ratio)  # fmt: skip
    cached = _TEXTS.get(key)
    if cached is None:
        used = QFontMetricsF(font).boundingRect(QRectF(0, 0, rect.width(), rect.height()),
                                                flags, text)  # fmt: skip
        box = used.adjusted(-2, -2, 2, 2)
        with pixmap_layer(box.width(), box.height(), ratio) as (pixmap, layer):
            layer.setFont(font)
            layer.setPen(qcolor)
            layer.drawText(QRectF(-box.left(), -box.top(), rect.width(), rect.height()), flags,
                           text)  # fmt: skip
        cached = _TEXTS.put(key, (pixmap, used, box.topLeft()))
    pixmap, used, offset = cached
    blit(painter, rect.topLeft() + offset, pixmap)
    return used.translated(rect.topLeft())


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded to one line as YAML block text reads."""
    parts = [" ".join(p.split("\n")).strip() for p in text.strip().split("\n\n")]
    return [p for p in parts if p]


# --- cached shapes ---

_TEXTS: ByteLRU[tuple[QPixmap, QRectF, QPointF]] = ByteLRU(
    48 * 1024 * 1024, lambda item: item[0].width() * item[0].height() * 4
)


def _pixmap_bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


_PANELS: ByteLRU[QPixmap] = ByteLRU(48 * 1024 * 1024, _pixmap_bytes)


def draw_panel(
    painter: QPainter,
    rect: QRectF,
    radius: float,
    fill: QColor,
    edge: QColor | None = None,
    edge_width: float = 0.0,
    backdrop: QColor | None = None,
) -> None:
    """A rounded panel, drawn from a cached pixmap: on the software rasterizer a large
    antialiased rounded rect costs a third of a millisecond, a blit a few microseconds.
    With `backdrop` (the colour behind the panel) the pixmap is opaque, which blits faster."""
    ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
    width, height = rect.width(), rect.height()
    edge_rgba = edge.rgba() if edge is not None else 0
    back = backdrop.rgba() if backdrop is not None else 0
    key = (round(width * ratio), round(height * ratio), round(radius * ratio * 4), fill.rgba(),
           edge_rgba, round(edge_width * ratio * 4), back)  # fmt: skip
    pixmap = _PANELS.get(key)
    if pixmap is None:
        with pixmap_layer(width, height, ratio, backdrop) as (pixmap, shape):
            half = edge_width / 2
            shape.setPen(QPen(edge, edge_width) if edge is not None and edge_width > 0
                         else Qt.PenStyle.NoPen)  # fmt: skip
            shape.setBrush(fill)
            shape.drawRoundedRect(QRectF(half, half, width - 2 * half, height - 2 * half),
                                  radius, radius)  # fmt: skip
        _PANELS.put(key, pixmap)
    blit(painter, rect.topLeft(), pixmap)


_GLYPHS: ByteLRU[tuple[QPixmap, QPointF]] = ByteLRU(
    24 * 1024 * 1024, lambda item: _pixmap_bytes(item[0])
)
LARGE_TEXT_PX = 64
"""Above this size Qt draws every glyph as a path on every paint (its glyph cache stops at
64 px, and raising that limit makes large glyphs vanish on some paint devices)."""


def draw_figure_text(
    painter: QPainter, origin: QPointF, text: str, font: QFont, color: QColor
) -> None:
    """Draw one line of large text (a counting figure) at its baseline `origin`, each glyph
    blitted from a cache: a count-up repaints the same few digits sixty times a second."""
    ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
    if font.pixelSize() <= LARGE_TEXT_PX:
        # Small runs (a unit, "over") do not change while the figure counts: cache them whole.
        _draw_glyph(painter, origin, text, font, color, ratio)
        return
    metrics = QFontMetricsF(font)
    for i, char in enumerate(text):
        if not char.isspace():
            # The advance of everything before this glyph keeps the font's spacing and kerning.
            x = origin.x() + metrics.horizontalAdvance(text[:i])
            _draw_glyph(painter, QPointF(x, origin.y()), char, font, color, ratio)


def _draw_glyph(
    painter: QPainter, origin: QPointF, text: str, font: QFont, color: QColor, ratio: float
) -> None:
    """`text` at its baseline `origin`, from a cached pixmap of exactly that text."""
    key = (font.key(), color.rgba(), ratio, text)
    cached = _GLYPHS.get(key)
    if cached is None:
        pad = 2.0
        size = QFontMetricsF(font).boundingRect(text).adjusted(-pad, -pad, pad, pad)
        with pixmap_layer(size.width(), size.height(), ratio) as (pixmap, glyph):
            glyph.setFont(font)
            glyph.setPen(color)
            glyph.drawText(QPointF(-size.left(), -size.top()), text)
        cached = _GLYPHS.put(key, (pixmap, size.topLeft()))
    pixmap, offset = cached
    blit(painter, origin + offset, pixmap)


# --- the view ---


class SlideView(QWidget):
    """Base of the slide views: background, heading, foot line and entry timing."""

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
        self._memo: tuple[Hashable, object] | None = None
        self.failed = False
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAutoFillBackground(False)
        self.setup()

    def setup(self) -> None:
        """Called at the end of `__init__`: views set up their own caches and child widgets."""

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, kept until the window size, the language or `key` changes: layouts
        are measured once, not on every animation frame."""
        full = (self.width(), self.height(), self._lang, key)
        if self._memo is None or self._memo[0] != full:
            self._memo = (full, compute())
        return cast(T, self._memo[1])

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
        return self._elapsed >= self.entry_duration()

    def set_highlight(self, key: str | None) -> None:
        """Mark the element `key` as pressed or selected (None for none)."""
        if key != self._highlight:
            self._highlight = key
            self.update()

    @property
    def highlight(self) -> str | None:
        return self._highlight

    # -- for subclasses --------------------------------------------------------------------------

    def entry_duration(self) -> float:
        """Seconds until the entry animation is over."""
        return self.theme.motion.entry_ms / 1000

    def entry(self, index: int = 0, *, delay: float = 0.0, length: float | None = None) -> float:
        """0→1 progress of the `index`-th element's entry, staggered after `delay` seconds."""
        if self.deck.settings.loop.reduce_motion:
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

    def t(self, text: Text | None) -> str:
        """A content text in the current language."""
        return text_of(text, self._lang)

    @property
    def grid(self) -> Grid:
        return Grid(float(self.width()), float(self.height()), self.theme)

    def color(self, name: str) -> QColor:
        return QColor(getattr(self.theme.colors, name))

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
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
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
        pen_color = self.color("teal")
        pen_color.setAlphaF(0.18)
        painter.setPen(pen_color)
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
        used = QFontMetricsF(font).boundingRect(rect, WRAP, text)
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
            top = QFontMetricsF(ifont).boundingRect(irect, WRAP, itext).bottom() + grid.px(24)
        content = QRectF(frame.left(), top, frame.width(), frame.bottom() - top)
        return HeadingLayout(blocks, rule, content)

    def content_rect(self, grid: Grid) -> QRectF:
        """The area below the heading and intro, where the slide's own content goes."""
        return self.heading_layout(grid).content

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
        text = "  ·  ".join(self.t(s) for s in sources)
        rect = grid.source_rect  # the rest of the band is kept for the navigation controls
        font = fit_font(
            text,
            rect,
            grid.px(self.theme.type.caption),
            flags=int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap),
            max_lines=2,
        )
        draw_text(
            painter,
            rect,
            text,
            font,
            self.theme.colors.muted,
            int(
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignVCenter
                | Qt.TextFlag.TextWordWrap
            ),
        )
