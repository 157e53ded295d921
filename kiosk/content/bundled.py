"""Where the bundled Liangjiang deck lives, in an installed wheel and in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent

# The bundled deck: package data in an installed wheel (pyproject.toml maps content/ to
# kiosk/deck), the top-level content/ folder in a checkout (and in an editable install).
INSTALLED_CONTENT = _PACKAGE / "deck"
CHECKOUT_CONTENT = _PACKAGE.parent / "content"


def default_content() -> Path:
    """The bundled Liangjiang deck, wherever the package is installed (never the working folder)."""
    if (INSTALLED_CONTENT / "deck.yaml").is_file():
        return INSTALLED_CONTENT
    return CHECKOUT_CONTENT
