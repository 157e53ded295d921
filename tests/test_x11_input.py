"""Real input through a real X server: `kiosk run` under Xvfb, driven by xdotool (XTest events).

Qt's own test events (QTest) enter the application above the platform plugin; a hall's touch
screen enters through the X server, the xcb plugin and Qt's event translation. So here the real
`kiosk run` command runs as a subprocess in its own Xvfb, and xdotool presses, drags and types
through the server. What the test asserts is what the kiosk shows the world: its JSON status
file (slide, mode, language; rewritten at the tick after every change) and, where the status
cannot tell (a detail card, the PIN pad), the screen itself, read from the framebuffer Xvfb
keeps in a file (`-fbdir`, XWD format), so no screenshot tool is needed.

Where things are on screen comes from the kiosk's own layout code: a probe window of the same
deck at the same size, offscreen in the test process, answers for the overlay (controls, PIN pad
keys, card) and the slide (its tappable figures).

No fixed sleeps: every wait polls for a state with a deadline; the only real-time wait is the
one the product defines, the staff corner hold (HOLD_S).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import load_deck
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.show.hits import Control, Dot
from kiosk.show.staff import HOLD_S
from kiosk.ui.window import KioskWindow
from tests.helpers.show import BUNDLED

pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 1920, 1080
PIN = "1234"
STAFF_EXIT = 3
"""`kiosk.ui.run.STAFF_EXIT`, spelt out: the test checks the number the service relies on."""
CARD_SLIDE = "at-a-glance"


def _missing() -> str | None:
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install xvfb xdotool)"
    return None


if (_why := _missing()) is not None:
    pytest.skip(_why, allow_module_level=True)


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.03)


# -- the X server and its framebuffer -----------------------------------------------------------


@dataclass
class Frame:
    """One screenshot from Xvfb's framebuffer file: 32-bit pixels, blue-green-red-pad."""

    pixels: bytes
    bytes_per_line: int

    def _rows(self, rect: QRectF) -> Iterator[tuple[bytes, bytes, bytes]]:
        left, right = max(0, int(rect.left())), min(WIDTH, int(rect.right()))
        for y in range(max(0, int(rect.top())), min(HEIGHT, int(rect.bottom()))):
            row = self.pixels[
                y * self.bytes_per_line + left * 4 : y * self.bytes_per_line + right * 4
            ]
            yield row[2::4], row[1::4], row[0::4]

    def brightest(self, rect: QRectF) -> float:
        """The brightest pixel's mean channel in `rect`: text is about 240, dimmed text less."""
        return max(
            (
                max(map(sum, zip(r, g, b, strict=True)), default=0) / 3
                for r, g, b in self._rows(rect)
            ),
            default=0.0,
        )

    def marks(self, rect: QRectF, like: Callable[[int, int, int], bool]) -> tuple[int, int]:
        """(height, number) of the marks of a colour in `rect`: how many rows have some, and
        how many separate runs cross the middle one of those rows."""
        rows = [[like(*px) for px in zip(r, g, b, strict=True)] for r, g, b in self._rows(rect)]
        marked = [row for row in rows if any(row)]
        if not marked:
            return 0, 0
        middle = marked[len(marked) // 2]
        runs = sum(1 for i, on in enumerate(middle) if on and (i == 0 or not middle[i - 1]))
        return len(marked), runs

    def count(self, rect: QRectF, like: Callable[[int, int, int], bool]) -> int:
        return sum(
            sum(1 for px in zip(r, g, b, strict=True) if like(*px)) for r, g, b in self._rows(rect)
        )


def teal(r: int, g: int, b: int) -> bool:
    return r < 110 and g > 130 and b > 120  # the theme's teal #19B3A6


def gold(r: int, g: int, b: int) -> bool:
    return r > 180 and 120 < g < 210 and b < 140  # the theme's gold #E8B04A


class Display:
    """An Xvfb server on a free display number, its framebuffer readable as a file."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.fb = folder / "Xvfb_screen0"
        read, write = os.pipe()
        log = (folder / "xvfb.log").open("w")
        # -displayfd: the server picks a free display number and writes it to the pipe;
        # -fbdir: it keeps the screen in a file, an XWD image we read as screenshots.
        args = f"-displayfd {write} -screen 0 {WIDTH}x{HEIGHT}x24 -nolisten tcp -fbdir {folder}"
        self.process = subprocess.Popen(
            ["Xvfb", *args.split()],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        os.close(write)
        log.close()  # the server has its own copy
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError(f"Xvfb did not start: {(folder / 'xvfb.log').read_text()}")
        self.name = f":{number}"

    def frame(self) -> Frame:
        data = self.fb.read_bytes()
        header = struct.unpack(">25I", data[:100])
        size, depth, width, height = header[0], header[3], header[4], header[5]
        bits, bytes_per_line, colours = header[11], header[12], header[19]
        assert (depth, bits, width, height) == (24, 32, WIDTH, HEIGHT), header
        start = size + 12 * colours
        return Frame(data[start : start + bytes_per_line * height], bytes_per_line)

    def frame_digest(self) -> str:
        return hashlib.blake2b(self.frame().pixels, digest_size=16).hexdigest()

    def save_png(self, path: Path) -> Path:
        """The screen as a PNG, for a person reading a failure."""
        frame = self.frame()
        image = QImage(
            frame.pixels, WIDTH, HEIGHT, frame.bytes_per_line, QImage.Format.Format_RGB32
        )
        image.save(str(path))
        return path

    def xdotool(self, *args: object, check: bool = True) -> str:
        result = subprocess.run(
            ["xdotool", *map(str, args)],
            env={**os.environ, "DISPLAY": self.name},
            capture_output=True,
            text=True,
            timeout=30,
            check=check,
        )
        return result.stdout

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Display]:
    server = Display(tmp_path_factory.mktemp("xvfb"))
    try:
        yield server
    finally:
        server.stop()


# -- the kiosk under test ------------------------------------------------------------------------


class Kiosk:
    """`kiosk run --kiosk` on the display, with its status file and a way to touch it."""

    def __init__(self, display: Display, tmp: Path, *options: str) -> None:
        self.display = display
        self.content = tmp / "content"
        shutil.copytree(BUNDLED, self.content)
        self.status_file = tmp / "status.json"
        self.state = tmp / "state"
        home = tmp / "home"
        self.tmp = tmp
        pin_hash = subprocess.run(
            [sys.executable, "-m", "kiosk", "pin", "--pin", PIN],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        ).stdout.strip()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("QT_", "WAYLAND", "KIOSK_", "NOTIFY_", "XDG_"))
        }
        env |= {
            "QT_QPA_PLATFORM": "xcb",
            "DISPLAY": display.name,
            "HOME": str(home),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_RUNTIME_DIR": str(tmp),
            "STATE_DIRECTORY": str(self.state),  # where a staff exit leaves its mark
        }
        self.state.mkdir()
        self.log = tmp / "kiosk.log"
        log = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "run",
                str(self.content),
                "--kiosk",
                "--pin-hash",
                pin_hash,
                "--status-file",
                str(self.status_file),
                "--no-analytics",
                *options,
            ],
            env=env,
            cwd=tmp,  # outside the checkout, as in a hall
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()  # the kiosk has its own copy
        self.window: str = self.wait(self._find_window, 30, "the kiosk's window")
        # Full screen without a window manager: the window itself must cover the screen.
        self.wait(self._covers_screen, 10, "the window to cover the screen")
        self.wait(self.status, 20, "the first status file")

    def _covers_screen(self) -> bool:
        geometry = self.display.xdotool("getwindowgeometry", self.window)
        return "Position: 0,0" in geometry and f"Geometry: {WIDTH}x{HEIGHT}" in geometry

    def _find_window(self) -> str | None:
        self._check_running()
        found = self.display.xdotool(
            "search", "--onlyvisible", "--pid", self.process.pid, check=False
        ).split()
        return found[0] if found else None

    def wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        """`wait_until`, with the screen saved and the kiosk's log shown when it times out."""
        try:
            return wait_until(predicate, timeout, what)
        except pytest.fail.Exception as exc:
            failure = str(exc)
        shot = self.display.save_png(self.tmp / "timeout.png")
        log = self.log.read_text(errors="replace")[-3000:]
        pytest.fail(f"{failure}\nthe screen: {shot}\nthe kiosk's log:\n{log}")

    def status(self) -> dict[str, Any] | None:
        """The kiosk's status file as it is now (None before its first write)."""
        self._check_running()
        try:
            return json.loads(self.status_file.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None  # not written yet (the writer replaces it atomically)

    def wait_status(self, timeout: float = 5, **expected: object) -> dict[str, Any]:
        def matches() -> dict[str, Any] | None:
            status = self.status()
            if status and all(status.get(k) == v for k, v in expected.items()):
                return status
            return None

        return self.wait(matches, timeout, f"status {expected}")  # type: ignore[no-any-return]

    def _check_running(self) -> None:
        if self.process.poll() is not None and self.process.returncode != STAFF_EXIT:
            pytest.fail(f"the kiosk exited with {self.process.returncode}:\n{self.log.read_text()}")

    # -- input through the X server --------------------------------------------------------------

    def tap(self, point: QPointF) -> None:
        self.display.xdotool("mousemove", round(point.x()), round(point.y()), "click", "1")

    def drag(self, start: QPointF, end: QPointF, steps: int = 12) -> None:
        """A one-finger swipe: press, move in steps (about 0.25 s in all), lift."""
        moves: list[object] = []
        for i in range(1, steps + 1):
            x = start.x() + (end.x() - start.x()) * i / steps
            y = start.y() + (end.y() - start.y()) * i / steps
            moves += ["mousemove", round(x), round(y), "sleep", 0.02]
        self.display.xdotool(
            "mousemove",
            round(start.x()),
            round(start.y()),
            "mousedown",
            "1",
            *moves,
            "mouseup",
            "1",
        )

    def keys(self, *names: str) -> None:
        """Keys typed on a keyboard, as XTest events to the focused window."""
        self.display.xdotool("windowfocus", "--sync", self.window)
        self.display.xdotool("key", "--delay", "30", *names)

    def still(self, timeout: float = 8) -> None:
        """Wait until the screen stops changing (a transition and its entry animation ended)."""
        last: list[str] = []

        def settled() -> bool:
            last.append(self.display.frame_digest())
            return len(last) > 2 and last[-1] == last[-2] == last[-3]

        self.wait(settled, timeout, "the screen to settle")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def kiosk(display: Display, tmp_path: Path) -> Iterator[Kiosk]:
    running = Kiosk(display, tmp_path)
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Layout:
    """Where the kiosk draws things at WIDTH x HEIGHT, from its own layout code."""

    controls: dict[Control | Dot, QRectF]
    pin_keys: dict[str, QRectF]
    pin_status: QRectF
    pin_dots: QRectF
    staff_corner: QRectF
    empty: QPointF
    """A point on the first slide that is neither a control nor a figure."""
    card_slide: int
    figure: QRectF
    card: QRectF
    card_close: QRectF


@pytest.fixture
def layout(qtbot: QtBot) -> Iterator[Layout]:
    deck = load_deck(BUNDLED)
    clock = ManualClock(1000.0)
    probe = KioskWindow(ContentSource.of(deck), clock=clock)
    qtbot.addWidget(probe)
    probe.resize(WIDTH, HEIGHT)
    probe.show()
    try:
        overlay = probe.overlay
        empty = QPointF(WIDTH / 2, HEIGHT * 0.4)
        assert overlay.control_at(empty.x(), empty.y()) is None
        assert probe.target_at(empty.x(), empty.y()) is None
        index = deck.index_of(CARD_SLIDE)
        assert index is not None
        probe.show_state.go(index, clock())
        for _ in range(4):  # through the transition and the entry animation
            clock.now += 2
            probe.tick()
        figure = probe.stage.view.hit_targets()[0]
        probe.visitor.card = figure
        yield Layout(
            controls={c.key: c.rect for c in overlay.controls()},
            pin_keys={k.key.key: k.rect for k in overlay.pin_keys()},
            pin_status=overlay.pin_status_rect(),
            pin_dots=overlay.pin_dots_rect(),
            staff_corner=overlay.staff_corner(),
            empty=empty,
            card_slide=index,
            figure=figure.rect,
            card=overlay.card_rect(),
            card_close=overlay.card_close_rect(),
        )
    finally:
        probe.timer.stop()


# -- what the screen shows -----------------------------------------------------------------------
# Anything drawn over the show dims it: the language control's bright label (about 240) drops
# to about 100 under a card's veil and to about 50 under the PIN pad's.


def covered(kiosk: Kiosk, layout: Layout) -> bool:
    return kiosk.display.frame().brightest(layout.controls["lang"]) < 170


def card_open(kiosk: Kiosk, layout: Layout) -> bool:
    frame = kiosk.display.frame()
    return (
        frame.brightest(layout.controls["lang"]) < 170 and frame.brightest(layout.card_close) > 200
    )


def nothing_open(kiosk: Kiosk, layout: Layout) -> bool:
    return not covered(kiosk, layout)


def pad_open(kiosk: Kiosk, layout: Layout) -> bool:
    frame = kiosk.display.frame()
    return (
        frame.brightest(layout.controls["lang"]) < 80
        and frame.brightest(layout.pin_keys["ok"]) > 200
    )


def digits_shown(kiosk: Kiosk, layout: Layout) -> int:
    """How many dots the pad shows: teal round marks; a thin dash when it has no digits."""
    height, dots = kiosk.display.frame().marks(layout.pin_dots, teal)
    return dots if height > layout.pin_dots.height() / 4 else 0


def center(rect: QRectF) -> QPointF:
    return rect.center()


# -- the tests -----------------------------------------------------------------------------------


def test_visitor_touches_swipes_language_and_cards(kiosk: Kiosk, layout: Layout) -> None:
    kiosk.wait_status(mode="attract", slide_index=0)
    kiosk.tap(layout.empty)  # the first touch leaves the loop, and does nothing else
    start = kiosk.wait_status(mode="visitor")["slide_index"]
    count = sum(1 for key in layout.controls if isinstance(key, Dot))

    kiosk.drag(QPointF(1500, 500), QPointF(700, 520))  # finger to the left: the next slide
    kiosk.wait_status(slide_index=(start + 1) % count)
    kiosk.drag(QPointF(500, 500), QPointF(1300, 480))  # to the right: back
    kiosk.wait_status(slide_index=start)

    kiosk.tap(center(layout.controls["lang"]))
    kiosk.wait_status(language="en")
    kiosk.tap(center(layout.controls["lang"]))
    kiosk.wait_status(language="zh")

    # A card opened and closed by its button.
    slide = layout.card_slide
    kiosk.tap(center(layout.controls[Dot(slide)]))
    kiosk.wait_status(slide_index=slide)
    kiosk.still()
    assert nothing_open(kiosk, layout)
    kiosk.tap(center(layout.figure))
    kiosk.wait(lambda: card_open(kiosk, layout), 5, "the card to open")
    kiosk.tap(center(layout.card_close))
    kiosk.wait(lambda: nothing_open(kiosk, layout), 5, "the card to close")
    assert kiosk.wait_status()["slide_index"] == slide

    # A swipe on an open card only closes it, in either direction. The tap on "next" (or
    # "previous") that follows lands one slide away only if the swipe did not move as well.
    for direction, after in (("next", slide + 1), ("prev", slide - 1)):
        kiosk.still()
        kiosk.tap(center(layout.figure))
        kiosk.wait(lambda: card_open(kiosk, layout), 5, "the card to open")
        if direction == "next":
            kiosk.drag(QPointF(1600, 300), QPointF(500, 320))
        else:
            kiosk.drag(QPointF(400, 300), QPointF(1500, 320))
        kiosk.wait(lambda: nothing_open(kiosk, layout), 5, "the swipe to close the card")
        kiosk.tap(center(layout.controls[direction]))
        kiosk.wait_status(slide_index=after % count)
        if direction == "next":
            kiosk.tap(center(layout.controls["prev"]))  # back to the card's slide
            kiosk.wait_status(slide_index=slide)
    assert kiosk.process.poll() is None


def test_staff_corner_hold_pin_pad_and_exit(kiosk: Kiosk, layout: Layout) -> None:
    kiosk.wait_status()
    corner = layout.staff_corner.center()
    # A still press in the top-left corner: the pad opens after HOLD_S, not before.
    kiosk.display.xdotool("mousemove", round(corner.x()), round(corner.y()), "mousedown", "1")
    pressed = time.monotonic()
    kiosk.wait(lambda: pad_open(kiosk, layout), HOLD_S + 5, "the PIN pad")
    held = time.monotonic() - pressed
    kiosk.display.xdotool("mouseup", "1")
    assert held >= HOLD_S - 0.3, f"the pad opened after {held:.1f} s"
    before = kiosk.wait_status(mode="visitor")

    # Nothing typed or swiped reaches the show behind the pad; digits typed are PIN digits.
    kiosk.drag(QPointF(1700, 540), QPointF(900, 540))
    kiosk.drag(QPointF(300, 540), QPointF(1100, 540))
    kiosk.keys("Right", "space", "l", "Home", "Page_Down", "Left", "0", "7")
    kiosk.wait(lambda: digits_shown(kiosk, layout) == 2, 5, "two digits on the pad")
    status = kiosk.wait_status()
    assert (status["slide_index"], status["language"]) == (
        before["slide_index"],
        before["language"],
    )
    assert pad_open(kiosk, layout)

    # A wrong PIN is refused: the pad says so and stays.
    for key in ["clear", *"9999", "ok"]:
        kiosk.tap(center(layout.pin_keys[key]))
    kiosk.wait(lambda: kiosk.display.frame().count(layout.pin_status, gold) > 50, 5, "'wrong PIN'")
    assert kiosk.process.poll() is None
    assert pad_open(kiosk, layout)

    # The right one, half typed and half tapped, is the staff exit.
    kiosk.keys(*PIN[:2])
    kiosk.wait(lambda: digits_shown(kiosk, layout) == 2, 5, "two digits on the pad")
    for key in [*PIN[2:], "ok"]:
        kiosk.tap(center(layout.pin_keys[key]))
    assert kiosk.process.wait(timeout=10) == STAFF_EXIT
    assert (kiosk.state / "staff-exit").exists()
    final = kiosk.status()
    assert final is not None
    assert (final["slide_index"], final["language"]) == (before["slide_index"], before["language"])


def test_listen_larger_text_and_contrast_through_the_x_server(
    display: Display, tmp_path: Path, layout: Layout
) -> None:
    """The visitor's access controls in the real kiosk: its narration made by espeak-ng in the
    background and played by a child process. There is no sound card here, and ALSA's null
    device swallows a file at once, so the player is a stand-in sound card that takes as long
    as the WAV file it is given lasts (and checks that it is one)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    player = tmp_path / "card.py"
    player.write_text(PACED_PLAYER, encoding="utf-8")
    config = tmp_path / "kiosk.yaml"
    config.write_text(
        f"content: {BUNDLED}\nnarration:\n  player: [{sys.executable}, {player}, '{{file}}']\n",
        encoding="utf-8",
    )
    kiosk = Kiosk(display, tmp_path, "--config", str(config))
    try:
        kiosk.wait_status(mode="attract", narration="preparing")
        # The loop says nothing by itself; the audio is made ahead of time, then a tap plays it.
        kiosk.wait(lambda: kiosk.wait_status()["narration"] == "ready", 120, "the audio")
        kiosk.tap(center(layout.controls[Control.LISTEN]))
        kiosk.wait_status(mode="visitor", narration="speaking")
        assert _children(kiosk.process.pid, player.name), "no player while speaking"
        kiosk.tap(center(layout.controls[Control.LISTEN]))  # a second tap stops it
        kiosk.wait_status(narration="ready")
        kiosk.wait(lambda: not _children(kiosk.process.pid, player.name), 5, "the player to end")
        # Speaking again, then a slide change stops it.
        kiosk.tap(center(layout.controls[Control.LISTEN]))
        kiosk.wait_status(narration="speaking")
        kiosk.tap(center(layout.controls["next"]))
        kiosk.wait_status(narration="ready")
        kiosk.tap(center(layout.controls[Control.LARGER]))
        kiosk.wait_status(access={"larger": True, "contrast": False})
        kiosk.tap(center(layout.controls[Control.CONTRAST]))
        kiosk.wait_status(access={"larger": True, "contrast": True})
        kiosk.still()
        # The high-contrast theme's near-black background where the rivers' blue was.
        assert kiosk.display.frame().brightest(QRectF(WIDTH / 2, 16, 4, 4)) < 16  # the margin
        assert kiosk.process.poll() is None
    finally:
        kiosk.stop()


PACED_PLAYER = """
import sys, time, wave
with wave.open(sys.argv[1]) as audio:
    seconds = audio.getnframes() / audio.getframerate()
assert seconds > 0.5, seconds
time.sleep(seconds)
"""
"""A sound card that plays to nowhere in real time: it lasts as long as its WAV file."""


def _children(pid: int, script: str) -> list[int]:
    """The child processes of `pid` whose command line names `script` (from /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and any(arg.endswith(script.encode()) for arg in cmdline):
            found.append(int(proc.name))
    return found
