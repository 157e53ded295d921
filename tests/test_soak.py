"""Burn-in through the real event path, and proof that the show opens no network connection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.content.loader import Deck
from kiosk.ui.soak import soak
from tests.helpers.show import BUNDLED


def test_short_soak_is_clean(qapp: object, bundled_deck: Deck) -> None:
    report = soak(bundled_deck, events=80, seed=3)
    summary = report.as_json()
    assert summary["events"] == 80
    assert summary["exceptions"] == 0, summary["errors"]
    assert summary["qt_warnings"] == 0, summary["errors"]
    assert summary["slides_visited"] >= 5
    assert summary["mode_changes"] >= 2
    assert summary["cards_opened"] >= 1
    assert report.ok


def test_same_seed_same_walk(qapp: object, bundled_deck: Deck) -> None:
    first = soak(bundled_deck, events=25, seed=11).as_json()
    second = soak(bundled_deck, events=25, seed=11).as_json()
    for key in ("events", "slides_visited", "mode_changes", "cards_opened"):
        assert first[key] == second[key]


NO_NETWORK = r"""
import json, os, socket, sys
attempts = []
def refuse(self, *args):
    attempts.append(repr(args))
    raise OSError("the kiosk must not use the network")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
from kiosk.cli import main
code = main(["soak", sys.argv[1], "--events", "40", "--json", "--analytics", sys.argv[2]])
inodes = set()
for fd in os.listdir("/proc/self/fd"):
    try:
        link = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue
    if link.startswith("socket:["):
        inodes.add(link[8:-1])
inet = []
for table in ("tcp", "tcp6", "udp", "udp6"):
    with open(f"/proc/self/net/{table}") as handle:
        for row in handle.readlines()[1:]:
            if row.split()[9] in inodes:
                inet.append(table)
print(json.dumps({"code": code, "attempts": attempts, "inet": inet,
                  "qtnetwork": "PySide6.QtNetwork" in sys.modules}))
"""


def test_the_show_opens_no_network_connection(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(BUNDLED), str(tmp_path / "soak.sqlite3")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    last = result.stdout.strip().splitlines()[-1]
    verdict = json.loads(last)
    assert verdict == {"code": 0, "attempts": [], "inet": [], "qtnetwork": False}, result.stderr
