"""Logging for a show that runs for months: the journal under systemd, else a rotating file."""

from __future__ import annotations

import logging
import os
import sys
import types
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from kiosk.ops.notices import ERRORS, best_effort, open_regular_file
from kiosk.ops.paths import default_log_file

log = logging.getLogger("kiosk")

JOURNAL_STREAM = "JOURNAL_STREAM"
"""Set by systemd to `DEVICE:INODE` of the stream it connected to the journal (systemd.exec(5))."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"
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
    file as well would store every line twice, so there is no file then.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _KioskHandler)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(level.upper())
    journal = stderr_is_journal()
    console = _Console()
    console.setFormatter(JournalFormatter() if journal else logging.Formatter(FORMAT))
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
