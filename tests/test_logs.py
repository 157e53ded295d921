"""Logs a technician can use: what `kiosk run` records, where it goes, and only once."""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import struct
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk import cli
from kiosk.content.loader import load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.logs import (
    JOURNAL_SOCKET_ENV,
    JournalFormatter,
    _Journal,
    _KioskHandler,
    encode_fields,
    journal_fields,
    log_uncaught_exceptions,
    open_journal,
    record_fields,
    setup_logging,
    stderr_is_journal,
)
from kiosk.ops.source import ContentSource
from kiosk.ui import run
from tests.helpers.running import RunningKiosk, wait_for
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
    # No journald socket to reach (as in a container): the lines go to stderr, which the
    # journal keeps, with their priorities.
    no_socket = {JOURNAL_SOCKET_ENV: str(tmp_path / "no-journal-socket")}
    kiosk = RunningKiosk(tmp_path, content, journal=True, env=no_socket)
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


# --- structured fields in the journal ---------------------------------------------------------


def parse_datagram(data: bytes) -> dict[str, str]:
    """journald's native protocol, read back: `KEY=value` lines, or KEY, a newline, a 64-bit
    little-endian length and that many bytes (for values with newlines)."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(data):
        end = data.index(b"\n", at)
        line = data[at:end]
        if b"=" in line:
            key, _, value = line.partition(b"=")
            at = end + 1
        else:
            key = line
            (size,) = struct.unpack("<Q", data[end + 1 : end + 9])
            value = data[end + 9 : end + 9 + size]
            assert data[end + 9 + size : end + 10 + size] == b"\n"
            at = end + 10 + size
        fields[key.decode("ascii")] = value.decode("utf-8")
    return fields


def make_record(message: str, level: int = logging.INFO, **extra: Any) -> logging.LogRecord:
    logger = logging.getLogger("kiosk.events")
    return logger.makeRecord(
        logger.name, level, "/src/kiosk/ui/telemetry.py", 42, message, (), None, "f", extra
    )


def test_a_record_s_journal_fields() -> None:
    record = make_record(
        "card category:1 opened",
        **journal_fields(slide="two", revision="abc", event="card", card="category:1", n=None),
    )
    fields = record_fields(record, "INFO kiosk.events: card category:1 opened")
    assert fields == {
        "MESSAGE": "INFO kiosk.events: card category:1 opened",
        "PRIORITY": "6",
        "SYSLOG_IDENTIFIER": "kiosk",
        "LOGGER": "kiosk.events",
        "CODE_FILE": "/src/kiosk/ui/telemetry.py",
        "CODE_LINE": "42",
        "CODE_FUNC": "f",
        "SLIDE": "two",
        "REVISION": "abc",
        "EVENT": "card",
        "CARD": "category:1",
    }


def test_fields_journald_would_refuse_or_that_would_overwrite_are_left_out() -> None:
    record = make_record(
        "x",
        logging.ERROR,
        journal_fields={"_PID": "1", "MESSAGE": "forged", "9X": "a", "A-B": "b", "OK": 3},
    )
    fields = record_fields(record, "x")
    assert fields["MESSAGE"] == "x"
    assert fields["PRIORITY"] == "3"
    assert fields["OK"] == "3"
    assert not {"_PID", "9X", "A-B"} & set(fields)


def test_a_value_with_newlines_is_sent_with_its_length() -> None:
    data = encode_fields({"MESSAGE": "Traceback:\n  line 1\n", "SLIDE": "今天"})
    assert data.startswith(b"MESSAGE\n" + struct.pack("<Q", 20) + b"Traceback:\n")
    assert parse_datagram(data) == {"MESSAGE": "Traceback:\n  line 1\n", "SLIDE": "今天"}


@pytest.fixture
def journal_socket(tmp_path: Path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stand-in for journald: a datagram socket whose entries a thread collects (a full
    queue would block the sender, as journald's would)."""
    path = str(tmp_path / "journal.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(0.05)
    entries: list[dict[str, str]] = []
    done = threading.Event()

    def collect() -> None:
        while not done.is_set():
            try:
                entries.append(parse_datagram(server.recv(1 << 20)))
            except TimeoutError:
                continue

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    try:
        yield path, entries
    finally:
        done.set()
        thread.join()
        server.close()


def test_the_handler_sends_each_record_as_one_entry(
    journal_socket: tuple[str, list[dict[str, str]]],
) -> None:
    path, entries = journal_socket
    sock = open_journal(path)
    assert sock is not None
    fallback = logging.StreamHandler(io.StringIO())
    handler = _Journal(sock, fallback)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    try:
        handler.handle(make_record("reload ok", **journal_fields(event="reload", revision="r2")))
        wait_for("the entry", lambda: len(entries) == 1)
    finally:
        handler.close()
    entry = entries[0]
    assert entry["MESSAGE"] == "INFO kiosk.events: reload ok"
    assert (entry["EVENT"], entry["REVISION"], entry["PRIORITY"]) == ("reload", "r2", "6")


def test_a_record_the_socket_refuses_goes_to_stderr_instead(
    journal_socket: tuple[str, list[dict[str, str]]],
) -> None:
    path, _ = journal_socket
    sock = open_journal(path)
    assert sock is not None
    stream = io.StringIO()
    fallback = logging.StreamHandler(stream)
    fallback.setFormatter(JournalFormatter())
    handler = _Journal(sock, fallback)
    sock.close()  # as if journald went away: the send fails
    handler.handle(make_record("still said"))
    assert stream.getvalue() == "<6>INFO kiosk.events: still said\n"
    assert open_journal(str(Path(path).with_name("missing.sock"))) is None


def test_under_systemd_a_run_s_events_carry_their_fields(
    tmp_path: Path, content: Path, journal_socket: tuple[str, list[dict[str, str]]]
) -> None:
    path, entries = journal_socket
    kiosk = RunningKiosk(tmp_path, content, journal=True, env={JOURNAL_SOCKET_ENV: path})
    try:
        kiosk.wait_running()
        revision = kiosk.status()["deck_revision"]
        slide = content / "slides" / "one.yaml"
        slide.write_text(slide.read_text().replace("Title", "New title"), encoding="utf-8")
        wait_for("the reload's entry", lambda: any(e.get("EVENT") == "reload" for e in entries))
        code, _ = kiosk.stop(signal.SIGTERM)
    finally:
        kiosk.close()
    assert code == 0, kiosk.stderr()
    wait_for("the last entry", lambda: any("exit status 0" in e["MESSAGE"] for e in entries))
    messages = [e["MESSAGE"] for e in entries]
    assert messages[0].startswith("INFO kiosk.cli: Liangjiang Kiosk ")
    assert "INFO kiosk.cli: stopped: SIGTERM (stop); exit status 0" in messages
    reload = next(e for e in entries if e.get("EVENT") == "reload")
    assert reload["RESULT"] == "ok"
    assert reload["REVISION"] != revision
    assert reload["SYSLOG_IDENTIFIER"] == "kiosk"
    assert reload["LOGGER"] == "kiosk.events"
    assert all(e["PRIORITY"] in {"3", "4", "6", "7"} for e in entries)
    # Every line went to the journal's socket, none to stderr as well.
    assert not [line for line in kiosk.stderr().splitlines() if line.startswith("<")]
