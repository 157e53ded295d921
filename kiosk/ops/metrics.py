"""The kiosk's metrics in Prometheus text format, for node_exporter's textfile collector.

node_exporter (Debian's `prometheus-node-exporter`) reads every `*.prom` file of its textfile
folder (`/var/lib/prometheus/node-exporter`) at each scrape and serves it with the machine's
own metrics, so a hall's one Prometheus watches every screen without a server of ours. The
file is rewritten whole every few seconds and at exit, through a temporary file in the same
folder and a rename, so a scrape never reads half of it (the temporary name does not end in
`.prom`, which the collector skips).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "kiosk_"

SLOW_FRAME_S = 0.050
"""A frame is slow when painting it (the whole window: stage, slide, overlay) took longer
than this by the window's clock: 50 ms is three missed frames at 60 Hz, a stutter a visitor
sees in a transition. The show's own budget is a few milliseconds (docs/performance.md)."""


@dataclass
class Counters:
    """What the running show counted since it started (the counters of the file)."""

    frames_painted: int = 0
    slow_frames: int = 0
    slide_changes: int = 0
    visitor_sessions: int = 0
    cards_opened: int = 0
    reloads_ok: int = 0
    reloads_failed: int = 0
    last_reload_success: float | None = None
    """Unix time of the last reload that put a new deck on screen (the start's load too)."""


@dataclass(frozen=True)
class Sample:
    """The state of the show at one moment, as the file says it."""

    up: bool
    mode: str
    modes: Sequence[str]
    """Every mode the show knows: each gets its line (1 for the current one, 0 for the rest),
    so a query never has to guess a series that is absent."""
    uptime_s: float
    rss_bytes: int
    counters: Counters
    version: str
    deck_revision: str
    content_errors: int = 0
    """Errors of the content folder since its last failed reload (0: it is valid)."""
    schedule_open: bool = True
    """Whether the timetable says the hall is open now (always open without a schedule)."""
    window_exposed: bool = True
    """Whether the window is on screen and drawn (not hidden, minimised or covered)."""
    screenshot_at: float | None = None
    """Unix time of the last screenshot kept, if any."""
    extra: Sequence[Metric] = field(default_factory=tuple)
    """More metrics from other parts of the show (the schedule's, for example)."""


@dataclass(frozen=True)
class Metric:
    """One metric family: its name (with `kiosk_`), type, help and samples (labels, value)."""

    name: str
    kind: str
    help: str
    samples: Sequence[tuple[dict[str, str], float]]


def escape_label(value: str) -> str:
    """A label value as the text format writes it (backslash, quote and newline escaped)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def format_value(value: float) -> str:
    """An integer as an integer, a float in full (`repr`), the special values by their names."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def metrics(sample: Sample) -> list[Metric]:
    """The families of the file, in the order it lists them."""
    c = sample.counters

    def gauge(name: str, text: str, value: float) -> Metric:
        return Metric(PREFIX + name, "gauge", text, [({}, value)])

    def counter(name: str, text: str, value: float) -> Metric:
        return Metric(PREFIX + name + "_total", "counter", text, [({}, value)])

    modes = list(dict.fromkeys([*sample.modes, sample.mode]))
    families = [
        gauge("up", "1 while the show runs; 0 in the file it leaves when it stops", sample.up),
        Metric(
            PREFIX + "mode",
            "gauge",
            "The show's mode: 1 for the current one (attract: the loop; visitor: a visitor "
            "in control)",
            [({"mode": mode}, float(mode == sample.mode)) for mode in modes],
        ),
        gauge("uptime_seconds", "Seconds since the show started", sample.uptime_s),
        gauge("resident_memory_bytes", "The show's resident memory", sample.rss_bytes),
        counter(
            "frames_painted",
            "Frames the window painted (each repaint of the window, whatever part changed)",
            c.frames_painted,
        ),
        counter(
            "slow_frames",
            f"Frames whose painting took longer than {SLOW_FRAME_S * 1000:.0f} ms",
            c.slow_frames,
        ),
        counter("slide_changes", "Slides that came on screen (loop and visitors)", c.slide_changes),
        counter(
            "visitor_sessions",
            "Visits: a touch taking the show out of its loop",
            c.visitor_sessions,
        ),
        counter("cards_opened", "Detail cards visitors opened", c.cards_opened),
        Metric(
            PREFIX + "reloads_total",
            "counter",
            "Content reloads after an edit: ok (the new deck is on screen) or failed (the "
            "folder is not valid; the previous deck plays on)",
            [({"result": "ok"}, c.reloads_ok), ({"result": "failed"}, c.reloads_failed)],
        ),
    ]
    if c.last_reload_success is not None:
        families.append(
            gauge(
                "last_reload_success_timestamp_seconds",
                "Unix time the deck on screen was loaded (the start, or the last good reload)",
                c.last_reload_success,
            )
        )
    families += [
        gauge(
            "content_errors",
            "Errors of the content folder at its last reload (0: valid)",
            sample.content_errors,
        ),
        gauge(
            "schedule_open",
            "1 when the timetable says the hall is open now (always 1 without a timetable)",
            sample.schedule_open,
        ),
        gauge(
            "window_exposed",
            "1 when the show's window is on screen and drawn",
            sample.window_exposed,
        ),
    ]
    if sample.screenshot_at is not None:
        families.append(
            gauge(
                "screenshot_timestamp_seconds",
                "Unix time of the last screenshot of the screen the kiosk kept",
                sample.screenshot_at,
            )
        )
    families += list(sample.extra)
    families.append(
        Metric(
            PREFIX + "info",
            "gauge",
            "The kiosk's version and the revision of the deck on screen",
            [({"version": sample.version, "deck_revision": sample.deck_revision}, 1)],
        )
    )
    return families


def render(families: Iterable[Metric]) -> str:
    """The families in Prometheus text exposition format (version 0.0.4)."""
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for labels, value in family.samples:
            text = ",".join(f'{key}="{escape_label(v)}"' for key, v in labels.items())
            lines.append(
                f"{family.name}{{{text}}} {format_value(value)}"
                if text
                else f"{family.name} {format_value(value)}"
            )
    return "\n".join(lines) + "\n"


def write_metrics_file(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a scrape never reads half a file: a temporary file
    in the same folder (node_exporter skips it: it does not end in `.prom`), then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # node_exporter reads it as its own user
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
