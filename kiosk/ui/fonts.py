"""Fonts: an openly licensed CJK face (Noto Sans CJK SC) and Inter for Latin, loaded by file.

Chinese must never depend on what the system happens to have: offscreen Qt draws tofu boxes
without a CJK font, and a Noto CJK collection used by family fallback picks the Japanese face.
So the files are loaded explicitly and the Simplified Chinese family is named in every font.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

# Fonts shipped inside the package, if any (none today: the set-up installs Debian's
# fonts-noto-cjk and fonts-inter). Package data, so the installed wheel finds them too.
ASSET_FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
SYSTEM_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/inter/Inter-Regular.otf"),
    Path("/usr/share/fonts/opentype/inter/Inter-Medium.otf"),
    Path("/usr/share/fonts/opentype/inter/Inter-SemiBold.otf"),
    Path("/usr/share/fonts/opentype/inter/Inter-Bold.otf"),
)
CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "Inter"

_families: list[str] = []


def font_files() -> list[Path]:
    """Font files to load: any shipped in ui/assets/fonts, then the Debian packages' files."""
    shipped = sorted(ASSET_FONTS.glob("*.[ot]t[fc]")) if ASSET_FONTS.is_dir() else []
    return [*shipped, *(p for p in SYSTEM_FONTS if p.is_file())]


def load_fonts(files: Iterable[Path] | None = None) -> list[str]:
    """Load the fonts once per process; return the family list every UI font uses."""
    if _families:
        return _families
    loaded: set[str] = set()
    for path in font_files() if files is None else files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        loaded.update(QFontDatabase.applicationFontFamilies(font_id))
    if CJK_FAMILY not in loaded:
        log.warning(
            "%s is missing: Chinese text may show as boxes. Install it with "
            "`sudo apt-get install fonts-noto-cjk` (make run does this).",
            CJK_FAMILY,
        )
    if LATIN_FAMILY not in loaded:
        log.warning("%s is missing; Latin text falls back to %s", LATIN_FAMILY, CJK_FAMILY)
    _families[:] = [f for f in (LATIN_FAMILY, CJK_FAMILY) if f in loaded] or [CJK_FAMILY]
    return _families


def ui_font(px: float, *, bold: bool = False, weight: QFont.Weight | None = None) -> QFont:
    """A font at `px` pixels: Inter for Latin letters and digits, Noto Sans CJK SC for Chinese."""
    font = QFont()
    font.setFamilies(load_fonts())
    font.setPixelSize(max(1, round(px)))
    font.setWeight(weight or (QFont.Weight.Bold if bold else QFont.Weight.Normal))
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font
