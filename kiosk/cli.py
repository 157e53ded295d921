"""The `kiosk` command: run the show, and the curator's and installer's tools around it."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops.paths import APP, SYSTEM_CONFIG

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from kiosk.content.loader import Deck
    from kiosk.ops.settings import RunSettings
    from kiosk.ui.signals import StopSignals
    from kiosk.ui.window import KioskWindow

# The bundled deck: package data in an installed wheel (pyproject.toml maps content/ to
# kiosk/deck), the top-level content/ folder in a checkout (and in an editable install).
INSTALLED_CONTENT = Path(__file__).resolve().parent / "deck"
CHECKOUT_CONTENT = Path(__file__).resolve().parent.parent / "content"


def default_content() -> Path:
    """The bundled Liangjiang deck, wherever the package is installed (never the working folder)."""
    if (INSTALLED_CONTENT / "deck.yaml").is_file():
        return INSTALLED_CONTENT
    return CHECKOUT_CONTENT


log = logging.getLogger(__name__)
DISTRIBUTION = APP
"""The name the package is installed under (pyproject.toml)."""


def package_version() -> str:
    """The installed distribution's version; the source's own when run from an uninstalled
    tree (a checkout on sys.path), said so."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        from kiosk import __version__

        return f"{__version__} (not installed)"


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


STAFF_EXIT = 3
"""Exit status after a staff exit; the service does not restart the show for it."""


def staff_exit(app: QCoreApplication) -> None:
    """Leave the show after the right PIN, marking it so the service does not restart it."""
    from kiosk.ops.notices import best_effort
    from kiosk.ops.paths import service_state_dir

    log.info("staff exit through the PIN pad")
    state, named = service_state_dir()
    # Not installed as a service (no state folder): nothing will restart it anyway. Where
    # there is one, a marker that cannot be written is said, as every other state file.
    if named or state.is_dir():
        marker = state / "staff-exit"
        with best_effort(
            f"mark the staff exit in {marker}", consequence="the service may restart the show"
        ):
            marker.write_text("staff exit through the PIN pad\n", encoding="utf-8")
    app.exit(STAFF_EXIT)


def cmd_run(args: argparse.Namespace) -> int:
    import faulthandler

    from kiosk.ops.logs import log_uncaught_exceptions, setup_logging, stderr_is_journal
    from kiosk.ops.settings import resolve_run_settings
    from kiosk.ui.signals import StopSignals

    # Ctrl-C and systemd's stop are caught from here on; until the event loop runs they are
    # looked at between the steps of the start-up.
    with StopSignals() as stop:
        config = None
        if args.config is not None:
            from kiosk.content.problems import ContentError
            from kiosk.ops.config import load_config

            try:
                config = load_config(args.config)
            except ContentError as exc:
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
                print(f"{args.config}: not valid; fix the errors above", file=sys.stderr)
                return 2
        settings = resolve_run_settings(args, os.environ, config, bundled=default_content())
        log_file = setup_logging(settings.log_level, settings.log_file)
        log_uncaught_exceptions()
        # A hard crash (a segfault in Qt) still leaves the Python stack of every thread on
        # stderr, which the journal keeps.
        faulthandler.enable()
        log.info(
            "Liangjiang Kiosk %s starting (pid %d); log: %s",
            package_version(),
            os.getpid(),
            log_file
            or (
                "stderr only (the journal)"
                if stderr_is_journal()
                else "stderr only (the log file cannot be written)"
            ),
        )
        try:
            return _run(settings, stop)
        except Exception:
            log.critical("the kiosk crashed", exc_info=True)
            return 1


def _run(settings: RunSettings, stop: StopSignals) -> int:
    from kiosk.ops.snapshot import load_with_fallback, save_snapshot
    from kiosk.ui.signals import EXIT_STATUS, describe

    folder, snapshot = settings.folder, settings.snapshot
    deck, problems, from_copy = load_with_fallback(folder, snapshot)
    # Logged, not just printed: the technician reads the journal or the log file later.
    for problem in problems:
        (log.error if problem.is_error else log.warning)("content: %s", problem)
    if deck is None:
        log.critical("%s: not valid and no last good copy to play; fix the errors above", folder)
        return 1
    errors = [p for p in problems if p.is_error]
    if from_copy:
        log.error(
            "%s: not valid (%d errors); playing the last good content (%s) until it is fixed",
            folder,
            len(errors),
            snapshot,
        )
    else:
        save_snapshot(deck, snapshot)
    log.info(
        "content %s: revision %s, %d slides, %d figures",
        snapshot if from_copy else folder,
        deck.revision,
        len(deck.slides),
        len(deck.metrics),
    )
    if stop.received is not None:
        log.info("stopped during start-up: %s", describe(stop.received))
        return EXIT_STATUS[stop.received]
    from PySide6.QtCore import QSize

    from kiosk.analytics.recorder import Recorder
    from kiosk.ops.notify import ready
    from kiosk.ui.app import ensure_app
    from kiosk.ui.window import KioskWindow

    app = ensure_app()

    def on_stop(signum: signal.Signals) -> None:
        log.info("stopping: %s", describe(signum))
        app.exit(EXIT_STATUS[signum])

    stop.attach(app, on_stop)
    screens = app.screens()
    screen = settings.screen
    if screen is not None and not 0 <= screen < len(screens):
        log.critical("no screen %d; screens are 0 to %d", screen, len(screens) - 1)
        return 2
    pin_problem = settings.pin_problem()
    if pin_problem is not None:
        log.critical("%s", pin_problem)
        return 2
    recorder = None
    if settings.analytics is not None:
        recorder = Recorder(settings.analytics, retention_days=settings.analytics_days)
    window: KioskWindow | None = None
    code = 1
    try:
        window = KioskWindow(
            deck,
            lang=settings.lang,
            kiosk=settings.kiosk,
            pin_hash=settings.pin_hash,
            folder=folder if settings.watch else None,
            status_file=settings.status_file,
            analytics=recorder,
            idle_timeout=settings.idle_timeout,
            on_staff_exit=lambda: staff_exit(app),
            snapshot=snapshot,
            content_problems=errors if from_copy else None,
        )
        size = QSize(*settings.size) if settings.size else None
        window.place(screen=screens[screen] if screen is not None else None, size=size)
        _log_placement(window, app.platformName())
        log.info(
            "kiosk mode %s; staff exit %s; watching the content %s; analytics %s; status %s",
            "on" if settings.kiosk else "off (a window)",
            "with the PIN" if settings.pin_hash else "off (no PIN)",
            "on" if settings.watch else "off",
            recorder.path if recorder is not None else "off",
            window.status_file,
        )
        _log_loop_language(window)
        ready()  # systemd (Type=notify): the show is on screen
        code = app.exec()
        return code
    finally:
        reason = _stop_reason(code, stop)
        if window is not None:
            _stop_window(window, reason, code)
        if recorder is not None:
            recorder.close()  # the last events are written and the file closed
        log.info("stopped: %s; exit status %d", reason, code)


def _log_placement(window: KioskWindow, platform: str) -> None:
    screen = window.screen()
    if screen is None:
        log.info("window %dx%d on no screen (%s)", window.width(), window.height(), platform)
        return
    geometry = screen.geometry()
    log.info(
        "screen %s %dx%d at %.0f dpi (%s); window %dx%d",
        screen.name() or "?",
        geometry.width(),
        geometry.height(),
        screen.logicalDotsPerInch(),
        platform,
        window.width(),
        window.height(),
    )


def _log_loop_language(window: KioskWindow) -> None:
    """Log the language the attract loop plays in, at start and whenever it changes (a visitor
    switching languages is not logged: the loop returns to the deck's default after them)."""
    from kiosk.show.show import Change, Mode

    show = window.show_state
    logged: list[str] = []

    def check(change: Change | None = None) -> None:
        if show.mode is Mode.ATTRACT and (not logged or logged[-1] != show.lang):
            logged[:] = [show.lang]
            default = show.deck.settings.default_language
            log.info(
                "the loop plays in %s%s",
                show.lang,
                " (the deck's default)" if show.lang == default else "",
            )

    show.subscribe(check)
    check()


def _stop_reason(code: int, stop: StopSignals) -> str:
    from kiosk.ui.signals import describe
    from kiosk.ui.window import UNUSABLE_EXIT

    if stop.received is not None:
        return describe(stop.received)
    return {STAFF_EXIT: "staff exit", UNUSABLE_EXIT: "unusable show", 0: "window closed"}.get(
        code, "error"
    )


def _stop_window(window: KioskWindow, reason: str, code: int) -> None:
    """Stop the window's clock and watcher and leave a status file that says so (`kiosk
    status` shows the kiosk as stopped, not as a dead one that went stale)."""
    from kiosk.ops.notices import best_effort
    from kiosk.ops.notify import stopping
    from kiosk.ops.status import utc_now, write_status

    stopping(f"stopping: {reason}")
    window.timer.stop()
    if window.watcher is not None:
        window.watcher.stop()
    if window.status_file is None:
        return
    status = window.status()
    status.update(mode="stopped", stopped_at=utc_now(), stop_reason=reason, exit_status=code)
    with best_effort(f"write the status file {window.status_file}"):
        write_status(window.status_file, status)


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
