"""Running a command as an unprivileged user: root ignores file modes, so a test that needs a
permission to be refused for real runs the kiosk as `nobody` (through setpriv)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def nobody_prefix() -> list[str]:
    """setpriv's arguments that run a command as nobody, with nobody's group and no other
    (the group has a different name on each system: by number)."""
    nobody = pwd.getpwnam("nobody")
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


def as_nobody(cwd: Path, *, probe: str = "import kiosk.cli") -> list[str]:
    """The command prefix that runs a command as nobody; skips the test, saying why, when
    this process is not root, setpriv is missing, or nobody cannot run the kiosk from here
    (a checkout or a Python in a folder only root may enter)."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the kiosk as the user nobody (setpriv)")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run the kiosk as another user")
    prefix = nobody_prefix()
    result = subprocess.run(
        [*prefix, sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=60,
    )
    if result.returncode != 0:
        pytest.skip(f"the kiosk cannot run as nobody here: {result.stderr.strip()[-200:]}")
    return prefix
