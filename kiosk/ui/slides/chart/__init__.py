"""The chart slide: bars, horizontal bars and lines by pyqtgraph (`plot`), share rings by
QPainter (`rings`), on a shared base (`base`: categories, timing, note, highlight), one scale
for all its numbers (`scale`) and the plot's measured layout (`layout`).

The package is imported only when a deck has a chart, so a deck without one never pays for
pyqtgraph; `view_for` picks the view of a chart's kind.
"""

from __future__ import annotations

from typing import Any

from kiosk.content.model import ChartSlide, SlideBase
from kiosk.ui.slides.chart.base import ChartView
from kiosk.ui.slides.chart.plot import PlotView
from kiosk.ui.slides.chart.rings import RingsView

__all__ = ["ChartView", "PlotView", "RingsView", "view_for"]


def view_for(slide: SlideBase) -> type[ChartView[Any]]:
    """The view of a chart slide's kind: share rings, or a plot for every other kind."""
    assert isinstance(slide, ChartSlide)
    return RingsView if slide.kind == "share" else PlotView
