"""Best-effort writes of the kiosk's own files, and the operations notices their failures become.

The status file, the last good copy of the content, the log file, the analytics database and
the staff-exit marker live in the kiosk's state, log and data folders. Any of those can be
unusable on a real machine (read-only, a file where a folder should be, a full disk), and none
of them is worth a black screen: the show goes on. Every writer goes through `best_effort`: a
failure becomes an *operations notice* (logged once when it appears and once when it clears,
listed in the status file and on the staff view), never an exception and never a content
error, which is only ever about the curator's files.

Files an operator names (the configuration, a status file) are read with the content's one
reading function, `kiosk.content.files.read_limited`: it never blocks on a FIFO or a device,
refuses what is not a regular file, reads a bounded number of bytes and says why in words.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
import types
from pathlib import Path

from kiosk.content.files import kind_reason

log = logging.getLogger("kiosk.ops")
"""The operations log (one name for the whole package, as the journal shows it)."""

ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, sqlite3.Error)
"""What a write to the kiosk's own files may raise: the operating system's errors, a path the
system cannot take (a NUL byte: ValueError) and SQLite's."""

WHOLE_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
"""Errors of a whole file system, where the file an error names says nothing useful."""


class Notices:
    """The operations notices of this process: what the kiosk cannot do with its own files.

    Thread-safe (the analytics writer and the content loader report from their threads);
    `version` changes whenever the list does, so the window notices a change with one
    comparison per tick instead of a signal across threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, str] = {}
        self.version = 0

    def report(self, key: str, message: str, consequence: str = "the show goes on") -> None:
        """Keep `message` under `key`; logged only when it is new (not on every retry)."""
        with self._lock:
            if self._items.get(key) == message:
                return
            self._items[key] = message
            self.version += 1
        log.warning("operations notice: %s; %s", message, consequence)

    def clear(self, key: str) -> None:
        """The thing `key` names works again (logged once, when a notice existed)."""
        with self._lock:
            message = self._items.pop(key, None)
            if message is None:
                return
            self.version += 1
        log.info("operations notice cleared: %s works again", key)

    def current(self) -> list[str]:
        """The notices now, oldest first."""
        with self._lock:
            return list(self._items.values())

    def reset(self) -> None:
        """Forget every notice (a new show in the same process: tests, the soak)."""
        with self._lock:
            self._items.clear()
            self.version += 1


NOTICES = Notices()
"""The process's notices: the writers are spread over modules and threads, the window and
the status file read them here."""


def describe(exc: BaseException, what: str = "") -> str:
    """An error in an operator's words, with the path the system named unless `what` (the
    step that failed) names it already."""
    if isinstance(exc, ValueError) and "null" in str(exc):
        return "the path contains a NUL byte"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        named = os.fsdecode(exc.filename) if exc.filename is not None else ""
        if exc.errno in WHOLE_DISK:
            named = ""  # a copy names its source; the disk at fault is the target's
        elif isinstance(exc, FileExistsError):
            reason = os.strerror(errno.ENOTDIR)  # mkdir(exist_ok=True) found a file there
        if not named or named in what or os.path.dirname(named) in what:
            # The target's own folder says nothing more, and a temporary file's random name
            # would make every retry a new notice (logged again every 5 s).
            return reason
        return f"{reason} ({named})"
    return str(exc) or type(exc).__name__


class Attempt:
    """One best-effort step (see `best_effort`): `ok` is False after a failure it absorbed."""

    def __init__(
        self,
        what: str,
        notices: Notices,
        errors: tuple[type[BaseException], ...],
        consequence: str,
    ) -> None:
        self.what = what
        self.notices = notices
        self.errors = errors
        self.consequence = consequence
        self.ok = True
        self.error: str | None = None
        """The notice's text after a failure."""

    def __enter__(self) -> Attempt:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> bool:
        if exc is None:
            self.notices.clear(self.what)
            return False
        if not isinstance(exc, self.errors):
            return False  # a bug, not the machine: let it be seen
        self.ok = False
        self.error = f"cannot {self.what}: {describe(exc, self.what)}"
        self.notices.report(self.what, self.error, self.consequence)
        return True


def best_effort(
    what: str,
    *,
    notices: Notices | None = None,
    errors: tuple[type[BaseException], ...] = ERRORS,
    consequence: str = "the show goes on",
) -> Attempt:
    """`with best_effort("write the status file X"):` runs its block; an error of the
    machine (`errors`) ends the block, becomes the notice `cannot <what>: <reason>` and the
    caller goes on; a block that completes clears that notice. `what` is a verb phrase that
    names the file, and the notice's key: the same failure every 5 s is logged once.
    `consequence` is what the log line adds about the show.
    """
    return Attempt(what, NOTICES if notices is None else notices, errors, consequence)


# -- what a file is --------------------------------------------------------------------------


def open_regular_file(path: Path, flags: int) -> None:
    """Create or open `path` for writing, without blocking, and refuse it unless it is a
    regular file: appending to a FIFO nobody reads would hang the start, rotating a device
    would rename it, and SQLite would only say "unable to open database file". Raises OSError
    with the reason the content loader gives for the same kind of file."""
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno != errno.ENXIO:  # ENXIO: a FIFO with no reader, or a socket
            raise
        refused = kind_reason(os.stat(path).st_mode) or "it is not a regular file"
        raise OSError(errno.EINVAL, refused) from None
    try:
        reason = kind_reason(os.fstat(fd).st_mode)
    finally:
        os.close(fd)
    if reason is not None:
        raise OSError(errno.EINVAL, reason)
