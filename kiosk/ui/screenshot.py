"""The screen on request: a small recent picture of what the window shows, kept atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtWidgets import QWidget

MAX_WIDTH = 640
"""Wide enough to read a slide's headline and see a broken layout; a JPEG of about 30-60 KB."""
QUALITY = 80
SCREENSHOT_NAME = "screen.jpg"
"""Its name, beside the status file in the kiosk's state folder."""


def encode_screenshot(widget: QWidget, max_width: int = MAX_WIDTH) -> bytes:
    """What `widget` draws now (its own rendering, not the screen's: a covered or powered-down
    display still shows the show's picture), scaled down to at most `max_width` pixels wide
    (and as many high, for a portrait screen), as JPEG bytes."""
    pixmap = widget.grab()
    if pixmap.width() > max_width or pixmap.height() > max_width:
        pixmap = pixmap.scaled(
            max_width,
            max_width,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The format as text: PySide's stubs say bytes, its binding refuses them.
    if not pixmap.toImage().save(buffer, "JPEG", QUALITY):  # type: ignore[call-overload]
        raise OSError("Qt could not encode the screenshot as JPEG")
    buffer.close()
    return bytes(data.data())


def write_screenshot(widget: QWidget, path: Path, max_width: int = MAX_WIDTH) -> int:
    """Keep the picture of `widget` at `path`, replaced whole (a temporary file in the same
    folder, then a rename) so a reader never sees half of it. Returns its size in bytes."""
    data = encode_screenshot(widget, max_width)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # staff read it as another user (`scp`, `kiosk status`)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)
