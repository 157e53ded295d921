"""Images for slides: decoded once, at the size they are shown, from a bounded cache.

A broken or hostile file never reaches the screen: the size a file declares is read before any
pixel is decoded (a decompression bomb is refused for free), and a file that cannot be read
gives None, for which the views draw a calm placeholder.

An SVG is hostile input (kiosk/content/svg.py): one the checks refuse is never handed to Qt,
and one they accept is drawn from the bytes that were checked, in a child process with a
deadline (kiosk/ui/svgrender.py), so no SVG can reach outside itself, stall the show or crash
it. One that misses the deadline is refused from then on, at every size, until it changes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from kiosk.content.files import UnreadableFile, read_limited
from kiosk.content.images import MAX_IMAGE_BYTES, MAX_PIXELS, image_problem, svg_check
from kiosk.ui.cache import ByteLRU
from kiosk.ui.fonts import font_files

log = logging.getLogger(__name__)

CACHE_BYTES = 160 * 1024 * 1024
"""Decoded images kept: a few full-screen 4K images, or hundreds of icons."""
_cache: ByteLRU[QImage | None] = ByteLRU(
    CACHE_BYTES, lambda image: image.sizeInBytes() if image is not None else 64
)

SVG_BUDGET = 3.0
"""Seconds an SVG may take to draw, the child's start (about 0.1 s) included: a drawing of
thousands of shapes takes well under a second at 3840x2160; the UI thread waits for it once
per size, and the status file's watchdog allows 30 s."""

_RENDERER = Path(__file__).with_name("svgrender.py")
_refused: OrderedDict[tuple[str, float], str] = OrderedDict()
"""SVG files (by path and modification time) that failed to draw in time, with the reason."""


def load_image(path: Path, size: QSize, *, cover: bool = False) -> QImage | None:
    """`path` rendered to fit `size` (or, with `cover`, cropped to fill it: the visible part
    only, so an image far wider than the screen costs no more than the screen), aspect kept;
    None when it cannot be shown."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = -1.0
    key = (str(path), stamp, size.width(), size.height(), cover)
    if key in _cache:
        return _cache.get(key)
    return _cache.put(key, _decode(path, size, _mode(cover)) if stamp >= 0 else None)


def _decode(path: Path, size: QSize, mode: Qt.AspectRatioMode) -> QImage | None:
    if size.width() <= 0 or size.height() <= 0:
        return None
    cover = mode == Qt.AspectRatioMode.KeepAspectRatioByExpanding
    if path.suffix.lower() == ".svg":
        return _svg(path, size, cover)
    problem = image_problem(path)
    if problem is not None:
        log.warning("%s: %s", path, problem)
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    declared = reader.size()
    if not declared.isValid() or declared.width() * declared.height() > MAX_PIXELS:
        log.warning("%s: refusing an image of %dx%d", path, declared.width(), declared.height())
        return None
    rotated = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    shown = (declared.transposed() if rotated else declared).scaled(size, mode)
    reader.setScaledSize(shown.transposed() if rotated else shown)
    if cover and not rotated:
        reader.setScaledClipRect(_centred(shown, size))
    image = reader.read()
    if image.isNull():
        log.warning("%s: %s", path, reader.errorString())
        return None
    if cover and rotated:
        image = image.copy(_centred(image.size(), size))
    return image


def _mode(cover: bool) -> Qt.AspectRatioMode:
    return (
        Qt.AspectRatioMode.KeepAspectRatioByExpanding
        if cover
        else Qt.AspectRatioMode.KeepAspectRatio
    )


def _centred(shown: QSize, size: QSize) -> QRect:
    """The part of an image of `shown` size that a centred crop to `size` keeps."""
    width, height = min(shown.width(), size.width()), min(shown.height(), size.height())
    return QRect(
        QPoint((shown.width() - width) // 2, (shown.height() - height) // 2), QSize(width, height)
    )


def _read_svg(path: Path) -> tuple[bytes, QSizeF | None] | None:
    """The bytes of an SVG that may be drawn, and the size it declares; None (and a warning
    in the log) when it is unreadable or refused."""
    try:
        data = read_limited(path, MAX_IMAGE_BYTES)
    except UnreadableFile as exc:
        log.warning("%s: cannot read the image: %s", path, exc.reason)
        return None
    problem = image_problem(path, data)
    if problem is not None:
        log.warning("%s: %s", path, problem)
        return None
    declared = svg_check(data).size
    return data, QSizeF(*declared) if declared else None


def _svg(path: Path, size: QSize, cover: bool) -> QImage | None:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    if (str(path), stamp) in _refused:
        return None
    read = _read_svg(path)
    if read is None:
        return None
    data, declared = read
    natural = declared if declared is not None else QSizeF(size)
    scaled = natural.scaled(QSizeF(size), _mode(cover))
    target = QSize(max(1, round(scaled.width())), max(1, round(scaled.height())))
    if cover:  # drawn centred and cropped to the size asked for
        left, top = (size.width() - scaled.width()) / 2, (size.height() - scaled.height()) / 2
        target = size
    else:
        left = top = 0.0
    bounds = (left, top, left + scaled.width(), top + scaled.height())
    problem = None
    started = time.monotonic()
    try:
        pixels = render_svg(data, target, bounds, timeout=SVG_BUDGET)
    except subprocess.TimeoutExpired:
        problem = f"refused: it took more than {SVG_BUDGET:g} s to draw; simplify it"
    except SvgRenderError as exc:
        problem = f"the SVG cannot be drawn ({exc})"
    if problem is not None:
        log.warning("%s: %s; a placeholder is shown instead", path, problem)
        _refused[(str(path), stamp)] = problem
        while len(_refused) > 256:
            _refused.popitem(last=False)
        return None
    log.debug(
        "%s: drawn at %dx%d in %.2f s",
        path,
        target.width(),
        target.height(),
        time.monotonic() - started,
    )
    image = QImage(
        pixels,
        target.width(),
        target.height(),
        target.width() * 4,
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    return image.copy()  # owns its pixels: `pixels` is freed with this frame


class SvgRenderError(Exception):
    """The child drawing an SVG failed: the file is not drawable, or the child died."""


def render_svg(
    data: bytes, size: QSize, bounds: tuple[float, float, float, float], *, timeout: float
) -> bytes:
    """Pixels of the SVG `data` drawn into `bounds` (left, top, right, bottom) of an image of
    `size`, by a child process given `timeout` seconds; raises TimeoutExpired (the child is
    killed) or SvgRenderError."""
    args = [str(size.width()), str(size.height()), *(f"{v:.3f}" for v in bounds)]
    if b"text" in data:  # loading the CJK faces is a third of the child's time: only for text
        args += map(str, font_files())
    command = [sys.executable, "-I", str(_RENDERER), *args]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-svg-") as empty:
            # An empty folder to run in: a reference that slipped past the checks finds nothing.
            result = subprocess.run(
                command, input=data, capture_output=True, timeout=timeout, cwd=empty, env=env
            )
    except OSError as exc:  # no temporary folder, or no process could be started
        raise SvgRenderError(f"the renderer could not start: {exc.strerror or exc}") from None
    expected = size.width() * size.height() * 4
    if result.returncode != 0 or len(result.stdout) != expected:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        reason = (
            "it is not a drawing Qt can read"
            if result.returncode == 2
            else (f"the renderer stopped with status {result.returncode}")
        )
        raise SvgRenderError(reason + (f": {detail[0]}" if detail else ""))
    return result.stdout


def natural_size(path: Path) -> QSizeF | None:
    """The size an image file declares (an SVG's view box), read without decoding; None
    when the file is missing, broken or too large to show."""
    if path.suffix.lower() == ".svg":
        read = _read_svg(path)
        return read[1] if read is not None else None
    if image_problem(path) is not None:  # never raises: a refused read is a problem too
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return None
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    return QSizeF(size)
