"""The metrics file a hall's Prometheus reads (through node_exporter): its format, its atomic
rewrite, and its numbers after a scripted visit on a manual clock."""

from __future__ import annotations

import math
import os
import signal
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from PySide6.QtCore import QCoreApplication, QPoint
from pytestqt.qtbot import QtBot

from kiosk import __version__
from kiosk.content.loader import load_deck
from kiosk.content.problems import Problem
from kiosk.ops import metrics
from kiosk.ops.display import DisplaySettings
from kiosk.ops.metrics import Counters, Metric, Sample
from kiosk.ops.notices import NOTICES
from kiosk.ops.schedule import Schedule
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock, ManualWallClock
from kiosk.show.hits import Control
from kiosk.show.show import Mode
from kiosk.ui.harness import Harness
from kiosk.ui.telemetry import Telemetry
from tests.helpers.running import RunningKiosk, wait_for
from tests.helpers.show import write_show

WALL0 = 1_780_000_000.0
"""The Unix time when the manual clock reads 0."""

EXPECTED_TYPES = {
    "kiosk_up": "gauge",
    "kiosk_mode": "gauge",
    "kiosk_uptime_seconds": "gauge",
    "kiosk_resident_memory_bytes": "gauge",
    "kiosk_frames_painted": "counter",
    "kiosk_slow_frames": "counter",
    "kiosk_slide_changes": "counter",
    "kiosk_visitor_sessions": "counter",
    "kiosk_cards_opened": "counter",
    "kiosk_reloads": "counter",
    "kiosk_last_reload_success_timestamp_seconds": "gauge",
    "kiosk_content_errors": "gauge",
    "kiosk_schedule_open": "gauge",
    "kiosk_window_exposed": "gauge",
    "kiosk_info": "gauge",
}
"""Every family of a kiosk's file (no screenshot yet), as the parser names them (a counter's
family drops `_total`, its samples keep it)."""


def parse(text: str) -> dict[str, tuple[str, dict[tuple[tuple[str, str], ...], float]]]:
    """family name -> (type, {sorted labels: value}), with the documentation checked."""
    out: dict[str, tuple[str, dict[tuple[tuple[str, str], ...], float]]] = {}
    for family in text_string_to_metric_families(text):
        assert family.documentation, family.name
        samples = {}
        for sample in family.samples:
            name = family.name + ("_total" if family.type == "counter" else "")
            assert sample.name == name
            samples[tuple(sorted(sample.labels.items()))] = sample.value
        out[family.name] = (family.type, samples)
    return out


def value(
    parsed: dict[str, tuple[str, dict[tuple[tuple[str, str], ...], float]]],
    name: str,
    **labels: str,
) -> float:
    return parsed[name][1][tuple(sorted(labels.items()))]


# -- the format ------------------------------------------------------------------------------


def sample(**changes: object) -> Sample:
    base: dict[str, object] = {
        "up": True,
        "mode": "attract",
        "modes": ["attract", "visitor"],
        "uptime_s": 12.5,
        "rss_bytes": 200 * 1024 * 1024,
        "counters": Counters(frames_painted=7, slow_frames=1, last_reload_success=WALL0),
        "version": "0.1.0",
        "deck_revision": "abc123",
    }
    base.update(changes)
    return Sample(**base)  # type: ignore[arg-type]


def test_the_file_parses_with_every_family_typed_and_documented() -> None:
    text = metrics.render(metrics.metrics(sample()))
    assert text.endswith("\n")  # node_exporter wants the last line ended
    parsed = parse(text)
    assert {name: kind for name, (kind, _) in parsed.items()} == EXPECTED_TYPES
    assert value(parsed, "kiosk_mode", mode="attract") == 1
    assert value(parsed, "kiosk_mode", mode="visitor") == 0
    assert value(parsed, "kiosk_info", version="0.1.0", deck_revision="abc123") == 1
    assert value(parsed, "kiosk_reloads", result="ok") == 0
    assert value(parsed, "kiosk_slow_frames") == 1
    assert value(parsed, "kiosk_uptime_seconds") == 12.5
    assert "# TYPE kiosk_frames_painted_total counter\nkiosk_frames_painted_total 7\n" in text


def test_labels_are_escaped_and_values_written_in_full() -> None:
    text = metrics.render(
        [
            Metric("kiosk_x", "gauge", "help with \\ and\nnewline", [({"a": 'q"\\\n'}, 0.1)]),
            Metric("kiosk_y", "gauge", "h", [({}, 1.7e9 + 0.25), ({"b": "x"}, math.nan)]),
        ]
    )
    parsed = parse(text)
    assert value(parsed, "kiosk_x", a='q"\\\n') == 0.1
    assert value(parsed, "kiosk_y") == 1.7e9 + 0.25
    assert math.isnan(value(parsed, "kiosk_y", b="x"))
    assert metrics.format_value(3.0) == "3"
    assert metrics.format_value(math.inf) == "+Inf"


def test_a_mode_the_show_gains_gets_its_line() -> None:
    parsed = parse(metrics.render(metrics.metrics(sample(mode="asleep"))))
    assert value(parsed, "kiosk_mode", mode="asleep") == 1
    assert value(parsed, "kiosk_mode", mode="attract") == 0


def test_the_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "liangjiang-kiosk.prom"
    path.write_text("old\n")
    inode = path.stat().st_ino
    metrics.write_metrics_file(path, "kiosk_up 1\n")
    assert path.read_text() == "kiosk_up 1\n"
    assert path.stat().st_ino != inode  # a new file renamed over the old one, not rewritten
    assert path.stat().st_mode & 0o777 == 0o644  # node_exporter reads it as its own user
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kiosk.prom"
    path.write_text("kiosk_up 1\n")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        metrics.write_metrics_file(path, "kiosk_up 0\n")
    assert path.read_text() == "kiosk_up 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.prom"]


# -- a scripted visit ------------------------------------------------------------------------


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    folder = write_show(tmp_path / "show")
    deck = load_deck(folder)
    h = Harness.open(ContentSource(deck, folder=folder), size=(1920, 1080), clock=ManualClock())
    assert h.window.watcher is not None
    h.window.watcher.stop()  # the test tells the window of its reloads itself
    try:
        yield h
    finally:
        h.close()


def test_the_numbers_match_a_scripted_visit(harness: Harness, tmp_path: Path) -> None:
    window, clock = harness.window, harness.clock
    prom = tmp_path / "textfile" / "liangjiang-kiosk.prom"
    prom.parent.mkdir()
    telemetry = Telemetry(window, metrics_file=prom, wall=lambda: WALL0 + clock.now)
    telemetry.metrics_timer.stop()  # the test writes when it wants
    assert telemetry.counters.last_reload_success == WALL0  # the start's deck
    # The loop: "two" at 10 s, "one" at 20 s.
    harness.wait(25.0)
    # A visitor: "next" (the session starts; "two" comes on), then a bar's card.
    harness.tap(harness.center(Control.NEXT))
    assert window.show_state.mode is Mode.VISITOR
    harness.wait(3.0)
    target = next(t for t in window.stage.view.hit_targets() if t.key == "category:1")
    harness.tap(target.rect.center().toPoint())
    assert window.card is not None
    harness.wait(1.0)
    harness.tap(QPoint(10, 10))  # closes the card
    # A curator's edit that works at 30 s, then one that does not at 31 s.
    slide = tmp_path / "show" / "slides" / "one.yaml"
    slide.write_text(slide.read_text().replace("Title", "New title"), encoding="utf-8")
    edited = load_deck(tmp_path / "show")
    harness.wait(0.76)  # three taps of 0.08 s: 30 s now
    assert window.watcher is not None
    window.watcher.reloaded.emit(edited)
    harness.wait(1.0)
    problems = [
        Problem("slides/one.yaml", 3, 1, "title.titel: unknown key"),
        Problem("slides/one.yaml", 1, 1, "title: required"),
        Problem("deck.yaml", 1, 1, "a warning", severity="warning"),
    ]
    window.watcher.failed.emit(problems)
    harness.wait(1.0)
    telemetry.write_metrics()

    parsed = parse(prom.read_text())
    assert {name: kind for name, (kind, _) in parsed.items()} == {
        **EXPECTED_TYPES,
        "kiosk_schedule_state": "gauge",
    }
    assert value(parsed, "kiosk_schedule_state", state="always open") == 1
    assert value(parsed, "kiosk_schedule_state", state="asleep") == 0
    assert value(parsed, "kiosk_up") == 1
    assert value(parsed, "kiosk_mode", mode="visitor") == 1
    assert value(parsed, "kiosk_mode", mode="attract") == 0
    assert value(parsed, "kiosk_uptime_seconds") == pytest.approx(clock.now)
    assert value(parsed, "kiosk_slide_changes") == 3  # two, one (the loop), two (next)
    assert value(parsed, "kiosk_visitor_sessions") == 1
    assert value(parsed, "kiosk_cards_opened") == 1
    assert value(parsed, "kiosk_reloads", result="ok") == 1
    assert value(parsed, "kiosk_reloads", result="failed") == 1
    assert value(parsed, "kiosk_last_reload_success_timestamp_seconds") == pytest.approx(
        WALL0 + 30.0, abs=0.01
    )
    assert value(parsed, "kiosk_content_errors") == 2  # errors only: the warning is not one
    assert value(parsed, "kiosk_schedule_open") == 1  # no timetable: always open
    assert value(parsed, "kiosk_window_exposed") == 1
    assert value(parsed, "kiosk_info", version=__version__, deck_revision=edited.revision) == 1
    # The harness lets Qt paint after each wait: every repaint of the window is a frame, and
    # on a manual clock painting takes no time at all.
    assert value(parsed, "kiosk_frames_painted") >= 5
    assert value(parsed, "kiosk_slow_frames") == 0
    rss = value(parsed, "kiosk_resident_memory_bytes")
    assert 20 * 2**20 < rss < 4 * 2**30
    # The stop's last word.
    telemetry.write_metrics(up=False)
    assert value(parse(prom.read_text()), "kiosk_up") == 0


def test_a_frame_longer_than_the_limit_is_slow(harness: Harness) -> None:
    telemetry = Telemetry(harness.window)
    telemetry.frame_painted(metrics.SLOW_FRAME_S)
    telemetry.frame_painted(metrics.SLOW_FRAME_S + 0.001)
    assert (telemetry.counters.frames_painted, telemetry.counters.slow_frames) == (2, 1)

    # A repaint that takes 80 ms by the window's clock, through the real paint path: a clock
    # that moves 80 ms each time it is read.
    window = harness.window
    readings = iter(range(1000))
    clock = window.clock
    window.clock = lambda: next(readings) * 0.08
    try:
        window.update()
        QCoreApplication.processEvents()
    finally:
        window.clock = clock
    assert (telemetry.counters.frames_painted, telemetry.counters.slow_frames) == (3, 2)


def test_the_window_s_timetable_is_the_schedule_s_state(qtbot: QtBot, tmp_path: Path) -> None:
    schedule = Schedule.model_validate(
        {"timezone": "Asia/Shanghai", "hours": {"tuesday": "09:00-17:00"}, "wake_before": 10},
        strict=False,
    )
    clock = ManualClock(0.0)
    start = datetime(2026, 9, 29, 8, 45, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    h = Harness.open(
        load_deck(write_show(tmp_path / "show")),
        size=(320, 180),
        clock=clock,
        display=DisplaySettings(schedule=schedule),
        wall_clock=ManualWallClock(clock, start.astimezone(UTC)),
    )
    try:
        telemetry = Telemetry(h.window)
        seen = []
        for minutes in (0, 10, 20, 8 * 60 + 20):  # 08:45 asleep, 08:55 waking, 09:05 open, 17:05
            h.tick(minutes * 60.0 - clock.now)
            parsed = parse(telemetry.metrics_text())
            state = next(
                dict(labels)["state"]
                for labels, v in parsed["kiosk_schedule_state"][1].items()
                if v == 1
            )
            seen.append((state, value(parsed, "kiosk_schedule_open")))
    finally:
        h.close()
    assert seen == [("asleep", 0), ("waking", 0), ("open", 1), ("asleep", 0)]


def test_a_schedule_and_other_parts_add_their_state(harness: Harness) -> None:
    extra = Metric("kiosk_display_on", "gauge", "The display's power", [({}, 0)])
    telemetry = Telemetry(
        harness.window, schedule_open=lambda: False, extra_metrics=lambda: [extra]
    )
    parsed = parse(telemetry.metrics_text())
    assert value(parsed, "kiosk_schedule_open") == 0
    assert value(parsed, "kiosk_display_on") == 0


def test_a_file_that_cannot_be_written_is_an_operations_notice(
    harness: Harness, tmp_path: Path
) -> None:
    NOTICES.reset()
    path = tmp_path / "missing-folder" / "kiosk.prom"
    telemetry = Telemetry(harness.window, metrics_file=path)
    try:
        telemetry.write_metrics()  # no exception: the show goes on
        assert NOTICES.current() == [
            f"cannot write the metrics file {path}: No such file or directory"
        ]
        path.parent.mkdir()
        telemetry.write_metrics()
        assert NOTICES.current() == []
        assert path.is_file()
    finally:
        telemetry.stop()
        NOTICES.reset()


# -- a real `kiosk run` ----------------------------------------------------------------------


def test_kiosk_run_writes_the_file_and_leaves_it_down(tmp_path: Path) -> None:
    content = write_show(tmp_path / "content")
    prom = tmp_path / "liangjiang-kiosk.prom"
    kiosk = RunningKiosk(tmp_path, content, args=["--metrics-file", str(prom)])
    try:
        kiosk.wait_running()
        wait_for("the metrics file", prom.exists)
        running = parse(prom.read_text())
        code, _ = kiosk.stop(signal.SIGTERM)
    finally:
        kiosk.close()
    assert code == 0, kiosk.stderr()
    assert value(running, "kiosk_up") == 1
    assert value(running, "kiosk_mode", mode="attract") == 1
    stopped = parse(prom.read_text())
    assert value(stopped, "kiosk_up") == 0
    assert set(stopped) == set(running)
