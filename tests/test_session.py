"""The hall session as the service starts it: a staged install (install.sh, offline, from a
wheel folder), then the installed kiosk-session as an unprivileged user inside Debian's cage
on the wlroots headless backend, on Wayland, reporting to a notify socket as to systemd.

Needs root (to install and to become another user: CI runs as root), cage, Xwayland, grim and
Debian's Python (the service's user cannot run a Python kept in root's home)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from kiosk.show.staff import hash_pin
from tests.helpers.install import PACKAGING, offline, run
from tests.helpers.notify import NotifySocket
from tests.helpers.users import nobody_prefix

SYSTEM_PYTHON = "/usr/bin/python3"
USER = "nobody"
PIN = "2468"


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root: it stages an install and runs the session as another user (CI does)"
    for tool in ("cage", "Xwayland", "grim", "setpriv", "pkill"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make test installs cage, xwayland, grim)"
    if not Path(SYSTEM_PYTHON).is_file():
        return f"{SYSTEM_PYTHON} is missing (make test installs python3-venv)"
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return f"no user {USER} to run the session as"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(_why_not() is not None, reason=str(_why_not()))]


@dataclass
class Hall:
    """A staged kiosk, with the folders the unit gives its service."""

    base: Path
    prefix: Path
    stage: Path
    config: Path
    runtime: Path
    state: Path
    logs: Path

    @property
    def content(self) -> Path:
        return self.stage / "var/lib/liangjiang-kiosk/content"

    def as_user(self, *cmd: str | Path) -> list[str]:
        return [*nobody_prefix(), *map(str, cmd)]

    def env(self, **extra: str) -> dict[str, str]:
        """The service's environment (liangjiang-kiosk.service), headless wlroots for cage."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(self.state),
            "RUNTIME_DIRECTORY": str(self.runtime),
            "STATE_DIRECTORY": str(self.state),
            "LOGS_DIRECTORY": str(self.logs),
            "KIOSK_CONFIG": str(self.config),
            "XDG_STATE_HOME": str(self.state),
            "XDG_DATA_HOME": str(self.state),
            "XDG_SESSION_TYPE": "wayland",
            "CAGE_ARGS": "-d",
            "WLR_BACKENDS": "headless",
            "WLR_RENDERER": "pixman",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            **extra,
        }


def _owned_folder(path: Path, mode: int = 0o755) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    record = pwd.getpwnam(USER)
    os.chown(path, record.pw_uid, record.pw_gid)
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def hall(wheelhouse: Callable[[str], Path]) -> Iterator[Hall]:
    # Outside pytest's own temporary folders, which only root may enter.
    base = Path(tempfile.mkdtemp(prefix="kiosk-hall-"))
    base.chmod(0o755)
    try:
        prefix = base / "opt"
        stage = base / "stage"
        folder = wheelhouse(SYSTEM_PYTHON)
        env = {
            **os.environ,
            "DESTDIR": str(stage),
            "PREFIX": str(prefix),
            "PYTHON": SYSTEM_PYTHON,
            "NO_APT": "1",
            "KIOSK_PIP_ARGS": f"--no-index --find-links {folder}",
        }
        env.pop("NOTIFY_SOCKET", None)
        run(offline(["sh", PACKAGING / "install.sh"]), env=env)
        # The staged tree is made to live at PREFIX, as a package of it would be installed.
        prefix.symlink_to(stage / str(prefix).lstrip("/"))
        config = base / "kiosk.yaml"
        state = _owned_folder(base / "state")
        logs = _owned_folder(base / "log")
        config.write_text(
            f"content: {stage}/var/lib/liangjiang-kiosk/content\n"
            "kiosk: true\n"
            f"pin_hash: '{hash_pin(PIN)}'\n"
            f"log_file: {logs}/kiosk.log\n"
            f"status_file: {state}/status.json\n"
            f"analytics: {state}/analytics.sqlite3\n",
            encoding="utf-8",
        )
        config.chmod(0o644)
        yield Hall(base, prefix, stage, config, base / "run", state, logs)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def session(hall: Hall, **env: str) -> Iterator[tuple[subprocess.Popen[str], NotifySocket]]:
    """The installed kiosk-session, started as the unit starts it, and its notify socket."""
    shutil.rmtree(hall.runtime, ignore_errors=True)
    _owned_folder(hall.runtime, 0o700)
    notify = NotifySocket(hall.base.name)
    log = (hall.base / "session.log").open("w")
    process = subprocess.Popen(
        hall.as_user(hall.prefix / "libexec" / "kiosk-session"),
        env=hall.env(**notify.env, **env),
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield process, notify
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        notify.close()


def session_log(hall: Hall) -> str:
    return (hall.base / "session.log").read_text(errors="replace")


def screenshot(hall: Hall, path: Path) -> np.ndarray:
    """What the screen shows now, through grim (a Wayland client of the same compositor)."""
    from PySide6.QtGui import QImage

    shot = hall.runtime / "shot.png"
    run(
        hall.as_user(
            "env", f"XDG_RUNTIME_DIR={hall.runtime}", "WAYLAND_DISPLAY=wayland-0", "grim", shot
        )
    )
    shutil.copyfile(shot, path)
    return _pixels(QImage(str(path)))


def _pixels(image: object) -> np.ndarray:
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    assert not image.isNull()
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference per channel (0-255) over the slide's area, leaving out the
    kiosk's own chrome band at the foot (navigation, hint), which `kiosk render` does not draw."""
    assert a.shape == b.shape, (a.shape, b.shape)
    band = int(a.shape[0] * 0.86)
    return float(np.abs(a[:band].astype(np.int16) - b[:band].astype(np.int16)).mean())


def test_session_starts_in_cage_and_shows_the_first_slide(hall: Hall, qapp: object) -> None:
    from PySide6.QtGui import QImage

    with session(hall) as (process, notify):
        notify.wait_for("READY=1", timeout=90)
        notify.wait_for("WATCHDOG=1", timeout=15)
        assert process.poll() is None, session_log(hall)

        first = screenshot(hall, hall.base / "first.png")
        height, width = first.shape[:2]
        renders = hall.base / "renders"
        kiosk = hall.prefix / "venv/bin/kiosk"
        size = f"{width}x{height}"
        run([kiosk, "render", hall.content, "--out", renders, "--size", size])
        expected = _pixels(QImage(str(renders / "01-welcome.png")))
        # The entry animation settles within two seconds: look until the screen matches.
        deadline = time.monotonic() + 10
        diff = difference(first, expected)
        while diff > 4 and time.monotonic() < deadline:
            diff = difference(screenshot(hall, hall.base / "first.png"), expected)
        assert diff <= 4, f"the screen differs from kiosk render by {diff:.1f}; see {hall.base}"

        # systemctl stop: SIGTERM to kiosk-session alone (KillMode=mixed).
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, session_log(hall)
    assert "Traceback" not in session_log(hall), session_log(hall)


def _show_pid(session: subprocess.Popen[str]) -> int:
    """The kiosk's process: the child of cage, the child of kiosk-session."""
    cage = run(["pgrep", "-P", str(session.pid), "-x", "cage"]).stdout.split()[0]
    return int(run(["pgrep", "-P", cage]).stdout.split()[0])


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_staff_exit_through_the_pin_pad_ends_the_session_with_3(hall: Hall) -> None:
    """The right PIN ends the session with exit status 3, which the unit does not restart.

    cage 0.1.4 offers no virtual input device and this machine has no input hardware, so the
    staff's finger and PIN come through cage's Xwayland: the show runs there as an X client
    (KIOSK_QT_PLATFORM=xcb), and xdotool's XTest events reach it through the X server."""
    with session(hall, KIOSK_QT_PLATFORM="xcb") as (process, notify):
        notify.wait_for("READY=1", timeout=90)
        display = _environ(_show_pid(process))["DISPLAY"]

        def xdotool(*args: str) -> None:
            run(hall.as_user("env", f"DISPLAY={display}", "xdotool", *args), timeout=30)

        # A still finger in the top-left corner for the hold time (real time: the product's own
        # rule), then the PIN typed on the pad's keyboard and Enter.
        xdotool("mousemove", "6", "6", "mousedown", "1", "sleep", "5.5", "mouseup", "1")
        xdotool("type", "--delay", "60", PIN)
        xdotool("key", "Return")
        assert process.wait(timeout=20) == 3, session_log(hall)
    assert not (hall.state / "staff-exit").exists()
    assert "Traceback" not in session_log(hall), session_log(hall)
