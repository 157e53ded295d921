"""`kiosk status`: what one or many kiosks are showing, read from their status files."""

from __future__ import annotations

import json
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from kiosk.content.files import MissingFile, UnreadableFile, read_limited_with_stat
from kiosk.ops.paths import INSTALLED_STATUS_FILE, default_status_file
from kiosk.ops.status import screenshot_line

STALE_AFTER_S = 30.0
"""A running kiosk rewrites its status file every few seconds; older than this, it is dead."""

State = Literal["ok", "stopped", "stale", "missing", "corrupt"]
STOPPED = "stopped"
"""The `mode` a kiosk writes last when it ends (Ctrl-C, systemd's stop, a staff exit, an
unusable show), with `stopped_at` and `stop_reason`."""
MAX_STATUS_BYTES = 1024 * 1024
"""A status file is about 1 KiB; a bigger one is not a kiosk's, and is not read in full."""
MAX_INT_DIGITS = 18
MAX_FIGURE = 1e15
COLUMNS = ("KIOSK", "STATE", "MODE", "SLIDE", "REVISION", "UPTIME", "MEMORY", "LAST RELOAD")


@dataclass
class KioskStatus:
    """One status file as read: its state, its age, and what it says."""

    file: str
    state: State
    age_s: float | None = None
    problem: str | None = None
    status: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "state": self.state,
            "age_s": None if self.age_s is None else round(self.age_s, 1),
            "problem": self.problem,
            "status": self.status or None,
        }


def default_paths() -> list[Path]:
    """The platform's status file for this user, else the installed kiosk's, if it exists."""
    own = default_status_file()
    if not own.exists() and INSTALLED_STATUS_FILE.exists():
        return [INSTALLED_STATUS_FILE]
    return [own]


def read_status(path: Path, now: float) -> KioskStatus:
    """Read one status file; missing, unreadable or malformed files become rows saying so.

    Whatever the file is (a FIFO, a folder, a device, huge, binary, numbers JSON does not
    allow), this returns a row: it never blocks and never raises.
    """
    name = str(path)
    try:
        raw, info = read_limited_with_stat(path, MAX_STATUS_BYTES)
    except MissingFile:
        return KioskStatus(name, "missing", problem="no status file (kiosk never started here?)")
    except UnreadableFile as exc:
        return KioskStatus(name, "corrupt", problem=f"cannot read: {exc.reason}")
    age = max(0.0, now - info.st_mtime)
    try:
        data = parse_status(raw)
    except StatusFileError as exc:
        return KioskStatus(name, "corrupt", age, str(exc))
    if not isinstance(data, dict):
        return KioskStatus(name, "corrupt", age, "not a JSON object")
    if data.get("mode") == STOPPED:
        # Said on its way out, so its age says nothing more: not "stale", not running either.
        reason = _text(data.get("stop_reason"))
        return KioskStatus(
            name, "stopped", age, f"stopped ({reason}) at {_text(data.get('stopped_at'))}", data
        )
    if age > STALE_AFTER_S:
        return KioskStatus(
            name, "stale", age, f"not updated for {human_duration(age)}: kiosk not running", data
        )
    return KioskStatus(name, "ok", age, None, data)


class StatusFileError(ValueError):
    """A status file that is not the JSON a kiosk writes; the message says where."""


class _Refused(ValueError):
    """A number token the status reader refuses (raised from json's parse hooks)."""

    def __init__(self, token: str, why: str) -> None:
        super().__init__(why)
        self.token = token
        self.why = why


def _refuse_constant(token: str) -> Any:
    raise _Refused(token, f"{token} is not a number JSON allows")


def _parse_int(token: str) -> int:
    # Python refuses ints of more than 4300 digits with a ValueError, and a float() of a big
    # one overflows: no figure a kiosk writes has more than a few digits.
    if len(token.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(token, f"number too large ({len(token)} digits)")
    return int(token)


def _parse_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _Refused(token, f"number out of range ({token[:20]})")
    return value


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _locate(text: str, token: str) -> int:
    """The line of the first `token` outside JSON strings (1 when it cannot be told)."""
    # Blank the strings out, keeping their length, so a token inside text is not found.
    bare = _STRING.sub(lambda m: " " * len(m.group()), text)
    for match in re.finditer(re.escape(token), bare):
        before = bare[match.start() - 1] if match.start() else " "
        after = bare[match.end()] if match.end() < len(bare) else " "
        if not (before.isalnum() or before in ".-+") and not (after.isalnum() or after == "."):
            return bare.count("\n", 0, match.start()) + 1
    return 1


def parse_status(raw: bytes) -> Any:
    """The JSON of a status file; StatusFileError with the line for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise StatusFileError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}, line {line})"
        ) from None
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except json.JSONDecodeError as exc:
        raise StatusFileError(f"not JSON: {exc.msg} (line {exc.lineno})") from None
    except _Refused as exc:
        raise StatusFileError(f"not JSON: {exc.why} (line {_locate(text, exc.token)})") from None
    except RecursionError:
        raise StatusFileError("not JSON a kiosk writes: nested too deeply") from None


def human_duration(seconds: float) -> str:
    """`45s`, `12m 03s`, `3h 05m`, `2d 04h`."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    return f"{s // 86400}d {s % 86400 // 3600:02d}h"


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else str(value)


def _number(value: Any) -> float | None:
    # Beyond MAX_FIGURE the value is no uptime, index or size a kiosk writes: shown as "-".
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not -MAX_FIGURE <= value <= MAX_FIGURE:
        return None
    return float(value)


def _reload(status: dict[str, Any]) -> str:
    reload = status.get("last_reload")
    if not isinstance(reload, dict):
        return "-"
    errors = reload.get("errors")
    errors = [str(e) for e in errors] if isinstance(errors, list) else []
    if reload.get("ok") is True:
        return "ok"
    if not errors:
        return "failed"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"failed: {errors[0]}{more}"


def notices(status: dict[str, Any]) -> list[str]:
    """The kiosk's operations notices (its own files, not the content), one line each."""
    listed = status.get("notices")
    if not isinstance(listed, list):
        return []
    return [" ".join(str(n).split()) for n in listed[:20]]


def row(entry: KioskStatus) -> tuple[str, ...]:
    """The table row of one kiosk."""
    status = entry.status
    if not status:
        return (entry.file, entry.state, "-", "-", "-", "-", "-", entry.problem or "-")
    index = _number(status.get("slide_index"))
    slide = " ".join(
        part
        for part in (
            None if index is None else str(int(index) + 1),
            None if status.get("slide_id") is None else str(status["slide_id"]),
        )
        if part
    )
    uptime = _number(status.get("uptime_s"))
    rss = _number(status.get("rss_mb"))
    state: str = entry.state
    if entry.state == "stale" and entry.age_s is not None:
        state = f"stale {human_duration(entry.age_s)}"
    elif entry.state == "stopped" and status.get("stop_reason"):
        state = f"stopped: {status['stop_reason']}"
    mode = _text(status.get("mode"))
    schedule = status.get("schedule")
    if isinstance(schedule, str) and schedule not in ("always open", "open"):
        # Outside opening hours what the show would do matters less than that it sleeps.
        mode = schedule
    return (
        entry.file,
        state,
        mode,
        slide or "-",
        _text(status.get("deck_revision")),
        "-" if uptime is None else human_duration(uptime),
        "-" if rss is None else f"{rss:.0f} MiB",
        _reload(status),
    )


def table(entries: list[KioskStatus]) -> str:
    """An aligned text table, one kiosk a line; the last column (errors) is not padded."""
    rows = [COLUMNS, *(row(e) for e in entries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    lines = []
    for r in rows:
        cells = [cell.ljust(width) for cell, width in zip(r, widths, strict=False)]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def access_line(status: dict[str, Any]) -> str | None:
    """`narration ready; the visitor asked for larger text` for a status that tells (a kiosk
    older than the access controls does not: None)."""
    narration = status.get("narration")
    access = status.get("access")
    if not isinstance(narration, str) and not isinstance(access, dict):
        return None
    parts = [f"narration {narration}"] if isinstance(narration, str) else []
    if isinstance(access, dict):
        asked = [
            name
            for key, name in (("larger", "larger text"), ("contrast", "high contrast"))
            if access.get(key) is True
        ]
        if asked:
            parts.append("the visitor asked for " + " and ".join(asked))
    return "; ".join(parts) if parts else None


def status_main(
    paths: list[Path],
    as_json: bool,
    *,
    now: float | None = None,
    out: TextIO | None = None,
) -> int:
    """Print the state of the kiosks whose status files are `paths` (default: this machine's).

    Exit status 1 when any file is missing, unreadable, stale or says the kiosk stopped (a
    kiosk that is not running), 0 otherwise; a kiosk whose last reload failed still runs its
    previous deck, so it is 0, and so is one with operations notices (listed under the table).
    """
    out = out or sys.stdout
    when = time.time() if now is None else now
    entries = [read_status(path, when) for path in (paths or default_paths())]
    if as_json:
        json.dump([e.as_json() for e in entries], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(table(entries))
        for entry in entries:
            for notice in notices(entry.status):
                out.write(f"{entry.file}: operations notice: {notice}\n")
            shot = screenshot_line(entry.status, when)
            if shot is not None:
                out.write(f"{entry.file}: {shot}\n")
            visit = access_line(entry.status)
            if visit is not None:
                out.write(f"{entry.file}: {visit}\n")
    return 0 if all(e.state == "ok" for e in entries) else 1
