"""The layer above the slides: navigation, the attract hint, detail cards, the idle countdown,
touch feedback, and the input surface that turns touches and clicks into gestures.

It keeps no state of its own beyond what is being drawn: the window owns the show and the
ripples, the controller (`kiosk.show.controller`) the open card and the PIN pad; the overlay
paints them, answers where things are (it is the controller's `Surface`) and reports gestures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QTouchEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk.show.show import Mode
from kiosk.ui.base import Grid, HitTarget, draw_text, fit_font, paragraphs, pixmap_layer, text_size
from kiosk.ui.fonts import ui_font
from kiosk.ui.textblock import TextBlock, fit_block

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow

STRINGS: dict[str, dict[str, str]] = {
    "hint": {"zh": "触摸屏幕，开始探索", "en": "Touch to explore"},
    "still": {"zh": "还在浏览吗？", "en": "Still exploring?"},
    "keep": {"zh": "继续浏览", "en": "Keep exploring"},
    "returning": {"zh": "{n} 秒后返回首页", "en": "Returning to the start in {n} s"},
    "lang": {"zh": "中文", "en": "EN"},
    "pin": {"zh": "工作人员 PIN", "en": "Staff PIN"},
    "wrong": {"zh": "PIN 不正确", "en": "Wrong PIN"},
    "locked": {"zh": "请 {n} 秒后再试", "en": "Try again in {n} s"},
    "content": {
        "zh": "内容有误，仍在播放上一版（共 {n} 处）：",
        "en": "Content error: the last good version is still showing ({n} in all):",
    },
    "ops": {
        "zh": "运行提示（与内容无关，节目照常播放）：",
        "en": "Operations notice (not about the content; the show goes on):",
    },
}
PIN_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok")
RIPPLE_S = 0.45
STAFF_CORNER_DESIGN_PX = 160.0
"""The top-left square (at 1920x1080; scaled with the window) where staff hold a finger."""
CONTROL_DESIGN_PX = 72.0
CENTER = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)


@dataclass(frozen=True)
class CardLayout:
    rect: QRectF
    title: str
    title_font: QFont
    title_height: float
    body_top: float
    block: TextBlock


@dataclass(frozen=True)
class Control:
    key: str
    rect: QRectF


class Overlay(QWidget):
    """Paints the controls and cards over the stage and receives every touch and click."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self._nav_cache: tuple[tuple[object, ...], QPixmap, QRectF] | None = None

    # -- geometry ----------------------------------------------------------------------------

    @property
    def grid(self) -> Grid:
        return Grid(float(self.width()), float(self.height()), self.window_.stage.theme)

    def controls(self) -> list[Control]:
        """The navigation controls: previous, the progress dots, next, home, language."""
        grid = self.grid
        nav = grid.nav_rect
        size = grid.px(CONTROL_DESIGN_PX)
        y = nav.center().y() - size / 2
        gap = grid.px(12)
        lang_width = size * 2.1
        right = nav.right()
        lang = QRectF(right - lang_width, y, lang_width, size)
        home = QRectF(lang.left() - gap - size, y, size, size)
        nxt = QRectF(home.left() - gap - size, y, size, size)
        count = self.window_.show_state.count
        dots_right = nxt.left() - gap
        # The dots share what is left; each one's target stays at least a control's half wide.
        dot_width = min(size, max(size * 0.55, (dots_right - nav.left() - size - gap) / count))
        dots_left = dots_right - dot_width * count
        prev = QRectF(dots_left - gap - size, y, size, size)
        controls = [Control("prev", prev)]
        controls += [
            Control(f"dot:{i}", QRectF(dots_left + i * dot_width, y, dot_width, size))
            for i in range(count)
        ]
        controls += [Control("next", nxt), Control("home", home), Control("lang", lang)]
        return controls

    def control_at(self, x: float, y: float) -> str | None:
        point = QPointF(x, y)
        for control in self.controls():
            if control.rect.contains(point):
                return control.key
        return None

    def target_at(self, x: float, y: float) -> HitTarget | None:
        """The tappable element of the live slide under a point (none mid-transition)."""
        stage = self.window_.stage
        if stage.transition is not None:
            return None
        point = QPointF(x, y)
        return next((t for t in stage.view.hit_targets() if t.rect.contains(point)), None)

    def in_card(self, x: float, y: float) -> bool:
        return self.card_rect().contains(QPointF(x, y))

    def on_card_close(self, x: float, y: float) -> bool:
        return self.card_close_rect().contains(QPointF(x, y))

    def staff_corner(self) -> QRectF:
        size = self.grid.px(STAFF_CORNER_DESIGN_PX)
        return QRectF(0, 0, size, size)

    def in_staff_corner(self, x: float, y: float) -> bool:
        corner = self.staff_corner()
        return x <= corner.right() and y <= corner.bottom()

    def card_layout(self) -> CardLayout | None:
        """The open card, sized to its text: a short detail gets a small card."""
        card = self.window_.visitor.card
        if card is None:
            return None
        grid = self.grid
        theme = self.window_.stage.theme
        lang = self.window_.show_state.lang
        width = min(grid.width - 2 * grid.margin, grid.px(1000))
        most = min(grid.height - 2 * grid.margin, grid.px(720))
        pad = grid.px(48)
        close = grid.px(CONTROL_DESIGN_PX)
        title = card.title.get(lang) if card.title else ""
        title_box = QRectF(0, 0, width - 3 * pad - close, grid.px(120))
        title_font = fit_font(title or " ", title_box, grid.px(44), bold=True, max_lines=2)
        title_height = max(close, text_size(title, title_font, title_box.width()).height())
        body_top = pad + title_height + grid.px(44)
        block = fit_block(
            paragraphs(card.detail.get(lang)),
            width - 2 * pad,
            most - body_top - pad,
            grid.px(theme.type.body),
            grid.px(theme.type.caption),
            theme.type.line_height,
        )
        height = max(grid.px(300), body_top + block.height + pad)
        rect = QRectF((grid.width - width) / 2, (grid.height - height) / 2, width, height)
        return CardLayout(rect, title, title_font, title_height, body_top, block)

    def card_rect(self) -> QRectF:
        layout = self.card_layout()
        return layout.rect if layout else QRectF()

    def card_close_rect(self) -> QRectF:
        card = self.card_rect()
        size = self.grid.px(CONTROL_DESIGN_PX)
        pad = self.grid.px(16)
        return QRectF(card.right() - size - pad, card.top() + pad, size, size)

    def keep_rect(self) -> QRectF:
        grid = self.grid
        width, height = grid.px(520), grid.px(120)
        return QRectF((grid.width - width) / 2, grid.height / 2 + grid.px(20), width, height)

    def pin_rect(self) -> QRectF:
        grid = self.grid
        width, height = grid.px(520), grid.px(760)
        return QRectF((grid.width - width) / 2, (grid.height - height) / 2, width, height)

    def pin_status_rect(self) -> QRectF:
        """Where the pad says "wrong PIN" or how long it is locked."""
        grid, pad = self.grid, self.pin_rect()
        return QRectF(pad.left(), pad.top() + grid.px(84), pad.width(), grid.px(48))

    def pin_dots_rect(self) -> QRectF:
        """Where the pad shows one dot per digit entered."""
        grid, pad = self.grid, self.pin_rect()
        return QRectF(pad.left(), pad.top() + grid.px(132), pad.width(), grid.px(48))

    def pin_keys(self) -> list[Control]:
        """The PIN pad's keys: digits, clear and OK, in a 3 by 4 grid."""
        grid = self.grid
        pad = self.pin_rect()
        top = pad.top() + grid.px(200)
        size, gap = grid.px(120), grid.px(24)
        left = pad.center().x() - (3 * size + 2 * gap) / 2
        return [
            Control(
                key,
                QRectF(left + (i % 3) * (size + gap), top + (i // 3) * (size + gap), size, size),
            )  # fmt: skip
            for i, key in enumerate(PIN_KEYS)
        ]

    def pin_key_at(self, x: float, y: float) -> str | None:
        point = QPointF(x, y)
        return next((k.key for k in self.pin_keys() if k.rect.contains(point)), None)

    def hint_rect(self) -> QRectF:
        grid = self.grid
        width, height = grid.px(560), grid.px(84)
        return QRectF(
            (grid.width - width) / 2, grid.footer.top() - height - grid.px(24), width, height
        )

    # -- input -------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            for point in event.points():
                pos = point.position()
                state = point.state()
                if state == point.State.Pressed:
                    self.window_.pointer("down", point.id() + 1, pos.x(), pos.y())
                elif state == point.State.Released:
                    self.window_.pointer("up", point.id() + 1, pos.x(), pos.y())
                elif state == point.State.Updated:
                    self.window_.pointer("move", point.id() + 1, pos.x(), pos.y())
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self.window_.pointer("cancel", 0, 0.0, 0.0)
            event.accept()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.window_.pointer("down", 0, pos.x(), pos.y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.window_.pointer("move", 0, pos.x(), pos.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        self.window_.pointer("up", 0, pos.x(), pos.y())

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            grid = self.grid
            now = self.window_.clock()
            self._paint_cached_nav(painter, grid)
            show = self.window_.show_state
            if show.mode is Mode.ATTRACT:
                self._paint_hint(painter, grid, now)
            visitor = self.window_.visitor
            if visitor.card is not None:
                self._paint_card(painter, grid)
            warning = show.idle_warning(now)
            if warning is not None and visitor.card is None:
                self._paint_countdown(painter, grid, warning)
            if self.window_.content_errors:
                self._paint_content_errors(painter, grid)
            if self.window_.notices and not visitor.pin_open:
                self._paint_notice_mark(painter, grid)
            if visitor.pin_open:
                self._paint_pin(painter, grid, now)
            self._paint_ripples(painter, grid, now)
        finally:
            painter.end()

    def _color(self, name: str, alpha: float = 1.0) -> QColor:
        color = QColor(getattr(self.window_.stage.theme.colors, name))
        color.setAlphaF(alpha)
        return color

    def _paint_cached_nav(self, painter: QPainter, grid: Grid) -> None:
        """The navigation bar changes only with the slide, language or a press: it is painted
        into a pixmap then, and every animation frame reuses it."""
        show = self.window_.show_state
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (self.width(), self.height(), ratio, show.index, show.count, show.lang,
               self.window_.visitor.pressed)  # fmt: skip
        if self._nav_cache is None or self._nav_cache[0] != key:
            band = grid.footer
            with pixmap_layer(band.width(), band.height(), ratio) as (pixmap, layer):
                layer.translate(-band.topLeft())
                self._paint_nav(layer, grid)
            self._nav_cache = (key, pixmap, band)
        painter.drawPixmap(self._nav_cache[2].topLeft(), self._nav_cache[1])

    def _paint_nav(self, painter: QPainter, grid: Grid) -> None:
        show = self.window_.show_state
        pressed = self.window_.visitor.pressed
        for control in self.controls():
            rect = control.rect
            down = pressed == control.key
            if control.key.startswith("dot:"):
                index = int(control.key[4:])
                on = index == show.index
                radius = grid.px(9 if on else 6) * (1.25 if down else 1.0)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._color("teal" if on else "muted", 1.0 if on else 0.45))
                painter.drawEllipse(rect.center(), radius, radius)
                continue
            painter.setPen(QPen(self._color("panel_edge"), grid.px(1.5)))
            painter.setBrush(self._color("teal" if down else "panel", 0.55 if down else 0.9))
            radius = rect.height() / 2
            painter.drawRoundedRect(rect, radius, radius)
            if control.key == "lang":
                self._paint_lang(painter, grid, rect)
            else:
                self._paint_icon(painter, grid, control.key, rect)

    def _paint_icon(self, painter: QPainter, grid: Grid, key: str, rect: QRectF) -> None:
        c = rect.center()
        s = rect.width() * 0.16
        pen = QPen(self._color("text"), grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        if key == "prev":
            path.moveTo(c.x() + s * 0.6, c.y() - s * 1.2)
            path.lineTo(c.x() - s * 0.6, c.y())
            path.lineTo(c.x() + s * 0.6, c.y() + s * 1.2)
        elif key == "next":
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
        lang = self.window_.show_state.lang
        halves = [
            QRectF(rect.left(), rect.top(), rect.width() / 2, rect.height()),
            QRectF(rect.center().x(), rect.top(), rect.width() / 2, rect.height()),
        ]
        for code, half in zip(("zh", "en"), halves, strict=True):
            on = code == lang
            font = ui_font(grid.px(24), bold=on)
            color = self._color("text") if on else self._color("muted")
            draw_text(painter, half, STRINGS["lang"][code], font, color, CENTER)

    def _paint_hint(self, painter: QPainter, grid: Grid, now: float) -> None:
        if self.window_.show_state.deck.settings.loop.reduce_motion:
            pulse = 1.0
        else:
            pulse = 0.72 + 0.28 * math.sin(now * 2 * math.pi / 3.0)  # a slow 3 s breath
        rect = self.hint_rect()
        painter.setPen(QPen(self._color("teal", 0.8 * pulse), grid.px(2)))
        painter.setBrush(self._color("panel", 0.85))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        text = STRINGS["hint"][self.window_.show_state.lang]
        font = fit_font(text, rect.adjusted(grid.px(24), 0, -grid.px(24), 0), grid.px(30),
                        bold=True, max_lines=1)  # fmt: skip
        draw_text(painter, rect, text, font, self._color("text", pulse), CENTER)

    def _paint_card(self, painter: QPainter, grid: Grid) -> None:
        layout = self.card_layout()
        assert layout is not None
        painter.fillRect(self.rect(), self._color("background", 0.62))
        rect = layout.rect
        radius = grid.px(self.window_.stage.theme.space.radius)
        painter.setPen(QPen(self._color("teal", 0.9), grid.px(2)))
        painter.setBrush(self._color("panel"))
        painter.drawRoundedRect(rect, radius, radius)
        pad = grid.px(48)
        close = self.card_close_rect()
        title_rect = QRectF(rect.left() + pad, rect.top() + pad,
                            close.left() - rect.left() - 2 * pad, layout.title_height)  # fmt: skip
        if layout.title:
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                        | Qt.TextFlag.TextWordWrap)  # fmt: skip
            draw_text(painter, title_rect, layout.title, layout.title_font, self._color("text"),
                      flags)  # fmt: skip
        painter.fillRect(QRectF(rect.left() + pad, title_rect.bottom() + grid.px(16),
                                grid.px(64), grid.px(4)), self._color("gold"))  # fmt: skip
        origin = QPointF(rect.left() + pad, rect.top() + layout.body_top)
        layout.block.draw(painter, origin, self.window_.stage.theme.colors.text)
        down = self.window_.visitor.pressed == "card-close"
        painter.setPen(QPen(self._color("panel_edge"), grid.px(1.5)))
        painter.setBrush(self._color("teal" if down else "background", 0.8))
        painter.drawEllipse(close)
        pen = QPen(self._color("text"), grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        c, s = close.center(), close.width() * 0.18
        painter.drawLine(QPointF(c.x() - s, c.y() - s), QPointF(c.x() + s, c.y() + s))
        painter.drawLine(QPointF(c.x() - s, c.y() + s), QPointF(c.x() + s, c.y() - s))

    def _paint_countdown(self, painter: QPainter, grid: Grid, seconds: float) -> None:
        lang = self.window_.show_state.lang
        painter.fillRect(self.rect(), self._color("background", 0.7))
        # A panel behind the words keeps them legible over any slide (bars, images).
        width = min(grid.width - 2 * grid.margin, grid.px(820))
        panel = QRectF((grid.width - width) / 2, grid.height / 2 - grid.px(250), width,
                       grid.px(430))  # fmt: skip
        radius = grid.px(self.window_.stage.theme.space.radius)
        painter.setPen(QPen(self._color("panel_edge"), grid.px(1.5)))
        painter.setBrush(self._color("panel"))
        painter.drawRoundedRect(panel, radius, radius)
        question = QRectF(0, grid.height / 2 - grid.px(190), grid.width, grid.px(90))
        draw_text(painter, question, STRINGS["still"][lang], ui_font(grid.px(56), bold=True),
                  self._color("text"), CENTER)  # fmt: skip
        note = QRectF(0, grid.height / 2 - grid.px(90), grid.width, grid.px(60))
        text = STRINGS["returning"][lang].format(n=math.ceil(seconds))
        draw_text(painter, note, text, ui_font(grid.px(30)), self._color("muted"), CENTER)
        keep = self.keep_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color("gold"))
        painter.drawRoundedRect(keep, keep.height() / 2, keep.height() / 2)
        draw_text(painter, keep, STRINGS["keep"][lang], ui_font(grid.px(44), bold=True),
                  self._color("background"), CENTER)  # fmt: skip

    def _paint_content_errors(self, painter: QPainter, grid: Grid) -> None:
        """A banner for curators in a window; in the hall only a small mark staff recognise
        (the errors themselves are listed behind the staff gesture, on the PIN pad)."""
        errors = self.window_.content_errors
        if self.window_.kiosk:
            if not self.window_.visitor.pin_open:
                radius = grid.px(7)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._color("gold", 0.8))
                painter.drawEllipse(QPointF(grid.width - grid.px(22), grid.px(22)), radius, radius)
            return
        lang = self.window_.show_state.lang
        band = QRectF(0, 0, grid.width, grid.px(120))
        painter.fillRect(band, self._color("panel", 0.96))
        painter.fillRect(QRectF(0, band.bottom() - grid.px(4), grid.width, grid.px(4)),
                         self._color("gold"))  # fmt: skip
        inner = band.adjusted(grid.margin, grid.px(14), -grid.margin, -grid.px(14))
        head = STRINGS["content"][lang].format(n=len(errors))
        text = f"{head}\n{errors[0]}"
        font = fit_font(text, inner, grid.px(24), max_lines=3)
        draw_text(painter, inner, text, font, self._color("text"))

    def _paint_notice_mark(self, painter: QPainter, grid: Grid) -> None:
        """Operations notices (the kiosk's own files) get only a small sky-blue mark, beside
        the content errors' gold one: staff read them on the PIN pad; visitors and curators
        have nothing to fix in them."""
        beside = self.window_.kiosk and bool(self.window_.content_errors)
        x = grid.width - grid.px(44 if beside else 22)
        y = grid.px(22) if self.window_.kiosk or not self.window_.content_errors else grid.px(142)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color("sky", 0.8))
        painter.drawEllipse(QPointF(x, y), grid.px(7), grid.px(7))

    def _paint_pin(self, painter: QPainter, grid: Grid, now: float) -> None:
        window = self.window_
        visitor = window.visitor
        lang = window.show_state.lang
        painter.fillRect(self.rect(), self._color("background", 0.85))
        pad = self.pin_rect()
        radius = grid.px(self.window_.stage.theme.space.radius)
        painter.setPen(QPen(self._color("panel_edge"), grid.px(2)))
        painter.setBrush(self._color("panel"))
        painter.drawRoundedRect(pad, radius, radius)
        title = QRectF(pad.left(), pad.top() + grid.px(28), pad.width(), grid.px(56))
        draw_text(painter, title, STRINGS["pin"][lang], ui_font(grid.px(36), bold=True),
                  self._color("text"), CENTER)  # fmt: skip
        status = self.pin_status_rect()
        locked = visitor.pin_gate.locked(now) if visitor.pin_gate else 0.0
        if locked > 0:
            text = STRINGS["locked"][lang].format(n=math.ceil(locked))
            draw_text(painter, status, text, ui_font(grid.px(26)), self._color("gold"), CENTER)
        elif visitor.pin_message:
            draw_text(painter, status, STRINGS[visitor.pin_message][lang], ui_font(grid.px(26)),
                      self._color("gold"), CENTER)  # fmt: skip
        dots = self.pin_dots_rect()
        draw_text(painter, dots, "●" * len(visitor.pin_entry or "") or "–",
                  ui_font(grid.px(32)), self._color("teal"), CENTER)  # fmt: skip
        notices = window.notices
        if window.content_errors or notices:
            # Staff read the content errors here: beside the pad, or below it in portrait.
            if grid.portrait:
                listing = QRectF(grid.margin, pad.bottom() + grid.gutter,
                                 grid.width - 2 * grid.margin,
                                 grid.footer.top() - pad.bottom() - grid.gutter)  # fmt: skip
            else:
                listing = QRectF(grid.margin, pad.top(),
                                 pad.left() - grid.margin - grid.gutter, pad.height())  # fmt: skip
            if window.content_errors and notices:
                half = listing.height() / 2
                errors_rect = QRectF(listing.left(), listing.top(), listing.width(), half)
                notices_rect = errors_rect.translated(0, half)
            else:
                errors_rect = notices_rect = listing
            if window.content_errors:
                text = "\n".join(window.content_errors[:8])
                font = fit_font(text, errors_rect, grid.px(22), min_px=grid.px(12))
                draw_text(painter, errors_rect, text, font, self._color("gold"))
            if notices:
                # Told apart from content errors: its own heading and colour.
                text = "\n".join([STRINGS["ops"][lang], *notices[:6]])
                font = fit_font(text, notices_rect, grid.px(22), min_px=grid.px(12))
                draw_text(painter, notices_rect, text, font, self._color("sky"))
        for key in self.pin_keys():
            down = visitor.pressed == f"pin:{key.key}"
            painter.setPen(QPen(self._color("panel_edge"), grid.px(1.5)))
            painter.setBrush(self._color("teal" if down else "background", 0.9))
            painter.drawEllipse(key.rect)
            label = {"clear": "C", "ok": "OK"}.get(key.key, key.key)
            draw_text(painter, key.rect, label, ui_font(grid.px(40), bold=True),
                      self._color("text"), CENTER)  # fmt: skip

    def _paint_ripples(self, painter: QPainter, grid: Grid, now: float) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for x, y, started in self.window_.ripples:
            t = min(1.0, max(0.0, (now - started) / RIPPLE_S))
            radius = grid.px(28 + 60 * t)
            painter.setPen(QPen(self._color("teal", 0.85 * (1 - t)), grid.px(5)))
            painter.drawEllipse(QPointF(x, y), radius, radius)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._color("teal", 0.3 * (1 - t)))
            painter.drawEllipse(QPointF(x, y), grid.px(26), grid.px(26))
            painter.setBrush(Qt.BrushStyle.NoBrush)
