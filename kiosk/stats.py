"""`kiosk stats`: what visitors explored, from one or several kiosks' analytics databases.

`compute_stats` reads the databases written by `kiosk.analytics.Recorder` (read-only) and returns
a JSON-ready dict; `write_report` turns it into one self-contained HTML file whose charts are
painted with QPainter and embedded as PNG images (so Chinese renders the same in any browser).
Qt is imported only inside `write_report`: `kiosk stats --json` stays fast.

Days and hours are the kiosk's local time (each row keeps its UTC offset). `--since`/`--until`
are inclusive local dates. Slide views count what visitors looked at (visitor mode); attract-loop
views are counted apart. Language shares are shares of the time visitors spent in each language.
"""

from __future__ import annotations

import base64
import calendar
import html
import json
import math
import sqlite3
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.analytics import VISITORS, connect, default_analytics_path

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QPainter

BACKGROUND = "#0B1E2D"
PANEL = "#12293B"
PANEL_EDGE = "#1E3A50"
TEAL = "#19B3A6"
GOLD = "#E8B04A"
SKY = "#5DA9E9"
TEXT = "#F2F5F7"
MUTED = "#9FB3C2"
SERIES = (TEAL, GOLD, SKY, "#8E7CC3", "#E06C75")
LANGUAGE_NAMES = {"zh": "中文 Chinese", "en": "English 英文"}
REQUIRED_TABLES = {"schema_version", "meta", "sessions", "views", "cards", "languages", "loops"}


class StatsError(Exception):
    """A database that cannot be read as a kiosk analytics database."""


# --- reading -------------------------------------------------------------------------------------


@dataclass
class _Session:
    started: float
    tz: int
    ended: float | None
    idle_s: float
    lang: str | None
    switches: list[tuple[float, str]] = field(default_factory=list)

    @property
    def active_end(self) -> float | None:
        """When the visitor last acted: the idle reset minus the idle wait."""
        return None if self.ended is None else max(self.started, self.ended - self.idle_s)


@dataclass
class _Span:
    """The first and last event seen, with their UTC offsets."""

    first: tuple[float, int] | None = None
    last: tuple[float, int] | None = None

    def add(self, t: float | None, tz: int) -> None:
        if t is None:
            return
        if self.first is None or t < self.first[0]:
            self.first = (t, tz)
        if self.last is None or t > self.last[0]:
            self.last = (t, tz)


def _bounds(since: date | None, until: date | None) -> tuple[float, float]:
    """Local-epoch bounds [low, high) for inclusive local dates."""
    low = float(calendar.timegm(since.timetuple())) if since else float("-inf")
    high = (
        float(calendar.timegm((until + timedelta(days=1)).timetuple())) if until else float("inf")
    )
    return low, high


def _local(t: float, tz: int) -> datetime:
    return datetime.fromtimestamp(t, timezone(timedelta(seconds=tz)))


def _iso(point: tuple[float, int] | None) -> str | None:
    return None if point is None else _local(*point).isoformat(timespec="seconds")


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StatsError(f"{path}: no such analytics database")
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise StatsError(f"{path}: cannot open: {exc}") from None
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as exc:
        conn.close()
        raise StatsError(f"{path}: not a readable database: {exc}") from None
    if not names >= REQUIRED_TABLES:
        conn.close()
        raise StatsError(f"{path}: not a kiosk analytics database")
    return conn


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def compute_stats(dbs: Sequence[Path], since: date | None, until: date | None) -> dict[str, Any]:
    """The statistics of the events in `dbs` between the local dates `since` and `until`."""
    low, high = _bounds(since, until)
    where = "{t} + {tz} >= ? AND {t} + {tz} < ?"
    in_range = (low, high)
    sessions: list[_Session] = []
    visitor_dwells: dict[str, list[float]] = defaultdict(list)
    visitor_views: Counter[str] = Counter()
    attract_views: Counter[str] = Counter()
    cards: Counter[tuple[str, str]] = Counter()
    switches: Counter[str] = Counter()
    loops = 0
    span = _Span()
    databases: list[dict[str, str]] = []
    for path in dbs:
        conn = _open(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            databases.append({"path": str(path), "purpose": meta.get("purpose", VISITORS)})
            by_id: dict[int, _Session] = {}
            for sid, started, tz, ended, idle_s, lang in conn.execute(
                "SELECT id, started, tz, ended, idle_s, lang FROM sessions WHERE "
                + where.format(t="started", tz="tz"),
                in_range,
            ):
                session = _Session(started, tz, ended, idle_s or 0.0, lang)
                by_id[sid] = session
                sessions.append(session)
                span.add(started, tz)
                span.add(ended, tz)
            for sid, t, lang in conn.execute(
                "SELECT session_id, t, lang FROM languages WHERE session_id IS NOT NULL ORDER BY t"
            ):
                if sid in by_id:
                    by_id[sid].switches.append((t, lang))
            for t, tz, lang, ended, idle_s in conn.execute(
                "SELECT l.t, l.tz, l.lang, s.ended, s.idle_s FROM languages l "
                "LEFT JOIN sessions s ON s.id = l.session_id WHERE "
                + where.format(t="l.t", tz="l.tz"),
                in_range,
            ):
                span.add(t, tz)
                # A switch during the idle wait is the reset's return to the default language.
                if ended is None or t <= ended - (idle_s or 0.0):
                    switches[lang] += 1
            for t, tz, slide_id, mode, dwell in conn.execute(
                "SELECT t, tz, slide_id, mode, dwell_s FROM views WHERE "
                + where.format(t="t", tz="tz"),
                in_range,
            ):
                span.add(t, tz)
                if mode == "visitor":
                    visitor_views[slide_id] += 1
                    if dwell is not None:
                        visitor_dwells[slide_id].append(dwell)
                else:
                    attract_views[slide_id] += 1
            for t, tz, slide_id, element in conn.execute(
                "SELECT t, tz, slide_id, element FROM cards WHERE " + where.format(t="t", tz="tz"),
                in_range,
            ):
                span.add(t, tz)
                cards[(slide_id, element)] += 1
            for t, tz in conn.execute(
                "SELECT t, tz FROM loops WHERE " + where.format(t="t", tz="tz"), in_range
            ):
                span.add(t, tz)
                loops += 1
        except sqlite3.Error as exc:
            raise StatsError(f"{path}: cannot read: {exc}") from None
        finally:
            conn.close()

    # Sessions: counts by local day and hour, lengths, and time spent in each language.
    per_hour = [0] * 24
    days: Counter[date] = Counter()
    lengths: list[float] = []
    active: list[float] = []
    language_time: dict[str, float] = defaultdict(float)
    for session in sessions:
        start = _local(session.started, session.tz)
        per_hour[start.hour] += 1
        days[start.date()] += 1
        end = session.active_end
        if session.ended is None or end is None:
            continue  # interrupted (the kiosk was switched off): counted, but no length
        lengths.append(max(0.0, session.ended - session.started))
        active.append(end - session.started)
        lang, since_t = session.lang, session.started
        for t, new in session.switches:
            if t > end:
                break
            if lang is not None:
                language_time[lang] += max(0.0, t - since_t)
            lang, since_t = new, max(since_t, t)
        if lang is not None:
            language_time[lang] += max(0.0, end - since_t)
    per_day: dict[str, int] = {}
    if days:
        day, last = min(days), max(days)
        while day <= last:
            per_day[day.isoformat()] = days[day]
            day += timedelta(days=1)
    total_time = sum(language_time.values())
    languages = (
        {
            lang: round(seconds / total_time, 4)
            for lang, seconds in sorted(language_time.items(), key=lambda kv: (-kv[1], kv[0]))
        }
        if total_time > 0
        else {}
    )

    slide_ids = sorted(
        set(visitor_views) | set(attract_views),
        key=lambda s: (-visitor_views[s], -sum(visitor_dwells[s]), s),
    )
    slide_views = {
        slide_id: {
            "views": visitor_views[slide_id],
            "median_dwell_s": _median(visitor_dwells[slide_id]),
            "total_dwell_s": round(sum(visitor_dwells[slide_id]), 3),
            "attract_views": attract_views[slide_id],
        }
        for slide_id in slide_ids
    }
    cards_opened: dict[str, dict[str, int]] = {}
    for (slide_id, element), count in sorted(cards.items(), key=lambda kv: (-kv[1], kv[0])):
        cards_opened.setdefault(slide_id, {})[element] = count

    return {
        "sessions": {
            "count": len(sessions),
            "median_length_s": _median(lengths),
            "median_active_s": _median(active),
            "unfinished": len(sessions) - len(lengths),
        },
        "slide_views": slide_views,
        "cards_opened": cards_opened,
        "languages": languages,
        "per_hour": per_hour,
        "per_day": per_day,
        "range": {"first": _iso(span.first), "last": _iso(span.last)},
        "language_switches": dict(sorted(switches.items(), key=lambda kv: (-kv[1], kv[0]))),
        "loop_cycles": loops,
        "databases": databases,
    }


# --- the readable summary ------------------------------------------------------------------------


def duration(seconds: float | None) -> str:
    """`75.0` as "1 min 15 s", `12.5` as "12.5 s", None as "-"."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def top_cards(stats: dict[str, Any], limit: int | None = None) -> list[tuple[str, str, int]]:
    """(slide id, element, times opened), most opened first."""
    rows = [
        (slide_id, element, count)
        for slide_id, elements in stats["cards_opened"].items()
        for element, count in elements.items()
    ]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return rows[:limit] if limit is not None else rows


def summary_text(stats: dict[str, Any]) -> str:
    """The statistics as a few readable lines."""
    s = stats["sessions"]
    lines: list[str] = []
    first, last = stats["range"]["first"], stats["range"]["last"]
    if first is None:
        return "No visitor events recorded in this period."
    lines.append(f"Events from {first} to {last}")
    lines.append(
        f"Visitor sessions: {s['count']}, median {duration(s['median_length_s'])} until the idle "
        f"reset ({duration(s['median_active_s'])} of activity)"
        + (f"; {s['unfinished']} unfinished" if s["unfinished"] else "")
    )
    if stats["per_day"]:
        busiest = max(stats["per_day"].items(), key=lambda kv: kv[1])
        days = len(stats["per_day"])
        lines.append(
            f"Per day: {s['count'] / days:.1f} on average over {days} days, "
            f"busiest {busiest[0]} ({busiest[1]})"
        )
    if any(stats["per_hour"]):
        hour = max(range(24), key=lambda h: stats["per_hour"][h])
        lines.append(
            f"Busiest hour: {hour:02d}:00-{(hour + 1) % 24:02d}:00 "
            f"({stats['per_hour'][hour]} sessions)"
        )
    slides = list(stats["slide_views"].items())
    if slides:
        lines.append("Most viewed slides (views, median dwell):")
        for slide_id, row in slides[:5]:
            lines.append(f"  {row['views']:>6}  {duration(row['median_dwell_s']):>12}  {slide_id}")
        if len(slides) > 5:
            lines.append("Least viewed slides:")
            for slide_id, row in slides[-min(5, len(slides) - 5) :]:
                lines.append(
                    f"  {row['views']:>6}  {duration(row['median_dwell_s']):>12}  {slide_id}"
                )
    cards = top_cards(stats, 10)
    if cards:
        lines.append("Detail cards opened most:")
        for slide_id, element, count in cards:
            lines.append(f"  {count:>6}  {slide_id}  {element}")
    if stats["languages"]:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in stats["languages"].items())
        lines.append(f"Languages (share of visitors' time): {shares}")
    lines.append(f"Attract loop cycles: {stats['loop_cycles']}")
    return "\n".join(lines)


def stats_main(
    dbs: Sequence[Path] | None,
    since: date | None,
    until: date | None,
    as_json: bool,
    out: Path | None,
) -> int:
    """`kiosk stats`: print the statistics (JSON or a summary) and optionally write the report."""
    paths = list(dbs) if dbs else [default_analytics_path()]
    if since is not None and until is not None and since > until:
        print(f"--since {since} is after --until {until}", file=sys.stderr)
        return 2
    try:
        stats = compute_stats(paths, since, until)
    except StatsError as exc:
        print(exc, file=sys.stderr)
        return 1
    for db in stats["databases"]:
        if db["purpose"] != VISITORS:
            print(f"note: {db['path']} records a {db['purpose']}, not visitors", file=sys.stderr)
    if as_json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(summary_text(stats))
    if out is not None:
        try:
            write_report(stats, out)
        except OSError as exc:
            print(f"cannot write {out}: {exc}", file=sys.stderr)
            return 1
        print(f"report written to {out}", file=sys.stderr if as_json else sys.stdout)
    return 0


# --- the HTML report -----------------------------------------------------------------------------

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


class _Charts:
    """Paints the report's charts onto QImages (created after a QGuiApplication exists)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
        from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

        from kiosk.ui.fonts import ui_font

        self.QBuffer, self.QByteArray, self.QIODevice = QBuffer, QByteArray, QIODevice
        self.QRectF, self.Qt, self.QColor, self.QImage = QRectF, Qt, QColor, QImage
        self.QPointF = QPointF
        self.QPainter, self.QPainterPath, self.QPen = QPainter, QPainterPath, QPen
        self.QFontMetricsF = QFontMetricsF
        self.font = ui_font

    # -- canvas and text -----------------------------------------------------------------------

    def canvas(self, height: float) -> tuple[QImage, QPainter]:
        image = self.QImage(
            round(CHART_W * SCALE), round(height * SCALE), self.QImage.Format.Format_RGB32
        )
        image.setDevicePixelRatio(SCALE)
        image.fill(self.QColor(PANEL))
        painter = self.QPainter(image)
        painter.setRenderHint(self.QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(self.QPainter.RenderHint.TextAntialiasing)
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
            "left": self.Qt.AlignmentFlag.AlignLeft,
            "right": self.Qt.AlignmentFlag.AlignRight,
            "center": self.Qt.AlignmentFlag.AlignHCenter,
        }[align] | self.Qt.AlignmentFlag.AlignVCenter
        painter.setFont(self.font(px, bold=bold))
        painter.setPen(self.QColor(color))
        painter.drawText(self.QRectF(*rect), int(flags), text)

    def heading(self, painter: QPainter, title: str, subtitle: str) -> None:
        self.text(painter, (28, 18, CHART_W - 56, 34), title, 22, TEXT, bold=True)
        self.text(painter, (28, 50, CHART_W - 56, 24), subtitle, 15, MUTED)

    def empty(self, painter: QPainter, top: float, height: float) -> None:
        self.text(painter, (0, top, CHART_W, height), "尚无数据 · No data yet", 18, MUTED, "center")

    def png(self, image: QImage, painter: QPainter) -> bytes:
        painter.end()
        data = self.QByteArray()
        buffer = self.QBuffer(data)
        buffer.open(self.QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 wants the format as str at run time; its stubs say bytes.
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            raise OSError("could not encode a chart as PNG")
        buffer.close()
        return bytes(data.data())

    def elide(self, text: str, px: float, width: float) -> str:
        metrics = self.QFontMetricsF(self.font(px))
        return metrics.elidedText(text, self.Qt.TextElideMode.ElideMiddle, width)

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
        grid = self.QPen(self.QColor(PANEL_EDGE), 1)
        tick = 0.0
        while tick <= peak + 1e-9:
            y = bottom - (bottom - top) * tick / peak
            painter.setPen(grid)
            painter.drawLine(self.QPointF(left, y), self.QPointF(right, y))
            self.text(painter, (0, y - 10, left - 12, 20), f"{tick:g}", 13, MUTED, "right")
            tick += step
        slot = (right - left) / len(values)
        bar = max(2.0, min(slot * 0.7, 48.0))
        best = max(values)
        painter.setPen(self.Qt.PenStyle.NoPen)
        for i, value in enumerate(values):
            x = left + slot * i + (slot - bar) / 2
            h = (bottom - top) * value / peak
            if h > 0:
                path = self.QPainterPath()
                radius = min(bar / 2, 6.0, h)
                path.addRoundedRect(self.QRectF(x, bottom - h, bar, h + radius), radius, radius)
                painter.setClipRect(self.QRectF(0, 0, CHART_W, bottom))
                painter.fillPath(path, self.QColor(GOLD if value == best else TEAL))
                painter.setClipping(False)
                if len(values) <= 31 and bar >= 14:
                    self.text(
                        painter,
                        (x - 20, bottom - h - 22, bar + 40, 20),
                        str(value),
                        13,
                        TEXT,
                        "center",
                    )
            if i % every == 0:
                self.text(
                    painter, (x - 30, bottom + 8, bar + 60, 22), labels[i], 13, MUTED, "center"
                )
        return self.png(image, painter)

    def bars(
        self,
        title: str,
        subtitle: str,
        rows: list[tuple[str, float, str]],
        color: str = TEAL,
        note_w: float = 240.0,
    ) -> bytes:
        """Horizontal bars, one row each: (label, value, note); the first row in gold."""
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
        most = max(v for _, v, _ in rows) or 1.0
        painter.setPen(self.Qt.PenStyle.NoPen)
        for i, (label, value, note) in enumerate(rows):
            y = top + i * row_h
            name = self.elide(label, 15, label_w)
            self.text(painter, (28, y, label_w, row_h - 8), name, 15, TEXT, "right")
            track = self.QRectF(left, y + 6, right - left, row_h - 20)
            painter.setPen(self.Qt.PenStyle.NoPen)
            painter.setBrush(self.QColor(PANEL_EDGE))
            painter.drawRoundedRect(track, 7, 7)
            width = max(track.height(), track.width() * value / most) if value > 0 else 0.0
            if width:
                painter.setBrush(self.QColor(GOLD if i == 0 else color))
                painter.drawRoundedRect(
                    self.QRectF(track.left(), track.top(), width, track.height()), 7, 7
                )
            self.text(painter, (right + 14, y, note_w - 14, row_h - 8), note, 14, MUTED)
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
        ring = self.QRectF(60 + stroke / 2, 104 + stroke / 2, size - stroke, size - stroke)
        track = self.QPen(self.QColor(PANEL_EDGE), stroke)
        track.setCapStyle(self.Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawEllipse(ring)
        angle = 90.0
        items = list(shares.items())
        for i, (_, share) in enumerate(items):
            pen = self.QPen(self.QColor(SERIES[i % len(SERIES)]), stroke)
            pen.setCapStyle(self.Qt.PenCapStyle.FlatCap)
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
            TEXT,
            "center",
            bold=True,
        )
        self.text(
            painter,
            (center[0], 104 + size / 2 + 8, size, 22),
            LANGUAGE_NAMES.get(lead_lang, lead_lang).split()[0],
            14,
            MUTED,
            "center",
        )
        for i, (lang, share) in enumerate(items):
            y = 118 + i * 44
            painter.setPen(self.Qt.PenStyle.NoPen)
            painter.setBrush(self.QColor(SERIES[i % len(SERIES)]))
            painter.drawRoundedRect(self.QRectF(300, y + 6, 22, 22), 6, 6)
            name = LANGUAGE_NAMES.get(lang, lang)
            self.text(painter, (336, y, 240, 34), name, 18, TEXT)
            self.text(painter, (576, y, 100, 34), f"{share:.1%}", 18, TEXT, "right", bold=True)
        return self.png(image, painter)

    def banner(self, title_zh: str, title_en: str, subtitle: str) -> bytes:
        """The report's header, with the Chinese title painted (not left to browser fonts)."""
        height = 150.0
        image, painter = self.canvas(height)
        image.fill(self.QColor(BACKGROUND))
        painter.setPen(self.Qt.PenStyle.NoPen)
        painter.setBrush(self.QColor(TEAL))
        painter.drawRoundedRect(self.QRectF(0, 26, 8, 98), 4, 4)
        painter.setBrush(self.QColor(GOLD))
        painter.drawRoundedRect(self.QRectF(0, 104, 8, 20), 4, 4)
        self.text(painter, (32, 18, CHART_W - 32, 56), title_zh, 40, TEXT, bold=True)
        self.text(painter, (32, 76, CHART_W - 32, 34), title_en, 24, TEXT)
        self.text(painter, (32, 112, CHART_W - 32, 26), subtitle, 16, MUTED)
        return self.png(image, painter)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" width="{CHART_W}">'


CSS = f"""
:root {{ color-scheme: dark; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: {BACKGROUND}; color: {TEXT};
  font: 16px/1.5 Inter, "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
  "Microsoft YaHei", system-ui, sans-serif; }}
main {{ max-width: 1104px; margin: 0 auto; padding: 40px 32px 64px; }}
img {{ display: block; max-width: 100%; height: auto; border-radius: 24px; }}
header img {{ border-radius: 0; }}
.kpis {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr));
  gap: 16px; margin: 24px 0 32px; }}
.kpi {{ background: {PANEL}; border: 1px solid {PANEL_EDGE}; border-radius: 24px;
  padding: 20px 24px; }}
.kpi b {{ display: block; font-size: 36px; line-height: 1.2; font-weight: 700;
  font-variant-numeric: tabular-nums; }}
.kpi.accent b {{ color: {GOLD}; }}
.kpi span {{ color: {MUTED}; font-size: 14px; }}
section {{ margin: 0 0 28px; }}
h2 {{ font-size: 14px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase;
  color: {TEAL}; margin: 0 0 12px; }}
table {{ width: 100%; border-collapse: collapse; background: {PANEL}; border-radius: 24px;
  overflow: hidden; margin-top: 16px; font-variant-numeric: tabular-nums; }}
th, td {{ text-align: left; padding: 10px 20px; border-bottom: 1px solid {PANEL_EDGE}; }}
th {{ color: {MUTED}; font-weight: 500; font-size: 13px; }}
td.n, th.n {{ text-align: right; }}
tr:last-child td {{ border-bottom: 0; }}
footer {{ color: {MUTED}; font-size: 13px; margin-top: 40px; }}
code {{ font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 14px; }}
"""


def write_report(stats: dict[str, Any], out: Path) -> None:
    """Write `stats` as one self-contained HTML file: inline CSS, charts as embedded PNGs."""
    from kiosk.ui.app import ensure_app

    ensure_app(offscreen=True)
    charts = _Charts()
    e = html.escape
    s = stats["sessions"]
    first, last = stats["range"]["first"], stats["range"]["last"]
    period = f"{first[:10]} – {last[:10]}" if first and last else "no events in this period"

    per_day = stats["per_day"]
    day_labels = [d[5:] for d in per_day]
    day_every = max(1, -(-len(per_day) // 10))
    slides = list(stats["slide_views"].items())
    slide_rows = [
        (
            slide_id,
            float(row["views"]),
            f"{row['views']} views · median {duration(row['median_dwell_s'])}",
        )
        for slide_id, row in slides
    ]
    cards = top_cards(stats, 12)
    card_rows = [(f"{slide_id} · {element}", float(n), f"{n}×") for slide_id, element, n in cards]
    total_views = sum(row["views"] for _, row in slides)
    total_cards = sum(n for *_, n in top_cards(stats))

    images = {
        "banner": charts.banner(
            "两江新区展览 · 观众数据", "Liangjiang Kiosk — visitor report", period
        ),
        "days": charts.columns(
            "每日观众 · Sessions per day",
            "Visitor sessions started each day (kiosk local time); the busiest day in gold",
            day_labels,
            list(per_day.values()),
            day_every,
        ),
        "hours": charts.columns(
            "时段分布 · Sessions by hour of day",
            "When visitors start exploring (kiosk local time)",
            [f"{h:02d}" for h in range(24)],
            list(stats["per_hour"]),
            3,
        ),
        "slides": charts.bars(
            "幻灯片浏览 · Slide views",
            "Views during visitor sessions, most viewed first, with the median dwell time",
            slide_rows,
        ),
        "cards": charts.bars(
            "详情卡片 · Detail cards opened most",
            "Which elements visitors tapped for more",
            card_rows,
            SKY,
            note_w=90.0,
        ),
        "languages": charts.shares(
            "语言 · Languages",
            "Share of visitors' time in each language",
            stats["languages"],
        ),
    }
    english = stats["languages"].get("en")
    kpis = [
        ("Visitor sessions", str(s["count"]), True),
        ("Median visit", duration(s["median_active_s"]), False),
        ("Slide views", str(total_views), False),
        ("Cards opened", str(total_cards), False),
        ("In English", "-" if english is None else f"{english:.0%}", False),
        ("Attract loop cycles", str(stats["loop_cycles"]), False),
    ]
    kpi_html = "\n".join(
        f'<div class="kpi{" accent" if accent else ""}"><b>{e(value)}</b>'
        f"<span>{e(label)}</span></div>"
        for label, value, accent in kpis
    )
    slide_table = "\n".join(
        f"<tr><td><code>{e(slide_id)}</code></td><td class=n>{row['views']}</td>"
        f"<td class=n>{e(duration(row['median_dwell_s']))}</td>"
        f"<td class=n>{e(duration(row['total_dwell_s']))}</td>"
        f"<td class=n>{row['attract_views']}</td></tr>"
        for slide_id, row in slides
    )
    card_table = "\n".join(
        f"<tr><td><code>{e(slide_id)}</code></td><td><code>{e(element)}</code></td>"
        f"<td class=n>{n}</td></tr>"
        for slide_id, element, n in top_cards(stats)
    )
    sources = ", ".join(e(Path(db["path"]).name) for db in stats.get("databases", []))
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>两江新区展览 · Liangjiang Kiosk visitor report ({e(period)})</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header>{_img(images["banner"], "Liangjiang Kiosk visitor report, " + period)}</header>
<div class="kpis">
{kpi_html}
</div>
<section><h2>Sessions per day</h2>{_img(images["days"], "Sessions per day")}</section>
<section><h2>Time of day</h2>{_img(images["hours"], "Sessions by hour of day")}</section>
<section><h2>Slides</h2>{_img(images["slides"], "Slide views")}
<table><thead><tr><th>Slide</th><th class=n>Visitor views</th><th class=n>Median dwell</th>
<th class=n>Total dwell</th><th class=n>Attract-loop views</th></tr></thead>
<tbody>
{slide_table or "<tr><td colspan=5>No slide views in this period.</td></tr>"}
</tbody></table></section>
<section><h2>Detail cards</h2>{_img(images["cards"], "Detail cards opened most")}
<table><thead><tr><th>Slide</th><th>Element</th><th class=n>Opened</th></tr></thead>
<tbody>
{card_table or "<tr><td colspan=3>No cards opened in this period.</td></tr>"}
</tbody></table></section>
<section><h2>Languages</h2>{_img(images["languages"], "Language share")}</section>
<footer>Period {e(period)} · sessions: first touch until the idle reset; "median visit" leaves
out the idle wait · {s["unfinished"]} unfinished sessions · sources: {sources or "-"} ·
Recorded on the kiosk: slide ids, element keys, languages and times only.</footer>
</main>
</body>
</html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
