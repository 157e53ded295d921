"""Live edits as curators, scripts and deploy tools make them: races with loads, files written in
pieces, the kiosk's own files beside the content, editors' temporary files, swapped folders.

The race tests run many seeded trials of a writer saving versions while loads run, and check
the end state (the last whole file on screen, under the hash of exactly that file) and every
state on the way (never a part of a file, never an error no file had).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import kiosk.content.loader as loader_module
import kiosk.content.yamlfile as yamlfile_module
import kiosk.ui.reload as reload_module
from kiosk.content.loader import Deck, load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.ui.reload import ContentWatcher, is_content_name, scan
from kiosk.ui.window import KioskWindow
from tests.helpers.running import RunningKiosk, wait_for
from tests.helpers.show import TITLES, write_show

DEBOUNCE_MS = 20
SETTLE_MS = 80
"""Short, so that many trials fit in seconds; the writers below never pause mid-file longer
than the quiet time these add up to, except where a test holds the pause open itself."""
TIMEOUT_MS = 5000

TAIL = "square kilometres"


def slide(version: int | str) -> str:
    """Slide one at a version: any cut of its last line still parses, so a half-written file
    would show a truncated figure ("... covers 13")."""
    return (
        f"id: one\ntype: title\ntitle:\n  zh: 第{version}版\n"
        f"  en: Version {version} covers 1360 {TAIL}\n"
    )


def title(deck: Deck) -> str:
    return str(deck.slides[0].title.get("en"))  # type: ignore[attr-defined]


def whole(text: str) -> bool:
    return text.endswith(TAIL)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_show(tmp_path / "show", {**TITLES, "slides/one.yaml": slide(0)})


class Seen:
    """Everything a watcher announced."""

    def __init__(self, watcher: ContentWatcher) -> None:
        self.decks: list[Deck] = []
        self.failures: list[list[Any]] = []
        watcher.reloaded.connect(self.decks.append)
        watcher.failed.connect(self.failures.append)

    @property
    def titles(self) -> list[str]:
        return [title(d) for d in self.decks]


def make_watcher(folder: Path) -> ContentWatcher:
    return ContentWatcher(
        folder, revision=load_deck(folder).revision, debounce_ms=DEBOUNCE_MS, settle_ms=SETTLE_MS
    )


@pytest.fixture
def watcher(qtbot: QtBot, folder: Path) -> Iterator[ContentWatcher]:
    w = make_watcher(folder)
    yield w
    w.stop()
    w.wait()


def atomic_write(path: Path, text: str, rng: random.Random | None = None) -> None:
    tmp = path.with_name(f".{path.name}.{rng.randrange(1 << 30) if rng else 0}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_in_pieces(path: Path, text: str, cut: int) -> None:
    """An in-place save in two writes (truncate, a part, the rest), as a slow copy does."""
    data = text.encode()
    with path.open("wb") as handle:
        handle.write(data[:cut])
        handle.flush()
        handle.write(data[cut:])


def save(path: Path, text: str, rng: random.Random) -> None:
    how = rng.randrange(3)
    if how == 0:
        atomic_write(path, text, rng)
    elif how == 1:
        path.write_text(text, encoding="utf-8")
    else:
        write_in_pieces(path, text, rng.randrange(1, len(text.encode())))


def run_writer(qtbot: QtBot, work: Callable[[], None]) -> None:
    """Run `work` on a thread while the UI thread keeps handling the watcher's events."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=TIMEOUT_MS)
    thread.join()
    assert not errors, errors


def settled(watcher: ContentWatcher, seen: Seen, expected: str) -> Callable[[], bool]:
    return lambda: (
        watcher.state == "idle" and bool(seen.decks) and title(seen.decks[-1]) == expected
    )


# -- races ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_saves_while_loads_run_end_on_the_last_whole_file(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path, seed: int
) -> None:
    rng = random.Random(seed)
    path = folder / "slides" / "one.yaml"
    seen = Seen(watcher)
    version = 0
    for _ in range(12):  # trials: 48 in all, each a burst of saves and loads
        count = rng.randrange(1, 8)
        pauses = [rng.uniform(0, 0.03) for _ in range(count)]
        first = version + 1

        def writer(first: int = first, pauses: list[float] = pauses) -> None:
            for i, pause in enumerate(pauses):
                save(path, slide(first + i), rng)
                threading.Event().wait(pause)  # the writer's own pace, not a wait for the kiosk

        run_writer(qtbot, writer)
        version = first + count - 1
        qtbot.waitUntil(
            settled(watcher, seen, f"Version {version} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
        )
        on_disk = load_deck(folder)
        assert watcher.revision == on_disk.revision == seen.decks[-1].revision
    assert all(whole(t) for t in seen.titles), [t for t in seen.titles if not whole(t)]
    assert seen.failures == []  # an empty or cut file was never reported either


def test_a_file_written_in_two_halves_is_never_shown_half(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer holds the file open with half of it written until a load has read that half
    (a slow copy pausing mid-file): whatever the timing, the half never reaches the screen."""
    path = folder / "slides" / "one.yaml"
    seen = Seen(watcher)
    read_half = threading.Event()
    original = reload_module._check

    def check(*args: Any) -> Any:
        result = original(*args)
        deck = result[0]
        if deck is not None and not whole(title(deck)):
            read_half.set()
        return result

    monkeypatch.setattr(reload_module, "_check", check)
    rng = random.Random(7)
    for version in range(1, 21):
        read_half.clear()
        data = slide(version).encode()
        cut = data.index(b"covers") + rng.randrange(0, 12)
        with path.open("wb") as handle:
            handle.write(data[:cut])
            handle.flush()
            qtbot.waitUntil(read_half.is_set, timeout=TIMEOUT_MS)
            handle.write(data[cut:])
        qtbot.waitUntil(
            settled(watcher, seen, f"Version {version} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
        )
    assert [t for t in seen.titles if not whole(t)] == []
    assert seen.failures == []


@pytest.fixture
def mid_parse(monkeypatch: pytest.MonkeyPatch, folder: Path) -> dict[str, str]:
    """Saves that land while the loader parses slide one: when it parses the version named by
    a key, the slide is saved again with the key's text, after the loader has read the bytes
    and before the load ends."""
    landing: dict[str, str] = {}
    path = folder / "slides" / "one.yaml"
    original = yamlfile_module.parse_yaml_bytes

    def parse(raw: bytes, display: str) -> Any:
        if display == "slides/one.yaml":
            for trigger in [t for t in landing if f"Version {t} ".encode() in raw]:
                path.write_text(landing.pop(trigger), encoding="utf-8")
        return original(raw, display)

    monkeypatch.setattr(yamlfile_module, "parse_yaml_bytes", parse)
    monkeypatch.setattr(loader_module, "parse_yaml_bytes", parse, raising=False)
    return landing


def test_a_save_landing_during_the_parse_is_not_hidden_under_its_revision(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path, mid_parse: dict[str, str]
) -> None:
    """A save lands after the loader has read a file and before the load ends: the load is
    discarded and redone, and the revision is never the newer file's on the older text."""
    seen = Seen(watcher)
    for version in range(1, 21, 2):
        mid_parse[str(version)] = slide(version + 1)
        (folder / "slides" / "one.yaml").write_text(slide(version), encoding="utf-8")
        qtbot.waitUntil(
            settled(watcher, seen, f"Version {version + 1} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
        )
        assert not mid_parse
        assert watcher.revision == load_deck(folder).revision == seen.decks[-1].revision


@pytest.fixture
def live(qtbot: QtBot, folder: Path, tmp_path: Path) -> Iterator[KioskWindow]:
    """The kiosk as packaged: its status file and last good copy beside the content folder."""
    win = KioskWindow(
        ContentSource(load_deck(folder), folder=folder, snapshot=tmp_path / "last-good"),
        DisplaySettings(status_file=tmp_path / "status.json"),
        clock=ManualClock(1000.0),
    )
    assert win.watcher is not None
    win.watcher._debounce.setInterval(DEBOUNCE_MS)
    win.watcher._settle.setInterval(SETTLE_MS)
    qtbot.addWidget(win)
    win.resize(480, 270)
    win.show()
    yield win
    win.close()
    win.watcher.wait()


def test_the_window_and_its_status_end_on_the_last_save(
    qtbot: QtBot, live: KioskWindow, folder: Path, tmp_path: Path, mid_parse: dict[str, str]
) -> None:
    assert live.watcher is not None
    watcher = live.watcher
    seen = Seen(watcher)
    path = folder / "slides" / "one.yaml"
    rng = random.Random(42)
    version = 0
    for _ in range(12):
        count = rng.randrange(2, 7)
        first = version + 1

        def writer(first: int = first, count: int = count) -> None:
            for v in range(first, first + count):
                save(path, slide(v), rng)
                threading.Event().wait(rng.uniform(0, 0.02))

        run_writer(qtbot, writer)
        version = first + count - 1
        # Then one more save, and the last one lands while that one is being parsed.
        mid_parse[str(version + 1)] = slide(version + 2)
        save(path, slide(version + 1), rng)
        version += 2
        expected = f"Version {version} covers 1360 {TAIL}"
        qtbot.waitUntil(settled(watcher, seen, expected), timeout=TIMEOUT_MS)
        on_screen = live.stage.deck
        assert title(on_screen) == expected
        assert live.content_errors == []
        assert live.stage.view.slide.title.get("en") == expected  # type: ignore[attr-defined]
        live.write_status()
        status = json.loads((tmp_path / "status.json").read_text())
        assert status["deck_revision"] == on_screen.revision == load_deck(folder).revision
        assert status["last_reload"]["ok"] is True
        assert not mid_parse
    assert all(whole(t) for t in seen.titles)
    assert seen.failures == []


# -- changes that are not content -------------------------------------------------------------


def test_content_names() -> None:
    for name in ("deck.yaml", "one.yml", "a.SVG", "map.png", "p.jpg", "p.jpeg", "p.webp"):
        assert is_content_name(name), name
    for name in (
        ".#one.yaml",
        "one.yaml~",
        ".one.yaml.swp",
        "4913",
        "#one.yaml#",
        ".one.yaml.tmp",
        "status.json",
        "notes.txt",
        ".deck.yaml",
    ):
        assert not is_content_name(name), name


def started(qtbot: QtBot, watcher: ContentWatcher) -> int:
    """Wait for the watcher's check of the folder at start-up; the loads so far."""
    qtbot.waitUntil(lambda: watcher.loads >= 1 and watcher.state == "idle", timeout=TIMEOUT_MS)
    watcher.wait()
    return watcher.loads


def test_a_save_made_before_the_watcher_started_is_seen(qtbot: QtBot, folder: Path) -> None:
    """The deck is loaded before the folder is watched (`kiosk run` at boot while a deploy
    runs): the watcher checks the folder once at start."""
    deck = load_deck(folder)
    (folder / "slides" / "one.yaml").write_text(slide("early"), encoding="utf-8")
    watcher = ContentWatcher(
        folder, revision=deck.revision, debounce_ms=DEBOUNCE_MS, settle_ms=SETTLE_MS
    )
    seen = Seen(watcher)
    try:
        qtbot.waitUntil(
            settled(watcher, seen, f"Version early covers 1360 {TAIL}"), timeout=TIMEOUT_MS
        )
        assert watcher.loads == 1
    finally:
        watcher.stop()
        watcher.wait()


def test_an_unchanged_folder_at_start_is_not_announced(
    qtbot: QtBot, watcher: ContentWatcher
) -> None:
    seen = Seen(watcher)
    assert started(qtbot, watcher) == 1
    assert seen.decks == []
    assert seen.failures == []


def changes_of(watcher: ContentWatcher) -> list[str]:
    """The watcher's raw folder events, recorded after its own handler has run."""
    events: list[str] = []
    watcher._watcher.directoryChanged.connect(events.append)
    return events


def test_the_status_file_and_last_good_copy_beside_the_content_reload_nothing(
    qtbot: QtBot, live: KioskWindow, folder: Path, tmp_path: Path
) -> None:
    assert live.watcher is not None
    watcher = live.watcher
    loads = started(qtbot, watcher)
    events = changes_of(watcher)
    for _ in range(10):
        before = len(events)
        live.write_status()  # an atomic rewrite beside the content folder, as every 5 s
        qtbot.waitUntil(lambda before=before: len(events) > before, timeout=TIMEOUT_MS)
        assert watcher.state == "idle"
    assert str(tmp_path) in events
    assert watcher.loads == loads
    # A real edit still reloads, and keeping its last good copy (beside the content folder too)
    # starts no load either.
    with qtbot.waitSignal(watcher.reloaded, timeout=TIMEOUT_MS):
        (folder / "slides" / "two.yaml").write_text("id: two\ntype: title\ntitle: Edited\n")
    watcher.wait()
    assert (tmp_path / "last-good" / "slides" / "two.yaml").read_text().endswith("Edited\n")
    loads = watcher.loads
    before = len(events)
    live.write_status()  # its event comes after the copy's: they have all been handled then
    qtbot.waitUntil(lambda: len(events) > before, timeout=TIMEOUT_MS)
    assert watcher.state == "idle"
    assert watcher.loads == loads


def test_editors_temporary_files_reload_nothing_but_their_saves_do(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path
) -> None:
    slides = folder / "slides"
    loads = started(qtbot, watcher)
    events = changes_of(watcher)
    seen = Seen(watcher)
    temporary: list[Callable[[], None]] = [
        lambda: os.symlink("user@host.1234", slides / ".#one.yaml"),  # emacs's lock
        lambda: (slides / "#one.yaml#").write_text("auto-save"),  # emacs's auto-save
        lambda: (slides / ".one.yaml.swp").write_bytes(b"\0" * 64),  # vim's swap file
        lambda: (slides / "4913").write_text(""),  # vim's test of the folder
        lambda: (slides / "4913").unlink(),
        lambda: shutil.copy2(slides / "one.yaml", slides / "one.yaml~"),  # a backup
        lambda: (folder / "notes.txt").write_text("not content"),
        lambda: (folder / ".git").mkdir(),
    ]
    for make in temporary:
        before = len(events)
        make()
        qtbot.waitUntil(lambda before=before: len(events) > before, timeout=TIMEOUT_MS)
        assert watcher.state == "idle", make
    assert watcher.loads == loads
    # vim's own save (backup by rename, new file, backup removed) and an atomic rename of a
    # hidden temporary file over a content file are content changes.
    os.rename(slides / "one.yaml", slides / "one.yaml~~")
    (slides / "one.yaml").write_text(slide("vim"), encoding="utf-8")
    (slides / "one.yaml~~").unlink()
    qtbot.waitUntil(settled(watcher, seen, f"Version vim covers 1360 {TAIL}"), timeout=TIMEOUT_MS)
    atomic_write(slides / "one.yaml", slide("renamed"))
    qtbot.waitUntil(
        settled(watcher, seen, f"Version renamed covers 1360 {TAIL}"), timeout=TIMEOUT_MS
    )


# -- deploys that swap the folder -------------------------------------------------------------


def release(root: Path, name: str) -> Path:
    return write_show(root / name, {**TITLES, "slides/one.yaml": slide(name)})


def edit_is_seen(qtbot: QtBot, watcher: ContentWatcher, seen: Seen, path: Path, text: str) -> None:
    """An in-place edit inside the folder the content path names now reaches the screen."""
    path.write_text(slide(text), encoding="utf-8")
    qtbot.waitUntil(
        settled(watcher, seen, f"Version {text} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
    )


def test_a_folder_swapped_in_by_mv_is_watched_inside(qtbot: QtBot, tmp_path: Path) -> None:
    content = release(tmp_path, "content")
    watcher = make_watcher(content)
    seen = Seen(watcher)
    try:
        for n in range(1, 4):
            fresh = release(tmp_path, f"new{n}")
            os.rename(content, tmp_path / f"old{n}")  # the old folder is kept
            os.rename(fresh, content)
            qtbot.waitUntil(
                settled(watcher, seen, f"Version new{n} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
            )
            edit_is_seen(qtbot, watcher, seen, content / "slides" / "one.yaml", f"edit{n}")
            # The old folder is no longer the content: an edit there is not shown.
            (tmp_path / f"old{n}" / "slides" / "two.yaml").write_text("id: two\ntype: title\n")
            edit_is_seen(qtbot, watcher, seen, content / "slides" / "one.yaml", f"again{n}")
        assert seen.failures == []
        assert watcher.revision == load_deck(content).revision
    finally:
        watcher.stop()
        watcher.wait()


def switch(link: Path, target: str) -> None:
    """`ln -sfn target link.tmp && mv -T link.tmp link`: the link is swapped atomically."""
    tmp = link.with_name(link.name + ".tmp")
    os.symlink(target, tmp)
    os.replace(tmp, link)


@pytest.mark.parametrize("inner", ["", "content"], ids=["current", "current/content"])
def test_a_symlink_switch_is_followed(qtbot: QtBot, tmp_path: Path, inner: str) -> None:
    """`current -> releases/N`, as Capistrano-style deploys switch it; the content folder is
    the link itself or a folder inside the release it names."""
    releases = tmp_path / "releases"
    for n in range(1, 5):
        write_show(releases / str(n) / inner, {**TITLES, "slides/one.yaml": slide(n)})
    current = tmp_path / "current"
    os.symlink("releases/1", current)
    content = current / inner if inner else current
    watcher = make_watcher(content)
    seen = Seen(watcher)
    try:
        for n in (2, 3, 4):
            switch(current, f"releases/{n}")
            qtbot.waitUntil(
                settled(watcher, seen, f"Version {n} covers 1360 {TAIL}"), timeout=TIMEOUT_MS
            )
            assert seen.decks[-1].root == (releases / str(n) / inner).resolve()
            edit_is_seen(qtbot, watcher, seen, content / "slides" / "one.yaml", f"edit{n}")
            # The release switched away from is not watched any more.
            previous = releases / str(n - 1) / inner / "slides" / "one.yaml"
            previous.write_text(slide("stale"), encoding="utf-8")
            edit_is_seen(qtbot, watcher, seen, content / "slides" / "one.yaml", f"again{n}")
        assert "Version stale covers 1360 square kilometres" not in seen.titles
        assert watcher.revision == load_deck(content).revision
    finally:
        watcher.stop()
        watcher.wait()


def test_scan_names_what_the_path_resolves_to(tmp_path: Path) -> None:
    release(tmp_path / "releases", "1")
    os.symlink("releases/1", tmp_path / "current")
    found = scan(tmp_path / "current")
    assert found.root == str((tmp_path / "releases" / "1").resolve())
    assert str(tmp_path) in found.ancestors
    assert sorted(Path(p).relative_to(found.root).as_posix() for p in found.files) == [
        "deck.yaml",
        "metrics.yaml",
        "slides/one.yaml",
        "slides/three.yaml",
        "slides/two.yaml",
    ]
    assert found.same_content(scan(tmp_path / "current"))


def test_kiosk_run_follows_a_swapped_folder(tmp_path: Path) -> None:
    """A real process whose content folder a deploy replaces with `mv`: the swap and then an
    edit inside the new folder reach the screen (as the status file says). The content is in a
    folder of its own, so nothing else (the status file, the analytics journal) makes the
    kiosk load again and find the edit by chance."""
    deploy = tmp_path / "srv"
    content = release(deploy, "content")
    kiosk = RunningKiosk(tmp_path, content)
    try:
        kiosk.wait_running()
        assert kiosk.status()["deck_revision"] == load_deck(content).revision
        fresh = release(deploy, "new")
        os.rename(content, deploy / "old")
        os.rename(fresh, content)
        swapped = load_deck(content).revision
        wait_for("the swapped folder", lambda: kiosk.status().get("deck_revision") == swapped, 30)
        (content / "slides" / "one.yaml").write_text(slide("edited"), encoding="utf-8")
        edited = load_deck(content).revision
        wait_for("the edit", lambda: kiosk.status().get("deck_revision") == edited, 30)
        assert kiosk.process.poll() is None, kiosk.stderr()
    finally:
        kiosk.close()
