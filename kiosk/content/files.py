"""Reading a file's bytes: one function, so that every refusal of the operating system (or a
path that is no ordinary file) becomes a person's sentence, never a traceback or a hang.

A content folder is written by people and deploy scripts, not by the kiosk: a slide can be
unreadable by the kiosk's user, a name can be longer than the file system allows, a link can
dangle or loop, and a "file" can be a named pipe that blocks whoever opens it, or a device
whose opening does something. So the kind of file is checked before it is opened, it is opened
without blocking and checked again (it may have been swapped in between), and only then read,
never more than the caller's limit.

The operations side reads the files an operator names (the configuration, a kiosk's status
file) with the same function, so `kiosk status` and the configuration check give the reasons
the content loader gives.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opened for reading blocks until a writer comes
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot be read; `reason` says why, in a curator's (or operator's) words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileTooLarge(UnreadableFile):
    """A file larger than the caller takes; each caller says so in its own words."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is too large ({size:,} bytes; at most {limit:,})")
        self.size = size
        self.limit = limit


class MissingFile(UnreadableFile):
    """Nothing is at the path (or a link there leads nowhere): for `kiosk status`, a kiosk
    that never started rather than a broken file."""


def kind_reason(mode: int) -> str | None:
    """Why a path of this `st_mode` cannot be read as a file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    return "it is not a regular file"


def os_reason(exc: OSError | ValueError, path: Path | str | None = None) -> str:
    """What an error of the operating system about `path` means, for a curator."""
    if not isinstance(exc, OSError):
        # os functions raise ValueError for a NUL in a path, UnicodeEncodeError (a ValueError)
        # for a lone surrogate that no file name can hold.
        if path is not None and "\x00" in str(path):
            return "the path contains a NUL character"
        return "the path contains characters no file name can hold"
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOENT:
        if path is not None and os.path.islink(path):
            return "it is a symbolic link to something that does not exist"
        return "it does not exist"
    if code == errno.ENAMETOOLONG:
        return "the path is too long for the file system"
    if code == errno.ELOOP:
        return "it is a symbolic link that leads back to itself (or through too many links)"
    if code == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.EIO:
        return "the disk reports an input/output error"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc)


def _refusal(exc: OSError | ValueError, path: Path) -> UnreadableFile:
    """The UnreadableFile (MissingFile when nothing is there) for an error about `path`."""
    reason = os_reason(exc, path)
    if isinstance(exc, OSError) and exc.errno == errno.ENOENT:
        return MissingFile(reason)
    return UnreadableFile(reason)


def check_file(path: Path) -> os.stat_result:
    """The status of `path` when it is a regular file; raise UnreadableFile (MissingFile when
    nothing is there) otherwise."""
    try:
        status = os.stat(path)
    except (OSError, ValueError) as exc:
        raise _refusal(exc, path) from None
    reason = kind_reason(status.st_mode)
    if reason is not None:
        raise UnreadableFile(reason)
    return status


def read_limited(path: Path, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them.

    Raises FileTooLarge beyond `limit`, MissingFile when nothing is at `path` and
    UnreadableFile for anything else that stops the read. With `follow=False` a symbolic link
    in the last place of `path` is refused: callers that have checked where a path really leads
    open that real path, and a link swapped in after the check must not lead elsewhere.
    """
    return read_limited_with_stat(path, limit, follow=follow)[0]


def read_limited_with_stat(
    path: Path, limit: int, *, follow: bool = True
) -> tuple[bytes, os.stat_result]:
    """`read_limited`, with the status of the file that was read (fstat of the open file, so
    it is the file the bytes came from: `kiosk status` tells a kiosk's age by its mtime)."""
    status = check_file(path)  # before opening: opening a device can itself do something
    if status.st_size > limit:
        raise FileTooLarge(status.st_size, limit)
    flags = _OPEN_FLAGS | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise _refusal(exc, path) from None  # it may have gone since the check
    try:
        # Again on the open file: the path may name something else than it did a moment ago.
        status = os.fstat(fd)
        reason = kind_reason(status.st_mode)
        if reason is not None:
            raise UnreadableFile(reason)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise UnreadableFile(os_reason(exc, path)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew after it was measured
        raise FileTooLarge(len(data), limit)
    return data, status
