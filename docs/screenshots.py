"""Make the README's pictures: `make screenshots` (a live kiosk window, headless; every slide).

docs/screenshot.png is the kiosk window as the hall sees it in its loop (slide, tap cues, the
bilingual hint and the navigation in the foot band), drawn by the real window on a manual
clock; docs/contact-sheet.png is `kiosk render`'s sheet of every slide. Regenerate them when
the look changes, and look at them before committing.
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from kiosk.content.bundled import default_content
from kiosk.content.loader import load_deck
from kiosk.ui.harness import Harness
from kiosk.ui.render import render_deck

DOCS = Path(__file__).resolve().parent
SLIDE = "where"
SHEET_LANG = "en"
"""The window shows the loop in its first language (zh); the sheet shows the other."""
SIZE = (1920, 1080)
SHOWN = (1280, 720)
"""The README shows the screenshot at this size (the window itself is drawn at SIZE)."""


def window_shot(out: Path) -> None:
    deck = load_deck(default_content())
    index = deck.index_of(SLIDE)
    if index is None:
        raise SystemExit(f"the bundled deck has no slide {SLIDE!r}")
    harness = Harness.open(deck, size=SIZE)
    try:
        window = harness.window
        # The untouched loop reaches the slide by itself, as a visitor walking up would see it.
        while window.show_state.index != index:
            harness.wait(1.0, 0.25)
        harness.wait(8.0, 0.25)  # its entry settled (a map draws its places in one by one)
        # The hint breathes on a 3 s cycle: take the picture at the top of a breath.
        now = harness.clock()
        harness.wait(0.75 + 3 * math.ceil((now - 0.75) / 3) - now, 0.05)
        image = window.grab().toImage()
    finally:
        harness.close()
    shown = image.scaled(
        *SHOWN, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    if not shown.save(str(out)):
        raise OSError(f"could not write {out}")


def main() -> int:
    window_shot(DOCS / "screenshot.png")
    with tempfile.TemporaryDirectory() as folder:
        deck = load_deck(default_content())
        written = render_deck(deck, Path(folder), SIZE, SHEET_LANG)
        sheet = next(p for p in written if p.name == "contact-sheet.png")
        (DOCS / "contact-sheet.png").write_bytes(sheet.read_bytes())
    print("wrote docs/screenshot.png and docs/contact-sheet.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
