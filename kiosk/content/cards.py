"""The cards a slide opens: each one's key (as the slide's view names its element), title and text.

One place for what a card says, read by the slide views (which add where its element is) and
by the narration (which makes every card's speech ahead of time): the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.content.format import format_date, format_period
from kiosk.content.loader import Deck
from kiosk.content.model import (
    ChartSlide,
    DiagramSlide,
    Event,
    MapSlide,
    Metric,
    MetricsSlide,
    PartialDate,
    SlideBase,
    Text,
    TilesSlide,
    TimelineSlide,
)


@dataclass(frozen=True)
class Card:
    """A card a slide opens: its key (as the slide's view names its element), title, text."""

    key: str
    title: Text | None
    detail: Text


def month_slots(events: Sequence[Event]) -> list[list[int]]:
    """A timeline's events grouped into places on the axis: consecutive events of one month
    (not periods) share one; every other event has its own."""
    slots: list[list[int]] = []
    for i, event in enumerate(events):
        if slots and event.until is None and event.date.month is not None:
            last = events[slots[-1][-1]]
            same = (last.date.year, last.date.month) == (event.date.year, event.date.month)
            if last.until is None and same:
                slots[-1].append(i)
                continue
        slots.append([i])
    return slots


def _paragraph(event: Event, lang: str) -> str:
    """One event of a month's shared card, with its own date where it has a day."""
    label, text = event.label.get(lang), event.detail.get(lang)
    if event.date.day is None:
        return f"{label}：{text}" if lang == "zh" else f"{label}: {text}"
    when = format_date(event.date, lang)
    return f"{label}（{when}）：{text}" if lang == "zh" else f"{label}, {when}: {text}"


def slot_card(events: Sequence[Event], slot: Sequence[int], langs: Sequence[str]) -> Card:
    """The card of a place on a timeline's axis: an event's own (its label; its date or period
    as the first line, then its detail), or for events of one month the month as the title and
    each event, with its own date, in the order written."""
    members = [events[i] for i in slot]
    first = members[0]
    key = f"event:{slot[0]}"
    if len(members) == 1:
        detail = {
            lang: f"{format_period(first.date, first.until, lang)}\n\n{first.detail.get(lang)}"
            for lang in langs
        }
        return Card(key, first.label, Text.model_construct(root=detail))
    month = PartialDate(first.date.year, first.date.month)
    titles = {lang: format_date(month, lang) for lang in langs}
    detail = {lang: "\n\n".join(_paragraph(m, lang) for m in members) for lang in langs}
    return Card(key, Text.model_construct(root=titles), Text.model_construct(root=detail))


def category_metric(deck: Deck, chart: ChartSlide, index: int) -> Metric | None:
    """The figure behind a chart's category `index`: the first series naming a metric there."""
    for series in chart.series:
        if series.metrics:
            return deck.metrics.get(series.metrics[index])
    return None


def category_card(deck: Deck, chart: ChartSlide, index: int) -> Card:
    """A chart category's card: titled with its label, else its metric's, else its number;
    its own detail, else its metric's, else its title."""
    category = chart.categories[index]
    metric = category_metric(deck, chart, index)
    label = category.label
    if label is None:
        label = metric.label if metric is not None else Text.model_validate(str(index + 1))
    detail = category.detail or (metric.detail if metric is not None else label)
    return Card(f"category:{index}", label, detail)


def _timeline_cards(deck: Deck, slide: TimelineSlide) -> list[Card]:
    langs = list(deck.settings.languages)
    return [slot_card(slide.events, slot, langs) for slot in month_slots(slide.events)]


def slide_cards(deck: Deck, slide: SlideBase) -> list[Card]:
    """Every card `slide` opens, titled and keyed as its view titles and keys them."""
    if isinstance(slide, MetricsSlide):
        cards = []
        for tile in slide.tiles:
            metric = deck.metrics.get(tile.metric)
            if metric is not None:
                cards.append(
                    Card(f"tile:{tile.metric}", metric.label, tile.detail or metric.detail)
                )
        return cards
    if isinstance(slide, TilesSlide):
        return [Card(f"tile:{i}", t.label, t.detail) for i, t in enumerate(slide.tiles)]
    if isinstance(slide, ChartSlide):
        return [category_card(deck, slide, i) for i in range(len(slide.categories))]
    if isinstance(slide, TimelineSlide):
        return _timeline_cards(deck, slide)
    if isinstance(slide, DiagramSlide):
        return [Card(f"node:{n.id}", n.label, n.detail) for n in slide.nodes]
    if isinstance(slide, MapSlide):
        areas = [
            Card(f"area:{i}", a.label, a.detail)
            for i, a in enumerate(slide.areas)
            if a.label is not None and a.detail is not None
        ]
        places = [Card(f"place:{p.id}", p.label, p.detail) for p in slide.places if p.detail]
        return areas + places
    return []
