"""The layer above the slides: a view that paints the kiosk's chrome and reports touches.

Navigation, the attract hint, detail cards, the idle countdown, the PIN pad and touch ripples
are painted from the visitor state (`kiosk.show.controller.Controller`), the theme and the
clock it is given; it keeps no state of its own beyond paint caches. It answers what a point
lands on (`hit_at`, typed `kiosk.show.hits` values: it is the controller's `Surface`) and
reports every touch and click through `on_pointer`. It knows no window.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QTouchEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk.content.theme import Theme
from kiosk.show.controller import Controller, Phase
from kiosk.show.hits import CardPart, Control, Dot, Element, Hit, Layer, PinKey
from kiosk.show.show import Mode
from kiosk.ui import chrome
from kiosk.ui.base import HitTarget
from kiosk.ui.chrome import Button, CardLayout
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import device_ratio, pixmap_layer, theme_color
from kiosk.ui.draw.text import draw_text, fit_font
from kiosk.ui.fonts import ui_font
from kiosk.ui.pinpad import paint_pin_pad
from kiosk.ui.words import CENTER, STRINGS


class Overlay(QWidget):
    """Paints the controls and cards over the stage and receives every touch and click."""

    def __init__(
        self,
        visitor: Controller[HitTarget],
        theme: Theme,
        clock: Callable[[], float],
        *,
        targets: Callable[[], Sequence[HitTarget]],
        notices: Callable[[], list[str]] = list,
        kiosk: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.visitor = visitor
        self.show_state = visitor.show
        self.theme = theme
        self.clock = clock
        self.targets = targets
        """The live slide's tappable elements (none mid-transition)."""
        self.notices = notices
        """Operations notices for staff (the kiosk's own files, never the content)."""
        self.kiosk = kiosk
        self.content_errors: list[str] = []
        """What is wrong with the content folder (the last good deck plays on)."""
        self.on_pointer: Callable[[Phase, int, float, float], None] = lambda *args: None
        """Hears every touch point and the mouse, in overlay (window) pixels."""
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self._nav_cache: tuple[tuple[object, ...], QPixmap, QRectF] | None = None

    # -- what is where -----------------------------------------------------------------------

    def hit_at(self, x: float, y: float, layer: Layer | None = None) -> Hit[HitTarget] | None:
        """What the point lands on in `layer` (by default the one on top), if anything."""
        layer = layer or self.visitor.layer
        point = QPointF(x, y)
        if layer is Layer.PIN:
            return next((k.key for k in self.pin_keys() if k.rect.contains(point)), None)
        if layer is Layer.CARD:
            if self.card_close_rect().contains(point):
                return CardPart.CLOSE
            return CardPart.BODY if self.card_rect().contains(point) else None
        control = self.control_at(x, y)
        if control is not None:
            return control
        target = self.target_at(x, y)
        return Element(target) if target is not None else None

    def control_at(self, x: float, y: float) -> Control | Dot | None:
        """The navigation control under a point, if any."""
        point = QPointF(x, y)
        return next((c.key for c in self.controls() if c.rect.contains(point)), None)

    @property
    def grid(self) -> Grid:
        return Grid(float(self.width()), float(self.height()), self.theme)

    def controls(self) -> list[Button[Control | Dot]]:
        """The navigation controls: previous, the progress dots, next, home, language."""
        return chrome.nav_buttons(self.grid, self.show_state.count)

    def target_at(self, x: float, y: float) -> HitTarget | None:
        """The tappable element of the live slide under a point (none mid-transition)."""
        point = QPointF(x, y)
        return next((t for t in self.targets() if t.rect.contains(point)), None)

    def staff_corner(self) -> QRectF:
        return chrome.staff_corner(self.grid)

    def in_staff_corner(self, x: float, y: float) -> bool:
        corner = self.staff_corner()
        return x <= corner.right() and y <= corner.bottom()

    def card_layout(self) -> CardLayout | None:
        """The open card, sized to its text: a short detail gets a small card."""
        card = self.visitor.card
        if card is None:
            return None
        return chrome.card_layout(self.grid, self.theme, card, self.show_state.lang)

    def card_rect(self) -> QRectF:
        layout = self.card_layout()
        return layout.rect if layout else QRectF()

    def card_close_rect(self) -> QRectF:
        return chrome.card_close_rect(self.grid, self.card_rect())

    def keep_rect(self) -> QRectF:
        return chrome.keep_rect(self.grid)

    def hint_rect(self) -> QRectF:
        return chrome.hint_rect(self.grid)

    def pin_rect(self) -> QRectF:
        return chrome.pin_rect(self.grid)

    def pin_status_rect(self) -> QRectF:
        return chrome.pin_status_rect(self.grid)

    def pin_dots_rect(self) -> QRectF:
        return chrome.pin_dots_rect(self.grid)

    def pin_keys(self) -> list[Button[PinKey]]:
        return chrome.pin_keys(self.grid)

    # -- input -------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            for point in event.points():
                pos = point.position()
                state = point.state()
                if state == point.State.Pressed:
                    self.on_pointer(Phase.DOWN, point.id() + 1, pos.x(), pos.y())
                elif state == point.State.Released:
                    self.on_pointer(Phase.UP, point.id() + 1, pos.x(), pos.y())
                elif state == point.State.Updated:
                    self.on_pointer(Phase.MOVE, point.id() + 1, pos.x(), pos.y())
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self.on_pointer(Phase.CANCEL, 0, 0.0, 0.0)
            event.accept()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.on_pointer(Phase.DOWN, 0, pos.x(), pos.y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.on_pointer(Phase.MOVE, 0, pos.x(), pos.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.on_pointer(Phase.UP, 0, pos.x(), pos.y())

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            grid = self.grid
            now = self.clock()
            self._paint_cached_nav(painter, grid)
            show = self.show_state
            if show.mode is Mode.ATTRACT:
                self._paint_hint(painter, grid, now)
            visitor = self.visitor
            if visitor.card is not None:
                self._paint_card(painter, grid)
            warning = show.idle_warning(now)
            if warning is not None and visitor.card is None:
                self._paint_countdown(painter, grid, warning)
            if self.content_errors:
                self._paint_content_errors(painter, grid)
            if self.notices() and not visitor.pin_open:
                self._paint_notice_mark(painter, grid)
            if visitor.pin_open:
                self._paint_pin(painter, grid, now)
            self._paint_ripples(painter, grid, now)
        finally:
            painter.end()

    def _paint_cached_nav(self, painter: QPainter, grid: Grid) -> None:
        """The navigation bar changes only with the slide, language or a press: it is painted
        into a pixmap then, and every animation frame reuses it."""
        show = self.show_state
        ratio = device_ratio(painter)
        key = (
            self.width(),
            self.height(),
            ratio,
            show.index,
            show.count,
            show.lang,
            self.visitor.pressed,
        )
        if self._nav_cache is None or self._nav_cache[0] != key:
            band = grid.footer
            with pixmap_layer(band.width(), band.height(), ratio) as (pixmap, layer):
                layer.translate(-band.topLeft())
                self._paint_nav(layer, grid)
            self._nav_cache = (key, pixmap, band)
        painter.drawPixmap(self._nav_cache[2].topLeft(), self._nav_cache[1])

    def _paint_nav(self, painter: QPainter, grid: Grid) -> None:
        show = self.show_state
        pressed = self.visitor.pressed
        for control in self.controls():
            rect = control.rect
            down = pressed == control.key
            if isinstance(control.key, Dot):
                on = control.key.index == show.index
                radius = grid.px(9 if on else 6) * (1.25 if down else 1.0)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(
                    theme_color(self.theme, "teal" if on else "muted", 1.0 if on else 0.45)
                )
                painter.drawEllipse(rect.center(), radius, radius)
                continue
            painter.setPen(QPen(theme_color(self.theme, "panel_edge"), grid.px(1.5)))
            painter.setBrush(
                theme_color(self.theme, "teal" if down else "panel", 0.55 if down else 0.9)
            )
            radius = rect.height() / 2
            painter.drawRoundedRect(rect, radius, radius)
            if control.key is Control.LANG:
                self._paint_lang(painter, grid, rect)
            elif isinstance(control.key, Control):
                self._paint_icon(painter, grid, control.key, rect)

    def _paint_icon(self, painter: QPainter, grid: Grid, key: Control, rect: QRectF) -> None:
        c = rect.center()
        s = rect.width() * 0.16
        pen = QPen(theme_color(self.theme, "text"), grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        if key is Control.PREV:
            path.moveTo(c.x() + s * 0.6, c.y() - s * 1.2)
            path.lineTo(c.x() - s * 0.6, c.y())
            path.lineTo(c.x() + s * 0.6, c.y() + s * 1.2)
        elif key is Control.NEXT:
            path.moveTo(c.x() - s * 0.6, c.y() - s * 1.2)
            path.lineTo(c.x() + s * 0.6, c.y())
            path.lineTo(c.x() - s * 0.6, c.y() + s * 1.2)
        else:  # home: a roof over a door
            path.moveTo(c.x() - s * 1.3, c.y())
            path.lineTo(c.x(), c.y() - s * 1.2)
            path.lineTo(c.x() + s * 1.3, c.y())
            path.moveTo(c.x() - s * 0.9, c.y() - s * 0.3)
            path.lineTo(c.x() - s * 0.9, c.y() + s * 1.1)
            path.lineTo(c.x() + s * 0.9, c.y() + s * 1.1)
            path.lineTo(c.x() + s * 0.9, c.y() - s * 0.3)
        painter.drawPath(path)

    def _paint_lang(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        lang = self.show_state.lang
        halves = [
            QRectF(rect.left(), rect.top(), rect.width() / 2, rect.height()),
            QRectF(rect.center().x(), rect.top(), rect.width() / 2, rect.height()),
        ]
        for code, half in zip(("zh", "en"), halves, strict=True):
            on = code == lang
            font = ui_font(grid.px(24), bold=on)
            color = theme_color(self.theme, "text") if on else theme_color(self.theme, "muted")
            draw_text(painter, half, STRINGS["lang"][code], font, color, CENTER)

    def _paint_hint(self, painter: QPainter, grid: Grid, now: float) -> None:
        if self.show_state.deck.settings.loop.reduce_motion:
            pulse = 1.0
        else:
            pulse = 0.72 + 0.28 * math.sin(now * 2 * math.pi / 3.0)  # a slow 3 s breath
        rect = self.hint_rect()
        painter.setPen(QPen(theme_color(self.theme, "teal", 0.8 * pulse), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel", 0.85))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        text = STRINGS["hint"][self.show_state.lang]
        font = fit_font(
            text,
            rect.adjusted(grid.px(24), 0, -grid.px(24), 0),
            grid.px(30),
            bold=True,
            max_lines=1,
        )
        draw_text(painter, rect, text, font, theme_color(self.theme, "text", pulse), CENTER)

    def _paint_card(self, painter: QPainter, grid: Grid) -> None:
        layout = self.card_layout()
        assert layout is not None
        painter.fillRect(self.rect(), theme_color(self.theme, "background", 0.62))
        rect = layout.rect
        radius = grid.px(self.theme.space.radius)
        painter.setPen(QPen(theme_color(self.theme, "teal", 0.9), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel"))
        painter.drawRoundedRect(rect, radius, radius)
        pad = grid.px(48)
        close = self.card_close_rect()
        title_rect = QRectF(
            rect.left() + pad,
            rect.top() + pad,
            close.left() - rect.left() - 2 * pad,
            layout.title_height,
        )
        if layout.title:
            flags = int(
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignVCenter
                | Qt.TextFlag.TextWordWrap
            )
            draw_text(
                painter,
                title_rect,
                layout.title,
                layout.title_font,
                theme_color(self.theme, "text"),
                flags,
            )
        painter.fillRect(
            QRectF(rect.left() + pad, title_rect.bottom() + grid.px(16), grid.px(64), grid.px(4)),
            theme_color(self.theme, "gold"),
        )
        origin = QPointF(rect.left() + pad, rect.top() + layout.body_top)
        layout.block.draw(painter, origin, self.theme.colors.text)
        down = self.visitor.pressed is CardPart.CLOSE
        painter.setPen(QPen(theme_color(self.theme, "panel_edge"), grid.px(1.5)))
        painter.setBrush(theme_color(self.theme, "teal" if down else "background", 0.8))
        painter.drawEllipse(close)
        pen = QPen(theme_color(self.theme, "text"), grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        c, s = close.center(), close.width() * 0.18
        painter.drawLine(QPointF(c.x() - s, c.y() - s), QPointF(c.x() + s, c.y() + s))
        painter.drawLine(QPointF(c.x() - s, c.y() + s), QPointF(c.x() + s, c.y() - s))

    def _paint_countdown(self, painter: QPainter, grid: Grid, seconds: float) -> None:
        lang = self.show_state.lang
        painter.fillRect(self.rect(), theme_color(self.theme, "background", 0.7))
        # A panel behind the words keeps them legible over any slide (bars, images).
        width = min(grid.width - 2 * grid.margin, grid.px(820))
        panel = QRectF(
            (grid.width - width) / 2, grid.height / 2 - grid.px(250), width, grid.px(430)
        )
        radius = grid.px(self.theme.space.radius)
        painter.setPen(QPen(theme_color(self.theme, "panel_edge"), grid.px(1.5)))
        painter.setBrush(theme_color(self.theme, "panel"))
        painter.drawRoundedRect(panel, radius, radius)
        question = QRectF(0, grid.height / 2 - grid.px(190), grid.width, grid.px(90))
        draw_text(
            painter,
            question,
            STRINGS["still"][lang],
            ui_font(grid.px(56), bold=True),
            theme_color(self.theme, "text"),
            CENTER,
        )
        note = QRectF(0, grid.height / 2 - grid.px(90), grid.width, grid.px(60))
        text = STRINGS["returning"][lang].format(n=math.ceil(seconds))
        draw_text(
            painter, note, text, ui_font(grid.px(30)), theme_color(self.theme, "muted"), CENTER
        )
        keep = self.keep_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme_color(self.theme, "gold"))
        painter.drawRoundedRect(keep, keep.height() / 2, keep.height() / 2)
        draw_text(
            painter,
            keep,
            STRINGS["keep"][lang],
            ui_font(grid.px(44), bold=True),
            theme_color(self.theme, "background"),
            CENTER,
        )

    def _paint_content_errors(self, painter: QPainter, grid: Grid) -> None:
        """A banner for curators in a window; in the hall only a small mark staff recognise
        (the errors themselves are listed behind the staff gesture, on the PIN pad)."""
        errors = self.content_errors
        if self.kiosk:
            if not self.visitor.pin_open:
                radius = grid.px(7)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme_color(self.theme, "gold", 0.8))
                painter.drawEllipse(QPointF(grid.width - grid.px(22), grid.px(22)), radius, radius)
            return
        lang = self.show_state.lang
        band = QRectF(0, 0, grid.width, grid.px(120))
        painter.fillRect(band, theme_color(self.theme, "panel", 0.96))
        painter.fillRect(
            QRectF(0, band.bottom() - grid.px(4), grid.width, grid.px(4)),
            theme_color(self.theme, "gold"),
        )
        inner = band.adjusted(grid.margin, grid.px(14), -grid.margin, -grid.px(14))
        head = STRINGS["content"][lang].format(n=len(errors))
        text = f"{head}\n{errors[0]}"
        font = fit_font(text, inner, grid.px(24), max_lines=3)
        draw_text(painter, inner, text, font, theme_color(self.theme, "text"))

    def _paint_notice_mark(self, painter: QPainter, grid: Grid) -> None:
        """Operations notices (the kiosk's own files) get only a small sky-blue mark, beside
        the content errors' gold one: staff read them on the PIN pad; visitors and curators
        have nothing to fix in them."""
        beside = self.kiosk and bool(self.content_errors)
        x = grid.width - grid.px(44 if beside else 22)
        y = grid.px(22) if self.kiosk or not self.content_errors else grid.px(142)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme_color(self.theme, "sky", 0.8))
        painter.drawEllipse(QPointF(x, y), grid.px(7), grid.px(7))

    def _paint_pin(self, painter: QPainter, grid: Grid, now: float) -> None:
        painter.fillRect(self.rect(), theme_color(self.theme, "background", 0.85))
        paint_pin_pad(
            painter,
            grid,
            self.theme,
            self.visitor,
            now,
            content_errors=self.content_errors,
            notices=self.notices(),
        )

    def _paint_ripples(self, painter: QPainter, grid: Grid, now: float) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for ripple in self.visitor.ripples:
            x, y, t = ripple.x, ripple.y, ripple.progress(now)
            radius = grid.px(28 + 60 * t)
            painter.setPen(QPen(theme_color(self.theme, "teal", 0.85 * (1 - t)), grid.px(5)))
            painter.drawEllipse(QPointF(x, y), radius, radius)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme_color(self.theme, "teal", 0.3 * (1 - t)))
            painter.drawEllipse(QPointF(x, y), grid.px(26), grid.px(26))
            painter.setBrush(Qt.BrushStyle.NoBrush)
