"""The kiosk's version: the installed distribution's, or the source's own in a bare checkout."""

from __future__ import annotations

from kiosk.ops.paths import APP

DISTRIBUTION = APP
"""The name the package is installed under (pyproject.toml)."""


def package_version() -> str:
    """The installed distribution's version; the source's own when run from an uninstalled
    tree (a checkout on sys.path), said so."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        from kiosk import __version__

        return f"{__version__} (not installed)"
