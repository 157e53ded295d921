"""Guard against a binding that loses references to None (PySide6 6.12.0 under Python 3.11).

Every void call of such a binding decrements None's reference count; a show that paints all
day aborts with "deallocating None" within minutes. pyproject.toml pins a sound version; this
test catches an upgrade that brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QColor, QImage, QPainter


def test_void_calls_keep_none_alive(qapp: object) -> None:
    image = QImage(16, 16, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    timer = QTimer()
    try:
        before = sys.getrefcount(None)
        for _ in range(200):
            painter.setPen(QColor("red"))
            painter.drawLine(QPointF(0, 0), QPointF(4, 4))
            timer.setInterval(5)
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after >= before - 5
