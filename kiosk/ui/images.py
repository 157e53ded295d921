"""Images for slides: decoded once, at the size they are shown, from a bounded cache.

A broken or hostile file never reaches the screen: the size a file declares is read before any
pixel is decoded (a decompression bomb is refused for free), and a file that cannot be read
gives None, for which the views draw a calm placeholder.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

from kiosk.content.images import MAX_PIXELS, image_problem

log = logging.getLogger(__name__)

CACHE_ENTRIES = 48
_cache: OrderedDict[tuple[str, float, int, int, bool], QImage | None] = OrderedDict()


def load_image(path: Path, size: QSize, *, cover: bool = False) -> QImage | None:
    """`path` rendered to fit `size` (or, with `cover`, to fill it), aspect kept; None when it
    cannot be shown."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = -1.0
    key = (str(path), stamp, size.width(), size.height(), cover)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    mode = (
        Qt.AspectRatioMode.KeepAspectRatioByExpanding
        if cover
        else (Qt.AspectRatioMode.KeepAspectRatio)
    )
    image = _decode(path, size, mode) if stamp >= 0 else None
    _cache[key] = image
    while len(_cache) > CACHE_ENTRIES:
        _cache.popitem(last=False)
    return image


def _decode(path: Path, size: QSize, mode: Qt.AspectRatioMode) -> QImage | None:
    problem = image_problem(path)
    if problem is not None:
        log.warning("%s: %s", path, problem)
        return None
    if size.width() <= 0 or size.height() <= 0:
        return None
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            log.warning("%s: the SVG cannot be drawn", path)
            return None
        target = renderer.defaultSize().scaled(size, mode)
        image = QImage(target, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            renderer.render(painter, QRectF(0, 0, target.width(), target.height()))
        finally:
            painter.end()
        return image
    reader = QImageReader(str(path))
    declared = reader.size()
    if not declared.isValid() or declared.width() * declared.height() > MAX_PIXELS:
        log.warning("%s: refusing an image of %dx%d", path, declared.width(), declared.height())
        return None
    reader.setScaledSize(declared.scaled(size, mode))
    image = reader.read()
    if image.isNull():
        log.warning("%s: %s", path, reader.errorString())
        return None
    return image


def draw_placeholder(painter: QPainter, rect: QRectF, color: QColor, edge: QColor) -> None:
    """A calm stand-in for an image that cannot be shown: a panel with a picture mark."""
    painter.save()
    painter.setPen(QPen(edge, max(1.0, rect.width() / 300)))
    painter.setBrush(color)
    radius = min(rect.width(), rect.height()) * 0.06
    painter.drawRoundedRect(rect, radius, radius)
    mark = min(rect.width(), rect.height()) * 0.2
    c = rect.center()
    frame = QRectF(c.x() - mark, c.y() - mark * 0.7, mark * 2, mark * 1.4)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(frame, mark * 0.12, mark * 0.12)
    painter.drawEllipse(QPointF(c.x() + mark * 0.45, c.y() - mark * 0.25), mark * 0.14, mark * 0.14)
    painter.drawPolyline(
        [
            QPointF(frame.left() + mark * 0.2, frame.bottom() - mark * 0.2),
            QPointF(c.x() - mark * 0.3, c.y()),
            QPointF(c.x() + mark * 0.2, frame.bottom() - mark * 0.35),
            QPointF(frame.right() - mark * 0.2, frame.bottom() - mark * 0.2),
        ]
    )
    painter.restore()
