"""The model layers stay pure: no Qt, no pyqtgraph, so they load fast and test without a screen."""

from __future__ import annotations

import subprocess
import sys

PURE_MODULES = [
    "kiosk.content.loader",
    "kiosk.content.schema",
    "kiosk.content.reference",
    "kiosk.show",
    "kiosk.analytics.recorder",
    "kiosk.analytics.stats",
    "kiosk.analytics.summary",
    "kiosk.cli",
]


def test_pure_packages_import_no_qt() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in PURE_MODULES)
        + "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'numpy', 'shiboken6'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
