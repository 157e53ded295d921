"""Images for slides: decoded once, at the size they are shown, from a bounded cache.

A broken or hostile file never reaches the screen: the size a file declares is read before any
pixel is decoded (a decompression bomb is refused for free), and a file that cannot be read
gives None, for which the views draw a calm placeholder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

from kiosk.content.images import MAX_PIXELS, image_problem
from kiosk.ui.cache import ByteLRU

log = logging.getLogger(__name__)

CACHE_BYTES = 160 * 1024 * 1024
"""Decoded images kept: a few full-screen 4K images, or hundreds of icons."""
_cache: ByteLRU[QImage | None] = ByteLRU(
    CACHE_BYTES, lambda image: image.sizeInBytes() if image is not None else 64
)


def load_image(path: Path, size: QSize, *, cover: bool = False) -> QImage | None:
    """`path` rendered to fit `size` (or, with `cover`, to fill it), aspect kept; None when it
    cannot be shown."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = -1.0
    key = (str(path), stamp, size.width(), size.height(), cover)
    if key in _cache:
        return _cache.get(key)
    mode = (
        Qt.AspectRatioMode.KeepAspectRatioByExpanding
        if cover
        else (Qt.AspectRatioMode.KeepAspectRatio)
    )
    return _cache.put(key, _decode(path, size, mode) if stamp >= 0 else None)


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
    reader.setAutoTransform(True)
    declared = reader.size()
    if not declared.isValid() or declared.width() * declared.height() > MAX_PIXELS:
        log.warning("%s: refusing an image of %dx%d", path, declared.width(), declared.height())
        return None
    rotated = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    shown = (declared.transposed() if rotated else declared).scaled(size, mode)
    reader.setScaledSize(shown.transposed() if rotated else shown)
    image = reader.read()
    if image.isNull():
        log.warning("%s: %s", path, reader.errorString())
        return None
    return image


def natural_size(path: Path) -> QSizeF | None:
    """The size an image file declares (an SVG's view box), read without decoding; None
    when the file is missing, broken or too large to show."""
    if image_problem(path) is not None:  # never raises: a refused read is a problem too
        return None
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return None
        box = renderer.viewBoxF().size()
        if box.isEmpty():
            box = QSizeF(renderer.defaultSize())
        return box if not box.isEmpty() else None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return None
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    return QSizeF(size)
