"""CLI habits: --version, Ctrl-C and systemd's stop, progress on a terminal only, bench verdicts."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest

from kiosk import __version__, cli
from kiosk.content.loader import Deck, load_deck
from kiosk.ops.fleet import status_main
from kiosk.ops.progress import on_terminal
from kiosk.ui import bench
from kiosk.ui.soak import soak
from tests.helpers.running import RunningKiosk, wait_for
from tests.helpers.show import write_show

# --- --version ----------------------------------------------------------------------------------


def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"kiosk (liangjiang-kiosk) {version('liangjiang-kiosk')}\n"


def test_version_outside_an_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr("importlib.metadata.version", missing)
    assert cli.package_version() == f"{__version__} (not installed)"


# --- Ctrl-C and systemctl stop ------------------------------------------------------------------


def _log_time(line: str) -> float:
    """The wall-clock time of a log line (`2026-12-01 18:49:00,289 INFO ...`)."""
    stamp = " ".join(line.split(" ", 2)[:2])
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()


@pytest.mark.parametrize(
    ("signum", "code", "reason"),
    [(signal.SIGINT, 130, "SIGINT (Ctrl-C)"), (signal.SIGTERM, 0, "SIGTERM (stop)")],
)
def test_a_signal_stops_the_show_cleanly(
    tmp_path: Path, signum: signal.Signals, code: int, reason: str
) -> None:
    # Found by hand: Ctrl-C was ignored (Qt's loop never gave Python's handler a turn).
    kiosk = RunningKiosk(tmp_path, write_show(tmp_path / "content"))
    try:
        kiosk.wait_running()
        sent = time.time()
        exit_code, seconds = kiosk.stop(signum)
    finally:
        kiosk.close()
    assert exit_code == code, kiosk.stderr()
    # The loop wakes at once: the stop is carried out (status written, analytics closed)
    # within a second of the signal. The whole process exit gets slack for a loaded machine.
    stopped = next(
        line for line in kiosk.log_text().splitlines() if "INFO kiosk.cli: stopped" in line
    )
    assert _log_time(stopped) - sent < 1.0, stopped
    assert seconds < 10
    status = kiosk.status()
    assert (status["mode"], status["stop_reason"], status["exit_status"]) == (
        "stopped",
        reason,
        code,
    )
    assert status["stopped_at"]
    # Analytics written and the database closed: SQLite removes its WAL file on a clean close.
    assert not Path(f"{kiosk.analytics}-wal").exists()
    with sqlite3.connect(kiosk.analytics) as db:
        assert db.execute("SELECT count(*) FROM views").fetchone()[0] >= 1
    out = io.StringIO()
    assert status_main([kiosk.status_file], False, out=out) == 1  # not running
    assert f"stopped: {reason}" in out.getvalue()


def test_kiosk_status_shows_a_stopped_kiosk_as_stopped(tmp_path: Path) -> None:
    file = tmp_path / "status.json"
    file.write_text(
        json.dumps(
            {
                "mode": "stopped",
                "slide_id": "welcome",
                "slide_index": 0,
                "stopped_at": "2027-01-15T08:00:00+00:00",
                "stop_reason": "staff exit",
                "exit_status": 3,
            }
        )
    )
    os.utime(file, (1000.0, 1000.0))
    out = io.StringIO()
    # Days later it is still "stopped", not "stale": it said so on its way out.
    assert status_main([file], True, now=1000.0 + 86400 * 3, out=out) == 1
    (row,) = json.loads(out.getvalue())
    assert (row["state"], row["problem"]) == (
        "stopped",
        "stopped (staff exit) at 2027-01-15T08:00:00+00:00",
    )


def test_ctrl_c_ends_a_soak_cleanly(tmp_path: Path) -> None:
    database = tmp_path / "soak.sqlite3"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "soak",
            str(write_show(tmp_path / "show")),
            "--events",
            "1000000",
            "--json",
            "--analytics",
            str(database),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The database is opened once the soak runs, with the handlers in place.
        wait_for("the soak's database", lambda: database.exists() or process.poll() is not None)
        start = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        seconds = time.monotonic() - start
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, stderr
    assert seconds < 10  # about a fifth of a second, but the machine may be loaded
    summary = json.loads(stdout)
    assert summary["interrupted"] is True
    assert summary["exceptions"] == 0, summary["errors"]
    assert stderr.endswith("soak interrupted by SIGINT (Ctrl-C)\n")
    assert not Path(f"{database}-wal").exists()  # closed


def test_soak_asks_to_stop_between_steps(qapp: object, tmp_path: Path) -> None:
    deck: Deck = load_deck(write_show(tmp_path / "show"))
    asked: list[int] = []
    steps: list[tuple[str, int, int]] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 6  # 4 warm-up steps (2 slides x 2 languages), then 2 actions

    report = soak(deck, events=50, seed=1, stop=stop, progress=lambda *s: steps.append(s))
    assert report.interrupted
    assert report.events == 2
    assert not report.ok  # a cut-short burn-in never passes
    assert steps[:4] == [("warming up", i, 4) for i in range(4)]
    assert steps[4:] == [("visitor actions", 0, 50), ("visitor actions", 1, 50)]


# --- progress -----------------------------------------------------------------------------------


def test_no_progress_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "render",
            str(write_show(tmp_path / "show")),
            "--out",
            str(tmp_path / "out"),
            "--size",
            "640x360",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        str(tmp_path / "out" / name) for name in ("01-one.png", "02-two.png", "contact-sheet.png")
    ]
    assert not on_terminal()  # pytest captures both streams


def _read_ptys(process: subprocess.Popen[bytes], masters: dict[str, int]) -> dict[str, str]:
    """Everything the process wrote to each terminal, until it has closed them all."""
    selector = selectors.DefaultSelector()
    chunks: dict[str, list[bytes]] = {name: [] for name in masters}
    for name, fd in masters.items():
        selector.register(fd, selectors.EVENT_READ, name)
    deadline = time.monotonic() + 120
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1):
            try:
                data = os.read(key.fd, 65536)
            except OSError:  # EIO: the other side is closed
                data = b""
            if data:
                chunks[key.data].append(data)
            else:
                selector.unregister(key.fd)
    process.wait(timeout=60)
    return {name: b"".join(parts).decode(errors="replace") for name, parts in chunks.items()}


def test_render_shows_progress_on_a_terminal_and_only_paths_on_stdout(tmp_path: Path) -> None:
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "render",
                str(write_show(tmp_path / "show")),
                "--out",
                str(tmp_path / "out"),
                "--size",
                "640x360",
            ],
            stdout=out_slave,
            stderr=err_slave,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
        )
        os.close(out_slave)
        os.close(err_slave)
        seen = _read_ptys(process, {"out": out_master, "err": err_master})
    finally:
        os.close(out_master)
        os.close(err_master)
    assert process.returncode == 0, seen
    assert seen["out"].replace("\r", "").splitlines() == [
        str(tmp_path / "out" / name) for name in ("01-one.png", "02-two.png", "contact-sheet.png")
    ]
    assert "3/3" in seen["err"], seen["err"]  # the bar, drawn on stderr, finished


# --- bench verdicts -----------------------------------------------------------------------------


def _results(**changes: Any) -> dict[str, Any]:
    frame = {"p50": 1.0, "p95": 2.0, "max": 3.0}
    results: dict[str, Any] = {
        "first_frame_ms": 430.0,
        "frame_ms": {name: dict(frame) for name in ("fade_1080p", "fade_2160p")},
        "tap_to_frame_ms": {"p50": 6.0, "p95": 7.0},
        "access_switch_ms": {"1080p": dict(frame), "2160p": dict(frame)},
        "load_ms": {"10": 4.0, "100": 29.0, "1000": 280.0},
        "reload_ms": 350.0,
        "rss_mb": {"after_100": 200.0, "after_10000": 201.0},
        "validate_cli_ms": 300.0,
        "machine": {"cores": 2, "qt": "6", "qt_platform": "offscreen", "python": "3.11"},
    }
    results.update(changes)
    return results


@pytest.fixture
def fake_bench(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """`run_bench` returns the next canned results instead of measuring for minutes."""
    canned: list[dict[str, Any]] = []

    def run(folder: Path, *, quick: bool, log: Any) -> dict[str, Any]:
        for step in bench.STEPS:
            log(step)
        return canned.pop(0)

    monkeypatch.setattr(bench, "run_bench", run)
    return canned


def test_bench_prints_a_verdict_per_figure(
    fake_bench: list[dict[str, Any]], show: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_bench += [_results(), _results()]
    assert cli.main(["bench", str(show)]) == 0
    lines = capsys.readouterr().out.splitlines()
    cells = [re.split(r"\s{2,}", line) for line in lines]
    assert cells[0] == ["measure", "result", "target", "verdict"]
    assert cells[2] == ["first frame", "430.0 ms", "< 800 ms", "met"]
    assert cells[4] == ["frame fade_2160p", "p50 1.0", "p95 2.0", "max 3.0", "p95 < 12 ms", "met"]
    assert cells[6] == [
        "access switch 1080p",
        "p50 1.0",
        "p95 2.0",
        "max 3.0",
        "p95 < 100 ms",
        "met",
    ]
    assert [row[-1] for row in cells[2:12]] == ["met"] * 10
    assert lines[-1] == "all 10 targets met"
    assert cli.main(["bench", str(show), "--check"]) == 0


def test_bench_check_fails_when_a_target_is_missed(
    fake_bench: list[dict[str, Any]], show: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = _results(reload_ms=1500.0, rss_mb={"after_100": 200.0, "after_10000": 230.0})
    fake_bench += [slow, slow, slow]
    assert cli.main(["bench", str(show)]) == 0  # measured, not asserted, unless asked
    out = capsys.readouterr().out
    cells = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    assert ["reload", "1500.0 ms", "< 1000 ms", "MISSED"] in cells
    assert [row[0] for row in cells if row[-1] == "MISSED"] == [
        "reload",
        "memory after 100 / 10000",
    ]
    assert out.splitlines()[-1] == "2 of 10 targets missed: reload, memory after 100 / 10000"
    assert cli.main(["bench", str(show), "--check"]) == 1
    capsys.readouterr()
    assert cli.main(["bench", str(show), "--check", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    missed = [t for t in data["targets"] if not t["met"]]
    assert missed == [
        {"figure": "reload", "result": "1500.0 ms", "target": "< 1000 ms", "met": False},
        {
            "figure": "memory after 100 / 10000",
            "result": "200.0 / 230.0 MiB (growth 30.0)",
            "target": "growth < 10 MiB",
            "met": False,
        },
    ]
