"""The `kiosk` command: run the show, and the curator's and installer's tools around it."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.content.bundled import default_content
from kiosk.ops.paths import APP, SYSTEM_CONFIG
from kiosk.ops.version import DISTRIBUTION, package_version

if TYPE_CHECKING:
    from kiosk.content.loader import Deck

log = logging.getLogger(__name__)


class _VersionAction(argparse.Action):
    """`--version`, looking the version up only when asked (not on every command's start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(f"kiosk ({DISTRIBUTION}) {package_version()}")
        parser.exit()


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="content folder (default: the bundled Liangjiang deck)",
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from kiosk.content.loader import check_folder

    folder = args.dir or default_content()
    deck, problems = check_folder(folder)
    errors = [p for p in problems if p.is_error or args.strict]
    # Findings are the command's output, as a linter's are: on stdout, the summary last, so
    # `kiosk validate DIR | grep ...` and editors' problem matchers see them.
    for problem in problems:
        print(problem)
    warnings = len(problems) - len([p for p in problems if p.is_error])
    if deck is None or errors:
        print(f"{folder}: not valid ({len(errors)} error{'s' if len(errors) != 1 else ''})")
        return 1
    note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    print(f"{folder}: valid, {len(deck.slides)} slides, {len(deck.metrics)} figures{note}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from kiosk.content.schema import SCHEMA_KINDS, schema_for, schema_text, write_schemas

    if args.reference:
        from kiosk.content.reference import reference_markdown

        sys.stdout.write(reference_markdown())
        return 0
    if args.write:
        for path in write_schemas(args.write):
            print(path)
        return 0
    if args.kind:
        sys.stdout.write(schema_text(args.kind))
    else:
        bundle = {kind: schema_for(kind) for kind in SCHEMA_KINDS}
        sys.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
    return 0


def parse_size(text: str) -> tuple[int, int]:
    """`1920x1080` as (1920, 1080)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, like 1920x1080, got {text!r}"
        ) from None
    if not (200 <= width <= 16384 and 200 <= height <= 16384):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 16384")
    return width, height


def _load_or_report(folder: Path) -> Deck | None:
    """The folder's deck, printing every problem; None (and a last line) when not valid."""
    from kiosk.content.loader import check_folder

    deck, problems = check_folder(folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if deck is None:
        print(f"{folder}: not valid; fix the errors above", file=sys.stderr)
    return deck


def cmd_render(args: argparse.Namespace) -> int:
    folder = args.dir or default_content()
    deck = _load_or_report(folder)
    if deck is None:
        return 1
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.app import ensure_app
    from kiosk.ui.render import render_deck

    ensure_app(offscreen=True)
    lang = args.lang or deck.settings.default_language
    with progress_bar(on_terminal()) as progress:
        written = render_deck(deck, args.out, args.size, lang, progress=progress)
    for path in written:
        print(path)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.ui.run import run_main

    return run_main(args)


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.ops.fleet import status_main

    return status_main(args.files, args.json)


def cmd_soak(args: argparse.Namespace) -> int:
    import json

    folder = args.dir or default_content()
    deck = _load_or_report(folder)
    if deck is None:
        return 1
    from kiosk.analytics.recorder import same_file
    from kiosk.ops.paths import default_analytics_path, default_soak_analytics_path
    from kiosk.ui.app import ensure_app
    from kiosk.ui.soak import RSS_GROWTH_LIMIT_MB, soak

    path = None if args.no_analytics else (args.analytics or default_soak_analytics_path())
    if path is not None and same_file(path, default_analytics_path()):
        print("--analytics: a burn-in never records into the visitors' database", file=sys.stderr)
        return 2
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.signals import StopSignals, describe

    ensure_app(offscreen=True)
    # The soak's loop stays in Python (no event loop to wake), so it asks between two steps
    # whether Ctrl-C or a SIGTERM arrived, and ends cleanly: analytics closed, report printed.
    with StopSignals() as stop, progress_bar(on_terminal(as_json=args.json)) as progress:
        report = soak(
            deck,
            events=args.events,
            seed=args.seed,
            analytics=path,
            stop=lambda: stop.received is not None,
            progress=progress,
        )
    summary = report.as_json()
    if args.json:
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


def cmd_bench(args: argparse.Namespace) -> int:
    folder = args.dir or default_content()
    if _load_or_report(folder) is None:
        return 1
    from kiosk.ops.progress import on_terminal, progress_bar
    from kiosk.ui.bench import bench_main

    with progress_bar(on_terminal(as_json=args.json)) as progress:
        return bench_main(
            folder, quick=args.quick, as_json=args.json, check=args.check, progress=progress
        )


def parse_days(text: str) -> float:
    """A retention of at least one day: `0` would delete every visitor's record at once."""
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days, got {text!r}") from None
    if not 1 <= days <= 36_500:
        raise argparse.ArgumentTypeError(
            f"keep between 1 and 36500 days of analytics, not {text}; "
            "--no-analytics records nothing"
        )
    return days


def parse_date(text: str) -> date:
    """`2026-05-01` as a date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-05-01, got {text!r}") from None


def cmd_stats(args: argparse.Namespace) -> int:
    from kiosk.ui.report import stats_main

    return stats_main(args.db, args.since, args.until, args.json, args.out)


def cmd_pin(args: argparse.Namespace) -> int:
    import unicodedata

    from kiosk.show.staff import hash_pin

    pin = args.pin
    if pin is None:
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        again = getpass.getpass("Again: ")
        # Full-width digits from an input method are the same PIN (hash_pin normalises them).
        if unicodedata.normalize("NFKC", again) != unicodedata.normalize("NFKC", pin):
            print("the two PINs differ", file=sys.stderr)
            return 1
    try:
        encoded = hash_pin(pin)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.config is None:
        print(encoded)
        return 0
    from kiosk.content.problems import ContentError
    from kiosk.ops.config import set_pin_hash
    from kiosk.ops.paths import default_config_path

    path = Path(args.config) if args.config else default_config_path()
    try:
        set_pin_hash(path, encoded)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{path}: staff PIN set; sudo systemctl restart {APP}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Liangjiang Kiosk: an exhibition touch-screen show from YAML content.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate", help="check a content folder and report every problem as file:line:col"
    )
    _content_arg(validate)
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="print the JSON Schema of the content files")
    schema.add_argument(
        "--kind", choices=("deck", "slide", "metrics"), help="print only this file kind's schema"
    )
    schema.add_argument(
        "--write", type=Path, metavar="FOLDER", help="write deck/slide/metrics.schema.json there"
    )
    schema.add_argument(
        "--reference", action="store_true", help="print the curator's reference in Markdown"
    )
    schema.set_defaults(func=cmd_schema)

    run = sub.add_parser("run", help="play the show (windowed; --kiosk for the hall)")
    _content_arg(run)
    run.add_argument(
        "--config", type=Path, metavar="FILE", help="settings from a kiosk.yaml; options win"
    )
    run.add_argument(
        "--kiosk",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="full screen, frameless, cursor hidden, no exit (--no-kiosk: a window)",
    )
    run.add_argument("--screen", type=int, metavar="N", help="which screen (0 = the first)")
    run.add_argument("--size", type=parse_size, metavar="WxH", help="a fixed window size")
    run.add_argument("--lang", choices=("zh", "en"), help="starting language")
    run.add_argument(
        "--pin-hash",
        metavar="HASH",
        help="staff PIN hash from `kiosk pin` (or $KIOSK_PIN_HASH); without one, no staff exit",
    )
    run.add_argument(
        "--status-file",
        type=Path,
        metavar="PATH",
        help="where to keep the JSON status (default: the platform's state folder)",
    )
    run.add_argument(
        "--log-level",
        default=None,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="default INFO; the log also goes to a rotating file in the platform's log folder",
    )
    run.add_argument(
        "--no-watch", action="store_true", help="do not reload the content when it changes"
    )
    run.add_argument(
        "--analytics",
        type=Path,
        metavar="PATH",
        help="visitor analytics database (default: analytics.sqlite3 in the data folder)",
    )
    run.add_argument("--no-analytics", action="store_true", help="record no visitor analytics")
    run.add_argument(
        "--analytics-days",
        type=parse_days,
        default=180,
        metavar="N",
        help="keep N days of analytics (default 180)",
    )
    run.set_defaults(func=cmd_run)

    soak = sub.add_parser(
        "soak", help="burn-in: the real window headless, random visitors, accelerated clock"
    )
    _content_arg(soak)
    soak.add_argument("--events", type=int, default=500, metavar="N", help="default 500")
    soak.add_argument("--seed", type=int, default=1, metavar="S", help="random seed")
    soak.add_argument("--json", action="store_true", help="print one JSON object")
    soak.add_argument(
        "--analytics",
        type=Path,
        metavar="PATH",
        help="the burn-in's own database (default: soak-analytics.sqlite3 in the data folder)",
    )
    soak.add_argument("--no-analytics", action="store_true", help="record nothing")
    soak.set_defaults(func=cmd_soak)

    stats = sub.add_parser(
        "stats", help="what visitors explored: sessions, slides, cards, languages"
    )
    stats.add_argument(
        "--db",
        type=Path,
        nargs="+",
        action="extend",
        metavar="PATH",
        help="analytics databases to combine (default: this kiosk's)",
    )
    stats.add_argument("--since", type=parse_date, metavar="DATE", help="first day, 2026-05-01")
    stats.add_argument("--until", type=parse_date, metavar="DATE", help="last day, inclusive")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument("--out", type=Path, metavar="REPORT.html", help="write an HTML report")
    stats.set_defaults(func=cmd_stats)

    bench = sub.add_parser("bench", help="measure start-up, frame times, taps, loading, memory")
    _content_arg(bench)
    bench.add_argument("--quick", action="store_true", help="a shorter run (under a minute)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument(
        "--check", action="store_true", help="exit 1 when any figure misses its target"
    )
    bench.set_defaults(func=cmd_bench)

    status = sub.add_parser("status", help="what one or many kiosks show, from their status files")
    status.add_argument(
        "files", nargs="*", type=Path, metavar="STATUS_FILE", help="default: this machine's"
    )
    status.add_argument("--json", action="store_true", help="print a JSON list")
    status.set_defaults(func=cmd_status)

    pin = sub.add_parser("pin", help="make the hash of a staff PIN for --pin-hash")
    pin.add_argument("--pin", help="the PIN (asked for without echo when absent)")
    pin.add_argument(
        "--config",
        nargs="?",
        const="",
        metavar="FILE",
        help=f"write the hash into this kiosk.yaml (default: {SYSTEM_CONFIG})",
    )
    pin.set_defaults(func=cmd_pin)

    render = sub.add_parser(
        "render", help="write every slide as a PNG, plus a contact sheet, without a window"
    )
    _content_arg(render)
    render.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="where to write")
    render.add_argument(
        "--size", type=parse_size, default=(1920, 1080), metavar="WxH", help="default 1920x1080"
    )
    render.add_argument(
        "--lang", choices=("zh", "en"), help="language (default: the deck's default language)"
    )
    render.set_defaults(func=cmd_render)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script and `python -m kiosk`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
