"""The screen on request: a small recent picture of what the kiosk shows, kept atomically in its
state folder every minute and on SIGUSR1, and shown by `kiosk status`."""

from __future__ import annotations

import io
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import load_deck
from kiosk.ops.fleet import status_main
from kiosk.ops.notices import NOTICES
from kiosk.ops.status import screenshot_line
from kiosk.show.clock import ManualClock
from kiosk.ui import screenshot
from kiosk.ui.harness import Harness
from kiosk.ui.telemetry import SCREENSHOT_EVERY_S, Telemetry
from tests.helpers.running import RunningKiosk, wait_for
from tests.helpers.show import write_show

WALL = 1_780_000_000.0


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    h = Harness.open(load_deck(write_show(tmp_path / "show")), clock=ManualClock())
    try:
        yield h
    finally:
        h.close()


def image(path: Path) -> QImage:
    picture = QImage()
    assert picture.loadFromData(path.read_bytes(), "JPEG"), path
    return picture


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), (640, 360)),
        ((1080, 1920), (360, 640)),
        ((3840, 2160), (640, 360)),
        ((600, 400), (600, 400)),
    ],
)
def test_the_picture_is_bounded(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    h = Harness.open(load_deck(write_show(tmp_path / "show")), size=size, clock=ManualClock())
    try:
        path = tmp_path / "state" / screenshot.SCREENSHOT_NAME
        written = screenshot.write_screenshot(h.window, path)
    finally:
        h.close()
    picture = image(path)
    assert (picture.width(), picture.height()) == expected
    assert written == path.stat().st_size < 150_000
    assert path.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert path.stat().st_mode & 0o777 == 0o644


def test_the_picture_is_what_the_window_shows(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "screen.jpg"
    screenshot.write_screenshot(harness.window, path)
    picture = image(path)
    expected = harness.window.grab().toImage().scaled(picture.size())
    # The deck's background, where no slide draws: the corner pixel, give or take JPEG.
    got, want = picture.pixelColor(2, 2), expected.pixelColor(2, 2)
    assert abs(got.red() - want.red()) + abs(got.green() - want.green()) < 24
    assert abs(got.blue() - want.blue()) < 24


def test_the_picture_is_replaced_whole(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "screen.jpg"
    screenshot.write_screenshot(harness.window, path)
    inode, before = path.stat().st_ino, path.read_bytes()
    screenshot.write_screenshot(harness.window, path)
    assert path.stat().st_ino != inode  # renamed over, never rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screen.jpg", "show"]

    def full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space"):
        screenshot.write_screenshot(harness.window, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screen.jpg", "show"]
    assert len(path.read_bytes()) == len(before)


def test_sigusr1_takes_one_at_the_loops_next_turn(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "state" / "screen.jpg"
    telemetry = Telemetry(harness.window, screenshot_file=path, wall=lambda: WALL)
    restore = telemetry.install_sigusr1()
    try:
        assert telemetry.screenshot_timer.interval() == SCREENSHOT_EVERY_S * 1000
        os.kill(os.getpid(), signal.SIGUSR1)
        os.kill(os.getpid(), signal.SIGUSR1)  # two requests before the loop turns: one picture
        assert not path.exists()  # never taken inside the handler (it may interrupt a paint)
        QCoreApplication.processEvents()
        assert path.is_file()
    finally:
        restore()
        telemetry.stop()
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL
    assert harness.window.status()["screenshot"] == {"path": str(path), "at": WALL}
    assert "kiosk_screenshot_timestamp_seconds 1780000000\n" in telemetry.metrics_text()


def test_a_folder_that_cannot_be_written_is_an_operations_notice(
    harness: Harness, tmp_path: Path
) -> None:
    NOTICES.reset()
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be")
    path = blocker / "screen.jpg"
    telemetry = Telemetry(harness.window, screenshot_file=path)
    try:
        telemetry.take_screenshot()  # no exception: the show goes on
        assert NOTICES.current() == [f"cannot write the screenshot {path}: Not a directory"]
        assert "screenshot" not in harness.window.status()
    finally:
        telemetry.stop()
        NOTICES.reset()


# -- kiosk status ----------------------------------------------------------------------------


def test_kiosk_status_shows_its_age_and_path(tmp_path: Path) -> None:
    shot = tmp_path / "screen.jpg"
    shot.write_bytes(b"\xff\xd8\xff")
    os.utime(shot, (WALL - 42, WALL - 42))
    status = {"mode": "attract", "screenshot": {"path": str(shot), "at": WALL - 100}}
    # The file on this machine: its own age.
    assert screenshot_line(status, WALL) == f"screenshot 42s old: {shot}"
    # A status file gathered from another kiosk: the age it wrote.
    far = {"screenshot": {"path": "/var/lib/liangjiang-kiosk/screen.jpg", "at": WALL - 200}}
    assert screenshot_line(far, WALL) == (
        "screenshot 3m 20s old: /var/lib/liangjiang-kiosk/screen.jpg"
    )
    assert screenshot_line({"screenshot": {"path": "/x", "at": "soon"}}, WALL) == (
        "screenshot (age unknown): /x"
    )
    assert screenshot_line({"screenshot": "nonsense"}, WALL) is None
    assert screenshot_line({}, WALL) is None

    status_file = tmp_path / "status.json"
    status_file.write_text(json.dumps(status))
    os.utime(status_file, (WALL - 1, WALL - 1))
    out = io.StringIO()
    assert status_main([status_file], False, now=WALL, out=out) == 0
    assert out.getvalue().splitlines()[-1] == f"{status_file}: screenshot 42s old: {shot}"


def test_a_running_kiosk_keeps_one_beside_its_status_file(tmp_path: Path) -> None:
    kiosk = RunningKiosk(tmp_path, write_show(tmp_path / "content"))
    try:
        kiosk.wait_running()
        shot = kiosk.status_file.with_name("screen.jpg")
        wait_for("the first screenshot", shot.exists)  # a second after the start
        wait_for("the status to name it", lambda: "screenshot" in kiosk.status())
        first = shot.stat().st_mtime_ns
        kiosk.process.send_signal(signal.SIGUSR1)
        wait_for("a new screenshot", lambda: shot.stat().st_mtime_ns != first)
        assert kiosk.status()["screenshot"]["path"] == str(shot)
        code, _ = kiosk.stop(signal.SIGTERM)
    finally:
        kiosk.close()
    assert code == 0, kiosk.stderr()
    picture = image(shot)
    assert (picture.width(), picture.height()) == (640, 360)


def test_the_minute_s_picture_waits_for_a_transition_to_end(
    harness: Harness, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "screen.jpg"
    telemetry = Telemetry(harness.window, screenshot_file=path)
    try:
        harness.wait(10.0)  # the loop's first change: a transition starts
        assert harness.window.stage.transition is not None
        telemetry._periodic_screenshot()
        assert not path.exists()
        harness.wait(2.0)  # the transition ends
        assert harness.window.stage.transition is None
        qtbot.waitUntil(path.exists, timeout=5000)
    finally:
        telemetry.stop()


def test_a_dark_screen_is_pictured_once_not_every_minute(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "screen.jpg"
    telemetry = Telemetry(harness.window, screenshot_file=path)
    try:
        harness.window.dark = True  # outside opening hours: the screen sleeps, black
        telemetry._periodic_screenshot()
        assert path.exists()
        path.unlink()
        telemetry._periodic_screenshot()
        assert not path.exists(), "the unchanging dark screen was painted again for a picture"
        harness.window.dark = False  # the morning: pictures every minute again
        telemetry._periodic_screenshot()
        assert path.exists()
    finally:
        telemetry.stop()
