"""SVG as hostile input: refused at load with a located warning, a calm stand-in drawn, and no
renderer ever given a refused file or a path outside the content folder.

A canary lies outside the content folder: a bright red PNG. Every hostile SVG below points at
it one way or another, so a renderer that followed a reference would paint red on the slide.
A positive control (the same red embedded as a data: URI, which is allowed) shows that red
would be seen if it were drawn.
"""

from __future__ import annotations

import base64
import logging
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.content.loader import check_folder
from kiosk.content.svg import MAX_EFFECTS, MAX_ELEMENTS
from kiosk.ui import images
from kiosk.ui.fonts import load_fonts
from kiosk.ui.render import render_slide
from tests.helpers.show import write_show

SELF = "SVG images must be self-contained"
HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"\n'
    ' viewBox="0 0 160 90">\n'
)  # two lines: what follows starts on line 3


def png(width: int, height: int, rgb: bytes = b"\xff\x00\x00") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + rgb * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def bomb_png() -> bytes:
    """A PNG header that declares 50000 x 50000 pixels (the rest need not be real)."""
    full = png(1, 1)
    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    ihdr = b"IHDR" + header
    return full[:8] + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + full[33:]


def use_bomb(levels: int = 5, fan: int = 10) -> str:
    """Nested <use>s: 2 KB of text that draws about fan ** levels rectangles; the group on
    line 7 is the first to draw more than the bound on its own."""
    parts = [HEAD, '<defs><rect id="l0" width="160" height="90" fill="red"/>\n']
    for i in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{i - 1}"/>' for _ in range(fan))
        parts.append(f'<g id="l{i}">{uses}</g>\n')
    parts.append(f'</defs>\n<use xlink:href="#l{levels}"/>\n</svg>\n')
    return "".join(parts)


def entity_bomb() -> str:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE svg [", '<!ENTITY a "lol">']
    lines += [f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)]
    lines += ["]>", HEAD + "<text>&j;</text></svg>"]
    return "\n".join(lines)


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A red picture outside the content folder: red on a slide means it was followed."""
    path = tmp_path / "outside" / "canary.png"
    path.parent.mkdir()
    path.write_bytes(png(32, 32))
    return path


def hostile(canary: Path) -> dict[str, tuple[str, str]]:
    """Each hostile SVG, with the exact refusal `kiosk validate` reports."""
    uri = canary.as_uri()
    cover = 'x="0" y="0" width="160" height="90"'
    return {
        "file URI": (
            HEAD + f'<image href="{uri}" {cover}/>\n</svg>',
            f'refused: it refers to "{uri}", outside the image (line 3); {SELF}',
        ),
        "relative ../": (
            HEAD + f'<rect width="1" height="1"/>\n<image href="../../outside/canary.png" {cover}/>'
            "\n</svg>",
            'refused: it refers to "../../outside/canary.png", outside the image (line 4); ' + SELF,
        ),
        "xlink:href to a path": (
            HEAD + f'<image xlink:href="{canary}" {cover}/>\n</svg>',
            f'refused: it refers to "{canary}", outside the image (line 3); {SELF}',
        ),
        "xlink:href to /etc/hostname": (
            HEAD + '<use xlink:href="/etc/hostname#x"/>\n</svg>',
            f'refused: it refers to "/etc/hostname#x", outside the image (line 3); {SELF}',
        ),
        "use bomb": (
            use_bomb(),
            f"refused: it draws more than {MAX_ELEMENTS:,} elements once the copies made by "
            "<use> and patterns are counted (line 7); simplify it, or export it as a PNG image",
        ),
        "use cycle": (
            HEAD + '<g id="a"><rect width="9" height="9"/>\n<use href="#a"/></g>\n</svg>',
            "refused: an element refers back to itself (line 4)",
        ),
        "pattern bomb": (
            HEAD
            + '<pattern id="p">'
            + "<rect/>" * 200
            + "</pattern>\n"
            + '<rect width="9" height="9" fill="url(#p)"/>' * 200
            + "\n</svg>",
            f"refused: it draws more than {MAX_ELEMENTS:,} elements once the copies made by "
            "<use> and patterns are counted (line 1); simplify it, or export it as a PNG image",
        ),
        "entity bomb": (
            entity_bomb(),
            "refused: it declares XML entities (line 2), which can make a small file grow "
            "without bound; save it without a DOCTYPE",
        ),
        "script": (
            HEAD + f'<script>location = "{uri}"</script>\n</svg>',
            "refused: it contains a <script> (line 3); SVG images may not run scripts",
        ),
        "foreignObject": (
            HEAD + '<foreignObject width="160" height="90">\n'
            f'<img xmlns="http://www.w3.org/1999/xhtml" src="{uri}"/></foreignObject></svg>',
            "refused: it contains a <foreignObject> (line 3); SVG images may hold only drawing",
        ),
        "CSS @import": (
            HEAD + f'<style>@import url("{uri}");</style>\n</svg>',
            f'refused: its style imports "{uri}" (line 3); {SELF}',
        ),
        "CSS url()": (
            HEAD + f"<style><![CDATA[\nrect {{ fill: url({uri}) }}\n]]></style>\n</svg>",
            f'refused: it refers to "{uri}", outside the image (line 3); {SELF}',
        ),
        "style attribute url()": (
            HEAD + f'<rect width="9" height="9" style="fill: url(\'{uri}#p\')"/>\n</svg>',
            f'refused: it refers to "{uri}#p", outside the image (line 3); {SELF}',
        ),
        "linked style sheet": (
            f'<?xml-stylesheet href="{uri}"?>\n' + HEAD + "</svg>",
            f"refused: it links a style sheet (line 1); {SELF}",
        ),
        "a link": (
            HEAD + '<a href="https://example.com/"><rect width="9" height="9"/></a>\n</svg>',
            f'refused: it refers to "https://example.com/", outside the image (line 3); {SELF}',
        ),
        "embedded SVG": (
            HEAD + '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>\n</svg>',
            "refused: it embeds something other than a PNG or JPEG image (line 3); embed "
            "pictures as PNG or JPEG",
        ),
        "embedded decompression bomb": (
            HEAD
            + '<image href="data:image/png;base64,'
            + base64.b64encode(bomb_png()).decode()
            + '"/>\n</svg>',
            "refused: an embedded image is unusable: the image is 50000x50000 pixels, too large "
            "to show (at most 40 megapixels) (line 3)",
        ),
        "huge viewBox": (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e30 1e30">\n'
            '<rect width="1e30" height="1e30"/></svg>',
            'refused: its viewBox "0 0 1e30 1e30" is out of bounds (line 1); sizes must lie '
            "between 0.001 and 1,000,000",
        ),
        "huge width": (
            '<svg xmlns="http://www.w3.org/2000/svg" width="9e12" height="10"/>',
            "refused: its width or height is out of bounds (line 1); sizes must lie between "
            "0.001 and 1,000,000",
        ),
        "a sliver": (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 10"/>',
            "refused: it is 100000 by 10 (line 1), too thin to show; one side may be at most "
            "100 times the other",
        ),
        "nested too deep": (
            HEAD + "<g>" * 150 + "</g>" * 150 + "\n</svg>",
            "refused: its elements are nested more than 100 deep (line 3)",
        ),
        "masks": (
            HEAD
            + '<mask id="m"><rect width="9" height="9"/></mask>\n'
            + '<rect width="160" height="90" mask="url(#m)"/>\n' * (MAX_EFFECTS + 1)
            + "</svg>",
            f"refused: it draws {MAX_EFFECTS + 1} elements through filters or masks (line 1), "
            f"more than the {MAX_EFFECTS} allowed; export it as a PNG image",
        ),
        "a book of text": (
            HEAD + "<text>" + "words " * 4000 + "</text>\n</svg>",
            "refused: it draws more than 20,000 characters of text (line 3); put long text on "
            "the slide instead",
        ),
    }


SLOW = (
    HEAD + '<path d="M0 0 L160 90 L0 90 L160 0" stroke="red" stroke-width="200" fill="none"'
    ' stroke-dasharray="0.01 0.01"/>\n</svg>'
)
"""Short, valid and self-contained, yet minutes to draw: a wide stroke of a million dashes."""


def _show(tmp_path: Path, svg: str | bytes | None, name: str = "x.svg") -> Path:
    background = f"background: images/{name}\n" if svg is not None else ""
    root = write_show(
        tmp_path / "show",
        {"slides/one.yaml": f"id: one\ntype: title\ntitle: T\n{background}"},
    )
    if svg is not None:
        (root / "images").mkdir(exist_ok=True)
        data = svg.encode() if isinstance(svg, str) else svg
        (root / "images" / name).write_bytes(data)
    return root


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every SVG handed to a renderer (the child process), recorded."""
    calls: list[Any] = []
    real = images.render_svg

    def spy(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        calls.append(data)
        return real(data, *args, **kwargs)

    monkeypatch.setattr(images, "render_svg", spy)
    images._cache.clear()  # noqa: SLF001 - each test decodes afresh
    images._refused.clear()  # noqa: SLF001
    yield calls
    images._cache.clear()  # noqa: SLF001


def _reds(image: QImage) -> int:
    """Pixels mostly of the canary's red, even at the 55 % a title's background is drawn at
    (the slide's own colours, teal, gold and blues, are far from it)."""
    count = 0
    for y in range(0, image.height(), 6):
        for x in range(0, image.width(), 6):
            color = image.pixelColor(x, y)
            if color.red() > 110 and color.green() < 60 and color.blue() < 60:
                count += 1
    return count


NAMES = sorted(hostile(Path("/x/canary.png")))


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_svg_is_refused_at_load_with_its_line(
    tmp_path: Path, canary: Path, name: str
) -> None:
    svg, reason = hostile(canary)[name]
    deck, problems = check_folder(_show(tmp_path, svg))
    assert deck is not None  # the show still plays
    assert [str(p) for p in problems] == [
        f"slides/one.yaml:4:13: warning: title.background: {reason}; a placeholder is shown instead"
    ]


@pytest.mark.parametrize("name", NAMES)
def test_a_refused_svg_is_never_drawn_and_the_stand_in_is(
    qapp: object, tmp_path: Path, canary: Path, renders: list[Any], name: str
) -> None:
    load_fonts()
    svg, _ = hostile(canary)[name]
    root = _show(tmp_path / "refused", svg)
    deck, _ = check_folder(root)
    assert deck is not None
    image = render_slide(deck, deck.slides[0], (480, 270), "en")
    assert renders == []  # no renderer was given the file
    assert images.natural_size(root / "images" / "x.svg") is None
    assert _reds(image) == 0
    # The calm stand-in: the same slide as with no background at all (the drawn rivers).
    plain_root = _show(tmp_path / "plain", None)
    plain, _ = check_folder(plain_root)
    assert plain is not None
    assert image == render_slide(plain, plain.slides[0], (480, 270), "en")


def test_the_canary_would_show_if_it_were_drawn(
    qapp: object, tmp_path: Path, renders: list[Any]
) -> None:
    """The positive control: the canary's red, embedded (allowed), is drawn and seen."""
    load_fonts()
    embedded = base64.b64encode(png(32, 32)).decode()
    svg = HEAD + f'<image href="data:image/png;base64,{embedded}" width="160" height="90"/></svg>'
    deck, problems = check_folder(_show(tmp_path, svg))
    assert deck is not None
    assert problems == []
    image = render_slide(deck, deck.slides[0], (480, 270), "en")
    assert len(renders) == 1
    assert _reds(image) > 100


def test_an_accepted_svg_is_drawn_from_the_checked_bytes_in_a_child(
    qapp: object, tmp_path: Path, renders: list[Any]
) -> None:
    svg = HEAD + '<rect width="160" height="90" fill="#19B3A6"/>\n</svg>'
    path = _show(tmp_path, svg) / "images" / "x.svg"
    image = images.load_image(path, QSize(320, 320))
    assert image is not None
    assert (image.width(), image.height()) == (320, 180)  # the view box's 16:9, fitted
    assert image.pixelColor(160, 90) == QColor("#19B3A6")
    assert renders == [svg.encode()]
    assert images.natural_size(path) is not None
    assert images.natural_size(path).toSize() == QSize(160, 90)  # type: ignore[union-attr]


def test_an_svg_that_misses_its_deadline_is_refused_at_every_size(
    qapp: object,
    tmp_path: Path,
    renders: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(images, "SVG_BUDGET", 0.5)
    root = _show(tmp_path, SLOW)
    deck, problems = check_folder(root)
    assert deck is not None
    assert problems == []  # nothing a static check can see
    path = root / "images" / "x.svg"
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.images"):
        assert images.load_image(path, QSize(1920, 1080), cover=True) is None
        assert images.load_image(path, QSize(960, 540)) is None
    assert len(renders) == 1  # refused once, then at every size without a second try
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: refused: it took more than 0.5 s to draw; simplify it; "
        "a placeholder is shown instead"
    ]


def test_the_child_draws_nothing_it_cannot_read(qapp: object) -> None:
    with pytest.raises(images.SvgRenderError, match="not a drawing Qt can read"):
        images.render_svg(b"<svg", QSize(8, 8), (0, 0, 8, 8), timeout=30)


def test_the_child_is_killed_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", popen)
    with pytest.raises(subprocess.TimeoutExpired):
        images.render_svg(SLOW.encode(), QSize(1920, 1080), (0, 0, 1920, 1080), timeout=0.5)
    assert len(started) == 1
    assert started[0].poll() is not None  # killed and reaped, not left drawing


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_cover_image_is_decoded_only_for_what_shows(
    qapp: object, tmp_path: Path, renders: list[Any], kind: str
) -> None:
    """A picture 100 times wider than high behind a title: only the screen's worth is decoded
    (cover scaling once made it 54,000 pixels wide)."""
    if kind == "png":
        path = tmp_path / "wide.png"
        path.write_bytes(png(4000, 40, b"\x19\xb3\xa6"))
    else:
        path = tmp_path / "wide.svg"
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4000 40">'
            '<rect width="4000" height="40" fill="#19B3A6"/></svg>'
        )
    image = images.load_image(path, QSize(960, 540), cover=True)
    assert image is not None
    assert (image.width(), image.height()) == (960, 540)
    assert image.pixelColor(480, 270) == QColor("#19B3A6")


def test_a_tile_icon_goes_through_the_same_gate(
    qapp: object, tmp_path: Path, canary: Path, renders: list[Any]
) -> None:
    """Icons on metric tiles too: refused ones are never drawn, accepted ones are."""
    load_fonts()
    svg, _ = hostile(canary)["file URI"]
    good = HEAD + '<rect width="160" height="90" fill="#19B3A6"/>\n</svg>'
    slide = (
        "id: two\ntype: metrics\ntitle: T\ntiles:\n"
        "  - {metric: area, icon: images/bad.svg}\n  - {metric: share, icon: images/good.svg}\n"
    )
    root = write_show(
        tmp_path / "show",
        {"slides/two.yaml": slide, "images/bad.svg": svg, "images/good.svg": good},
    )
    deck, problems = check_folder(root)
    assert deck is not None
    assert [p.message.split(":")[0] for p in problems] == ["metrics.tiles[0].icon"]
    image = render_slide(deck, deck.slides[1], (1920, 1080), "en")
    assert renders == [good.encode()]  # the refused icon was never handed to a renderer
    assert _reds(image) == 0


def test_no_module_of_the_kiosk_but_the_child_builds_an_svg_renderer() -> None:
    """QSvgRenderer opens what a file names: only the child process, given checked bytes,
    may build one."""
    package = Path(images.__file__).resolve().parents[1]
    users = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "QSvgRenderer" in path.read_text(encoding="utf-8")
    )
    assert users == ["ui/svgrender.py"]
