"""Every slide renders at every size in both languages; `kiosk render`; a few golden images."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage

from kiosk.cli import main
from kiosk.content.loader import Deck, load_deck
from kiosk.ui.base import SlideView
from kiosk.ui.fonts import load_fonts
from kiosk.ui.render import render_slide
from kiosk.ui.slides import create_view
from tests.helpers.show import BUNDLED, REPO

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
GOLDENS = Path(__file__).parent / "goldens"
GOLDEN_SIZE = (480, 270)
UPDATE_GOLDENS = os.environ.get("KIOSK_UPDATE_GOLDENS") == "1"
"""Set KIOSK_UPDATE_GOLDENS=1 to approve new golden images after a deliberate change."""


def _decks() -> list[Path]:
    return [BUNDLED, REPO / "tests" / "fixtures" / "charts"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_slide_renders(
    qapp: object, bundled_deck: Deck, size: tuple[int, int], lang: str
) -> None:
    load_fonts()
    for folder in _decks():
        deck = bundled_deck if folder == BUNDLED else load_deck(folder)
        for slide in deck.slides:
            image = render_slide(deck, slide, size, lang)
            assert (image.width(), image.height()) == size
            # Something besides the background was painted in the frame.
            colors = {
                image.pixel(x, y) for x in range(0, size[0], 37) for y in range(0, size[1], 29)
            }
            assert len(colors) > 3, slide.id


def test_every_slide_type_is_in_the_bundled_deck(bundled_deck: Deck) -> None:
    kinds = {s.type for s in bundled_deck.slides}
    # No diagram in the bundled deck any more: new-areas folded into the timeline and
    # open-platforms became a map.
    assert kinds == {"title", "metrics", "chart", "timeline", "text", "map", "quote", "tiles"}
    charts = {s.kind for s in bundled_deck.slides if s.type == "chart"}
    assert {"share"} <= charts
    assert charts & {"bar", "hbar"}
    assert "line" not in charts  # the article gives no series for a line: no made-up data


def test_touch_targets_are_at_least_9_mm(qapp: object, bundled_deck: Deck) -> None:
    load_fonts()
    screen = QGuiApplication.primaryScreen()
    mm_per_px = 25.4 / screen.physicalDotsPerInch()
    for size in SIZES:
        for slide in bundled_deck.slides:
            view: SlideView = create_view(bundled_deck, slide, lang="zh")
            view.resize(*size)
            view.settle()
            for target in view.hit_targets():
                assert target.rect.width() * mm_per_px >= 9, (slide.id, target.key)
                assert target.rect.height() * mm_per_px >= 9, (slide.id, target.key)
                assert view.rect().toRectF().contains(target.rect), (slide.id, target.key)
            view.deleteLater()


def test_render_command_writes_pngs_and_contact_sheet(tmp_path: Path, bundled_deck: Deck) -> None:
    out = tmp_path / "out"
    assert main(["render", str(BUNDLED), "--out", str(out), "--size", "640x360"]) == 0
    names = sorted(p.name for p in out.iterdir())
    expected = [f"{i:02d}-{s.id}.png" for i, s in enumerate(bundled_deck.slides, start=1)]
    assert names == sorted([*expected, "contact-sheet.png"])
    first = QImage(str(out / expected[0]))
    assert (first.width(), first.height()) == (640, 360)
    sheet = QImage(str(out / "contact-sheet.png"))
    assert sheet.width() > 4 * 400


def test_render_refuses_invalid_content(
    tmp_path: Path, show: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (show / "slides" / "one.yaml").write_text("id: one\ntype: title\n")
    assert main(["render", str(show), "--out", str(tmp_path / "out")]) == 1
    assert 'missing required key "title"' in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _distance(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel, 0-255."""
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(pa.red() - pb.red()) + abs(pa.green() - pb.green())
            total += abs(pa.blue() - pb.blue())
    return total / (a.width() * a.height() * 3)


@pytest.mark.parametrize(("slide_id", "lang"), [("welcome", "zh"), ("at-a-glance", "en")])
def test_golden_images(qapp: object, bundled_deck: Deck, slide_id: str, lang: str) -> None:
    load_fonts()
    slide = bundled_deck.slides[bundled_deck.index_of(slide_id) or 0]
    image = render_slide(bundled_deck, slide, (1920, 1080), lang).scaled(*GOLDEN_SIZE)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    path = GOLDENS / f"{slide_id}-{lang}.png"
    if UPDATE_GOLDENS or not path.exists():
        if not UPDATE_GOLDENS:
            pytest.fail(f"no golden image {path.name}: run with KIOSK_UPDATE_GOLDENS=1")
        image.save(str(path))
    golden = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    assert _distance(image, golden) < 3.0, f"{path.name} differs: look at the render"
