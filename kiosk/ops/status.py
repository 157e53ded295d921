"""The status file: what a running kiosk is doing, rewritten atomically for monitoring."""

from __future__ import annotations

import json
import os
import resource
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """This process's resident memory in MiB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() / 1048576
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
