"""`kiosk run`'s start-up and stop: settings, logging, the window composed and placed, signals."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from kiosk.content.bundled import default_content
from kiosk.ops.version import package_version

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from kiosk.ops.settings import RunSettings
    from kiosk.ops.speech import Narrator
    from kiosk.ui.signals import StopSignals
    from kiosk.ui.telemetry import Telemetry
    from kiosk.ui.window import KioskWindow

# Under the command's name, as always: the journal's and the log file's lines read
# `kiosk.cli: ...`, and a technician's filters look for it.
log = logging.getLogger("kiosk.cli")


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


def run_main(args: argparse.Namespace) -> int:
    """`kiosk run`: resolve the settings once, set up logging, play the show until it stops."""
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
    from kiosk.ops.display import DisplaySettings
    from kiosk.ops.notify import ready
    from kiosk.ops.source import ContentSource
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
    telemetry: Telemetry | None = None
    code = 1
    try:
        source = ContentSource(
            deck,
            folder=folder if settings.watch else None,
            snapshot=snapshot,
            problems=tuple(errors) if from_copy else (),
            idle_timeout=settings.idle_timeout,
        )
        speaker = _speaker(settings)
        window = KioskWindow(
            source,
            DisplaySettings.of(settings),
            analytics=recorder,
            on_staff_exit=lambda: staff_exit(app),
            speaker=speaker,
            narrate_loop=settings.narration.in_loop,
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
        if window.sleeper is not None:
            log.info(
                "opening hours in %s (%s now); display power: %s; `kiosk schedule` prints them",
                window.sleeper.schedule.timezone,
                "open" if window.sleeper.timetable.is_open(window.wall_clock()) else "closed",
                window.power.method if window.power is not None else "none",
            )
        telemetry = _watch(window, settings)
        ready()  # systemd (Type=notify): the show is on screen
        code = app.exec()
        return code
    finally:
        reason = _stop_reason(code, stop)
        if telemetry is not None:
            telemetry.stop()
            telemetry.write_metrics(up=False)  # node_exporter serves it: kiosk_up 0
        if window is not None:
            _stop_window(window, reason, code)
        if recorder is not None:
            recorder.close()  # the last events are written and the file closed
        log.info("stopped: %s; exit status %d", reason, code)


def _speaker(settings: RunSettings) -> Narrator | None:
    """The narrator for the listen control (audio made ahead of time in its own thread), or
    None when the configuration says `player: none`."""
    from kiosk.ops.speech import make_narrator

    narration = settings.narration
    if narration.player == "none":
        log.info("narration off (player: none)")
        return None
    log.info(
        "narration: volume %.0f%%, in the loop %s, player %s",
        narration.volume * 100,
        "on" if narration.in_loop else "off",
        narration.player if isinstance(narration.player, str) else " ".join(narration.player),
    )
    return make_narrator(settings)


def _watch(window: KioskWindow, settings: RunSettings) -> Telemetry:
    """The hall's view of the window: the metrics file (when asked for), the screenshot beside
    the status file (every minute and on SIGUSR1), events with journal fields."""
    from PySide6.QtCore import QTimer

    from kiosk.ui.screenshot import SCREENSHOT_NAME
    from kiosk.ui.telemetry import Telemetry

    telemetry = Telemetry(
        window,
        metrics_file=settings.metrics_file,
        screenshot_file=settings.status_file.with_name(SCREENSHOT_NAME),
    )
    telemetry.install_sigusr1()  # for the process's life: the show is its last user
    telemetry.write_metrics()
    QTimer.singleShot(1000, telemetry.take_screenshot)  # once the first slide is painted
    log.info(
        "metrics %s; screenshot %s (every minute and on SIGUSR1)",
        settings.metrics_file or "off",
        telemetry.screenshot_file,
    )
    return telemetry


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
    """Log the languages the attract loop plays in, at start and whenever that changes: the
    language of a loop of one (a visitor switching languages is not logged: the loop returns
    to its own after them), the plan of a loop that turns through several (once, not at each
    turn: a technician reads a log of a day, not of every cycle)."""
    from kiosk.show.show import Change, Mode

    show = window.show_state
    logged: list[str] = []

    def plan() -> str:
        languages = show.loop_languages
        if len(languages) < 2:
            default = show.deck.settings.default_language
            return show.lang + (" (the deck's default)" if show.lang == default else "")
        each = "each cycle" if show.deck.settings.loop.alternate == "cycle" else "at every slide"
        return f"{', then '.join(languages)}, turning {each}"

    def check(change: Change | None = None) -> None:
        if show.mode is not Mode.ATTRACT:
            return
        said = plan()
        if not logged or logged[-1] != said:
            logged[:] = [said]
            log.info("the loop plays in %s", said)

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
    if window.speaker is not None:
        window.speaker.close()  # nothing goes on speaking after the show
    if window.status_file is None:
        return
    status = window.status()
    status.update(mode="stopped", stopped_at=utc_now(), stop_reason=reason, exit_status=code)
    with best_effort(f"write the status file {window.status_file}"):
        write_status(window.status_file, status)
