"""The status file: what a running kiosk is doing, rewritten atomically for monitoring."""

from __future__ import annotations

import json
import math
import os
import resource
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def rss_bytes() -> int:
    """This process's resident memory in bytes (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_mb() -> float:
    """This process's resident memory in MiB."""
    return rss_bytes() / 1048576


def utc_now() -> str:
    """The wall-clock time as ISO 8601 in UTC, for humans and monitoring."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_status(path: Path, status: dict[str, Any]) -> None:
    """Write `status` as JSON so that a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".status-", suffix=".json", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # monitoring and `kiosk status` read it as another user
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(status, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def screenshot_line(
    status: dict[str, Any], now: float, exists: Callable[[Path], float | None] | None = None
) -> str | None:
    """`screenshot 42s old: /var/lib/liangjiang-kiosk/screen.jpg` for a status that names
    one, None otherwise. The age is the file's own when it is on this machine (`exists` gives
    its modification time), else the one the kiosk wrote (a status file gathered from a hall
    names a path on its kiosk)."""
    from kiosk.ops.fleet import human_duration

    shot = status.get("screenshot")
    if not isinstance(shot, dict) or not isinstance(shot.get("path"), str):
        return None
    path = Path(shot["path"])
    mtime = (exists or _mtime)(path)
    at = shot.get("at")
    when = mtime if mtime is not None else at
    if isinstance(when, bool) or not isinstance(when, int | float) or not math.isfinite(when):
        return f"screenshot (age unknown): {path}"
    return f"screenshot {human_duration(max(0.0, now - when))} old: {path}"


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except (OSError, ValueError):
        return None
