"""The last good content: kept on every valid load, played when the folder is broken at boot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.content.loader import load_deck
from kiosk.ops.snapshot import load_with_fallback, save_snapshot, snapshot_revision
from kiosk.ops.source import ContentSource
from kiosk.show.clock import ManualClock
from kiosk.ui.window import KioskWindow
from tests.helpers.show import TITLES, write_show


def test_a_valid_deck_is_copied_once_per_revision(show: Path, tmp_path: Path) -> None:
    (show / ".git").mkdir()
    (show / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    deck = load_deck(show)
    snapshot = tmp_path / "state" / "last-good"
    assert save_snapshot(deck, snapshot)
    assert snapshot_revision(snapshot) == deck.revision
    assert not (snapshot / ".git").exists()  # history is not content
    assert load_deck(snapshot).revision == deck.revision
    assert not save_snapshot(deck, snapshot)  # same revision: nothing to do


def test_broken_folder_falls_back_to_the_last_good_copy(show: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "last-good"
    good = load_deck(show)
    save_snapshot(good, snapshot)
    (show / "slides" / "one.yaml").write_text("id: one\ntype: title\ntitle: [half-synced\n")
    deck, problems, from_copy = load_with_fallback(show, snapshot)
    assert from_copy
    assert deck is not None
    assert deck.revision == good.revision
    assert [p.path for p in problems] == ["slides/one.yaml"]


def test_no_copy_no_fallback(show: Path, tmp_path: Path) -> None:
    (show / "slides" / "one.yaml").write_text("id: one\n")
    deck, problems, from_copy = load_with_fallback(show, tmp_path / "never-saved")
    assert (deck, from_copy) == (None, False)
    assert problems


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_show(tmp_path / "show", TITLES)


@pytest.fixture
def started_from_copy(
    qtbot: QtBot, folder: Path, tmp_path: Path
) -> Iterator[tuple[KioskWindow, Path]]:
    snapshot = tmp_path / "last-good"
    save_snapshot(load_deck(folder), snapshot)
    (folder / "slides" / "two.yaml").write_text("id: two\ntype: title\n")
    deck, problems, from_copy = load_with_fallback(folder, snapshot)
    assert deck is not None
    assert from_copy
    source = ContentSource(deck, folder=folder, snapshot=snapshot, problems=tuple(problems))
    win = KioskWindow(source, clock=ManualClock(1000.0))
    assert win.watcher is not None
    win.watcher._debounce.setInterval(50)
    qtbot.addWidget(win)
    win.show()
    yield win, snapshot
    win.close()


def test_the_copy_plays_with_a_notice_until_the_folder_is_fixed(
    qtbot: QtBot, started_from_copy: tuple[KioskWindow, Path], folder: Path
) -> None:
    window, snapshot = started_from_copy
    assert window.content_errors == [
        'slides/two.yaml:1:1: title.title: missing required key "title"'
    ]
    assert window.watcher is not None
    with qtbot.waitSignal(window.watcher.reloaded, timeout=5000):
        (folder / "slides" / "two.yaml").write_text("id: two\ntype: title\ntitle: Fixed\n")
    assert window.content_errors == []
    assert window.show_state.deck.root == folder
    window.watcher.wait()
    assert snapshot_revision(snapshot) == window.show_state.deck.revision
