"""Where the kiosk keeps its own files: the app name once, and every platform folder it uses.

A kiosk run by a user keeps its state (status file, last good content), log and data
(analytics) in the platform's folders for that user (platformdirs: `~/.local/state/...`,
`~/.local/share/...` on Linux). The installed kiosk (`packaging/`) runs as a systemd service
with its configuration in `/etc` and its state in `/var/lib`, which systemd names in
`$STATE_DIRECTORY`.

platformdirs is imported when a folder is asked for, so that naming the app costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP = "liangjiang-kiosk"
"""The app's name: its platform and installed folders, its distribution (pyproject.toml)."""

SYSTEM_CONFIG = Path("/etc") / APP / "kiosk.yaml"
"""Where `packaging/install.sh` writes the configuration."""
CONFIG_ENV = "KIOSK_CONFIG"
"""Environment variable naming another configuration file."""
INSTALLED_STATE = Path("/var/lib") / APP
"""The installed service's state folder (`StateDirectory=` in the unit)."""
INSTALLED_STATUS_FILE = INSTALLED_STATE / "status.json"
"""Where the installed kiosk keeps its status file (`packaging/kiosk.yaml`)."""
STATE_DIRECTORY_ENV = "STATE_DIRECTORY"
"""Set by systemd to the service's state folders (systemd.exec(5)), `:`-separated."""


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$KIOSK_CONFIG` when set, else the installed kiosk's `/etc/liangjiang-kiosk/kiosk.yaml`."""
    override = (os.environ if environ is None else environ).get(CONFIG_ENV)
    return Path(override) if override else SYSTEM_CONFIG


def default_log_file() -> Path:
    """The rotating log file, in the platform's log folder."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP)) / "kiosk.log"


def default_status_file() -> Path:
    """The running kiosk's JSON status, in the platform's state folder."""
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP)) / "status.json"


def default_snapshot_dir() -> Path:
    """The last good copy of the content, in the platform's state folder."""
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP)) / "last-good-content"


def default_analytics_path() -> Path:
    """The visitors' database, in the platform's data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP)) / "analytics.sqlite3"


def default_speech_cache_dir() -> Path:
    """Narration audio made ahead of time, in the platform's cache folder (rebuilt when lost)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP)) / "speech"


def default_soak_analytics_path() -> Path:
    """The burn-in's own database: a soak never records into the visitors' one."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP)) / "soak-analytics.sqlite3"


def service_state_dir(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The service's state folder and whether systemd named it: the first of
    `$STATE_DIRECTORY` (which may list several; the unit names one), else `/var/lib/...`."""
    named = (os.environ if environ is None else environ).get(STATE_DIRECTORY_ENV, "")
    first = named.split(":")[0]
    return (Path(first), True) if first else (INSTALLED_STATE, False)
