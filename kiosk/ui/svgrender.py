"""Draws one SVG in a process of its own, so a hostile file can cost the show nothing.

An SVG that passed the checks of kiosk/content/svg.py can still be slow to draw (a dash
pattern of a million dashes is one short attribute) or crash a renderer, and no Qt call can be
interrupted. So kiosk/ui/images.py runs this file as a child process with a deadline, kills it
when the deadline passes, and shows the calm placeholder instead. The child reads the SVG's
bytes from stdin (never a file name: relative references have nothing to resolve against),
runs in an empty folder under memory and CPU limits, and writes the pixels to stdout.

It imports nothing of the kiosk and is started with `python -I`, so no folder of the show,
the checkout or the environment can put code on its path.

    stdin:  the SVG bytes
    argv:   width height left top right bottom [font files...]
    stdout: width * height * 4 bytes, premultiplied ARGB32 in native byte order
"""

from __future__ import annotations

import resource
import sys

MEMORY_BYTES = 2 * 1024**3
"""Address space the child may use: Qt itself takes a few hundred MB of it."""


def _limit(seconds: int) -> None:
    """Caps that hold even if the parent's deadline were missed: memory and CPU time."""
    for limit, value in ((resource.RLIMIT_AS, MEMORY_BYTES), (resource.RLIMIT_CPU, seconds)):
        _, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)  # a lower limit already in force is kept
        resource.setrlimit(limit, (value, value))


def main(argv: list[str]) -> int:
    width, height = int(argv[0]), int(argv[1])
    left, top, right, bottom = (float(v) for v in argv[2:6])
    fonts = argv[6:]
    _limit(seconds=30)
    data = sys.stdin.buffer.read()

    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer, QtSvg

    app = QGuiApplication(["kiosk-svg", "-platform", "offscreen"])
    for font in fonts:
        QFontDatabase.addApplicationFont(font)
    renderer = QSvgRenderer()
    # One still frame is shown, so animations would only start a timer.
    renderer.setOptions(QtSvg.Option.DisableAnimations)
    if not renderer.load(QByteArray(data)) or not renderer.isValid():
        return 2
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(left, top, right - left, bottom - top))
    finally:
        painter.end()
    sys.stdout.buffer.write(bytes(image.constBits()))
    sys.stdout.flush()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
