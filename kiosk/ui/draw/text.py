"""Text: measuring, fitting and drawing it; wrapped paragraphs with a real line height.

`fit_font` / `draw_text` serve short texts drawn with QPainter (headings, labels, captions),
`draw_text` from a pixmap cache; `wrap_lines` / `fit_lines` give the lines themselves, for
labels placed line by line (chart axes); `TextBlock` and `fit_block` / `balanced` lay out
paragraphs on a regular line pitch, elided, never overflowing. Shared by the slide views and
the overlay's cards.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPixmap,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from kiosk.content.typeset import cjk_face_spans, compressed_marks, has_cjk
from kiosk.ui.cache import ByteLRU
from kiosk.ui.draw.observe import observed, tell, tell_cut
from kiosk.ui.draw.paint import blit, device_ratio, pixmap_layer
from kiosk.ui.fonts import CJK_FAMILY, ui_font


def laid_lines(layout: QTextLayout) -> list[str]:
    """The lines a laid-out QTextLayout broke its text into (line separators dropped)."""
    text = layout.text()
    return [
        text[line.textStart() : line.textStart() + line.textLength()].rstrip("\u2028")
        for line in (layout.lineAt(i) for i in range(layout.lineCount()))
    ]


FormatRange = QTextLayout.FormatRange
"""Bound once: tests count layouts by standing in for this module's QTextLayout."""


def cjk_formats(text: str, font: QFont) -> list[FormatRange]:
    """Formats that draw the quotes, dashes and ellipses of Chinese text with the CJK face
    (the Latin face comes first in every font and has narrow ones; Chinese sets them
    full-width), and set half-width the one of two marks side by side whose blank faces the
    other (”： would otherwise leave a full em of air)."""
    if not has_cjk(text):
        return []
    faces = dict.fromkeys((start + k for start, n in cjk_face_spans(text) for k in range(n)), 1)
    faces.update(dict.fromkeys(compressed_marks(text), 2))
    if not faces:
        return []
    face = QFont(font)
    face.setFamilies([CJK_FAMILY, *(f for f in font.families() if f != CJK_FAMILY)])
    half = QFont(face)
    half.setFeature(QFont.Tag("halt"), 1)
    ranges: list[FormatRange] = []
    for at in sorted(faces):
        kind = faces[at]
        last = ranges[-1] if ranges else None
        if last is not None and last.start + last.length == at and faces[at - 1] == kind:
            last.length += 1
            continue
        chosen = FormatRange()
        chosen.start, chosen.length = at, 1
        chosen.format = QTextCharFormat()
        chosen.format.setFont(half if kind == 2 else face)
        ranges.append(chosen)
    return ranges


def new_layout(text: str, font: QFont, option: QTextOption) -> QTextLayout:
    """A QTextLayout of `text` in `font` with the CJK face for Chinese punctuation."""
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    formats = cjk_formats(text, font)
    if formats:
        layout.setFormats(formats)
    return layout


@dataclass(frozen=True)
class SetText:
    """Text laid out as `draw_text` draws it: lines placed for the alignment in `flags` within
    a box `width` wide, from y = 0; `used` is the box the lines cover, before vertical
    alignment (`offset` gives that for a box of a given height)."""

    layout: QTextLayout
    used: QRectF
    flags: int

    def offset(self, height: float) -> float:
        if self.flags & int(Qt.AlignmentFlag.AlignVCenter):
            return (height - self.used.height()) / 2
        if self.flags & int(Qt.AlignmentFlag.AlignBottom):
            return height - self.used.height()
        return 0.0

    def lines(self) -> list[str]:
        return laid_lines(self.layout)


_SET: OrderedDict[tuple[object, ...], SetText] = OrderedDict()
_SET_SIZE = 2048


def set_text(text: str, font: QFont, width: float, flags: int = 0) -> SetText:
    """`text` laid out as QPainter.drawText would (same leading and line pitch), except that it
    wraps at word boundaries or, for a word wider than the line, anywhere: typeset Chinese
    joins whole terms, and one wider than a line must not overflow. Cached: fit_font measures
    the same strings again and again."""
    width = max(1.0, width)
    wraps = bool(flags & int(Qt.TextFlag.TextWordWrap))
    halign = flags & int(Qt.AlignmentFlag.AlignHorizontal_Mask)
    key = (text, font.key(), round(width * 4) if wraps or halign else 0, flags)
    found = _SET.get(key)
    if found is not None:
        _SET.move_to_end(key)
        return found
    option = QTextOption()
    option.setWrapMode(
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wraps else QTextOption.WrapMode.NoWrap
    )
    layout = new_layout(text.replace("\n", "\u2028"), font, option)
    layout.setCacheEnabled(True)
    leading = QFontMetricsF(font).leading()
    y = 0.0
    left, right = math.inf, -math.inf
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width if wraps else 1e7)
        y = math.ceil(y + leading)  # whole pixels, as QPainter places them
        natural = line.naturalTextWidth()
        if halign & int(Qt.AlignmentFlag.AlignHCenter):
            x = (width - natural) / 2
        elif halign & int(Qt.AlignmentFlag.AlignRight):
            x = width - natural
        else:
            x = 0.0
        line.setPosition(QPointF(x, y))
        left, right = min(left, x), max(right, x + natural)
        y += line.height()
    layout.endLayout()
    if left > right:
        left = right = 0.0
    found = SetText(layout, QRectF(left, 0, right - left, y), flags)
    _SET[key] = found
    if len(_SET) > _SET_SIZE:
        _SET.popitem(last=False)
    return found


def _drawn_lines(text: str, font: QFont, width: float, flags: int) -> list[str]:
    """The lines `draw_text` sets `text` in."""
    return set_text(text, font, width, flags).lines()


# --- flags and measures ---

WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT_MIDDLE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def line_box_height(text: str, font: QFont) -> float:
    """The height of one unwrapped line of `text`: CJK glyphs come from the fallback face,
    whose lines are taller than the Latin face's `lineSpacing`, so measure the text itself."""
    sample = text.split("\n", 1)[0] or "X"
    return max(QFontMetricsF(font).lineSpacing(), set_text(sample, font, 1e7).used.height())


def text_size(text: str, font: QFont, width: float, flags: int = WRAP) -> QRectF:
    """The box `text` needs when wrapped to `width` (as `draw_text` draws it)."""
    return set_text(text, font, width, flags).used


def balanced_width(text: str, font: QFont, width: float, flags: int = WRAP) -> float:
    """The narrowest width, up to `width`, at which `text` wraps into no more lines than at
    `width`: lines of even length, as CSS `text-wrap: balance` sets headings, so no heading
    ends on one lonely word ("Chongqing Liangjiang New / Area" becomes two even lines)."""
    if not flags & int(Qt.TextFlag.TextWordWrap):
        return width
    lines = len(set_text(text, font, width, flags).lines())
    if lines <= 1:
        return width
    low = min(width, longest_word(text, font))
    high = width
    for _ in range(12):
        if high - low < 0.5:
            break
        mid = (low + high) / 2
        if len(set_text(text, font, mid, flags).lines()) <= lines:
            high = mid
        else:
            low = mid
    return min(width, math.ceil(high) + 1)


def widowed(lines: list[str]) -> bool:
    """Whether the last of `lines` is one short word under longer lines (a widow)."""
    kept = [line.strip() for line in lines if line.strip()]
    if len(kept) < 2:
        return False
    last = kept[-1]
    return " " not in last and len(last) < 0.5 * max(len(line) for line in kept[:-1])


def unwidowed(text: str, font: QFont, width: float, *, least: float = 0.8) -> QFont:
    """`font`, or a little smaller (down to `least` of its size) where that sets `text` in
    fewer lines: greedy breaking cannot balance "A new administrative / district" (no width
    gives two even lines), and a larger text size makes such widows common."""
    lines = set_text(text, font, width, WRAP).lines()
    if not widowed(lines):
        return font
    size = float(font.pixelSize())
    while size > font.pixelSize() * least:
        size *= 0.96
        smaller = ui_font(size, bold=font.bold())
        if len(set_text(text, smaller, width, WRAP).lines()) < len(lines):
            return smaller
    return font


def fit_font(
    text: str,
    rect: QRectF,
    px: float,
    *,
    bold: bool = False,
    min_px: float | None = None,
    flags: int = WRAP,
    max_lines: int | None = None,
) -> QFont:
    """The largest font from `px` down to `min_px` in which `text` fits `rect` when wrapped."""
    floor = min_px if min_px is not None else px * 0.55
    size = px
    while True:
        font = ui_font(size, bold=bold)
        box = text_size(text, font, rect.width(), flags)
        lines = box.height() / line_box_height(text, font)
        fits = box.height() <= rect.height() + 0.5 and box.width() <= rect.width() + 0.5
        if max_lines is not None:
            fits = fits and lines <= max_lines + 0.01
        if fits or size <= floor:
            return font
        size = max(floor, size * 0.93)


_TEXTS: ByteLRU[tuple[QPixmap, QRectF, QPointF]] = ByteLRU(
    48 * 1024 * 1024, lambda item: item[0].width() * item[0].height() * 4
)


def draw_text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    color: str | QColor,
    flags: int = WRAP,
) -> QRectF:
    """Draw wrapped text in `rect`; return the box it used.

    The laid-out text is kept as a pixmap: Qt lays text out again on every drawText, and
    animation frames draw the same labels sixty times a second while they fade in.
    """
    qcolor = QColor(color)
    ratio = device_ratio(painter)
    key = (
        text,
        font.key(),
        qcolor.rgba(),
        round(rect.width() * 4),
        round(rect.height() * 4),
        flags,
        ratio,
    )
    cached = _TEXTS.get(key)
    if cached is None:
        laid = set_text(text, font, rect.width(), flags)
        top = laid.offset(rect.height())
        used = laid.used.translated(0, top)
        box = used.adjusted(-2, -2, 2, 2)
        with pixmap_layer(box.width(), box.height(), ratio) as (pixmap, layer):
            layer.setPen(qcolor)
            if not flags & int(Qt.TextFlag.TextDontClip):
                # Clipped to the box given, as QPainter.drawText clips.
                layer.setClipRect(QRectF(-box.left(), -box.top(), rect.width(), rect.height()))
            laid.layout.draw(layer, QPointF(-box.left(), top - box.top()))
        cached = _TEXTS.put(key, (pixmap, used, box.topLeft()))
    pixmap, used, offset = cached
    blit(painter, rect.topLeft() + offset, pixmap)
    placed = used.translated(rect.topLeft())
    if observed():
        tell(text, _drawn_lines(text, font, rect.width(), flags), placed)
        clips = not flags & int(Qt.TextFlag.TextDontClip)
        if clips and not rect.adjusted(-0.5, -0.5, 0.5, 0.5).contains(placed):
            tell_cut(text, "clipped")
    return placed


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each folded to one line as YAML block text reads."""
    parts = [" ".join(p.split("\n")).strip() for p in text.strip().split("\n\n")]
    return [p for p in parts if p]


def fit_line(text: str, width: float, px: float, *, bold: bool, min_px: float) -> float:
    """The largest size from `px` down to `min_px` at which `text` fits `width` on one line.

    Like `fit_font(..., max_lines=1)` for one unwrapped line, measured by advance, which is
    exact for the digits of a number, and with a floor the caller chooses.
    """

    def advance(size: float) -> float:
        return QFontMetricsF(ui_font(size, bold=bold)).horizontalAdvance(text)

    if not text:
        return px
    size = px
    measured = advance(size)
    if measured > width > 0:
        size = max(min_px, px * width / measured)
        while size > min_px and advance(size) > width:
            size = max(min_px, size * 0.98)
    return size


# --- lines for labels placed line by line (axes, ring labels) ---


def wrap_lines(text: str, font: QFont, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (at word boundaries, else anywhere)."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout = new_layout(text, font, option)
    layout.beginLayout()
    lines: list[str] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        start, length = line.textStart(), line.textLength()
        part = text[start : start + length].strip()
        if part:
            lines.append(part)
    layout.endLayout()
    return lines or [text]


def block_size(lines: list[str], font: QFont) -> tuple[float, float]:
    """Width and height of lines of text drawn one under the other."""
    text = "\n".join(lines)
    box = text_size(text, font, 1e7, int(Qt.AlignmentFlag.AlignLeft))
    return box.width(), max(box.height(), line_box_height(text, font) * len(lines))


def fit_lines(
    texts: list[str], width: float, height: float, px: float, min_px: float, max_lines: int = 3
) -> tuple[QFont, list[list[str]]]:
    """One font for all `texts`, the largest from `px` down in which each wraps into `width`
    and at most `max_lines` lines no taller than `height`; and the wrapped lines."""
    size = px
    while True:
        font = ui_font(size)
        wrapped = [wrap_lines(text, font, width) for text in texts]
        fits = True
        for lines in wrapped:
            w, h = block_size(lines, font)
            if len(lines) > max_lines or w > width + 0.5 or h > height + 0.5:
                fits = False
                break
        if fits or size <= min_px:
            return font, wrapped
        size = max(min_px, size * 0.93)


# --- paragraphs ---


ELLIPSIS = "…"
PARAGRAPH_GAP = 0.75
"""Space between paragraphs, in units of the body font size."""


class TextBlock:
    """Paragraphs laid out with QTextLayout at a fixed width and line height.

    Unlike `QPainter.drawText`, every line sits on a regular pitch (`line_height` times the
    font size, or the line's own height for CJK lines, which are taller), so the height
    measured here is exactly the height drawn. `max_height` cuts the block at the last line
    that fits and ends it with an ellipsis: the block is never drawn outside its box.
    """

    def __init__(
        self,
        texts: list[str],
        font: QFont,
        width: float,
        line_height: float,
        *,
        gap: float | None = None,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        max_height: float | None = None,
        wrap: QTextOption.WrapMode = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere,
    ) -> None:
        self.font = font
        self.wrap = wrap
        self.width = max(1.0, width)
        self.line_height = line_height
        self.align = align
        self.gap = font.pixelSize() * PARAGRAPH_GAP if gap is None else gap
        self.layouts: list[QTextLayout] = []
        self.tops: list[float] = []
        self.heights: list[float] = []
        self.line_counts: list[int] = []
        self.elided = False
        y = 0.0
        for index, text in enumerate(texts):
            if index:
                y += self.gap
            layout, height, lines = self._layout(text)
            if max_height is not None and y + height > max_height + 0.5:
                self.elided = True
                cut, cut_height, cut_lines = self._elide(text, max_height - y)
                if cut is not None:
                    self._append(cut, y, cut_height, cut_lines)
                    y += cut_height
                elif self.layouts:
                    # Not one line of this paragraph fits: the previous one ends in "…".
                    y = self.tops[-1]
                    previous = texts[index - 1]
                    room = self.heights[-1]
                    for column in (self.layouts, self.tops, self.heights, self.line_counts):
                        column.pop()
                    cut, cut_height, cut_lines = self._elide(previous, room)
                    if cut is not None:
                        self._append(cut, y, cut_height, cut_lines)
                        y += cut_height
                else:
                    y = 0.0
                break
            self._append(layout, y, height, lines)
            y += height
        self.height = y

    def _append(self, layout: QTextLayout, top: float, height: float, lines: int) -> None:
        self.layouts.append(layout)
        self.tops.append(top)
        self.heights.append(height)
        self.line_counts.append(lines)

    def pitch_of(self, layout: QTextLayout) -> float:
        tallest = max((layout.lineAt(i).height() for i in range(layout.lineCount())), default=0.0)
        return max(tallest, self.font.pixelSize() * self.line_height)

    def _wrap(self, text: str, width: float) -> QTextLayout:
        option = QTextOption(self.align)
        option.setWrapMode(self.wrap)
        layout = new_layout(text, self.font, option)
        layout.setCacheEnabled(True)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
        layout.endLayout()
        return layout

    def _layout(self, text: str) -> tuple[QTextLayout, float, int]:
        layout = self._wrap(text, self.width)
        count = layout.lineCount()
        if count >= 2 and self.align == Qt.AlignmentFlag.AlignLeft:
            layout = self._without_widow(text, layout)
        pitch = self.pitch_of(layout)
        ascent = max((layout.lineAt(i).ascent() for i in range(count)), default=0.0)
        descent = max((layout.lineAt(i).descent() for i in range(count)), default=0.0)
        # Half the extra leading above the line and half below, as CSS does.
        lead = (pitch - ascent - descent) / 2
        for i in range(count):
            line = layout.lineAt(i)
            line.setPosition(QPointF(0, i * pitch + lead + ascent - line.ascent()))
        return layout, count * pitch, count

    def _without_widow(self, text: str, layout: QTextLayout) -> QTextLayout:
        """Narrow the lines a little so the last one is not one lonely word or character
        (a widow such as "能。" reads badly in Chinese); keep the line count."""
        count = layout.lineCount()
        enough = max(self.width * 0.18, self.font.pixelSize() * 4)
        if layout.lineAt(count - 1).naturalTextWidth() >= enough:
            return layout
        for step in range(1, 9):
            trial = self._wrap(text, self.width * (1 - 0.025 * step))
            if trial.lineCount() != count:
                break
            if trial.lineAt(count - 1).naturalTextWidth() >= enough:
                return trial
        return layout

    def _elide(self, text: str, room: float) -> tuple[QTextLayout | None, float, int]:
        """The longest start of `text` ending in an ellipsis that fits `room`."""
        layout, _, _ = self._layout(text)
        pitch = self.pitch_of(layout)
        keep = min(layout.lineCount(), int((room + 0.5) // pitch))
        if keep <= 0:
            return None, 0.0, 0
        last = layout.lineAt(keep - 1)
        cut = last.textStart() + last.textLength()

        def trial(cut: int) -> tuple[QTextLayout, float, int] | None:
            laid = self._layout(text[:cut].rstrip(" ,.;:，。；：、") + ELLIPSIS)
            return laid if laid[2] <= keep and laid[1] <= room + 0.5 else None

        found = trial(cut) if cut > 0 else None
        if found is None:
            # Most often the text up to the last line that fits does fit with its ellipsis.
            # When not, the longest start that fits is searched by halves, not a character at
            # a time: a layout per character made a body of emoji take 11 s to lay out.
            low, high = 1, cut - 1
            while low <= high:
                mid = (low + high) // 2
                fitted = trial(mid)
                if fitted is None:
                    high = mid - 1
                else:
                    found, low = fitted, mid + 1
        return found if found is not None else (None, 0.0, 0)

    def natural_width(self) -> float:
        """The width of the longest line."""
        return max(
            (
                layout.lineAt(i).naturalTextWidth()
                for layout in self.layouts
                for i in range(layout.lineCount())
            ),
            default=0.0,
        )

    def lines(self) -> int:
        return sum(self.line_counts)

    def paragraph_rect(self, index: int, origin: QPointF) -> QRectF:
        """Where paragraph `index` lies when the block is drawn at `origin`."""
        return QRectF(origin.x(), origin.y() + self.tops[index], self.width, self.heights[index])

    def draw(
        self,
        painter: QPainter,
        origin: QPointF,
        color: QColor | str,
        opacity: list[float] | float = 1.0,
        rise: float = 0.0,
    ) -> None:
        """Draw at `origin`; `opacity` per paragraph (or one for all) and a rise while entering."""
        if self.elided and not self.layouts and observed():
            tell_cut("", "elided")  # not one line fitted: the whole text is gone
        painter.save()
        painter.setFont(self.font)
        painter.setPen(QColor(color))
        base = painter.opacity()
        for index, layout in enumerate(self.layouts):
            alpha = opacity[index] if isinstance(opacity, list) else opacity
            if alpha <= 0:
                continue
            painter.setOpacity(base * alpha)
            lift = (1 - alpha) * rise
            layout.draw(painter, QPointF(origin.x(), origin.y() + self.tops[index] + lift))
            if observed():
                tell(layout.text(), laid_lines(layout), self.paragraph_rect(index, origin))
                if self.elided and index == len(self.layouts) - 1:
                    tell_cut(layout.text(), "elided")
        painter.restore()

    def has_tofu(self) -> bool:
        """True if any glyph fell back to the missing-glyph box (index 0)."""
        for layout in self.layouts:
            for run in layout.glyphRuns():
                if 0 in run.glyphIndexes():
                    return True
        return False


def longest_word(text: str, font: QFont) -> float:
    """The width of the widest piece of `text` that cannot be broken (a word, or one CJK
    character, since Chinese may break between any two)."""
    words = TextBlock([text], font, 1.0, 1.0, wrap=QTextOption.WrapMode.WordWrap)
    return words.natural_width()


def balanced(
    text: str,
    font: QFont,
    max_width: float,
    line_height: float,
    *,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    max_height: float | None = None,
) -> TextBlock:
    """`text` wrapped to as few lines as `max_width` allows, with lines of even length: the
    narrowest width that needs no more lines and breaks no word (no lonely last word)."""

    def block(width: float, limit: float | None = None) -> TextBlock:
        return TextBlock([text], font, width, line_height, align=align, max_height=limit)

    first = block(max_width)
    lines = first.lines()
    if lines <= 1:
        return block(first.natural_width() + 1, max_height)
    low = min(max_width, longest_word(text, font))
    high = max_width
    if low >= high:
        return block(max_width, max_height)
    for _ in range(12):
        mid = (low + high) / 2
        if block(mid).lines() <= lines:
            high = mid
        else:
            low = mid
    return block(math.ceil(high) + 1, max_height)


def fit_block(
    texts: list[str],
    width: float,
    height: float,
    px: float,
    floor: float,
    line_height: float,
    *,
    bold: bool = False,
    weight: QFont.Weight | None = None,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    max_lines: int | None = None,
) -> TextBlock:
    """The largest block from `px` down to `floor` that fits `width` x `height` (and
    `max_lines`); at the floor a block that still does not fit is cut with an ellipsis."""
    size = px
    while True:
        font = ui_font(size, bold=bold, weight=weight)
        block = TextBlock(texts, font, width, line_height, align=align)
        fits = block.height <= height + 0.5 and (max_lines is None or block.lines() <= max_lines)
        if fits:
            return block
        if size <= floor + 0.01:
            return TextBlock(texts, font, width, line_height, align=align, max_height=height)
        size = max(floor, size * 0.95)
