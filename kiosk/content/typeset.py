"""Typesetting: a content string turned into the string to draw (Chinese kept whole by words).

Qt's line breaker follows UAX #14, which lets Chinese break between any two characters. So
Chinese is segmented into words (rjieba, jieba's dictionary in Rust; offline) and a WORD JOINER
(U+2060, drawn as nothing) goes between the characters of each word and of each glossary term:
lines then break only between words, or anywhere inside a word wider than the whole line (the
layout falls back to that by itself). English gets a typographer's quotes, apostrophes and en
dashes. Pure Python: the same rules serve the drawing, the tests and any other caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

WJ = "\u2060"
"""WORD JOINER: no line break on either side, no glyph."""

# Characters Qt's line breaker may still put at the start of a line although Chinese rules
# forbid it (measured with QTextBoundaryFinder on Qt 6.11: 。，、：；！？）》」』”’】〕〉…% and
# the others of their classes are already never broken before, and （《「『“‘【〔〈 never after).
_NO_LINE_START = frozenset("·・～〜‧")
_DASHES = frozenset("—―")
"""A Chinese dash is two em dashes, never split (UAX #14 keeps B2 × B2 only without spaces,
and Qt breaks between them)."""

# A figure and the unit word after it read as one ("54 / 万户" must not happen).
_NUMBER_UNITS = frozenset("万亿千百元年月日号个家户倍岁人次项座条所")


def is_cjk(char: str) -> bool:
    """Whether `char` is a Han ideograph, a kana or a CJK symbol (those Chinese breaks between)."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF  # extension A
        or 0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x3040 <= code <= 0x30FF  # kana
        or 0x20000 <= code <= 0x3FFFF  # extensions B and after
        or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def plain(text: str) -> str:
    """`text` without the word joiners typesetting added (to compare or parse drawn strings)."""
    return text.replace(WJ, "")


def typeset(text: str, lang: str, glossary: Sequence[str] = ()) -> str:
    """`text` as it should be drawn in `lang`: word joiners inside Chinese words and the
    `glossary` terms, punctuation kept to its Chinese line rules, curly quotes and apostrophes,
    en dashes between numbers. Idempotent; cached (layouts call it on every measure)."""
    if not text:
        return text
    return _typeset(text, lang, tuple(glossary))


@lru_cache(maxsize=8192)
def _typeset(text: str, lang: str, glossary: tuple[str, ...]) -> str:
    text = plain(text)
    text = punctuate(text)
    if has_cjk(text) or any(term in text for term in glossary):
        text = join_words(text, glossary)
    return text


# --- Chinese ---


def segments(text: str, glossary: Sequence[str] = ()) -> list[str]:
    """`text` cut into the units a line may break between: jieba's words, with each
    occurrence of a glossary term merged into one unit."""
    import rjieba  # noqa: PLC0415 - lazily: `kiosk validate` never segments and starts fast

    words: list[str] = list(rjieba.cut(text))
    if not glossary:
        return words
    # Where each word starts, then the glossary spans that cut across word boundaries.
    bounds = [0]
    for word in words:
        bounds.append(bounds[-1] + len(word))
    inside = _glossary_mask(text, glossary)
    merged: list[str] = []
    start = 0
    for end in bounds[1:]:
        if end < len(text) and inside[end]:
            continue  # the boundary lies inside a term: keep the unit growing
        merged.append(text[start:end])
        start = end
    return merged


def _glossary_mask(text: str, glossary: Sequence[str]) -> list[bool]:
    """For each position i, whether a glossary term covers both text[i-1] and text[i]."""
    inside = [False] * (len(text) + 1)
    # Longest terms first, so 重庆两江新区 wins over 两江新区 where both match.
    for term in sorted({t for t in glossary if len(t) >= 2}, key=len, reverse=True):
        for match in re.finditer(re.escape(term), text):
            for i in range(match.start() + 1, match.end()):
                inside[i] = True
    return inside


def join_words(text: str, glossary: Sequence[str] = ()) -> str:
    """Word joiners between the CJK characters of each word and glossary term, and where
    Chinese punctuation rules forbid a break that Qt would make."""
    inside = _glossary_mask(text, glossary)
    within = [False] * (len(text) + 1)
    position = 0
    for word in segments(text, glossary) if has_cjk(text) else [text]:
        for i in range(position + 1, position + len(word)):
            within[i] = True
        position += len(word)
    out: list[str] = []
    for i, char in enumerate(text):
        if i and _joined(text[i - 1], char, within[i], inside[i]):
            out.append(WJ)
        out.append(char)
    return "".join(out)


def _joined(before: str, after: str, within: bool, in_term: bool) -> bool:
    if before.isspace() or after.isspace():
        return False
    if in_term and (is_cjk(before) or is_cjk(after) or before in "-/"):
        return True  # (Latin letters never break apart; after a hyphen they may)
    if within and is_cjk(before) and is_cjk(after):
        return True
    if after in _NO_LINE_START and (is_cjk(before) or before.isalnum()):
        return True
    if before in _DASHES and after in _DASHES:
        return True
    return before.isdigit() and after in _NUMBER_UNITS


# --- punctuation (every language) ---


def punctuate(text: str) -> str:
    """Straight quotes and apostrophes made curly, `...` an ellipsis, and a hyphen between two
    numbers (a range: 2026-2030) an en dash; hyphens inside words and dates stay."""
    text = text.replace("...", "…")
    text = _number_range(text)
    text = _quotes(text)
    return text


_RANGE = re.compile(r"(?<![\d.,\-–])(\d+(?:[.,]\d+)?)( ?)-( ?)(\d+(?:[.,]\d+)?)(?![\d\-–])")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def _number_range(text: str) -> str:
    dates = [m.span() for m in _ISO_DATE.finditer(text)]

    def dash(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in dates):
            return match.group(0)  # 2026-01-12 is a date, not a range
        first, space_before, space_after, second = match.groups()
        spaced = " " if space_before and space_after else ""
        return f"{first}{spaced}–{spaced}{second}"

    return _RANGE.sub(dash, text)


_OPENERS = "([{<—–-/「『《（【“‘"
_CLOSERS = ")]}>,.;:!?…，。、；：！？）》」』】”’"


def _quotes(text: str) -> str:
    out: list[str] = []
    quoting = False  # inside a double quotation, for quotes whose neighbours do not tell
    for i, char in enumerate(text):
        if char not in "'\"":
            out.append(char)
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        starts = not before or before.isspace() or before in _OPENERS
        ends = not after or after.isspace() or after in _CLOSERS
        opening = starts and not ends
        if char == '"':
            # Between two Chinese characters ("首届"两会"") only the count tells.
            opening = opening or (not ends and not quoting)
            quoting = opening
            out.append("“" if opening else "”")
        elif before.isalnum() and after.isalnum():
            out.append("’")  # Liangjiang's, don't
        elif opening and after.isdigit() and _decade(text, i + 1):
            out.append("’")  # the '90s: an elision, not a quote
        else:
            out.append("‘" if opening else "’")
    return "".join(out)


def _decade(text: str, start: int) -> bool:
    return re.match(r"\d{2}s\b", text[start:]) is not None


# --- which punctuation takes the CJK face ---

_CJK_FACE = frozenset("“”‘’—…·")
"""Marks both faces have: the Latin face's are narrow, Chinese sets them full-width."""


def cjk_face_spans(text: str) -> list[tuple[int, int]]:
    """(start, length) runs of quotes, dashes and ellipses in `text` that belong to Chinese
    (a CJK character next to them, word joiners and other such marks skipped), to be drawn
    with the CJK face. A pair of quotes takes one face (“AI”时代); an apostrophe between
    Latin letters stays Latin."""
    chinese = [
        char in _CJK_FACE
        and not _apostrophe(text, i)
        and (_cjk_neighbour(text, i, -1) or _cjk_neighbour(text, i, 1))
        for i, char in enumerate(text)
    ]
    opened: list[int] = []
    for i, char in enumerate(text):
        if char in "“‘":
            opened.append(i)
        elif char in "”’" and opened and not _apostrophe(text, i):
            first = opened.pop()
            if chinese[first] or chinese[i]:
                chinese[first] = chinese[i] = True
    spans: list[tuple[int, int]] = []
    for i, flag in enumerate(chinese):
        if not flag:
            continue
        if spans and sum(spans[-1]) == i:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((i, 1))
    return spans


def _apostrophe(text: str, i: int) -> bool:
    if text[i] != "’" or not 0 < i < len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return before.isalnum() and after.isalnum() and not (is_cjk(before) or is_cjk(after))


def _cjk_neighbour(text: str, i: int, step: int) -> bool:
    j = i + step
    while 0 <= j < len(text) and (text[j] == WJ or text[j] in _CJK_FACE):
        j += step
    return 0 <= j < len(text) and is_cjk(text[j])


# --- punctuation compression ---

_CLOSING_MARKS = frozenset("，。、：；”’）》」』】〕〉")
"""Full-width marks whose blank half is on the right (Simplified Chinese glyph positions)."""
_OPENING_MARKS = frozenset("“‘（《「『【〔〈")
"""Full-width marks whose blank half is on the left."""


def compressed_marks(text: str) -> list[int]:
    """Positions of full-width marks to set half-width: of two marks side by side (”：, ）（,
    。“), the one whose blank half faces the other, so the pair does not leave a full em of
    air between them (clreq's punctuation compression; Noto's `halt` feature draws it).
    Only where the marks are Chinese: a Latin quote is narrow already."""
    chinese = {start + k for start, length in cjk_face_spans(text) for k in range(length)}

    def mark(i: int) -> bool:
        char = text[i]
        full_width = char in "，。、：；）》」』】〕〉（《「『【〔〈"
        return full_width or (i in chinese and char in "“”‘’")

    marks = [i for i in range(len(text)) if text[i] != WJ and mark(i)]
    squeezed: list[int] = []
    for a, b in zip(marks, marks[1:], strict=False):
        if any(text[k] != WJ for k in range(a + 1, b)):
            continue  # not side by side
        if text[a] in _CLOSING_MARKS:
            squeezed.append(a)
        elif text[b] in _OPENING_MARKS:
            squeezed.append(b)
    if marks and marks[0] == 0 and text[0] in _OPENING_MARKS:
        squeezed.append(0)  # the text's first line then starts flush, not half an em in
    return sorted(set(squeezed))
