"""The recorder: what visitors explore, written privately in batches to a local SQLite file.

The window reports events (a session started, a slide was shown, a card opened, ...) by calling a
`Recorder`. A call costs a clock read and a queue put: the writing happens on a background thread
in batches, one transaction per batch, at least every `flush_s` seconds, so recording never slows
the paint path. The database is in WAL mode with `synchronous=FULL` (one fsync per batch, on
the writer thread): a process killed or a power cut in the middle of a write loses at most the
batch in flight (the last `flush_s` seconds) and never corrupts the file. Rows older than
`retention_days` are pruned on start and daily.

Nothing personal is recorded: slide ids, element keys (`tile:area`), languages and times; no
images, no touch positions. The access controls (listen, larger text, high contrast) are
recorded as switched on or off, with the session they were used in. Each view keeps the
language its slide was shown in, so the attract loop's time in each language is known (the
loop's language changing on the slide on screen starts a new view). A database that is corrupt
or cannot be written disables recording (with one log message) and the show goes on.

Times are wall-clock seconds (UTC epoch); each row also keeps the kiosk's UTC offset at that
moment, so days and hours are reported in the kiosk's local time wherever the report is made.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.analytics.database import (
    ACCESS_FEATURES,
    SCHEMA,
    SCHEMA_VERSION,
    TIMED_TABLES,
    VISITORS,
    connect,
    migrate,
    utc_offset,
)
from kiosk.ops.notices import best_effort, open_regular_file

QUEUE_LIMIT = 20_000
"""Events waiting to be written; beyond this (a stalled disk) new events are dropped, not held."""
PRUNE_EVERY_S = 86_400.0
MIN_ATTRACT_VIEW_S = 0.25
"""An attract-loop view shorter than this, right after an idle reset, is the reset moving away."""
FLUSH_WAIT_S = 30.0
"""How long `flush()` and `close()` wait for the writer before giving up (a hung disk)."""

log = logging.getLogger(__name__)

Op = tuple[Any, ...]
"""One queued write: its kind first, then its values."""


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same database file (whether or not it exists yet)."""
    return a.expanduser().resolve() == b.expanduser().resolve()


class Recorder:
    """Records the visitors' events into `path`, on a background thread, in batches.

    Call the event methods from one thread (the GUI thread). Each method takes an optional `at`
    (wall-clock seconds); by default the time is `wall_clock()`. Dwell times are computed here:
    a view lasts until the next slide is shown, a session starts or ends, or the recorder closes.
    `purpose` is written into a new database and checked in an existing one, so a burn-in
    (`purpose=BURN_IN`) pointed at the visitors' database records nothing there.
    """

    def __init__(
        self,
        path: Path,
        *,
        wall_clock: Callable[[], float] = time.time,
        retention_days: float = 180,
        flush_s: float = 2.0,
        purpose: str = VISITORS,
    ) -> None:
        self.path = path
        self.purpose = purpose
        self.wall_clock = wall_clock
        self.retention_days = retention_days
        self.flush_s = flush_s
        self.error: str | None = None
        """Why recording stopped, if it did."""
        self.dropped = 0
        """Events dropped because the queue was full (a stalled disk)."""
        self._queue: queue.Queue[Op] = queue.Queue(maxsize=QUEUE_LIMIT)
        self._tokens = itertools.count(1)
        self._session: int | None = None
        self._slide: str | None = None
        self._lang: str | None = None
        # The open view: (token, started, mode, language); None while nothing is watched.
        self._view: tuple[int, float, str, str | None] | None = None
        # After an idle reset: the attract view of the slide left on screen, written only when
        # it turns out to be real (the reset usually moves to the first slide at once).
        self._pending_attract: tuple[str, float, str | None] | None = None
        self._closed = False
        self._disabled = threading.Event()
        self._next_prune = 0.0
        self._thread = threading.Thread(target=self._run, name="kiosk-analytics", daemon=True)
        self._thread.start()

    # -- state ---------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """Whether events are still being recorded (False after an error or `close()`)."""
        return not self._disabled.is_set() and not self._closed

    @property
    def slide(self) -> str | None:
        """The slide last reported as shown."""
        return self._slide

    def _now(self, at: float | None) -> float:
        return self.wall_clock() if at is None else at

    def _put(self, op: Op) -> None:
        if not self.enabled:
            return
        try:
            self._queue.put_nowait(op)
        except queue.Full:
            self.dropped += 1
            if self.dropped == 1:
                log.warning("analytics: the writer is behind; dropping events")

    # -- events --------------------------------------------------------------------------------

    def session_started(self, lang: str | None = None, *, at: float | None = None) -> None:
        """A visitor's first touch: the attract loop's view ends and a visitor view begins."""
        if self._session is not None:
            return
        now = self._now(at)
        if lang is not None:
            self._lang = lang
        self._end_view(now)
        self._session = next(self._tokens)
        self._put(("session_start", self._session, now, self._lang))
        if self._slide is not None:
            self._start_view(self._slide, "visitor", now)

    def session_ended(self, *, idle_s: float = 0.0, at: float | None = None) -> None:
        """The idle reset. `idle_s`: how long nobody touched before it (the idle timeout); that
        wait is not counted in the last slide's dwell time."""
        if self._session is None:
            return
        now = self._now(at)
        self._end_view(now, idle_s=idle_s)
        self._put(("session_end", self._session, now, max(0.0, idle_s)))
        self._session = None
        if self._slide is not None:
            self._pending_attract = (self._slide, now, self._lang)

    def slide_shown(
        self, slide_id: str, mode: str, *, lang: str | None = None, at: float | None = None
    ) -> None:
        """A slide came on (`mode`: "attract" or "visitor") in `lang` (by default the language
        last reported); the previous view ends now."""
        now = self._now(at)
        if lang is not None:
            self._lang = lang
        self._end_view(now)
        self._slide = slide_id
        self._start_view(slide_id, mode, now)

    def card_opened(self, slide_id: str, element: str, *, at: float | None = None) -> None:
        """A detail card opened for `element` (a key such as `tile:area`) of `slide_id`."""
        self._put(("card", self._now(at), self._session, slide_id, element))

    def language_switched(self, lang: str, *, at: float | None = None) -> None:
        """The show's language changed: a visitor's switch during a session; otherwise the
        loop's language changed on the slide on screen (a reload took it out of the loop),
        whose view goes on as a new view in `lang`."""
        self._lang = lang
        if self._session is not None:
            self._put(("lang", self._now(at), self._session, lang))
            return
        view = self._view
        if view is not None and view[3] != lang and self._slide is not None:
            now = self._now(at)
            self._end_view(now)
            self._start_view(self._slide, view[2], now)

    def screen_off(self, *, at: float | None = None) -> None:
        """The screen went dark (outside opening hours): a visit and the view on screen end;
        nothing is seen until the next `slide_shown`."""
        now = self._now(at)
        if self._session is not None:
            self.session_ended(at=now)
        self._end_view(now)
        self._pending_attract = None

    def access_used(self, feature: str, on: bool, *, at: float | None = None) -> None:
        """A visitor switched the access control `feature` ("listen", "larger" or "contrast")
        on, or off (`on=False`); a listen that speaks the open card is "listen" too. Call it
        after `session_started` for the touch that switched it, so it counts in that session."""
        if feature not in ACCESS_FEATURES:
            raise ValueError(f"unknown access control {feature!r}; one of {ACCESS_FEATURES}")
        self._put(("access", self._now(at), self._session, feature, bool(on)))

    def loop_cycled(self, *, at: float | None = None) -> None:
        """The attract loop wrapped round to its first slide."""
        self._put(("loop", self._now(at)))

    # -- views ---------------------------------------------------------------------------------

    def _start_view(self, slide_id: str, mode: str, now: float) -> None:
        token = next(self._tokens)
        self._view = (token, now, mode, self._lang)
        self._put(("view_start", token, now, self._session, slide_id, mode, self._lang))

    def _end_view(self, now: float, idle_s: float = 0.0) -> None:
        if self._pending_attract is not None:
            slide_id, started, lang = self._pending_attract
            self._pending_attract = None
            if now - started >= MIN_ATTRACT_VIEW_S:
                self._put(("view", started, None, slide_id, "attract", now - started, lang))
        if self._view is not None:
            token, started, _, _ = self._view
            self._view = None
            self._put(("view_end", token, max(0.0, now - idle_s - started)))

    # -- synchronisation -----------------------------------------------------------------------

    def flush(self, timeout: float = FLUSH_WAIT_S) -> bool:
        """Wait until everything recorded so far is committed; False if that did not happen."""
        if self._closed or not self._thread.is_alive():
            return False
        done = threading.Event()
        try:
            self._queue.put(("flush", done), timeout=timeout)
        except queue.Full:
            return False
        return done.wait(timeout) and not self._disabled.is_set()

    def close(self, *, at: float | None = None) -> None:
        """End the open view and session, write everything and stop the writer thread."""
        if self._closed:
            return
        now = self._now(at)
        if self._session is not None:
            self.session_ended(at=now)
        self._end_view(now)
        self._pending_attract = None
        self._closed = True
        try:
            self._queue.put(("stop",), timeout=FLUSH_WAIT_S)
        except queue.Full:
            log.error("analytics: the writer is stuck; the last events are lost")
        self._thread.join(FLUSH_WAIT_S)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        # The database is one of the kiosk's own files: an unusable data folder or a full disk
        # is an operations notice (`kiosk.ops`), recording stops and the show goes on.
        what = f"record visitor analytics in {self.path}"
        with best_effort(what, consequence="recording is off, the show goes on") as opening:
            conn = self._open()
        if not opening.ok:
            self._fail(opening.error)
        rowids: dict[int, int] = {}
        try:
            while True:
                batch, waiters, stop = self._next_batch()
                if conn is not None and not self._disabled.is_set():
                    with best_effort(what, consequence="recording is off, the show goes on") as w:
                        self._write(conn, batch, rowids)
                    if not w.ok:
                        self._fail(w.error)
                for waiter in waiters:
                    waiter.set()
                if stop:
                    return
        finally:
            if conn is not None:
                try:
                    conn.close()
                except sqlite3.Error as exc:  # pragma: no cover - closing a broken file
                    log.warning("analytics: closing %s: %s", self.path, exc)

    def _fail(self, message: str | None) -> None:
        # best_effort has logged the reason (once) and keeps it as a notice for staff.
        self.error = message
        self._disabled.set()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # An empty new file is a new database to SQLite.
        open_regular_file(self.path, os.O_RDWR)
        conn = connect(self.path)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.DatabaseError(f"journal mode is {mode}, not WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            if row[0] is None:
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            elif isinstance(row[0], int) and 1 <= row[0] < SCHEMA_VERSION:
                # A file an older kiosk wrote: its rows are kept, new columns added.
                migrate(conn, row[0])
                log.info(
                    "analytics: %s brought from version %d to %d", self.path, row[0], SCHEMA_VERSION
                )
            elif row[0] != SCHEMA_VERSION:
                conn.execute("ROLLBACK")
                raise sqlite3.DatabaseError(
                    f"schema version {row[0]}; this kiosk writes version {SCHEMA_VERSION}"
                )
            self._claim_purpose(conn)
            self._prune(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            raise
        return conn

    def _claim_purpose(self, conn: sqlite3.Connection) -> None:
        """Mark a new file with this recorder's purpose; refuse one that records the other
        (a burn-in never writes into the visitors' database, nor the reverse)."""
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('purpose', ?)", (self.purpose,)
        )
        purpose = conn.execute("SELECT value FROM meta WHERE key = 'purpose'").fetchone()[0]
        if purpose != self.purpose:
            conn.execute("ROLLBACK")
            raise sqlite3.DatabaseError(
                f"it records {purpose}, not {self.purpose}; use another file"
            )

    def _prune(self, conn: sqlite3.Connection) -> None:
        """Delete rows older than the retention period (inside the caller's transaction)."""
        now = self.wall_clock()
        cutoff = now - self.retention_days * 86_400.0
        deleted = 0
        for table, column in TIMED_TABLES.items():
            deleted += conn.execute(f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount
        if deleted:
            log.info("analytics: pruned %d rows older than %g days", deleted, self.retention_days)
        self._next_prune = now + PRUNE_EVERY_S

    def _next_batch(self) -> tuple[list[Op], list[threading.Event], bool]:
        """Wait for events; return those that arrived within `flush_s` of the first, the flush
        requests among them, and whether the recorder is stopping."""
        batch: list[Op] = []
        waiters: list[threading.Event] = []
        deadline: float | None = None
        while True:
            if deadline is None:
                # Nothing waiting: sleep until an event comes (or an hour, to prune daily).
                timeout = 3600.0
            else:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    return batch, waiters, False
            try:
                op = self._queue.get(timeout=timeout)
            except queue.Empty:
                return batch, waiters, False
            if op[0] == "stop":
                return batch, waiters, True
            if op[0] == "flush":
                waiters.append(op[1])
                return batch, waiters, False
            batch.append(op)
            if deadline is None:
                deadline = time.monotonic() + self.flush_s

    def _write(self, conn: sqlite3.Connection, batch: list[Op], rowids: dict[int, int]) -> None:
        """Write one batch in one transaction (and prune, once a day)."""
        prune = self.wall_clock() >= self._next_prune
        if not batch and not prune:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            for op in batch:
                self._apply(conn, op, rowids)
            if prune:  # once a day: the file still belongs to this purpose, and old rows go
                self._claim_purpose(conn)
                self._prune(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _apply(conn: sqlite3.Connection, op: Op, rowids: dict[int, int]) -> None:
        kind = op[0]
        if kind == "session_start":
            _, token, t, lang = op
            cursor = conn.execute(
                "INSERT INTO sessions (started, lang, tz) VALUES (?, ?, ?)",
                (t, lang, utc_offset(t)),
            )
            rowids[token] = int(cursor.lastrowid or 0)
        elif kind == "session_end":
            _, token, t, idle_s = op
            if token in rowids:
                conn.execute(
                    "UPDATE sessions SET ended = ?, idle_s = ? WHERE id = ?",
                    (t, idle_s, rowids.pop(token)),
                )
        elif kind == "view_start":
            _, token, t, session, slide_id, mode, lang = op
            cursor = conn.execute(
                "INSERT INTO views (t, tz, session_id, slide_id, mode, lang) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (t, utc_offset(t), rowids.get(session), slide_id, mode, lang),
            )
            rowids[token] = int(cursor.lastrowid or 0)
        elif kind == "view_end":
            _, token, dwell = op
            if token in rowids:
                conn.execute(
                    "UPDATE views SET dwell_s = ? WHERE id = ?", (dwell, rowids.pop(token))
                )
        elif kind == "view":
            _, t, session, slide_id, mode, dwell, lang = op
            conn.execute(
                "INSERT INTO views (t, tz, session_id, slide_id, mode, dwell_s, lang) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (t, utc_offset(t), rowids.get(session), slide_id, mode, dwell, lang),
            )
        elif kind == "card":
            _, t, session, slide_id, element = op
            conn.execute(
                "INSERT INTO cards (t, tz, session_id, slide_id, element) VALUES (?, ?, ?, ?, ?)",
                (t, utc_offset(t), rowids.get(session), slide_id, element),
            )
        elif kind == "lang":
            _, t, session, lang = op
            conn.execute(
                "INSERT INTO languages (t, tz, session_id, lang) VALUES (?, ?, ?, ?)",
                (t, utc_offset(t), rowids.get(session), lang),
            )
        elif kind == "access":
            _, t, session, feature, on = op
            conn.execute(
                "INSERT INTO access (t, tz, session_id, feature, switched_on) "
                "VALUES (?, ?, ?, ?, ?)",
                (t, utc_offset(t), rowids.get(session), feature, int(on)),
            )
        elif kind == "loop":
            _, t = op
            conn.execute("INSERT INTO loops (t, tz) VALUES (?, ?)", (t, utc_offset(t)))
        else:  # pragma: no cover - a programming error
            raise ValueError(f"unknown analytics event {kind!r}")
