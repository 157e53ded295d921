"""Hostile content folders: control characters, files that are no files, refusals of the
operating system, links out of the folder and YAML 1.1 number forms. Each is a located problem
(or, for an image, a warning with a placeholder), never a traceback, a hang, or a value other
than the one the curator's editor shows.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.loader import Deck, check_folder
from kiosk.content.yamlfile import MAX_CHARACTER_PROBLEMS, YamlFileError, parse_yaml_bytes
from kiosk.ops.snapshot import load_with_fallback, save_snapshot
from tests.helpers.show import REPO, write_show
from tests.helpers.users import as_nobody

ONE = "slides/one.yaml"
AT_ONE = "deck.yaml:7:5: slides[0]"
"""Where deck.yaml lists slides/one.yaml."""
TITLE = "id: one\ntype: title\ntitle: {}\n"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x19\xb3\xa6" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
WITH_IMAGE = {ONE: "id: one\ntype: title\ntitle: T\nbackground: images/a.png\n"}
AT_IMAGE = "slides/one.yaml:4:13: warning: title.background"


def problems_of(root: Path) -> list[str]:
    deck, problems = check_folder(root)
    assert deck is None
    return [str(p) for p in problems]


# --- characters a content file may not hold ---------------------------------------------------

CHARACTERS: list[tuple[str, str, bytes, list[str]]] = [
    (
        "vertical tab",
        ONE,
        b"id: one\ntype: title\ntitle: a\x0bb\n",
        ["slides/one.yaml:3:9: control character U+000B is not allowed; remove it"],
    ),
    (
        "escape (a terminal colour pasted in)",
        ONE,
        b"id: one\ntype: title\ntitle: \x1b[31mred\n",
        ["slides/one.yaml:3:8: control character U+001B is not allowed; remove it"],
    ),
    (
        "NUL",
        ONE,
        b"id: one\x00\ntype: title\ntitle: T\n",
        ["slides/one.yaml:1:8: control character U+0000 is not allowed; remove it"],
    ),
    (
        "DEL",
        ONE,
        b"id: one\ntype: title\ntitle: T\x7f\n",
        ["slides/one.yaml:3:9: control character U+007F is not allowed; remove it"],
    ),
    (
        # YAML 1.1 readers take NEL as a line break, no editor does: every later line number
        # would be off by one.
        "NEL (a C1 control)",
        ONE,
        "id: one\ntype: title\ntitle: a\x85b\n".encode(),
        ["slides/one.yaml:3:9: control character U+0085 is not allowed; remove it"],
    ),
    (
        "CSI (a C1 control)",
        ONE,
        "id: one\ntype: title\ntitle: \x9b31m\n".encode(),
        ["slides/one.yaml:3:8: control character U+009B is not allowed; remove it"],
    ),
    (
        "line separator",
        ONE,
        "id: one\ntype: title\ntitle: a\u2028b\n".encode(),
        ["slides/one.yaml:3:9: line separator U+2028 is not allowed; use an ordinary line break"],
    ),
    (
        "non-character U+FFFE",
        ONE,
        "id: one\ntype: title\ntitle: \ufffe\n".encode(),
        ["slides/one.yaml:3:8: character U+FFFE is not allowed; remove it"],
    ),
    (
        "non-character U+FFFF",
        ONE,
        "id: one\ntype: title\ntitle: x\uffff\n".encode(),
        ["slides/one.yaml:3:9: character U+FFFF is not allowed; remove it"],
    ),
    (
        "a surrogate, as CESU-8 writes it",
        ONE,
        b"id: one\ntype: title\ntitle: \xed\xa0\x80\n",
        ["slides/one.yaml:3:8: the file is not UTF-8 text (byte 0xed); save it as UTF-8"],
    ),
    (
        "a byte that is no UTF-8, placed in characters after Chinese text",
        ONE,
        "id: one\ntype: title\ntitle: 两江".encode() + b"\xff\n",
        ["slides/one.yaml:3:10: the file is not UTF-8 text (byte 0xff); save it as UTF-8"],
    ),
    (
        "every one of them, each where it is, after Windows line ends",
        ONE,
        b"id: one\r\ntype: title\x0b\r\ntitle: \x01T\x02\r\n",
        [
            "slides/one.yaml:2:12: control character U+000B is not allowed; remove it",
            "slides/one.yaml:3:8: control character U+0001 is not allowed; remove it",
            "slides/one.yaml:3:10: control character U+0002 is not allowed; remove it",
        ],
    ),
    (
        "written as an escape in a double-quoted value",
        ONE,
        b'id: one\ntype: title\ntitle: "red \\e[31m"\n',
        [
            "slides/one.yaml:3:8: control character U+001B (written as an escape) is not "
            "allowed; remove it"
        ],
    ),
    (
        "NUL written as an escape, in a path",
        ONE,
        b'id: one\ntype: title\ntitle: T\nbackground: "images/a\\0.png"\n',
        [
            "slides/one.yaml:4:13: control character U+0000 (written as an escape) is not "
            "allowed; remove it"
        ],
    ),
    (
        "a line separator written as an escape, in a key",
        ONE,
        b'id: one\ntype: title\n"title\\L": T\n',
        [
            "slides/one.yaml:3:1: line separator U+2028 (written as an escape) is not "
            "allowed; use an ordinary line break"
        ],
    ),
    (
        "in deck.yaml",
        "deck.yaml",
        b"title: Test\x1b\nslides: [slides/one.yaml]\n",
        ["deck.yaml:1:12: control character U+001B is not allowed; remove it"],
    ),
    (
        "in a metrics file",
        "metrics.yaml",
        b"metrics:\n  area:\n    value: 1\x0c360\n",
        ["metrics.yaml:3:13: control character U+000C is not allowed; remove it"],
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "expected"), [c[1:] for c in CHARACTERS], ids=[c[0] for c in CHARACTERS]
)
def test_characters_that_are_not_allowed(
    tmp_path: Path, name: str, data: bytes, expected: list[str]
) -> None:
    assert problems_of(write_show(tmp_path / "show", {name: data})) == expected


def test_a_binary_file_gives_a_few_lines_not_thousands(tmp_path: Path) -> None:
    data = b"id: one\ntype: title\ntitle: " + b"\x01" * 500 + b"\n"
    problems = problems_of(write_show(tmp_path / "show", {ONE: data}))
    assert problems[:2] == [
        "slides/one.yaml:3:8: control character U+0001 is not allowed; remove it",
        "slides/one.yaml:3:9: control character U+0001 is not allowed; remove it",
    ]
    assert problems[MAX_CHARACTER_PROBLEMS:] == [
        f"slides/one.yaml:3:{8 + MAX_CHARACTER_PROBLEMS}: "
        f"{500 - MAX_CHARACTER_PROBLEMS} more characters that are not allowed (control "
        "characters); is this a text file?"
    ]


# --- files that are no files, and refusals of the operating system ------------------------------

Make = Callable[[Path], None]


def _replace(make: Make) -> Make:
    """`make` at a path where a file of the show was."""

    def at(path: Path) -> None:
        path.unlink()
        make(path)

    return at


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _socket(path: Path) -> None:
    # A socket's path must be short (108 bytes): bind it by a relative name.
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path.name)
        sock.close()
    finally:
        os.chdir(here)


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")


def _dangling(path: Path) -> None:
    path.symlink_to("gone.yaml")


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _link_outside(path: Path) -> None:
    outside = path.parents[2] / f"outside-{path.name}"
    shutil.copy(path, outside)
    path.unlink()
    path.symlink_to(outside)


ODD_SLIDE_FILES: list[tuple[str, Make, str]] = [
    (
        "a FIFO (never read: it would block)",
        _replace(_fifo),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a named pipe (FIFO), '
        "not a regular file",
    ),
    (
        "a folder",
        _replace(_folder),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a folder, not a file',
    ),
    (
        "a socket",
        _replace(_socket),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a socket, not a regular file',
    ),
    (
        "a device",
        _replace(_device),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a device, not a regular file',
    ),
    (
        "a dangling link",
        _replace(_dangling),
        f'{AT_ONE}: slide file "slides/one.yaml" is a symbolic link to something that does '
        "not exist",
    ),
    (
        "a link to itself (ELOOP)",
        _replace(_loop),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a symbolic link that '
        "leads back to itself (or through too many links)",
    ),
    (
        "a link out of the folder",
        _link_outside,
        f'{AT_ONE}: path "slides/one.yaml" leads outside the content folder; files must be '
        "inside it",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in ODD_SLIDE_FILES], ids=[c[0] for c in ODD_SLIDE_FILES]
)
def test_a_slide_file_that_is_no_file(tmp_path: Path, make: Make, expected: str) -> None:
    root = write_show(tmp_path / "show")
    make(root / ONE)
    assert problems_of(root) == [expected]


LONG = "x" * 300
ODD_PATHS: list[tuple[str, str, str]] = [
    (
        "a name longer than the file system allows (ENAMETOOLONG)",
        f"slides/{LONG}.yaml",
        f'{AT_ONE}: cannot read slide file "slides/{LONG[:30]}...": the path is too long for '
        "the file system",
    ),
    (
        "a path longer than the file system allows",
        "/".join(["slides", *["y" * 200] * 25, "one.yaml"]),
        f'{AT_ONE}: cannot read slide file "slides/{"y" * 30}...": the path is too long for '
        "the file system",
    ),
    (
        "a file where a folder should be (ENOTDIR)",
        "slides/two.yaml/one.yaml",
        f'{AT_ONE}: cannot read slide file "slides/two.yaml/one.yaml": a part of the path is '
        "a file, not a folder",
    ),
]


@pytest.mark.parametrize(
    ("listed", "expected"), [c[1:] for c in ODD_PATHS], ids=[c[0] for c in ODD_PATHS]
)
def test_a_slide_path_the_system_refuses(tmp_path: Path, listed: str, expected: str) -> None:
    root = write_show(tmp_path / "show", {ONE: None})
    text = (root / "deck.yaml").read_text(encoding="utf-8")
    (root / "deck.yaml").write_text(text.replace("slides/one.yaml", listed), encoding="utf-8")
    assert problems_of(root) == [expected]


ODD_DECKS: list[tuple[str, Make, str]] = [
    (
        "a FIFO",
        _replace(_fifo),
        "deck.yaml: cannot read the file: it is a named pipe (FIFO), not a regular file",
    ),
    ("a folder", _replace(_folder), "deck.yaml: cannot read the file: it is a folder, not a file"),
    (
        "a dangling link",
        _replace(_dangling),
        "deck.yaml: the file is a symbolic link to something that does not exist",
    ),
    (
        "a link to itself",
        _replace(_loop),
        "deck.yaml: cannot read the file: it is a symbolic link that leads back to itself (or "
        "through too many links)",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in ODD_DECKS], ids=[c[0] for c in ODD_DECKS]
)
def test_a_deck_file_that_is_no_file(tmp_path: Path, make: Make, expected: str) -> None:
    root = write_show(tmp_path / "show")
    make(root / "deck.yaml")
    assert problems_of(root) == [expected]


ODD_IMAGES: list[tuple[str, Make, str]] = [
    (
        "a FIFO",
        _fifo,
        f"{AT_IMAGE}: cannot read the image: it is a named pipe (FIFO), not a regular file; "
        "a placeholder is shown instead",
    ),
    (
        "a folder",
        _folder,
        f"{AT_IMAGE}: cannot read the image: it is a folder, not a file; a placeholder is "
        "shown instead",
    ),
    (
        "a socket",
        _socket,
        f"{AT_IMAGE}: cannot read the image: it is a socket, not a regular file; a "
        "placeholder is shown instead",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in ODD_IMAGES], ids=[c[0] for c in ODD_IMAGES]
)
def test_an_image_that_is_no_file_is_a_placeholder(
    tmp_path: Path, make: Make, expected: str
) -> None:
    root = write_show(tmp_path / "show", WITH_IMAGE)
    (root / "images").mkdir()
    make(root / "images/a.png")
    deck, problems = check_folder(root)
    assert deck is not None  # the show plays, with a placeholder
    assert [str(p) for p in problems] == [expected]


# --- permission denied and other errors of the system, simulated (CI runs as root) --------------


@pytest.fixture
def refuse(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str, int], None]:
    """Make one system call (`open`, `stat` or `read`) fail with `code` for paths ending in
    `name`, as it does for a user the file's permissions leave out."""

    def install(call: str, name: str, code: int) -> None:
        if call == "read":
            real_open, real_read = os.open, os.read
            doomed: set[int] = set()

            def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
                fd = real_open(path, flags, *args, **kwargs)
                if str(path).endswith(name):
                    doomed.add(fd)
                else:
                    doomed.discard(fd)  # a number reused for another file
                return fd

            def fake_read(fd: int, n: int) -> bytes:
                if fd in doomed:
                    raise OSError(code, os.strerror(code))
                return real_read(fd, n)

            monkeypatch.setattr(os, "open", fake_open)
            monkeypatch.setattr(os, "read", fake_read)
            return
        real = getattr(os, call)

        def fake(path: Any, *args: Any, **kwargs: Any) -> Any:
            if str(path).endswith(name):
                raise OSError(code, os.strerror(code), str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, call, fake)

    return install


SYSTEM_ERRORS: list[tuple[str, str, str, int, dict[str, str | bytes | None], str, bool]] = [
    (
        "unreadable slide file (open: EACCES)",
        "open",
        ONE,
        errno.EACCES,
        {},
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": permission denied',
        False,
    ),
    (
        "slide file in a folder the kiosk may not enter (stat: EACCES)",
        "stat",
        ONE,
        errno.EACCES,
        {},
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": permission denied',
        False,
    ),
    (
        "a disk error while reading (EIO)",
        "read",
        ONE,
        errno.EIO,
        {},
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": the disk reports an '
        "input/output error",
        False,
    ),
    (
        "unreadable metrics file",
        "open",
        "metrics.yaml",
        errno.EACCES,
        {},
        'deck.yaml:5:11: metrics[0]: cannot read metrics file "metrics.yaml": permission denied',
        False,
    ),
    (
        "unreadable deck.yaml",
        "open",
        "deck.yaml",
        errno.EACCES,
        {},
        "deck.yaml: cannot read the file: permission denied",
        False,
    ),
    (
        "unreadable image: a warning and a placeholder, the show plays",
        "open",
        "images/a.png",
        errno.EACCES,
        WITH_IMAGE,
        f"{AT_IMAGE}: cannot read the image: permission denied; a placeholder is shown instead",
        True,
    ),
    (
        "image in a folder the kiosk may not enter",
        "stat",
        "images/a.png",
        errno.EACCES,
        WITH_IMAGE,
        f"{AT_IMAGE}: cannot read the image: permission denied; a placeholder is shown instead",
        True,
    ),
]


@pytest.mark.parametrize(
    ("call", "name", "code", "files", "expected", "plays"),
    [c[1:] for c in SYSTEM_ERRORS],
    ids=[c[0] for c in SYSTEM_ERRORS],
)
def test_errors_of_the_system(
    tmp_path: Path,
    refuse: Callable[[str, str, int], None],
    call: str,
    name: str,
    code: int,
    files: dict[str, str | bytes | None],
    expected: str,
    plays: bool,
) -> None:
    root = write_show(tmp_path / "show", files)
    if files is WITH_IMAGE:
        (root / "images").mkdir()
        (root / "images/a.png").write_bytes(PNG)
        assert check_folder(root)[1] == []  # a good image, until the system refuses it
    refuse(call, name, code)
    deck, problems = check_folder(root)
    assert (deck is not None) == plays
    assert [str(p) for p in problems] == [expected]


def test_an_unreadable_sub_folder_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_show(tmp_path / "show", {"drafts/three.yaml": TITLE.format("T")})
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("drafts"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    deck, problems = check_folder(root)
    assert deck is not None
    assert [str(p) for p in problems] == [
        "drafts: warning: cannot read the folder: permission denied; the files in it are not "
        "checked"
    ]


# --- what leaves the content folder: one check for every file the loader opens -----------------


def test_deck_file_linked_out_of_the_folder(tmp_path: Path) -> None:
    root = write_show(tmp_path / "show")
    outside = tmp_path / "elsewhere.yaml"
    (root / "deck.yaml").rename(outside)
    (root / "deck.yaml").symlink_to(outside)
    assert problems_of(root) == [
        f'deck.yaml: the file leads outside the content folder (to "{outside}"); files must '
        "be inside it"
    ]


def test_deck_file_linked_to_a_file_inside_the_folder_is_read(tmp_path: Path) -> None:
    root = write_show(tmp_path / "show")
    (root / "deck.yaml").rename(root / "release-2026.yaml")
    (root / "deck.yaml").symlink_to("release-2026.yaml")
    deck, problems = check_folder(root)
    assert deck is not None
    assert [str(p) for p in problems] == [
        "release-2026.yaml: warning: not listed in deck.yaml, so it is not shown"
    ]


def test_whole_folders_linked_out_of_the_content_folder(tmp_path: Path) -> None:
    root = write_show(tmp_path / "show", WITH_IMAGE)
    (tmp_path / "images").mkdir()
    (tmp_path / "images/a.png").write_bytes(PNG)
    (root / "images").symlink_to(tmp_path / "images")
    shutil.move(root / "slides", tmp_path / "slides")
    (root / "slides").symlink_to(tmp_path / "slides")
    outside = "leads outside the content folder; files must be inside it"
    assert problems_of(root) == [
        f'{AT_ONE}: path "slides/one.yaml" {outside}',
        f'deck.yaml:8:5: slides[1]: path "slides/two.yaml" {outside}',
    ]
    (root / "slides").unlink()
    shutil.move(tmp_path / "slides", root / "slides")
    assert problems_of(root) == [
        f'slides/one.yaml:4:13: title.background: path "images/a.png" {outside}'
    ]


def test_each_file_is_opened_once_so_the_revision_is_of_what_was_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read once to parse and again to hash could change in between: the revision would
    name content that is not on screen."""
    root = write_show(tmp_path / "show", WITH_IMAGE)
    (root / "images").mkdir()
    (root / "images/a.png").write_bytes(PNG)
    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(Path(path).relative_to(root).as_posix())
        return real_os_open(path, *args, **kwargs)

    def io_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(path).relative_to(root).as_posix())
        return real_io_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    deck = check_folder(root)[0]
    monkeypatch.undo()
    assert deck is not None
    assert sorted(opened) == ["deck.yaml", "images/a.png", "metrics.yaml", ONE, "slides/two.yaml"]


# --- numbers: read as YAML 1.2 readers read them -------------------------------------------------


def _metric_value(value: str) -> dict[str, str | bytes | None]:
    return {
        "metrics.yaml": "metrics:\n  area:\n    value: "
        + value
        + "\n    label: L\n    detail: D\n    source: S\n    as_of: 2026\n"
        "  share:\n    value: 75\n    format: percent\n    label: L\n    detail: D\n"
        "    source: S\n    as_of: 2026\n"
    }


AT_VALUE = "metrics.yaml:3:12"
NUMBERS_REFUSED: list[tuple[str, str, str]] = [
    (
        "binary (ruamel reads 5, yaml-language-server text)",
        "0b101",
        f"{AT_VALUE}: 0b101 is read as a number by some YAML readers and as text by others; "
        'write 5 for the number, or "0b101" in quotes for text',
    ),
    (
        "digits grouped with _",
        "1_000",
        f"{AT_VALUE}: 1_000 is read as a number by some YAML readers and as text by others; "
        'write 1000 for the number, or "1_000" in quotes for text',
    ),
    (
        "a signed hexadecimal number",
        "-0x1F",
        f"{AT_VALUE}: -0x1F is read as a number by some YAML readers and as text by others; "
        'write -31 for the number, or "-0x1F" in quotes for text',
    ),
    (
        "a decimal grouped with _",
        "3_520.5",
        f"{AT_VALUE}: 3_520.5 is read as a number by some YAML readers and as text by "
        'others; write 3520.5 for the number, or "3_520.5" in quotes for text',
    ),
    (
        "base 60 (YAML 1.1 read 4830): text now, so the model says what it wants",
        "1:20:30",
        f'{AT_VALUE}: metrics.area.value: expected a number, got "1:20:30" (write a number '
        "like 12, -3.5 or 1.2e6)",
    ),
    (
        "digits with a comma",
        "1,360",
        f'{AT_VALUE}: metrics.area.value: expected a number, got "1,360" (write a number '
        "like 12, -3.5 or 1.2e6)",
    ),
    (
        "full-width digits, as a Chinese input method types them",
        "１３６０",
        f'{AT_VALUE}: metrics.area.value: expected a number, got "１３６０" (write a number '
        "like 12, -3.5 or 1.2e6)",
    ),
    ("yes", "yes", f'{AT_VALUE}: metrics.area.value: expected a number, got "yes"'),
    (
        "infinity, as written",
        "1e999",
        f"{AT_VALUE}: metrics.area.value: expected a finite number, got 1e999",
    ),
    (
        "not a number, as written",
        ".NaN",
        f"{AT_VALUE}: metrics.area.value: expected a finite number, got .NaN",
    ),
]


@pytest.mark.parametrize(
    ("value", "expected"), [c[1:] for c in NUMBERS_REFUSED], ids=[c[0] for c in NUMBERS_REFUSED]
)
def test_number_forms_refused(tmp_path: Path, value: str, expected: str) -> None:
    assert problems_of(write_show(tmp_path / "show", _metric_value(value))) == [expected]


NUMBERS_READ: list[tuple[str, float]] = [
    ("010", 10),  # YAML 1.1: 8
    ("017", 17),  # YAML 1.1: 15
    ("0x1F", 31),
    ("0o17", 15),
    ("1e3", 1000),  # YAML 1.1: the text "1e3"
    ("1.5E+3", 1500),
    ("-2.5", -2.5),
    ("+12", 12),
    (".5", 0.5),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS_READ)
def test_number_forms_read_as_yaml_1_2(tmp_path: Path, value: str, expected: float) -> None:
    deck, problems = check_folder(write_show(tmp_path / "show", _metric_value(value)))
    assert problems == []
    assert deck is not None
    assert deck.metrics["area"].value == expected


def test_words_yaml_1_1_took_for_true_and_false_are_text(tmp_path: Path) -> None:
    """`yes`, `no`, `on`, `off` are text to the curator's editor: a title `no` is the word, a
    switch must say true or false."""
    root = write_show(
        tmp_path / "show",
        {ONE: "id: one\ntype: title\ntitle: yes\nsubtitle: {zh: 'off', en: no}\n"},
    )
    deck, problems = check_folder(root)
    assert problems == []
    assert deck is not None
    slide: Any = deck.slides[0]
    assert slide.title.root == "yes"
    assert slide.subtitle.root == {"zh": "off", "en": "no"}
    text = (root / "deck.yaml").read_text(encoding="utf-8")
    (root / "deck.yaml").write_text(
        text.replace("  idle_timeout: 45\n", "  idle_timeout: 45\n  reduce_motion: on\n"),
        encoding="utf-8",
    )
    assert problems_of(root) == [
        'deck.yaml:5:18: loop.reduce_motion: expected true or false, got "on"'
    ]


def test_a_time_and_a_date_stay_text(tmp_path: Path) -> None:
    root = write_show(
        tmp_path / "show", {ONE: "id: one\ntype: title\ntitle: 1:20:30\nsubtitle: 2010-06-18\n"}
    )
    deck, problems = check_folder(root)
    assert problems == []
    assert deck is not None
    slide: Any = deck.slides[0]
    assert (slide.title.root, slide.subtitle.root) == ("1:20:30", "2010-06-18")


# The reader against check-jsonschema's own YAML reader (ruamel.yaml) and YAML 1.2's core
# schema, which yaml-language-server follows: (written, what the core schema reads, what
# ruamel reads). Where the two agree the reader reads the same; where they disagree it refuses.
SCALARS: list[tuple[str, object, object]] = [
    ("010", 10, 10),
    ("0x1F", 31, 31),
    ("0o17", 15, 15),
    ("1e3", 1000.0, 1000.0),
    ("-.inf", float("-inf"), float("-inf")),
    ("yes", "yes", "yes"),
    ("No", "No", "No"),
    ("off", "off", "off"),
    ("y", "y", "y"),
    ("TRUE", True, True),
    ("~", None, None),
    ("NULL", None, None),
    ("1:20:30", "1:20:30", "1:20:30"),
    ("2010-06-18", "2010-06-18", "2010-06-18"),
    ("12 km", "12 km", "12 km"),
    ("0b101", "0b101", 5),
    ("1_000", "1_000", 1000),
    ("-0x1F", "-0x1F", -31),
    ("1.0_5", "1.0_5", 1.05),
]


def _ruamel(text: str) -> Any:
    from check_jsonschema.parsers.yaml import construct_yaml_implementation

    return construct_yaml_implementation().load(io.StringIO(text))


@pytest.mark.parametrize(("written", "core", "by_ruamel"), SCALARS)
def test_values_as_the_schemas_clients_read_them(
    written: str, core: object, by_ruamel: object
) -> None:
    text = f"v: {written}\n"
    assert _ruamel(text) == {"v": by_ruamel}
    try:
        ours = parse_yaml_bytes(text.encode(), "x.yaml").data
    except YamlFileError:
        assert core != by_ruamel, "refused although every reader agrees"
    else:
        assert core == by_ruamel, "read although the readers disagree"
        assert ours == {"v": core}
        assert type(ours["v"]) is type(core)


# --- as the kiosk meets them: validate, the start-up fallback, a live edit ---------------------


def _kiosk_validate(
    root: Path, *, user: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [*(user or []), sys.executable, "-m", "kiosk", "validate", str(root)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=REPO, check=False
    )


BROKEN: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "control character",
        lambda root: (root / ONE).write_bytes(b"id: one\ntype: title\ntitle: a\x0bb\n"),
        "slides/one.yaml:3:9: control character U+000B is not allowed; remove it",
    ),
    (
        "slide file that is a FIFO",
        lambda root: _replace(_fifo)(root / ONE),
        f'{AT_ONE}: cannot read slide file "slides/one.yaml": it is a named pipe (FIFO), '
        "not a regular file",
    ),
    (
        "deck.yaml that is a FIFO",
        lambda root: _replace(_fifo)(root / "deck.yaml"),
        "deck.yaml: cannot read the file: it is a named pipe (FIFO), not a regular file",
    ),
    (
        "deck.yaml linked out of the folder",
        lambda root: _link_outside(root / "deck.yaml"),
        "deck.yaml: the file leads outside the content folder",
    ),
    (
        "a number the readers disagree on",
        lambda root: (root / ONE).write_text(TITLE.format("T") + "duration: 1_000\n"),
        "slides/one.yaml:4:11: 1_000 is read as a number by some YAML readers",
    ),
]


@pytest.fixture
def show_dir() -> Iterator[Path]:
    """A show under a folder every user may enter (pytest's tmp_path is root's alone), with
    the copy a link out of the folder leads to beside it."""
    base = Path(tempfile.mkdtemp(prefix="kiosk-hostile-"))
    try:
        base.chmod(0o755)
        (base / "x").mkdir()
        yield write_show(base / "x" / "show")
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(
    ("breaks", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_kiosk_validate_prints_located_lines(
    show_dir: Path, breaks: Callable[[Path], None], expected: str
) -> None:
    breaks(show_dir)
    result = _kiosk_validate(show_dir)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(expected)
    assert result.stdout.splitlines()[-1] == f"{show_dir}: not valid (1 error)"


def test_kiosk_validate_as_a_user_the_permissions_leave_out(show_dir: Path) -> None:
    """The real thing, not a simulation: chmod 000 stops a user who is not root."""
    user = as_nobody(REPO)
    for folder in (show_dir.parent, show_dir, show_dir / "slides"):
        folder.chmod(0o755)
    (show_dir / "images").mkdir(mode=0o755)
    (show_dir / "images/a.png").write_bytes(PNG)
    (show_dir / ONE).write_text(WITH_IMAGE[ONE], encoding="utf-8")
    (show_dir / "drafts").mkdir()
    for path in show_dir.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (show_dir / "images/a.png").chmod(0)
    (show_dir / "drafts").chmod(0)
    result = _kiosk_validate(show_dir, user=user)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout.splitlines() == [
        "drafts: warning: cannot read the folder: permission denied; the files in it are not "
        "checked",
        f"{AT_IMAGE}: cannot read the image: permission denied; a placeholder is shown instead",
        f"{show_dir}: valid, 2 slides, 2 figures, 2 warnings",
    ]
    assert result.returncode == 0  # an unreadable image does not stop the show
    (show_dir / "slides/two.yaml").chmod(0)
    result = _kiosk_validate(show_dir, user=user)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        'deck.yaml:8:5: slides[1]: cannot read slide file "slides/two.yaml": permission denied'
    )


@pytest.mark.parametrize(
    ("breaks", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_a_broken_folder_at_start_falls_back_to_the_last_good_copy(
    tmp_path: Path, breaks: Callable[[Path], None], expected: str
) -> None:
    root = write_show(tmp_path / "a" / "show")
    good = check_folder(root)[0]
    assert good is not None
    snapshot = tmp_path / "state" / "last-good-content"
    assert save_snapshot(good, snapshot)
    breaks(root)
    deck, problems, from_copy = load_with_fallback(root, snapshot)
    assert from_copy
    assert isinstance(deck, Deck)
    assert deck.revision == good.revision
    assert str(problems[0]).startswith(expected)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_bytes(b"\xff\xfe garbled by a power cut"),
        lambda path: _replace(_fifo)(path),
        lambda path: _replace(_folder)(path),
    ],
    ids=["garbled", "a FIFO", "a folder"],
)
def test_a_spoilt_revision_of_the_last_good_copy_is_no_copy(
    tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    root = write_show(tmp_path / "a" / "show")
    good = check_folder(root)[0]
    assert good is not None
    snapshot = tmp_path / "state" / "last-good-content"
    assert save_snapshot(good, snapshot)
    spoil(snapshot / ".revision")
    (root / ONE).write_bytes(b"id: one\ntype: title\ntitle: a\x0bb\n")
    deck, problems, from_copy = load_with_fallback(root, snapshot)
    assert (deck, from_copy) == (None, False)
    assert [str(p) for p in problems] == [
        "slides/one.yaml:3:9: control character U+000B is not allowed; remove it"
    ]


def test_an_unreadable_image_at_start_is_a_placeholder_not_a_stop(
    tmp_path: Path, refuse: Callable[[str, str, int], None]
) -> None:
    root = write_show(tmp_path / "show", WITH_IMAGE)
    (root / "images").mkdir()
    (root / "images/a.png").write_bytes(PNG)
    refuse("open", "images/a.png", errno.EACCES)
    deck, problems, from_copy = load_with_fallback(root, None)
    assert deck is not None
    assert not from_copy
    assert [str(p) for p in problems] == [
        f"{AT_IMAGE}: cannot read the image: permission denied; a placeholder is shown instead"
    ]


@pytest.mark.parametrize("call", ["open", "stat"])
def test_the_views_draw_a_placeholder_for_an_image_the_system_refuses(
    tmp_path: Path, refuse: Callable[[str, str, int], None], call: str
) -> None:
    """The views read the image again when they draw it: there too a refusal (a file, or a
    folder the kiosk may not enter) is no image, never an exception in a paint."""
    from PySide6.QtCore import QSize

    from kiosk.ui.images import load_image, natural_size

    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    refuse(call, "a.png", errno.EACCES)
    assert natural_size(image) is None
    assert load_image(image, QSize(64, 64)) is None


@pytest.mark.parametrize(
    ("breaks", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_a_live_edit_reports_the_located_message(
    tmp_path: Path, breaks: Callable[[Path], None], expected: str
) -> None:
    from kiosk.ui import reload

    root = write_show(tmp_path / "a" / "show")
    breaks(root)
    check: Any = reload._check
    # The reload engineer may still be changing the worker's signature (a snapshot folder).
    result = check(root) if check.__code__.co_argcount == 1 else check(root, None)
    deck, problems = result
    assert deck is None
    shown = [str(p) for p in problems]
    assert shown[0].startswith(expected)
    assert not any("<unicode string>" in line or "cannot load" in line for line in shown)


# --- whatever the bytes ------------------------------------------------------------------------


@settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from(
                [
                    b"id: one\n",
                    b"type: title\n",
                    b"title: ",
                    b"T\n",
                    b"\x0b",
                    b"\x1b",
                    b"\x00",
                    b"\xc2\x85",
                    b"\xe2\x80\xa8",
                    b"\xef\xbf\xbe",
                    b"\xed\xa0\x80",
                    b'"\\e"',
                    b'"\\0"',
                    b'"\\ud800"',
                    b"\r",
                    b"\t",
                    b"010",
                    b"0b1",
                    b"1_0",
                    b"1:2",
                    b"yes",
                    b"<<: ",
                    b"= ",
                    b"&a ",
                    b"*a",
                    b"!!int ",
                    b"!!bool ",
                    b"!!timestamp ",
                    b"\xef\xbb\xbf",
                    b"[",
                    b"{",
                    b"- ",
                    b": ",
                    b"#",
                ]
            ),
            max_size=30,
        ).map(b"".join),
    )
)
def test_any_bytes_in_a_slide_file_give_a_deck_or_located_problems(
    hostile_root: Path, data: bytes
) -> None:
    (hostile_root / ONE).write_bytes(data)
    deck, problems = check_folder(hostile_root)
    if deck is None:
        assert any(p.is_error for p in problems)
    files = {"deck.yaml", ONE, "slides/two.yaml", "metrics.yaml"}
    for problem in problems:
        assert problem.path in files, problem
        assert problem.line is None or (problem.line >= 1 and (problem.col or 1) >= 1), problem
        assert "<unicode string>" not in problem.message


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_show(tmp_path_factory.mktemp("hostile") / "show")
