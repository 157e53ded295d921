"""`kiosk bench`: how fast and how lean the kiosk is, measured the same way every time.

Start-up and the `validate` command are timed in fresh processes; frames are timed in-process
through the real paint path (the window's tick, then a synchronous repaint of the whole
window), headless at a fixed size. Times are in milliseconds.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from kiosk.content.loader import Deck, check_folder, load_deck
from kiosk.ops.progress import Progress
from kiosk.ui.bench_targets import table, verdicts

FRAME_S = 1 / 60
SIZES = {"1080p": (1920, 1080), "2160p": (3840, 2160)}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0}

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"p50": round(pick(0.5), 2), "p95": round(pick(0.95), 2), "max": round(ordered[-1], 2)}


def _offscreen_env() -> dict[str, str]:
    from kiosk.ui.app import offscreen_platform

    env = dict(os.environ)
    if env.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        env["QT_QPA_PLATFORM"] = offscreen_platform()
    return env


# --- fresh processes ----------------------------------------------------------------------------

FIRST_FRAME_CHILD = """
import sys
from pathlib import Path
from kiosk.content.loader import load_deck
from kiosk.ui.app import ensure_app
from kiosk.ui.base import SlideView
from kiosk.ops.source import ContentSource
from kiosk.ui.window import KioskWindow

painted = []
original = SlideView.paintEvent
def paint(self, event):
    original(self, event)
    painted.append(self.slide.id)
SlideView.paintEvent = paint
app = ensure_app(offscreen=True)
window = KioskWindow(ContentSource.of(load_deck(Path(sys.argv[1]))))
window.resize(1920, 1080)
window.show()
while not painted:
    app.processEvents()
print("painted", flush=True)
window.timer.stop()
"""


def first_frame_ms(folder: Path, runs: int) -> float:
    """Median time from starting a process to the first slide fully painted."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", FIRST_FRAME_CHILD, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_offscreen_env(),
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = (time.perf_counter() - start) * 1000
        child.wait(timeout=60)
        if line.strip() != "painted":
            raise RuntimeError("the first-frame probe did not paint")
        samples.append(elapsed)
    return round(statistics.median(samples), 1)


def validate_cli_ms(folder: Path, runs: int) -> float:
    """Median wall time of the whole `kiosk validate` process."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kiosk", "validate", str(folder)],
            check=True,
            capture_output=True,
        )
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


# --- loading ------------------------------------------------------------------------------------


def generated_deck(root: Path, slides: int) -> Path:
    """A valid deck of `slides` slides of every kind, for load-time measurements."""
    (root / "slides").mkdir(parents=True, exist_ok=True)
    metrics = ["metrics:"]
    for i in range(8):
        metrics += [
            f"  m{i}:",
            f"    value: {1000 * (i + 1)}",
            "    unit: {zh: 元, en: yuan}",
            f"    label: {{zh: 指标{i}, en: Figure {i}}}",
            "    detail: {zh: 测试数据。, en: Benchmark data.}",
            "    source: {zh: 来源：测试, en: 'Source: test'}",
            "    as_of: 2026-01",
        ]
    (root / "metrics.yaml").write_text("\n".join(metrics) + "\n", encoding="utf-8")
    kinds = [
        "type: title\ntitle: {{zh: 标题{i}, en: Title {i}}}\nsubtitle: {{zh: 副标题, en: Sub}}\n",
        "type: metrics\ntitle: {{zh: 指标{i}, en: Figures {i}}}\n"
        "tiles:\n  - metric: m1\n  - metric: m2\n  - metric: m3\n",
        "type: chart\nkind: bar\ntitle: {{zh: 图{i}, en: Chart {i}}}\n"
        "categories: [{{label: A}}, {{label: B}}, {{label: C}}]\n"
        "series:\n  - name: {{zh: 甲, en: One}}\n    metrics: [m1, m2, m3]\n",
        "type: timeline\ntitle: {{zh: 时间{i}, en: Time {i}}}\nevents:\n"
        "  - {{date: 2010-06-18, label: {{zh: 甲, en: A}}, detail: {{zh: 详, en: D}}}}\n"
        "  - {{date: 2025-10, label: {{zh: 乙, en: B}}, detail: {{zh: 详, en: D}}}}\n",
        "type: quote\nquote: {{zh: 引文{i}, en: Quote {i}}}\n"
        "attribution: {{zh: 某, en: Someone}}\n",
    ]
    names = []
    for i in range(slides):
        name = f"slides/{i:04d}.yaml"
        body = f"id: s{i}\n" + kinds[i % len(kinds)].format(i=i)
        (root / name).write_text(body, encoding="utf-8")
        names.append(name)
    deck = ["title: {zh: 基准, en: Benchmark}", "metrics: [metrics.yaml]", "slides:"]
    deck += [f"  - {n}" for n in names]
    (root / "deck.yaml").write_text("\n".join(deck) + "\n", encoding="utf-8")
    return root


def load_ms(counts: list[int], runs: int) -> dict[str, float]:
    """Load and validation time of generated decks of each size: the best of `runs`, the
    figure least disturbed by whatever else the machine is doing."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        for count in counts:
            root = generated_deck(Path(tmp) / str(count), count)
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                deck, problems = check_folder(root)
                samples.append((time.perf_counter() - start) * 1000)
                if deck is None:
                    raise RuntimeError(f"generated deck invalid: {problems[:3]}")
            results[str(count)] = round(min(samples), 1)
    return results


# --- frames -------------------------------------------------------------------------------------


def _with_transition(deck: Deck, kind: str) -> Deck:
    """The deck with every slide going in by `kind` (no slide's own transition left)."""
    slides = tuple(s.model_copy(update={"transition": None}) for s in deck.slides)
    return replace(deck.with_loop(transition=kind), slides=slides)


class FrameBench:
    """A real window at a fixed size, driven frame by frame by the headless driver."""

    def __init__(self, deck: Deck, size: tuple[int, int]) -> None:
        from kiosk.ui.app import ensure_app
        from kiosk.ui.harness import Harness

        self.app = ensure_app(offscreen=True)
        self.harness = Harness.open(deck, size=size)  # the bench drives the frames itself
        self.clock = self.harness.clock
        self.window = self.harness.window
        self.settle()

    def frame(self) -> float:
        """One frame: time passes, the window ticks, and Qt paints what the tick marked dirty
        and flushes it to the screen (the real paint path); its cost in ms."""
        self.clock.now += FRAME_S
        start = time.perf_counter()
        self.window.tick()
        self.app.processEvents()
        return (time.perf_counter() - start) * 1000

    def settle(self) -> None:
        for _ in range(3):
            self.clock.now += 3.0
            self.window.tick()
        self.window.repaint()
        self.app.processEvents()

    def go(self, index: int) -> None:
        self.window.show_state.go(index, self.clock.now)

    def transition_frames(self, changes: int) -> list[float]:
        samples: list[float] = []
        count = self.window.show_state.count
        for i in range(changes):
            self.go((self.window.show_state.index + 1) % count if i % 2 == 0 else i % count)
            while self.window.stage.transition is not None:
                samples.append(self.frame())
            self.settle()
        return samples

    def entry_frames(self, slide_id: str, repeats: int) -> list[float]:
        index = self.window.show_state.deck.index_of(slide_id)
        if index is None:
            return []
        samples: list[float] = []
        for _ in range(repeats):
            self.go((index + 1) % self.window.show_state.count)
            self.settle()
            self.go(index)
            while self.window.stage.transition is not None or not (
                self.window.stage.view.is_settled()
            ):
                samples.append(self.frame())
                if len(samples) > 100_000:
                    break
            self.settle()
        return samples

    def tap_frames(self, taps: int) -> list[float]:
        from PySide6.QtCore import QPoint

        samples = []
        for i in range(taps):
            point = QPoint(200 + (i * 97) % 1400, 200 + (i * 53) % 600)
            start = time.perf_counter()
            self.harness.press(point)
            self.app.processEvents()
            samples.append((time.perf_counter() - start) * 1000)
            self.clock.now += 0.05
            self.harness.release(point)
            self.clock.now += 61.0  # let the idle reset return the show to its loop
            self.window.tick()
            self.settle()
        return samples

    def access_frames(self, slides: list[int]) -> list[float]:
        """A visitor's tap on A+ and then on contrast, on each settled slide: from the tap to
        the frame with the slide laid out anew in its new theme, cues placed, flushed."""
        from kiosk.show.hits import Control

        samples = []
        for index in slides:
            self.go(index)
            self.settle()
            for control in (Control.LARGER, Control.CONTRAST, Control.LARGER, Control.CONTRAST):
                point = self.harness.center(control)
                start = time.perf_counter()
                self.harness.press(point)
                self.clock.now += 0.05
                self.harness.release(point)
                self.window.tick()
                self.app.processEvents()
                samples.append((time.perf_counter() - start) * 1000)
                self.settle()
        return samples

    def close(self) -> None:
        # The driver lets deleteLater happen, or every measured window (4K ones too) would
        # stay in memory.
        self.harness.close()


def frame_ms(deck: Deck, quick: bool) -> dict[str, dict[str, float]]:
    changes = 4 if quick else 12
    results: dict[str, dict[str, float]] = {}
    for kind in ("fade", "push"):
        for label, size in SIZES.items():
            bench = FrameBench(_with_transition(deck, kind), size)
            try:
                results[f"{kind}_{label}"] = _percentiles(bench.transition_frames(changes))
            finally:
                bench.close()
    bench = FrameBench(_with_transition(deck, "none"), SIZES["1080p"])
    try:
        repeats = 2 if quick else 5
        for key, slide_id in (
            ("chart_bar_1080p", _first(deck, "chart", ("bar", "hbar"))),
            ("chart_share_1080p", _first(deck, "chart", ("share",))),
            ("metrics_1080p", _first(deck, "metrics")),
            ("timeline_1080p", _first(deck, "timeline")),
        ):
            samples = bench.entry_frames(slide_id, repeats) if slide_id else []
            results[key] = _percentiles(samples)
    finally:
        bench.close()
    return results


def _first(deck: Deck, slide_type: str, kinds: tuple[str, ...] = ()) -> str:
    for slide in deck.slides:
        if slide.slide_type == slide_type and (not kinds or getattr(slide, "kind", "") in kinds):
            return slide.id
    return ""


def tap_to_frame_ms(deck: Deck, quick: bool) -> dict[str, float]:
    bench = FrameBench(deck, SIZES["1080p"])
    try:
        samples = bench.tap_frames(20 if quick else 60)
    finally:
        bench.close()
    result = _percentiles(samples)
    return {"p50": result["p50"], "p95": result["p95"]}


def access_switch_ms(deck: Deck, quick: bool) -> dict[str, dict[str, float]]:
    """Larger text and contrast switched on every slide (every third with `quick`), at 1080p
    and 2160p: each switch builds the slide anew."""
    slides = list(range(0, len(deck.slides), 3 if quick else 1))
    results = {}
    for label, size in SIZES.items():
        bench = FrameBench(deck, size)
        try:
            samples = bench.access_frames(slides)
        finally:
            bench.close()
        result = _percentiles(samples)
        results[label] = {"p50": result["p50"], "p95": result["p95"], "max": result["max"]}
    return results


def rss_mb(deck: Deck, quick: bool) -> dict[str, Any]:
    """Memory after 100 slide changes and after many more, with transitions and entries."""
    from kiosk.ops.status import rss_mb as current_rss

    total = 1000 if quick else 10_000
    bench = FrameBench(_with_transition(deck, "fade"), SIZES["1080p"])
    result: dict[str, Any] = {}
    try:
        for change in range(1, total + 1):
            bench.window.show_state.next(bench.clock.now)
            for _ in range(4):  # through the transition and into the entry animation
                bench.clock.now += 0.25
                bench.window.tick()
                bench.window.repaint()
            if change % 50 == 0:
                from kiosk.ui.harness import delete_later_now

                delete_later_now()
            if change == 100:
                result["after_100"] = round(current_rss(), 1)
        result["after_10000"] = round(current_rss(), 1)
    finally:
        bench.close()
    if quick:
        result["note"] = f"quick mode: after_10000 is measured after {total} slide changes"
    return result


def reload_ms(folder: Path, runs: int) -> float:
    """From a file save to the new deck on screen, debounce included (real time)."""
    from PySide6.QtCore import QCoreApplication

    from kiosk.ops.source import ContentSource
    from kiosk.ui.app import ensure_app
    from kiosk.ui.window import KioskWindow

    app = ensure_app(offscreen=True)
    samples = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-reload-") as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(folder, root)
        window = KioskWindow(ContentSource(load_deck(root), folder=root))
        window.resize(1920, 1080)
        window.show()
        try:
            slide_file = root / window.show_state.deck.slide_files[0]
            original = slide_file.read_text(encoding="utf-8")
            for run in range(runs):
                revision = window.show_state.deck.revision
                start = time.perf_counter()
                slide_file.write_text(original + f"\n# bench {run}\n", encoding="utf-8")
                deadline = start + 10
                while window.show_state.deck.revision == revision:
                    app.processEvents()
                    if time.perf_counter() > deadline:
                        raise RuntimeError("the reload did not happen within 10 s")
                window.stage.repaint()
                samples.append((time.perf_counter() - start) * 1000)
        finally:
            window.timer.stop()
            window.close()
            window.deleteLater()
            QCoreApplication.processEvents()
    return round(statistics.median(samples), 1)


def machine() -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    return {
        "cores": os.cpu_count(),
        "qt_platform": QGuiApplication.platformName() or os.environ.get("QT_QPA_PLATFORM", ""),
        "qt": qVersion(),
        "pyside6": pyside_version,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
    }


STEPS = (
    "first frame",
    "frames",
    "tap to frame",
    "access switch",
    "load",
    "reload",
    "memory",
    "validate",
)
"""The measurements in the order `run_bench` takes them (and tells its `log`)."""


def run_bench(
    folder: Path, *, quick: bool, log: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Every measurement, as the one JSON object `kiosk bench --json` prints (without the
    verdicts, which `verdicts` adds)."""
    from kiosk.ui.app import ensure_app

    ensure_app(offscreen=True)
    deck = load_deck(folder)
    runs = 3 if quick else 7
    results: dict[str, Any] = {}
    log(STEPS[0])
    results["first_frame_ms"] = first_frame_ms(folder, runs)
    log(STEPS[1])
    results["frame_ms"] = frame_ms(deck, quick)
    log(STEPS[2])
    results["tap_to_frame_ms"] = tap_to_frame_ms(deck, quick)
    log(STEPS[3])
    results["access_switch_ms"] = access_switch_ms(deck, quick)
    log(STEPS[4])
    results["load_ms"] = load_ms([10, 100, 1000], 3 if quick else 5)
    log(STEPS[5])
    results["reload_ms"] = reload_ms(folder, 2 if quick else 5)
    log(STEPS[6])
    results["rss_mb"] = rss_mb(deck, quick)
    log(STEPS[7])
    results["validate_cli_ms"] = validate_cli_ms(folder, runs)
    results["machine"] = machine()
    return results


def bench_main(
    folder: Path,
    *,
    quick: bool,
    as_json: bool,
    check: bool = False,
    progress: Progress | None = None,
) -> int:
    """`kiosk bench`: print the table or the JSON object (with every verdict under `targets`).

    Exit status 1 with `check` when a target is missed, else 0: speed is measured, and only
    asserted when asked (machines are noisy, see docs/performance.md).
    """
    tell = progress or (lambda description, done, total: None)

    def step(name: str) -> None:
        tell(f"measuring {name}", STEPS.index(name), len(STEPS))

    results = run_bench(folder, quick=quick, log=step)
    tell("measured", len(STEPS), len(STEPS))
    judged = verdicts(results)
    if as_json:
        print(json.dumps({**results, "targets": [v.as_json() for v in judged]}))
    else:
        print(table(results))
    return 1 if check and not all(v.met for v in judged) else 0
