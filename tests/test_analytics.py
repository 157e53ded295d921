"""Visitor analytics: the recorder (injected wall clock), `kiosk stats`, power cuts, the report."""

from __future__ import annotations

import base64
import calendar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kiosk.analytics.database import BURN_IN
from kiosk.analytics.recorder import Recorder
from kiosk.analytics.stats import StatsError, compute_stats
from kiosk.analytics.summary import summary_text
from kiosk.ops.paths import default_analytics_path, default_soak_analytics_path
from kiosk.ui.report import stats_main, write_report

REPO = Path(__file__).resolve().parents[1]
# 2026-05-01 09:00:00 in China (UTC+8): the kiosk's local time in these tests.
T0 = float(calendar.timegm((2026, 5, 1, 1, 0, 0)))
DAY = 86_400.0


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time is UTC+8 (a POSIX TZ rule: needs no time zone database)."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


# --- a scripted visit ----------------------------------------------------------------------------


def scripted_visit(db: Path) -> None:
    """Two days of a kiosk: an attract loop, three visitor sessions. Numbers in EXPECTED."""
    clock = Clock()
    rec = Recorder(db, wall_clock=clock)

    def at(offset: float) -> None:
        clock.now = T0 + offset

    # The attract loop, once round (in Chinese: the language every view of it keeps).
    rec.slide_shown("welcome", "attract", lang="zh")
    at(10)
    rec.slide_shown("at-a-glance", "attract")
    at(20)
    rec.slide_shown("welcome", "attract")
    rec.loop_cycled()
    # Session 1, 09:00:25: Chinese, then English; the idle reset (45 s) at 09:02:30.
    at(25)
    rec.session_started(lang="zh")
    at(30)
    rec.slide_shown("at-a-glance", "visitor")
    at(34)
    rec.card_opened("at-a-glance", "tile:area")
    rec.access_used("listen", True)  # the card is spoken
    at(40)
    rec.access_used("listen", False)
    at(45)
    rec.language_switched("en")
    at(50)
    rec.card_opened("at-a-glance", "tile:gdp")
    at(55)
    rec.access_used("larger", True)
    at(60)
    rec.slide_shown("industries", "visitor")
    at(72)
    rec.card_opened("industries", "category:0")
    at(80)
    rec.slide_shown("at-a-glance", "visitor")
    at(150)  # last touch at 105, idle timeout 45: the reset restores Chinese and the text size
    rec.language_switched("zh")
    rec.access_used("larger", False)  # not a switch on: not counted
    rec.session_ended(idle_s=45)
    rec.slide_shown("welcome", "attract")
    # Session 2, 14:30: Chinese only.
    at(5.5 * 3600)
    rec.session_started(lang="zh")
    at(5.5 * 3600 + 12)
    rec.slide_shown("industries", "visitor")
    rec.access_used("listen", True)
    at(5.5 * 3600 + 20)
    rec.card_opened("industries", "category:0")
    at(5.5 * 3600 + 40)
    rec.session_ended(idle_s=10)
    at(5.5 * 3600 + 45)  # the reset left "industries" on for 5 s of attract loop
    rec.slide_shown("welcome", "attract")
    # Session 3, the next day at 09:15: English.
    at(DAY + 900)
    rec.session_started(lang="en")
    at(DAY + 908)
    rec.slide_shown("at-a-glance", "visitor")
    at(DAY + 909)
    rec.card_opened("at-a-glance", "tile:area")
    # Session 3 tries high contrast, and larger text twice.
    rec.access_used("contrast", True, at=T0 + DAY + 910)
    rec.access_used("larger", True, at=T0 + DAY + 911)
    rec.access_used("larger", False, at=T0 + DAY + 920)
    rec.access_used("larger", True, at=T0 + DAY + 930)
    at(DAY + 995)  # the reset restores Chinese, then ends
    rec.language_switched("zh")
    rec.session_ended(idle_s=5)
    at(DAY + 1000)
    rec.close()


EXPECTED: dict[str, Any] = {
    "sessions": {
        "count": 3,
        "median_length_s": 95.0,  # lengths 125, 40, 95 (first touch to idle reset)
        "median_active_s": 80.0,  # 80, 30, 90 (without the idle wait)
        "unfinished": 0,
    },
    "slide_views": {
        "at-a-glance": {
            "views": 3,
            "median_dwell_s": 30.0,  # 30, 25 (70 s less the 45 s idle wait), 82
            "total_dwell_s": 137.0,
            "attract_views": 2,
        },
        "welcome": {
            "views": 3,
            "median_dwell_s": 8.0,  # 5, 12, 8
            "total_dwell_s": 25.0,
            "attract_views": 4,
        },
        "industries": {
            "views": 2,
            "median_dwell_s": 19.0,  # 20, 18
            "total_dwell_s": 38.0,
            "attract_views": 1,
        },
    },
    "cards_opened": {
        "at-a-glance": {"tile:area": 2, "tile:gdp": 1},
        "industries": {"category:0": 2},
    },
    # Visitors' time: zh 20 + 30 s, en 60 + 90 s.
    "languages": {"en": 0.75, "zh": 0.25},
    "per_hour": [0] * 9 + [2] + [0] * 4 + [1] + [0] * 9,
    "per_day": {"2026-05-01": 2, "2026-05-02": 1},
    "range": {"first": "2026-05-01T09:00:00+08:00", "last": "2026-05-02T09:16:35+08:00"},
    # The reset's return to Chinese is not a visitor's switch.
    "language_switches": {"en": 1},
    "loop_cycles": 1,
    # Every attract view: 10 + 10 + 5 s before the first visitor, then the nights (19,650 and
    # 67,455 s) and the 5 s views the resets left on screen.
    "loop_languages": {"zh": {"views": 7, "time_s": 87140.0, "share": 1.0}},
    # Sessions that switched each on (of 3), and the times it was switched on.
    "access": {
        "listen": {"sessions": 2, "switched_on": 2, "share": 0.6667},
        "larger": {"sessions": 2, "switched_on": 3, "share": 0.6667},
        "contrast": {"sessions": 1, "switched_on": 1, "share": 0.3333},
    },
    "access_any": {"sessions": 3, "switched_on": 6, "share": 1.0},
}


@pytest.fixture
def visit_db(tmp_path: Path, china_time: None) -> Path:
    db = tmp_path / "kiosk-a.sqlite3"
    scripted_visit(db)
    return db


def test_stats_match_a_scripted_visit_exactly(visit_db: Path) -> None:
    stats = compute_stats([visit_db], None, None).as_json()
    assert stats.pop("databases") == [{"path": str(visit_db), "purpose": "visitors"}]
    assert stats == EXPECTED
    assert list(stats["slide_views"]) == ["at-a-glance", "welcome", "industries"]


def test_the_typed_results_are_what_the_json_says(visit_db: Path) -> None:
    stats = compute_stats([visit_db], None, None)
    assert stats.sessions.count == 3
    assert stats.slide_views["at-a-glance"].median_dwell_s == 30.0
    assert stats.per_day == {date(2026, 5, 1): 2, date(2026, 5, 2): 1}
    assert stats.period.first is not None
    assert stats.period.first.isoformat() == "2026-05-01T09:00:00+08:00"
    assert [(c.slide_id, c.element, c.count) for c in stats.top_cards(2)] == [
        ("at-a-glance", "tile:area", 2),
        ("industries", "category:0", 2),
    ]
    assert stats.databases[0].path == visit_db


def test_the_json_keys_are_the_documented_ones(visit_db: Path) -> None:
    stats = compute_stats([visit_db], None, None).as_json()
    documented = {"sessions", "slide_views", "cards_opened", "languages", "per_hour", "per_day"}
    assert documented | {"range"} <= set(stats)
    for row in stats["slide_views"].values():
        assert {"views", "median_dwell_s"} <= set(row)
    assert list(stats)[-3:] == ["access", "access_any", "databases"]
    assert list(stats["access"]) == ["listen", "larger", "contrast"]  # the band's order
    for row in [*stats["access"].values(), stats["access_any"]]:
        assert list(row) == ["sessions", "switched_on", "share"]


def test_dwell_times_are_exact_and_recorded_as_they_happen(visit_db: Path) -> None:
    views = rows(visit_db, "SELECT t, slide_id, mode, dwell_s FROM views ORDER BY t, id")
    visitor = [(t - T0, s, d) for t, s, m, d in views if m == "visitor"]
    assert visitor == [
        (25.0, "welcome", 5.0),
        (30.0, "at-a-glance", 30.0),
        (60.0, "industries", 20.0),
        (80.0, "at-a-glance", 25.0),
        (5.5 * 3600, "welcome", 12.0),
        (5.5 * 3600 + 12, "industries", 18.0),
        (DAY + 900, "welcome", 8.0),
        (DAY + 908, "at-a-glance", 82.0),
    ]
    sessions = rows(visit_db, "SELECT started, ended, idle_s, lang, tz FROM sessions ORDER BY id")
    assert [(s - T0, e - T0, i, lang, tz) for s, e, i, lang, tz in sessions] == [
        (25.0, 150.0, 45.0, "zh", 8 * 3600),
        (5.5 * 3600, 5.5 * 3600 + 40, 10.0, "zh", 8 * 3600),
        (DAY + 900, DAY + 995, 5.0, "en", 8 * 3600),
    ]


def test_nothing_personal_is_stored(visit_db: Path) -> None:
    columns = {
        table: [row[1] for row in rows(visit_db, f"PRAGMA table_info({table})")]
        for (table,) in rows(visit_db, "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert columns == {
        "schema_version": ["version"],
        "meta": ["key", "value"],
        "sessions": ["id", "started", "ended", "idle_s", "lang", "tz"],
        "views": ["id", "t", "tz", "session_id", "slide_id", "mode", "dwell_s", "lang"],
        "cards": ["id", "t", "tz", "session_id", "slide_id", "element"],
        "languages": ["id", "t", "tz", "session_id", "lang"],
        "loops": ["id", "t", "tz"],
        "access": ["id", "t", "tz", "session_id", "feature", "switched_on"],
    }
    assert rows(visit_db, "SELECT version FROM schema_version") == [(3,)]
    assert rows(visit_db, "SELECT key, value FROM meta") == [("purpose", "visitors")]
    assert rows(visit_db, "PRAGMA journal_mode") == [("wal",)]


def test_since_and_until_are_inclusive_local_dates(visit_db: Path) -> None:
    second = compute_stats([visit_db], date(2026, 5, 2), None).as_json()
    assert second["sessions"]["count"] == 1
    assert second["per_day"] == {"2026-05-02": 1}
    assert second["slide_views"]["welcome"]["views"] == 1
    assert second["slide_views"]["at-a-glance"]["median_dwell_s"] == 82.0
    assert second["cards_opened"] == {"at-a-glance": {"tile:area": 1}}
    assert second["languages"] == {"en": 1.0}
    assert second["loop_cycles"] == 0
    assert second["range"]["first"] == "2026-05-02T09:15:00+08:00"
    assert second["access"]["larger"] == {"sessions": 1, "switched_on": 2, "share": 1.0}
    assert second["access"]["listen"] == {"sessions": 0, "switched_on": 0, "share": 0.0}

    first = compute_stats([visit_db], None, date(2026, 5, 1)).as_json()
    assert first["sessions"]["count"] == 2
    assert first["per_day"] == {"2026-05-01": 2}
    assert first["cards_opened"] == {
        "at-a-glance": {"tile:area": 1, "tile:gdp": 1},
        "industries": {"category:0": 2},
    }
    assert first["range"]["last"] == "2026-05-01T14:30:45+08:00"
    assert first["access"]["listen"] == {"sessions": 2, "switched_on": 2, "share": 1.0}
    assert first["access_any"] == {"sessions": 2, "switched_on": 3, "share": 1.0}

    both = compute_stats([visit_db], date(2026, 5, 1), date(2026, 5, 2)).as_json()
    assert both["sessions"]["count"] == 3
    empty = compute_stats([visit_db], date(2026, 6, 1), date(2026, 6, 30)).as_json()
    assert empty["sessions"]["count"] == 0
    assert empty["range"] == {"first": None, "last": None}
    assert empty["slide_views"] == {}
    assert empty["languages"] == {}
    assert empty["access"]["contrast"] == {"sessions": 0, "switched_on": 0, "share": 0.0}


def test_several_kiosks_combine(visit_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "kiosk-b.sqlite3"
    with Recorder(other, wall_clock=Clock(T0 + 3600)) as rec:  # 10:00, a second kiosk
        rec.slide_shown("welcome", "attract")
        rec.session_started(lang="en")
        rec.card_opened("welcome", "tile:area")
        rec.access_used("contrast", True)
    stats = compute_stats([visit_db, other], None, None).as_json()
    assert stats["sessions"]["count"] == 4
    assert stats["per_hour"][9:15] == [2, 1, 0, 0, 0, 1]
    assert stats["per_day"] == {"2026-05-01": 3, "2026-05-02": 1}
    assert stats["cards_opened"]["welcome"] == {"tile:area": 1}
    assert stats["slide_views"]["welcome"]["views"] == 4
    assert stats["sessions"]["unfinished"] == 0  # closing the recorder ended the session
    # Each kiosk numbers its sessions from 1: the second kiosk's session 1 is another visitor.
    assert stats["access"]["contrast"] == {"sessions": 2, "switched_on": 2, "share": 0.5}
    twice = compute_stats([visit_db, visit_db], None, None).as_json()
    assert twice["sessions"]["count"] == 6
    assert twice["slide_views"]["at-a-glance"]["views"] == 6
    assert twice["slide_views"]["at-a-glance"]["median_dwell_s"] == 30.0
    assert twice["languages"] == EXPECTED["languages"]
    assert twice["access"] == EXPECTED["access"] | {
        feature: {**row, "sessions": 2 * row["sessions"], "switched_on": 2 * row["switched_on"]}
        for feature, row in EXPECTED["access"].items()
    }


# --- the recorder --------------------------------------------------------------------------------


class CountingRecorder(Recorder):
    """Counts the batches written, and says when one was."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.batches: list[int] = []
        self.written = threading.Event()
        super().__init__(*args, **kwargs)

    def _write(self, conn: sqlite3.Connection, batch: list[Any], rowids: dict[int, int]) -> None:
        super()._write(conn, batch, rowids)
        if batch:
            self.batches.append(len(batch))
            self.written.set()


def test_events_are_written_in_batches_off_the_callers_thread(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    rec = CountingRecorder(db, wall_clock=Clock(), flush_s=3600)
    try:
        assert rec.flush()  # the database is open
        for i in range(500):
            rec.card_opened("at-a-glance", f"tile:{i}")
        assert rows(db, "SELECT count(*) FROM cards") == [(0,)]  # still waiting in its batch
        assert rec.flush()
        assert rows(db, "SELECT count(*) FROM cards") == [(500,)]
        assert rec.batches == [500]  # one transaction for the lot
    finally:
        rec.close()
    assert not rec.enabled


def test_a_batch_is_written_within_flush_s_without_being_asked(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    rec = CountingRecorder(db, wall_clock=Clock(), flush_s=0.05)
    try:
        rec.loop_cycled()
        assert rec.written.wait(10)
        assert rows(db, "SELECT count(*) FROM loops") == [(1,)]
    finally:
        rec.close()


def test_an_open_view_and_session_survive_before_they_end(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    clock = Clock()
    rec = Recorder(db, wall_clock=clock)
    try:
        rec.slide_shown("welcome", "attract")
        clock.now += 3
        rec.session_started(lang="zh")
        assert rec.flush()
        # A power cut now would keep the session and the view, without their lengths yet.
        assert rows(db, "SELECT ended FROM sessions") == [(None,)]
        assert rows(db, "SELECT mode, dwell_s FROM views ORDER BY id") == [
            ("attract", 3.0),
            ("visitor", None),
        ]
        assert compute_stats([db], None, None).as_json()["sessions"]["unfinished"] == 1
    finally:
        rec.close()


def test_old_rows_are_pruned_on_start_and_daily(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    clock = Clock()
    with Recorder(db, wall_clock=clock, retention_days=30) as rec:
        rec.loop_cycled()
        rec.card_opened("welcome", "tile:area")
        rec.access_used("listen", True)
        clock.now = T0 + 20 * DAY
        rec.loop_cycled()
        rec.session_started(lang="zh")
        assert rec.flush()
        assert rows(db, "SELECT count(*) FROM loops") == [(2,)]
        clock.now = T0 + 40 * DAY  # a day later the writer prunes: 40 days > 30
        assert rec.flush()
        assert rows(db, "SELECT count(*) FROM loops") == [(1,)]
        assert rows(db, "SELECT count(*) FROM cards") == [(0,)]
        assert rows(db, "SELECT count(*) FROM access") == [(0,)]
        assert rows(db, "SELECT count(*) FROM sessions") == [(1,)]
    clock.now = T0 + 60 * DAY  # and on start
    with Recorder(db, wall_clock=clock, retention_days=30) as rec:
        assert rec.flush()
        assert rows(db, "SELECT count(*) FROM loops") == [(0,)]
        assert rows(db, "SELECT count(*) FROM sessions") == [(0,)]


def test_a_corrupt_database_turns_recording_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "a.sqlite3"
    garbage = b"this is not a database, it was a power cut " * 200
    db.write_bytes(garbage)
    rec = Recorder(db, wall_clock=Clock())
    try:
        rec.session_started(lang="zh")
        rec.slide_shown("welcome", "visitor")
        assert not rec.flush()
        assert not rec.enabled
        assert rec.error is not None
        assert "not a database" in rec.error
        rec.card_opened("welcome", "tile:area")  # still harmless
    finally:
        rec.close()
    assert db.read_bytes() == garbage  # left for someone to look at
    assert "recording is off" in caplog.text
    with pytest.raises(StatsError, match="not a readable database"):
        compute_stats([db], None, None)


def test_an_unwritable_place_turns_recording_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    rec = Recorder(blocker / "analytics.sqlite3", wall_clock=Clock())
    try:
        rec.loop_cycled()
        assert not rec.flush()
        assert not rec.enabled
    finally:
        rec.close()


def test_a_newer_schema_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    with Recorder(db, wall_clock=Clock()) as rec:
        assert rec.flush()
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
        conn.commit()
    with Recorder(db, wall_clock=Clock()) as rec:
        rec.loop_cycled()
        assert not rec.flush()
        assert rec.error is not None
        assert "schema version 99" in rec.error
    assert rows(db, "SELECT count(*) FROM loops") == [(0,)]


def test_a_burn_in_never_records_into_the_visitors_database(
    visit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rows(visit_db, "SELECT count(*) FROM views")
    with Recorder(visit_db, wall_clock=Clock(), purpose=BURN_IN) as rec:
        rec.slide_shown("welcome", "attract")
        rec.session_started(lang="zh")
        rec.access_used("contrast", True)
        assert not rec.flush()
        assert rec.error is not None
        assert "it records visitors, not burn-in" in rec.error
    assert rows(visit_db, "SELECT count(*) FROM views") == before
    assert rows(visit_db, "SELECT count(*) FROM access") == [(9,)]  # the visit's: 6 on, 3 off
    soak_db = tmp_path / "soak.sqlite3"
    with Recorder(soak_db, wall_clock=Clock(), purpose=BURN_IN) as rec:
        rec.session_started(lang="zh")
    with Recorder(soak_db, wall_clock=Clock()) as rec:  # nor a kiosk into the burn-in's
        assert not rec.flush()
    assert stats_main([visit_db, soak_db], None, None, True, None) == 0
    captured = capsys.readouterr()
    assert f"{soak_db} records a burn-in, not visitors" in captured.err
    assert json.loads(captured.out)["databases"][1] == {"path": str(soak_db), "purpose": "burn-in"}


def test_default_paths_are_in_the_data_folder_and_apart() -> None:
    visitors, soak = default_analytics_path(), default_soak_analytics_path()
    assert visitors.name == "analytics.sqlite3"
    assert visitors.parent.name == "liangjiang-kiosk"
    assert soak.parent == visitors.parent
    assert soak != visitors


# --- a power cut while writing -------------------------------------------------------------------

WRITER = r"""
import sys, time
from pathlib import Path
from kiosk.analytics.recorder import Recorder

class Telling(Recorder):
    def _write(self, conn, batch, rowids):
        if batch:
            sys.stdout.write("batch\n")
            sys.stdout.flush()
        super()._write(conn, batch, rowids)
        numbers = [int(op[4]) for op in batch if op[0] == "card"]
        if numbers:
            sys.stdout.write(f"committed {max(numbers)}\n")
            sys.stdout.flush()

rec = Telling(Path(sys.argv[1]), flush_s=float(sys.argv[2]))
i = first = int(sys.argv[3])
start = time.monotonic()
while True:
    rec.card_opened("power-cut", str(i))
    i += 1
    if i % 20 == 0:
        sys.stdout.write(f"made {i - 1}\n")
        sys.stdout.flush()
    delay = start + (i - first) / 200 - time.monotonic()  # 200 events a second
    if delay > 0:
        time.sleep(delay)
"""


def test_sigkill_while_writing_loses_only_the_last_seconds(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    flush_s = 0.5
    rate = 200
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    present = 0
    for _ in range(3):  # killed three times, restarting on the same file each time
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(flush_s), str(present)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        made = committed = -1
        commits = 0
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                line = child.stdout.readline()
                assert line, "the writer died on its own"
                word, _, number = line.partition(" ")
                if word == "made":
                    made = int(number)
                elif word == "committed":
                    committed = int(number)
                    commits += 1
                elif word == "batch\n" and commits >= 2:
                    os.kill(child.pid, signal.SIGKILL)  # in the middle of writing a batch
                    break
            else:
                pytest.fail("the writer made no progress")
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            numbers = [int(e) for (e,) in conn.execute("SELECT element FROM cards ORDER BY id")]
        # What is there is everything from the start up to some moment: no gaps, no damage.
        assert numbers == list(range(len(numbers)))
        assert len(numbers) - 1 >= committed  # every committed batch survived
        lost = made + 20 - (len(numbers) - 1)  # at most 20 made since the last "made"
        assert lost <= rate * (flush_s + 1.0)
        present = len(numbers)
    assert present >= 3 * rate * flush_s


# --- the loop's languages -------------------------------------------------------------------------


def test_each_view_keeps_the_language_the_loop_showed(tmp_path: Path, china_time: None) -> None:
    db = tmp_path / "loop.sqlite3"
    clock = Clock()
    with Recorder(db, wall_clock=clock) as rec:
        for offset, slide, lang in [
            (0, "one", "zh"),
            (10, "two", "zh"),
            (17.5, "one", "en"),  # the loop's second cycle, in English
            (27.5, "two", "en"),
        ]:
            clock.now = T0 + offset
            rec.slide_shown(slide, "attract", lang=lang)
        clock.now = T0 + 35
        rec.slide_shown("one", "attract", lang="zh")
        clock.now = T0 + 40
        rec.language_switched("en")  # the loop turns on the slide on screen: a new view
        clock.now = T0 + 41
        rec.language_switched("en")  # nothing new
        clock.now = T0 + 44
        rec.session_started(lang="en")  # a visitor: their views keep their language too
        clock.now = T0 + 50
        rec.slide_shown("two", "visitor")
        clock.now = T0 + 55
        rec.language_switched("zh")  # a visitor's switch: the view goes on
        clock.now = T0 + 60
    views = rows(db, "SELECT t, slide_id, mode, lang, dwell_s FROM views ORDER BY t, id")
    assert [(t - T0, *rest) for t, *rest in views] == [
        (0.0, "one", "attract", "zh", 10.0),
        (10.0, "two", "attract", "zh", 7.5),
        (17.5, "one", "attract", "en", 10.0),
        (27.5, "two", "attract", "en", 7.5),
        (35.0, "one", "attract", "zh", 5.0),
        (40.0, "one", "attract", "en", 4.0),
        (44.0, "one", "visitor", "en", 6.0),
        (50.0, "two", "visitor", "en", 10.0),
    ]
    stats = compute_stats([db], None, None)
    assert stats.as_json()["loop_languages"] == {  # of the loop's 44 s, the longest first
        "zh": {"views": 3, "time_s": 22.5, "share": 0.5114},
        "en": {"views": 3, "time_s": 21.5, "share": 0.4886},
    }
    assert stats.slide_views["one"].attract_views == 4
    assert "Attract loop languages (share of its time): zh 51% (22.5 s), en 49% (21.5 s)" in (
        summary_text(stats)
    )


V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, started REAL NOT NULL, ended REAL,
    idle_s REAL NOT NULL DEFAULT 0, lang TEXT, tz INTEGER NOT NULL);
CREATE TABLE views (id INTEGER PRIMARY KEY, t REAL NOT NULL, tz INTEGER NOT NULL,
    session_id INTEGER, slide_id TEXT NOT NULL, mode TEXT NOT NULL, dwell_s REAL);
CREATE TABLE cards (id INTEGER PRIMARY KEY, t REAL NOT NULL, tz INTEGER NOT NULL,
    session_id INTEGER, slide_id TEXT NOT NULL, element TEXT NOT NULL);
CREATE TABLE languages (id INTEGER PRIMARY KEY, t REAL NOT NULL, tz INTEGER NOT NULL,
    session_id INTEGER, lang TEXT NOT NULL);
CREATE TABLE loops (id INTEGER PRIMARY KEY, t REAL NOT NULL, tz INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
INSERT INTO meta VALUES ('purpose', 'visitors');
"""
"""A database as the first kiosks wrote it (schema version 1: views without a language)."""


def test_a_database_of_the_first_version_still_opens(tmp_path: Path, china_time: None) -> None:
    db = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute(
            "INSERT INTO views (t, tz, session_id, slide_id, mode, dwell_s) VALUES "
            "(?, 28800, NULL, 'one', 'attract', 12.0)",
            (T0,),
        )
        conn.commit()
    # Read as it is (read-only: a report of an old kiosk's file changes nothing in it).
    old = compute_stats([db], None, None)
    assert old.slide_views["one"].attract_views == 1
    assert old.loop_languages == {}
    assert rows(db, "SELECT version FROM schema_version") == [(1,)]
    # Written to: brought to the new version, every row kept, new views with their language.
    clock = Clock(T0 + 100)
    with Recorder(db, wall_clock=clock) as rec:
        rec.slide_shown("two", "attract", lang="en")
        clock.now = T0 + 110
    assert rows(db, "SELECT version FROM schema_version") == [(3,)]
    assert rows(db, "SELECT slide_id, lang, dwell_s FROM views ORDER BY t") == [
        ("one", None, 12.0),
        ("two", "en", 10.0),
    ]
    new = compute_stats([db], None, None)
    assert new.slide_views["one"].attract_views == 1
    assert new.as_json()["loop_languages"] == {"en": {"views": 1, "time_s": 10.0, "share": 1.0}}
    # And once more: a file already at the new version is opened as it is.
    with Recorder(db, wall_clock=clock) as rec:
        assert rec.flush()
    assert rows(db, "SELECT version FROM schema_version") == [(3,)]


V2_SCHEMA = V1_SCHEMA.replace(
    "mode TEXT NOT NULL, dwell_s REAL)", "mode TEXT NOT NULL, dwell_s REAL, lang TEXT)"
).replace("VALUES (1)", "VALUES (2)")
"""A database as the kiosks before the access controls wrote it (schema version 2)."""


def test_a_database_of_the_second_version_gets_the_access_table(
    tmp_path: Path, china_time: None
) -> None:
    db = tmp_path / "v2.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(V2_SCHEMA)
        conn.execute(
            "INSERT INTO sessions (started, ended, lang, tz) VALUES (?, ?, 'zh', 28800)",
            (T0, T0 + 60),
        )
        conn.execute(
            "INSERT INTO views (t, tz, session_id, slide_id, mode, dwell_s, lang) VALUES "
            "(?, 28800, 1, 'one', 'visitor', 60.0, 'zh')",
            (T0,),
        )
        conn.commit()
    # Read as it is: no access table, so nothing used; the file is not changed.
    old = compute_stats([db], None, None)
    assert old.sessions.count == 1
    assert old.as_json()["access"]["listen"] == {"sessions": 0, "switched_on": 0, "share": 0.0}
    assert old.access_any.sessions == 0
    assert rows(db, "SELECT version FROM schema_version") == [(2,)]
    assert rows(db, "SELECT name FROM sqlite_master WHERE name = 'access'") == []
    assert "Access controls" in summary_text(old)
    # Written to: brought to version 3 in the transaction that opens it, every row kept.
    clock = Clock(T0 + 100)
    with Recorder(db, wall_clock=clock) as rec:
        rec.session_started(lang="en")
        rec.slide_shown("two", "visitor")
        rec.access_used("contrast", True)
        clock.now = T0 + 110
    assert rows(db, "SELECT version FROM schema_version") == [(3,)]
    assert rows(db, "SELECT slide_id, lang, dwell_s FROM views ORDER BY t") == [
        ("one", "zh", 60.0),
        ("two", "en", 10.0),
    ]
    assert rows(db, "SELECT session_id, feature, switched_on FROM access") == [(2, "contrast", 1)]
    new = compute_stats([db], None, None).as_json()
    assert new["sessions"]["count"] == 2
    assert new["access"]["contrast"] == {"sessions": 1, "switched_on": 1, "share": 0.5}
    with Recorder(db, wall_clock=clock) as rec:  # already new: opened as it is
        assert rec.flush()
    assert rows(db, "SELECT version FROM schema_version") == [(3,)]
    assert rows(db, "SELECT count(*) FROM access") == [(1,)]


def test_access_controls_are_recorded_with_their_session(tmp_path: Path) -> None:
    db = tmp_path / "access.sqlite3"
    clock = Clock()
    with Recorder(db, wall_clock=clock) as rec:
        with pytest.raises(ValueError, match="unknown access control 'louder'"):
            rec.access_used("louder", True)
        rec.slide_shown("one", "attract", lang="zh")
        rec.session_started()
        clock.now = T0 + 5
        rec.access_used("listen", True)
        rec.access_used("listen", False, at=T0 + 8)
        rec.access_used("larger", True, at=T0 + 9)
        clock.now = T0 + 20
        rec.session_ended(idle_s=10)
        rec.access_used("larger", False)  # the reset's, told after the session: no session
    assert rows(db, "SELECT t, tz, session_id, feature, switched_on FROM access ORDER BY id") == [
        (T0 + 5, time.localtime(T0).tm_gmtoff, 1, "listen", 1),
        (T0 + 8, time.localtime(T0).tm_gmtoff, 1, "listen", 0),
        (T0 + 9, time.localtime(T0).tm_gmtoff, 1, "larger", 1),
        (T0 + 20, time.localtime(T0).tm_gmtoff, None, "larger", 0),
    ]
    stats = compute_stats([db], None, None)
    assert list(stats.access) == ["listen", "larger", "contrast"]
    assert stats.access["listen"].sessions == 1
    assert stats.access["larger"].switched_on == 1
    assert stats.access["contrast"].share == 0.0
    assert stats.access_any.sessions == 1
    assert stats.access_any.switched_on == 2


# --- the command and the report ------------------------------------------------------------------


def test_stats_main_prints_json_and_a_summary(
    visit_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stats_main([visit_db], None, None, True, None) == 0
    printed = json.loads(capsys.readouterr().out)
    printed.pop("databases")
    assert printed == EXPECTED
    assert stats_main([visit_db], None, None, False, None) == 0
    summary = capsys.readouterr().out
    assert "Visitor sessions: 3" in summary
    assert "at-a-glance" in summary
    assert "en 75%" in summary
    lines = summary.splitlines()
    at = lines.index("Access controls (sessions that switched each on, share, times switched on):")
    assert [line.split() for line in lines[at + 1 : at + 5]] == [
        ["2", "67%", "2", "listen"],
        ["2", "67%", "3", "larger", "text"],
        ["1", "33%", "1", "high", "contrast"],
        ["3", "100%", "6", "any", "of", "them"],
    ]


def test_stats_main_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.sqlite3"
    assert stats_main([missing], None, None, True, None) == 1
    assert "no such analytics database" in capsys.readouterr().err
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    assert stats_main([other], None, None, False, None) == 1
    assert "not a kiosk analytics database" in capsys.readouterr().err
    assert stats_main([other], date(2026, 5, 2), date(2026, 5, 1), False, None) == 2


def test_stats_json_does_not_load_qt() -> None:
    code = (
        "import sys, kiosk.analytics.stats, kiosk.analytics.summary, kiosk.ui.report\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'numpy', 'shiboken6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


PNG = b"\x89PNG\r\n\x1a\n"


def _images(report: str) -> list[bytes]:
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', report)
    return [base64.b64decode(data) for data in found]


def test_the_report_is_self_contained_with_its_charts(
    qapp: object, visit_db: Path, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    out = tmp_path / "report" / "report.html"
    assert stats_main([visit_db], None, None, True, out) == 0
    report = out.read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>")
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", report)
    assert not re.search(r"(https?:|//|url\(|@import|<script|<link|<iframe)", text, re.I)
    assert re.findall(r'(?:src|href)="([^"]*)"', text) == [""] * 7
    images = _images(report)
    assert len(images) == 7  # the banner and six charts
    assert report.count("<img ") == len(images)
    for png in images:
        assert png.startswith(PNG)
        image = QImage.fromData(png)
        assert not image.isNull()
        assert image.width() == 2080  # painted at twice the CSS width
        colors = {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 23)
            for y in range(0, image.height(), 11)
        }
        assert len(colors) > 8  # something is drawn, not an empty panel
        assert QColor("#12293B").name() in colors or QColor("#0B1E2D").name() in colors
    assert "at-a-glance" in report
    assert "tile:area" in report
    assert "#0B1E2D" in report
    # The loop's time by language: the scripted loop played in Chinese only.
    assert "<tr><td><code>zh</code> 中文</td><td class=n>7</td>" in report
    assert "<td class=n>24 h 12 min</td><td class=n>100%</td></tr>" in report
    # The access controls: sessions that switched each on, their share, the times switched on.
    assert "<h2>Access controls</h2>" in report
    access = report[report.index("<h2>Access controls</h2>") :]
    assert re.findall(
        r"<tr><td>([^<]+)</td><td class=n>(\d+)</td><td class=n>(\d+%)</td>"
        r"<td class=n>(\d+)</td></tr>",
        access,
    ) == [
        ("Listen", "2", "67%", "2"),
        ("Larger text", "2", "67%", "3"),
        ("High contrast", "1", "33%", "1"),
        ("Any of them", "3", "100%", "6"),
    ]
    assert "<b>100%</b><span>Used an access control</span>" in report
    assert 'alt="Access controls used"' in report
    # Its chart's bars are shares of the sessions (a full track is every session), the most
    # used in gold: listen's bar covers two thirds of its track.
    from kiosk.content.theme import load_theme

    chart = QImage.fromData(images[-1])
    gold = QColor(load_theme().colors.gold).name()
    y = round((92 + 13) * 2)  # the first row's track, at twice the CSS size
    filled = [x for x in range(chart.width()) if chart.pixelColor(x, y).name() == gold]
    track_left, track_right = 2 * (28 + 250 + 16), 2 * (1040 - 28 - 260)
    assert min(filled) == pytest.approx(track_left, abs=4)
    assert (max(filled) - track_left) / (track_right - track_left) == pytest.approx(2 / 3, abs=0.01)


def test_the_report_of_an_empty_period(qapp: object, visit_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    stats = compute_stats([visit_db], date(2027, 1, 1), None)
    write_report(stats, out)
    report = out.read_text(encoding="utf-8")
    assert len(_images(report)) == 7
    assert "No slide views in this period." in report
    assert "No attract-loop views in this period." in report
    assert "<tr><td>Listen</td><td class=n>0</td><td class=n>0%</td>" in report
    assert "<b>-</b><span>Used an access control</span>" in report  # no sessions: no share
