"""The layers hold: import-linter's contracts (pyproject.toml) pass on the code, and fail when
a pure package imports Qt or a lower layer imports a higher one; the command line loads no Qt,
no pyqtgraph and no numpy until a command needs them, so `kiosk validate` starts fast."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.show import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package and its contracts, copied where a test may break them."""
    shutil.copytree(
        REPO / "kiosk", tmp_path / "kiosk", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("content/model/text.py", "import PySide6.QtCore", "import no Qt and no pyqtgraph"),
        ("show/show.py", "import pyqtgraph", "import no Qt and no pyqtgraph"),
        ("ops/status.py", "from kiosk.ui import window", "Layers"),
        ("content/loader.py", "import kiosk.show.show", "Layers"),
        ("analytics/stats.py", "import kiosk.cli", "Layers"),
    ],
)
def test_a_wrong_import_breaks_a_contract(copy: Path, module: str, line: str, broken: str) -> None:
    path = copy / "kiosk" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 broken" not in result.stdout
    # (An arrow up into ui also brings Qt into a pure package: two contracts may break.)
    assert broken in result.stdout.split("Broken contracts")[1]


def test_the_command_line_starts_without_qt() -> None:
    code = (
        "import sys, kiosk.cli, kiosk.content.loader, kiosk.content.schema\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'numpy', 'shiboken6'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
