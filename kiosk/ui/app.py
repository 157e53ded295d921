"""The Qt application: created once, with the fonts loaded, on screen or offscreen."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.ui.fonts import load_fonts


def ensure_app(*, offscreen: bool = False) -> QApplication:
    """The process's QApplication, created on first use (offscreen when asked and not set)."""
    app = QApplication.instance()
    if app is None:
        if offscreen:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Liangjiang Kiosk")
        app.setOrganizationName("liangjiang-kiosk")
    assert isinstance(app, QApplication)
    load_fonts()
    return app
