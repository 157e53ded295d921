"""Live content: saves appear, bad saves never reach the screen, the status file says so."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.content.loader import load_deck
from kiosk.ops.display import DisplaySettings
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.show.show import Mode
from kiosk.ui.reload import ContentWatcher
from kiosk.ui.window import KioskWindow
from tests.helpers.show import TITLES, write_show

ONE = "id: one\ntype: title\ntitle: {{zh: {zh}, en: {en}}}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_show(tmp_path / "show", TITLES)


@pytest.fixture
def watcher(qtbot: QtBot, folder: Path) -> Iterator[ContentWatcher]:
    w = ContentWatcher(folder, revision=load_deck(folder).revision, debounce_ms=60, settle_ms=60)
    yield w
    w.stop()


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_in_place_save_reloads(qtbot: QtBot, watcher: ContentWatcher, folder: Path) -> None:
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as blocker:
        (folder / "slides" / "one.yaml").write_text(ONE.format(zh="新", en="New"))
    deck = blocker.args[0]
    assert deck.slides[0].title.get("en") == "New"


def test_atomic_saves_keep_being_watched(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path
) -> None:
    for word in ("First", "Second"):
        with qtbot.waitSignal(watcher.reloaded, timeout=5000) as blocker:
            atomic_write(folder / "slides" / "one.yaml", ONE.format(zh="新", en=word))
        assert blocker.args[0].slides[0].title.get("en") == word


def test_bad_edit_fails_then_good_edit_recovers(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path
) -> None:
    with qtbot.waitSignal(watcher.failed, timeout=5000) as blocker:
        (folder / "slides" / "one.yaml").write_text("id: one\ntype: title\ntitel: x\n")
    assert [str(p) for p in blocker.args[0]] == [
        'slides/one.yaml:1:1: title.title: missing required key "title"',
        'slides/one.yaml:3:1: title.titel: unknown key "titel"; did you mean "title"?',
    ]
    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        (folder / "slides" / "one.yaml").write_text(ONE.format(zh="好", en="Good"))


def test_a_burst_of_saves_loads_once_and_ends_on_the_last(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path
) -> None:
    path = folder / "slides" / "one.yaml"
    decks: list[object] = []
    watcher.reloaded.connect(decks.append)
    for i in range(100):
        if i % 2:
            atomic_write(path, ONE.format(zh=f"第{i}", en=f"Save {i}"))
        else:
            path.write_text(ONE.format(zh=f"第{i}", en=f"Save {i}"))
    qtbot.waitUntil(lambda: bool(decks), timeout=5000)
    last = decks[-1]
    assert last.slides[0].title.get("en") == "Save 99"  # type: ignore[attr-defined]
    # The debounce folds the burst: a busy machine may split it, but never into many loads.
    assert watcher.loads <= 3


def test_deleting_and_restoring_a_slide(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path
) -> None:
    path = folder / "slides" / "two.yaml"
    saved = path.read_text()
    with qtbot.waitSignal(watcher.failed, timeout=5000) as blocker:
        path.unlink()
    assert "does not exist" in str(blocker.args[0][0])
    with qtbot.waitSignal(watcher.reloaded, timeout=5000):
        path.write_text(saved.replace("{zh: 二, en: Two}", "{zh: 回来, en: Back}"))


def test_replacing_the_whole_folder(
    qtbot: QtBot, watcher: ContentWatcher, folder: Path, tmp_path: Path
) -> None:
    fresh = write_show(
        tmp_path / "fresh", {**TITLES, "slides/one.yaml": ONE.format(zh="换", en="Swapped")}
    )
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as blocker:
        shutil.rmtree(folder)
        fresh.rename(folder)
    assert blocker.args[0].slides[0].title.get("en") == "Swapped"


@pytest.fixture
def live(qtbot: QtBot, folder: Path, tmp_path: Path) -> Iterator[KioskWindow]:
    win = KioskWindow(
        ContentSource(load_deck(folder), folder=folder),
        DisplaySettings(status_file=tmp_path / "state" / "status.json"),
        clock=ManualClock(1000.0),
    )
    assert win.watcher is not None
    win.watcher._debounce.setInterval(60)
    win.watcher._settle.setInterval(60)
    qtbot.addWidget(win)
    win.resize(960, 540)
    win.show()
    yield win
    win.close()


def test_window_keeps_its_place_and_language_on_reload(
    qtbot: QtBot, live: KioskWindow, folder: Path
) -> None:
    live.show_state.go(1, live.clock())
    live.show_state.set_language("en", live.clock())
    assert live.watcher is not None
    with qtbot.waitSignal(live.watcher.reloaded, timeout=5000):
        (folder / "slides" / "two.yaml").write_text(
            "id: two\ntype: title\ntitle: {zh: 改过, en: Edited}\n"
        )
    assert live.show_state.index == 1
    assert live.show_state.lang == "en"
    assert live.stage.view.slide.title.get("en") == "Edited"  # type: ignore[attr-defined]
    assert live.stage.transition is None  # swapped in place, no transition, no flash


def test_bad_edit_keeps_the_last_good_deck_and_is_reported(
    qtbot: QtBot, live: KioskWindow, folder: Path, tmp_path: Path
) -> None:
    revision = live.show_state.deck.revision
    assert live.watcher is not None
    with qtbot.waitSignal(live.watcher.failed, timeout=5000):
        (folder / "slides" / "two.yaml").write_text("id: two\ntype: title\ntitle: [broken\n")
    assert live.show_state.deck.revision == revision
    assert live.content_errors == [
        "slides/two.yaml:4:1: not valid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence)"
    ]
    live.write_status()
    status = json.loads((tmp_path / "state" / "status.json").read_text())
    assert status["last_reload"]["ok"] is False
    assert status["last_reload"]["errors"] == live.content_errors
    assert status["deck_revision"] == revision
    with qtbot.waitSignal(live.watcher.reloaded, timeout=5000):
        (folder / "slides" / "two.yaml").write_text("id: two\ntype: title\ntitle: Fixed\n")
    assert live.content_errors == []


def test_status_file_has_every_key(live: KioskWindow, tmp_path: Path) -> None:
    live.write_status()
    status = json.loads((tmp_path / "state" / "status.json").read_text())
    assert set(status) == {
        "mode",
        "slide_id",
        "slide_index",
        "language",
        "deck_revision",
        "last_reload",
        "last_advance_at",
        "uptime_s",
        "rss_mb",
        "version",
        "window",
        "notices",
        "schedule",
        "access",
        "narration",
    }
    assert status["access"] == {"larger": False, "contrast": False}
    assert status["narration"] == "off"  # this window has no speaker
    assert status["schedule"] == "always open"  # no schedule in the configuration
    assert status["mode"] == Mode.ATTRACT.value
    assert status["slide_id"] == "one"
    assert status["rss_mb"] > 10
