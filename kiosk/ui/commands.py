"""The front ends of the headless commands: `kiosk render`, `kiosk soak` and `kiosk bench`
(check the deck, start an offscreen application, show progress, print the result)."""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.content.commands import load_or_report


def render_main(
    folder: Path,
    out: Path,
    size: tuple[int, int],
    lang: str | None,
    *,
    larger: bool = False,
    contrast: bool = False,
) -> int:
    """`kiosk render`: every slide as a PNG in `out`, plus a contact sheet; the files printed
    (`larger`, `contrast`: as a visitor's A+ and contrast controls show them)."""
    deck = load_or_report(folder)
    if deck is None:
        return 1
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.app import ensure_app
    from kiosk.ui.render import render_deck

    ensure_app(offscreen=True)
    lang = lang or deck.settings.default_language
    with progress_bar(on_terminal()) as progress:
        written = render_deck(
            deck, out, size, lang, progress=progress, larger=larger, contrast=contrast
        )
    for path in written:
        print(path)
    return 0


def soak_main(
    folder: Path,
    *,
    events: int,
    seed: int,
    analytics: Path | None,
    no_analytics: bool,
    as_json: bool,
) -> int:
    """`kiosk soak`: a burn-in of the real window; 0 when it passed, 1 when not, 128 + N when
    a signal cut it short."""
    import json

    deck = load_or_report(folder)
    if deck is None:
        return 1
    from kiosk.analytics.recorder import same_file
    from kiosk.ops.paths import default_analytics_path, default_soak_analytics_path
    from kiosk.ui.app import ensure_app
    from kiosk.ui.soak import RSS_GROWTH_LIMIT_MB, soak

    path = None if no_analytics else (analytics or default_soak_analytics_path())
    if path is not None and same_file(path, default_analytics_path()):
        print("--analytics: a burn-in never records into the visitors' database", file=sys.stderr)
        return 2
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.signals import StopSignals, describe

    ensure_app(offscreen=True)
    # The soak's loop stays in Python (no event loop to wake), so it asks between two steps
    # whether Ctrl-C or a SIGTERM arrived, and ends cleanly: analytics closed, report printed.
    with StopSignals() as stop, progress_bar(on_terminal(as_json=as_json)) as progress:
        report = soak(
            deck,
            events=events,
            seed=seed,
            analytics=path,
            stop=lambda: stop.received is not None,
            progress=progress,
        )
    summary = report.as_json()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        rss = summary["rss_mb"]
        print(
            f"events {summary['events']}, slides visited {summary['slides_visited']}, "
            f"mode changes {summary['mode_changes']}, cards opened {summary['cards_opened']}\n"
            f"exceptions {summary['exceptions']}, Qt warnings {summary['qt_warnings']}\n"
            f"memory {rss['start']} MiB at start, {rss['end']} at the end, {rss['peak']} peak "
            f"(growth limit {RSS_GROWTH_LIMIT_MB:.0f})"
        )
        for error in summary["errors"]:
            print(error, file=sys.stderr)
    if stop.received is not None:
        print(f"soak interrupted by {describe(stop.received)}", file=sys.stderr)
        # The shell's 128 + N for both: a cut-short burn-in is never a pass (not even a
        # SIGTERM, which is a clean 0 for `kiosk run`).
        return 128 + stop.received
    return 0 if report.ok else 1


def bench_command(folder: Path, *, quick: bool, as_json: bool, check: bool) -> int:
    """`kiosk bench`: the deck checked first, then the measurements with a progress bar."""
    if load_or_report(folder) is None:
        return 1
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.bench import bench_main

    with progress_bar(on_terminal(as_json=as_json)) as progress:
        return bench_main(folder, quick=quick, as_json=as_json, check=check, progress=progress)
