"""The real artifact for the system tests: wheels from packaging/wheelhouse.sh, installs from them.

These tests meet the product as an installer does: the built wheel in a fresh virtual
environment outside the checkout, and packaging/install.sh run offline from a wheel folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.helpers.show import REPO

PACKAGING = REPO / "packaging"


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    timeout: float = 600,
    check: bool = True,
    **kwargs: object,
) -> subprocess.CompletedProcess[str]:
    """Run a command, its output captured; a failure shows what it printed."""
    result = subprocess.run(
        [str(part) for part in cmd],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )
    return result


def offline(cmd: Sequence[str | os.PathLike[str]]) -> list[str]:
    """`cmd` in a network namespace of its own, with no network at all, where that is allowed
    (as root); as it is otherwise. An install that works this way needs no internet."""
    if can_unshare_network():
        return ["unshare", "--net", "--", *map(str, cmd)]
    return [str(part) for part in cmd]


_unshare: list[bool] = []


def can_unshare_network() -> bool:
    """Whether `unshare --net` works here (root, and a kernel that allows it)."""
    if not _unshare:
        tool = shutil.which("unshare")
        ok = (
            bool(tool)
            and subprocess.run(
                [str(tool), "--net", "--", "true"], capture_output=True, check=False
            ).returncode
            == 0
        )
        _unshare.append(ok)
    return _unshare[0]


def python_tag(python: str) -> str:
    """`3.11` for the Python at `python`."""
    return run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).stdout.strip()


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A wheel folder for a given Python, made as an installer makes one (wheelhouse.sh):
    the app's wheel and its pinned dependencies. Made once per Python per test session."""
    made: dict[str, Path] = {}

    def make(python: str = sys.executable) -> Path:
        if python not in made:
            folder = tmp_path_factory.mktemp(f"wheels-{python_tag(python)}")
            run(["sh", PACKAGING / "wheelhouse.sh", folder], env={**os.environ, "PYTHON": python})
            made[python] = folder
        return made[python]

    return make


def app_wheel(folder: Path) -> Path:
    """The app's own wheel in a wheel folder."""
    (wheel,) = folder.glob("liangjiang_kiosk-*.whl")
    return wheel


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for a command run as a user would: no Python paths from the test run,
    the platform folders in `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "PYTEST", "NOTIFY_SOCKET", "XDG_"))
    }
    env.update(
        HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    env.update(extra)
    return env
