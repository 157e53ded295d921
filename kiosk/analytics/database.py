"""The analytics database's format: its tables, its version, its purposes, how to open it.

One module for what the recorder writes and the statistics read, so the two never disagree.
Times are wall-clock seconds (UTC epoch); each row keeps the kiosk's UTC offset at that moment.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 3
"""1: the first; 2: a view keeps the language it was shown in (`views.lang`); 3: the visitors'
access controls switched on and off (`access`)."""
ACCESS_FEATURES = ("listen", "larger", "contrast")
"""The visitors' access controls, in the foot band's order: narration, larger text, high
contrast (with calm motion)."""
ACCESS_TABLE = """CREATE TABLE IF NOT EXISTS access (
    id INTEGER PRIMARY KEY,
    t REAL NOT NULL,
    tz INTEGER NOT NULL,
    session_id INTEGER,
    feature TEXT NOT NULL,
    switched_on INTEGER NOT NULL
)"""
"""A visitor switched an access control on (`switched_on` 1) or off (0). IF NOT EXISTS:
`SCHEMA` has made it before an older file's upgrade runs."""
ACCESS_INDEX = "CREATE INDEX IF NOT EXISTS access_t ON access (t)"
SCHEMA = f"""
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
    dwell_s REAL,
    lang TEXT
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
{ACCESS_TABLE};
CREATE INDEX IF NOT EXISTS sessions_started ON sessions (started);
CREATE INDEX IF NOT EXISTS views_t ON views (t);
CREATE INDEX IF NOT EXISTS cards_t ON cards (t);
CREATE INDEX IF NOT EXISTS languages_t ON languages (t);
CREATE INDEX IF NOT EXISTS loops_t ON loops (t);
{ACCESS_INDEX};
"""
TIMED_TABLES = {
    "sessions": "started",
    "views": "t",
    "cards": "t",
    "languages": "t",
    "loops": "t",
    "access": "t",
}
"""Each table and the column its age is measured by (for pruning and date filters)."""

VISITORS = "visitors"
BURN_IN = "burn-in"
"""What a database records (its `meta` row `purpose`): a soak never writes into a visitors' one."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE views ADD COLUMN lang TEXT",),
    2: (ACCESS_TABLE, ACCESS_INDEX),
}
"""The statements that bring a database of each older version to the next one. Only ever
added columns a row may lack (an old row reads as "not recorded", NULL) or tables (an old file
has no rows in them): an older kiosk's statistics, which name their tables and columns, still
read a newer file."""

REQUIRED_TABLES = {"schema_version", "meta", "sessions", "views", "cards", "languages", "loops"}
"""The tables a file must have to be read as an analytics database."""


def utc_offset(t: float) -> int:
    """The local UTC offset at wall-clock time `t`, in seconds."""
    return time.localtime(t).tm_gmtoff


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The columns a table of an open database has (a file of an older version has fewer)."""
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring a database of an older `version` to `SCHEMA_VERSION`, inside the caller's
    transaction (so a power cut leaves it whole at the old version or at the new)."""
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to an analytics database (read-only for reports). The caller closes it."""
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(str(path), isolation_level=None)
