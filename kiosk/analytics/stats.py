"""The statistics: what visitors explored, read from one or several kiosks' databases, typed.

`compute_stats` reads the databases written by `kiosk.analytics.recorder.Recorder` (read-only)
and returns a `Stats`; `Stats.as_json()` is the object `kiosk stats --json` prints.

Days and hours are the kiosk's local time (each row keeps its UTC offset). `--since`/`--until`
are inclusive local dates. Slide views count what visitors looked at (visitor mode); attract-loop
views are counted apart. Language shares are shares of the time visitors spent in each language;
the loop's languages are the attract loop's time in each (from views that kept their language:
a database an older kiosk wrote has attract views without one, left out there). The access
controls are counted per feature: the sessions that switched each on (and their share of the
period's sessions) and the times it was switched on; a database older than them has none.
"""

from __future__ import annotations

import calendar
import sqlite3
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.analytics.database import ACCESS_FEATURES, REQUIRED_TABLES, VISITORS, columns, connect


class StatsError(Exception):
    """A database that cannot be read as a kiosk analytics database."""


# --- the results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionStats:
    """Visitor sessions: first touch until the idle reset."""

    count: int
    median_length_s: float | None
    """Until the idle reset, the idle wait included."""
    median_active_s: float | None
    """Until the visitor's last action (the idle wait left out)."""
    unfinished: int
    """Sessions with no end (the kiosk was switched off): counted, but no length."""


@dataclass(frozen=True)
class SlideStats:
    """One slide's views: during visitor sessions, and in the attract loop apart."""

    views: int
    median_dwell_s: float | None
    total_dwell_s: float
    attract_views: int


@dataclass(frozen=True)
class LoopLanguage:
    """The attract loop in one language: its slide views, their time and its share of it."""

    views: int
    time_s: float
    share: float
    """Of the loop's time in every language (0 to 1)."""


@dataclass(frozen=True)
class AccessUse:
    """One access control (listen, larger text, high contrast) over the period."""

    sessions: int
    """Visitor sessions that switched it on at least once."""
    switched_on: int
    """Times it was switched on (switching it off is not counted)."""
    share: float
    """Of the period's visitor sessions, those that switched it on (0 to 1)."""


@dataclass(frozen=True)
class Period:
    """The first and last event seen, in the kiosk's local time; None when there was none."""

    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class Database:
    """One database read, and what it records (`visitors`, or a soak's `burn-in`)."""

    path: Path
    purpose: str


@dataclass(frozen=True)
class CardCount:
    """How often the detail card of one element of one slide was opened."""

    slide_id: str
    element: str
    count: int


@dataclass(frozen=True)
class Stats:
    """The statistics of a period. The dicts keep their report order (most first)."""

    sessions: SessionStats
    slide_views: dict[str, SlideStats]
    """By slide id, the most viewed first (then the longest watched)."""
    cards_opened: dict[str, dict[str, int]]
    """Times opened, by slide id and element key, the most opened first."""
    languages: dict[str, float]
    """Share of the visitors' time in each language, the largest first."""
    per_hour: tuple[int, ...]
    """Sessions started in each local hour, 0 to 23."""
    per_day: dict[date, int]
    """Sessions started each local day, every day from the first to the last."""
    period: Period
    language_switches: dict[str, int]
    loop_cycles: int
    loop_languages: dict[str, LoopLanguage]
    """The attract loop's time by the language it showed, the longest first."""
    databases: tuple[Database, ...]
    access: dict[str, AccessUse] = field(default_factory=dict)
    """By access control, in the foot band's order (listen, larger, contrast), each always."""
    access_any: AccessUse = AccessUse(0, 0, 0.0)
    """Sessions that switched on any access control, and every switch on of any."""

    def top_cards(self, limit: int | None = None) -> list[CardCount]:
        """The cards opened, most opened first."""
        rows = [
            CardCount(slide_id, element, count)
            for slide_id, elements in self.cards_opened.items()
            for element, count in elements.items()
        ]
        rows.sort(key=lambda r: (-r.count, r.slide_id, r.element))
        return rows[:limit] if limit is not None else rows

    def as_json(self) -> dict[str, Any]:
        """The object `kiosk stats --json` prints (its keys and their order are documented)."""
        s = self.sessions
        return {
            "sessions": {
                "count": s.count,
                "median_length_s": s.median_length_s,
                "median_active_s": s.median_active_s,
                "unfinished": s.unfinished,
            },
            "slide_views": {
                slide_id: {
                    "views": row.views,
                    "median_dwell_s": row.median_dwell_s,
                    "total_dwell_s": row.total_dwell_s,
                    "attract_views": row.attract_views,
                }
                for slide_id, row in self.slide_views.items()
            },
            "cards_opened": {k: dict(v) for k, v in self.cards_opened.items()},
            "languages": dict(self.languages),
            "per_hour": list(self.per_hour),
            "per_day": {day.isoformat(): n for day, n in self.per_day.items()},
            "range": {"first": _iso(self.period.first), "last": _iso(self.period.last)},
            "language_switches": dict(self.language_switches),
            "loop_cycles": self.loop_cycles,
            "loop_languages": {
                lang: {"views": row.views, "time_s": row.time_s, "share": row.share}
                for lang, row in self.loop_languages.items()
            },
            "access": {feature: _access_json(use) for feature, use in self.access.items()},
            "access_any": _access_json(self.access_any),
            "databases": [{"path": str(db.path), "purpose": db.purpose} for db in self.databases],
        }


def _access_json(use: AccessUse) -> dict[str, Any]:
    return {"sessions": use.sessions, "switched_on": use.switched_on, "share": use.share}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


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


def _moment(point: tuple[float, int] | None) -> datetime | None:
    return None if point is None else _local(*point)


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


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def compute_stats(dbs: Sequence[Path], since: date | None, until: date | None) -> Stats:
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
    loop_views: Counter[str] = Counter()
    loop_time: dict[str, float] = defaultdict(float)
    loops = 0
    # Per access control: the sessions (database, id) that switched it on, and its switches on.
    access_sessions: dict[str, set[tuple[int, int]]] = defaultdict(set)
    access_on: Counter[str] = Counter()
    span = _Span()
    databases: list[Database] = []
    for db_index, path in enumerate(dbs):
        conn = _open(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            databases.append(Database(path, meta.get("purpose", VISITORS)))
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
            # A file of schema version 1 (an older kiosk's, read as it is) has no view languages.
            view_lang = "lang" if "lang" in columns(conn, "views") else "NULL"
            for t, tz, slide_id, mode, dwell, lang in conn.execute(
                f"SELECT t, tz, slide_id, mode, dwell_s, {view_lang} FROM views WHERE "
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
                    if lang is not None:
                        loop_views[lang] += 1
                        loop_time[lang] += dwell or 0.0
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
            # A file of schema version 1 or 2 (read as it is) has no access table.
            if _has_table(conn, "access"):
                for t, tz, sid, feature in conn.execute(
                    "SELECT t, tz, session_id, feature FROM access WHERE switched_on AND "
                    + where.format(t="t", tz="tz"),
                    in_range,
                ):
                    span.add(t, tz)
                    access_on[feature] += 1
                    if sid in by_id:
                        access_sessions[feature].add((db_index, sid))
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
    per_day: dict[date, int] = {}
    if days:
        day, last = min(days), max(days)
        while day <= last:
            per_day[day] = days[day]
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
        slide_id: SlideStats(
            views=visitor_views[slide_id],
            median_dwell_s=_median(visitor_dwells[slide_id]),
            total_dwell_s=round(sum(visitor_dwells[slide_id]), 3),
            attract_views=attract_views[slide_id],
        )
        for slide_id in slide_ids
    }
    loop_total = sum(loop_time.values())
    loop_languages = {
        lang: LoopLanguage(
            views=loop_views[lang],
            time_s=round(loop_time[lang], 3),
            share=round(loop_time[lang] / loop_total, 4) if loop_total > 0 else 0.0,
        )
        for lang in sorted(loop_views, key=lambda k: (-loop_time[k], k))
    }

    def share(n: int) -> float:
        return round(n / len(sessions), 4) if sessions else 0.0

    # The band's controls first, always (a zero is news too); any other a newer kiosk wrote after.
    features = list(ACCESS_FEATURES) + sorted(set(access_on) - set(ACCESS_FEATURES))
    access = {
        feature: AccessUse(
            sessions=len(access_sessions[feature]),
            switched_on=access_on[feature],
            share=share(len(access_sessions[feature])),
        )
        for feature in features
    }
    any_sessions = len(set().union(*access_sessions.values()))
    access_any = AccessUse(any_sessions, sum(access_on.values()), share(any_sessions))
    cards_opened: dict[str, dict[str, int]] = {}
    for (slide_id, element), count in sorted(cards.items(), key=lambda kv: (-kv[1], kv[0])):
        cards_opened.setdefault(slide_id, {})[element] = count

    return Stats(
        sessions=SessionStats(
            count=len(sessions),
            median_length_s=_median(lengths),
            median_active_s=_median(active),
            unfinished=len(sessions) - len(lengths),
        ),
        slide_views=slide_views,
        cards_opened=cards_opened,
        languages=languages,
        per_hour=tuple(per_hour),
        per_day=per_day,
        period=Period(_moment(span.first), _moment(span.last)),
        language_switches=dict(sorted(switches.items(), key=lambda kv: (-kv[1], kv[0]))),
        loop_cycles=loops,
        loop_languages=loop_languages,
        databases=tuple(databases),
        access=access,
        access_any=access_any,
    )
