"""Logs a technician can use: what `kiosk run` records, where it goes, and only once."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk import cli
from kiosk.content.loader import load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.logs import (
    JournalFormatter,
    _KioskHandler,
    log_uncaught_exceptions,
    setup_logging,
    stderr_is_journal,
)
from kiosk.ops.source import ContentSource
from kiosk.ui import run
from tests.helpers.running import RunningKiosk
from tests.helpers.show import write_show


@pytest.fixture
def clean_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Leave the root logger (and the excepthook) as the test found them."""
    root = logging.getLogger()
    level = root.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    for handler in [h for h in root.handlers if isinstance(h, _KioskHandler)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _kiosk_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, _KioskHandler)]


def test_the_file_has_each_line_as_soon_as_it_is_logged(
    tmp_path: Path, clean_logging: None
) -> None:
    # The log file used to stay empty: not a handler or flushing fault, but nothing at INFO
    # was ever logged (start-up problems were printed, a staff exit said nothing).
    path = tmp_path / "log" / "kiosk.log"
    assert setup_logging("INFO", path) == path
    logging.getLogger("kiosk.test").info("content reload ok: revision abc")
    logging.getLogger("kiosk.test").debug("not at INFO")
    text = path.read_text(encoding="utf-8")  # the handler still open: written through
    assert text.endswith(" INFO kiosk.test: content reload ok: revision abc\n")
    assert "not at INFO" not in text


def test_setting_up_twice_replaces_the_handlers(tmp_path: Path, clean_logging: None) -> None:
    setup_logging("INFO", tmp_path / "a.log")
    setup_logging("WARNING", tmp_path / "b.log")
    assert len(_kiosk_handlers()) == 2  # one console, one file: no line written twice
    logging.getLogger("kiosk.test").warning("once")
    assert (tmp_path / "a.log").read_text() == ""
    assert (tmp_path / "b.log").read_text().count("once") == 1


def test_journal_stream_is_recognised_by_stderr_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "stderr").open("w") as stream, (tmp_path / "other").open("w") as other:
        stat = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{stat.st_dev}:{stat.st_ino}")
        assert stderr_is_journal(stream)
        # A child whose stderr was redirected elsewhere inherits the variable, not the stream.
        assert not stderr_is_journal(other)
        monkeypatch.setenv("JOURNAL_STREAM", "garbage")
        assert not stderr_is_journal(stream)
        monkeypatch.delenv("JOURNAL_STREAM")
        assert not stderr_is_journal(stream)


def test_under_the_journal_there_is_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_logging: None
) -> None:
    with (tmp_path / "stderr").open("w") as stream:
        stat = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{stat.st_dev}:{stat.st_ino}")
        monkeypatch.setattr(sys, "stderr", stream)
        assert setup_logging("INFO", tmp_path / "log" / "kiosk.log") is None
        logging.getLogger("kiosk.test").info("hello")
    assert not (tmp_path / "log").exists()
    assert (tmp_path / "stderr").read_text() == "<6>INFO kiosk.test: hello\n"


def test_journal_lines_carry_their_priority() -> None:
    formatter = JournalFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "kiosk.x", logging.ERROR, __file__, 1, "bad", None, sys.exc_info()
        )
    lines = formatter.format(record).splitlines()
    assert lines[0] == "<3>ERROR kiosk.x: bad"
    assert lines[-1] == "<3>ValueError: boom"
    assert all(line.startswith("<3>") for line in lines)  # a traceback stays one priority


def test_an_exception_in_a_slot_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture, clean_logging: None
) -> None:
    log_uncaught_exceptions()
    try:
        raise RuntimeError("in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "RuntimeError: in a slot" in caplog.text


def test_a_crash_is_logged_with_its_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    clean_logging: None,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    monkeypatch.setattr("faulthandler.enable", lambda *a, **k: None)  # pytest's own stays

    def crash(*args: Any) -> int:
        raise KeyError("no such thing")

    monkeypatch.setattr(run, "_run", crash)
    assert cli.main(["run", str(write_show(tmp_path / "show"))]) == 1
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert [r.getMessage() for r in critical] == ["the kiosk crashed"]
    assert "KeyError: 'no such thing'" in caplog.text
    log_file = tmp_path / "state" / "liangjiang-kiosk" / "log" / "kiosk.log"
    assert "KeyError: 'no such thing'" in log_file.read_text(encoding="utf-8")
    # The signal handlers were put back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_staff_exit_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path))
    caplog.set_level(logging.INFO)
    exits: list[int] = []

    class App:
        def exit(self, code: int) -> None:
            exits.append(code)

    run.staff_exit(App())  # type: ignore[arg-type]
    assert exits == [run.STAFF_EXIT]
    assert "staff exit through the PIN pad" in caplog.messages
    assert (tmp_path / "staff-exit").is_file()


def test_the_loop_language_is_logged_when_it_changes(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.ui.window import KioskWindow

    caplog.set_level(logging.INFO, logger="kiosk.cli")
    deck = load_deck(write_show(tmp_path / "show"))
    window = KioskWindow(ContentSource.of(deck), DisplaySettings(lang="en"), clock=lambda: 0.0)
    qtbot.addWidget(window)
    try:
        run._log_loop_language(window)
        show = window.show_state
        show.toggle_language(1.0)  # a visitor's choice: not the loop's
        show.toggle_language(2.0)
        show.reset(3.0)  # back to the loop, in the deck's default language
        show.touch(4.0)
        show.reset(5.0)  # the same language again: nothing new to say
    finally:
        window.timer.stop()
    assert [r.getMessage() for r in caplog.records] == [
        "the loop plays in en",
        "the loop plays in zh (the deck's default)",
    ]


# --- a real `kiosk run` -----------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_show(tmp_path / "content")


def test_a_run_leaves_a_log_a_technician_can_use(tmp_path: Path, content: Path) -> None:
    kiosk = RunningKiosk(tmp_path, content)
    try:
        kiosk.wait_running()
        revision = kiosk.status()["deck_revision"]
        slide = content / "slides" / "one.yaml"
        slide.write_text(slide.read_text().replace("Title", "New title"), encoding="utf-8")
        kiosk.wait_in_log("content reload ok")
        slide.write_text("id: one\ntype: title\ntitel: typo\n", encoding="utf-8")
        kiosk.wait_in_log("content reload failed")
        code, _ = kiosk.stop(signal.SIGINT)
    finally:
        kiosk.close()
    assert code == 130, kiosk.stderr()
    lines = [line.split(" ", 2)[2] for line in kiosk.log_text().splitlines() if line[:2] == "20"]
    messages = [line.split(": ", 1)[1] for line in lines if ": " in line]
    assert messages[0].startswith(f"Liangjiang Kiosk {cli.package_version()} starting (pid ")
    assert f"content {content}: revision {revision}, 2 slides, 2 figures" in messages
    assert any(m.startswith("screen ") and m.endswith("; window 640x360") for m in messages)
    assert any(m.startswith("kiosk mode off (a window); staff exit off (no PIN)") for m in messages)
    assert "the loop plays in zh (the deck's default)" in messages
    new_revision = next(m for m in messages if m.startswith("content reload ok: revision "))
    assert new_revision.endswith(", 2 slides")
    assert revision not in new_revision
    assert any(
        m.startswith("content: slides/one.yaml:3:1: title.titel: unknown key") for m in messages
    )
    assert any(m.startswith("content reload failed: 2 errors in ") for m in messages)
    assert messages[-2:] == [
        "stopping: SIGINT (Ctrl-C)",
        "stopped: SIGINT (Ctrl-C); exit status 130",
    ]
    # Not in the journal, so the file has it all and stderr the same lines, each once.
    assert kiosk.stderr().count("stopping: SIGINT") == 1


def test_under_systemd_the_journal_gets_every_line_once_and_no_file(
    tmp_path: Path, content: Path
) -> None:
    kiosk = RunningKiosk(tmp_path, content, journal=True)
    try:
        kiosk.wait_running()
        slide = content / "slides" / "one.yaml"
        slide.write_text(slide.read_text().replace("Title", "New title"), encoding="utf-8")
        kiosk.wait_in_log("content reload ok", kiosk.stderr)
        code, _ = kiosk.stop(signal.SIGTERM)
    finally:
        kiosk.close()
    assert code == 0, kiosk.stderr()  # systemd's normal stop is a clean end
    assert not kiosk.log_file.parent.exists()
    lines = kiosk.stderr().splitlines()
    assert lines, "nothing on stderr"
    assert all(line.startswith("<") for line in lines), lines  # priorities, no time stamps
    for text in (
        f"Liangjiang Kiosk {cli.package_version()} starting",
        "the loop plays in zh",
        "content reload ok",
        "stopping: SIGTERM (stop)",
        "stopped: SIGTERM (stop)",
    ):
        assert sum(text in line for line in lines) == 1, (text, lines)
    assert "<6>INFO kiosk.cli: stopped: SIGTERM (stop); exit status 0" in lines
