"""Logging for a show that runs for months: the journal under systemd, else a rotating file.

Under systemd each line goes to the journal through its native protocol (a datagram of
`KEY=value` fields on journald's socket, systemd's `sd_journal_send` without linking
libsystemd), so lines carry fields a technician filters on: `journalctl -u liangjiang-kiosk
EVENT=card SLIDE=districts`. Code adds fields with `extra=journal_fields(slide=..., ...)`.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import struct
import sys
import types
from collections.abc import Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any, TextIO

from kiosk.ops.notices import ERRORS, best_effort, open_regular_file
from kiosk.ops.paths import default_log_file

log = logging.getLogger("kiosk")

JOURNAL_STREAM = "JOURNAL_STREAM"
"""Set by systemd to `DEVICE:INODE` of the stream it connected to the journal (systemd.exec(5))."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"
JOURNAL_SOCKET = "/run/systemd/journal/socket"
"""journald's socket for the native protocol (systemd-journald.service(8))."""
JOURNAL_SOCKET_ENV = "KIOSK_JOURNAL_SOCKET"
"""Another socket for the native protocol (tests give their own, or a missing one)."""
JOURNAL_SEND_TIMEOUT_S = 1.0
SYSLOG_IDENTIFIER = "kiosk"
FIELDS_ATTR = "journal_fields"
"""The log record's attribute that `journal_fields` fills through `extra=`."""
_FIELD_NAME = re.compile(r"[A-Z0-9_]+")
SYSLOG_PRIORITY = {
    logging.DEBUG: 7,
    logging.INFO: 6,
    logging.WARNING: 4,
    logging.ERROR: 3,
    logging.CRITICAL: 2,
}
"""sd-daemon(3) priorities: journald reads a `<N>` prefix as the line's priority."""


def stderr_is_journal(stream: TextIO | None = None) -> bool:
    """Whether stderr goes to systemd's journal, the documented way: `$JOURNAL_STREAM` names
    the device and inode of stderr itself (a child that redirected its stderr does not match)."""
    value = os.environ.get(JOURNAL_STREAM, "")
    try:
        device, inode = (int(part) for part in value.split(":"))
        stat = os.fstat((stream or sys.stderr).fileno())
    except (ValueError, OSError, AttributeError):  # unset, malformed, or no real stderr
        return False
    return (stat.st_dev, stat.st_ino) == (device, inode)


class JournalFormatter(logging.Formatter):
    """`<6>INFO kiosk.cli: ...`: no time stamp (journald adds its own) and the priority as a
    prefix on every line, so a traceback's lines keep the record's priority in the journal."""

    def __init__(self) -> None:
        super().__init__(JOURNAL_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        priority = SYSLOG_PRIORITY.get(record.levelno, 6 if record.levelno < logging.ERROR else 3)
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


def journal_fields(**fields: Any) -> dict[str, Any]:
    """`extra=` for a log call whose line carries journal fields: `slide="one"` becomes
    `SLIDE=one` (names upper-cased; None values left out)."""
    return {
        FIELDS_ATTR: {
            name.upper(): str(value) for name, value in fields.items() if value is not None
        }
    }


def _priority(levelno: int) -> int:
    return SYSLOG_PRIORITY.get(levelno, 6 if levelno < logging.ERROR else 3)


def record_fields(record: logging.LogRecord, message: str) -> dict[str, str]:
    """The journal fields of one record: MESSAGE (`message`, the formatted line), PRIORITY,
    SYSLOG_IDENTIFIER, the logger and the code's place, then the record's own fields (a field
    name journald would refuse, or one of these, is left out)."""
    fields = {
        "MESSAGE": message,
        "PRIORITY": str(_priority(record.levelno)),
        "SYSLOG_IDENTIFIER": SYSLOG_IDENTIFIER,
        "LOGGER": record.name,
        "CODE_FILE": record.pathname,
        "CODE_LINE": str(record.lineno),
        "CODE_FUNC": record.funcName,
    }
    if record.threadName and record.threadName != "MainThread":
        fields["THREAD"] = record.threadName
    own = getattr(record, FIELDS_ATTR, None)
    if isinstance(own, Mapping):
        for name, value in own.items():
            name = str(name)
            if (
                name not in fields
                and _FIELD_NAME.fullmatch(name)
                and not name[0].isdigit()
                and not name.startswith("_")
                and len(name) <= 64
            ):
                fields[name] = str(value)
    return fields


def encode_fields(fields: Mapping[str, str]) -> bytes:
    """One native-protocol datagram: `KEY=value` lines, or for a value with a newline in it
    (a traceback), the key, a newline, its length as 64-bit little-endian, and the value."""
    parts: list[bytes] = []
    for name, value in fields.items():
        data = value.encode("utf-8", "replace")
        if b"\n" in data:
            parts.append(name.encode("ascii") + b"\n" + struct.pack("<Q", len(data)) + data + b"\n")
        else:
            parts.append(name.encode("ascii") + b"=" + data + b"\n")
    return b"".join(parts)


def journal_socket_path() -> str:
    return os.environ.get(JOURNAL_SOCKET_ENV) or JOURNAL_SOCKET


def open_journal(path: str | None = None) -> socket.socket | None:
    """A datagram socket connected to journald's, None when there is none to reach."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    try:
        sock.connect(path or journal_socket_path())
    except OSError:
        sock.close()
        return None
    # A journald that stalls must not stall the show (its UI thread logs): after a second
    # the line goes to stderr instead.
    sock.settimeout(JOURNAL_SEND_TIMEOUT_S)
    return sock


class _KioskHandler:
    """Marks the handlers setup_logging installed, so a second call replaces them."""


class _Console(logging.StreamHandler[TextIO], _KioskHandler):
    pass


class _File(RotatingFileHandler, _KioskHandler):
    """The rotating file, at its best effort: a full or vanished disk makes one operations
    notice (on stderr, which the console handler still writes), not logging's own traceback
    on every later line; the notice clears when a line is written again."""

    def __init__(self, path: Path) -> None:
        self.what = log_file_step(path)
        super().__init__(path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        with best_effort(self.what, consequence="the log still goes to stderr"):
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        # Called inside logging's `except`: an error of the machine goes on to best_effort
        # in `emit`; anything else (a bad format string) gets logging's own report.
        if isinstance(sys.exc_info()[1], ERRORS):
            raise
        super().handleError(record)


class _Journal(logging.Handler, _KioskHandler):
    """Each record as one journal entry with its fields. A record the socket refuses (too
    big for a datagram, journald restarting) goes to stderr as a line instead, which the
    journal keeps too, without the fields."""

    def __init__(self, sock: socket.socket, fallback: logging.Handler) -> None:
        super().__init__()
        self.sock = sock
        self.fallback = fallback

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
        except Exception:
            self.handleError(record)
            return
        try:
            self.sock.send(encode_fields(record_fields(record, message)))
        except OSError:
            self.fallback.handle(record)

    def close(self) -> None:
        self.sock.close()
        self.fallback.close()
        super().close()


def log_file_step(path: Path) -> str:
    """The best-effort step of writing the log file (the key of its notice)."""
    return f"write the log file {path}"


def _check_log_target(path: Path) -> None:
    """Refuse a log path that is not a regular file, without blocking: appending to a FIFO
    nobody reads would hang the start, and rotating a device would rename it."""
    open_regular_file(path, os.O_WRONLY | os.O_APPEND)


def setup_logging(level: str = "INFO", log_file: Path | None = None) -> Path | None:
    """Log at `level` to stderr and, unless stderr is the journal, to a rotating file (5 x 2 MiB,
    `log_file` or the platform's log folder). Returns the file in use, None when there is none
    (under the journal, or when the file cannot be written: an operations notice says so).

    Under systemd the journal already keeps stderr with time stamps and rotation; writing the
    file as well would store every line twice, so there is no file then. Lines go to journald's
    socket instead of stderr when it can be reached, each with its fields (`journal_fields`);
    else to stderr, with their priorities.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _KioskHandler)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(level.upper())
    journal = stderr_is_journal()
    console = _Console()
    console.setFormatter(JournalFormatter() if journal else logging.Formatter(FORMAT))
    sock = open_journal() if journal else None
    if sock is not None:
        native = _Journal(sock, console)
        native.setFormatter(logging.Formatter(JOURNAL_FORMAT))
        root.addHandler(native)
    else:
        root.addHandler(console)
    if journal:
        return None
    path = log_file or default_log_file()
    # An unusable log folder (read-only, a file in the way, a full disk) is an operations
    # notice; the log then goes to stderr only and the show starts all the same.
    with best_effort(log_file_step(path), consequence="the log goes to stderr only") as opening:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_log_target(path)
        handler = _File(path)
    if not opening.ok:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path


def log_uncaught_exceptions() -> None:
    """Exceptions raised in Qt slots and timers are logged with their traceback and the show
    goes on (PySide6 hands them to sys.excepthook and returns to the event loop)."""

    def hook(
        kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("uncaught exception; the show goes on", exc_info=(kind, value, tb))

    sys.excepthook = hook
