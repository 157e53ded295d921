"""The built wheel, installed as a user installs it: a fresh virtual environment, not editable,
run from a folder outside the checkout. (The rest of the suite runs the source tree.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers.install import PACKAGING, app_wheel, clean_env, offline, run
from tests.helpers.show import REPO

pytestmark = pytest.mark.slow


def source_files() -> list[Path]:
    """The checkout's files, as git knows them (or as the folder holds them, outside git)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "kiosk", "content"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0 and listed.stdout:
        names = [name for name in listed.stdout.decode().split("\0") if name]
        return [REPO / name for name in names if (REPO / name).is_file()]
    return [
        path
        for top in ("kiosk", "content")
        for path in (REPO / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]


def test_wheel_holds_every_file_the_package_opens(wheelhouse: Callable[[], Path]) -> None:
    """Every module, every data file of the package (themes, fonts) and the whole bundled deck
    are in the wheel: a file the kiosk opens at run time can never be left out again."""
    with zipfile.ZipFile(app_wheel(wheelhouse())) as wheel:
        names = set(wheel.namelist())
    expected = set()
    for path in source_files():
        relative = path.relative_to(REPO)
        if relative.parts[0] == "content":
            expected.add("kiosk/deck/" + "/".join(relative.parts[1:]))
        else:
            expected.add(relative.as_posix())
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel (add them to pyproject.toml): {missing}"
    assert "kiosk/content/themes/rivers.yaml" in names
    assert "kiosk/deck/deck.yaml" in names
    assert any(name.endswith("/licenses/LICENSE") for name in names)
    assert not [name for name in names if name.startswith("tests/")]


@pytest.fixture(scope="module")
def installed(
    wheelhouse: Callable[[], Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str], Path]:
    """A fresh venv with the wheel installed from the wheel folder alone (no index, and no
    network where a namespace can take it away); the venv's bin, an environment, a work folder
    outside the checkout."""
    root = tmp_path_factory.mktemp("installed")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", venv])
    folder = wheelhouse()
    run(
        offline(
            [
                venv / "bin" / "python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-index",
                "--find-links",
                folder,
                "--require-hashes",
                "-r",
                PACKAGING / "requirements.lock",
            ]
        )
    )
    run(
        offline(
            [
                venv / "bin" / "python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-index",
                "--no-deps",
                app_wheel(folder),
            ]
        )
    )
    work = root / "elsewhere"
    work.mkdir()
    return venv / "bin", clean_env(root / "home"), work


def kiosk(
    installed: tuple[Path, dict[str, str], Path], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    bin_dir, env, work = installed
    return run([bin_dir / "kiosk", *args], env=env, cwd=work, timeout=timeout)


def test_the_installed_package_is_the_one_that_runs(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    bin_dir, env, work = installed
    where = run(
        [bin_dir / "python", "-c", "import kiosk; print(kiosk.__file__)"], env=env, cwd=work
    ).stdout.strip()
    assert "site-packages" in where
    assert not where.startswith(str(REPO))


def test_installed_version(installed: tuple[Path, dict[str, str], Path]) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert kiosk(installed, "--version").stdout.strip() == f"kiosk (liangjiang-kiosk) {version}"


def test_installed_validate_finds_the_bundled_deck(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    result = kiosk(installed, "validate")
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r".*site-packages/kiosk/deck: valid, 13 slides, \d+ figures", last), last


def test_installed_render(installed: tuple[Path, dict[str, str], Path]) -> None:
    from PySide6.QtGui import QImage

    out = installed[2] / "renders"
    kiosk(installed, "render", "--out", str(out), "--size", "640x360")
    pngs = sorted(path.name for path in out.glob("*.png"))
    assert len(pngs) == 14
    assert pngs[0] == "01-welcome.png"
    assert "contact-sheet.png" in pngs
    image = QImage(str(out / "01-welcome.png"))
    assert (image.width(), image.height()) == (640, 360)
    # Not a blank frame: the theme's background and its text both appear.
    colours = {image.pixel(x, y) for x in range(0, 640, 8) for y in range(0, 360, 8)}
    assert len(colours) > 8


def test_installed_soak(installed: tuple[Path, dict[str, str], Path]) -> None:
    result = kiosk(installed, "soak", "--events", "40", "--json", "--no-analytics")
    report = json.loads(result.stdout)
    assert report["events"] == 40
    assert report["exceptions"] == 0
    assert report["qt_warnings"] == 0


def test_lock_pins_every_dependency_within_its_range() -> None:
    """packaging/requirements.lock (what install.sh installs) agrees with pyproject.toml: every
    runtime dependency is pinned, inside its declared range, with hashes."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    text = (PACKAGING / "requirements.lock").read_text()
    pins: dict[str, list[tuple[str, str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        line = block.splitlines()[0]
        if line.startswith("#") or not line.strip():
            continue
        requirement = Requirement(line.rstrip(" \\"))
        (spec,) = requirement.specifier
        assert spec.operator == "==", line
        hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", block)
        assert hashes, f"{requirement.name} has no hash"
        marker = str(requirement.marker) if requirement.marker else ""
        pins.setdefault(canonicalize_name(requirement.name), []).append((spec.version, marker))
    for dependency in project["dependencies"]:
        wanted = Requirement(dependency)
        name = canonicalize_name(wanted.name)
        assert name in pins, f"{name} is not in packaging/requirements.lock"
        for version, _marker in pins[name]:
            assert wanted.specifier.contains(version), f"{name}=={version} is not {wanted}"
