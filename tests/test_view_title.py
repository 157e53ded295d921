"""The title slide: its figures (by metric key) under the subtitle, whole in every frame."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from kiosk.content.loader import load_deck
from kiosk.content.typeset import plain
from kiosk.ui.draw.observe import observe_text
from kiosk.ui.render import render_slide
from tests.helpers.show import write_show

FIGURES = {
    "slides/one.yaml": "id: one\ntype: title\ntitle: {zh: 标题, en: Title}\n"
    "subtitle: {zh: 副标题, en: Subtitle}\nfigures: [area, share]\n",
}


def drawn(tmp_path: Path, lang: str, size: tuple[int, int], elapsed: float) -> list[str]:
    deck = load_deck(write_show(tmp_path, FIGURES))
    texts: list[str] = []

    def heard(text: str, lines: list[str], box: QRectF) -> None:
        texts.append(plain(text))

    with observe_text(heard):
        render_slide(deck, deck.slides[0], size, lang, elapsed=elapsed)
    return texts


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["1,360", "km²", "Area", "75", "%", "Share"]), ("zh", ["1360", "平方公里", "面积"])],
)
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (3840, 2160)])
def test_title_slide_shows_its_figures_with_unit_and_label(
    qapp: object, tmp_path: Path, lang: str, expected: list[str], size: tuple[int, int]
) -> None:
    texts = drawn(tmp_path, lang, size, elapsed=10.0)
    for text in expected:
        assert text in texts, f"{text!r} not drawn in {lang} at {size}: {texts}"


def test_title_figures_are_whole_while_they_enter(qapp: object, tmp_path: Path) -> None:
    for step in range(0, 100, 5):
        texts = drawn(tmp_path, "en", (1920, 1080), elapsed=step / 60)
        numbers = [t for t in texts if re.search(r"[0-9]", t)]
        assert all(n in ("1,360", "75") for n in numbers), (step, numbers)


def test_title_slide_names_its_figures_source(tmp_path: Path) -> None:
    deck = load_deck(write_show(tmp_path, FIGURES))
    sources = deck.source(deck.slides[0])
    assert [s.get("en") for s in sources] == ["Source: test"]
