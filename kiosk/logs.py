"""Logging for a show that runs for months: the journal under systemd, else a rotating file."""

from __future__ import annotations

import logging
import os
import sys
import types
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from platformdirs import user_log_dir, user_state_dir

APP = "liangjiang-kiosk"
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


def default_log_file() -> Path:
    return Path(user_log_dir(APP)) / "kiosk.log"


def default_status_file() -> Path:
    return Path(user_state_dir(APP)) / "status.json"


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
    pass


def setup_logging(level: str = "INFO", log_file: Path | None = None) -> Path | None:
    """Log at `level` to stderr and, unless stderr is the journal, to a rotating file (5 x 2 MiB,
    `log_file` or the platform's log folder). Returns the file in use, None when there is none.

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _File(path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write the log file %s: %s", path, exc)
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
