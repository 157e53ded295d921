"""Reading one YAML content file safely, keeping where every key and value stands.

PyYAML alone is not enough for hand-written content: `safe_load` keeps the last of duplicate
keys, turns `no:` into False, and expands alias bombs when the data is walked. This reader
composes the node tree (every node carries its line and column), refuses what a curator never
means and an attacker might, and builds plain Python data plus a map from each data path to its
place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kiosk.content.problems import Problem, quoted

MAX_FILE_BYTES = 1024 * 1024
"""A content file larger than this is refused: slides are short, and big files stall a reload."""
MAX_DEPTH = 40
"""Deeper nesting than this is never real content (and deep recursion is an attack)."""
MAX_ALIASES = 100
"""Aliases allowed in one file: enough for sharing, too few to build a bomb from."""
MAX_NODES = 20_000
"""Values in one file after aliases are expanded; an alias bomb reaches this at once."""

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A place in a file, counted from 1 as editors do."""

    line: int
    col: int


@dataclass
class YamlDocument:
    """The data of one file and where each part of it was written."""

    path: str
    data: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)

    def value_mark(self, path: Path_) -> Mark:
        """Where the value at `path` was written, or its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            mark = self.values.get(tuple(path[:end]))
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_mark(self, path: Path_) -> Mark:
        """Where the key naming the value at `path` was written (the value's place otherwise)."""
        return self.keys.get(tuple(path)) or self.value_mark(path)

    def problem(self, path: Path_, message: str, *, at_key: bool = False) -> Problem:
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return Problem(self.path, mark.line, mark.col, message)


class YamlFileError(Exception):
    """The file cannot be read as content; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _mark(node_mark: yaml.Mark) -> Mark:
    return Mark(node_mark.line + 1, node_mark.column + 1)


def _problem(display: str, mark: Any, message: str) -> Problem:
    """A problem at a PyYAML mark (from the pure-Python or the libyaml parser)."""
    if mark is None:
        return Problem(display, 1, 1, message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


def read_yaml_file(file: Path, display: str) -> YamlDocument:
    """Read `file` (shown to curators as `display`); raise YamlFileError with located problems."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlFileError(
                [
                    Problem(
                        display,
                        None,
                        None,
                        f"file is too large ({size / 1048576:.1f} MiB; content files may be "
                        f"at most {MAX_FILE_BYTES // 1048576} MiB)",
                    )
                ]
            )
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlFileError(
            [Problem(display, None, None, f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    if len(raw) > MAX_FILE_BYTES:  # grew while we looked
        raise YamlFileError([Problem(display, None, None, "file is too large")])
    return parse_yaml_bytes(raw, display)


def parse_yaml_bytes(raw: bytes, display: str) -> YamlDocument:
    """Parse the bytes of a content file; raise YamlFileError with located problems."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlFileError(
            [
                Problem(
                    display,
                    line,
                    col,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                )
            ]
        ) from None
    if "\x00" in text:
        raise YamlFileError([Problem(display, None, None, "the file contains NUL bytes")])
    _prescan(text, display)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError([_yaml_error(display, exc, text)]) from None
    except yaml.YAMLError as exc:  # unmarked errors are rare; report them whole
        raise YamlFileError([Problem(display, None, None, f"cannot read YAML: {exc}")]) from None
    if node is None:
        raise YamlFileError([Problem(display, None, None, "the file is empty")])
    builder = _Builder(display)
    data = builder.build(node, ())
    if builder.problems:
        raise YamlFileError(builder.problems)
    return YamlDocument(display, data, builder.values, builder.keys)


def _prescan(text: str, display: str) -> None:
    """Refuse hostile shapes from the event stream, before any tree is built."""
    depth = 0
    aliases = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlFileError(
                        [
                            _problem(
                                display,
                                event.start_mark,
                                f"nested too deeply (more than {MAX_DEPTH} levels)",
                            )
                        ]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise YamlFileError(
                        [
                            _problem(
                                display,
                                event.start_mark,
                                f"too many aliases (more than {MAX_ALIASES}); "
                                "write the values out instead",
                            )
                        ]
                    )
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError([_yaml_error(display, exc, text)]) from None


_FRIENDLY = [
    (
        re.compile(r"mapping values are not allowed here"),
        "a colon here starts a key, which is not allowed; put text containing ': ' in quotes",
    ),
    (
        re.compile(r"found undefined alias (.*)"),
        "alias {0} refers to no anchor (anchors are written &name before they are used)",
    ),
    (
        re.compile(r"exceeded maximum nesting depth"),
        f"nested too deeply (more than {MAX_DEPTH} levels)",
    ),
    (
        re.compile(r"expected a single document in the stream|but found another document"),
        "a content file holds one document; remove the second '---'",
    ),
]


def _yaml_error(display: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    problem = (exc.problem or str(exc)).strip()
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and "\t" in _line(text, mark.line)[: mark.column + 1]:
        return _problem(display, mark, "tab character: indent with spaces, not tabs")
    for pattern, friendly in _FRIENDLY:
        match = pattern.search(f"{problem} {exc.context or ''}")
        if match:
            message = friendly.format(*match.groups())
            break
    else:
        context = f" {exc.context}" if exc.context else ""
        message = f"not valid YAML: {problem}" + (f" ({context.strip()})" if context else "")
    return _problem(display, mark, message)


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


class _Builder:
    """Turns a composed node tree into plain data, recording marks and refusing surprises."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.values: dict[Path_, Mark] = {}
        self.keys: dict[Path_, Mark] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = SafeConstructor()

    def _fail(self, node: Node, message: str) -> None:
        self.problems.append(_problem(self.display, node.start_mark, message))

    def build(self, node: Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                # An aliased node's own mark is its anchor's; the top-level entry being built
                # is where the curator will look.
                mark = self.keys.get(path[:1]) or _mark(node.start_mark)
                self.problems.append(
                    Problem(
                        self.display,
                        mark.line,
                        mark.col,
                        f"too many values (more than {MAX_NODES}, aliases expanded)",
                    )
                )
            return None
        self.values.setdefault(path, _mark(node.start_mark))
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in _COLLECTION_TAGS:
            self._fail(node, f"the YAML tag {node.tag} is not supported here")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "merge keys (<<) are not supported; write the keys out")
                continue
            if not isinstance(key_node, ScalarNode):
                self._fail(key_node, "a key must be a plain word, not a list or mapping")
                continue
            # Keys are always the text as written: `no:` or `2010:` stay words, not False/2010.
            key = str(key_node.value)
            mark = _mark(key_node.start_mark)
            if key in first_seen:
                self._fail(
                    key_node,
                    f"duplicate key {quoted(key)} (first written at line {first_seen[key].line})",
                )
                continue
            first_seen[key] = mark
            self.keys[(*path, key)] = mark
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _STANDARD_SCALAR_TAGS:
            self._fail(node, f"the YAML tag {node.tag} is not supported here")
            return None
        try:
            return self.constructor.construct_object(node)
        except (ConstructorError, ValueError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                # Looks like a date but is not one (2010-13-01): let the model say so.
                return node.value
            self._fail(node, f"cannot read this value: {getattr(exc, 'problem', exc)}")
            return None
