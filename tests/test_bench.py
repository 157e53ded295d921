"""`kiosk bench --quick` works and reports every measurement (speed is not asserted here:
machines are noisy; the numbers live in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.loader import check_folder
from kiosk.ui.bench import generated_deck
from tests.helpers.show import BUNDLED

FRAMES = {
    "fade_1080p",
    "push_1080p",
    "fade_2160p",
    "push_2160p",
    "chart_bar_1080p",
    "chart_share_1080p",
    "metrics_1080p",
    "timeline_1080p",
}


@pytest.mark.slow
def test_quick_bench_reports_every_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", str(BUNDLED), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert set(data) == {
        "first_frame_ms",
        "frame_ms",
        "tap_to_frame_ms",
        "access_switch_ms",
        "load_ms",
        "reload_ms",
        "rss_mb",
        "validate_cli_ms",
        "machine",
        "targets",
    }
    # One verdict per figure: first frame, 8 frame figures, tap, 2 access switches, load,
    # reload, memory, validate.
    assert len(data["targets"]) == 16
    assert all(set(t) == {"figure", "result", "target", "met"} for t in data["targets"])
    assert set(data["frame_ms"]) == FRAMES
    for stats in data["frame_ms"].values():
        assert set(stats) == {"p50", "p95", "max"}
        assert 0 < stats["p50"] <= stats["p95"] <= stats["max"]
    assert set(data["tap_to_frame_ms"]) == {"p50", "p95"}
    assert set(data["access_switch_ms"]) == {"1080p", "2160p"}
    for stats in data["access_switch_ms"].values():
        assert 0 < stats["p50"] <= stats["p95"] <= stats["max"]
    assert set(data["load_ms"]) == {"10", "100", "1000"}
    assert set(data["rss_mb"]) == {"after_100", "after_10000", "note"}
    assert data["first_frame_ms"] > 0
    assert data["reload_ms"] > 0
    assert data["machine"]["cores"] >= 1


def test_generated_decks_are_valid(tmp_path: Path) -> None:
    deck, problems = check_folder(generated_deck(tmp_path / "g", 25))
    assert deck is not None, problems
    assert len(deck.slides) == 25
    assert {s.slide_type for s in deck.slides} == {"title", "metrics", "chart", "timeline", "quote"}
