"""Broken, hostile and absurd images: a located warning, a drawn stand-in, never a crash."""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.content.loader import check_folder
from kiosk.ui.fonts import load_fonts
from kiosk.ui.images import load_image
from kiosk.ui.render import render_slide
from tests.helpers.show import write_show


def png(width: int, height: int, *, rows: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = (
        rows
        if rows is not None
        else b"".join(b"\x00" + b"\x40\x80\xc0" * width for _ in range(height))
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


GOOD = png(8, 6)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.png": (b"", "the image file is empty"),
    "truncated.png": (GOOD[: len(GOOD) // 2], "the PNG image is truncated"),
    "corrupt.png": (b"this is not a picture at all" * 10, "the file is not a readable PNG image"),
    "broken.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'><rect", "the SVG does not parse"),
    "bomb.png": (
        png(50_000, 50_000, rows=b"\x00"),
        "the image is 50000x50000 pixels, too large to show (at most 40 megapixels)",
    ),
}


def _show(tmp_path: Path, name: str, data: bytes) -> Path:
    root = write_show(
        tmp_path / "show",
        {"slides/one.yaml": f"id: one\ntype: title\ntitle: T\nbackground: images/{name}\n"},
    )
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / name).write_bytes(data)
    return root


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_image_is_a_located_warning(tmp_path: Path, name: str) -> None:
    data, problem = BAD_FILES[name]
    deck, problems = check_folder(_show(tmp_path, name, data))
    assert deck is not None  # the show still plays
    if name == "broken.svg":
        assert len(problems) == 1
        assert str(problems[0]).startswith(
            "slides/one.yaml:4:13: warning: title.background: the SVG does not parse ("
        )
    else:
        assert [str(p) for p in problems] == [
            f"slides/one.yaml:4:13: warning: title.background: {problem}; "
            "a placeholder is shown instead"
        ]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_image_draws_a_stand_in_without_eating_memory(
    qapp: object, tmp_path: Path, name: str
) -> None:
    load_fonts()
    data, _ = BAD_FILES[name]
    root = _show(tmp_path, name, data)
    deck, _ = check_folder(root)
    assert deck is not None
    tracemalloc.start()
    try:
        assert load_image(root / "images" / name, QSize(1920, 1080)) is None
        image = render_slide(deck, deck.slides[0], (960, 540), "en")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024
    # The drawn rivers stand in for the background.
    assert len({image.pixel(x, 400) for x in range(0, 960, 8)}) > 4


def test_good_image_is_decoded_at_the_shown_size_and_cached(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "good.png"
    path.write_bytes(png(400, 300))
    first = load_image(path, QSize(200, 200))
    assert first is not None
    assert (first.width(), first.height()) == (200, 150)
    assert load_image(path, QSize(200, 200)) is first
    assert first.pixelColor(10, 10) == QColor(0x40, 0x80, 0xC0)
    assert isinstance(first, QImage)


def test_missing_file_at_paint_time(qapp: object, tmp_path: Path) -> None:
    assert load_image(tmp_path / "gone.png", QSize(100, 100)) is None
