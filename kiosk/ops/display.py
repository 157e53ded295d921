"""How the window shows the deck: language, kiosk mode, the staff PIN and the status file.

The part of a run's settings (`kiosk.ops.settings.RunSettings`) the window reads; the defaults
are a plain window, the deck's language, no staff exit and no status file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.content.model.screen import Mounting
    from kiosk.ops.schedule import Schedule
    from kiosk.ops.settings import RunSettings


@dataclass(frozen=True)
class DisplaySettings:
    """The window's own settings, resolved once by the composition root."""

    lang: str | None = None
    """The starting language, None for the deck's."""
    kiosk: bool = False
    """Full screen, frameless, cursor hidden, window close ignored."""
    pin_hash: str | None = None
    """The staff PIN's hash; None: no staff exit."""
    status_file: Path | None = None
    """Where the status is written every few seconds; None: nowhere."""
    schedule: Schedule | None = None
    """Opening hours: outside them the show sleeps and the display powers down; None: always."""
    mounting: Mounting | None = None
    """The screen as it hangs in the hall (its size, height and the reach line); None: not
    known, and the controls sit where they fit best."""

    @classmethod
    def of(cls, settings: RunSettings) -> DisplaySettings:
        """The window's part of a run's settings."""
        return cls(
            lang=settings.lang,
            kiosk=settings.kiosk,
            pin_hash=settings.pin_hash,
            status_file=settings.status_file,
            schedule=settings.schedule,
            mounting=settings.mounting,
        )
