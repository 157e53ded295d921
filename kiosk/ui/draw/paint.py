"""Painting helpers: pixel caches for panels and figure glyphs, layers, colour mixing.

On the software rasterizer that drives a kiosk screen, antialiased shapes and large glyphs
cost far more than blitting a pixmap; everything drawn again and again with the same look is
drawn once into a bounded cache (`ByteLRU`, so a show running for months does not grow).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap

from kiosk.content.theme import Theme
from kiosk.ui.cache import ByteLRU
from kiosk.ui.draw.observe import observed, tell


def device_ratio(painter: QPainter) -> float:
    """The device pixel ratio of what `painter` paints on (1.0 when it paints on nothing)."""
    device = painter.device()
    return device.devicePixelRatioF() if device else 1.0


# --- colour ---


def with_alpha(value: str | QColor, alpha: float = 1.0) -> QColor:
    """`value` (a colour or its name such as "#19B3A6") at opacity `alpha`."""
    color = QColor(value)
    color.setAlphaF(alpha)
    return color


def theme_color(theme: Theme, name: str, alpha: float = 1.0) -> QColor:
    """The theme's colour `name` ("teal", "panel", ...) at opacity `alpha`."""
    return with_alpha(getattr(theme.colors, name), alpha)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` of the way towards `b`, opaque."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


# --- geometry of pictures ---


def fit_aspect(rect: QRectF, aspect: float) -> QRectF:
    """The largest rectangle of `aspect` (width / height) centred in `rect` (at least 1 px)."""
    width, height = max(1.0, rect.width()), max(1.0, rect.height())
    if aspect <= 0:
        return QRectF(rect)
    if width / height > aspect:
        width = height * aspect
    else:
        height = width / aspect
    return QRectF(rect.center().x() - width / 2, rect.center().y() - height / 2, width, height)


# --- pixmaps ---


def blit(painter: QPainter, at: QPointF, pixmap: QPixmap) -> None:
    """Draw a cached pixmap on whole device pixels: at a fractional position the painter
    filters every pixel (smooth transform), several times slower and a little blurred."""
    ratio = pixmap.devicePixelRatioF()
    painter.drawPixmap(
        QPointF(round(at.x() * ratio) / ratio, round(at.y() * ratio) / ratio), pixmap
    )


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


# --- cached shapes ---


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
    ratio = device_ratio(painter)
    width, height = rect.width(), rect.height()
    edge_rgba = edge.rgba() if edge is not None else 0
    back = backdrop.rgba() if backdrop is not None else 0
    key = (
        round(width * ratio),
        round(height * ratio),
        round(radius * ratio * 4),
        fill.rgba(),
        edge_rgba,
        round(edge_width * ratio * 4),
        back,
    )
    pixmap = _PANELS.get(key)
    if pixmap is None:
        with pixmap_layer(width, height, ratio, backdrop) as (pixmap, shape):
            half = edge_width / 2
            shape.setPen(
                QPen(edge, edge_width) if edge is not None and edge_width > 0 else Qt.PenStyle.NoPen
            )
            shape.setBrush(fill)
            shape.drawRoundedRect(
                QRectF(half, half, width - 2 * half, height - 2 * half), radius, radius
            )
        _PANELS.put(key, pixmap)
    blit(painter, rect.topLeft(), pixmap)


_GLYPHS: ByteLRU[tuple[QPixmap, QPointF]] = ByteLRU(
    24 * 1024 * 1024, lambda item: _pixmap_bytes(item[0])
)
LARGE_TEXT_PX = 64
"""Above this size Qt draws every glyph as a path on every paint (its glyph cache stops at
64 px, and raising that limit makes large glyphs vanish on some paint devices)."""


REVEAL_SPREAD = 0.45
"""How much longer the last glyph of a figure takes to slide into place than the first, as a
share of the whole reveal: every glyph starts at once and they land left to right."""


def draw_figure_text(
    painter: QPainter,
    origin: QPointF,
    text: str,
    font: QFont,
    color: QColor,
    reveal: float = 1.0,
) -> None:
    """Draw one line of large text (a figure) at its baseline `origin`, each glyph blitted
    from a cache: a figure being revealed repaints the same few glyphs sixty times a second.

    `reveal` (0→1, linear in time) slides the glyphs up into place from below the line, each
    clipped to the line's box: every glyph is the figure's own from the first frame (partly
    hidden, never another digit), so no moment of the motion shows a number that is not the
    figure. All glyphs start together and land left to right.
    """
    if reveal <= 0:
        return
    metrics = QFontMetricsF(font)
    if observed():
        box = metrics.boundingRect(text).translated(origin)
        tell(text, [text], box)
    ratio = device_ratio(painter)
    moving = reveal < 1
    if moving:
        painter.save()
        line = QRectF(
            origin.x() - metrics.height(),
            origin.y() - metrics.ascent(),
            metrics.horizontalAdvance(text) + 2 * metrics.height(),
            metrics.ascent() + metrics.descent(),
        )
        painter.setClipRect(line, Qt.ClipOperation.IntersectClip)
    try:
        if font.pixelSize() <= LARGE_TEXT_PX:
            # Small runs are cached whole, and move as one.
            y = origin.y() + _drop(reveal, 0.0, metrics)
            _draw_glyph(painter, QPointF(origin.x(), y), text, font, color, ratio)
            return
        places = [i for i, char in enumerate(text) if not char.isspace()]
        last = max(1, len(places) - 1)
        for order, i in enumerate(places):
            # The advance of everything before this glyph keeps the font's spacing and kerning.
            x = origin.x() + metrics.horizontalAdvance(text[:i])
            y = origin.y() + _drop(reveal, order / last if len(places) > 1 else 0.0, metrics)
            _draw_glyph(painter, QPointF(x, y), text[i], font, color, ratio)
    finally:
        if moving:
            painter.restore()


def _drop(reveal: float, place: float, metrics: QFontMetricsF) -> float:
    """How far below its baseline a glyph is drawn at `reveal`, `place` (0→1) along the
    figure: a whole line's height at the start, none once it has landed (eased out)."""
    if reveal >= 1:
        return 0.0
    span = 1 - REVEAL_SPREAD * (1 - place)
    t = min(1.0, reveal / span)
    return (1 - t) ** 3 * (metrics.ascent() + metrics.descent())


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


def clamp_rect(rect: QRectF, bounds: QRectF) -> QRectF:
    """`rect` moved to lie inside `bounds` (cut to them only when larger)."""
    out = QRectF(rect)
    if out.width() > bounds.width():
        out.setWidth(bounds.width())
    if out.height() > bounds.height():
        out.setHeight(bounds.height())
    out.moveLeft(min(max(out.left(), bounds.left()), bounds.right() - out.width()))
    out.moveTop(min(max(out.top(), bounds.top()), bounds.bottom() - out.height()))
    return out
