"""The settings of one `kiosk run`, resolved once from its arguments, environment and configuration.

Options given on the command line win over the environment, which wins over the configuration
file (`kiosk.yaml`), which wins over the defaults (the bundled deck, the platform's folders).
`resolve_run_settings` is the one place that merges them; the rest of the run reads the
frozen result.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.ops.paths import default_analytics_path, default_snapshot_dir, default_status_file
from kiosk.show.staff import check_hash_format

if TYPE_CHECKING:
    from kiosk.content.loader import Deck
    from kiosk.content.model.screen import Mounting
    from kiosk.ops.config import KioskConfig, NarrationConfig
    from kiosk.ops.schedule import Schedule


def _default_narration() -> NarrationConfig:
    from kiosk.ops.config import NarrationConfig  # pydantic loads when a run starts, not before

    return NarrationConfig()


PIN_HASH_ENV = "KIOSK_PIN_HASH"
"""Environment variable holding the staff PIN's hash (instead of `--pin-hash`)."""


@dataclass(frozen=True)
class RunSettings:
    """What one run of the show plays, where it keeps its files and how it looks."""

    folder: Path
    """The content folder to play."""
    watch: bool
    """Reload the content when it changes."""
    snapshot: Path
    """Where the last good copy of the content is kept."""
    kiosk: bool
    """Full screen, frameless, cursor hidden, window close ignored."""
    screen: int | None
    """Which screen, None for the primary."""
    size: tuple[int, int] | None
    """A fixed window size."""
    lang: str | None
    """The starting language, None for the deck's."""
    idle_timeout: float | None
    """The kiosk's own idle timeout, None for the deck's (see `with_idle_timeout`)."""
    pin_hash: str | None
    """The staff PIN's hash; None: no staff exit."""
    pin_source: str
    """Where `pin_hash` came from, as messages name it (`--pin-hash`, `$KIOSK_PIN_HASH`...)."""
    log_level: str
    log_file: Path | None
    """The rotating log file, None for the platform's."""
    status_file: Path
    analytics: Path | None
    """The visitors' database, None to record nothing."""
    analytics_days: float
    """Days of analytics kept."""
    metrics_file: Path | None = None
    """The Prometheus text file for node_exporter's textfile collector; None: none."""
    schedule: Schedule | None = None
    """Opening hours (the screen sleeps outside them); None: always open."""
    narration: NarrationConfig = field(default_factory=_default_narration)
    """Spoken slides and cards: volume, whether the loop speaks, the player."""
    mounting: Mounting | None = None
    """The hall's screen as it hangs (kiosk.yaml `display:`); None: not known."""

    def pin_problem(self) -> str | None:
        """Why the PIN hash cannot be used, naming its source; None when it can (or is absent)."""
        if not self.pin_hash:
            return None
        try:
            check_hash_format(self.pin_hash)
        except ValueError as exc:
            return f"{self.pin_source}: {exc}; make one with `kiosk pin`"
        return None


def resolve_run_settings(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    config: KioskConfig | None,
    *,
    bundled: Path,
) -> RunSettings:
    """The run's settings from `kiosk run`'s parsed `args`, the environment and the checked
    configuration (None without `--config`); `bundled` is the deck played when neither names
    a folder."""
    pin_sources = (
        ("--pin-hash", args.pin_hash),
        (f"${PIN_HASH_ENV}", environ.get(PIN_HASH_ENV)),
        (f"{args.config}: pin_hash", config.pin_hash if config else None),
    )
    pin_source, pin_hash = next(((name, value) for name, value in pin_sources if value), ("", None))
    no_analytics = args.no_analytics or (config is not None and config.no_analytics)
    analytics = None
    if not no_analytics:
        analytics = args.analytics or (config.analytics if config else None)
        analytics = analytics or default_analytics_path()
    status_file = args.status_file or (config.status_file if config else None)
    return RunSettings(
        folder=args.dir or (config.content if config else None) or bundled,
        watch=not args.no_watch,
        snapshot=default_snapshot_dir(),
        kiosk=args.kiosk if args.kiosk is not None else (config.kiosk if config else False),
        screen=args.screen if args.screen is not None else (config.screen if config else None),
        size=args.size,
        lang=args.lang or (config.language if config else None),
        idle_timeout=config.idle_timeout if config else None,
        pin_hash=pin_hash,
        pin_source=pin_source,
        log_level=args.log_level or (config.log_level if config else "INFO"),
        log_file=config.log_file if config else None,
        status_file=status_file or default_status_file(),
        analytics=analytics,
        analytics_days=args.analytics_days,
        metrics_file=getattr(args, "metrics_file", None)
        or (config.metrics_file if config else None),
        schedule=config.schedule if config else None,
        narration=config.narration if config else _default_narration(),
        mounting=config.display if config else None,
    )


def with_idle_timeout(deck: Deck, idle_timeout: float | None) -> Deck:
    """The deck with the kiosk's own `idle_timeout`, when it sets one.

    Apply it to the first deck and to every reloaded one: the override is the kiosk's, not the
    content's.
    """
    if idle_timeout is None:
        return deck
    return deck.with_loop(idle_timeout=idle_timeout)
