"""The layer above the slides: a view that paints the kiosk's chrome and reports touches.

Navigation, the attract hint, notices, the idle countdown, tap cues, detail cards, the PIN pad
and touch ripples are painted from the visitor state (`kiosk.show.controller.Controller`), the
theme and the clock it is given; it keeps no state of its own beyond paint caches. Everything
but the cues and an open card lives in the foot band (`kiosk.ui.chrome`), so nothing it paints
covers the slide; the cues sit where the settled slide draws nothing (it renders the slide once
to see where that is). It answers what a point lands on (`hit_at`, typed `kiosk.show.hits`
values: it is the controller's `Surface`) and reports every touch and click through
`on_pointer`. It knows no window.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
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
from kiosk.show.show import IDLE_WARNING_S, Mode
from kiosk.ui import chrome
from kiosk.ui.base import HitTarget
from kiosk.ui.chrome import Button, CardLayout
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import device_ratio, pixmap_layer, theme_color
from kiosk.ui.draw.text import draw_text, fit_font
from kiosk.ui.fonts import ui_font
from kiosk.ui.pinpad import paint_pin_pad
from kiosk.ui.render import render_slide
from kiosk.ui.words import CENTER, STRINGS, hint_lines

log = logging.getLogger(__name__)

INK_CONTRAST = 40
"""How far (in any of R, G, B) a pixel must be from the slide's background to be ink: text, a
figure, a bar. Panels, hairlines and gridlines are fainter (at most about 30) and a cue may
sit on them."""

LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
MIDDLE = int(Qt.AlignmentFlag.AlignCenter)
WRAP_MIDDLE = int(
    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
)


class Ink:
    """Where a settled slide draws text or figures, from its pixels: how much of a rectangle
    is ink (0 to 1), measured only where asked (a cue looks at a few small squares)."""

    def __init__(
        self,
        image: QImage,
        background: str | QImage,
        contrast: int = INK_CONTRAST,
        ignore: Sequence[QRectF] = (),
    ) -> None:
        """Ink is what differs from `background` (a colour, or an image of the slide's own
        backdrop) by more than `contrast` in any of R, G and B, outside `ignore`."""
        self.image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.pixels = _bgr(self.image)
        self.reference: np.ndarray
        if isinstance(background, QImage):
            self.backdrop: QImage | None = background.convertToFormat(QImage.Format.Format_RGB32)
            self.reference = _bgr(self.backdrop)
        else:
            self.backdrop = None
            color = QColor(background)
            self.reference = np.array([color.blue(), color.green(), color.red()], np.int16)
        self.contrast = contrast
        self.ignore = list(ignore)

    def without(self, rect: QRectF) -> Ink:
        """The same ink, with nothing counted inside `rect`."""
        background = self.backdrop if self.backdrop is not None else self._color()
        return Ink(self.image, background, self.contrast, [*self.ignore, rect])

    def _color(self) -> str:
        b, g, r = (int(v) for v in self.reference)
        return f"#{r:02X}{g:02X}{b:02X}"

    def __call__(self, rect: QRectF) -> float:
        height, width = self.pixels.shape[:2]
        box = _span(rect, width, height)
        if box is None:
            return 0.0
        left, top, right, bottom = box
        region = self.pixels[top:bottom, left:right].astype(np.int16)
        reference = self.reference
        if reference.ndim == 3:
            reference = reference[top:bottom, left:right].astype(np.int16)
        mask = np.abs(region - reference).max(axis=2) > self.contrast
        for skip in self.ignore:
            cut = _span(skip, width, height)
            if cut is not None:
                mask[
                    max(0, cut[1] - top) : max(0, cut[3] - top),
                    max(0, cut[0] - left) : max(0, cut[2] - left),
                ] = False
        return float(mask.mean())


def _no_ink(rect: QRectF) -> float:
    return 0.0


def _bgr(image: QImage) -> np.ndarray:
    """The blue, green and red of a 32-bit image as a (height, width, 3) view of its bytes."""
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )
    return rows[:, : image.width(), :3]


def _span(rect: QRectF, width: int, height: int) -> tuple[int, int, int, int] | None:
    """`rect`'s whole pixels inside a `width` x `height` image, or None for none."""
    left, top = max(0, int(rect.left())), max(0, int(rect.top()))
    right = min(width, math.ceil(rect.right()))
    bottom = min(height, math.ceil(rect.bottom()))
    return (left, top, right, bottom) if right > left and bottom > top else None


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
        speaking: Callable[[], bool] = lambda: False,
        settled: Callable[[], QImage | None] = lambda: None,
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
        self.speaking = speaking
        """Whether narration is playing (the listen control shows it on)."""
        self.settled = settled
        """The live slide's own picture when it is settled (None while it moves): the cues
        are placed on it rather than on a second, settled copy of the slide."""
        self.reach: float | None = None
        """The pixel row a seated visitor's hand reaches up to (from the hall's screen and
        its mounting), which the controls keep below where they can; None: not known."""
        self.kiosk = kiosk
        self.content_errors: list[str] = []
        """What is wrong with the content folder (the last good deck plays on)."""
        self.on_pointer: Callable[[Phase, int, float, float], None] = lambda *args: None
        """Hears every touch point and the mouse, in overlay (window) pixels."""
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self._nav_cache: tuple[tuple[object, ...], QPixmap, QRectF] | None = None
        self._cue_cache: tuple[tuple[object, ...], dict[str, QRectF]] | None = None
        self._badge_cache: tuple[tuple[float, float], QPixmap] | None = None

    # -- what is where -----------------------------------------------------------------------

    def hit_at(self, x: float, y: float, layer: Layer | None = None) -> Hit[HitTarget] | None:
        """What the point lands on in `layer` (by default the one on top), if anything."""
        layer = layer or self.visitor.layer
        point = QPointF(x, y)
        if layer is Layer.PIN:
            return next((k.key for k in self.pin_keys() if k.rect.contains(point)), None)
        if layer is Layer.CARD:
            if self.control_at(x, y) is Control.LISTEN:
                return Control.LISTEN  # it speaks the open card
            if self.card_close_rect().contains(point):
                return CardPart.CLOSE
            return CardPart.BODY if self.card_rect().contains(point) else None
        control = self.control_at(x, y)
        if control is not None:
            return control
        if self.counting() and self.countdown_rect().contains(point):
            return Control.KEEP
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
        """The band's controls: listen, larger text, contrast, then the navigation."""
        return chrome.controls(self.grid, self.show_state.count, self.reach)

    def set_theme(self, theme: Theme) -> None:
        """Paint with `theme` from now on (a visitor's high contrast or larger text)."""
        if theme is not self.theme:
            self.theme = theme
            self._nav_cache = self._cue_cache = self._badge_cache = None
            self.update()

    def target_at(self, x: float, y: float) -> HitTarget | None:
        """The tappable element of the live slide under a point (none mid-transition): an
        element, or the "+" cue of one (a cue beside its element answers for it, over a
        square of at least a touch's side)."""
        point = QPointF(x, y)
        targets = self.targets()
        found = next((t for t in targets if t.rect.contains(point)), None)
        if found is not None or not targets:
            return found
        touch = self.grid.touch
        for target in targets:
            cue = self.cue_rects().get(target.key)
            if cue is None:
                continue
            grow = max(0.0, (touch - cue.width()) / 2)
            if cue.adjusted(-grow, -grow, grow, grow).contains(point):
                return target
        return None

    def staff_corner(self) -> QRectF:
        return chrome.staff_corner(self.grid)

    def in_staff_corner(self, x: float, y: float) -> bool:
        corner = self.staff_corner()
        return x <= corner.right() and y <= corner.bottom()

    def card_layout(self) -> CardLayout | None:
        """The open card beside its element, sized to its text."""
        card = self.visitor.card
        if card is None:
            return None
        glossary = self.show_state.deck.settings.glossary
        return chrome.card_layout(self.grid, self.theme, card, self.show_state.lang, glossary)

    def card_rect(self) -> QRectF:
        layout = self.card_layout()
        return layout.rect if layout else QRectF()

    def card_close_rect(self) -> QRectF:
        layout = self.card_layout()
        return layout.close if layout else QRectF()

    def counting(self) -> bool:
        """Whether the idle countdown shows (in the band; not while a card is open)."""
        warning = self.show_state.idle_warning(self.clock())
        return warning is not None and self.visitor.card is None

    def countdown_rect(self) -> QRectF:
        return chrome.countdown_rect(self.grid, self.show_state.count)

    def keep_rect(self) -> QRectF:
        return chrome.keep_rect(self.grid, self.show_state.count)

    def hint_rect(self) -> QRectF:
        return chrome.hint_rect(self.grid, self.show_state.count)

    def message_rect(self) -> QRectF:
        return chrome.message_rect(self.grid, self.show_state.count)

    def cue_rects(self) -> dict[str, QRectF]:
        """Where the live slide's "+" badges go, by target key: measured once per slide,
        size and language on a settled copy of the slide (its pixels say where it draws)."""
        targets = self.targets()
        if not targets:
            return {}
        show = self.show_state
        key = (
            id(show.deck),
            show.deck.revision,
            show.index,
            show.lang,
            self.width(),
            self.height(),
            id(self.theme),
            tuple((t.key, t.rect.getRect()) for t in targets),
        )
        if self._cue_cache is None or self._cue_cache[0] != key:
            slide = show.deck.slides[show.index]
            ink: Callable[[QRectF], float]
            try:
                image = self.settled()
                if image is None or image.size() != self.size():
                    size = (self.width(), self.height())
                    image = render_slide(show.deck, slide, size, show.lang, theme=self.theme)
                ink = Ink(image, self.theme.colors.background)
            except Exception:
                # A slide that cannot be rendered must not take the chrome down with it: its
                # cues go to the first corner the geometry allows.
                log.exception("slide %s cannot be rendered to place its cues", slide.id)
                ink = _no_ink
            self._cue_cache = (key, chrome.cue_rects(self.grid, targets, ink))
        return self._cue_cache[1]

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
            visitor = self.visitor
            self._paint_cues(painter, grid)
            # One message at a time in the band's message room, the most urgent first: the
            # countdown (a visitor is about to lose the visit), a curator's content errors,
            # then the attract hint in its own slot.
            warning = show.idle_warning(now)
            if warning is not None and visitor.card is None:
                self._paint_countdown(painter, grid, warning)
            elif self.content_errors and not self.kiosk:
                self._paint_content_errors(painter, grid)
            elif show.mode is Mode.ATTRACT:
                self._paint_hint(painter, grid, now)
            if visitor.card is not None:
                self._paint_card(painter, grid)
            if visitor.pin_open:
                self._paint_pin(painter, grid, now)
            else:
                self._paint_marks(painter, grid)
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
            show.access,
            self.speaking(),
            self.reach,
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
                    # The other slides' dots at 55 %: 3:1 on the background (WCAG 1.4.11, a
                    # control must be seen; `kiosk audit` measures it, kiosk/content/contrast.py).
                    theme_color(self.theme, "teal" if on else "muted", 1.0 if on else 0.55)
                )
                painter.drawEllipse(rect.center(), radius, radius)
                continue
            on = self._switched_on(control.key)
            painter.setPen(QPen(theme_color(self.theme, "panel_edge"), grid.px(1.5)))
            if on:
                painter.setBrush(theme_color(self.theme, "text" if down else "teal"))
            else:
                painter.setBrush(
                    theme_color(self.theme, "teal" if down else "panel", 0.55 if down else 0.9)
                )
            radius = rect.height() / 2
            painter.drawRoundedRect(rect, radius, radius)
            if control.key in chrome.ACCESS_KEYS:
                self._paint_access(painter, grid, control.key, rect, on)
            elif control.key is Control.LANG:
                self._paint_lang(painter, grid, rect)
            elif isinstance(control.key, Control):
                self._paint_icon(painter, grid, control.key, rect)

    def _switched_on(self, key: Control | Dot) -> bool:
        """Whether an access control is on: speaking, larger text, high contrast."""
        access = self.show_state.access
        if key is Control.LISTEN:
            return self.speaking()
        if key is Control.LARGER:
            return access.larger
        return key is Control.CONTRAST and access.contrast

    def _paint_access(
        self, painter: QPainter, grid: Grid, key: Control, rect: QRectF, on: bool
    ) -> None:
        """The access controls' marks: a speaker with sound waves (listen), "A+" (larger
        text), a half-filled disc (contrast); drawn dark on the teal of a control that is on."""
        ink = theme_color(self.theme, "background" if on else "text")
        c = rect.center()
        s = rect.width() * 0.16
        pen = QPen(ink, grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if key is Control.LISTEN:
            body = QPainterPath()
            body.moveTo(c.x() - s * 1.5, c.y() - s * 0.5)
            body.lineTo(c.x() - s * 0.8, c.y() - s * 0.5)
            body.lineTo(c.x() + s * 0.1, c.y() - s * 1.3)
            body.lineTo(c.x() + s * 0.1, c.y() + s * 1.3)
            body.lineTo(c.x() - s * 0.8, c.y() + s * 0.5)
            body.lineTo(c.x() - s * 1.5, c.y() + s * 0.5)
            body.closeSubpath()
            painter.setPen(pen)
            painter.setBrush(ink)
            painter.drawPath(body)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for i, r in enumerate((s * 0.9, s * 1.6)):
                box = QRectF(c.x() + s * 0.1 - r, c.y() - r, 2 * r, 2 * r)
                pen.setWidthF(grid.px(4 - i))
                painter.setPen(pen)
                painter.drawArc(box, -45 * 16, 90 * 16)
        elif key is Control.LARGER:
            font = ui_font(rect.height() * 0.4, bold=True)
            draw_text(painter, rect, "A+", font, ink, MIDDLE)
        else:
            r = s * 1.45
            box = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box)
            half = QPainterPath()
            half.moveTo(c)
            half.arcTo(box, 90, 180)
            half.closeSubpath()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawPath(half)

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

    def _paint_cues(self, painter: QPainter, grid: Grid) -> None:
        """The "+" badge on every element that opens a card: one small pixmap, drawn at
        each place the slide leaves free."""
        cues = self.cue_rects()
        if not cues:
            return
        badge = self._badge(painter, grid)
        for rect in cues.values():
            painter.drawPixmap(rect.topLeft(), badge)

    def _badge(self, painter: QPainter, grid: Grid) -> QPixmap:
        size = grid.px(chrome.CUE_DESIGN_PX)
        ratio = device_ratio(painter)
        if self._badge_cache is None or self._badge_cache[0] != (size, ratio):
            with pixmap_layer(size, size, ratio) as (pixmap, layer):
                layer.setRenderHint(QPainter.RenderHint.Antialiasing)
                # A teal disc with a rim of the background: it reads on a panel, a bar or the
                # background alike; a bold "+" says "there is more".
                rim = grid.px(2.5)
                layer.setPen(Qt.PenStyle.NoPen)
                layer.setBrush(theme_color(self.theme, "background"))
                layer.drawEllipse(QRectF(0, 0, size, size))
                layer.setBrush(theme_color(self.theme, "teal"))
                layer.drawEllipse(QRectF(rim, rim, size - 2 * rim, size - 2 * rim))
                pen = QPen(theme_color(self.theme, "background"), grid.px(3.5))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                layer.setPen(pen)
                c, arm = size / 2, size * 0.22
                layer.drawLine(QPointF(c - arm, c), QPointF(c + arm, c))
                layer.drawLine(QPointF(c, c - arm), QPointF(c, c + arm))
            self._badge_cache = ((size, ratio), pixmap)
        return self._badge_cache[1]

    def _paint_hint(self, painter: QPainter, grid: Grid, now: float) -> None:
        """The attract hint in the band's hint slot, in every language of the deck at once
        (the current one first), breathing slowly."""
        show = self.show_state
        if show.deck.settings.loop.reduce_motion or self.theme.motion.calm:
            pulse = 1.0
        else:
            pulse = 0.72 + 0.28 * math.sin(now * 2 * math.pi / 3.0)  # a slow 3 s breath
        rect = self.hint_rect()
        if rect.width() < grid.px(120):
            return  # a deck of very many slides leaves no room beside its dots
        radius = rect.height() / 2
        painter.setPen(QPen(theme_color(self.theme, "teal", 0.35 + 0.55 * pulse), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel", 0.92))
        painter.drawRoundedRect(rect, radius, radius)
        # A fingertip: a teal dot in a ring that breathes with the pill.
        dot = QPointF(rect.left() + radius, rect.center().y())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme_color(self.theme, "teal"))
        painter.drawEllipse(dot, grid.px(7), grid.px(7))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(theme_color(self.theme, "teal", 0.25 + 0.6 * pulse), grid.px(2)))
        ring = grid.px(13) + grid.px(4) * pulse
        painter.drawEllipse(dot, ring, ring)
        left = dot.x() + grid.px(26)
        text_rect = QRectF(left, rect.top(), rect.right() - left - radius * 0.6, rect.height())
        lines = hint_lines(list(show.deck.settings.languages), show.lang)
        # The words stay at full strength (the pill and the fingertip breathe): the quieter
        # line at the breath's dimmest was 2.5:1, under WCAG's 4.5:1 for text.
        self._paint_lines(painter, grid, text_rect, lines, 1.0)

    def _paint_lines(
        self, painter: QPainter, grid: Grid, rect: QRectF, lines: list[str], alpha: float
    ) -> None:
        """A leading line (bold, bright) over a quieter one, each fitted into `rect`'s width."""
        if not lines:
            return
        bright = theme_color(self.theme, "text", alpha)
        first_font = fit_font(
            lines[0], rect, grid.px(25), bold=True, max_lines=1, flags=LEFT_MIDDLE
        )
        if len(lines) == 1:
            draw_text(painter, rect, lines[0], first_font, bright, LEFT_MIDDLE)
            return
        second_font = fit_font(lines[1], rect, grid.px(20), max_lines=1, flags=LEFT_MIDDLE)
        first_h = first_font.pixelSize() * 1.3
        second_h = second_font.pixelSize() * 1.3
        top = rect.center().y() - (first_h + second_h) / 2
        first = QRectF(rect.left(), top, rect.width(), first_h)
        second = QRectF(rect.left(), top + first_h, rect.width(), second_h)
        draw_text(painter, first, lines[0], first_font, bright, LEFT_MIDDLE)
        quiet = theme_color(self.theme, "muted", alpha)
        draw_text(painter, second, lines[1], second_font, quiet, LEFT_MIDDLE)

    def _paint_card(self, painter: QPainter, grid: Grid) -> None:
        """The open card beside its element: the rest of the screen dimmed, the element kept
        bright in a teal ring, a notch on the card pointing at it."""
        layout = self.card_layout()
        assert layout is not None
        radius = grid.px(self.theme.space.radius)
        # A slim element (a diagram's pill, a label) gets a pill of a ring; a tile, a bar or
        # a ring chart the tiles' rounded corners, concentric with a tile's own.
        ring = layout.ring
        slim = ring.height() <= grid.px(110)
        ring_radius = ring.height() / 2 if slim else radius + grid.px(8)
        veil = QPainterPath()
        veil.setFillRule(Qt.FillRule.OddEvenFill)
        veil.addRect(QRectF(self.rect()))
        veil.addRoundedRect(ring, ring_radius, ring_radius)
        # The listen control stays bright: it is the one control that speaks the card.
        listen = next((c.rect for c in self.controls() if c.key is Control.LISTEN), None)
        if listen is not None:
            veil.addEllipse(listen)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme_color(self.theme, "background", 0.62))
        painter.drawPath(veil)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(theme_color(self.theme, "teal"), grid.px(3)))
        painter.drawRoundedRect(ring, ring_radius, ring_radius)
        card = self.visitor.card
        cue = self.cue_rects().get(card.key) if card is not None else None
        if cue is not None:  # the element's own cue stays as bright as the element
            painter.drawPixmap(cue.topLeft(), self._badge(painter, grid))
        rect = layout.rect
        shape = QPainterPath()
        shape.addRoundedRect(rect, radius, radius)
        notch = QPainterPath()
        notch.addPolygon(layout.notch)
        notch.closeSubpath()
        shape = shape.united(notch)
        painter.setPen(QPen(theme_color(self.theme, "teal", 0.9), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel"))
        painter.drawPath(shape)
        pad = grid.px(chrome.CARD_PAD_DESIGN_PX)
        if layout.title_block is not None:
            block = layout.title_block
            top = rect.top() + pad + (layout.title_height - block.height) / 2
            block.draw(painter, QPointF(rect.left() + pad, top), self.theme.colors.text)
        rule_y = rect.top() + pad + layout.title_height + grid.px(14)
        painter.fillRect(
            QRectF(rect.left() + pad, rule_y, grid.px(64), grid.px(4)),
            theme_color(self.theme, "gold"),
        )
        origin = QPointF(rect.left() + pad, rect.top() + layout.body_top)
        layout.block.draw(painter, origin, self.theme.colors.text)
        close = layout.close
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
        """The idle countdown in the band, over the source and hint slots: no veil, the slide
        and the navigation stay as they are and keep working."""
        lang = self.show_state.lang
        panel = self.countdown_rect()
        radius = panel.height() / 2
        painter.setPen(QPen(theme_color(self.theme, "gold", 0.85), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel"))
        painter.drawRoundedRect(panel, radius, radius)
        # A ring that empties as the seconds run out, the seconds in it.
        center = QPointF(panel.left() + radius, panel.center().y())
        r = min(radius * 0.62, grid.px(24))
        box = QRectF(center.x() - r, center.y() - r, 2 * r, 2 * r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(theme_color(self.theme, "panel_edge"), grid.px(4)))
        painter.drawEllipse(box)
        total = min(IDLE_WARNING_S, self.show_state.deck.settings.loop.idle_timeout / 2)
        pen = QPen(theme_color(self.theme, "gold"), grid.px(4))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        share = max(0.0, min(1.0, seconds / total)) if total > 0 else 0.0
        painter.drawArc(box, 90 * 16, round(360 * 16 * share))
        n = math.ceil(seconds)
        font = ui_font(r * 0.85, bold=True)
        draw_text(painter, box, str(n), font, theme_color(self.theme, "text"), MIDDLE)
        keep = self.keep_rect()
        left = center.x() + r + grid.px(20)
        text_rect = QRectF(left, panel.top(), keep.left() - grid.px(16) - left, panel.height())
        lines = [STRINGS["still"][lang], STRINGS["returning"][lang].format(n=n)]
        self._paint_lines(painter, grid, text_rect, lines, 1.0)
        down = self.visitor.pressed is Control.KEEP
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme_color(self.theme, "teal" if down else "gold"))
        painter.drawRoundedRect(keep, keep.height() / 2, keep.height() / 2)
        label = STRINGS["keep"][lang]
        inner = keep.adjusted(grid.px(16), 0, -grid.px(16), 0)
        font = fit_font(label, inner, grid.px(26), bold=True, max_lines=1, flags=MIDDLE)
        draw_text(painter, keep, label, font, theme_color(self.theme, "background"), MIDDLE)

    def _paint_content_errors(self, painter: QPainter, grid: Grid) -> None:
        """For curators in a window: the content errors in the band, over the source and hint
        slots (in the hall only a small mark staff recognise; the errors themselves are
        listed behind the staff gesture, on the PIN pad)."""
        errors = self.content_errors
        lang = self.show_state.lang
        panel = self.message_rect()
        radius = grid.px(12)
        painter.setPen(QPen(theme_color(self.theme, "gold"), grid.px(2)))
        painter.setBrush(theme_color(self.theme, "panel"))
        painter.drawRoundedRect(panel, radius, radius)
        inner = panel.adjusted(grid.px(20), grid.px(6), -grid.px(20), -grid.px(6))
        head = STRINGS["content"][lang].format(n=len(errors))
        text = f"{head}\n{errors[0]}"
        font = fit_font(text, inner, grid.px(20), min_px=grid.px(11), max_lines=3)
        draw_text(painter, inner, text, font, theme_color(self.theme, "text"), WRAP_MIDDLE)

    def _paint_marks(self, painter: QPainter, grid: Grid) -> None:
        """Small marks in the top-right corner of the outer margin, where no slide draws:
        gold for content errors (in the hall, where the band shows none), sky blue for
        operations notices (the kiosk's own files: staff read them on the PIN pad; visitors
        and curators have nothing to fix in them)."""
        first, second = chrome.mark_centers(grid)
        r = grid.px(chrome.MARK_DESIGN_PX)
        painter.setPen(Qt.PenStyle.NoPen)
        errors = bool(self.content_errors) and self.kiosk
        if errors:
            painter.setBrush(theme_color(self.theme, "gold", 0.8))
            painter.drawEllipse(first, r, r)
        if self.notices():
            painter.setBrush(theme_color(self.theme, "sky", 0.8))
            painter.drawEllipse(second if errors else first, r, r)

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
