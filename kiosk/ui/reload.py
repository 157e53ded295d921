"""Hot reload: watch what the content path names, load changes off the UI thread, and show only
content that was whole and is still what the disk holds.

Three things make a naive watcher show the wrong deck:

- **Races.** A save can land while a load runs, and a writer (a slow copy, a script) can pause
  in the middle of a file. So every load is bracketed by a scan of the folder (device, inode,
  size and change times of every content file, the entries of every folder): a load whose two
  scans differ raced a change and is redone, and a load that did not is shown only after the
  folder has then stayed the same for a settle time (as chokidar's `awaitWriteFinish` waits for
  a file's size to stay put). Any change reported meanwhile discards it too. What is shown is
  exactly what was parsed: the revision is the loader's hash of the bytes it parsed.
- **Changes that are not content.** The status file, the last good copy and the log often live
  beside the content folder, and editors leave `.#x`, `x~`, `.x.swp` or `4913` next to the file
  they save. Only content files count: a folder's change is looked at by its entries (names
  and inodes of the YAML and image files and the sub-folders), so an editor's temporary file
  changes nothing, while its rename over `x.yaml` (a new inode) does.
- **Deploys that swap the folder.** `mv new content`, a `current -> releases/N` symlink switch
  or a `git`/`rsync` replacing a folder leave inotify (which watches inodes, not names) on the
  old folder. So every folder on the way to the content path is watched, each event there asks
  whether the path now names another folder (device and inode), and after every scan each
  watched path whose identity changed is watched afresh: the watches follow what the path
  names now. A load reads one resolved folder, never half of one release and half of the next.

QFileSystemWatcher also stops watching a file that an editor saves atomically (write a
temporary file, rename it over the old one): the folder's entry then has a new inode, and the
new file is watched after the next scan.

The worker thread never touches Qt: it runs pure functions (`scan`, `_check`) and leaves their
results in a Future that a timer collects on the UI thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.content.folder import IGNORED_FOLDERS, IMAGE_SUFFIXES
from kiosk.content.loader import Deck, check_folder
from kiosk.content.problems import Problem
from kiosk.ops.snapshot import save_snapshot

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
"""Quiet time after the last change before a load starts: folds a burst of saves into one."""
SETTLE_MS = 400
"""Time a loaded folder must then stay unchanged before it is shown. With the debounce, a file
whose writer pauses for up to about 0.7 s mid-way is never shown half written; a longer pause
cannot be told from a finished file (write a temporary file and rename it, as editors, git and
rsync do)."""
POLL_MS = 15
"""How often a finished job is looked for: a load of the bundled deck takes about 12 ms."""
MAX_WATCHED = 2000
"""Paths watched at most: a content folder is small; a mistaken huge folder must not hang."""
CONTENT_SUFFIXES = frozenset({".yaml", ".yml", *IMAGE_SUFFIXES})
"""The files the loader reads (content files and assets); nothing else asks for a reload."""

Identity = tuple[int, int]
"""Device and inode: what a path names, whatever it is called."""
Stamp = tuple[int, int, int, int, int]
"""Device, inode, size, modification and change time (ns) of a content file."""


def is_content_name(name: str) -> bool:
    """Whether a file of this name is content: YAML or an image, not hidden. Editors' temporary
    files (`.#x.yaml`, `x.yaml~`, `.x.yaml.swp`, `4913`, `#x.yaml#`) all fail this test."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in CONTENT_SUFFIXES


def identity(path: str) -> Identity | None:
    """What `path` names now (following symbolic links), or None when it names nothing."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _entries(folder: str, top: bool) -> list[os.DirEntry[str]] | None:
    """The entries of a folder that matter to the content: sub-folders (except hidden ones and
    the editors' schema folder), symbolic links and content files. No stat calls (the file type
    and inode come with the listing), so this is cheap enough for the UI thread."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except (OSError, ValueError):
        return None
    kept = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if not (top and name in IGNORED_FOLDERS):
                    kept.append(entry)
            elif entry.is_symlink() or is_content_name(name):
                kept.append(entry)
        except OSError:  # gone while listed
            continue
    return kept


def listing(folder: str, top: bool) -> dict[str, int] | None:
    """A folder's content entries by name, with their inodes (None when it cannot be read)."""
    entries = _entries(folder, top)
    if entries is None:
        return None
    listed = {}
    for entry in entries:
        try:
            listed[entry.name] = entry.inode()
        except OSError:
            continue
    return listed


@dataclass(frozen=True)
class Scan:
    """What the content path names at one moment, without reading any file."""

    root: str
    """The folder the content path resolved to (a load reads this one folder)."""
    root_identity: Identity | None = None
    """What that folder is (None when the path names nothing)."""
    ancestors: dict[str, Identity | None] = field(default_factory=dict)
    """Every folder on the way to the content path, by identity: a swap happens in one of them."""
    folders: dict[str, tuple[Identity, dict[str, int]]] = field(default_factory=dict)
    """Each folder of the content: its identity and its content entries (`listing`)."""
    files: dict[str, Stamp] = field(default_factory=dict)
    """Each content file, stamped."""

    def same_content(self, other: Scan) -> bool:
        """Whether nothing that a load reads differs between the two scans."""
        return (self.root, self.root_identity, self.folders, self.files) == (
            other.root,
            other.root_identity,
            other.folders,
            other.files,
        )

    def watched(self, limit: int = MAX_WATCHED) -> dict[str, Identity]:
        """The paths to watch, with what each names: the ancestors and folders first (they see
        new, removed and renamed entries), then the files (only they see in-place writes)."""
        wanted = {path: ident for path, ident in self.ancestors.items() if ident is not None}
        wanted.update((path, entry[0]) for path, entry in self.folders.items())
        for path in sorted(self.files)[: max(0, limit - len(wanted))]:
            wanted[path] = self.files[path][:2]
        return wanted


def scan(folder: Path) -> Scan:
    """Scan what `folder` names now (pure: runs on the worker thread, and once on the UI thread
    at start)."""
    root = os.path.realpath(folder)
    ancestors = {str(parent): identity(str(parent)) for parent in folder.parents}
    folders: dict[str, tuple[Identity, dict[str, int]]] = {}
    files: dict[str, Stamp] = {}
    # Symbolic links to folders are listed (a relinked folder is a change) but not followed,
    # as the loader's walk does not follow them: no loops, nothing outside the folder.
    stack = [root]
    while stack:
        path = stack.pop()
        ident = identity(path)
        entries = _entries(path, top=path == root)
        if ident is None or entries is None:
            continue
        listed: dict[str, int] = {}
        for entry in entries:
            try:
                listed[entry.name] = entry.inode()
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif is_content_name(entry.name):
                    st = entry.stat()  # follows a link: the file the loader would read
                    files[entry.path] = (
                        st.st_dev,
                        st.st_ino,
                        st.st_size,
                        st.st_mtime_ns,
                        st.st_ctime_ns,
                    )
            except OSError:  # gone while scanned: the next scan differs, so the load is redone
                continue
        folders[path] = (ident, listed)
    return Scan(root, identity(root), ancestors, folders, files)


@dataclass(frozen=True)
class _Loaded:
    """A load, with the scans taken just before and just after it."""

    deck: Deck | None
    problems: list[Problem]
    before: Scan
    after: Scan


def _load(folder: Path) -> _Loaded:
    """Scan, load the folder the path resolved to, scan again (on the worker thread)."""
    before = scan(folder)
    deck, problems = _check(Path(before.root))
    return _Loaded(deck, problems, before, scan(folder))


def _check(folder: Path) -> tuple[Deck | None, list[Problem]]:
    """Load a content folder on the worker thread; a loader bug becomes a problem, not a crash."""
    try:
        return check_folder(folder)
    except Exception as exc:
        log.exception("loading %s failed", folder)
        return None, [Problem(str(folder), None, None, f"cannot load: {exc}")]


def _keep_copy(deck: Deck, snapshot: Path) -> None:
    """Keep a shown deck as the last good copy, off the UI thread."""
    try:
        save_snapshot(deck, snapshot)
    except Exception:  # the copy is best effort; the show goes on without it
        log.exception("cannot keep the last good copy in %s", snapshot)


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
        settle_ms: int = SETTLE_MS,
        snapshot: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder).absolute()
        self.revision = revision
        self.snapshot = snapshot
        self.loads = 0
        """Loads started (a test counts them: changes that are not content start none)."""
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._folder_changed)
        self._watcher.fileChanged.connect(self._file_changed)
        self._debounce = self._timer(debounce_ms, self._start_load, single=True)
        self._settle = self._timer(settle_ms, self._start_verify, single=True)
        # The worker thread never touches Qt: it leaves its result in a Future that this
        # timer collects on the UI thread, so no Qt object is used across threads or after
        # it has been deleted.
        self._poll = self._timer(POLL_MS, self._collect, single=False)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="content-load")
        self._job: Future[Any] | None = None
        self._job_kind = ""
        self._job_generation = 0
        self._copies: list[Future[None]] = []
        self._pending: _Loaded | None = None
        self._generation = 0
        """Counts the changes seen: a load started before the latest one is out of date."""
        self._failing = False
        self._stopped = False
        self._ancestors = {str(parent) for parent in self.folder.parents}
        self._ids: dict[str, Identity] = {}
        self._refused: dict[str, Identity] = {}
        self._capped = False
        # Once on the UI thread, so that a save made right after start-up is already watched.
        self._scan = scan(self.folder)
        self._rewatch(self._scan)
        # The deck given was loaded before anything was watched: a save (or a deploy at boot)
        # in between would go unseen until the next one, so the folder is checked once now.
        self._startup = True
        self._debounce.start()

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    @property
    def state(self) -> str:
        """`idle`, `waiting` (for quiet), `loading`, `settling` or `verifying`."""
        if self._job is not None:
            return "loading" if self._job_kind == "load" else "verifying"
        if self._settle.isActive():
            return "settling"
        if self._debounce.isActive():
            return "waiting"
        return "idle"

    def stop(self) -> None:
        """Stop watching (a job under way still finishes on the worker, and is ignored)."""
        self._stopped = True
        for timer in (self._debounce, self._settle, self._poll):
            timer.stop()
        self._job = None
        self._pending = None
        self._executor.shutdown(wait=False, cancel_futures=True)
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def expect_recovery(self) -> None:
        """The folder is known to be broken (the show started from the last good copy): its
        next valid load is announced even when it is the revision already on screen."""
        self._failing = True

    def check(self, why: str) -> None:
        """Look at the folder again now, as after a change (the screen waking: a change missed
        overnight is caught before the hall opens)."""
        self._changed(why)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until the worker's jobs under way have finished (for tests and shutdown)."""
        for future in [self._job, *self._copies]:
            if future is not None and not future.cancelled():  # cancelled by `stop`
                future.exception(timeout=timeout)

    # -- what changed ------------------------------------------------------------------------

    def _file_changed(self, path: str) -> None:
        # Only content files are watched, and an in-place write is seen only here: always a
        # change (a `touch` costs one load that finds the same revision).
        self._changed(path)

    def _folder_changed(self, path: str) -> None:
        if path in self._ancestors:
            # The status file, the last good copy and the log live here too: only a swap of
            # the content folder itself counts.
            if identity(str(self.folder)) != self._scan.root_identity:
                self._changed(f"{self.folder} names another folder")
            return
        known = self._scan.folders.get(path)
        if known is None or listing(path, top=path == self._scan.root) != known[1]:
            self._changed(path)

    def _changed(self, what: str) -> None:
        if self._stopped:
            return
        self._startup = False
        log.debug("content changed: %s", what)
        self._generation += 1
        self._settle.stop()
        self._pending = None
        self._debounce.start()  # restarting the timer folds a burst of saves into one load

    # -- loading -----------------------------------------------------------------------------

    def _submit(self, kind: str, fn: Callable[..., Any], *args: Any) -> None:
        self._job = self._executor.submit(fn, *args)
        self._job_kind = kind
        self._job_generation = self._generation
        self._poll.start()

    def _start_load(self) -> None:
        if self._stopped or self._job is not None:
            return  # the job under way is out of date: it is redone when it ends
        self.loads += 1
        self._submit("load", _load, self.folder)

    def _start_verify(self) -> None:
        if self._stopped or self._pending is None or self._job is not None:
            return
        self._submit("verify", scan, self.folder)

    def _collect(self) -> None:
        job = self._job
        if job is None or not job.done():
            return
        self._job = None
        self._poll.stop()
        try:
            result = job.result()
        except Exception:  # a bug in a scan: try again after a quiet time, never crash
            log.exception("watching %s failed", self.folder)
            self._redo()
            return
        current = self._job_generation == self._generation
        if self._job_kind == "load":
            loaded: _Loaded = result
            self._adopt(loaded.after)
            if current and loaded.before.same_content(loaded.after):
                self._pending = loaded
                self._settle.start()
            else:
                log.debug("content changed during a load; loading again")
                self._redo()
        else:
            now: Scan = result
            self._adopt(now)
            pending = self._pending
            if current and pending is not None and pending.after.same_content(now):
                self._pending = None
                self._finish(pending.deck, pending.problems)
            else:
                log.debug("content changed after a load; loading again")
                self._redo()

    def _redo(self) -> None:
        """A result that is out of date: load again once the folder has been quiet."""
        self._pending = None
        self._settle.stop()
        self._debounce.start()

    def _adopt(self, fresh: Scan) -> None:
        """The latest scan: what folder changes are compared with, and what is watched."""
        self._scan = fresh
        self._rewatch(fresh)

    def _rewatch(self, fresh: Scan) -> None:
        """Watch what the paths name now: a path whose identity changed (a folder swapped in
        under the same name, a file saved atomically) is removed and added again, since the
        old watch follows the old inode."""
        wanted = fresh.watched()
        if not self._capped and any(path not in wanted for path in fresh.files):
            self._capped = True
            log.warning("watching only the first %d paths of %s", MAX_WATCHED, fresh.root)
        current = set(self._watcher.files()) | set(self._watcher.directories())
        stale = {p for p in current if p not in wanted or self._ids.get(p) != wanted[p]}
        if stale:
            self._watcher.removePaths(sorted(stale))
        for path in stale:
            self._ids.pop(path, None)
        # Paths gone since the scan are left for the next one (Qt refuses them anyway), and a
        # path Qt refused (a folder above the content that the kiosk's user may not read) is
        # not asked for again, with a warning each time, until it names something else.
        missing = [
            p
            for p in wanted
            if (p not in current or p in stale)
            and self._refused.get(p) != wanted[p]
            and os.path.exists(p)
        ]
        if missing:
            refused = set(self._watcher.addPaths(missing))
            for path in missing:
                if path in refused:
                    self._refused[path] = wanted[path]
                else:
                    self._ids[path] = wanted[path]
                    self._refused.pop(path, None)

    def _finish(self, deck: Deck | None, problems: list[Problem]) -> None:
        startup, self._startup = self._startup, False
        if deck is None and startup and self._failing:
            # Broken at start-up, as already logged: the problems as they are now, quietly.
            self.failed.emit(problems)
            return
        if deck is None:
            for problem in problems:
                log.error("content: %s", problem)
            errors = sum(1 for p in problems if p.is_error)
            log.warning(
                "content reload failed: %d error%s in %s; still playing revision %s",
                errors,
                "" if errors == 1 else "s",
                self.folder,
                self.revision,
            )
            self._failing = True
            self.failed.emit(problems)
            return
        if self.snapshot is not None:
            # Only now, once the deck has been found whole and settled, is it the last good copy.
            self._copies = [f for f in self._copies if not f.done()]
            self._copies.append(self._executor.submit(_keep_copy, deck, self.snapshot))
        if deck.revision != self.revision or self._failing:
            # Back to the revision on screen after a bad edit still clears the notice.
            self._failing = False
            self.revision = deck.revision
            log.info("content reload ok: revision %s, %d slides", deck.revision, len(deck.slides))
            self.reloaded.emit(deck)
        else:
            log.debug("content reload: revision %s unchanged", deck.revision)
