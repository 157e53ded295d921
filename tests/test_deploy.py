"""Deployment: the config file, `kiosk status`, sd_notify, the units, git sync and install.sh."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.content.loader import Deck
from kiosk.content.problems import ContentError
from kiosk.ops.config import KioskConfig, load_config, set_pin_hash
from kiosk.ops.fleet import human_duration, status_main
from kiosk.ops.notify import notify, ready, watchdog
from kiosk.ops.paths import default_config_path
from kiosk.ops.settings import with_idle_timeout
from kiosk.show.staff import hash_pin, verify_pin
from tests.helpers.install import offline
from tests.helpers.show import BUNDLED, REPO, write_show

PACKAGING = REPO / "packaging"
HASH = hash_pin("2468", salt="feedbeef", iterations=1000)
OTHER_HASH = hash_pin("1357", salt="deadbeef", iterations=1000)
KIOSK = Path(sys.executable).parent / "kiosk"


# --- the configuration file ----------------------------------------------------------------

CONFIG_CASES: list[tuple[str, str, list[str]]] = [
    (
        "misspelt key",
        "content: show\npin_hsh: x\n",
        ['kiosk.yaml:2:1: pin_hsh: unknown key "pin_hsh"; did you mean "pin_hash"?'],
    ),
    (
        "missing content",
        "kiosk: true\n",
        ['kiosk.yaml:1:1: content: missing required key "content"'],
    ),
    (
        "empty content",
        "content:\n",
        ["kiosk.yaml:1:9: content: expected a file or folder path, got nothing"],
    ),
    (
        "a number for a path",
        "content: show\nstatus_file: 3\n",
        ["kiosk.yaml:2:14: status_file: expected a file or folder path, got 3"],
    ),
    (
        "an empty path",
        "content: show\nanalytics: ''\n",
        ["kiosk.yaml:2:12: analytics: may not be empty"],
    ),
    (
        "text for a switch",
        'content: show\nkiosk: "yes"\n',
        ['kiosk.yaml:2:8: kiosk: expected true or false, got "yes"'],
    ),
    (
        "negative screen",
        "content: show\nscreen: -1\n",
        ["kiosk.yaml:2:9: screen: must be at least 0, got -1"],
    ),
    (
        "unknown language",
        "content: show\nlanguage: fr\n",
        ['kiosk.yaml:2:11: language: expected one of zh, en, got "fr"'],
    ),
    (
        "idle timeout out of range",
        "content: show\nidle_timeout: 0\n",
        ["kiosk.yaml:2:15: idle_timeout: must be greater than 0, got 0"],
    ),
    (
        "idle timeout too long",
        "content: show\nidle_timeout: 7200\n",
        ["kiosk.yaml:2:15: idle_timeout: must be at most 3600, got 7200"],
    ),
    (
        "log level in lower case",
        "content: show\nlog_level: info\n",
        [
            'kiosk.yaml:2:12: log_level: expected one of DEBUG, INFO, WARNING, ERROR, got "info";'
            ' did you mean "INFO"?'
        ],
    ),
    (
        "not a PIN hash",
        "content: show\npin_hash: '1234'\n",
        [
            "kiosk.yaml:2:11: pin_hash: not a PIN hash (expected "
            "pbkdf2_sha256$iterations$salt$digest); set one with `kiosk pin --config FILE`"
        ],
    ),
    (
        "every problem in one pass, in file order",
        "screen: two\ncontent: show\nno_analytics: 1\n",
        [
            'kiosk.yaml:1:9: screen: expected a number, got "two"',
            "kiosk.yaml:3:15: no_analytics: expected true or false, got 1",
        ],
    ),
    (
        "duplicate key",
        "content: a\ncontent: b\n",
        ['kiosk.yaml:2:1: duplicate key "content" (first written at line 1)'],
    ),
    (
        "a list, not a mapping",
        "- content\n",
        ["kiosk.yaml:1:1: expected a mapping (key: value lines), got a list"],
    ),
    ("empty file", "", ["kiosk.yaml: the file is empty"]),
    (
        "tab indentation",
        "content: show\nkiosk:\n\ttrue\n",
        ["kiosk.yaml:3:1: tab character: indent with spaces, not tabs"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES]
)
def test_config_errors_are_located(
    text: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("kiosk.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(Path("kiosk.yaml"))
    assert [str(p) for p in caught.value.problems] == expected


def test_config_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'nope.yaml'}: cannot read the file: it does not exist"
    ]


def test_config_defaults_and_relative_paths(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    path = folder / "kiosk.yaml"
    path.write_text(
        "content: ../shows/hall-a\nstatus_file: state/status.json\nlog_file: /var/log/k.log\n"
    )
    config = load_config(path)
    assert config == KioskConfig(
        content=tmp_path / "shows" / "hall-a",
        status_file=folder / "state" / "status.json",
        log_file=Path("/var/log/k.log"),
    )
    assert (config.kiosk, config.screen, config.language, config.idle_timeout) == (
        True,
        None,
        None,
        None,
    )
    assert (config.pin_hash, config.log_level, config.analytics, config.no_analytics) == (
        None,
        "INFO",
        None,
        False,
    )


def test_config_every_key(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text(
        f"content: /srv/show\nkiosk: false\nscreen: 1\nlanguage: en\nidle_timeout: 90\n"
        f"pin_hash: {HASH}\nlog_level: DEBUG\nanalytics: visits\nno_analytics: true\n"
    )
    config = load_config(path)
    assert config.content == Path("/srv/show")
    assert (config.kiosk, config.screen, config.language, config.idle_timeout) == (
        False,
        1,
        "en",
        90,
    )
    assert config.pin_hash == HASH
    assert (config.log_level, config.analytics, config.no_analytics) == (
        "DEBUG",
        tmp_path / "visits",
        True,
    )


def test_example_config_is_valid() -> None:
    config = load_config(PACKAGING / "kiosk.yaml")
    assert config.content == Path("/var/lib/liangjiang-kiosk/content")
    assert config.status_file == Path("/var/lib/liangjiang-kiosk/status.json")
    assert config.pin_hash is None


def test_default_config_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert default_config_path() == Path("/etc/liangjiang-kiosk/kiosk.yaml")
    monkeypatch.setenv("KIOSK_CONFIG", "/srv/kiosk.yaml")
    assert default_config_path() == Path("/srv/kiosk.yaml")


def test_idle_timeout_override(bundled_deck: Deck) -> None:
    deck = with_idle_timeout(
        bundled_deck, KioskConfig(content=BUNDLED, idle_timeout=20).idle_timeout
    )
    assert deck.settings.loop.idle_timeout == 20
    assert deck.slides == bundled_deck.slides
    assert deck.revision == bundled_deck.revision
    assert with_idle_timeout(bundled_deck, None) is bundled_deck


def test_config_check_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("content: x\nscreen: -2\n")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.ops.config", str(PACKAGING / "kiosk.yaml"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == (
        f"{PACKAGING / 'kiosk.yaml'}: valid (content /var/lib/liangjiang-kiosk/content)\n"
    )
    assert result.stderr == (f"{bad}:2:9: screen: must be at least 0, got -2\n{bad}: not valid\n")


# --- kiosk pin --config: set_pin_hash ---------------------------------------------------------

PIN_CASES: list[tuple[str, str, str]] = [
    (
        "null with a comment",
        "# top\ncontent: x\npin_hash: null  # set with kiosk pin\nlog_level: INFO\n",
        f'# top\ncontent: x\npin_hash: "{HASH}"  # set with kiosk pin\nlog_level: INFO\n',
    ),
    (
        "empty value",
        "content: x\npin_hash:\nkiosk: true\n",
        f'content: x\npin_hash: "{HASH}"\nkiosk: true\n',
    ),
    (
        "empty value with a comment",
        "content: x\npin_hash:   # none yet\n",
        f'content: x\npin_hash: "{HASH}"   # none yet\n',
    ),
    (
        "a previous hash",
        f"content: x\npin_hash: '{OTHER_HASH}'\n",
        f'content: x\npin_hash: "{HASH}"\n',
    ),
    (
        "absent, no final newline",
        "content: x  # the deck",
        f'content: x  # the deck\npin_hash: "{HASH}"\n',
    ),
    (
        "a commented-out line is not the key",
        "content: x\n# pin_hash: old\n",
        f'content: x\n# pin_hash: old\npin_hash: "{HASH}"\n',
    ),
    (
        "Chinese comments survive",
        "# 两江新区\ncontent: x\npin_hash: ~\n",
        f'# 两江新区\ncontent: x\npin_hash: "{HASH}"\n',
    ),
]


@pytest.mark.parametrize(
    ("before", "after"), [c[1:] for c in PIN_CASES], ids=[c[0] for c in PIN_CASES]
)
def test_set_pin_hash(before: str, after: str, tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text(before, encoding="utf-8")
    set_pin_hash(path, HASH)
    assert path.read_text(encoding="utf-8") == after
    assert load_config(path).pin_hash == HASH


def test_set_pin_hash_on_the_example_changes_one_line(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    shutil.copy(PACKAGING / "kiosk.yaml", path)
    path.chmod(0o640)
    set_pin_hash(path, HASH)
    before = (PACKAGING / "kiosk.yaml").read_text().splitlines()
    after = path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("pin_hash: null", f'pin_hash: "{HASH}"')]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    pin_hash = load_config(path).pin_hash
    assert pin_hash is not None
    assert verify_pin("2468", pin_hash)
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.yaml"]  # no temporary file left


def test_set_pin_hash_refuses_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text("content: x\n")
    with pytest.raises(ValueError, match="not a PIN hash"):
        set_pin_hash(path, "1234")
    path.write_text("content: x\npin_hash: [a, b]\n")
    with pytest.raises(ContentError) as caught:
        set_pin_hash(path, HASH)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:1: pin_hash: expected text, got a list or mapping; fix this line by hand"
    ]
    path.write_text("- a\n")
    with pytest.raises(ContentError, match="expected a mapping"):
        set_pin_hash(path, HASH)
    path.write_text("content: [x\n")
    with pytest.raises(ContentError, match="not valid YAML"):
        set_pin_hash(path, HASH)
    assert path.read_text() == "content: [x\n"


# --- sd_notify ------------------------------------------------------------------------------


@pytest.fixture
def notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """A datagram socket standing in for systemd's, named by $NOTIFY_SOCKET."""
    address = f"\0kiosk-test-{os.getpid()}-{tmp_path.name}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        server.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + address[1:])
        yield server


def test_notify_abstract_socket(notify_socket: socket.socket) -> None:
    assert ready("deck abc")
    assert notify_socket.recv(4096) == b"READY=1\nSTATUS=deck abc"
    assert watchdog()
    assert notify_socket.recv(4096) == b"WATCHDOG=1"


def test_notify_path_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "n.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        server.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        assert notify("WATCHDOG=1")
        assert server.recv(4096) == b"WATCHDOG=1"


def test_notify_without_systemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert not notify("READY=1")
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "gone.sock"))
    assert not notify("READY=1")  # a dead socket is not an error for the show
    monkeypatch.setenv("NOTIFY_SOCKET", "vsock:2:1234")
    assert not notify("READY=1")


# --- kiosk status ---------------------------------------------------------------------------

NOW = 1_800_000_000.0


def _status(**changes: object) -> dict[str, object]:
    status: dict[str, object] = {
        "mode": "attract",
        "slide_id": "nev-share",
        "slide_index": 2,
        "language": "zh",
        "deck_revision": "9f1c2d3e",
        "last_reload": {"ok": True, "at": "2027-01-15T08:00:00+00:00", "errors": []},
        "last_advance_at": "2027-01-15T08:00:00+00:00",
        "uptime_s": 187_342.4,
        "rss_mb": 211.6,
        "version": "0.1.0",
    }
    status.update(changes)
    return status


@pytest.fixture
def hall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Status files of a hall: live, with a failed reload, dead, corrupt, and one missing."""
    monkeypatch.chdir(tmp_path)
    files = {
        "hall-a.json": (_status(), NOW - 3),
        "hall-b.json": (
            _status(
                mode="visitor",
                slide_id="title",
                slide_index=0,
                language="en",
                deck_revision="01234567",
                last_reload={
                    "ok": False,
                    "at": "2027-01-15T08:00:00+00:00",
                    "errors": [
                        'slides/07.yaml:14:20: chart.values[2]: expected a number, got "x"',
                        "slides/08.yaml:3:1: text.body: missing required key",
                    ],
                },
                uptime_s=42,
                rss_mb=180.2,
            ),
            NOW - 1,
        ),
        "hall-c.json": (_status(uptime_s=3725.0), NOW - 600),
    }
    for name, (status, mtime) in files.items():
        Path(name).write_text(json.dumps(status))
        os.utime(name, (mtime, mtime))
    Path("hall-d.json").write_text('{"mode": "attr')
    os.utime("hall-d.json", (NOW, NOW))
    return [
        Path(n) for n in ("hall-a.json", "hall-b.json", "hall-c.json", "hall-d.json", "hall-e.json")
    ]


def test_status_table(hall: list[Path]) -> None:
    out = io.StringIO()
    assert status_main(hall, False, now=NOW, out=out) == 1
    assert out.getvalue().splitlines() == [
        "KIOSK        STATE          MODE     SLIDE        REVISION  UPTIME  MEMORY   LAST RELOAD",
        "hall-a.json  ok             attract  3 nev-share  9f1c2d3e  2d 04h  212 MiB  ok",
        "hall-b.json  ok             visitor  1 title      01234567  42s     180 MiB  failed: "
        'slides/07.yaml:14:20: chart.values[2]: expected a number, got "x" (+1 more)',
        "hall-c.json  stale 10m 00s  attract  3 nev-share  9f1c2d3e  1h 02m  212 MiB  ok",
        "hall-d.json  corrupt        -        -            -         -       -        "
        "not JSON: Unterminated string starting at (line 1)",
        "hall-e.json  missing        -        -            -         -       -        "
        "no status file (kiosk never started here?)",
    ]


@pytest.mark.parametrize(
    ("schedule", "mode"),
    [
        (None, "attract"),
        ("always open", "attract"),
        ("open", "attract"),
        ("waking", "waking"),
        ("after hours", "after hours"),
        ("asleep", "asleep"),
    ],
)
def test_status_table_says_when_a_kiosk_sleeps(
    tmp_path: Path, schedule: str | None, mode: str
) -> None:
    path = tmp_path / "k.json"
    changes = {} if schedule is None else {"schedule": schedule}
    path.write_text(json.dumps(_status(**changes)), encoding="utf-8")
    os.utime(path, (NOW - 3, NOW - 3))
    out = io.StringIO()
    status_main([path], False, now=NOW, out=out)
    header, line = out.getvalue().splitlines()
    assert line[header.index("MODE") : header.index("SLIDE")].strip() == mode


def test_status_json(hall: list[Path]) -> None:
    out = io.StringIO()
    assert status_main(hall, True, now=NOW, out=out) == 1
    rows = json.loads(out.getvalue())
    assert [(r["file"], r["state"], r["age_s"]) for r in rows] == [
        ("hall-a.json", "ok", 3.0),
        ("hall-b.json", "ok", 1.0),
        ("hall-c.json", "stale", 600.0),
        ("hall-d.json", "corrupt", 0.0),
        ("hall-e.json", "missing", None),
    ]
    assert rows[0]["status"] == _status()
    assert rows[0]["problem"] is None
    assert rows[2]["problem"] == "not updated for 10m 00s: kiosk not running"
    assert rows[3]["status"] is None
    assert rows[4]["problem"] == "no status file (kiosk never started here?)"


def test_status_all_live_is_success(hall: list[Path]) -> None:
    out = io.StringIO()
    assert status_main(hall[:2], False, now=NOW, out=out) == 0
    assert len(out.getvalue().splitlines()) == 3


def test_status_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    file = state / "liangjiang-kiosk" / "status.json"
    file.parent.mkdir(parents=True)
    file.write_text(json.dumps(_status()))
    os.utime(file, (NOW, NOW))
    out = io.StringIO()
    assert status_main([], True, now=NOW, out=out) == 0
    assert json.loads(out.getvalue())[0]["file"] == str(file)


def test_status_odd_but_readable_values(tmp_path: Path) -> None:
    file = tmp_path / "s.json"
    file.write_text(json.dumps({"mode": "attract", "uptime_s": "soon", "last_reload": None}))
    os.utime(file, (NOW, NOW))
    other = tmp_path / "list.json"
    other.write_text("[1, 2]")
    os.utime(other, (NOW, NOW))
    out = io.StringIO()
    assert status_main([file, other], True, now=NOW, out=out) == 1
    assert [r["state"] for r in json.loads(out.getvalue())] == ["ok", "corrupt"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59.9, "59s"),
        (60, "1m 00s"),
        (3599, "59m 59s"),
        (3600, "1h 00m"),
        (86399, "23h 59m"),
        (86400, "1d 00h"),
        (1_000_000, "11d 13h"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


# --- systemd units --------------------------------------------------------------------------

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="systemd-analyze not found: install Debian's `systemd` package to check the units",
)
UNITS = ("liangjiang-kiosk.service", "kiosk-sync.service", "kiosk-sync.timer")


def verify_units(folder: Path, prefix: str, real_prefix: Path) -> None:
    """`systemd-analyze verify` the units in `folder`, with `prefix` pointing at `real_prefix`.

    It returns 0 even for unknown keys and bad values, so its output must be empty too.
    """
    assert SYSTEMD_ANALYZE is not None
    checked = folder.parent / "verify"
    checked.mkdir()
    for unit in UNITS:
        text = (folder / unit).read_text().replace(prefix, str(real_prefix))
        (checked / unit).write_text(text)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", *(str(checked / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@needs_systemd_analyze
def test_units_verify(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    (prefix / "libexec").mkdir(parents=True)
    for script in ("kiosk-session", "kiosk-sync.sh"):
        shutil.copy(PACKAGING / script, prefix / "libexec" / script)
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = (PACKAGING / unit).read_text().replace("@USER@", "liangjiang-kiosk")
        (units / unit).write_text(text)
    verify_units(units, "@PREFIX@", prefix)


@needs_systemd_analyze
def test_units_verify_catches_mistakes(tmp_path: Path) -> None:
    """The check above is worth something: a misspelt key fails it."""
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = (PACKAGING / unit).read_text().replace("NoNewPrivileges=", "NoNewPrivilege=")
        (units / unit).write_text(text.replace("@PREFIX@/libexec/", "/bin/true #"))
    with pytest.raises(AssertionError, match="Unknown key 'NoNewPrivilege'"):
        verify_units(units, "@PREFIX@", tmp_path)


@pytest.mark.skipif(
    shutil.which("shellcheck") is None, reason="shellcheck not found (Debian's `shellcheck`)"
)
def test_scripts_pass_shellcheck() -> None:
    scripts = [
        "install.sh",
        "uninstall.sh",
        "kiosk-sync.sh",
        "kiosk-session",
        "wheelhouse.sh",
        "source.sh",
    ]
    result = subprocess.run(
        ["shellcheck", "--shell=sh", *scripts],
        cwd=PACKAGING,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_units_run_the_show_as_designed() -> None:
    service = (PACKAGING / "liangjiang-kiosk.service").read_text()
    for line in (
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=30",
        "Restart=always",
        "StartLimitIntervalSec=0",
        "User=@USER@",
        "PAMName=liangjiang-kiosk",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "RestartPreventExitStatus=3",
        "StateDirectory=liangjiang-kiosk",
        "LogsDirectory=liangjiang-kiosk",
        "WantedBy=graphical.target",
    ):
        assert line in service.splitlines(), line
    session = (PACKAGING / "kiosk-session").read_text()
    assert 'cage ${CAGE_ARGS:--d} -- "$PREFIX/venv/bin/kiosk" run' in session
    assert "exit 3" in session  # a staff exit is not restarted (RestartPreventExitStatus=3)


# --- content sync with git ----------------------------------------------------------------

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git not found (Debian's `git` package)")


class Git:
    """git in an isolated environment with fixed names and dates, so runs are reproducible."""

    def __init__(self, home: Path) -> None:
        home.mkdir()
        self.time = 1_800_000_000
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "LANG": "C",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Curator",
            "GIT_AUTHOR_EMAIL": "curator@example.org",
            "GIT_COMMITTER_NAME": "Curator",
            "GIT_COMMITTER_EMAIL": "curator@example.org",
        }

    def __call__(self, *args: str | Path, cwd: Path | None = None) -> str:
        self.time += 60
        date = f"{self.time} +0800"
        env = {**self.env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        result = subprocess.run(
            ["git", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    def sync(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", str(PACKAGING / "kiosk-sync.sh"), *map(str, args)],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Git, Path, Path]:
    """The curators' clone and a kiosk's clone of one bare repository holding deck `hall-a`."""
    git = Git(tmp_path / "home")
    origin = tmp_path / "origin.git"
    curator = tmp_path / "curator"
    kiosk = tmp_path / "kiosk"
    git("init", "--quiet", "--bare", "--initial-branch=main", origin)
    git("clone", "--quiet", origin, curator)
    git("checkout", "--quiet", "-b", "main", cwd=curator)
    write_show(curator / "hall-a")
    git("add", ".", cwd=curator)
    git("commit", "--quiet", "-m", "first deck", cwd=curator)
    git("push", "--quiet", "origin", "main", cwd=curator)
    git("clone", "--quiet", origin, kiosk)
    return git, curator, kiosk


def _edit_and_push(git: Git, curator: Path, text: str, message: str) -> str:
    """Replace line 3 of slide one (its title) with `text`; commit and push; the new HEAD."""
    slide = curator / "hall-a" / "slides" / "one.yaml"
    lines = slide.read_text().splitlines()
    lines[2] = text
    slide.write_text("\n".join(lines) + "\n")
    git("commit", "--quiet", "-am", message, cwd=curator)
    git("push", "--quiet", "--force", "origin", "HEAD", cwd=curator)
    return git("rev-parse", "HEAD", cwd=curator)


@needs_git
def test_sync_fast_forwards(repos: tuple[Git, Path, Path]) -> None:
    git, curator, kiosk = repos
    first = git("rev-parse", "--short", "HEAD", cwd=kiosk)
    result = git.sync("--dir", kiosk)
    assert (result.returncode, result.stdout) == (
        0,
        f"kiosk-sync: up to date with origin/main at {first}\n",
    )
    new = _edit_and_push(git, curator, "title: {zh: 新标题, en: New title}", "retitle")
    result = git.sync("--dir", kiosk)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"kiosk-sync: updated to origin/main: {first} -> {new[:7]}\n"
    assert git("rev-parse", "HEAD", cwd=kiosk) == new
    assert "New title" in (kiosk / "hall-a" / "slides" / "one.yaml").read_text()


@needs_git
def test_sync_refuses_rewritten_history(repos: tuple[Git, Path, Path]) -> None:
    git, curator, kiosk = repos
    _edit_and_push(git, curator, "title: {zh: 新标题, en: New title}", "retitle")
    git.sync("--dir", kiosk)
    before = git("rev-parse", "HEAD", cwd=kiosk)
    git("reset", "--quiet", "--hard", "HEAD~1", cwd=curator)
    _edit_and_push(git, curator, "title: {zh: 改写, en: Rewritten}", "rewrite history")
    result = git.sync("--dir", kiosk)
    assert result.returncode == 1
    assert result.stderr == (
        f"kiosk-sync: origin/main is not a fast-forward of {before[:7]} "
        "(history rewritten upstream?); kept it\n"
    )
    assert git("rev-parse", "HEAD", cwd=kiosk) == before
    assert git("status", "--porcelain", cwd=kiosk) == ""
    assert "New title" in (kiosk / "hall-a" / "slides" / "one.yaml").read_text()


@needs_git
def test_sync_keeps_local_edits_and_says_so(repos: tuple[Git, Path, Path]) -> None:
    git, curator, kiosk = repos
    _edit_and_push(git, curator, "title: {zh: 新标题, en: New title}", "retitle")
    deck = kiosk / "hall-a" / "deck.yaml"
    deck.write_text(deck.read_text() + "# edited on the kiosk\n")
    result = git.sync("--dir", kiosk)
    assert result.returncode == 1
    assert result.stderr.startswith(f"kiosk-sync: local changes in {kiosk}; nothing updated")
    assert deck.read_text().endswith("# edited on the kiosk\n")


@needs_git
def test_sync_checks_the_new_deck_first(repos: tuple[Git, Path, Path]) -> None:
    git, curator, kiosk = repos
    before = git("rev-parse", "HEAD", cwd=kiosk)
    bad = _edit_and_push(git, curator, "titel: {zh: 标题, en: Title}", "typo")
    result = git.sync("--dir", kiosk, "--deck", "hall-a", "--validate-with", KIOSK)
    assert result.returncode == 1
    assert 'slides/one.yaml:3:1: title.titel: unknown key "titel"' in result.stderr
    assert result.stderr.endswith(
        f"kiosk-sync: revision {bad[:7]} is not a valid deck; kept {before[:7]}\n"
    )
    assert git("rev-parse", "HEAD", cwd=kiosk) == before
    good = _edit_and_push(git, curator, "title: {zh: 标题, en: Fixed}", "fix")
    result = git.sync("--dir", kiosk, "--deck", "hall-a", "--validate-with", KIOSK)
    assert (result.returncode, result.stderr) == (0, "")
    assert git("rev-parse", "HEAD", cwd=kiosk) == good


@needs_git
def test_sync_switches_to_another_branch(repos: tuple[Git, Path, Path]) -> None:
    git, curator, kiosk = repos
    git("checkout", "--quiet", "-b", "hall-b", cwd=curator)
    other = _edit_and_push(git, curator, "title: {zh: 乙厅, en: Hall B}", "hall b")
    result = subprocess.run(
        ["sh", str(PACKAGING / "kiosk-sync.sh")],
        env={**git.env, "KIOSK_SYNC_DIR": str(kiosk), "KIOSK_SYNC_BRANCH": "hall-b"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert git("symbolic-ref", "--short", "HEAD", cwd=kiosk) == "hall-b"
    assert git("rev-parse", "HEAD", cwd=kiosk) == other


@needs_git
def test_sync_ignores_a_folder_that_is_not_a_checkout(tmp_path: Path) -> None:
    git = Git(tmp_path / "home")
    plain = write_show(tmp_path / "show")
    result = git.sync("--dir", plain)
    assert result.returncode == 0
    assert "is not a git checkout; nothing to sync" in result.stdout
    assert git.sync("--dir", tmp_path / "nowhere").returncode == 1
    assert git.sync("--bogus").returncode == 2


@needs_git
@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not found")
def test_sync_follows_signed_tags_only(repos: tuple[Git, Path, Path], tmp_path: Path) -> None:
    git, curator, kiosk = repos
    key = tmp_path / "curator_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "curator", "-f", str(key)],
        check=True,
        env=git.env,
    )
    signers = tmp_path / "allowed_signers"
    public = (tmp_path / "curator_key.pub").read_text().split()
    signers.write_text(f"curator@example.org {public[0]} {public[1]}\n")
    git("config", "gpg.format", "ssh", cwd=curator)
    git("config", "user.signingkey", key, cwd=curator)
    git("config", "gpg.ssh.allowedSignersFile", signers, cwd=kiosk)
    before = git("rev-parse", "HEAD", cwd=kiosk)

    released = _edit_and_push(git, curator, "title: {zh: 五月, en: May}", "may")
    git("tag", "-s", "hall-a/2027-05", "-m", "May", cwd=curator)
    _edit_and_push(git, curator, "title: {zh: 草稿, en: Draft}", "work in progress")
    git("push", "--quiet", "origin", "--tags", cwd=curator)
    result = git.sync("--dir", kiosk, "--verify-tag", "hall-a/*")
    assert (result.returncode, result.stderr) == (0, "")
    assert git("rev-parse", "HEAD", cwd=kiosk) == released
    assert result.stdout == (
        f"kiosk-sync: updated to tag hall-a/2027-05: {before[:7]} -> {released[:7]}\n"
    )

    git("tag", "-a", "hall-a/2027-06", "-m", "unsigned", cwd=curator)
    git("push", "--quiet", "origin", "--tags", cwd=curator)
    result = git.sync("--dir", kiosk, "--verify-tag", "hall-a/*")
    assert result.returncode == 1
    assert result.stderr == (
        f"kiosk-sync: tag hall-a/2027-06 has no valid signature; kept {released[:7]}\n"
    )
    assert git("rev-parse", "HEAD", cwd=kiosk) == released


# --- install.sh into a temporary DESTDIR --------------------------------------------------


@pytest.mark.slow
def test_install_into_destdir(tmp_path: Path, wheelhouse: Callable[[str], Path]) -> None:
    """A staged install, offline from a wheel folder (the venv is built for real), run twice,
    then removed."""
    dest = tmp_path / "stage"
    prefix = "/opt/liangjiang-kiosk"
    env = {
        **os.environ,
        "DESTDIR": str(dest),
        "PREFIX": prefix,
        "PYTHON": sys.executable,
        "KIOSK_PIP_ARGS": f"--no-index --find-links {wheelhouse(sys.executable)}",
    }
    env.pop("NOTIFY_SOCKET", None)

    def install() -> str:
        result = subprocess.run(
            offline(["sh", PACKAGING / "install.sh"]),
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    output = install()
    assert "install: skipped (DESTDIR): useradd --system" in output
    assert "install: skipped (DESTDIR): apt-get update -q" in output
    root = dest / prefix.lstrip("/")
    kiosk = root / "venv" / "bin" / "kiosk"

    # The staged tree is made to be packaged and used at PREFIX: no file names DESTDIR.
    assert kiosk.read_text().splitlines()[0] == f"#!{prefix}/venv/bin/python"
    staged = str(dest).encode()
    naming = [
        path
        for path in dest.rglob("*")
        if path.is_file() and not path.is_symlink() and staged in path.read_bytes()
    ]
    assert not naming, f"these files name the staging folder: {naming[:10]}"

    # The installed app checks the bundled deck and the first content. (Its scripts point at
    # PREFIX, which a staged install leaves alone, so the staged venv's Python runs it.)
    for deck in (root / "share" / "content", dest / "var/lib/liangjiang-kiosk/content"):
        result = subprocess.run(
            [str(root / "venv/bin/python"), "-m", "kiosk", "validate", str(deck)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert result.stdout.splitlines()[-1].startswith(f"{deck}: valid, ")

    config = dest / "etc/liangjiang-kiosk/kiosk.yaml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert load_config(config).content == Path("/var/lib/liangjiang-kiosk/content")
    units = dest / "etc/systemd/system"
    for unit in UNITS:
        text = (units / unit).read_text()
        assert "@" + "PREFIX@" not in text
        assert "@USER@" not in text
    assert f"ExecStart={prefix}/libexec/kiosk-session" in (units / UNITS[0]).read_text()
    assert os.access(root / "libexec" / "kiosk-session", os.X_OK)
    assert (dest / "etc/pam.d/liangjiang-kiosk").is_file()
    assert os.readlink(dest / "usr/local/bin/kiosk") == f"{prefix}/venv/bin/kiosk"
    assert "consoleblank=0" in (dest / "etc/default/grub.d/liangjiang-kiosk.cfg").read_text()
    journald = dest / "etc/systemd/journald.conf.d/liangjiang-kiosk.conf"
    assert "Storage=persistent" in journald.read_text()
    if shutil.which("systemctl"):
        wants = units / "graphical.target.wants" / "liangjiang-kiosk.service"
        assert os.readlink(wants) == "/etc/systemd/system/liangjiang-kiosk.service"
        assert (units / "timers.target.wants" / "kiosk-sync.timer").is_symlink()
    if SYSTEMD_ANALYZE:
        verify_units(units, prefix, root)

    # Run again: an upgrade keeps the configuration (and its PIN) and the content.
    set_pin_hash(config, HASH)
    (dest / "var/lib/liangjiang-kiosk/content/deck.yaml").write_text("title: kept\n")
    output = install()
    assert "install: keeping /etc/liangjiang-kiosk/kiosk.yaml" in output
    assert "install: keeping the content in /var/lib/liangjiang-kiosk/content" in output
    assert load_config(config).pin_hash == HASH
    assert (dest / "var/lib/liangjiang-kiosk/content/deck.yaml").read_text() == "title: kept\n"

    # Uninstall keeps what the installer made its own, --purge removes it.
    def uninstall(*args: str) -> None:
        subprocess.run(
            ["sh", str(PACKAGING / "uninstall.sh"), *args],
            env=env,
            check=True,
            capture_output=True,
        )

    uninstall()
    assert not root.exists()
    assert not journald.exists()
    assert not (units / UNITS[0]).exists()
    assert not (dest / "usr/local/bin/kiosk").is_symlink()
    assert not (units / "graphical.target.wants" / "liangjiang-kiosk.service").is_symlink()
    assert config.exists()
    uninstall("--purge")
    assert not config.exists()
    assert not (dest / "var/lib/liangjiang-kiosk").exists()


# --- what install.sh installs is what the session needs ------------------------------------


def _install_packages() -> set[str]:
    """The Debian packages install.sh installs (its SYSTEM_PACKAGES)."""
    text = (PACKAGING / "install.sh").read_text()
    match = re.search(r'^SYSTEM_PACKAGES="([^"]*)"', text, re.MULTILINE)
    assert match, "install.sh has no SYSTEM_PACKAGES"
    return set(match.group(1).split())


def _dpkg_closure(roots: set[str]) -> set[str]:
    """The installed packages that `roots` and every Essential or required package bring in."""
    fields = "${Package}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\n"
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f", fields], capture_output=True, text=True, check=True
    ).stdout
    depends: dict[str, set[str]] = {}
    base = set()
    for line in listing.splitlines():
        name, essential, priority, deps = line.split("\t")
        depends[name] = {
            re.split(r"[\s:(]", alternative.strip())[0]
            for alternative in re.split(r"[,|]", deps)
            if alternative.strip()
        }
        if essential == "yes" or priority == "required":
            base.add(name)
    seen: set[str] = set()
    todo = list(roots | base)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(depends.get(name, ()))
    return seen


def _owners(paths: list[str]) -> dict[str, str]:
    """The Debian package of each file (dpkg knows /lib or /usr/lib, whichever it shipped)."""
    candidates: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(path)
        for candidate in (path, real, real.removeprefix("/usr"), "/usr" + real):
            candidates.setdefault(candidate, path)
    listing = subprocess.run(
        ["dpkg-query", "-S", *candidates], capture_output=True, text=True, check=False
    ).stdout
    owners: dict[str, str] = {}
    for line in listing.splitlines():
        package, _, file = line.partition(": ")
        if file in candidates:
            owners[candidates[file]] = package.split(":")[0].split(",")[0]
    unowned = sorted(set(paths) - set(owners))
    assert not unowned, f"these files belong to no Debian package: {unowned}"
    return owners


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")
def test_install_sh_installs_what_the_session_runs() -> None:
    """cage exits at once without Xwayland, and Qt's Wayland plugin does not load without its
    libraries: every program kiosk-session starts and every system library the show's Wayland
    platform links to comes with a package install.sh names (or one they depend on)."""
    closure = _dpkg_closure(_install_packages())
    files: list[str] = []
    for program in ("cage", "Xwayland", "pkill", "setterm"):
        path = shutil.which(program)
        assert path, f"{program} is not installed here (make test installs it)"
        files.append(path)

    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    binaries = [
        *(qt / "plugins" / "platforms").glob("libqwayland*.so"),
        *(qt / "plugins" / "wayland-shell-integration").glob("*.so"),
        *(qt / "lib").glob("libQt6WaylandClient.so.*"),
        *(qt / "lib").glob("libQt6Widgets.so.*"),
        *(qt / "lib").glob("libQt6Svg.so.*"),
    ]
    assert binaries, "PySide6 ships no Wayland platform plugin"
    for binary in binaries:
        linked = subprocess.run(
            ["ldd", str(binary)], capture_output=True, text=True, check=True
        ).stdout
        for line in linked.splitlines():
            assert "not found" not in line, f"{binary.name}: {line.strip()}"
            parts = line.split("=>")
            if len(parts) == 2 and parts[1].split() and str(qt) not in parts[1]:
                files.append(parts[1].split()[0])
    owners = _owners(sorted(set(files)))
    missing = {file: package for file, package in owners.items() if package not in closure}
    assert not missing, f"add these packages to install.sh's SYSTEM_PACKAGES: {missing}"


def test_the_service_keeps_the_speech_cache_where_it_may_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ProtectHome= hides the home folder, where the platform's cache would be: the unit points
    the cache at the CacheDirectory= systemd makes writable, and the narrator's folder is in it."""
    from kiosk.ops.paths import default_speech_cache_dir

    service = (PACKAGING / "liangjiang-kiosk.service").read_text().splitlines()
    assert "CacheDirectory=liangjiang-kiosk" in service
    assert "ProtectHome=yes" in service
    environment = {}
    for line in service:
        if line.startswith("Environment="):
            for pair in line.removeprefix("Environment=").split():
                key, _, value = pair.partition("=")
                environment[key] = value
    monkeypatch.setenv("XDG_CACHE_HOME", environment["XDG_CACHE_HOME"])
    cache = default_speech_cache_dir()
    assert cache.is_relative_to("/var/cache/liangjiang-kiosk"), cache
    writable = next(line for line in service if line.startswith("ReadWritePaths="))
    assert "/var/cache/liangjiang-kiosk" in writable.split("=", 1)[1].split()
