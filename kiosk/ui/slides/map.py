"""The map slide: a schematic map whose rivers draw in, areas fade in and places appear in turn."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from kiosk.content.model import Area, MapSlide, Place, River
from kiosk.ui.base import REACH_LEAST, HitTarget, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.motion import clamp01
from kiosk.ui.draw.paint import (
    blit,
    clamp_rect,
    device_ratio,
    fit_aspect,
    mix,
    pixmap_layer,
    with_alpha,
)
from kiosk.ui.draw.text import TextBlock, balanced, fit_block
from kiosk.ui.fonts import ui_font
from kiosk.ui.words import STRINGS

LINE_HEIGHT = 1.15
"""Map labels are short display text: tighter than body text."""
SAMPLES = 160
"""Points a river's curve is sampled at, for drawing it in and for keeping labels off it."""
BADGE = 23.0
"""Design px: radius of a port, airport, station, zone or hub badge."""
DOT = 11.0
"""Design px: radius of a city's dot."""
RIVER_WIDTH = 12.0
"""Design px: a river of width 1."""
LABEL_WIDTH = 340.0
"""Design px: the widest a place's label wraps to."""
PHASES = ((2, 1.0), (2, 0.85), (5, 1.0), (5, 0.85))
"""How far from its marker (steps of candidates) and at what size a place's label is tried,
in turn, until it covers no other label or marker: a smaller label beside its marker reads
better than a large one far away (0.85 of 26 px is still 22 px at 1080p: read from 3 m)."""
COLLISION = 1000.0
"""A placement's score from which it covers another label or marker."""
CAPTION_SCALE = 0.85
"""A place's caption, relative to the label size: still read from 3 m (22 px at 1080p)."""
CAPTION_WIDTH = 380.0
"""Design px: the widest a caption wraps to (a Chinese fact of 16 characters on one line)."""
CAPTION_GAP = 2.0
"""Design px between a place's label and its caption."""
REACH_TRIES = 3
"""Layouts tried to bring a portrait map's highest tappable place into reach."""
MAP_INSET = 36.0
"""Design px between the map's drawing and the edges of its area."""
PORTRAIT_STRETCH = 2.5
"""How much taller than its aspect a map may draw on a portrait screen."""
ToScreen = Callable[[Sequence[float]], QPointF]
"""A point of the map's 0..1 coordinates to a point on screen."""
BADGES = {"port", "airport", "station", "zone", "hub"}
HUES = {"port": "teal", "airport": "teal", "station": "teal", "zone": "sky", "hub": "gold"}


@dataclass
class RiverShape:
    """One river at one size: its curve, the points along it and its name."""

    river: River
    path: QPainterPath
    samples: list[QPointF]
    width: float
    label: TextBlock | None
    label_rect: QRectF
    """Empty when the river has no name."""


@dataclass
class AreaShape:
    """One area at one size: its outline and its name."""

    area: Area
    index: int
    path: QPainterPath
    label: TextBlock | None
    label_rect: QRectF
    """Empty when the area has no label."""


@dataclass
class PlaceBox:
    """Where one place draws at one size."""

    place: Place
    index: int
    center: QPointF
    marker: QRectF
    label: TextBlock
    caption: TextBlock | None = None
    label_rect: QRectF = field(default_factory=QRectF)
    """Where the label (and the caption under it) goes."""
    flush_right: bool = False
    """Whether the label's lines end at its right (it lies left of its marker)."""
    plated: bool = False
    """Whether the label needs a plate behind it (it lies over a river or an area's edge)."""

    @property
    def bounds(self) -> QRectF:
        return self.marker.united(self.label_rect) if not self.marker.isEmpty() else self.label_rect

    def text_size(self, gap: float) -> tuple[float, float]:
        """The label's and caption's box: the caption sits under the label, `gap` apart."""
        if self.caption is None:
            return self.label.width, self.label.height
        width = max(self.label.natural_width(), self.caption.natural_width()) + 1
        return width, self.label.height + gap + self.caption.height


@dataclass
class MapLayout:
    """Everything of a map at one size and language: for painting, hit testing and the tests."""

    content: QRectF
    area: QRectF
    """Where labels may go: the content area above the caption."""
    box: QRectF
    """The map's drawing, fitted to its aspect: the 0..1 coordinates are of this box."""
    rivers: list[RiverShape]
    areas: list[AreaShape]
    places: list[PlaceBox]
    tag: TextBlock
    tag_rect: QRectF
    note: TextBlock | None
    note_origin: QPointF | None
    north: TextBlock
    north_rect: QRectF

    def place(self, place_id: str) -> PlaceBox | None:
        return next((p for p in self.places if p.place.id == place_id), None)

    def labels(self) -> list[tuple[str, QRectF]]:
        """Every label on the map, named: the test that none overlaps reads these."""
        found = [(f"river:{i}", r.label_rect) for i, r in enumerate(self.rivers) if r.label]
        found += [(f"area:{a.index}", a.label_rect) for a in self.areas if a.label]
        found += [(f"place:{p.place.id}", p.label_rect) for p in self.places]
        found.append(("north", self.north_rect))
        return found


class MapView(SlideView[MapLayout]):
    """Rivers as smooth strokes, areas as soft shapes, places as markers with plated labels."""

    slide: MapSlide

    def setup(self) -> None:
        self._layers: dict[str, tuple[tuple[object, ...], QPixmap, QPointF]] = {}

    # -- timing -----------------------------------------------------------------------------------

    def _river_length(self) -> float:
        return self.theme.motion.countup_ms / 1000

    def _areas_start(self) -> float:
        rivers = len(self.slide.rivers)
        return 0.0 if not rivers else 0.15 * (rivers - 1) + self._river_length() * 0.6

    def _places_start(self) -> float:
        return self._areas_start() + (0.4 if self.slide.areas else 0.0)

    def _place_step(self) -> float:
        # Twice the theme's stagger: a visitor sees the places come one by one, in order.
        return 2 * self.theme.motion.stagger_ms / 1000

    def entry_duration(self) -> float:
        motion = self.theme.motion
        last = self._places_start() + (len(self.slide.places) - 1) * self._place_step()
        rivers = 0.15 * max(0, len(self.slide.rivers) - 1) + self._river_length()
        return max(last + motion.entry_ms / 1000, rivers)

    def river_progress(self, index: int) -> float:
        """0→1: how much of river `index` has drawn in."""
        return self.entry(0, delay=0.15 * index, length=self._river_length())

    def area_progress(self, index: int) -> float:
        """0→1: the areas' fade (all together: they are one layer)."""
        return self.entry(0, delay=self._areas_start())

    def place_progress(self, index: int) -> float:
        """0→1: place `index`'s entry (they come in the order the slide lists them)."""
        motion = self.theme.motion
        start = self._places_start() + index * self._place_step()
        return self.entry(0, delay=start, length=motion.entry_ms / 1000)

    # -- layout -----------------------------------------------------------------------------------

    def arrange(self, grid: Grid) -> MapLayout:
        content = self.content_rect(grid)
        layout = self._arrange_in(grid, content)
        least = layout.box.height() * REACH_LEAST
        drop = shrink = 0.0
        for _ in range(REACH_TRIES):
            # On a portrait screen the map comes down, and grows a little smaller if it must,
            # for every place a visitor taps to be in a seated visitor's reach (a place a fifth
            # down the map comes down by four fifths of what the map loses at its top).
            short = self.reach_shortfall(grid, [t.rect for t in self._targets(grid, layout)])
            if short < 0.5:
                break
            room = layout.area.bottom() - grid.px(MAP_INSET) * 0.5 - layout.box.bottom()
            lower = min(short, max(0.0, room))
            smaller = (short - lower) / 0.8
            if layout.box.height() - smaller < least:
                break
            drop, shrink = drop + lower, shrink + smaller
            layout = self._arrange_in(grid, content, drop, shrink)
        return layout

    def _arrange_in(
        self, grid: Grid, content: QRectF, drop: float = 0.0, shrink: float = 0.0
    ) -> MapLayout:
        """The map's layout in `content`, its drawing `drop` px lower (as the room lets) and
        fitted `shrink` px less tall."""
        type_ = self.theme.type
        cap = grid.px(type_.caption)
        # The schematic tag: the kiosk's own words, on every map, so no curator can forget it.
        tag = _one_line(self.typeset(STRINGS["schematic"][self.lang]), ui_font(cap), 1.2)
        pad_x, pad_y = grid.px(14), grid.px(6)
        tag_h = tag.height + 2 * pad_y
        note = None
        note_origin = None
        row_h = tag_h
        if self.slide.note is not None:
            width = content.width() - tag.width - 2 * pad_x - grid.px(20)
            note = fit_block([self.t(self.slide.note)], width, cap * 1.3 * 2, cap, cap * 0.9, 1.3)
            row_h = max(row_h, note.height)
        bottom = content.bottom() - grid.px(16)
        row_top = bottom - row_h
        tag_rect = QRectF(
            content.left(), row_top + (row_h - tag_h) / 2, tag.width + 2 * pad_x, tag_h
        )
        if note is not None:
            note_origin = QPointF(
                tag_rect.right() + grid.px(20), row_top + (row_h - note.height) / 2
            )
        area = QRectF(content.left(), content.top() + grid.px(8), content.width(), 0)
        area.setBottom(row_top - grid.px(20))
        inset = grid.px(MAP_INSET)
        aspect = self.slide.ratio
        if grid.portrait:
            # A wide schematic in a tall frame would fill a third of it: not being to scale, it
            # may stand taller (every neighbour stays a neighbour, north stays up).
            aspect /= PORTRAIT_STRETCH
        room = area.adjusted(inset, inset * 0.5, -inset, -inset * 0.5)
        fitted = fit_aspect(QRectF(room.left(), room.top(), room.width(), room.height()), aspect)
        if shrink > 0:
            fitted = fit_aspect(fitted.adjusted(0, shrink, 0, 0), aspect)
        box = QRectF(fitted)
        box.moveTop(max(box.top(), min(box.top() + drop, room.bottom() - box.height())))

        def at(point: Sequence[float]) -> QPointF:
            return QPointF(box.left() + point[0] * box.width(), box.top() + point[1] * box.height())

        north_font = ui_font(grid.px(type_.label), bold=True)
        north = _one_line(self.typeset(STRINGS["north"][self.lang]), north_font, 1.0)
        arrow = grid.px(26)
        north_rect = QRectF(
            box.right() - north.width, box.top(), north.width, north.height + arrow + grid.px(4)
        )
        obstacles: list[QRectF] = [north_rect]
        rivers = [self._river(grid, river, at) for river in self.slide.rivers]
        river_points = [p for r in rivers for p in r.samples[:: max(1, SAMPLES // 40)]]
        places = [
            self._place_box(grid, i, p, at((p.x, p.y))) for i, p in enumerate(self.slide.places)
        ]
        markers = [p.marker for p in places if not p.marker.isEmpty()]
        for course in rivers:
            if course.label is not None:
                course.label_rect = self._river_label(grid, course, area, [*obstacles, *markers])
                obstacles.append(course.label_rect)
        areas = []
        for i, item in enumerate(self.slide.areas):
            region = self._area(grid, i, item, at, area, [*obstacles, *markers])
            areas.append(region)
            if region.label is not None:
                obstacles.append(region.label_rect)
        for box_ in places:
            others = [p.marker for p in places if p is not box_ and not p.marker.isEmpty()]
            # Crowded: the label a step smaller beside its marker, before one further away.
            texts: dict[float, tuple[TextBlock, TextBlock | None]] = {}
            for reach, scale in PHASES:
                if scale not in texts:  # each size laid out once, whatever the reach
                    texts[scale] = self._texts(grid, box_.place, scale)
                box_.label, box_.caption = texts[scale]
                box_.label_rect, score = self._place_label(
                    grid, box_, area, [*obstacles, *others], river_points, reach
                )
                if score < COLLISION:
                    break
            if not box_.marker.isEmpty() and box_.label_rect.right() <= box_.marker.left():
                # Left of its marker, the lines end at the marker's side, not ragged there.
                right = Qt.AlignmentFlag.AlignRight
                box_.label, box_.caption = self._texts(grid, box_.place, scale, right)
                box_.flush_right = True
            obstacles.append(box_.label_rect)
            near = box_.label_rect.adjusted(-grid.px(12), -grid.px(12), grid.px(12), grid.px(12))
            box_.plated = box_.place.kind != "district" and (
                any(near.contains(p) for r in rivers for p in r.samples)
                or any(_crosses_outline(a.path, near) for a in areas)
            )
        return MapLayout(
            content,
            area,
            box,
            rivers,
            areas,
            places,
            tag,
            tag_rect,
            note,
            note_origin,
            north,
            north_rect,
        )

    def _river(self, grid: Grid, river: River, at: ToScreen) -> RiverShape:
        points = [at(p) for p in river.points]
        path = smooth_path(points, closed=False)
        samples = even_samples(path, SAMPLES)
        font = ui_font(grid.px(self.theme.type.label), weight=QFont.Weight.Medium)
        font.setItalic(True)
        label = None
        if river.name is not None:
            label = balanced(self.t(river.name), font, grid.px(LABEL_WIDTH), LINE_HEIGHT)
        width = grid.px(RIVER_WIDTH) * river.width
        return RiverShape(river, path, samples, width, label, QRectF())

    def _river_label(
        self, grid: Grid, shape: RiverShape, area: QRectF, obstacles: list[QRectF]
    ) -> QRectF:
        """The river's name beside its course at `label_at`, on whichever side is free."""
        assert shape.label is not None
        w, h = shape.label.width, shape.label.height
        path = shape.path
        options = []
        for shift in (0.0, 0.08, -0.08, 0.16, -0.16, 0.24, -0.24):
            t = min(1.0, max(0.0, shape.river.label_at + shift))
            p = path.pointAtPercent(t)
            angle = math.radians(path.angleAtPercent(t))
            # The normal of the course (Qt's angles are counter-clockwise, y points down).
            nx, ny = -math.sin(angle), -math.cos(angle)
            if ny > 0:
                nx, ny = -nx, -ny
            off = shape.width / 2 + grid.px(10)
            for side in (1, -1):
                # Far enough along the normal that the rectangle clears the stroke.
                reach = off + abs(nx) * w / 2 + abs(ny) * h / 2
                c = QPointF(p.x() + side * nx * reach, p.y() + side * ny * reach)
                options.append(QRectF(c.x() - w / 2, c.y() - h / 2, w, h))
        return _best(options, area, obstacles, [], shape.samples)[0]

    def _area(
        self,
        grid: Grid,
        index: int,
        item: Area,
        at: ToScreen,
        bounds: QRectF,
        obstacles: list[QRectF],
    ) -> AreaShape:
        points = [at(p) for p in item.points]
        path = smooth_path(points, closed=True)
        font = ui_font(grid.px(self.theme.type.label), weight=QFont.Weight.DemiBold)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        if item.label is None:
            return AreaShape(item, index, path, None, QRectF())
        label = balanced(
            self.t(item.label),
            font,
            grid.px(LABEL_WIDTH),
            LINE_HEIGHT,
            align=Qt.AlignmentFlag.AlignHCenter,
        )
        if item.label_at is not None:
            c = at(item.label_at)
        else:
            c = QPointF(
                sum(p.x() for p in points) / len(points), sum(p.y() for p in points) / len(points)
            )
        w, h = label.width, label.height
        options = [
            QRectF(c.x() - w / 2 + dx * w * 0.3, c.y() - h / 2 + dy * h, w, h)
            for dy, dx in ((0, 0), (-1, 0), (1, 0), (-2, 0), (2, 0), (0, -1), (0, 1))
        ]
        rect, _ = _best(options, bounds, obstacles, [], [])
        return AreaShape(item, index, path, label, rect)

    def _place_box(self, grid: Grid, index: int, place: Place, c: QPointF) -> PlaceBox:
        kind = place.kind
        label, caption = self._texts(grid, place, 1.0)
        r = grid.px(BADGE if kind in BADGES else DOT if kind == "city" else 0)
        marker = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r) if r else QRectF()
        return PlaceBox(place, index, c, marker, label, caption)

    def _texts(
        self,
        grid: Grid,
        place: Place,
        scale: float,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> tuple[TextBlock, TextBlock | None]:
        """A place's label and caption at `scale` of their size."""
        type_ = self.theme.type
        kind = place.kind
        if kind == "city":
            px, weight = type_.body, QFont.Weight.DemiBold
        elif kind == "district":
            px, weight = type_.label, QFont.Weight.Medium
        else:
            px, weight = type_.label, QFont.Weight.Medium
        font = ui_font(grid.px(px * scale), weight=weight)
        if kind == "district":
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        label = balanced(self.t(place.label), font, grid.px(LABEL_WIDTH), LINE_HEIGHT, align=align)
        caption = None
        if place.caption is not None:
            px = max(type_.caption, type_.label * CAPTION_SCALE * scale)
            small = ui_font(grid.px(px), weight=QFont.Weight.Medium)
            # Smaller, it also wraps narrower: a caption on two lines fits where one long did not.
            width = CAPTION_WIDTH if scale >= 1 else LABEL_WIDTH * 0.8
            caption = balanced(
                self.t(place.caption), small, grid.px(width), LINE_HEIGHT, align=align
            )
        return label, caption

    def _place_label(
        self,
        grid: Grid,
        box: PlaceBox,
        area: QRectF,
        obstacles: list[QRectF],
        river_points: list[QPointF],
        reach: int,
    ) -> tuple[QRectF, float]:
        """The first side of the marker where the label is free: right, left, above, below,
        then the corners and a step further out; never off the map's area."""
        w, h = box.text_size(grid.px(CAPTION_GAP))
        c = box.center
        r = box.marker.width() / 2
        gap = grid.px(10)
        if box.place.kind == "district":
            options = [
                QRectF(c.x() - w / 2 + dx * w * 0.35, c.y() - h / 2 + dy * h * 1.1, w, h)
                for dy, dx in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-2, 0), (2, 0))
            ]
        else:
            options = []
            for far in (0.0, 1.0, 2.0, 3.5, 5.0)[:reach]:
                g = gap + far * grid.px(24)
                options += [
                    QRectF(c.x() + r + g, c.y() - h / 2, w, h),
                    QRectF(c.x() - r - g - w, c.y() - h / 2, w, h),
                    QRectF(c.x() - w / 2, c.y() - r - g - h, w, h),
                    QRectF(c.x() - w / 2, c.y() + r + g, w, h),
                    QRectF(c.x() + r * 0.7 + g * 0.5, c.y() - r - g - h * 0.6, w, h),
                    QRectF(c.x() + r * 0.7 + g * 0.5, c.y() + r * 0.4 + g * 0.5, w, h),
                    QRectF(c.x() - r * 0.7 - g * 0.5 - w, c.y() - r - g - h * 0.6, w, h),
                    QRectF(c.x() - r * 0.7 - g * 0.5 - w, c.y() + r * 0.4 + g * 0.5, w, h),
                ]
        return _best(options, area, obstacles, [box.marker], river_points)

    # -- touch ------------------------------------------------------------------------------------

    def hit_targets(self) -> list[HitTarget]:
        return self._targets(self.grid, self.arranged())

    def _targets(self, grid: Grid, layout: MapLayout) -> list[HitTarget]:
        view = QRectF(0, 0, grid.width, grid.height)
        targets = []
        for shape in layout.areas:
            if shape.area.detail is not None and shape.label is not None:
                rect = _at_least(shape.label_rect, grid.touch, view)
                targets.append(
                    HitTarget(f"area:{shape.index}", rect, shape.area.label, shape.area.detail)
                )
        for box in layout.places:
            if box.place.detail is None:
                continue
            bounds = box.bounds
            if box.marker.isEmpty():
                # A district is its name: a crowded one set off its point is tapped there too.
                bounds = bounds.united(QRectF(box.center.x() - 1, box.center.y() - 1, 2, 2))
            rect = _at_least(bounds, grid.touch, view)
            targets.append(
                HitTarget(f"place:{box.place.id}", rect, box.place.label, box.place.detail)
            )
        return targets

    # -- painting ---------------------------------------------------------------------------------

    def paint_heading(self, painter: QPainter, grid: Grid) -> QRectF:
        # The schematic tag and the note never move: they are painted once, with the heading.
        content = super().paint_heading(painter, grid)
        layout = self.arranged()
        painter.save()
        rect = layout.tag_rect
        painter.setPen(QPen(self.color("muted", 0.7), grid.px(1.5)))
        painter.setBrush(self.color("panel", 0.8))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        origin = QPointF(
            rect.left() + (rect.width() - layout.tag.width) / 2,
            rect.top() + (rect.height() - layout.tag.height) / 2,
        )
        layout.tag.draw(painter, origin, self.theme.colors.muted)
        if layout.note is not None and layout.note_origin is not None:
            layout.note.draw(painter, layout.note_origin, self.theme.colors.muted)
        painter.restore()
        return content

    def _layer(
        self,
        name: str,
        painter: QPainter,
        grid: Grid,
        paint: Callable[[QPainter, Grid, MapLayout], None],
        rect: QRectF | None = None,
    ) -> tuple[QPixmap, QPointF]:
        """A cached pixmap of `rect` (the map's whole area if None), painted by `paint` once
        per size and language."""
        layout = self.arranged()
        ratio = device_ratio(painter)
        key = (round(grid.width), round(grid.height), self.lang, ratio)
        cached = self._layers.get(name)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        rect = layout.content if rect is None else rect
        with pixmap_layer(rect.width(), rect.height(), ratio) as (pixmap, layer):
            layer.translate(-rect.topLeft())
            paint(layer, grid, layout)
        self._layers[name] = (key, pixmap, rect.topLeft())
        return pixmap, rect.topLeft()

    def paint_content(self, painter: QPainter, grid: Grid, rect: QRectF) -> None:
        layout = self.arranged()
        rivers = [self.river_progress(i) for i in range(len(layout.rivers))]
        areas = [self.area_progress(i) for i in range(len(layout.areas))]
        places = [self.place_progress(i) for i in range(len(layout.places))]
        if not all(p >= 1 for p in rivers + areas + places):
            # Every layer painted at the first frame (the incoming slide's snapshot, before the
            # transition) rather than in the middle of the entry, where it would be a hitch.
            self._layer("areas", painter, grid, self._paint_areas)
            self._layer("base", painter, grid, self._paint_base)
            for box in layout.places:
                self._sprite(painter, grid, box)
            self._layer("places", painter, grid, self._paint_places)
        else:
            # Only the entry uses these: their memory goes once the map has settled.
            for name in [n for n in self._layers if n not in ("base", "places")]:
                del self._layers[name]
        if all(p >= 1 for p in rivers + areas):
            pixmap, at = self._layer("base", painter, grid, self._paint_base)
            blit(painter, at, pixmap)
            for region in layout.areas:
                if self.highlight == f"area:{region.index}":
                    self._paint_area(painter, grid, region, lit=True)  # over its cached self
        else:
            painter.save()
            # The areas fade in together, from their cached layer (a polygon filled with
            # opacity at 4K costs a frame's budget on the software rasterizer).
            shown = min(areas, default=0.0)
            if shown > 0:
                pixmap, at = self._layer("areas", painter, grid, self._paint_areas)
                painter.setOpacity(shown)
                blit(painter, at, pixmap)
            painter.setOpacity(1.0)
            for course, progress in zip(layout.rivers, rivers, strict=True):
                self._paint_river(painter, grid, course, progress)
            self._paint_north(painter, grid, layout, clamp01(max(rivers, default=1.0) * 2))
            painter.restore()
        if all(p >= 1 for p in places):
            pixmap, at = self._layer("places", painter, grid, self._paint_places)
            blit(painter, at, pixmap)
            lit = (
                layout.place(self.highlight[6:])
                if self.highlight and self.highlight.startswith("place:")
                else None
            )
            if lit is not None:
                self._paint_place(painter, grid, lit, 1.0, lit=True)
        else:
            for box, progress in zip(layout.places, places, strict=True):
                if progress > 0:
                    # Each place comes in as its own cached picture, fading and rising into
                    # place: drawing markers and labels live cost most of an entry frame.
                    pixmap, at = self._sprite(painter, grid, box)
                    painter.save()
                    painter.setOpacity(progress)
                    blit(painter, at + QPointF(0, (1 - progress) * grid.px(14)), pixmap)
                    painter.restore()

    def _sprite(self, painter: QPainter, grid: Grid, box: PlaceBox) -> tuple[QPixmap, QPointF]:
        """One place, settled, as a cached picture of its marker, plate and label."""
        pad = grid.px(14)
        rect = box.bounds.adjusted(-pad, -pad, pad, pad)

        def paint(layer: QPainter, grid: Grid, layout: MapLayout) -> None:
            self._paint_place(layer, grid, box, 1.0, lit=False)

        return self._layer(f"place:{box.place.id}", painter, grid, paint, rect)

    def _paint_areas(self, painter: QPainter, grid: Grid, layout: MapLayout) -> None:
        for shape in layout.areas:
            self._paint_area(painter, grid, shape)

    def _paint_base(self, painter: QPainter, grid: Grid, layout: MapLayout) -> None:
        if "areas" in self._layers:
            pixmap, at = self._layers["areas"][1], self._layers["areas"][2]
            blit(painter, at, pixmap)  # painted once already: the areas are costly to fill
        else:
            self._paint_areas(painter, grid, layout)
        for course in layout.rivers:
            self._paint_river(painter, grid, course, 1.0, glow=True)
        self._paint_north(painter, grid, layout, 1.0)

    def _paint_places(self, painter: QPainter, grid: Grid, layout: MapLayout) -> None:
        for box in layout.places:
            sprite = self._layers.get(f"place:{box.place.id}")
            if sprite is not None:
                blit(painter, sprite[2], sprite[1])
            else:
                self._paint_place(painter, grid, box, 1.0, lit=False)

    def _paint_area(
        self, painter: QPainter, grid: Grid, shape: AreaShape, *, lit: bool = False
    ) -> None:
        hue = self.color(shape.area.color)
        painter.setPen(QPen(with_alpha(hue, 0.75 if lit else 0.5), grid.px(2.5)))
        painter.setBrush(with_alpha(hue, 0.2 if lit else 0.11))
        painter.drawPath(shape.path)
        if shape.label is not None:
            shape.label.draw(
                painter, shape.label_rect.topLeft(), mix(hue, self.color("text"), 0.45)
            )

    def _paint_river(
        self,
        painter: QPainter,
        grid: Grid,
        shape: RiverShape,
        progress: float,
        *,
        glow: bool = False,
    ) -> None:
        if progress <= 0:
            return
        hue = self.color(shape.river.color)
        if progress >= 1:
            drawn = shape.path
        else:
            k = progress * (len(shape.samples) - 1)
            whole = int(k)
            points = shape.samples[: whole + 1]
            if whole + 1 < len(shape.samples):
                a, b = shape.samples[whole], shape.samples[whole + 1]
                points = [*points, a + (b - a) * (k - whole)]
            drawn = QPainterPath()
            drawn.addPolygon(QPolygonF(points))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # The faint glow only in the settled map's cached layer: a second wide antialiased
        # stroke on every frame of the entry doubled its cost, for a halo hardly seen then.
        strokes = ((2.2, 0.09), (1.0, 0.95)) if glow else ((1.0, 0.95),)
        for width, alpha in strokes:
            pen = QPen(with_alpha(hue, alpha), shape.width * width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(drawn)
        # The name comes once the river has drawn past it.
        shown = clamp01((progress - shape.river.label_at) * 4 + 0.2) if progress < 1 else 1.0
        if shown > 0 and shape.label is not None:
            shape.label.draw(
                painter, shape.label_rect.topLeft(), mix(hue, self.color("text"), 0.25), shown
            )

    def _paint_north(self, painter: QPainter, grid: Grid, layout: MapLayout, alpha: float) -> None:
        if alpha <= 0:
            return
        painter.save()
        painter.setOpacity(painter.opacity() * alpha)
        rect = layout.north_rect
        layout.north.draw(painter, rect.topLeft(), self.theme.colors.muted)
        cx = rect.center().x()
        top = rect.top() + layout.north.height + grid.px(4)
        arrow = QPolygonF(
            [
                QPointF(cx, top),
                QPointF(cx + grid.px(9), rect.bottom()),
                QPointF(cx, rect.bottom() - grid.px(7)),
                QPointF(cx - grid.px(9), rect.bottom()),
            ]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color("muted", 0.85))
        painter.drawPolygon(arrow)
        painter.restore()

    def _paint_place(
        self, painter: QPainter, grid: Grid, box: PlaceBox, progress: float, *, lit: bool
    ) -> None:
        kind = box.place.kind
        painter.save()
        painter.setOpacity(progress)
        rise = (1 - progress) * grid.px(14)
        painter.translate(0, rise)
        # A plate behind the label: it reads over rivers and areas alike.
        if box.plated or lit:
            plate = box.label_rect.adjusted(-grid.px(8), -grid.px(3), grid.px(8), grid.px(3))
            painter.setPen(Qt.PenStyle.NoPen)
            back = self.color("background", 0.8)
            if lit:
                back = mix(self.color("background"), self.color(HUES.get(kind, "teal")), 0.3)
            painter.setBrush(back)
            painter.drawRoundedRect(plate, grid.px(8), grid.px(8))
        if kind == "city":
            self._paint_city(painter, grid, box, lit)
        elif kind in BADGES:
            self._paint_badge(painter, grid, box, progress, lit)
        color = (
            self.theme.colors.muted if kind == "district" and not lit else self.theme.colors.text
        )
        rect = box.label_rect
        left = rect.right() - box.label.width if box.flush_right else rect.left()
        box.label.draw(painter, QPointF(left, rect.top()), color)
        if box.caption is not None:
            hue = self.color(HUES.get(kind, "muted"))
            at = QPointF(
                rect.right() - box.caption.width if box.flush_right else rect.left(),
                rect.top() + box.label.height + grid.px(CAPTION_GAP),
            )
            box.caption.draw(painter, at, mix(hue, self.color("text"), 0.35))
        painter.restore()

    def _paint_city(self, painter: QPainter, grid: Grid, box: PlaceBox, lit: bool) -> None:
        c, r = box.center, box.marker.width() / 2
        text = self.color("text")
        if lit:
            painter.setBrush(self.color("text", 0.25))
            painter.drawEllipse(c, r * 2.2, r * 2.2)
        painter.setPen(QPen(text, grid.px(3)))
        painter.setBrush(self.color("background"))
        painter.drawEllipse(c, r, r)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(text)
        painter.drawEllipse(c, r * 0.42, r * 0.42)

    def _paint_badge(
        self, painter: QPainter, grid: Grid, box: PlaceBox, progress: float, lit: bool
    ) -> None:
        kind = box.place.kind
        hue = self.color(HUES[kind])
        c = box.center
        r = box.marker.width() / 2 * (0.7 + 0.3 * progress)
        shape = QPainterPath()
        if kind == "zone":
            shape.addRoundedRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), r * 0.35, r * 0.35)
        elif kind == "hub":
            shape.addPolygon(
                QPolygonF(
                    [
                        QPointF(c.x(), c.y() - r * 1.15),
                        QPointF(c.x() + r * 1.15, c.y()),
                        QPointF(c.x(), c.y() + r * 1.15),
                        QPointF(c.x() - r * 1.15, c.y()),
                    ]
                )
            )
            shape.closeSubpath()
        else:
            shape.addEllipse(c, r, r)
        if lit:
            for width, alpha in ((22, 0.2), (12, 0.4)):
                painter.setPen(QPen(with_alpha(hue, alpha), grid.px(width)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(shape)
        gold = kind == "hub"
        painter.setPen(QPen(mix(hue, self.color("text"), 0.3) if lit else hue, grid.px(3)))
        painter.setBrush(hue if gold else mix(self.color("background"), hue, 0.32 if lit else 0.22))
        painter.drawPath(shape)
        ink = self.color("background") if gold else self.color("text")
        draw_glyph(painter, kind, c, r * 0.62, ink, grid.px(2.6))


# --- shapes ---------------------------------------------------------------------------------------


def _one_line(text: str, font: QFont, line_height: float) -> TextBlock:
    """`text` on one line, as wide as it is."""
    wide = TextBlock([text], font, 1e5, line_height)
    return TextBlock([text], font, wide.natural_width() + 1, line_height)


def even_samples(path: QPainterPath, count: int) -> list[QPointF]:
    """`count` points evenly spaced along `path` by length, from its flattened polygon
    (QPainterPath.pointAtPercent measures the whole curve again at every call)."""
    polygons = path.toSubpathPolygons()
    line = [polygons[0].at(i) for i in range(polygons[0].size())] if polygons else []
    if len(line) < 2:
        return [path.pointAtPercent(0)] * count
    lengths = [0.0]
    for a, b in zip(line, line[1:], strict=False):
        lengths.append(lengths[-1] + math.hypot(b.x() - a.x(), b.y() - a.y()))
    total = lengths[-1] or 1.0
    samples, k = [], 0
    for i in range(count):
        target = total * i / (count - 1)
        while k < len(lengths) - 2 and lengths[k + 1] < target:
            k += 1
        span = lengths[k + 1] - lengths[k] or 1.0
        t = min(1.0, max(0.0, (target - lengths[k]) / span))
        a, b = line[k], line[k + 1]
        samples.append(QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t))
    return samples


def smooth_path(points: list[QPointF], *, closed: bool) -> QPainterPath:
    """A curve through every point (Catmull-Rom, as cubic Béziers): a river or outline bends,
    it does not kink."""
    path = QPainterPath()
    n = len(points)
    if n == 0:
        return path
    path.moveTo(points[0])
    segments = n if closed else n - 1
    for i in range(segments):

        def p(k: int) -> QPointF:
            return points[k % n] if closed else points[min(max(k, 0), n - 1)]

        p0, p1, p2, p3 = p(i - 1), p(i), p(i + 1), p(i + 2)
        path.cubicTo(p1 + (p2 - p0) / 6, p2 - (p3 - p1) / 6, p2)
    if closed:
        path.closeSubpath()
    return path


def draw_glyph(
    painter: QPainter, kind: str, c: QPointF, size: float, color: QColor, stroke: float
) -> None:
    """The pictogram of a place's kind, `size` the half-width of its square, centred at `c`."""

    def pt(x: float, y: float) -> QPointF:
        return QPointF(c.x() + x * size, c.y() + y * size)

    painter.save()
    pen = QPen(color, stroke)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if kind == "airport":
        plane = [
            (0, -1),
            (0.13, -0.85),
            (0.13, -0.28),
            (0.95, 0.2),
            (0.95, 0.38),
            (0.13, 0.14),
            (0.13, 0.62),
            (0.42, 0.86),
            (0.42, 1.0),
            (0, 0.9),
            (-0.42, 1.0),
            (-0.42, 0.86),
            (-0.13, 0.62),
            (-0.13, 0.14),
            (-0.95, 0.38),
            (-0.95, 0.2),
            (-0.13, -0.28),
            (-0.13, -0.85),
        ]
        turn = math.radians(45)
        cos, sin = math.cos(turn), math.sin(turn)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([pt(x * cos - y * sin, x * sin + y * cos) for x, y in plane]))
    elif kind == "port":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(pt(0, -0.72), size * 0.2, size * 0.2)
        painter.drawLine(pt(0, -0.52), pt(0, 0.92))
        painter.drawLine(pt(-0.42, -0.22), pt(0.42, -0.22))
        arc = QPainterPath(pt(-0.8, 0.3))
        arc.quadTo(pt(-0.6, 0.95), pt(0, 0.92))
        arc.quadTo(pt(0.6, 0.95), pt(0.8, 0.3))
        painter.drawPath(arc)
    elif kind == "station":
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        body = QRectF(pt(-0.6, -0.9), pt(0.6, 0.55))
        painter.drawRoundedRect(body, size * 0.25, size * 0.25)
        painter.drawLine(pt(-0.6, -0.15), pt(0.6, -0.15))
        painter.drawLine(pt(-0.35, 0.6), pt(-0.62, 0.98))
        painter.drawLine(pt(0.35, 0.6), pt(0.62, 0.98))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(pt(-0.3, 0.22), size * 0.12, size * 0.12)
        painter.drawEllipse(pt(0.3, 0.22), size * 0.12, size * 0.12)
    elif kind == "zone":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for x in (-0.5, 0.12):
            for y in (-0.5, 0.12):
                painter.drawRoundedRect(
                    QRectF(pt(x, y), pt(x + 0.38, y + 0.38)), size * 0.08, size * 0.08
                )
    elif kind == "hub":
        painter.setPen(QPen(color, stroke * 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(c, size * 0.45, size * 0.45)
        for x, y in ((0, -1), (1, 0), (0, 1), (-1, 0)):
            painter.drawLine(pt(x * 0.45, y * 0.45), pt(x * 0.85, y * 0.85))
    painter.restore()


# --- placing labels -------------------------------------------------------------------------------


def _best(
    options: list[QRectF],
    area: QRectF,
    obstacles: list[QRectF],
    own: list[QRectF],
    river_points: list[QPointF],
) -> tuple[QRectF, float]:
    """The first option inside `area` that covers no obstacle (and not its own marker),
    crossing the fewest river points; if none is free, the least covered one. With its
    score: `COLLISION` or more when it covers something."""
    # Plain tuples: a map at its limits tries thousands of placements, and each call into Qt
    # for a rectangle test cost more than the test.
    blocks = [_edges(o) for o in obstacles] + [_edges(m) for m in own if not m.isEmpty()]
    points = [(p.x(), p.y()) for p in river_points]
    best, best_score = options[0], math.inf
    for rank, option in enumerate(options):
        rect = option if _inside(area, option) else clamp_rect(option, area)
        score = rank * 0.5 + (0 if rect == option else 400)
        left, top, right, bottom = _edges(rect)
        for o_left, o_top, o_right, o_bottom in blocks:
            w = min(right, o_right) - max(left, o_left)
            h = min(bottom, o_bottom) - max(top, o_top)
            if w > 0 and h > 0:
                score += COLLISION + w * h / 100
        score += 3 * sum(1 for x, y in points if left <= x <= right and top <= y <= bottom)
        if score < best_score:
            best, best_score = rect, score
            if score < 1:
                break  # the first choice, free: nothing later can beat it
    return best, best_score


def _edges(rect: QRectF) -> tuple[float, float, float, float]:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def _crosses_outline(path: QPainterPath, rect: QRectF) -> bool:
    """Whether an area's outline runs through `rect` (part of it inside, part outside)."""
    return path.intersects(rect) and not path.contains(rect)


def _inside(outer: QRectF, inner: QRectF) -> bool:
    return (
        inner.left() >= outer.left() - 0.01
        and inner.top() >= outer.top() - 0.01
        and inner.right() <= outer.right() + 0.01
        and inner.bottom() <= outer.bottom() + 0.01
    )


def _at_least(rect: QRectF, least: float, view: QRectF) -> QRectF:
    """`rect` grown to at least `least` on each side, inside `view`."""
    out = QRectF(rect)
    if out.width() < least:
        out.adjust(-(least - out.width()) / 2, 0, (least - out.width()) / 2, 0)
    if out.height() < least:
        out.adjust(0, -(least - out.height()) / 2, 0, (least - out.height()) / 2)
    return clamp_rect(out, view)


VIEW = MapView
