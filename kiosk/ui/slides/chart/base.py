"""What every chart kind shares: its numbers, categories and cards, timing, note, highlight."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from kiosk.content.cards import category_card, category_metric
from kiosk.content.model import ChartSlide, Metric, Series, Text
from kiosk.ui.base import L, SlideView
from kiosk.ui.draw.grid import Grid
from kiosk.ui.draw.text import CENTER, WRAP, draw_text, fit_font, line_box_height


class ChartView(SlideView[L]):
    """A chart slide: one tap target a category; each kind says how it is laid out and drawn."""

    slide: ChartSlide

    def setup(self) -> None:
        assert isinstance(self.slide, ChartSlide)
        self.chart = self.slide
        self.values: list[list[float]] = [self._series_values(s) for s in self.slide.series]
        self.metrics: list[Metric | None] = [
            self.metric_of(s, c)
            for s in range(len(self.slide.series))
            for c in range(len(self.slide.categories))
        ]

    # -- content -------------------------------------------------------------------------------

    def _series_values(self, series: Series) -> list[float]:
        if series.values is not None:
            return [float(v) for v in series.values]
        return [float(self.deck.metrics[key].value) for key in series.metrics or []]

    def metric_of(self, series: int, category: int) -> Metric | None:
        """The figure behind one value, if the series names metrics."""
        keys = self.chart.series[series].metrics
        return self.deck.metrics.get(keys[category]) if keys else None

    def category_metric(self, index: int) -> Metric | None:
        """The figure behind category `index`: the first series naming a metric there."""
        return category_metric(self.deck, self.chart, index)

    def category_label(self, index: int) -> Text:
        """The category's name: its label, else its metric's label, else its number."""
        title = category_card(self.deck, self.chart, index).title
        assert title is not None  # a category's card always has one
        return title

    def category_detail(self, index: int) -> Text:
        """The detail card's text: the category's own, else its metric's, else its label (the
        content's rule, kiosk.content.cards, which narration reads too)."""
        return category_card(self.deck, self.chart, index).detail

    def value_texts(self) -> list[list[str]]:
        """The value labels beside bars and line ends as they read now, per series (none for
        kinds that write their figures inside the shape)."""
        return []

    @property
    def count(self) -> int:
        return len(self.chart.categories)

    # -- timing --------------------------------------------------------------------------------

    def start(self, category: int, series: int = 0) -> float:
        """When a bar or ring starts growing, in seconds after the slide appeared."""
        stagger = self.theme.motion.stagger_ms / 1000
        return 0.2 + category * stagger + series * stagger / 2

    def length(self) -> float:
        """How long one bar or ring takes to grow, in seconds."""
        return self.theme.motion.countup_ms / 1000

    def progress(self, category: int, series: int = 0) -> float:
        """0→1 (eased) growth of a bar or ring, or how far a series' line has drawn."""
        return self.entry(0, delay=self.start(category, series), length=self.length())

    def entry_duration(self) -> float:
        if self.calm:
            return 0.0
        last = max(self.start(c, s) for c in range(self.count) for s in range(len(self.values)))
        return last + self.length()

    # -- highlight -----------------------------------------------------------------------------

    def highlight_index(self) -> int | None:
        """The highlighted category, if one is."""
        key = self.highlight
        if key is None or not key.startswith("category:"):
            return None
        try:
            index = int(key.split(":", 1)[1])
        except ValueError:
            return None
        return index if 0 <= index < self.count else None

    # -- the note under the chart --------------------------------------------------------------

    def note_block(self, grid: Grid, rect: QRectF) -> tuple[QRectF, QRectF | None, QFont | None]:
        """Split off the note's lines at the foot of `rect`: (what is left, note rect, font)."""
        if self.chart.note is None:
            return rect.adjusted(0, 0, 0, -grid.px(16)), None, None
        text = self.t(self.chart.note)
        px = grid.px(self.theme.type.label)
        width = rect.width() * (1.0 if grid.portrait else 0.8)
        box = QRectF(0, 0, width, px * 1.35 * 2)
        font = fit_font(text, box, px, min_px=grid.px(self.theme.type.caption), max_lines=2)
        height = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1e6), CENTER, text).height()
        height = max(height, line_box_height(text, font))
        bottom = rect.bottom() - grid.px(16)  # clear of the foot band's line
        note = QRectF(rect.left(), bottom - height, width, height)
        rest = QRectF(rect.left(), rect.top(), rect.width(), note.top() - grid.px(28) - rect.top())
        return rest, note, font

    def paint_note(self, painter: QPainter, rect: QRectF | None, font: QFont | None) -> None:
        if rect is None or font is None or self.chart.note is None:
            return
        draw_text(painter, rect, self.t(self.chart.note), font, self.theme.colors.muted, WRAP)
