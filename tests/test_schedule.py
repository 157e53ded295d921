"""Opening hours: kiosk.yaml's schedule checked, `kiosk schedule` printed, the window asleep and
awake exactly when it says (a simulated week in milliseconds), display power off the UI thread."""

from __future__ import annotations

import re
import subprocess
import sys
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.cli import main
from kiosk.content.loader import Deck, load_deck
from kiosk.content.problems import ContentError
from kiosk.ops.config import load_config
from kiosk.ops.display import DisplaySettings
from kiosk.ops.notices import Notices
from kiosk.ops.power import COMMANDS, Command, DisplayPower, resolve_method, run_command
from kiosk.ops.schedule import Schedule, Sleeper, Timetable, format_schedule
from kiosk.show.clock import ManualClock, ManualWallClock
from kiosk.show.show import Mode
from kiosk.ui.harness import Harness, touch_device
from tests.helpers.show import write_show

BERLIN = """\
content: /srv/show
schedule:
  timezone: Europe/Berlin
  wake_before: 10
  hours:
    monday: closed
    tuesday: 09:00-17:00
    wednesday: 09:00-17:00
    thursday: [09:00-12:00, 12:05-17:00]
    friday: 09:00-17:00
    saturday: 10:00-18:00
    sunday: 10:00-18:00
  exceptions:
    2026-03-27: {hours: 09:00-22:00, note: Museum night}
    2026-04-03: {hours: closed, note: Good Friday}
"""

BERLIN_WEEK = """\
kiosk.yaml: times in Europe/Berlin; the screen wakes 10 minutes before opening; outside opening \
hours a touch does not wake it; display power: auto
Thu 2026-03-26
  08:50  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  12:00  close (the screen stays on: it opens again soon)
  12:05  open
  17:00  close: screen off
Fri 2026-03-27  exception: Museum night
  08:50  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  22:00  close: screen off
Sat 2026-03-28
  09:50  wake: screen on, content reloaded, the loop from its first slide
  10:00  open
  18:00  close: screen off
Sun 2026-03-29  clocks change from CET to CEST
  09:50  wake: screen on, content reloaded, the loop from its first slide
  10:00  open
  18:00  close: screen off
Mon 2026-03-30  closed; screen off all day
Tue 2026-03-31
  08:50  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  17:00  close: screen off
Wed 2026-04-01
  08:50  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  17:00  close: screen off
Thu 2026-04-02
  08:50  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  12:00  close (the screen stays on: it opens again soon)
  12:05  open
  17:00  close: screen off
Fri 2026-04-03  closed (exception: Good Friday); screen off all day
"""

SHANGHAI = """\
content: /srv/show
schedule:
  timezone: Asia/Shanghai
  wake_before: 15
  touch_wakes: true
  touch_awake: 3
  display_power: black
  hours:
    monday: closed
    tuesday: [09:00-12:00, 13:30-17:00]
    wednesday: 09:00-17:00
    thursday: 09:00-17:00
    friday: 09:00-17:00
    saturday: 09:00-24:00
    sunday: [00:00-01:00, 09:00-18:00]
  exceptions:
    2026-10-01: {hours: closed, note: National Day}
    2026-10-02: closed
    2026-10-05: 09:00-17:00
"""

SHANGHAI_WEEK = """\
kiosk.yaml: times in Asia/Shanghai; the screen wakes 15 minutes before opening; outside opening \
hours a touch wakes it for 3 minutes; display power: black
Tue 2026-09-29
  08:45  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  12:00  close: screen off
  13:15  wake: screen on, content reloaded, the loop from its first slide
  13:30  open
  17:00  close: screen off
Wed 2026-09-30
  08:45  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  17:00  close: screen off
Thu 2026-10-01  closed (exception: National Day); screen off all day
Fri 2026-10-02  closed (exception); screen off all day
Sat 2026-10-03
  08:45  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
Sun 2026-10-04
  01:00  close: screen off
  08:45  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  18:00  close: screen off
Mon 2026-10-05  exception
  08:45  wake: screen on, content reloaded, the loop from its first slide
  09:00  open
  17:00  close: screen off
"""


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _schedule(tmp_path: Path, text: str) -> Schedule:
    schedule = load_config(_config(tmp_path, text)).schedule
    assert schedule is not None
    return schedule


# -- the configuration ----------------------------------------------------------------------

BAD = """\
content: /srv/show
schedule:
  timezone: Asia/Shangai
  wake_before: 300
  hours:
    tuesday: [09:00-12:00, 11:00-17:00]
    wednesday: 9-17
    thursday: 17:00-09:00
    friday: 09:00-24:30
    satday: closed
  exceptions:
    2026-13-01: closed
    2026-10-02: {hours: 09:00-17:00, nots: Museum night}
  display_power: hdmi
  touch_wakes: sometimes
"""


def test_schedule_mistakes_are_located(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_config(_config(tmp_path, BAD))
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        'schedule.timezone: unknown time zone "Asia/Shangai"; did you mean Asia/Shanghai?',
        "schedule.wake_before: must be at most 240, got 300",
        "schedule.hours.tuesday: the ranges 09:00-12:00 and 11:00-17:00 overlap",
        'schedule.hours.wednesday[0]: expected a range of hours like 09:00-17:00, got "9-17"',
        'schedule.hours.thursday[0]: "17:00-09:00" ends before it starts; past midnight, write '
        "two ranges (until 24:00, and from 00:00 on the next day)",
        'schedule.hours.friday[0]: "09:00-24:30" is not a time of day (00:00 to 24:00)',
        'schedule.hours.satday: unknown key "satday"; did you mean "saturday"?',
        'schedule.exceptions.2026-13-01: expected a date like 2026-10-01, got "2026-13-01"',
        'schedule.exceptions.2026-10-02.nots: unknown key "nots"; did you mean "note"?',
        'schedule.display_power: expected one of auto, wlopm, cec, black, none, got "hdmi"',
        'schedule.touch_wakes: expected true or false, got "sometimes"',
    ]
    places = [str(p).split(": ", 1)[0].split(":", 1)[1] for p in caught.value.problems]
    assert places[:4] == ["3:13", "4:16", "6:14", "7:16"]


def test_no_schedule_is_always_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _config(tmp_path, "content: /srv/show\n")
    assert load_config(path).schedule is None
    assert main(["schedule", "--config", str(path), "--from", "2026-10-01", "--days", "2"]) == 0
    assert capsys.readouterr().out == (
        f"{path}: no schedule: the kiosk is open around the clock, its screen always on\n"
    )


def test_kiosk_schedule_reads_the_kiosk_s_own_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without --config, the file the kiosk itself reads: $KIOSK_CONFIG, as `kiosk pin` does.
    path = _config(tmp_path, "content: /srv/show\n")
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    assert main(["schedule", "--from", "2026-10-01", "--days", "2"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: no schedule")


def test_the_checker_accepts_a_schedule(tmp_path: Path) -> None:
    path = _config(tmp_path, SHANGHAI)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.ops.config", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}: valid (content /srv/show)\n"


# -- what `kiosk schedule` prints -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "days", "printed"),
    [(BERLIN, "2026-03-26", "9", BERLIN_WEEK), (SHANGHAI, "2026-09-29", "7", SHANGHAI_WEEK)],
    ids=["berlin-summer-time", "shanghai-golden-week"],
)
def test_kiosk_schedule_prints_the_week(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    start: str,
    days: str,
    printed: str,
) -> None:
    _config(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert main(["schedule", "--config", "kiosk.yaml", "--from", start, "--days", days]) == 0
    assert capsys.readouterr().out == printed


def test_kiosk_schedule_refuses_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, "content: /srv/show\nschedule: {timezone: Mars/Olympus, hours: {}}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["schedule", "--config", "kiosk.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith('kiosk.yaml:2:22: schedule.timezone: unknown time zone "Mars/Olympus"')
    assert err.endswith("kiosk.yaml: not valid; fix the errors above\n")


def test_summer_time_moves_the_hours_with_the_clocks(tmp_path: Path) -> None:
    table = Timetable(_schedule(tmp_path, BERLIN))
    opens = [a for a, _ in table.open_intervals(date(2026, 3, 28), date(2026, 3, 30))]
    # 10:00 in Berlin: 09:00 UTC in winter time, 08:00 UTC in summer time.
    assert opens == [datetime(2026, 3, 28, 9, tzinfo=UTC), datetime(2026, 3, 29, 8, tzinfo=UTC)]
    # The autumn change: 10:00 is 08:00 UTC on Saturday, 09:00 UTC on Sunday.
    autumn = [a for a, _ in table.open_intervals(date(2026, 10, 24), date(2026, 10, 26))]
    assert [a.hour for a in autumn] == [8, 9]


# -- the sleeper's rules --------------------------------------------------------------------


def _at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def test_a_touch_after_hours_wakes_for_a_while(tmp_path: Path) -> None:
    sleeper = Sleeper(_schedule(tmp_path, SHANGHAI))
    night = _at("Asia/Shanghai", 2026, 9, 30, 20, 0)
    assert sleeper.update(night, 0.0) == "sleep"
    assert sleeper.touched(night, 0.0) is True
    assert sleeper.state(night) == "after hours"
    assert sleeper.update(night + timedelta(minutes=2), 120.0) is None
    sleeper.touched(night + timedelta(minutes=2), 120.0)  # a touch keeps it on
    assert sleeper.update(night + timedelta(minutes=4.9), 294.0) is None
    assert sleeper.update(night + timedelta(minutes=5), 300.0) == "sleep"
    assert sleeper.state(night) == "asleep"


def test_a_touch_after_hours_does_nothing_unless_configured(tmp_path: Path) -> None:
    sleeper = Sleeper(_schedule(tmp_path, BERLIN))
    night = _at("Europe/Berlin", 2026, 3, 26, 23, 0)
    assert sleeper.update(night, 0.0) == "sleep"
    assert sleeper.touched(night, 0.0) is False
    assert sleeper.update(night, 1.0) is None
    # In opening hours a sleeping screen wakes at once (before the next tick would).
    sleeper.asleep = True
    day = _at("Europe/Berlin", 2026, 3, 26, 10, 0)
    assert sleeper.touched(day, 2.0) is True
    assert sleeper.state(day) == "open"


# -- display power --------------------------------------------------------------------------


def test_auto_is_wlopm_only_under_a_compositor_that_has_it() -> None:
    def have(name: str) -> str | None:
        return f"/usr/bin/{name}"

    def lack(name: str) -> str | None:
        return None

    assert resolve_method("auto", {"WAYLAND_DISPLAY": "wayland-0"}, have) == "wlopm"
    assert resolve_method("auto", {}, have) == "black"
    assert resolve_method("auto", {"WAYLAND_DISPLAY": "wayland-0"}, lack) == "black"
    assert resolve_method("none", {}, have) == "black"
    assert resolve_method("cec", {}, lack) == "cec"


def test_power_commands_and_their_failures_become_notices() -> None:
    ran: list[Command] = []
    answers = iter([None, "cec-client is not installed", "cec-client failed (exit status 1)"])

    def runner(command: Command) -> str | None:
        ran.append(command)
        return next(answers)

    jobs: list[object] = []

    def submit(job: object) -> None:
        jobs.append(job)  # run later, as a thread would: the caller does not wait

    notices = Notices()
    power = DisplayPower("cec", runner=runner, submit=submit, notices=notices)
    power.off()
    assert ran == []
    assert len(jobs) == 1
    for job in jobs:
        job()  # type: ignore[operator]
    power.on()
    jobs[-1]()  # type: ignore[operator]
    assert notices.current() == [
        "cannot switch the display on with cec: cec-client is not installed "
        "(Debian package cec-utils)"
    ]
    power.off()
    jobs[-1]()  # type: ignore[operator]
    assert notices.current() == [
        "cannot switch the display off with cec: cec-client failed (exit status 1)"
    ]
    assert ran == [COMMANDS["cec"]["off"], COMMANDS["cec"]["on"], COMMANDS["cec"]["off"]]
    assert COMMANDS["cec"]["off"] == Command(("cec-client", "-s", "-d", "1"), "standby 0\n")
    assert COMMANDS["wlopm"]["off"].argv == ("wlopm", "--off", "*")


def test_a_power_command_is_bounded_and_never_raises(tmp_path: Path) -> None:
    assert run_command(Command((sys.executable, "-c", "pass"))) is None
    hang = Command((sys.executable, "-c", "import time; time.sleep(30)"))
    assert run_command(hang, timeout=0.2) == f"{sys.executable} did not finish within 0.2 s"
    fail = Command((sys.executable, "-c", "import sys; sys.exit('no output named *')"))
    assert run_command(fail) == f"{sys.executable} failed (exit status 1): no output named *"
    assert run_command(Command((str(tmp_path / "wlopm"), "--off", "*"))) == (
        f"{tmp_path / 'wlopm'} is not installed"
    )


def test_black_runs_no_command() -> None:
    jobs: list[object] = []
    power = DisplayPower("black", submit=jobs.append)
    power.off()
    power.on()
    assert jobs == []
    assert power.state == "on"


# -- the window: a simulated week -----------------------------------------------------------


class RecordingPower(DisplayPower):
    """The power backend with its commands recorded at once instead of run."""

    def __init__(self) -> None:
        super().__init__("wlopm", runner=self._record, submit=lambda job: job())
        self.ran: list[str] = []

    def _record(self, command: Command) -> str | None:
        self.ran.append(command.argv[1].removeprefix("--"))
        return None


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return load_deck(write_show(tmp_path / "show"))


def _open(deck: Deck, schedule: Schedule, start: datetime) -> tuple[Harness, RecordingPower]:
    clock = ManualClock(0.0)
    power = RecordingPower()
    h = Harness.open(
        deck,
        size=(320, 180),
        clock=clock,
        display=DisplaySettings(schedule=schedule),
        wall_clock=ManualWallClock(clock, start),
        power=power,
    )
    return h, power


def _printed_switches(text: str) -> list[str]:
    """The screen's switches `kiosk schedule` printed, as `2026-03-26 08:50 wake`."""
    found = []
    day = ""
    for line in text.splitlines():
        if re.match(r"^\w{3} \d{4}-\d\d-\d\d", line):
            day = line.split()[1]
        elif (m := re.match(r"^  (\d\d:\d\d)  (.*)$", line)) is not None:
            said = m.group(2)
            if said.startswith(("wake", "open: screen on")):
                found.append(f"{day} {m.group(1)} wake")
            elif "screen off" in said:
                found.append(f"{day} {m.group(1)} sleep")
    return found


@pytest.mark.parametrize(
    ("text", "zone", "start", "days"),
    [
        (BERLIN, "Europe/Berlin", date(2026, 3, 26), 9),
        (SHANGHAI, "Asia/Shanghai", date(2026, 9, 29), 7),
    ],
    ids=["berlin-summer-time", "shanghai-golden-week"],
)
def test_a_simulated_week_switches_as_kiosk_schedule_says(
    qapp: QApplication, deck: Deck, tmp_path: Path, text: str, zone: str, start: date, days: int
) -> None:
    """Every switch of the window, at the instant `kiosk schedule` prints it, and none between
    (ticks every 20 minutes, a second before each switch and at it)."""
    schedule = _schedule(tmp_path, text)
    tz = zoneinfo.ZoneInfo(zone)
    begin = datetime.combine(start, datetime.min.time(), tz).astimezone(UTC)
    end = datetime.combine(start + timedelta(days=days), datetime.min.time(), tz).astimezone(UTC)
    h, power = _open(deck, schedule, begin)
    expected = Timetable(schedule).switches(start, days)
    moments = {
        begin + timedelta(minutes=20 * n) for n in range(int((end - begin) / timedelta(minutes=20)))
    }
    for event in expected:
        moments |= {event.at - timedelta(seconds=1), event.at}
    seen: list[tuple[datetime, str]] = []
    try:
        for at in sorted(m for m in moments if begin <= m < end):
            h.clock.now = (at - begin).total_seconds()
            was = h.window.dark
            h.window.tick()
            if h.window.dark != was:
                seen.append((at, "sleep" if h.window.dark else "wake"))
    finally:
        h.close()
    # The week starts after midnight with the screen off: the first tick sends it to sleep.
    assert seen[0] == (begin, "sleep")
    assert [(e.at, e.kind) for e in expected] == seen[1:]
    shown = [f"{at.astimezone(tz):%Y-%m-%d %H:%M} {kind}" for at, kind in seen[1:]]
    printed = format_schedule(schedule, start, days)
    assert shown == _printed_switches(printed)
    assert power.ran == ["off", *("off" if kind == "sleep" else "on" for _, kind in seen[1:])]


# -- the window asleep ----------------------------------------------------------------------


class Paints(QObject):
    """Counts paint events of the window's widgets, the black screen's apart."""

    def __init__(self, window: QWidget, blackout: QWidget) -> None:
        super().__init__()
        self.window = window
        self.blackout = blackout
        self.shows = 0
        self.black = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            if watched is self.blackout:
                self.black += 1
            elif watched is self.window or self.window.isAncestorOf(watched):
                self.shows += 1
        return False


@pytest.fixture
def night(qapp: QApplication, deck: Deck, tmp_path: Path) -> Iterator[tuple[Harness, Paints]]:
    schedule = _schedule(tmp_path, SHANGHAI)
    evening = _at("Asia/Shanghai", 2026, 9, 29, 16, 0)
    h, _ = _open(deck, schedule, evening)
    paints = Paints(h.window, h.window.blackout)
    qapp.installEventFilter(paints)
    try:
        yield h, paints
    finally:
        qapp.removeEventFilter(paints)
        h.close()


def test_asleep_the_show_paints_nothing(night: tuple[Harness, Paints]) -> None:
    h, paints = night
    window = h.window
    h.wait(2.0)
    assert paints.shows > 0
    assert not window.dark
    window.show_state.next(h.clock.now)  # a visitor on the second slide at closing time
    h.wait(1.0)
    h.tick(3600.0 - 3.0)  # 17:00
    assert window.dark
    assert window.schedule_state == "asleep"
    assert window.timer.interval() == 5000
    QApplication.processEvents()
    paints.shows = paints.black = 0
    for _ in range(12 * 60):  # an hour of the night, at the sleeping timer's pace
        h.tick(5.0)
        QApplication.processEvents()
    assert paints.shows == 0
    assert paints.black == 0
    assert window.show_state.mode is Mode.ATTRACT
    assert window.show_state.index == 0
    assert window.status()["schedule"] == "asleep"


def test_waking_starts_the_loop_from_its_first_slide(night: tuple[Harness, Paints]) -> None:
    h, _ = night
    window = h.window
    window.show_state.set_language("en", h.clock.now)
    window.show_state.next(h.clock.now)
    h.tick(3600.0)  # 17:00: asleep
    assert window.dark
    h.tick(15 * 3600.0 + 45 * 60)  # 08:45 the next day
    assert not window.dark
    assert window.schedule_state == "waking"
    show = window.show_state
    assert (show.mode, show.index, show.lang) == (Mode.ATTRACT, 0, show.loop_languages[0])
    assert show.slide_started == h.clock.now
    assert window.stage.isVisible()
    assert not window.blackout.isVisible()
    assert window.timer.interval() == 16


def test_a_touch_wakes_the_screen_after_hours_when_allowed(night: tuple[Harness, Paints]) -> None:
    h, _ = night
    window = h.window
    h.tick(3 * 3600.0)  # 19:00
    assert window.dark
    QTest.touchEvent(window.blackout, touch_device()).press(0, QPoint(100, 100))
    QTest.touchEvent(window.blackout, touch_device()).release(0, QPoint(100, 100))
    assert not window.dark
    assert window.schedule_state == "after hours"
    assert window.show_state.mode is Mode.ATTRACT  # the waking touch does nothing else
    h.tick(170.0)
    assert not window.dark
    h.tick(10.0)  # three minutes after the touch
    assert window.dark


def test_the_installed_configurations_example_schedule_is_valid(tmp_path: Path) -> None:
    """packaging/kiosk.yaml carries a commented-out schedule: with its # signs removed, valid."""
    text = (Path(__file__).parents[1] / "packaging" / "kiosk.yaml").read_text(encoding="utf-8")
    head, _, example = text.partition("#schedule:")
    assert example, "packaging/kiosk.yaml has no example schedule"
    lines = ["schedule:", *(line.removeprefix("#") for line in example.splitlines()[1:])]
    schedule = _schedule(tmp_path, head + "\n".join(lines) + "\n")
    assert schedule.timezone == "Asia/Shanghai"
    assert format_schedule(schedule, date(2026, 10, 1), 1) == (
        "times in Asia/Shanghai; the screen wakes 10 minutes before opening; outside opening "
        "hours a touch does not wake it; display power: auto\n"
        "Thu 2026-10-01  closed (exception: National Day); screen off all day\n"
    )


def test_the_night_is_no_visit_and_no_view(qapp: QApplication, deck: Deck, tmp_path: Path) -> None:
    """A visit under way at closing ends at closing; no view lasts through the night; the
    morning's loop starts a new view at waking."""
    import sqlite3

    from kiosk.analytics.recorder import Recorder

    schedule = _schedule(tmp_path, SHANGHAI)
    evening = _at("Asia/Shanghai", 2026, 9, 29, 16, 59)
    clock = ManualClock(0.0)
    wall = ManualWallClock(clock, evening)
    recorder = Recorder(tmp_path / "a.sqlite3", wall_clock=lambda: wall().timestamp())
    h = Harness.open(
        deck,
        size=(320, 180),
        clock=clock,
        display=DisplaySettings(schedule=schedule),
        wall_clock=wall,
        power=RecordingPower(),
        analytics=recorder,
    )
    try:
        h.tick(0.0)
        h.window.show_state.next(clock.now)  # a visitor at 16:59
        h.tick(30.0)
        h.tick(30.0)  # 17:00
        assert h.window.dark
        closing = wall().timestamp()
        h.tick(15 * 3600.0 + 45 * 60)  # 08:45
        assert not h.window.dark
        waking = wall().timestamp()
        h.tick(5.0)
    finally:
        h.close()
        recorder.close()
    db = sqlite3.connect(tmp_path / "a.sqlite3")
    try:
        sessions = db.execute("SELECT started, ended FROM sessions").fetchall()
        views = db.execute("SELECT t, slide_id, mode, dwell_s FROM views ORDER BY t").fetchall()
    finally:
        db.close()
    assert len(sessions) == 1
    assert sessions[0][1] == pytest.approx(closing)
    assert all(t + (dwell or 0) <= closing + 1e-6 or t >= waking for t, _, _, dwell in views)
    assert views[-1][:3] == (pytest.approx(waking), "one", "attract")


def test_a_failing_display_is_a_notice_and_the_show_goes_on(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.ops.notices import NOTICES
    from kiosk.ops.source import ContentSource

    folder = write_show(tmp_path / "show")
    schedule = _schedule(tmp_path, SHANGHAI)
    clock = ManualClock(0.0)

    def broken(command: Command) -> str | None:
        return "wlopm failed (exit status 1): compositor doesn't support wlr-output-power"

    power = DisplayPower("wlopm", runner=broken, submit=lambda job: job())
    h = Harness.open(
        ContentSource(load_deck(folder), folder=folder),
        size=(320, 180),
        clock=clock,
        display=DisplaySettings(schedule=schedule),
        wall_clock=ManualWallClock(clock, _at("Asia/Shanghai", 2026, 9, 29, 20, 0)),
        power=power,
    )
    try:
        h.tick(0.0)
        assert h.window.dark
        assert NOTICES.current() == [
            "cannot switch the display off with wlopm: wlopm failed (exit status 1): "
            "compositor doesn't support wlr-output-power"
        ]
        assert h.window.status()["notices"] == NOTICES.current()
        watcher = h.window.watcher
        assert watcher is not None
        checks: list[str] = []
        monkeypatch.setattr(watcher, "check", checks.append)
        h.tick(12 * 3600.0 + 45 * 60)  # 08:45: awake, the folder looked at again
        assert not h.window.dark
        assert checks == ["the screen woke"]
    finally:
        h.close()
        NOTICES.reset()


def test_a_key_on_a_sleeping_screen_is_a_touch(night: tuple[Harness, Paints]) -> None:
    from PySide6.QtCore import Qt

    h, _ = night
    window = h.window
    h.tick(3 * 3600.0)  # 19:00
    assert window.dark
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert not window.dark  # touch_wakes: a key wakes it as a touch would
    assert window.show_state.index == 0  # and does nothing else


# -- day parts ------------------------------------------------------------------------------

FOUR = {
    "deck.yaml": "title: T\nloop: {slide_duration: 60, idle_timeout: 60, languages: [zh]}\n"
    "metrics: [metrics.yaml]\n"
    "slides: [slides/one.yaml, slides/two.yaml, slides/three.yaml, slides/four.yaml]\n",
    **{
        f"slides/{name}.yaml": f"id: {name}\ntype: title\ntitle: {name.title()}\n"
        for name in ("one", "two", "three", "four")
    },
}

PARTS = """\
content: /srv/show
schedule:
  timezone: Asia/Shanghai
  hours:
    tuesday: 09:00-17:00
    wednesday: 09:00-17:00
  exceptions:
    2026-09-30: {hours: 09:00-17:00, note: Open day}
  day_parts:
    - name: school mornings
      days: [tuesday, wednesday]
      hours: 10:00-11:00
      slides: [three, four]
    - name: lunch
      hours: [12:00-13:00, 16:30-17:00]
      slides: [three]
"""


def test_the_loop_plays_a_set_from_the_next_slide(tmp_path: Path) -> None:
    from kiosk.show.show import Show

    show = Show(load_deck(write_show(tmp_path / "show", FOUR)), now=0.0)
    show.set_loop_slides(["four", "two", "gone"])
    assert show.loop_order == (1, 3)  # in deck order; a slide the deck lacks is left out
    assert show.index == 0  # the slide on screen plays on
    seen = []
    for t in range(60, 360, 60):
        show.tick(float(t))
        seen.append(show.deck.slides[show.index].id)
    assert seen == ["two", "four", "two", "four", "two"]
    show.reset(360.0)
    assert show.deck.slides[show.index].id == "two"
    show.set_loop_slides(None)
    show.tick(420.0)
    assert show.deck.slides[show.index].id == "three"
    show.set_loop_slides(["gone"])
    assert show.loop_order == (0, 1, 2, 3)  # nothing of it in the deck: the whole deck


def test_kiosk_schedule_prints_day_parts(tmp_path: Path) -> None:
    assert format_schedule(_schedule(tmp_path, PARTS), date(2026, 9, 29), 2) == (
        "times in Asia/Shanghai; the screen wakes 10 minutes before opening; outside opening "
        "hours a touch does not wake it; display power: auto\n"
        "Tue 2026-09-29\n"
        "  08:50  wake: screen on, content reloaded, the loop from its first slide\n"
        "  09:00  open\n"
        "  17:00  close: screen off\n"
        "  10:00-11:00  day part school mornings: the loop plays three, four\n"
        "  12:00-13:00, 16:30-17:00  day part lunch: the loop plays three\n"
        "Wed 2026-09-30  exception: Open day\n"
        "  08:50  wake: screen on, content reloaded, the loop from its first slide\n"
        "  09:00  open\n"
        "  17:00  close: screen off\n"
    )


def test_day_part_mistakes_are_located(tmp_path: Path) -> None:
    text = PARTS.replace("[tuesday, wednesday]", "[tusday]").replace("[three]", "[]")
    with pytest.raises(ContentError) as caught:
        load_config(_config(tmp_path, text))
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "schedule.day_parts[0].days[0]: expected one of monday, tuesday, wednesday, thursday, "
        'friday, saturday, sunday, got "tusday"; did you mean "tuesday"?',
        "schedule.day_parts[1].slides: name at least one",
    ]


def test_the_window_switches_day_parts_after_the_slide_on_screen(
    qapp: QApplication, tmp_path: Path
) -> None:
    deck = load_deck(write_show(tmp_path / "show", FOUR))
    schedule = _schedule(tmp_path, PARTS)
    start = _at("Asia/Shanghai", 2026, 9, 29, 9, 59, 55)
    h, _ = _open(deck, schedule, start)
    shown: list[tuple[float, str]] = []
    show = h.window.show_state
    try:
        h.tick(0.0)
        show.slide_started = h.clock.now - 3.0  # slide "one", 3 s into its 60
        for _ in range(3600 + 150):  # 09:59:55 to 11:02:25, a tick a second
            before = show.index
            h.tick(1.0)
            if show.index != before:
                shown.append((h.clock.now, show.deck.slides[show.index].id))
    finally:
        h.close()
    # 10:00 came at 5 s; "one" ended at 57 s: then only the part's slides (not "two", next in
    # the deck), until 11:00 (3605 s), when the slide on screen ends and the whole deck goes on
    # after it ("one", then "two"; not "three" again).
    assert shown[0] == (57.0, "three")
    during = [slide for t, slide in shown if t < 3605.0]
    assert set(during) == {"three", "four"}
    assert during[-1] == "four"
    assert [slide for t, slide in shown if t >= 3605.0][:2] == ["one", "two"]


def test_a_reload_at_night_keeps_the_screen_asleep(
    night: tuple[Harness, Paints], tmp_path: Path
) -> None:
    h, paints = night
    window = h.window
    h.tick(3 * 3600.0)  # 19:00
    assert window.dark
    QApplication.processEvents()
    paints.shows = 0
    fresh = load_deck(
        write_show(tmp_path / "fresh", {"slides/one.yaml": "id: one\ntype: title\ntitle: New\n"})
    )
    window.on_reloaded(fresh)  # the nightly sync brought new content
    h.tick(5.0)
    assert window.dark
    assert window.timer.interval() == 5000
    QApplication.processEvents()
    assert paints.shows == 0
    assert window.show_state.deck.revision == fresh.revision


# -- what the hall's compositor offers ------------------------------------------------------


def _cage_why_not() -> str | None:
    import os
    import pwd
    import shutil

    if os.geteuid() != 0:
        return "needs root, to run cage as the user nobody (CI does)"
    for tool in ("cage", "setpriv", "wayland-info"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make test installs cage and wayland-utils)"
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "no user nobody to run cage as"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_cage_why_not() is not None, reason=str(_cage_why_not()))
def test_cage_tells_its_client_where_it_is_and_what_it_offers() -> None:
    """wlopm reaches the compositor as the show does: through the WAYLAND_DISPLAY that cage
    sets for its client. Debian 12's cage 0.1.4 offers no output power management (so `auto`
    is a black screen there, as docs/deploy.md says); a newer cage that offers it is noted."""
    import os
    import pwd
    import shutil
    import tempfile

    from tests.helpers.users import nobody_prefix

    runtime = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    try:
        nobody = pwd.getpwnam("nobody")
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        runtime.chmod(0o700)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "XDG_RUNTIME_DIR": str(runtime),
            "WLR_BACKENDS": "headless",
            "WLR_RENDERER": "pixman",
            "WLR_LIBINPUT_NO_DEVICES": "1",
        }
        script = 'echo "WAYLAND_DISPLAY=$WAYLAND_DISPLAY"; wayland-info'
        done = subprocess.run(
            [*nobody_prefix(), "cage", "--", "sh", "-c", script],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    assert re.search(r"^WAYLAND_DISPLAY=wayland-\d+$", done.stdout, re.MULTILINE), done.stderr
    offered = set(re.findall(r"interface: '(\w+)'", done.stdout))
    assert "wl_output" in offered, done.stdout[-500:]
    version = subprocess.run(["cage", "-v"], capture_output=True, text=True, check=False)
    if "0.1.4" in version.stdout + version.stderr:
        assert "zwlr_output_power_manager_v1" not in offered
