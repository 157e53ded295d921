"""SVG as hostile input: what an SVG file may hold before any renderer is given it.

An SVG is a program for a renderer more than a picture: it can name other files (`<image
href="file:///...">`, `xlink:href`, CSS `url()` and `@import`, a linked style sheet), run
scripts, embed HTML, declare XML entities that expand without bound, and copy its own parts
with `<use>` so that a 2 KB file draws millions of shapes. So a slide's SVG must be
self-contained and bounded, and that is decided here, by reading the file with expat (no
entity is ever expanded, no DTD is loaded) and counting what it would draw. Pure Python, so
`kiosk validate` reports a refusal at its line and the UI never hands a refused file to Qt.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"

MAX_ELEMENTS = 20_000
"""Elements drawn once every `<use>`, pattern, mask, clip path and marker is counted as the
copies it draws: a detailed map or illustration has a few thousand; a bomb has millions."""

MAX_EFFECTS = 32
"""Elements drawn through a filter or a mask: each costs an off-screen layer the size of what
it covers (about 0.1 s apiece at 3840x2160 on the kiosk's software rasterizer)."""

MAX_TEXT = 20_000
"""Characters of text an SVG draws itself: a long caption is a few hundred."""

MAX_DEPTH = 100
"""Nesting depth of elements: renderers walk the tree recursively."""

MAX_EMBEDDED_PIXELS = 40_000_000
"""Pixels of every embedded (data: URI) raster image together: as much as one image file."""

SIZE_RANGE = (1e-3, 1e6)
"""Bounds of the width, height and view box sizes, in the SVG's own units."""

MAX_ASPECT = 100.0
"""The most one side may be longer than the other: thinner than this draws nothing visible."""

SELF_CONTAINED = "SVG images must be self-contained"

FORBIDDEN = {
    "script": "it contains a <script>{at}; SVG images may not run scripts",
    "handler": "it contains a <handler> script{at}; SVG images may not run scripts",
    "foreignObject": "it contains a <foreignObject>{at}; SVG images may hold only drawing",
    "iframe": "it contains an <iframe>{at}; SVG images may hold only drawing",
    "embed": "it contains an <embed>{at}; SVG images may hold only drawing",
    "object": "it contains an <object>{at}; SVG images may hold only drawing",
    "video": "it contains a <video>{at}; SVG images may hold only drawing",
    "audio": "it contains an <audio>{at}; SVG images may hold only drawing",
    "animation": "it contains an <animation> of another file{at}; " + SELF_CONTAINED,
}
"""Elements no slide image needs, each a way to run code or to pull in another document."""

# Elements drawn only where something refers to them, and then once for each reference.
_NOT_DRAWN = {
    "defs",
    "symbol",
    "pattern",
    "mask",
    "clipPath",
    "marker",
    "filter",
    "linearGradient",
    "radialGradient",
    "title",
    "desc",
    "metadata",
    "style",
}
_DRAWN_BY_URL = {"pattern", "mask", "clipPath", "marker"}
_TEXT = {"text", "tspan", "textPath", "textArea"}
_EFFECTS = ("filter", "mask")
_MARKERS = ("marker-start", "marker-mid", "marker-end", "marker")
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import\b\s*(?:url\(\s*)?['\"]?([^'\"\s;)]*)", re.IGNORECASE)
_FRAGMENT = re.compile(r"^#[^\s#]+$")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_LENGTH = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")
_UNIT_PX = {
    None: 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg)\s*;\s*base64\s*,(.*)$", re.I | re.DOTALL)


class Refused(Exception):
    """Raised inside the parse to stop at the first reason to refuse the file."""


@dataclass
class _Element:
    name: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)


@dataclass(frozen=True)
class SvgCheck:
    """What reading an SVG found: a reason to refuse it (None when it may be shown) and, for
    an accepted file, the size it declares (its view box, else its width and height)."""

    problem: str | None
    size: tuple[float, float] | None = None


Raster = Callable[[bytes, str], "tuple[int, int] | str"]
"""Judges an embedded image's bytes (and its suffix, `.png`): its size, or what is wrong."""


def check_svg(data: bytes, raster: Raster) -> SvgCheck:
    """Read an SVG file's bytes and decide whether it may be drawn; `raster` judges embedded
    (data: URI) images as image files are judged."""
    reader = _Reader(raster)
    try:
        root = reader.parse(data)
        size = _declared_size(root)
        _count(root, reader.ids)
    except Refused as exc:
        return SvgCheck(f"refused: {exc}")
    except _NotParsed as exc:
        return SvgCheck(str(exc))
    return SvgCheck(None, size)


class _NotParsed(Exception):
    pass


def _at(line: int) -> str:
    return f" (line {line})"


def _local(name: str) -> tuple[str, str]:
    """`"http://www.w3.org/2000/svg rect"` as (namespace, local name)."""
    ns, _, local = name.rpartition(" ")
    return ns, local


def _shown(value: str) -> str:
    """A reference as the message shows it: whole, or its end (where the file name is)."""
    value = " ".join(value.split())
    return f'"{value}"' if len(value) <= 160 else f'"...{value[-157:]}"'


class _Reader:
    """One expat pass that builds a small tree and refuses at the first hostile construct."""

    def __init__(self, raster: Raster) -> None:
        self.raster = raster
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.stack: list[_Element] = []
        self.root: _Element | None = None
        self.ids: dict[str, _Element] = {}
        self.count = 0
        self.embedded_pixels = 0
        self.text_chars = 0
        self.style_text: list[str] | None = None
        p = self.parser
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.SkippedEntityHandler = self._skipped
        p.ExternalEntityRefHandler = self._external
        p.ProcessingInstructionHandler = self._instruction
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text

    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def parse(self, data: bytes) -> _Element:
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as exc:
            raise _NotParsed(f"the SVG does not parse ({exc})") from None
        if self.root is None:
            raise _NotParsed("the file is not an SVG image")
        return self.root

    # -- what the file declares before its elements ------------------------------------------

    def _doctype(
        self, name: str, system_id: str | None, public_id: str | None, internal: int
    ) -> None:
        # A plain `<!DOCTYPE svg PUBLIC ...>` line, as editors write, is harmless: expat never
        # fetches it. An internal subset is where entities are declared.
        if internal:
            raise Refused(
                f"it declares XML entities{_at(self.line())}, which can make a small file "
                "grow without bound; save it without a DOCTYPE"
            )

    def _entity(self, name: str, *args: object) -> None:
        raise Refused(f"it declares the XML entity {name}{_at(self.line())}; save it without")

    def _skipped(self, name: str, is_parameter: int) -> None:
        raise Refused(f"it uses the undefined XML entity &{name};{_at(self.line())}")

    def _external(self, *args: object) -> int:
        raise Refused(f"it refers to an external XML entity{_at(self.line())}; {SELF_CONTAINED}")

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise Refused(f"it links a style sheet{_at(self.line())}; {SELF_CONTAINED}")

    # -- elements -------------------------------------------------------------------------

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        line = self.line()
        ns, local = _local(name)
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise Refused(
                f"it has more than {MAX_ELEMENTS:,} elements{_at(line)}; simplify it, or "
                "export it as a PNG image"
            )
        if len(self.stack) >= MAX_DEPTH:
            raise Refused(f"its elements are nested more than {MAX_DEPTH} deep{_at(line)}")
        if local in FORBIDDEN:
            raise Refused(FORBIDDEN[local].format(at=_at(line)))
        if self.root is None and (local != "svg" or ns not in (SVG_NS, "")):
            raise _NotParsed("the file is not an SVG image")
        element = _Element(local, {}, line)
        for key, value in attrs.items():
            _, attr = _local(key)
            self._check_attribute(local, attr, value, line)
            element.attrs[attr] = value
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)
        ident = element.attrs.get("id")
        if ident:
            self.ids.setdefault(ident, element)
        if local == "style":
            self.style_text = []

    def _end(self, name: str) -> None:
        element = self.stack.pop()
        if element.name == "style" and self.style_text is not None:
            self._check_css("".join(self.style_text), element.line)
            self.style_text = None

    def _text(self, text: str) -> None:
        if self.style_text is not None:
            self.style_text.append(text)
        elif self.stack and self.stack[-1].name in _TEXT:
            self.text_chars += len(text)
            if self.text_chars > MAX_TEXT:
                raise Refused(
                    f"it draws more than {MAX_TEXT:,} characters of text{_at(self.line())}; "
                    "put long text on the slide instead"
                )

    def _check_attribute(self, element: str, attr: str, value: str, line: int) -> None:
        if attr == "href":
            target = value.strip()
            if _FRAGMENT.match(target):
                return
            if element == "image" and target[:5].lower() == "data:":
                self._check_embedded(target, line)
                return
            raise Refused(
                f"it refers to {_shown(value)}, outside the image{_at(line)}; {SELF_CONTAINED}"
            )
        if attr == "style":
            self._check_css(value, line)
        elif "url(" in value.lower():
            self._check_urls(value, line)

    def _check_css(self, css: str, line: int) -> None:
        imported = _IMPORT.search(css)
        if imported:
            raise Refused(
                f"its style imports {_shown(imported.group(1) or imported.group(0))}"
                f"{_at(line)}; {SELF_CONTAINED}"
            )
        self._check_urls(css, line)

    def _check_urls(self, value: str, line: int) -> None:
        for match in _URL.finditer(value):
            if not _FRAGMENT.match(match.group(2).strip()):
                raise Refused(
                    f"it refers to {_shown(match.group(2))}, outside the image"
                    f"{_at(line)}; {SELF_CONTAINED}"
                )
        # `url(` with no closing parenthesis is nothing a renderer could follow, but neither
        # is it a drawing: refuse rather than guess how a renderer reads it.
        if value.lower().count("url(") != len(_URL.findall(value)):
            raise Refused(f"it has an unfinished url(...){_at(line)}")

    def _check_embedded(self, uri: str, line: int) -> None:
        match = _DATA_IMAGE.match(uri)
        if match is None:
            raise Refused(
                f"it embeds something other than a PNG or JPEG image{_at(line)}; "
                "embed pictures as PNG or JPEG"
            )
        try:
            raw = base64.b64decode("".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            raise Refused(f"an embedded image is not valid base64{_at(line)}") from None
        dims = self.raster(raw, "." + match.group(1).lower())
        if isinstance(dims, str):
            raise Refused(f"an embedded image is unusable: {dims}{_at(line)}")
        self.embedded_pixels += dims[0] * dims[1]
        if self.embedded_pixels > MAX_EMBEDDED_PIXELS:
            raise Refused(
                f"its embedded images hold more than {MAX_EMBEDDED_PIXELS:,} pixels"
                f"{_at(line)}; use smaller pictures"
            )


# -- the size it declares --------------------------------------------------------------------


def _length(value: str | None) -> float | None:
    """An absolute length in px; None when absent or relative (`100%`, `em`)."""
    if value is None:
        return None
    match = _LENGTH.match(value)
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_PX[match.group(2)]


def _declared_size(root: _Element) -> tuple[float, float] | None:
    low, high = SIZE_RANGE
    at = _at(root.line)
    box = root.attrs.get("viewBox")
    size: tuple[float, float] | None = None
    if box is not None and box.strip():
        numbers = [float(n) for n in _NUMBER.findall(box)]
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise Refused(f"its viewBox {_shown(box)} is not four numbers{at}")
        x, y, box_width, box_height = numbers
        if not (
            low <= min(box_width, box_height) and max(box_width, box_height, abs(x), abs(y)) <= high
        ):
            raise Refused(
                f"its viewBox {_shown(box)} is out of bounds{at}; sizes must lie between "
                f"{low:g} and {high:,.0f}"
            )
        size = (box_width, box_height)
    width, height = _length(root.attrs.get("width")), _length(root.attrs.get("height"))
    for value in (width, height):
        if value is not None and not (math.isfinite(value) and low <= value <= high):
            raise Refused(
                f"its width or height is out of bounds{at}; sizes must lie between "
                f"{low:g} and {high:,.0f}"
            )
    if size is None and width is not None and height is not None:
        size = (width, height)
    if size is not None and max(size) / min(size) > MAX_ASPECT:
        raise Refused(
            f"it is {size[0]:g} by {size[1]:g}{at}, too thin to show; one side may be at "
            f"most {MAX_ASPECT:g} times the other"
        )
    return size


# -- what it would draw ----------------------------------------------------------------------


def _references(element: _Element) -> list[tuple[str, str]]:
    """(property, id) of every element this one draws by reference: `<use href="#id">` and the
    `url(#id)` of its fill, stroke, mask, clip path, filter and markers."""
    found: list[tuple[str, str]] = []
    if element.name == "use":
        href = element.attrs.get("href", "").strip()
        if href.startswith("#"):
            found.append(("use", href[1:]))
    declared = dict(element.attrs)
    for item in element.attrs.get("style", "").split(";"):
        key, _, value = item.partition(":")
        if value:
            declared[key.strip()] = value
    for prop, value in declared.items():
        if prop in ("fill", "stroke", "mask", "clip-path", "filter", *_MARKERS):
            for match in _URL.finditer(value):
                found.append((prop, match.group(2).strip()[1:]))
    return found


def _vertices(element: _Element) -> int:
    """About how many vertices a shape has, for the markers drawn at each."""
    text = element.attrs.get("d") or element.attrs.get("points") or ""
    return max(1, len(_NUMBER.findall(text)) // 2)


def _count(root: _Element, ids: dict[str, _Element]) -> None:
    """Refuse the file when the elements it would draw, every copy counted, are too many."""
    cap = MAX_ELEMENTS + 1  # counts saturate here, so a bomb's numbers stay small
    cost: dict[int, int] = {}
    effects: dict[int, int] = {}
    state: dict[int, int] = {}  # 1: being counted, 2: counted
    # Post-order over the tree and its references, with an explicit stack: a chain of a
    # thousand `<use>`s is a valid file, and far deeper than Python's recursion allows.
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        key = id(element)
        if done:
            total, applied = 1, 0
            for child in element.children:
                if child.name not in _NOT_DRAWN:
                    total += cost[id(child)]
                    applied += effects[id(child)]
            for prop, target in _references(element):
                referenced = ids.get(target)
                if referenced is None:
                    continue
                if prop in _EFFECTS:
                    applied += 1
                if prop == "use" or referenced.name in _DRAWN_BY_URL:
                    times = _vertices(element) if prop in _MARKERS else 1
                    total += times * cost[id(referenced)]
                    applied += times * effects[id(referenced)]
            cost[key], effects[key] = min(total, cap), min(applied, cap)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            raise Refused(f"an element refers back to itself{_at(element.line)}")
        state[key] = 1
        stack.append((element, True))
        for _, target in _references(element):
            referenced = ids.get(target)
            if referenced is not None:
                if state.get(id(referenced)) == 1:
                    raise Refused(f"an element refers back to itself{_at(element.line)}")
                if state.get(id(referenced)) != 2:
                    stack.append((referenced, False))
        for child in reversed(element.children):
            stack.append((child, False))
    if cost[id(root)] > MAX_ELEMENTS:
        at = _at(_worst(root, cost, MAX_ELEMENTS).line)
        raise Refused(
            f"it draws more than {MAX_ELEMENTS:,} elements once the copies made by <use> "
            f"and patterns are counted{at}; simplify it, or export it as a PNG image"
        )
    if effects[id(root)] > MAX_EFFECTS:
        at = _at(_worst(root, effects, MAX_EFFECTS).line)
        raise Refused(
            f"it draws {effects[id(root)]:,} elements through filters or masks{at}, more than "
            f"the {MAX_EFFECTS} allowed; export it as a PNG image"
        )


def _worst(root: _Element, counts: dict[int, int], limit: int) -> _Element:
    """Where a curator looks first: the deepest element over the bound on its own, found by
    following the heaviest child while it too is over the bound."""
    element = root
    while element.children:
        heaviest = max(element.children, key=lambda child: counts.get(id(child), 0))
        if counts.get(id(heaviest), 0) <= limit:
            break
        element = heaviest
    return element
