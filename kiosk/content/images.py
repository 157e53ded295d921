"""Checking image files without decoding them: empty, truncated, corrupt, or absurdly large.

Only headers are read, so a decompression bomb (a small file that declares 50000x50000 pixels)
costs nothing to refuse. Pure Python: `kiosk validate` reports these without Qt.
"""

from __future__ import annotations

import struct
from pathlib import Path

from kiosk.content.files import FileTooLarge, UnreadableFile, read_limited
from kiosk.content.svg import SvgCheck, check_svg

MAX_IMAGE_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 40_000_000
"""About 8000 x 5000: more than any kiosk screen shows, far less than a bomb declares."""


def _png_size(head: bytes) -> tuple[int, int] | None:
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def image_problem(path: Path, data: bytes | None = None) -> str | None:
    """What is wrong with an image file, in a curator's words, or None when it looks sound.
    `data` is the file's bytes when the caller has read them already (the loader hashes them)."""
    if data is None:
        try:
            # The one reading function: an unreadable file, a FIFO or a folder is a reason,
            # never an exception (the kiosk would not start) or a read that never returns.
            data = read_limited(path, MAX_IMAGE_BYTES)
        except FileTooLarge as exc:
            return f"the image file is too large ({exc.size / 1048576:.0f} MiB; at most 32 MiB)"
        except UnreadableFile as exc:
            return f"cannot read the image: {exc.reason}"
    size = len(data)
    if size == 0:
        return "the image file is empty"
    if size > MAX_IMAGE_BYTES:
        return f"the image file is too large ({size / 1048576:.0f} MiB; at most 32 MiB)"
    suffix = path.suffix.lower()
    if suffix == ".svg":
        # Hostile input: parsed without entities and refused when it reaches outside itself
        # or would draw without bound (kiosk/content/svg.py says what and why).
        return check_svg(data, raster_check).problem
    if suffix not in (".png", ".jpg", ".jpeg", ".webp"):
        return None
    checked = raster_check(data, suffix)
    return checked if isinstance(checked, str) else None


def raster_check(data: bytes, suffix: str) -> tuple[int, int] | str:
    """The size a PNG, JPEG or WebP image declares, or what is wrong with it: for image files
    and for the images an SVG embeds alike."""
    if suffix == ".png":
        dims = _png_size(data[:32])
        if dims and not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
            return "the PNG image is truncated"
    elif suffix in (".jpg", ".jpeg"):
        dims = _jpeg_size(data)
        if dims and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            return "the JPEG image is truncated"
    else:
        dims = _webp_size(data[:32])
    if dims is None:
        return f"the file is not a readable {suffix[1:].upper()} image"
    width, height = dims
    if width <= 0 or height <= 0:
        return "the image has no pixels"
    if width * height > MAX_PIXELS:
        return f"the image is {width}x{height} pixels, too large to show (at most 40 megapixels)"
    return dims


def svg_check(data: bytes) -> SvgCheck:
    """An SVG's verdict and declared size, from its bytes (the UI's reading of a file)."""
    return check_svg(data, raster_check)
