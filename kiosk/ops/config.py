"""The installed kiosk's configuration file (YAML), checked like content: `file:line:col: msg`."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from kiosk.content.errors import located
from kiosk.content.files import UnreadableFile, read_limited
from kiosk.content.model import Seconds
from kiosk.content.model.screen import Mounting
from kiosk.content.problems import ContentError, Problem, quoted
from kiosk.content.yamlfile import MAX_FILE_BYTES, YamlFileError, parse_yaml_bytes
from kiosk.ops.paths import default_config_path
from kiosk.ops.schedule import Schedule
from kiosk.show.staff import check_hash_format

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


def _path(value: Any, info: ValidationInfo) -> Any:
    """A path as written in the file, resolved against the configuration file's folder."""
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):  # None too: optional paths never get here with None
        raise PydanticCustomError(
            "path_type", "expected a file or folder path, got {got}", {"got": quoted(value)}
        )
    if not value.strip():
        raise PydanticCustomError("path_empty", "may not be empty")
    if "\0" in value:  # no system call takes it: every later use would be a ValueError
        raise PydanticCustomError("path_nul", "a path may not contain a NUL byte (\\0)")
    path = Path(value)
    base = (info.context or {}).get("base")
    if not path.is_absolute() and isinstance(base, Path):
        path = Path(os.path.normpath(base / path))
    return path


def _pin_hash(value: Any) -> Any:
    if isinstance(value, str):
        try:
            check_hash_format(value)
        except ValueError as exc:
            raise PydanticCustomError(
                "pin_hash",
                "{reason}; set one with `kiosk pin --config FILE`",
                {"reason": str(exc)},
            ) from None
    return value


ConfigPath = Annotated[Path, BeforeValidator(_path)]
PinHash = Annotated[str, BeforeValidator(_pin_hash)]

PLAYERS = ("auto", "aplay", "pw-play", "none")


def _player(value: Any) -> Any:
    """`auto`, `aplay`, `pw-play`, `none`, or a command as a list (the file's path goes last)."""
    expected = "expected auto, aplay, pw-play, none or a command as a list, like [aplay, -q]"
    if isinstance(value, str):
        if value not in PLAYERS:
            raise PydanticCustomError(
                "player", "{expected}, got {got}", {"expected": expected, "got": quoted(value)}
            )
        return value
    if not isinstance(value, list | tuple):
        raise PydanticCustomError(
            "player", "{expected}, got {got}", {"expected": expected, "got": quoted(value)}
        )
    if not value:
        raise PydanticCustomError("player_empty", "a player command needs at least the program")
    for part in value:
        if not isinstance(part, str) or not part or "\0" in part:
            raise PydanticCustomError(
                "player_part",
                "each word of the player command must be non-empty text, got {got}",
                {"got": quoted(part)},
            )
    return tuple(value)


PlayerChoice = Annotated[str | tuple[str, ...], BeforeValidator(_player)]


class NarrationConfig(BaseModel):
    """How the kiosk speaks slides and cards (the visitor's listen control)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    volume: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Loudness of narration, 0 (silent) to 1 (the audio as made), applied to the "
        "samples so every player honours it",
    )
    in_loop: bool = Field(
        default=False,
        description="Whether narration may play in the attract loop (default: only when a "
        "visitor asks)",
    )
    player: PlayerChoice = Field(
        default="auto",
        description="What plays the audio: auto (pw-play when PipeWire runs, else aplay), "
        "aplay, pw-play, none, or a command as a list, the WAV file's path going last or "
        "where {file} is",
    )


class KioskConfig(BaseModel):
    """The configuration of one installed kiosk (`/etc/liangjiang-kiosk/kiosk.yaml`).

    Options given on the command line win over the file. Relative paths are relative to the
    folder of the configuration file.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    content: ConfigPath = Field(
        description="The content folder to play (a git checkout or a Syncthing folder)"
    )
    kiosk: bool = Field(
        default=True,
        description="Full screen, frameless, cursor hidden, window close ignored (false: a window)",
    )
    screen: int | None = Field(
        default=None, ge=0, description="Which screen, 0 for the first (default: the primary)"
    )
    language: Literal["zh", "en"] | None = Field(
        default=None, description="The starting language, zh or en (default: the deck's)"
    )
    idle_timeout: Seconds | None = Field(
        default=None,
        description="Seconds without a touch before the show returns to its loop "
        "(default: the deck's loop.idle_timeout)",
    )
    pin_hash: PinHash | None = Field(
        default=None,
        description="Hash of the staff PIN that closes the show; written by "
        "`kiosk pin --config FILE` (without one there is no staff exit)",
    )
    log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_file: ConfigPath | None = Field(
        default=None,
        description="The rotating log file (default: the platform's log folder); not written "
        "under systemd, whose journal keeps the log",
    )
    status_file: ConfigPath | None = Field(
        default=None,
        description="Where the running kiosk keeps its JSON status, read by `kiosk status`",
    )
    analytics: ConfigPath | None = Field(
        default=None,
        description="The visitor analytics database, read by `kiosk stats` "
        "(default: analytics.sqlite3 in the platform's data folder)",
    )
    no_analytics: bool = Field(default=False, description="Record no analytics at all")
    metrics_file: ConfigPath | None = Field(
        default=None,
        description="Write the show's metrics in Prometheus text format to this file every "
        "few seconds, for node_exporter's textfile collector (a `.prom` file in its folder, "
        "/var/lib/prometheus/node-exporter on Debian); default: none",
    )
    schedule: Schedule | None = Field(
        default=None,
        description="Opening hours: outside them the show stops and the display sleeps "
        "(`kiosk schedule` prints the timetable); none: open around the clock",
    )
    narration: NarrationConfig = Field(
        default_factory=NarrationConfig,
        description="Spoken slides and cards: volume, in_loop, player",
    )
    display: Mounting | None = Field(
        default=None,
        description="The screen as it hangs in the hall: its picture's size (diagonal in "
        "inches, or width_mm and height_mm), resolution, bottom (metres from the floor to the "
        "picture's bottom edge) and reach (metres, default 1.2); `kiosk audit --config` "
        "measures touch targets and reach on it",
    )


def display_path(path: Path) -> str:
    """A path as messages show it: a NUL byte would vanish on a terminal, so it is `\\0`."""
    return str(path).replace("\0", "\\0")


def read_config_bytes(path: Path) -> bytes:
    """The bytes of a configuration file; ContentError (one located line) when it cannot be
    read. Never blocks: a FIFO or a device given as the file is refused, not waited on."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise ContentError(
            [Problem(display_path(path), None, None, f"cannot read the file: {exc.reason}")]
        ) from None
    return raw


def load_config(path: Path) -> KioskConfig:
    """Read and check a configuration file; raise ContentError with every located problem."""
    display = display_path(path)
    try:
        doc = parse_yaml_bytes(read_config_bytes(path), display)
    except YamlFileError as exc:
        raise ContentError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise ContentError(
            [
                doc.problem(
                    (),
                    f"expected a mapping (key: value lines), got {quoted(doc.data)}",
                )
            ]
        )
    try:
        return KioskConfig.model_validate(doc.data, context={"base": path.parent.absolute()})
    except ValidationError as exc:
        raise ContentError(sorted(located(doc, exc, KioskConfig))) from None


def set_pin_hash(path: Path, pin_hash: str) -> None:
    """Write `pin_hash` into an existing configuration file, changing nothing else.

    The value of a top-level `pin_hash:` is replaced in place (comments, order and the other
    lines stay as they are); without one, a `pin_hash:` line is appended. The file is replaced
    atomically and keeps its mode and, where allowed, its owner.
    """
    check_hash_format(pin_hash)
    display = display_path(path)
    raw = read_config_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError([Problem(display, None, None, "the file is not UTF-8 text")]) from None
    try:
        # The pure-Python parser, whose marks index characters of `text`.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContentError(
            [Problem(display, line, col, f"not valid YAML: {exc.problem or exc}")]
        ) from None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise ContentError(
            [Problem(display, 1, 1, "expected a mapping (key: value lines) at the top")]
        )
    value = f'"{pin_hash}"'
    entry = next(
        (
            (key, node)
            for key, node in (root.value if root is not None else [])
            if isinstance(key, yaml.ScalarNode) and key.value == "pin_hash"
        ),
        None,
    )
    if entry is None:
        updated = text if not text or text.endswith("\n") else text + "\n"
        updated += f"pin_hash: {value}\n"
    else:
        key, node = entry
        if not isinstance(node, yaml.ScalarNode):
            mark = key.start_mark
            raise ContentError(
                [
                    Problem(
                        display,
                        mark.line + 1,
                        mark.column + 1,
                        "pin_hash: expected text, got a list or mapping; fix this line by hand",
                    )
                ]
            )
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:  # `pin_hash:` with nothing after it (the empty value sits after ':')
            value = " " + value
        updated = text[:start] + value + text[end:]
    _replace_file(path, updated.encode("utf-8"))


def _replace_file(path: Path, data: bytes) -> None:
    info = path.stat()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, info.st_mode & 0o7777)
        with contextlib.suppress(PermissionError):  # root keeps the owner; others cannot
            os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_main(argv: list[str] | None = None) -> int:
    """`python -m kiosk.ops.config FILE...`: report every problem of each file; 1 if any."""
    import sys

    files = [Path(a) for a in (sys.argv[1:] if argv is None else argv)] or [default_config_path()]
    status = 0
    for file in files:
        try:
            config = load_config(file)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{file}: not valid", file=sys.stderr)
            status = 1
        else:
            print(f"{file}: valid (content {config.content})")
    return status


__all__ = [
    "KioskConfig",
    "NarrationConfig",
    "check_main",
    "load_config",
    "set_pin_hash",
]


if __name__ == "__main__":
    raise SystemExit(check_main())
