"""Reading one YAML content file safely, keeping where every key and value stands.

PyYAML alone is not enough for hand-written content: `safe_load` keeps the last of duplicate
keys, reads values by YAML 1.1 (`no` is False, `010` is 8, `1:20:30` is 4830), and expands alias
bombs when the data is walked. This reader composes the node tree (every node carries its line
and column), refuses what a curator never means and an attacker might, and builds plain Python
data plus a map from each data path to its place in the file.

Values are read by YAML 1.2's core schema, as the curators' editors (yaml-language-server) and
CI (check-jsonschema) read them, so the JSON Schema an editor checks sees the same data the
kiosk does: `yes` and `no` are text, `010` is 10, `1e3` is a number, `2010-06-18` is text
that the model reads as a date. The few forms those readers disagree on among themselves
(`1_000`, `0b101`, `-0x1F`) are refused with the two ways to write them plainly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kiosk.content.files import FileTooLarge, UnreadableFile, read_limited
from kiosk.content.problems import Problem, quoted

MAX_FILE_BYTES = 1024 * 1024
"""A content file larger than this is refused: slides are short, and big files stall a reload."""
MAX_DEPTH = 40
"""Deeper nesting than this is never real content (and deep recursion is an attack)."""
MAX_ALIASES = 100
"""Aliases allowed in one file: enough for sharing, too few to build a bomb from."""
MAX_NODES = 20_000
"""Values in one file after aliases are expanded; an alias bomb reaches this at once."""
MAX_CHARACTER_PROBLEMS = 10
"""Characters that are not allowed reported one by one; a pasted binary would give thousands."""

_NOT_ALLOWED = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters a content file may not hold: what YAML refuses (C0 controls but tab and line
breaks, DEL, surrogates, U+FFFE and U+FFFF) and what YAML 1.1 readers take as line breaks where
editors do not (NEL and the other C1 controls, U+2028, U+2029), which would put every later
line number off by one."""

_AMBIGUOUS_NUMBER = "tag:liangjiang-kiosk,2026:ambiguous-number"
"""The private tag of plain values that some YAML 1.2 readers take as numbers and others as
text: ruamel.yaml (check-jsonschema) reads `1_000` as 1000, yaml-language-server as text."""

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Loader: Any = type("_Loader", (_Base,), {"yaml_implicit_resolvers": {}})
"""The parser, with YAML 1.2 core schema resolution instead of PyYAML's YAML 1.1."""
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
    (
        _AMBIGUOUS_NUMBER,
        r"^[-+]?(?:0b[0-1_]+|0o[0-7_]+|0x[0-9a-fA-F_]+"
        r"|[0-9_]*[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$",
        list("-+0123456789._"),
    ),
    # Not YAML 1.2, but refused with a word rather than read as text: PyYAML and ruamel.yaml
    # still give `<<` and a lone `=` their YAML 1.1 meanings.
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
    ("tag:yaml.org,2002:value", r"^(?:=)$", ["="]),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)

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
    written: dict[Path_, str] = field(default_factory=dict)
    """The text of each value that is not text (a number, true, null) as the curator wrote it,
    so a message shows `010` or `1e999`, not the 10 or inf it was read as."""

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


def too_large(display: str, size: int) -> Problem:
    """The problem of a content file larger than MAX_FILE_BYTES."""
    return Problem(
        display,
        None,
        None,
        f"file is too large ({size / 1048576:.1f} MiB; content files may be "
        f"at most {MAX_FILE_BYTES // 1048576} MiB)",
    )


def read_yaml_file(file: Path, display: str) -> YamlDocument:
    """Read `file` (shown to curators as `display`); raise YamlFileError with located problems."""
    try:
        raw = read_limited(file, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise YamlFileError([too_large(display, exc.size)]) from None
    except UnreadableFile as exc:
        raise YamlFileError(
            [Problem(display, None, None, f"cannot read the file: {exc.reason}")]
        ) from None
    return parse_yaml_bytes(raw, display)


def parse_yaml_bytes(raw: bytes, display: str) -> YamlDocument:
    """Parse the bytes of a content file; raise YamlFileError with located problems."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors do, not the bytes of the text before.
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
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
    _refuse_characters(text, display)
    _prescan(text, display)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlFileError([_yaml_error(display, exc, text)]) from None
    if node is None:
        raise YamlFileError([Problem(display, None, None, "the file is empty")])
    builder = _Builder(display)
    data = builder.build(node, ())
    if builder.problems:
        raise YamlFileError(builder.problems)
    return YamlDocument(display, data, builder.values, builder.keys, builder.written)


def character_message(char: str, *, escaped: bool = False) -> str:
    """Why `char` may not be in a content file, and what to do, in a curator's words."""
    code = ord(char)
    how = " (written as an escape)" if escaped else ""
    if code in (0x2028, 0x2029):
        name = "line" if code == 0x2028 else "paragraph"
        return f"{name} separator U+{code:04X}{how} is not allowed; use an ordinary line break"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"control character U+{code:04X}{how} is not allowed; remove it"
    return f"character U+{code:04X}{how} is not allowed; remove it"


def _place(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of `text[index]`, with line breaks counted as editors do."""
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, index - start + 1


def _refuse_characters(text: str, display: str) -> None:
    """Refuse the characters a content file may not hold, each where it is.

    PyYAML's reader stops at the first of them with an unlocated ReaderError ("position 306 of
    <unicode string>"), and a few (NEL, U+2028) it takes as line breaks where no editor does."""
    problems: list[Problem] = []
    for count, match in enumerate(_NOT_ALLOWED.finditer(text)):
        line, col = _place(text, match.start())
        if count == MAX_CHARACTER_PROBLEMS:
            rest = sum(1 for _ in _NOT_ALLOWED.finditer(text, match.start()))
            problems.append(
                Problem(
                    display,
                    line,
                    col,
                    f"{rest} more characters that are not allowed (control characters); "
                    "is this a text file?",
                )
            )
            break
        problems.append(Problem(display, line, col, character_message(match.group())))
    if problems:
        raise YamlFileError(problems)


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
    except yaml.YAMLError as exc:
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


def _yaml_error(display: str, exc: yaml.YAMLError, text: str) -> Problem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return _unmarked_error(display, exc, text)
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


def _unmarked_error(display: str, exc: yaml.YAMLError, text: str) -> Problem:
    """A PyYAML error without a mark (a ReaderError, which `_refuse_characters` should have
    forestalled), placed by the character it names: its `position` counts bytes or characters
    depending on the parser."""
    character: object = getattr(exc, "character", None)
    if isinstance(character, int):
        character = chr(character)
    if isinstance(character, str) and character and character in text:
        line, col = _place(text, text.index(character))
        return Problem(display, line, col, character_message(character))
    reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
    return Problem(display, None, None, f"not valid YAML: {reason}")


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


class _Builder:
    """Turns a composed node tree into plain data, recording marks and refusing surprises."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.values: dict[Path_, Mark] = {}
        self.keys: dict[Path_, Mark] = {}
        self.written: dict[Path_, str] = {}
        self.problems: list[Problem] = []
        self.count = 0

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
        return self._scalar(node, path)

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
            self._check_text(key_node, key)
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

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        tag, text = node.tag, str(node.value)
        if tag == "tag:yaml.org,2002:str":
            self._check_text(node, text)
            return text
        if tag == _AMBIGUOUS_NUMBER:
            self._fail(node, _ambiguous_message(text))
            return None
        if tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            self._fail(
                node,
                f"{text} on its own has a special meaning in YAML; "
                f'put it in quotes ("{text}") to write it as text',
            )
            return None
        if tag not in _STANDARD_SCALAR_TAGS:
            self._fail(node, f"the YAML tag {tag} is not supported here")
            return None
        if tag == "tag:yaml.org,2002:timestamp":
            # Only an explicit !!timestamp comes here (YAML 1.2 has no dates): the text, which
            # the model reads as a date like the plain `2010-06-18` it would otherwise be.
            return text
        self.written[path] = text
        value = _core_value(tag, text)
        if value is _UNREADABLE:
            self._fail(node, f"cannot read this value: {quoted(text)} {_KINDS[tag]}")
            return None
        return value

    def _check_text(self, node: ScalarNode, text: str) -> None:
        """Refuse characters written as escapes (`"\\e"`) that could not be written as they are."""
        match = _NOT_ALLOWED.search(text)
        if match is not None:
            self._fail(node, character_message(match.group(), escaped=True))


_UNREADABLE = object()
_KINDS = {
    "tag:yaml.org,2002:null": "is not null (write null, or nothing)",
    "tag:yaml.org,2002:bool": "is not true or false",
    "tag:yaml.org,2002:int": "is not a whole number",
    "tag:yaml.org,2002:float": "is not a number",
}
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    **{
        f"{sign}.{word}": float(f"{sign}inf")
        for sign in ("", "+", "-")
        for word in ("inf", "Inf", "INF")
    },
    **{f".{word}": math.nan for word in ("nan", "NaN", "NAN")},
}


def _core_value(tag: str, text: str) -> Any:
    """A scalar by YAML 1.2's core schema rules (PyYAML's constructors are YAML 1.1: they read
    `010` as 8 and `!!bool yes` as true), or _UNREADABLE when `text` is no such value."""
    if tag == "tag:yaml.org,2002:null":
        return None if text in ("", "~", "null", "Null", "NULL") else _UNREADABLE
    if tag == "tag:yaml.org,2002:bool":
        return {
            "true": True,
            "True": True,
            "TRUE": True,
            "false": False,
            "False": False,
            "FALSE": False,
        }.get(text, _UNREADABLE)
    if tag == "tag:yaml.org,2002:int" and _CORE_INT.fullmatch(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)
    if tag == "tag:yaml.org,2002:float":
        if text in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text]
        if _CORE_FLOAT.fullmatch(text) or _CORE_INT.fullmatch(text):
            return float(int(text, 0) if text.startswith(("0o", "0x")) else text)
    return _UNREADABLE


def _ambiguous_message(text: str) -> str:
    """What to write instead of a number form that YAML readers disagree on."""
    number = text.replace("_", "")
    sign = -1 if number.startswith("-") else 1
    digits = number.lstrip("+-")
    try:
        if digits[:2] in ("0b", "0o", "0x"):
            value: float = sign * int(digits, 0)
        elif any(c in digits for c in ".eE"):
            value = sign * float(digits)
        else:
            value = sign * int(digits, 10)
        plain = repr(value) if isinstance(value, float) else str(value)
        instead = f"write {plain} for the number, or "
    except ValueError:
        instead = "write the number in digits, or "
    return (
        f"{text} is read as a number by some YAML readers and as text by others; "
        f'{instead}"{text}" in quotes for text'
    )
