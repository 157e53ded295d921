"""The words of the kiosk's own chrome (hint, countdown, PIN pad, notices), in both languages.

The overlay and the PIN pad paint them; the glyph test checks the fonts cover every one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

STRINGS: dict[str, dict[str, str]] = {
    "hint": {"zh": "触摸屏幕，开始探索", "en": "Touch to explore"},
    "still": {"zh": "还在吗？", "en": "Still there?"},
    "keep": {"zh": "继续探索", "en": "Keep exploring"},
    "returning": {"zh": "{n} 秒后回到开始", "en": "Back to the start in {n} s"},
    "lang": {"zh": "中文", "en": "EN"},
    "pin": {"zh": "工作人员 PIN", "en": "Staff PIN"},
    "wrong": {"zh": "PIN 不正确", "en": "Wrong PIN"},
    "locked": {"zh": "请 {n} 秒后再试", "en": "Try again in {n} s"},
    "content": {
        "zh": "内容有误，仍在播放上一版（共 {n} 处）：",
        "en": "Content error: the last good version is still showing ({n} in all):",
    },
    "schematic": {"zh": "示意图，非按比例", "en": "Schematic, not to scale"},
    "north": {"zh": "北", "en": "N"},
    "ops": {
        "zh": "运行提示（与内容无关，节目照常播放）：",
        "en": "Operations notice (not about the content; the show goes on):",
    },
}
"""Each piece of chrome text by language; `{n}` is filled in where a number goes."""
HINT_SEPARATOR = " · "
"""Between the languages of the hint when they share one line."""


def hint_lines(languages: list[str], current: str) -> list[str]:
    """The attract hint in every language the deck offers, the current one first: a visitor
    who reads only one of them is still told what to do."""
    ordered = [current, *(lang for lang in languages if lang != current)]
    return [STRINGS["hint"][lang] for lang in ordered if lang in STRINGS["hint"]]


CENTER = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
"""Centred, word-wrapped text."""
