"""The `kiosk` command's argument parser and dispatch: each command's options, handed to the
layer that does the work (the work's own imports load only when that command runs)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.content.bundled import default_content
from kiosk.ops.paths import SYSTEM_CONFIG
from kiosk.ops.version import DISTRIBUTION, package_version


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
    from kiosk.content.commands import validate_main

    return validate_main(args.dir or default_content(), strict=args.strict)


def cmd_audit(args: argparse.Namespace) -> int:
    from kiosk.content.commands import audit_main

    if args.no_screens:
        if args.config is not None:
            print("--config measures the hall's screen, --no-screens none", file=sys.stderr)
            return 2
        return audit_main(args.dir or default_content(), as_json=args.json, strict=args.strict)
    from kiosk.ui.reach import screen_audit

    found = screen_audit(args.config)
    if found is None:
        return 2
    checks, extra, content = found
    folder = args.dir or content or default_content()
    return audit_main(folder, as_json=args.json, strict=args.strict, checks=checks, extra=extra)


def cmd_schema(args: argparse.Namespace) -> int:
    from kiosk.content.commands import schema_main

    return schema_main(kind=args.kind, write=args.write, reference=args.reference)


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


def cmd_render(args: argparse.Namespace) -> int:
    from kiosk.ui.commands import render_main

    return render_main(
        args.dir or default_content(),
        args.out,
        args.size,
        args.lang,
        larger=args.larger,
        contrast=args.contrast,
    )


def cmd_narrate(args: argparse.Namespace) -> int:
    from kiosk.ops.speech import narrate_main

    return narrate_main(args.dir or default_content(), args.out, args.lang)


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.ui.run import run_main

    return run_main(args)


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.ops.fleet import status_main

    return status_main(args.files, args.json)


def cmd_soak(args: argparse.Namespace) -> int:
    from kiosk.ui.commands import soak_main

    return soak_main(
        args.dir or default_content(),
        events=args.events,
        seed=args.seed,
        analytics=args.analytics,
        no_analytics=args.no_analytics,
        as_json=args.json,
    )


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.ui.commands import bench_command

    folder = args.dir or default_content()
    return bench_command(folder, quick=args.quick, as_json=args.json, check=args.check)


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
    from kiosk.ops.pin import pin_main

    return pin_main(args.pin, args.config)


def parse_day_count(text: str) -> int:
    """How many days `kiosk schedule` prints: 1 to 366."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days, got {text!r}") from None
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError(f"print between 1 and 366 days, not {text}")
    return days


def cmd_schedule(args: argparse.Namespace) -> int:
    from kiosk.ops.schedule import schedule_main

    return schedule_main(args.config, args.start, args.days)


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

    audit = sub.add_parser(
        "audit",
        help="a curator's check: each slide's words and reading time, long slides, figures "
        "without a source, cards that only repeat, contrast, touch targets, reach, narration",
    )
    _content_arg(audit)
    audit.add_argument("--json", action="store_true", help="print one JSON object")
    audit.add_argument(
        "--strict", action="store_true", help="exit 1 when there is any finding (a warning)"
    )
    audit.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="measure touch targets and reach on the hall's screen (a kiosk.yaml's display:) "
        "instead of the deck's reference screens; its content folder when DIR is not given",
    )
    audit.add_argument(
        "--no-screens",
        action="store_true",
        help="skip the touch-target and reach checks (no Qt: the content's own checks only)",
    )
    audit.set_defaults(func=cmd_audit)

    schema = sub.add_parser("schema", help="print the JSON Schema of the content files")
    schema.add_argument(
        "--kind",
        choices=("deck", "slide", "metrics", "map"),
        help="print only this file kind's schema",
    )
    schema.add_argument(
        "--write", type=Path, metavar="FOLDER", help="write each kind's <kind>.schema.json there"
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
    run.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="starting language (default: the loop's first); the loop goes on from it",
    )
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
        "--metrics-file",
        type=Path,
        metavar="PATH",
        help="write Prometheus metrics there every few seconds (node_exporter's textfile folder)",
    )
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

    schedule = sub.add_parser(
        "schedule", help="what the kiosk does when: wake, open, close, sleep, exceptions"
    )
    schedule.add_argument(
        "--config", metavar="FILE", help=f"the kiosk.yaml to read (default: {SYSTEM_CONFIG})"
    )
    schedule.add_argument(
        "--from",
        dest="start",
        type=parse_date,
        metavar="DATE",
        help="first day, 2026-10-01 (default: today in the schedule's time zone)",
    )
    schedule.add_argument(
        "--days", type=parse_day_count, default=7, metavar="N", help="days to print (default 7)"
    )
    schedule.set_defaults(func=cmd_schedule)

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
    render.add_argument(
        "--larger", action="store_true", help="text 1.3x larger, as the visitor's A+ control"
    )
    render.add_argument(
        "--contrast",
        action="store_true",
        help="the high-contrast theme, as the visitor's contrast control",
    )
    render.set_defaults(func=cmd_render)

    narrate = sub.add_parser(
        "narrate",
        help="write every slide's and card's narration as WAV files, with an index of their "
        "text, for review (recorded audio where the content has it, else espeak-ng)",
    )
    _content_arg(narrate)
    narrate.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="where to write")
    narrate.add_argument("--lang", choices=("zh", "en"), help="one language (default: every one)")
    narrate.set_defaults(func=cmd_narrate)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script and `python -m kiosk`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
