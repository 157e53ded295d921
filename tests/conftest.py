"""Test configuration: headless Qt at a fixed screen size, and shared content fixtures."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

# The tests choose the platform, not the user: offscreen, with a 1920x1080 screen (the offscreen
# platform's default screen is 800x800).
_screen_config = Path(tempfile.gettempdir()) / "kiosk-tests-offscreen.json"
_screen_config.write_text(
    json.dumps(
        {
            "screens": [
                {
                    "name": "test",
                    "x": 0,
                    "y": 0,
                    "width": 1920,
                    "height": 1080,
                    "logicalDpi": 96,
                    "physicalDpi": 96,
                }
            ]
        }
    )
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_config}"

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.install"]
