"""The analytics database's format: its tables, its version, its purposes, how to open it.

One module for what the recorder writes and the statistics read, so the two never disagree.
Times are wall-clock seconds (UTC epoch); each row keeps the kiosk's UTC offset at that moment.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    ended REAL,
    idle_s REAL NOT NULL DEFAULT 0,
    lang TEXT,
    tz INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS views (
    id INTEGER PRIMARY KEY,
    t REAL NOT NULL,
    tz INTEGER NOT NULL,
    session_id INTEGER,
    slide_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    dwell_s REAL
);
CREATE TABLE IF NOT EXISTS cards (
    id INTEGER PRIMARY KEY,
    t REAL NOT NULL,
    tz INTEGER NOT NULL,
    session_id INTEGER,
    slide_id TEXT NOT NULL,
    element TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS languages (
    id INTEGER PRIMARY KEY,
    t REAL NOT NULL,
    tz INTEGER NOT NULL,
    session_id INTEGER,
    lang TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS loops (
    id INTEGER PRIMARY KEY,
    t REAL NOT NULL,
    tz INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions (started);
CREATE INDEX IF NOT EXISTS views_t ON views (t);
CREATE INDEX IF NOT EXISTS cards_t ON cards (t);
CREATE INDEX IF NOT EXISTS languages_t ON languages (t);
CREATE INDEX IF NOT EXISTS loops_t ON loops (t);
"""
TIMED_TABLES = {
    "sessions": "started",
    "views": "t",
    "cards": "t",
    "languages": "t",
    "loops": "t",
}
"""Each table and the column its age is measured by (for pruning and date filters)."""

VISITORS = "visitors"
BURN_IN = "burn-in"
"""What a database records (its `meta` row `purpose`): a soak never writes into a visitors' one."""

REQUIRED_TABLES = {"schema_version", "meta", "sessions", "views", "cards", "languages", "loops"}
"""The tables a file must have to be read as an analytics database."""


def utc_offset(t: float) -> int:
    """The local UTC offset at wall-clock time `t`, in seconds."""
    return time.localtime(t).tm_gmtoff


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to an analytics database (read-only for reports). The caller closes it."""
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(str(path), isolation_level=None)
