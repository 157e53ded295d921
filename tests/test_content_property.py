"""Whatever a curator does to a valid file, the loader returns a deck or located errors."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.loader import check_folder
from tests.helpers.show import BASE_FILES, write_show

FILES = sorted(BASE_FILES)
TOKENS = [
    "",
    "x",
    "12",
    "-1",
    "'",
    '"',
    ":",
    "- ",
    "{",
    "[",
    "&a",
    "*a",
    "\t",
    "null",
    "yes",
    "2010-13-45",
    "标题",
    "zh:",
    "  ",
    "#",
    "!!str",
    "<<:",
    "1e999",
    ".nan",
]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = BASE_FILES[name].splitlines(keepends=True)
    kind = draw(st.sampled_from(["delete", "duplicate", "retype", "truncate", "insert", "swap"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "retype":
        key, sep, _ = lines[i].partition(":")
        lines[i] = f"{key}{sep} {draw(st.sampled_from(TOKENS))}\n" if sep else lines[i]
    elif kind == "truncate":
        cut = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:cut]
    elif kind == "insert":
        col = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:col] + draw(st.sampled_from(TOKENS)) + lines[i][col:]
    else:
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    return name, "".join(lines)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutation())
def test_mutated_content_gives_a_deck_or_located_errors(change: tuple[str, str]) -> None:
    name, text = change
    root = Path(tempfile.mkdtemp(prefix="kiosk-mutant-"))
    try:
        write_show(root, {name: text})
        deck, problems = check_folder(root)
        errors = [p for p in problems if p.is_error]
        assert (deck is None) == bool(errors)
        files = {p: (root / p).read_text(encoding="utf-8", errors="replace") for p in BASE_FILES}
        for problem in errors:
            assert problem.path in files
            assert problem.message
            assert "Traceback" not in problem.message
            if problem.line is not None:
                line_count = max(1, len(files[problem.path].splitlines()) + 1)
                assert 1 <= problem.line <= line_count, problem
                assert problem.col is not None
                assert problem.col >= 1
    finally:
        shutil.rmtree(root)
