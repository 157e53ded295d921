"""The kiosk's own folders and files: unusable ones never stop the show, bad ones never a traceback.

A valid deck starts and plays when the state, log and data folders are read-only, a file, or on
a full disk: each problem is one operations notice (logged once, listed in the status file and
on the staff view), never a content error. `kiosk status` and the configuration, given a FIFO,
a folder, a NUL byte, non-finite or huge numbers or binary, print one located line and exit
non-zero, without a traceback and without hanging.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import logging
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.content.files import (
    FileTooLarge,
    MissingFile,
    UnreadableFile,
    read_limited_with_stat,
)
from kiosk.content.loader import load_deck
from kiosk.content.problems import ContentError
from kiosk.ops.config import load_config
from kiosk.ops.display import DisplaySettings
from kiosk.ops.logs import _KioskHandler, setup_logging
from kiosk.ops.notices import NOTICES
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.ui.reload import ContentWatcher
from kiosk.ui.window import KioskWindow
from tests.helpers.notify import NotifySocket
from tests.helpers.running import RunningKiosk, wait_for
from tests.helpers.show import BUNDLED, TITLES, write_show
from tests.helpers.users import as_nobody

TIMEOUT_S = 30.0
"""A command given a FIFO used to hang: every subprocess here has a deadline."""
EDITED = "Chongqing Liangjiang New Area (edited)"


@pytest.fixture(autouse=True)
def no_notices() -> Iterator[None]:
    """Each test starts and ends with no operations notice in this process."""
    NOTICES.reset()
    yield
    NOTICES.reset()


@pytest.fixture
def root() -> Iterator[Path]:
    """A folder another user can enter (pytest's own is private to root): a kiosk run as
    `nobody` for the read-only case reads its content copy here."""
    path = Path(tempfile.mkdtemp(prefix="kiosk-own-folders-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    """The tmpfs mounts a test made, unmounted at its end."""
    made: list[Path] = []
    yield made
    for target in reversed(made):
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def _mount_tmpfs(target: Path, options: str, mounts: list[Path]) -> None:
    if os.geteuid() != 0:
        pytest.skip("a real read-only or full file system needs a tmpfs mount, which needs root")
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    mounts.append(target)


def _forever(step: Callable[[int], object]) -> None:
    """Repeat `step` until it raises (a tmpfs is small: that is soon)."""
    for n in itertools.count():
        step(n)


def _fill(folder: Path) -> None:
    """Use up a tmpfs's blocks and inodes, as a full disk is: no file grows, none is made."""
    full = "No space left on device"
    with (folder / "filler").open("wb", buffering=0) as out, pytest.raises(OSError, match=full):
        _forever(lambda n: out.write(b"\0" * 4096))
    with pytest.raises(OSError, match=full):
        _forever(lambda n: (folder / f"inode-{n}").touch())
    with pytest.raises(OSError, match="No space left"):
        (folder / "probe").mkdir()


class Unprivileged:
    """How to run a command as a user the file modes apply to (root ignores them)."""

    def __init__(self, root: Path) -> None:
        self.prefix: list[str] = []
        self.env: dict[str, str] = {}
        if os.geteuid() != 0:
            return
        self.prefix = as_nobody(root, probe="import kiosk.ui.window")
        nobody = pwd.getpwnam("nobody")
        runtime = root / "runtime"
        runtime.mkdir(mode=0o700)
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        self.env = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(root / "cache")}


@pytest.fixture
def notify(request: pytest.FixtureRequest) -> Iterator[NotifySocket]:
    sock = NotifySocket(str(abs(hash(request.node.nodeid))))
    yield sock
    sock.close()


def _content(root: Path) -> Path:
    """A copy of the bundled deck in `root/content`, readable by any user."""
    folder = root / "content"
    shutil.copytree(BUNDLED, folder)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _config(root: Path, content: Path, **paths: Path) -> Path:
    """A kiosk.yaml for a window (not full screen) on `content`, with these paths."""
    lines = [f"content: {json.dumps(str(content))}", "kiosk: false"]
    lines += [f"{key}: {json.dumps(str(value))}" for key, value in paths.items()]
    config = root / "kiosk.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config.chmod(0o644)
    return config


def _broken_place(kind: str, root: Path, mounts: list[Path]) -> Path:
    """What XDG_STATE_HOME and XDG_DATA_HOME name, made unusable in the way `kind` says."""
    place = root / "broken"
    if kind == "a file":
        place.write_text("a file where the state folder should be\n")
    elif kind == "read-only folder":
        place.mkdir(mode=0o555)
        place.chmod(0o555)
    elif kind == "read-only folders of its own":
        # They exist, with the wrong owner or mode: the kiosk can only read them.
        for folder in (place, place / "liangjiang-kiosk", place / "liangjiang-kiosk" / "log"):
            folder.mkdir()
        for folder in (place / "liangjiang-kiosk" / "log", place / "liangjiang-kiosk", place):
            folder.chmod(0o555)
    elif kind == "read-only file system":
        _mount_tmpfs(place, "ro,size=64k", mounts)
    elif kind == "full disk":
        _mount_tmpfs(place, "size=64k,nr_inodes=64", mounts)
        _fill(place)
    return place


def _start(
    root: Path,
    kind: str,
    mounts: list[Path],
    notify: NotifySocket,
    *,
    status_elsewhere: bool = False,
) -> tuple[RunningKiosk, Path]:
    """`kiosk run` on a copy of the bundled deck, every folder of its own in the broken place
    (the status file too, unless `status_elsewhere`)."""
    for name in ("cache", "status"):
        (root / name).mkdir(mode=0o777)
        (root / name).chmod(0o777)
    content = _content(root)
    user = Unprivileged(root) if kind.startswith("read-only folder") else None
    place = _broken_place(kind, root, mounts)
    own = place / "liangjiang-kiosk"
    status = root / "status" / "status.json" if status_elsewhere else own / "status.json"
    config = _config(root, content, log_file=own / "log" / "kiosk.log")
    env = {
        "XDG_STATE_HOME": str(place),
        "XDG_DATA_HOME": str(place),
        "XDG_CACHE_HOME": str(root / "cache"),
        "STATE_DIRECTORY": str(place),
        "QT_QPA_PLATFORM": "offscreen",
        **notify.env,
        **(user.env if user else {}),
    }
    kiosk = RunningKiosk(
        root,
        content,
        status_file=status,
        analytics=own / "analytics.sqlite3",
        args=["--config", str(config)],
        env=env,
        prefix=user.prefix if user else None,
    )
    return kiosk, own


KINDS = [
    "a file",
    "read-only folder",
    "read-only folders of its own",
    "read-only file system",
    "full disk",
]
REASONS = {
    "a file": "Not a directory",
    "read-only folder": "Permission denied",
    "read-only folders of its own": "Permission denied",
    "read-only file system": "Read-only file system",
    "full disk": "No space left on device",
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_show_starts_when_every_folder_of_its_own_is_unusable(
    kind: str, root: Path, mounts: list[Path], notify: NotifySocket
) -> None:
    kiosk, own = _start(root, kind, mounts, notify)
    try:
        notify.wait_for("READY=1", ended=kiosk.ended)
        # Each heartbeat comes with a try of the status file: three of them span a retry on
        # the 5 s period, not only the one a new notice asks for at once.
        notify.wait_for("WATCHDOG=1", count=3, ended=kiosk.ended)
        assert kiosk.process.poll() is None, kiosk.stderr()
        stderr = kiosk.stderr()
        for step in (
            f"write the log file {own / 'log' / 'kiosk.log'}",
            f"keep the last good copy of the content in {own / 'last-good-content'}",
            f"record visitor analytics in {own / 'analytics.sqlite3'}",
            f"write the status file {own / 'status.json'}",
        ):
            lines = [line for line in stderr.splitlines() if f"cannot {step}" in line]
            assert len(lines) == 1, (step, stderr)  # logged once, not on every retry
            assert REASONS[kind] in lines[0], lines[0]
            assert "WARNING kiosk.ops: operations notice: " in lines[0]
        assert "Traceback" not in stderr
        assert ": content: " not in stderr  # nothing here is about the content
        assert not [line for line in stderr.splitlines() if " ERROR " in line]
        code, _ = kiosk.stop(signal.SIGTERM)
        assert code == 0, kiosk.stderr()
        assert "stopped: SIGTERM (stop); exit status 0" in kiosk.stderr()
    finally:
        kiosk.close()


def test_notices_are_in_the_status_file_and_kiosk_status(
    root: Path, mounts: list[Path], notify: NotifySocket
) -> None:
    kiosk, own = _start(root, "a file", mounts, notify, status_elsewhere=True)
    try:
        kiosk.wait_running()
        wait_for("three notices", lambda: len(kiosk.status().get("notices", [])) == 3)
        status = kiosk.status()
        assert status["notices"] == [
            f"cannot write the log file {own / 'log' / 'kiosk.log'}: Not a directory",
            f"cannot keep the last good copy of the content in {own / 'last-good-content'}: "
            "Not a directory",
            f"cannot record visitor analytics in {own / 'analytics.sqlite3'}: Not a directory",
        ]
        assert status["last_reload"] == {
            "ok": True,
            "at": status["last_reload"]["at"],
            "errors": [],
        }
        shown = subprocess.run(
            [sys.executable, "-m", "kiosk", "status", str(kiosk.status_file)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        assert shown.returncode == 0, shown.stderr  # running: notices are not a failure
        lines = shown.stdout.splitlines()
        assert lines[1].split()[:2] == [str(kiosk.status_file), "ok"]
        notices = [f"{kiosk.status_file}: operations notice: {n}" for n in status["notices"]]
        assert lines[2 : 2 + len(notices)] == notices
        # Then the narration's line (its audio being made, or made), and nothing else.
        assert [line.split(": narration ")[0] for line in lines[2 + len(notices) :]] == [
            str(kiosk.status_file)
        ]
    finally:
        kiosk.close()


def test_a_valid_edit_on_a_full_state_disk_is_shown_not_refused(
    root: Path, mounts: list[Path], notify: NotifySocket
) -> None:
    kiosk, own = _start(root, "full disk", mounts, notify, status_elsewhere=True)
    try:
        kiosk.wait_running()
        revision = kiosk.status()["deck_revision"]
        slide = root / "content" / "slides" / "01-welcome.yaml"
        edited = slide.read_text(encoding="utf-8").replace("Chongqing Liangjiang New Area", EDITED)
        tmp = slide.with_name(".01-welcome.yaml.tmp")
        tmp.write_text(edited, encoding="utf-8")
        os.replace(tmp, slide)
        wait_for("the edit on screen", lambda: kiosk.status().get("deck_revision") != revision)
        status = kiosk.status()
        assert status["deck_revision"] == load_deck(root / "content").revision
        assert status["last_reload"]["ok"] is True
        assert status["last_reload"]["errors"] == []
        copy = f"cannot keep the last good copy of the content in {own / 'last-good-content'}"
        assert f"{copy}: No space left on device" in status["notices"]
        assert "cannot load" not in kiosk.stderr()
        assert "content reload failed" not in kiosk.stderr()
        code, _ = kiosk.stop(signal.SIGTERM)
        assert code == 0
    finally:
        kiosk.close()


def test_a_log_file_that_is_a_fifo_does_not_hang_the_start(
    root: Path, notify: NotifySocket
) -> None:
    (root / "cache").mkdir()
    content = _content(root)
    fifo = root / "kiosk.log"
    os.mkfifo(fifo)
    config = _config(root, content, log_file=fifo)
    kiosk = RunningKiosk(
        root,
        content,
        args=["--config", str(config)],
        env={"QT_QPA_PLATFORM": "offscreen", **notify.env},
    )
    try:
        notify.wait_for("READY=1", ended=kiosk.ended)
        kiosk.wait_running()
        assert kiosk.status()["notices"] == [
            f"cannot write the log file {fifo}: it is a named pipe (FIFO), not a regular file"
        ]
        assert kiosk.stop(signal.SIGTERM)[0] == 0
    finally:
        kiosk.close()


# --- in process: the same mechanism, whatever the machine ----------------------------------------


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """Leave the root logger as the test found it."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if isinstance(h, _KioskHandler)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


class FullDisk(io.StringIO):
    """A log stream on a disk that has filled up (or, with `full=False`, been cleared)."""

    full = True

    def write(self, text: str) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(text)


def test_a_log_disk_filling_up_is_one_notice_not_a_traceback_a_line(
    tmp_path: Path, clean_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup_logging("INFO", tmp_path / "kiosk.log")
    assert path is not None
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, _KioskHandler) and hasattr(h, "baseFilename")
    ]
    assert isinstance(handler, logging.StreamHandler)
    disk = FullDisk()
    old = handler.setStream(disk)
    assert old is not None
    old.close()
    log = logging.getLogger("kiosk.test")
    for n in range(5):
        log.info("line %d", n)
    err = capsys.readouterr().err
    assert "Logging error" not in err
    assert "Traceback" not in err
    notice = f"cannot write the log file {path}: No space left on device"
    assert err.count(notice) == 1, (err, NOTICES.current())
    assert NOTICES.current() == [notice]
    disk.full = False
    log.info("the disk has room again")
    assert NOTICES.current() == []
    assert "the disk has room again" in disk.getvalue()
    assert f"operations notice cleared: write the log file {path} works again" in (
        capsys.readouterr().err
    )


def test_a_full_state_disk_never_refuses_a_valid_edit(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _show(tmp_path)
    snapshot = tmp_path / "state" / "last-good-content"

    def full(*args: Any, **kwargs: Any) -> str:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(snapshot.parent))

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    watcher = ContentWatcher(
        folder, revision=load_deck(folder).revision, debounce_ms=60, snapshot=snapshot
    )
    failed: list[object] = []
    watcher.failed.connect(failed.append)
    try:
        with qtbot.waitSignal(watcher.reloaded, timeout=5000) as blocker:
            (folder / "slides" / "one.yaml").write_text(
                "id: one\ntype: title\ntitle: {zh: 新, en: New}\n", encoding="utf-8"
            )
        assert blocker.args[0].slides[0].title.get("en") == "New"
        # The copy is kept after the edit is shown (it may be a step of its own).
        qtbot.waitUntil(lambda: bool(NOTICES.current()), timeout=5000)
    finally:
        watcher.stop()
    assert failed == []
    assert NOTICES.current() == [
        f"cannot keep the last good copy of the content in {snapshot}: No space left on device"
    ]


def test_the_window_lists_notices_apart_from_content_errors(qtbot: QtBot, tmp_path: Path) -> None:
    folder = _show(tmp_path)
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state folder should be\n")
    window = KioskWindow(
        ContentSource.of(load_deck(folder)),
        DisplaySettings(kiosk=True, status_file=blocker / "status.json"),
        clock=ManualClock(1000.0),
    )
    qtbot.addWidget(window)
    try:
        window.resize(640, 360)
        window.show()
        qtbot.waitExposed(window)
        window.tick()
        window.tick()
        notice = f"cannot write the status file {blocker / 'status.json'}: Not a directory"
        assert window.notices == [notice]
        assert window.content_errors == []
        assert window.status()["notices"] == [notice]
        assert window.status()["last_reload"]["ok"] is True
        grid = window.overlay.grid
        image = window.grab().toImage()
        pixel = image.pixelColor(round(grid.width - grid.px(22)), round(grid.px(22)))
    finally:
        window.timer.stop()  # a kiosk window ignores close()
    sky = window.stage.theme.colors.sky.lstrip("#")
    wanted = tuple(int(sky[i : i + 2], 16) for i in (0, 2, 4))
    got = (pixel.red(), pixel.green(), pixel.blue())
    # The staff's sky-blue mark (not the content errors' gold one), blended over the slide.
    assert all(abs(a - b) < 60 for a, b in zip(got, wanted, strict=True)), (got, wanted)


class FakeApp:
    def __init__(self) -> None:
        self.codes: list[int] = []

    def exit(self, code: int) -> None:
        self.codes.append(code)


def test_a_staff_exit_marker_that_cannot_be_written_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.ui import run

    state = tmp_path / "state"
    state.write_text("a file where systemd's state folder should be\n")
    monkeypatch.setenv("STATE_DIRECTORY", str(state))
    app = FakeApp()
    run.staff_exit(app)  # type: ignore[arg-type]
    assert app.codes == [run.STAFF_EXIT]  # the exit happens all the same
    assert NOTICES.current() == [
        f"cannot mark the staff exit in {state / 'staff-exit'}: Not a directory"
    ]


def _show(tmp_path: Path) -> Path:
    files: dict[str, str | bytes | None] = dict(TITLES)
    return write_show(tmp_path / "show", files)


# --- kiosk status on files that are no kiosk's -----------------------------------------------


def _status_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Each bad status file and the words its row must say."""
    cases: dict[str, tuple[Path, str]] = {}

    def write(name: str, data: bytes, words: str) -> None:
        path = tmp / name
        path.write_bytes(data)
        cases[name] = (path, words)

    write(
        "infinity.json",
        b'{"mode": "attract",\n "uptime_s": Infinity}\n',
        "not JSON: Infinity is not a number JSON allows (line 2)",
    )
    write(
        "nan.json",
        b'{"mode": "attract", "note": "NaN",\n\n "rss_mb": NaN}\n',
        "not JSON: NaN is not a number JSON allows (line 3)",
    )
    write(
        "huge.json",
        b'{"mode": "attract", "uptime_s": 1' + b"0" * 5000 + b"}\n",
        "not JSON: number too large (5001 digits) (line 1)",
    )
    write(
        "overflow.json",
        b'{"mode": "attract",\n"rss_mb": 1e400}\n',
        "not JSON: number out of range (1e400) (line 2)",
    )
    write("binary.json", b'{"mode":\n "\xff\xfe\x00attract"}', "not UTF-8 text (byte 0xff, line 2)")
    write(
        "deep.json", b"[" * 200_000 + b"]" * 200_000, "not JSON a kiosk writes: nested too deeply"
    )
    write(
        "big.json",
        b" " * (2 * 1024 * 1024) + b"{}",
        "cannot read: the file is too large (2,097,154 bytes; at most 1,048,576)",
    )
    folder = tmp / "folder.json"
    folder.mkdir()
    cases["folder.json"] = (folder, "cannot read: it is a folder, not a file")
    fifo = tmp / "fifo.json"
    os.mkfifo(fifo)
    cases["fifo.json"] = (fifo, "cannot read: it is a named pipe (FIFO), not a regular file")
    return cases


STATUS_CASES = [
    "infinity.json",
    "nan.json",
    "huge.json",
    "overflow.json",
    "binary.json",
    "deep.json",
    "big.json",
    "folder.json",
    "fifo.json",
]


@pytest.mark.parametrize("name", STATUS_CASES)
@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_kiosk_status_on_a_bad_file_says_where_and_exits_1(
    tmp_path: Path, name: str, as_json: bool
) -> None:
    path, words = _status_cases(tmp_path)[name]
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "status", str(path), *(["--json"] if as_json else [])],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,  # a FIFO used to hang here
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""  # no traceback, no warning: the row says it all
    if as_json:
        [entry] = json.loads(done.stdout)
        assert (entry["file"], entry["state"], entry["problem"]) == (str(path), "corrupt", words)
    else:
        header, line = done.stdout.splitlines()
        assert line.startswith(f"{path}  corrupt ")
        assert line.endswith(f"  {words}")


def test_status_numbers_no_kiosk_writes_are_shown_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    path.write_text(
        json.dumps({"mode": "attract", "uptime_s": 10**17, "rss_mb": -1e300, "slide_index": 10**16})
    )
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "status", str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split() == [
        str(path),
        "ok",
        "attract",
        "-",
        "-",
        "-",
        "-",
        "-",
    ]


def test_the_status_reader_never_blocks_and_is_bounded(tmp_path: Path) -> None:
    """`kiosk status` reads with the content's reading function: its reasons, its bounds, and
    the file's status (for the age) and nothing there told apart from a broken file."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile) as refused:
        read_limited_with_stat(fifo, 100)
    assert refused.value.reason == "it is a named pipe (FIFO), not a regular file"
    ten = tmp_path / "ten"
    ten.write_bytes(b"0123456789")
    data, info = read_limited_with_stat(ten, 10)
    assert (data, info.st_size, info.st_mtime) == (b"0123456789", 10, ten.stat().st_mtime)
    with pytest.raises(FileTooLarge) as large:
        read_limited_with_stat(ten, 9)
    assert large.value.reason == "the file is too large (10 bytes; at most 9)"
    with pytest.raises(UnreadableFile) as nul:
        read_limited_with_stat(tmp_path / "a\0b", 10)
    assert not isinstance(nul.value, MissingFile)
    assert nul.value.reason == "the path contains a NUL character"
    with pytest.raises(MissingFile) as missing:
        read_limited_with_stat(tmp_path / "gone", 10)
    assert missing.value.reason == "it does not exist"
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    with pytest.raises(MissingFile) as dangling:
        read_limited_with_stat(tmp_path / "dangling", 10)
    assert dangling.value.reason == "it is a symbolic link to something that does not exist"


# --- the configuration's paths ---------------------------------------------------------------


def _run_cli(
    args: list[str], *, prefix: list[str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "KIOSK_CONFIG")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,  # a FIFO used to hang the start
        check=False,
        env=env,
        cwd=cwd,
    )


def _bad_config(kind: str, root: Path) -> tuple[Path, str, list[str]]:
    """A configuration path of `kind`, the one line every command must print, and the prefix
    that runs the commands (as nobody, for an unreadable file when root)."""
    path = root / "kiosk.yaml"
    if kind == "fifo":
        os.mkfifo(path)
        fifo = "it is a named pipe (FIFO), not a regular file"
        return path, f"{path}: cannot read the file: {fifo}", []
    if kind == "folder":
        path.mkdir()
        return path, f"{path}: cannot read the file: it is a folder, not a file", []
    if kind == "unreadable":
        path.write_text(f"content: {BUNDLED}\n")
        path.chmod(0o000)
        user = Unprivileged(root)
        return path, f"{path}: cannot read the file: permission denied", user.prefix
    if kind == "NUL in content":
        path.write_text('content: "/srv/show\\0x"\n')
        return path, f"{path}:1:10: ", []
    path.write_text(f'content: {BUNDLED}\nlog_file: "/var/log/\\0kiosk.log"\n')
    return path, f"{path}:2:11: ", []


def _says(lines: list[str], line: str) -> bool:
    """Whether `lines` begin with `line`; for a NUL byte, any located line that names it (the
    YAML reader refuses the escape itself, or the configuration refuses it in a path)."""
    if not line.endswith(": "):
        return lines[:1] == [line]
    return bool(lines) and lines[0].startswith(line) and ("NUL" in lines[0] or "U+0000" in lines[0])


CONFIG_KINDS = ["fifo", "folder", "unreadable", "NUL in content", "NUL in log_file"]


@pytest.mark.parametrize("kind", CONFIG_KINDS)
def test_kiosk_run_with_a_bad_configuration_path_says_where_and_exits_2(
    root: Path, kind: str
) -> None:
    path, line, prefix = _bad_config(kind, root)
    done = _run_cli(
        ["kiosk", "run", "--config", str(path), "--no-analytics"], prefix=prefix, cwd=root
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert _says(lines, line), lines
    assert lines[1:] == [f"{path}: not valid; fix the errors above"]


@pytest.mark.parametrize("kind", CONFIG_KINDS)
def test_the_configuration_check_says_where_and_exits_1(root: Path, kind: str) -> None:
    path, line, prefix = _bad_config(kind, root)
    done = _run_cli(["kiosk.ops.config", str(path)], prefix=prefix, cwd=root)
    assert done.returncode == 1, done.stdout
    lines = done.stderr.splitlines()
    assert _says(lines, line), lines
    assert lines[1:] == [f"{path}: not valid"]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_kiosk_pin_never_waits_on_a_configuration_that_is_no_file(root: Path, kind: str) -> None:
    path, line, _ = _bad_config(kind, root)
    done = _run_cli(["kiosk", "pin", "--pin", "2468", "--config", str(path)], cwd=root)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [line]


def test_load_config_with_a_nul_in_its_own_path(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as error:
        load_config(tmp_path / "kiosk\0.yaml")
    assert [str(p) for p in error.value.problems] == [
        f"{tmp_path}/kiosk\\0.yaml: cannot read the file: the path contains a NUL character"
    ]
