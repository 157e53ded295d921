"""Hostile or absurd files are refused quickly, with bounded memory and a located message."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from kiosk.content.loader import check_folder
from kiosk.content.yamlfile import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from tests.helpers.show import write_show


def _problems(tmp_path: Path, text: str | bytes) -> list[str]:
    root = write_show(tmp_path / "show", {"slides/one.yaml": text})
    deck, problems = check_folder(root)
    assert deck is None
    return [str(p) for p in problems]


def test_alias_bomb_is_rejected_with_bounded_memory(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    try:
        problems = _problems(tmp_path, "\n".join(lines) + "\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems == [
        f"slides/one.yaml:5:1: too many values (more than {MAX_NODES}, aliases expanded)"
    ]
    assert peak < 64 * 1024 * 1024


def test_too_many_aliases(tmp_path: Path) -> None:
    text = "x: &x 1\nl: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    col = 4 + 4 * MAX_ALIASES + 1
    assert _problems(tmp_path, text) == [
        f"slides/one.yaml:2:{col}: too many aliases (more than {MAX_ALIASES}); "
        "write the values out instead"
    ]


def test_absurd_nesting(tmp_path: Path) -> None:
    assert _problems(tmp_path, "[" * 100 + "]" * 100 + "\n") == [
        f"slides/one.yaml:1:{MAX_DEPTH + 1}: nested too deeply (more than {MAX_DEPTH} levels)"
    ]


def test_nesting_beyond_the_parser_limit(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "[" * 100_000 + "]" * 100_000 + "\n")
    assert len(problems) == 1
    assert problems[0].endswith(f": nested too deeply (more than {MAX_DEPTH} levels)")


def test_huge_file(tmp_path: Path) -> None:
    text = "id: one\ntype: title\ntitle: " + "x" * (2 * MAX_FILE_BYTES) + "\n"
    assert _problems(tmp_path, text) == [
        "slides/one.yaml: file is too large (2.0 MiB; content files may be at most 1 MiB)"
    ]


def test_nul_bytes(tmp_path: Path) -> None:
    assert _problems(tmp_path, b"id: one\x00\n") == [
        "slides/one.yaml:1:8: control character U+0000 is not allowed; remove it"
    ]


def test_python_object_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"id: one\ntype: title\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
    problems = _problems(tmp_path, text)
    assert problems == [
        "slides/one.yaml:3:8: the YAML tag tag:yaml.org,2002:python/object/apply:os.system "
        "is not supported here"
    ]
    assert not marker.exists()


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    assert _problems(tmp_path, "id: one\n---\nid: two\n") == [
        "slides/one.yaml:2:1: a content file holds one document; remove the second '---'"
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    root = write_show(
        tmp_path / "show", {"slides/one.yaml": "\ufeffid: one\ntype: title\ntitle: T\n"}
    )
    deck, problems = check_folder(root)
    assert deck is not None, problems
