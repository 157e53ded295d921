"""The visitor report's charts: columns, bars, a share ring and the banner, painted as PNGs.

Painted with QPainter (not left to the browser) so Chinese renders the same in any browser;
the colours are the show's theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from kiosk.content.theme import Colors
from kiosk.ui.fonts import ui_font

LANGUAGE_NAMES = {"zh": "中文 Chinese", "en": "English 英文"}

CHART_W = 1040
"""Chart width in CSS pixels; images are painted at twice this for sharp screens."""
SCALE = 2.0


def _nice_max(value: float) -> tuple[float, float]:
    """A round axis top at or above `value`, and its whole-number tick step (about 4 steps)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if m * magnitude >= raw)
    step = max(1.0, step)
    return step * math.ceil(value / step), step


class ReportCharts:
    """Paints the report's charts onto QImages (made once a QGuiApplication exists), in the
    theme's colours."""

    def __init__(self, colors: Colors, series: Callable[[int], str]) -> None:
        self.colors = colors
        self.series = series

    # -- canvas and text -----------------------------------------------------------------------

    def canvas(self, height: float) -> tuple[QImage, QPainter]:
        image = QImage(round(CHART_W * SCALE), round(height * SCALE), QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(SCALE)
        image.fill(QColor(self.colors.panel))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        return image, painter

    def text(
        self,
        painter: QPainter,
        rect: tuple[float, float, float, float],
        text: str,
        px: float,
        color: str,
        align: str = "left",
        bold: bool = False,
    ) -> None:
        flags = {
            "left": Qt.AlignmentFlag.AlignLeft,
            "right": Qt.AlignmentFlag.AlignRight,
            "center": Qt.AlignmentFlag.AlignHCenter,
        }[align] | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(ui_font(px, bold=bold))
        painter.setPen(QColor(color))
        painter.drawText(QRectF(*rect), int(flags), text)

    def heading(self, painter: QPainter, title: str, subtitle: str) -> None:
        self.text(painter, (28, 18, CHART_W - 56, 34), title, 22, self.colors.text, bold=True)
        self.text(painter, (28, 50, CHART_W - 56, 24), subtitle, 15, self.colors.muted)

    def empty(self, painter: QPainter, top: float, height: float) -> None:
        self.text(
            painter,
            (0, top, CHART_W, height),
            "尚无数据 · No data yet",
            18,
            self.colors.muted,
            "center",
        )

    def png(self, image: QImage, painter: QPainter) -> bytes:
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 wants the format as str at run time; its stubs say bytes.
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            raise OSError("could not encode a chart as PNG")
        buffer.close()
        return bytes(data.data())

    def elide(self, text: str, px: float, width: float) -> str:
        metrics = QFontMetricsF(ui_font(px))
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)

    # -- charts --------------------------------------------------------------------------------

    def columns(
        self, title: str, subtitle: str, labels: list[str], values: list[int], every: int
    ) -> bytes:
        """Vertical bars (sessions per day or per hour); the highest in gold."""
        height = 360.0
        image, painter = self.canvas(height)
        self.heading(painter, title, subtitle)
        left, right, top, bottom = 64.0, CHART_W - 28.0, 96.0, height - 44.0
        if not values or not any(values):
            self.empty(painter, top, bottom - top)
            return self.png(image, painter)
        peak, step = _nice_max(max(values))
        grid = QPen(QColor(self.colors.panel_edge), 1)
        tick = 0.0
        while tick <= peak + 1e-9:
            y = bottom - (bottom - top) * tick / peak
            painter.setPen(grid)
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            self.text(
                painter, (0, y - 10, left - 12, 20), f"{tick:g}", 13, self.colors.muted, "right"
            )
            tick += step
        slot = (right - left) / len(values)
        bar = max(2.0, min(slot * 0.7, 48.0))
        best = max(values)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, value in enumerate(values):
            x = left + slot * i + (slot - bar) / 2
            h = (bottom - top) * value / peak
            if h > 0:
                path = QPainterPath()
                radius = min(bar / 2, 6.0, h)
                path.addRoundedRect(QRectF(x, bottom - h, bar, h + radius), radius, radius)
                painter.setClipRect(QRectF(0, 0, CHART_W, bottom))
                painter.fillPath(
                    path, QColor(self.colors.gold if value == best else self.colors.teal)
                )
                painter.setClipping(False)
                if len(values) <= 31 and bar >= 14:
                    self.text(
                        painter,
                        (x - 20, bottom - h - 22, bar + 40, 20),
                        str(value),
                        13,
                        self.colors.text,
                        "center",
                    )
            if i % every == 0:
                self.text(
                    painter,
                    (x - 30, bottom + 8, bar + 60, 22),
                    labels[i],
                    13,
                    self.colors.muted,
                    "center",
                )
        return self.png(image, painter)

    def bars(
        self,
        title: str,
        subtitle: str,
        rows: list[tuple[str, float, str]],
        color: str | None = None,
        note_w: float = 240.0,
        full: float | None = None,
    ) -> bytes:
        """Horizontal bars, one row each: (label, value, note); the first row in gold, the rest in
        `color` (teal by default). A bar's track is `full` (a share's 1.0), else the largest."""
        color = color or self.colors.teal
        row_h = 34.0
        top = 92.0
        height = top + max(1, len(rows)) * row_h + 24
        image, painter = self.canvas(height)
        self.heading(painter, title, subtitle)
        if not rows or not any(v for _, v, _ in rows):
            self.empty(painter, top, height - top)
            return self.png(image, painter)
        label_w = 250.0
        left = 28 + label_w + 16
        right = CHART_W - 28 - note_w
        most = full or max(v for _, v, _ in rows) or 1.0
        painter.setPen(Qt.PenStyle.NoPen)
        for i, (label, value, note) in enumerate(rows):
            y = top + i * row_h
            name = self.elide(label, 15, label_w)
            self.text(painter, (28, y, label_w, row_h - 8), name, 15, self.colors.text, "right")
            track = QRectF(left, y + 6, right - left, row_h - 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.colors.panel_edge))
            painter.drawRoundedRect(track, 7, 7)
            width = (
                max(track.height(), track.width() * min(1.0, value / most)) if value > 0 else 0.0
            )
            if width:
                painter.setBrush(QColor(self.colors.gold if i == 0 else color))
                painter.drawRoundedRect(
                    QRectF(track.left(), track.top(), width, track.height()), 7, 7
                )
            self.text(painter, (right + 14, y, note_w - 14, row_h - 8), note, 14, self.colors.muted)
        return self.png(image, painter)

    def shares(self, title: str, subtitle: str, shares: dict[str, float]) -> bytes:
        """A ring of language shares with a legend."""
        height = 300.0
        image, painter = self.canvas(height)
        self.heading(painter, title, subtitle)
        if not shares:
            self.empty(painter, 92, height - 92)
            return self.png(image, painter)
        size, stroke = 168.0, 26.0
        ring = QRectF(60 + stroke / 2, 104 + stroke / 2, size - stroke, size - stroke)
        track = QPen(QColor(self.colors.panel_edge), stroke)
        track.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawEllipse(ring)
        angle = 90.0
        items = list(shares.items())
        for i, (_, share) in enumerate(items):
            pen = QPen(QColor(self.series(i)), stroke)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            span = -360.0 * share
            painter.drawArc(ring, round(angle * 16), round(span * 16))
            angle += span
        lead_lang, lead = items[0]
        center = (60, 104, size, size)
        self.text(
            painter,
            (center[0], 104 + size / 2 - 26, size, 34),
            f"{lead:.0%}",
            28,
            self.colors.text,
            "center",
            bold=True,
        )
        self.text(
            painter,
            (center[0], 104 + size / 2 + 8, size, 22),
            LANGUAGE_NAMES.get(lead_lang, lead_lang).split()[0],
            14,
            self.colors.muted,
            "center",
        )
        for i, (lang, share) in enumerate(items):
            y = 118 + i * 44
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.series(i)))
            painter.drawRoundedRect(QRectF(300, y + 6, 22, 22), 6, 6)
            name = LANGUAGE_NAMES.get(lang, lang)
            self.text(painter, (336, y, 240, 34), name, 18, self.colors.text)
            self.text(
                painter, (576, y, 100, 34), f"{share:.1%}", 18, self.colors.text, "right", bold=True
            )
        return self.png(image, painter)

    def banner(self, title_zh: str, title_en: str, subtitle: str) -> bytes:
        """The report's header, with the Chinese title painted (not left to browser fonts)."""
        height = 150.0
        image, painter = self.canvas(height)
        image.fill(QColor(self.colors.background))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.colors.teal))
        painter.drawRoundedRect(QRectF(0, 26, 8, 98), 4, 4)
        painter.setBrush(QColor(self.colors.gold))
        painter.drawRoundedRect(QRectF(0, 104, 8, 20), 4, 4)
        self.text(painter, (32, 18, CHART_W - 32, 56), title_zh, 40, self.colors.text, bold=True)
        self.text(painter, (32, 76, CHART_W - 32, 34), title_en, 24, self.colors.text)
        self.text(painter, (32, 112, CHART_W - 32, 26), subtitle, 16, self.colors.muted)
        return self.png(image, painter)
