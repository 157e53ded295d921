"""The last good content: a copy of the last deck that validated, for a kiosk that boots while
its content folder is broken (a half-synced folder, a bad edit) to play instead of a black
screen.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from kiosk.content.files import UnreadableFile, read_limited
from kiosk.content.folder import visible_files
from kiosk.content.loader import Deck, check_folder
from kiosk.content.problems import Problem
from kiosk.ops.notices import best_effort

log = logging.getLogger(__name__)

REVISION_FILE = ".revision"


def snapshot_revision(snapshot: Path) -> str | None:
    """The revision of the deck kept in `snapshot`, if there is one."""
    try:
        # Read as content is: a FIFO or a folder in its place never blocks or raises, and a
        # file garbled by a power cut is no revision rather than a stopped start.
        raw = read_limited(snapshot / REVISION_FILE, 256)
        return raw.decode("ascii").strip() or None
    except (UnreadableFile, UnicodeDecodeError):
        return None


def save_snapshot(deck: Deck, snapshot: Path) -> bool:
    """Keep a copy of `deck`'s folder in `snapshot` unless it holds that revision already.

    The copy is validated before it replaces the previous one (the folder may change while it
    is copied), and the swap is a rename, so `snapshot` always holds a whole valid deck.
    Returns whether a new copy was kept. Never raises for the machine's reasons (a read-only
    or full state folder, a file in its place): that is an operations notice, and the deck
    stays valid and on screen.
    """
    with best_effort(f"keep the last good copy of the content in {snapshot}"):
        return _save(deck, snapshot)
    return False


def _save(deck: Deck, snapshot: Path) -> bool:
    if snapshot_revision(snapshot) == deck.revision:
        return False
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=snapshot.parent))
    try:
        root = deck.root
        for path in visible_files(root):
            target = staging / path.relative_to(root)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        copied, _ = check_folder(staging)
        if copied is None or copied.revision != deck.revision:
            log.info("content changed while it was copied; the last good copy is kept as it was")
            return False
        (staging / REVISION_FILE).write_text(deck.revision + "\n", encoding="utf-8")
        old = snapshot.with_name(snapshot.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if snapshot.exists():
            snapshot.rename(old)
        staging.rename(snapshot)
        shutil.rmtree(old, ignore_errors=True)
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def load_with_fallback(
    folder: Path, snapshot: Path | None
) -> tuple[Deck | None, list[Problem], bool]:
    """The folder's deck; or, when it is not valid, the last good copy's.

    Returns the deck (None when neither is valid), the folder's problems, and whether the
    deck came from the copy.
    """
    deck, problems = check_folder(folder)
    if deck is not None or snapshot is None or snapshot_revision(snapshot) is None:
        return deck, problems, False
    kept, _ = check_folder(snapshot)
    return kept, problems, kept is not None
