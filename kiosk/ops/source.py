"""What the window plays: the deck as loaded, where it came from and the kiosk's idle override.

The composition root (`kiosk run`) builds one `ContentSource` after loading the content (or
its last good copy) and hands it to the window; tests and tools make one from a deck alone
with `ContentSource.of(deck)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.ops.settings import with_idle_timeout

if TYPE_CHECKING:
    from kiosk.content.loader import Deck
    from kiosk.content.problems import Problem


@dataclass(frozen=True)
class ContentSource:
    """The deck to play and what the window needs to keep it current."""

    deck: Deck
    """The deck as loaded (before the kiosk's idle-timeout override: see `playing`)."""
    folder: Path | None = None
    """The content folder to watch for edits; None: never reload."""
    snapshot: Path | None = None
    """Where each good reload is kept as the last good copy; None: keep none."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the folder when `deck` is its last good copy (shown to staff at once)."""
    idle_timeout: float | None = None
    """The kiosk's own idle timeout, None for the deck's."""

    @classmethod
    def of(cls, deck: Deck, *, idle_timeout: float | None = None) -> ContentSource:
        """Just a deck: no folder to watch, no copy kept, nothing wrong."""
        return cls(deck, idle_timeout=idle_timeout)

    def playing(self, deck: Deck | None = None) -> Deck:
        """`deck` (the loaded one by default, or a reloaded one) with the kiosk's idle timeout:
        the one place the override is applied."""
        return with_idle_timeout(self.deck if deck is None else deck, self.idle_timeout)
