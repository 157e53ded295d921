"""Logging for a show that runs for months: a rotating file in the platform's log folder."""

from __future__ import annotations

import logging
import sys
import types
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir, user_state_dir

APP = "liangjiang-kiosk"
log = logging.getLogger("kiosk")


def default_log_file() -> Path:
    return Path(user_log_dir(APP)) / "kiosk.log"


def default_status_file() -> Path:
    return Path(user_state_dir(APP)) / "status.json"


def setup_logging(level: str = "INFO", log_file: Path | None = None) -> Path | None:
    """Log to stderr and to a rotating file (5 x 2 MiB); return the file, if it could be opened."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setFormatter(formatter)
    root.addHandler(console)
    path = log_file or default_log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2 * 1024 * 1024, backupCount=5,
                                      encoding="utf-8")  # fmt: skip
    except OSError as exc:
        log.warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(formatter)
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
