"""The Qt application: created once, with the fonts loaded, on screen or offscreen."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.ops.paths import APP
from kiosk.ui.fonts import load_fonts

OFFSCREEN_SCREEN = (3840, 2160)
"""The offscreen platform's own screen is 800x800: touches beyond it are dropped and larger
windows are clipped, so renders, soaks and benchmarks get a 4K screen of their own."""


def offscreen_platform() -> str:
    """`offscreen:configfile=...` naming a file that describes a 3840x2160 screen."""
    width, height = OFFSCREEN_SCREEN
    screen = {
        "name": "kiosk",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "physicalDpi": 96,
    }
    config = Path(tempfile.gettempdir()) / f"{APP}-offscreen-{os.getuid()}.json"
    text = json.dumps({"screens": [screen]})
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return f"offscreen:configfile={config}"


def ensure_app(*, offscreen: bool = False) -> QApplication:
    """The process's QApplication, created on first use (offscreen when asked and not set)."""
    app = QApplication.instance()
    if app is None:
        if offscreen and os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
            os.environ["QT_QPA_PLATFORM"] = offscreen_platform()
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Liangjiang Kiosk")
        app.setOrganizationName(APP)
    assert isinstance(app, QApplication)
    load_fonts()
    return app
