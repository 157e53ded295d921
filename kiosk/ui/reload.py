"""Hot reload: watch the content folder, load changes off the UI thread, report good and bad.

QFileSystemWatcher stops watching a file that an editor saves atomically (write a temporary
file, rename it over the old one), and a folder replaced by `git pull` or `rsync` is a new
folder. So the folders are watched, every path is re-added after each change, and the parent
folder is watched too. A burst of saves is debounced into one load; a load that finds the same
content revision as the one on screen changes nothing.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.content.loader import Deck, check_folder, visible_files
from kiosk.content.problems import Problem
from kiosk.content.snapshot import save_snapshot

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
POLL_MS = 15
"""How often a finished load is looked for: a load of the bundled deck takes about 12 ms."""
MAX_WATCHED = 2000
"""Paths watched at most: a content folder is small; a mistaken huge folder must not hang."""


class ContentWatcher(QObject):
    """Emits `reloaded(deck)` for a valid changed deck, `failed(problems)` for a bad edit."""

    reloaded = Signal(object)
    failed = Signal(list)

    def __init__(
        self,
        folder: Path,
        *,
        revision: str,
        debounce_ms: int = DEBOUNCE_MS,
        snapshot: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder).absolute()
        self.revision = revision
        self.snapshot = snapshot
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._load)
        # The worker thread never touches Qt: it leaves its result in a Future that this
        # timer collects on the UI thread, so no Qt object is used across threads or after
        # it has been deleted.
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._collect)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="content-load")
        self._future: Future[tuple[Deck | None, list[Problem]]] | None = None
        self._again = False
        self._failing = False
        self.loads = 0
        self._rewatch()

    def stop(self) -> None:
        """Stop watching (a load under way still finishes, and is ignored)."""
        self._debounce.stop()
        self._poll.stop()
        self._future = None
        self._executor.shutdown(wait=False, cancel_futures=True)
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def _rewatch(self) -> None:
        wanted = [str(self.folder.parent)]
        if self.folder.is_dir():
            wanted.append(str(self.folder))
            for path in sorted(visible_files(self.folder)):
                if len(wanted) >= MAX_WATCHED:
                    log.warning("watching only the first %d paths of %s", MAX_WATCHED, self.folder)
                    break
                wanted.append(str(path))
        current = set(self._watcher.files() + self._watcher.directories())
        missing = [p for p in wanted if p not in current]
        if missing:
            self._watcher.addPaths(missing)

    def _changed(self, path: str) -> None:
        self._debounce.start()  # restarting the timer folds a burst of saves into one load

    def _load(self) -> None:
        if self._future is not None:
            self._again = True
            return
        self.loads += 1
        self._future = self._executor.submit(_check, self.folder, self.snapshot)
        self._poll.start()

    def _collect(self) -> None:
        future = self._future
        if future is None or not future.done():
            return
        self._poll.stop()
        self._future = None
        self._finish(*future.result())

    def expect_recovery(self) -> None:
        """The folder is known to be broken (the show started from the last good copy): its
        next valid load is announced even when it is the revision already on screen."""
        self._failing = True

    def wait(self, timeout: float = 10.0) -> None:
        """Block until a load under way has finished (for tests and shutdown)."""
        future = self._future
        if future is not None:
            future.exception(timeout=timeout)

    def _finish(self, deck: Deck | None, problems: list[Problem]) -> None:
        self._rewatch()
        if self._again:
            self._again = False
            self._load()
            return
        if deck is None:
            for problem in problems:
                log.error("content: %s", problem)
            errors = sum(1 for p in problems if p.is_error)
            log.warning(
                "content reload failed: %d error%s in %s; still playing revision %s",
                errors, "" if errors == 1 else "s", self.folder, self.revision,
            )  # fmt: skip
            self._failing = True
            self.failed.emit(problems)
        elif deck.revision != self.revision or self._failing:
            # Back to the revision on screen after a bad edit still clears the notice.
            self._failing = False
            self.revision = deck.revision
            log.info("content reload ok: revision %s, %d slides", deck.revision, len(deck.slides))
            self.reloaded.emit(deck)
        else:
            log.debug("content reload: revision %s unchanged", deck.revision)


def _check(folder: Path, snapshot: Path | None) -> tuple[Deck | None, list[Problem]]:
    """Load a content folder on the worker thread; a loader bug becomes a problem, not a crash.
    A valid deck is also kept as the last good copy, off the UI thread."""
    try:
        deck, problems = check_folder(folder)
        if deck is not None and snapshot is not None:
            save_snapshot(deck, snapshot)
        return deck, problems
    except Exception as exc:
        log.exception("loading %s failed", folder)
        return None, [Problem(str(folder), None, None, f"cannot load: {exc}")]
