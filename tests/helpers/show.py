"""Small valid shows, written as files, that tests change one file at a time."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "content"

BASE_FILES: dict[str, str] = {
    "deck.yaml": """\
title: {zh: 测试展, en: Test show}
loop:
  slide_duration: 10
  idle_timeout: 45
metrics: [metrics.yaml]
slides:
  - slides/one.yaml
  - slides/two.yaml
""",
    "metrics.yaml": """\
metrics:
  area:
    value: 1360
    format: plain
    unit: {zh: 平方公里, en: km²}
    label: {zh: 面积, en: Area}
    detail: {zh: 测试数据。, en: Test data.}
    source: {zh: 来源：测试, en: "Source: test"}
    as_of: 2026-01
  share:
    value: 75
    format: percent
    unit: "%"
    label: {zh: 份额, en: Share}
    detail: {zh: 测试数据。, en: Test data.}
    source: {zh: 来源：测试, en: "Source: test"}
    as_of: 2026-01
""",
    "slides/one.yaml": """\
id: one
type: title
title: {zh: 标题, en: Title}
subtitle: {zh: 副标题, en: Subtitle}
""",
    "slides/two.yaml": """\
id: two
type: chart
kind: bar
title: {zh: 测试图表, en: Test chart}
categories:
  - label: A
  - label: B
  - label: C
series:
  - name: {zh: 甲, en: First}
    values: [1, 2, 3]
  - name: {zh: 乙, en: Second}
    values: [4, 5, 6]
""",
}


def write_show(root: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the base show into `root`, with `files` replacing (or, as None, removing) files."""
    merged: dict[str, str | bytes | None] = {**BASE_FILES, **(files or {})}
    for name, text in merged.items():
        path = root / name
        if text is None:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


TITLES: dict[str, str] = {
    "deck.yaml": "title: {zh: 测试, en: Test}\nloop: {slide_duration: 10, idle_timeout: 60, "
    "transition: fade}\nmetrics: [metrics.yaml]\n"
    "slides: [slides/one.yaml, slides/two.yaml, slides/three.yaml]\n",
    "slides/two.yaml": "id: two\ntype: title\ntitle: {zh: 二, en: Two}\ntransition: push\n",
    "slides/three.yaml": "id: three\ntype: title\ntitle: {zh: 三, en: Three}\n",
}
"""Three title slides, a fade loop with one push: the base show's changes for window tests."""

THREE: dict[str, str] = {
    "deck.yaml": "title: T\nloop: {slide_duration: 10, idle_timeout: 60}\n"
    "metrics: [metrics.yaml]\nslides: [slides/one.yaml, slides/two.yaml, slides/three.yaml]\n",
    "slides/two.yaml": "id: two\ntype: quote\nquote: Q\nattribution: A\nduration: 7.5\n",
    "slides/three.yaml": "id: three\ntype: quote\nquote: Q3\nattribution: A3\n",
}
"""Three slides, one of them with its own duration: the base show's changes for rule tests."""
