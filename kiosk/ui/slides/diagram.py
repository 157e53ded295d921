"""The diagram slide: nodes placed on a schematic, joined by soft lines; each node is tappable."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from kiosk.content.model import DiagramSlide, Node
from kiosk.ui.base import HitTarget, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.paint import clamp_rect, mix, with_alpha
from kiosk.ui.draw.text import TextBlock, balanced, fit_block
from kiosk.ui.fonts import ui_font

LABEL_LINE_HEIGHT = 1.15
"""Node labels are short display text: tighter than body text."""
# Widest label, in design px, per kind (landscape, portrait).
MAX_LABEL = {"hub": 420.0, "platform": 340.0, "place": 280.0}
PAD = {"hub": (36.0, 22.0), "platform": (28.0, 16.0)}
"""Design px of padding inside a pill, horizontal and vertical."""
DOT = 11.0
"""Design px: radius of a place's dot."""


@dataclass
class NodeBox:
    """Where one node draws at one size."""

    node: Node
    index: int
    kind: str
    accent: bool
    label: TextBlock
    center: QPointF = field(default_factory=QPointF)
    shape: QRectF = field(default_factory=QRectF)
    label_rect: QRectF = field(default_factory=QRectF)

    @property
    def bounds(self) -> QRectF:
        return self.shape.united(self.label_rect)

    def size(self, grid: Grid) -> tuple[float, float]:
        """The node's box (pill, or dot with its label below) before it is placed."""
        width, height = self.label.natural_width(), self.label.height
        if self.kind == "place":
            dot = grid.px(DOT) * 2
            return max(width, dot), dot + grid.px(10) + height
        pad_x, pad_y = PAD[self.kind]
        return width + 2 * grid.px(pad_x), height + 2 * grid.px(pad_y)


@dataclass
class DiagramLayout:
    """Everything of a diagram at one size: for painting, hit testing and the tests."""

    content: QRectF
    area: QRectF
    boxes: list[NodeBox]
    note: TextBlock | None = None
    note_origin: QPointF | None = None
    link_labels: list[TextBlock | None] = field(default_factory=list)
    """Each link's label, laid out once per size: balancing one takes a dozen layouts, and
    with every link labelled that was a third of a second a frame at 3840x2160."""

    def box(self, node_id: str) -> NodeBox | None:
        return next((b for b in self.boxes if b.node.id == node_id), None)


class DiagramView(SlideView[DiagramLayout]):
    """Nodes as pills (hub larger, one gold), places as dots; links draw in after nodes."""

    slide: DiagramSlide

    # -- timing -----------------------------------------------------------------------------------

    def _delay(self) -> float:
        return 0.1

    def entry_duration(self) -> float:
        motion = self.theme.motion
        steps = len(self.slide.nodes) + 1  # the last links start two steps after their node
        return self._delay() + steps * motion.stagger_ms / 1000 + motion.entry_ms / 1000

    # -- layout -----------------------------------------------------------------------------------

    def _normalized(self, node: Node, grid: Grid) -> tuple[float, float]:
        """A node's place in 0..1; portrait screens swap the axes so a wide schematic fills
        the tall area (a mirror across the diagonal keeps every neighbour a neighbour)."""
        return (node.y, node.x) if grid.portrait else (node.x, node.y)

    def arrange(self, grid: Grid) -> DiagramLayout:
        type_ = self.theme.type
        content = self.content_rect(grid)
        note = None
        note_origin = None
        area = QRectF(content)
        if self.slide.note:
            cap = grid.px(type_.caption)
            note = fit_block(
                [self.t(self.slide.note)], content.width(), cap * 1.3 * 2, cap, cap * 0.9, 1.3
            )
            # Air between the note and the foot line, as the timeline keeps.
            note_origin = QPointF(content.left(), content.bottom() - note.height - grid.px(16))
            area.setBottom(note_origin.y() - grid.px(28))
        # A little air between the heading and the top row of nodes.
        area.setTop(area.top() + grid.px(12))
        boxes = self._boxes(grid, area)
        self._place(grid, area, boxes)
        font = ui_font(grid.px(type_.caption))
        link_labels = [
            balanced(
                self.t(link.label), font, grid.px(220), 1.2, align=Qt.AlignmentFlag.AlignHCenter
            )
            if link.label
            else None
            for link in self.slide.links
        ]
        return DiagramLayout(content, area, boxes, note, note_origin, link_labels)

    def _boxes(self, grid: Grid, area: QRectF) -> list[NodeBox]:
        """Fit every label: to its kind's width, and narrower when a neighbour sits close."""
        type_ = self.theme.type
        nodes = self.slide.nodes
        accent_id = next((n.id for n in nodes if n.kind == "hub"), None)
        rough = [self._normalized(n, grid) for n in nodes]
        boxes = []
        for i, node in enumerate(nodes):
            kind = node.kind
            width = min(grid.px(MAX_LABEL[kind]), area.width() * 0.4)
            pad = 2 * grid.px(PAD[kind][0]) if kind in PAD else 0.0
            x, y = rough[i]
            for j, (ox, oy) in enumerate(rough):
                if j == i or abs(oy - y) * area.height() > grid.px(110):
                    continue
                room = abs(ox - x) * area.width() - grid.px(40)
                width = min(width, max(grid.px(120), room - pad))
            # A sparse diagram (a few nodes) reads better with a step larger type.
            few = len(nodes) <= 4
            if kind == "hub":
                px, bold, weight = (type_.subtitle if few else type_.body), True, None
            elif kind == "platform":
                px, bold, weight = (type_.body if few else type_.label), False, QFont.Weight.Medium
            else:
                px, bold, weight = (type_.body if few else type_.label), False, None
            label = self._label(self.t(node.label), grid, width, grid.px(px), bold, weight)
            boxes.append(NodeBox(node, i, kind, node.id == accent_id, label))
        return boxes

    def _label(
        self,
        text: str,
        grid: Grid,
        width: float,
        px: float,
        bold: bool,
        weight: QFont.Weight | None,
    ) -> TextBlock:
        """A centred label on at most two lines, shrinking to the caption size, then three.
        A label too long for one line breaks after its colon when it has one ("3rd:" above
        "Chongqing Liangjiang"), so the two halves read as kicker and name."""
        floor = grid.px(self.theme.type.caption)
        size = px
        center = Qt.AlignmentFlag.AlignHCenter
        while True:
            font = ui_font(size, bold=bold, weight=weight)
            block = balanced(text, font, width, LABEL_LINE_HEIGHT, align=center)
            if block.lines() > 1:
                split = _colon_split(text)
                if split:
                    parts = balanced(split, font, width, LABEL_LINE_HEIGHT, align=center)
                    if parts.lines() == 2:
                        block = parts
            if block.lines() <= 2 or size <= floor + 0.01:
                break
            size = max(floor, size * 0.94)
        if block.lines() > 3:
            three = 3 * block.pitch_of(block.layouts[0])
            block = TextBlock(
                [text], font, width, LABEL_LINE_HEIGHT, align=center, max_height=three
            )
        return block

    def _place(self, grid: Grid, area: QRectF, boxes: list[NodeBox]) -> None:
        sizes = [b.size(grid) for b in boxes]
        points = [self._normalized(b.node, grid) for b in boxes]
        inset_x = _inset([p[0] for p in points], [s[0] for s in sizes], area.width())
        inset_y = _inset([p[1] for p in points], [s[1] for s in sizes], area.height())
        span_x = area.width() - 2 * inset_x
        span_y = area.height() - 2 * inset_y
        rects = []
        for (x, y), (w, h), box in zip(points, sizes, boxes, strict=True):
            cx = area.left() + inset_x + x * span_x
            cy = area.top() + inset_y + y * span_y
            if box.kind == "place":
                # The dot sits at the point; the label hangs below it.
                dot = grid.px(DOT)
                rects.append(QRectF(cx - w / 2, cy - dot, w, h))
            else:
                rects.append(QRectF(cx - w / 2, cy - h / 2, w, h))
        _separate(rects, area, grid.px(24))
        for box, rect in zip(boxes, rects, strict=True):
            self._settle_box(grid, box, rect)
        self._place_place_labels(grid, area, boxes)

    def _settle_box(self, grid: Grid, box: NodeBox, rect: QRectF) -> None:
        label_w, label_h = box.label.width, box.label.height
        if box.kind == "place":
            dot = grid.px(DOT)
            box.center = QPointF(rect.center().x(), rect.top() + dot)
            box.shape = QRectF(box.center.x() - dot, box.center.y() - dot, 2 * dot, 2 * dot)
            box.label_rect = QRectF(
                box.center.x() - label_w / 2, box.shape.bottom() + grid.px(10), label_w, label_h
            )
        else:
            box.center = rect.center()
            box.shape = QRectF(rect)
            box.label_rect = QRectF(
                rect.center().x() - label_w / 2, rect.center().y() - label_h / 2, label_w, label_h
            )

    def _place_place_labels(self, grid: Grid, area: QRectF, boxes: list[NodeBox]) -> None:
        """Put each place's label on the side of its dot that crosses the fewest lines and
        covers no other node: below, above, right or left."""
        centers = {b.node.id: b.center for b in boxes}
        segments = [
            QLineF(centers[link.from_], centers[link.to])
            for link in self.slide.links
            if link.from_ in centers and link.to in centers
        ]
        gap = grid.px(10)
        for box in boxes:
            if box.kind != "place":
                continue
            w, h = box.label.width, box.label.height
            c, dot = box.center, grid.px(DOT)
            below, above = c.y() + dot + gap, c.y() - dot - gap - h
            right, left = c.x() + dot + gap * 1.5, c.x() - dot - gap * 1.5 - w
            middle = c.y() - h / 2
            options = [
                QRectF(c.x() - w / 2, below, w, h),
                QRectF(right, middle, w, h),
                QRectF(c.x() - w / 2, above, w, h),
                QRectF(left, middle, w, h),
                QRectF(c.x() - dot, below, w, h),
                QRectF(c.x() - dot, above, w, h),
                QRectF(c.x() + dot - w, below, w, h),
                QRectF(c.x() + dot - w, above, w, h),
            ]
            best, best_score = options[0], math.inf
            for rank, option in enumerate(options):
                rect = clamp_rect(option, area)
                score = rank * 0.1
                if rect.intersects(box.shape):
                    score += 100
                for other in boxes:
                    if other is not box and rect.intersects(other.bounds):
                        score += 50
                for seg in segments:
                    if _crosses(seg, rect):
                        score += 5
                if score < best_score:
                    best, best_score = rect, score
            box.label_rect = best

    # -- touch ------------------------------------------------------------------------------------

    def hit_targets(self) -> list[HitTarget]:
        grid = self.grid
        layout = self.arranged()
        least = grid.touch
        view = QRectF(0, 0, grid.width, grid.height)
        targets = []
        for box in layout.boxes:
            rect = QRectF(box.bounds)
            if rect.width() < least:
                rect.adjust(-(least - rect.width()) / 2, 0, (least - rect.width()) / 2, 0)
            if rect.height() < least:
                rect.adjust(0, -(least - rect.height()) / 2, 0, (least - rect.height()) / 2)
            rect = clamp_rect(rect, view)
            targets.append(HitTarget(f"node:{box.node.id}", rect, box.node.label, box.node.detail))
        return targets

    # -- painting ---------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        order = {b.node.id: b for b in layout.boxes}
        painter.save()
        for link, label in zip(self.slide.links, layout.link_labels, strict=True):
            a, b = order.get(link.from_), order.get(link.to)
            if a is None or b is None:
                continue
            progress = self.entry(max(a.index, b.index) + 2, delay=self._delay())
            self._paint_link(painter, grid, a, b, progress, label)
        for box in layout.boxes:
            progress = self.entry(box.index, delay=self._delay())
            if progress > 0:
                self._paint_node(painter, grid, box, progress)
        if layout.note is not None and layout.note_origin is not None:
            layout.note.draw(
                painter, layout.note_origin, self.theme.colors.muted, self.entry(0, delay=0.3)
            )
        painter.restore()

    def _paint_link(
        self,
        painter: QPainter,
        grid: Grid,
        a: NodeBox,
        b: NodeBox,
        progress: float,
        block: TextBlock | None,
    ) -> None:
        if progress <= 0:
            return
        start, end = a.center, b.center
        tip = start + (end - start) * progress
        pen = QPen(self.color("muted", 0.4), grid.px(3))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setOpacity(1.0)
        painter.drawLine(start, tip)
        if block is not None and progress >= 1:
            mid = (start + end) / 2
            box = QRectF(0, 0, block.width + grid.px(20), block.height + grid.px(8))
            box.moveCenter(mid)
            radius = box.height() / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.color("background"))
            painter.drawRoundedRect(box, radius, radius)
            block.draw(
                painter,
                QPointF(box.left() + grid.px(10), box.top() + grid.px(4)),
                self.theme.colors.muted,
            )

    def _paint_node(self, painter: QPainter, grid: Grid, box: NodeBox, progress: float) -> None:
        lit = self.highlight == f"node:{box.node.id}"
        hue = self.color("gold" if box.accent else "teal")
        painter.save()
        painter.setOpacity(progress)
        # Grow gently from 90 % to full size around the node's centre.
        scale = 0.9 + 0.1 * progress
        painter.translate(box.center)
        painter.scale(scale, scale)
        painter.translate(-box.center)
        if box.kind == "place":
            self._paint_place(painter, grid, box, lit)
        else:
            self._paint_pill(painter, grid, box, hue, lit)
        painter.restore()

    def _paint_pill(
        self, painter: QPainter, grid: Grid, box: NodeBox, hue: QColor, lit: bool
    ) -> None:
        rect = box.shape
        radius = min(rect.height() / 2, grid.px(self.theme.space.radius) * 1.5)
        path = QPainterPath()
        path.addRoundedRect(rect, radius, radius)
        hub = box.kind == "hub"
        # A soft halo: wide, faint strokes under the pill (stronger for the hub and when lit).
        halo = (0.10 if hub else 0.0) + (0.22 if lit else 0.0)
        if halo:
            for width, alpha in ((28, 0.25), (18, 0.45), (9, 0.8)):
                pen = QPen(with_alpha(hue, min(1.0, halo * alpha)), grid.px(width))
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
        if box.accent:
            # The one gold hub: solid, with dark type, the slide's single accent.
            fill = mix(hue, self.color("text"), 0.3) if lit else hue
            edge = QPen(mix(hue, self.color("text"), 0.5), grid.px(2.5))
            ink = self.theme.colors.background
        else:
            strength = 0.32 if lit else (0.22 if hub else 0.14)
            fill = mix(self.color("background"), hue, strength)
            edge_color = mix(hue, self.color("text"), 0.35) if lit else hue
            edge = QPen(edge_color, grid.px(3.5 if hub or lit else 2.5))
            ink = self.theme.colors.text
        painter.setPen(edge)
        painter.setBrush(fill)
        painter.drawPath(path)
        box.label.draw(painter, box.label_rect.topLeft(), ink)

    def _paint_place(self, painter: QPainter, grid: Grid, box: NodeBox, lit: bool) -> None:
        sky = self.color("sky")
        c = box.center
        dot = grid.px(DOT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(with_alpha(sky, 0.45 if lit else 0.22))
        painter.drawEllipse(c, dot * (2.4 if lit else 1.8), dot * (2.4 if lit else 1.8))
        painter.setBrush(sky if not lit else mix(sky, self.color("text"), 0.4))
        painter.drawEllipse(c, dot, dot)
        if lit:
            back = with_alpha(sky, 0.16)
            plate = box.label_rect.adjusted(-grid.px(12), -grid.px(6), grid.px(12), grid.px(6))
            painter.setBrush(back)
            painter.drawRoundedRect(plate, grid.px(12), grid.px(12))
        color = self.theme.colors.text
        box.label.draw(painter, box.label_rect.topLeft(), color)


# --- geometry helpers ----------------------------------------------------------------------------


def _inset(positions: list[float], sizes: list[float], span: float) -> float:
    """The smallest margin at both ends that keeps every box of `sizes`, centred at its
    normalized position, inside `span`."""
    inset = 0.0
    for t, size in zip(positions, sizes, strict=True):
        half = size / 2
        for side in (t, 1 - t):
            if side < 0.5:
                inset = max(inset, (half - side * span) / (1 - 2 * side))
            elif half > span / 2:
                inset = max(inset, half)
    return min(inset, span / 2)


def _separate(rects: list[QRectF], area: QRectF, gap: float) -> None:
    """Push overlapping boxes apart (along the axis of least overlap) and keep them inside
    `area`: positions move as little as needed, so the curator's arrangement stays."""
    for _ in range(40):
        moved = False
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                dx = min(a.right(), b.right()) - max(a.left(), b.left()) + gap
                dy = min(a.bottom(), b.bottom()) - max(a.top(), b.top()) + gap
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                if dx < dy:
                    sign = 1 if a.center().x() <= b.center().x() else -1
                    a.translate(-sign * dx / 2, 0)
                    b.translate(sign * dx / 2, 0)
                else:
                    sign = 1 if a.center().y() <= b.center().y() else -1
                    a.translate(0, -sign * dy / 2)
                    b.translate(0, sign * dy / 2)
        for k, rect in enumerate(rects):
            rects[k] = clamp_rect(rect, area)
        if not moved:
            return


def _crosses(segment: QLineF, rect: QRectF) -> bool:
    """True if the line segment passes through `rect`."""
    if rect.contains(segment.p1()) or rect.contains(segment.p2()):
        return True
    corners = [rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()]
    for k in range(4):
        edge = QLineF(corners[k], corners[(k + 1) % 4])
        kind, _ = segment.intersects(edge)
        if kind == QLineF.IntersectionType.BoundedIntersection:
            return True
    return False


def _colon_split(text: str) -> str | None:
    """`text` with a line break after its first colon, or None if it has none mid-text."""
    for colon in ("：", ": "):
        at = text.find(colon)
        if 0 < at < len(text) - len(colon):
            head = text[: at + 1]
            return head + "\u2028" + text[at + len(colon) :].lstrip()
    return None


VIEW = DiagramView
