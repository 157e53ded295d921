"""Bounded text and structures: each limit accepts its bound and refuses one more, with a
located message naming it; the schema says the same; the worst slides the limits allow are
laid out with bounded work.

Speed itself belongs to `kiosk bench`; here the work is counted (layouts made, labels laid
out per frame), not timed.
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.content.loader import check_folder
from kiosk.content.model import (
    BODY,
    DETAIL,
    LABEL,
    LINE,
    MAX_ID,
    MAX_LINKS,
    MAX_METRIC_FILES,
    MAX_METRICS,
    MAX_SLIDES,
    QUOTE,
    SHORT,
    SLIDE_TYPES,
    TITLE,
    DeckFile,
    Metric,
    MetricsFile,
    Text,
    TextLimit,
)
from kiosk.ui.draw import text as text_toolbox
from kiosk.ui.draw.text import TextBlock
from kiosk.ui.fonts import load_fonts, ui_font
from kiosk.ui.slides import create_view
from kiosk.ui.slides import diagram as diagram_module
from tests.helpers.show import BASE_FILES, BUNDLED, write_show

SCHEMAS = {
    kind: Draft202012Validator(
        json.loads((BUNDLED / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    )
    for kind in ("deck", "slide", "metrics")
}

# --- every visible text ----------------------------------------------------------------------

# (file, its text with {text} where the text under test goes, where the message puts it, limit)
# fmt: off
TEXTS: dict[str, tuple[str, str, str, TextLimit]] = {
    "deck title": ("deck.yaml", BASE_FILES["deck.yaml"].replace(
        "title: {zh: 测试展, en: Test show}", "title: {zh: 展, en: {text}}"), "title.en", TITLE),
    "slide title, plain": ("slides/one.yaml", "id: one\ntype: title\ntitle: {text}\n",
                           "title.title", TITLE),
    "subtitle": ("slides/one.yaml",
                 "id: one\ntype: title\ntitle: T\nsubtitle: {zh: {text}, en: S}\n",
                 "title.subtitle.zh", LINE),
    "kicker": ("slides/one.yaml", "id: one\ntype: title\ntitle: T\nkicker: {text}\n",
               "title.kicker", LABEL),
    "source": ("slides/one.yaml", "id: one\ntype: title\ntitle: T\nsource: {text}\n",
               "title.source", LINE),
    "metric label": ("metrics.yaml", BASE_FILES["metrics.yaml"].replace(
        "label: {zh: 面积, en: Area}", "label: {zh: 面积, en: {text}}"),
        "metrics.area.label.en", LABEL),
    "metric unit": ("metrics.yaml", BASE_FILES["metrics.yaml"].replace(
        "unit: {zh: 平方公里, en: km²}", "unit: {text}"), "metrics.area.unit", SHORT),
    "metric detail": ("metrics.yaml", BASE_FILES["metrics.yaml"].replace(
        "detail: {zh: 测试数据。, en: Test data.}", "detail: {zh: {text}, en: D}", 1),
        "metrics.area.detail.zh", DETAIL),
    "metric source": ("metrics.yaml", BASE_FILES["metrics.yaml"].replace(
        'source: {zh: 来源：测试, en: "Source: test"}', "source: {text}", 1),
        "metrics.area.source", LINE),
    "intro": ("slides/two.yaml", "id: two\ntype: metrics\ntitle: T\nintro: {text}\n"
              "tiles: [{metric: area}]\n", "metrics.intro", LINE),
    "tile detail": ("slides/two.yaml", "id: two\ntype: metrics\ntitle: T\n"
                    "tiles:\n  - metric: area\n    detail: {text}\n",
                    "metrics.tiles[0].detail", DETAIL),
    "chart title": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: {text}\n"
                    "categories: [{label: A}]\nseries: [{name: S, values: [1]}]\n",
                    "chart.title", TITLE),
    "chart unit": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: T\nunit: {text}\n"
                   "categories: [{label: A}]\nseries: [{name: S, values: [1]}]\n",
                   "chart.unit", SHORT),
    "chart note": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: T\nnote: {text}\n"
                   "categories: [{label: A}]\nseries: [{name: S, values: [1]}]\n",
                   "chart.note", LINE),
    "category label": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: T\n"
                       "categories:\n  - label: {text}\nseries: [{name: S, values: [1]}]\n",
                       "chart.categories[0].label", LABEL),
    "category detail": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: T\n"
                        "categories:\n  - detail: {text}\nseries: [{name: S, values: [1]}]\n",
                        "chart.categories[0].detail", DETAIL),
    "series name": ("slides/two.yaml", "id: two\ntype: chart\nkind: bar\ntitle: T\n"
                    "categories: [{label: A}]\nseries:\n  - name: {text}\n    values: [1]\n",
                    "chart.series[0].name", LABEL),
    "event label": ("slides/two.yaml", "id: two\ntype: timeline\ntitle: T\nevents:\n"
                    "  - date: 2026\n    label: {text}\n    detail: D\n",
                    "timeline.events[0].label", LABEL),
    "event detail": ("slides/two.yaml", "id: two\ntype: timeline\ntitle: T\nevents:\n"
                     "  - date: 2026\n    label: L\n    detail: {text}\n",
                     "timeline.events[0].detail", DETAIL),
    "body": ("slides/two.yaml", "id: two\ntype: text\ntitle: T\nbody: {zh: 正文, en: {text}}\n",
             "text.body.en", BODY),
    "image caption": ("slides/two.yaml", "id: two\ntype: text\ntitle: T\nbody: B\n"
                      "image_caption: {text}\n", "text.image_caption", LINE),
    "diagram note": ("slides/two.yaml", "id: two\ntype: diagram\ntitle: T\nnote: {text}\n"
                     "nodes: [{id: a, label: A, detail: D, x: 0, y: 0}]\n", "diagram.note", LINE),
    "node label": ("slides/two.yaml", "id: two\ntype: diagram\ntitle: T\nnodes:\n"
                   "  - {id: a, label: {text}, detail: D, x: 0, y: 0}\n",
                   "diagram.nodes[0].label", LABEL),
    "node detail": ("slides/two.yaml", "id: two\ntype: diagram\ntitle: T\nnodes:\n"
                    "  - {id: a, label: A, detail: {text}, x: 0, y: 0}\n",
                    "diagram.nodes[0].detail", DETAIL),
    "link label": ("slides/two.yaml", "id: two\ntype: diagram\ntitle: T\nnodes:\n"
                   "  - {id: a, label: A, detail: D, x: 0, y: 0}\n"
                   "links:\n  - {from: a, to: a, label: {text}}\n",
                   "diagram.links[0].label", SHORT),
    "quote": ("slides/two.yaml", "id: two\ntype: quote\nquote: {text}\nattribution: A\n",
              "quote.quote", QUOTE),
    "attribution": ("slides/two.yaml", "id: two\ntype: quote\nquote: Q\nattribution: {text}\n",
                    "quote.attribution", LINE),
}
# fmt: on


def _kind(file: str) -> str:
    return {"deck.yaml": "deck", "metrics.yaml": "metrics"}.get(file, "slide")


def _place(template: str) -> tuple[int, int]:
    """Line and column (from 1) where `{text}` stands in a file."""
    for number, line in enumerate(template.splitlines(), start=1):
        if "{text}" in line:
            return number, line.index("{text}") + 1
    raise AssertionError("no {text} in the template")


def _with(template: str, text: str) -> str:
    return template.replace("{text}", json.dumps(text, ensure_ascii=False))


def _errors(tmp_path: Path, file: str, content: str) -> list[str]:
    deck, problems = check_folder(write_show(tmp_path, {file: content}))
    errors = [str(p) for p in problems if p.is_error]
    assert (deck is None) == bool(errors)
    return errors


@pytest.mark.parametrize("name", TEXTS)
def test_a_text_at_its_limit_is_taken_and_one_more_character_is_refused(
    tmp_path: Path, name: str
) -> None:
    file, template, where, limit = TEXTS[name]
    word = "两江" if name in ("subtitle", "metric detail") else "Rivers"  # Chinese counts alike
    longest = (word * limit.chars)[: limit.chars]
    assert _errors(tmp_path / "at", file, _with(template, longest)) == []
    line, col = _place(template)
    over = longest + "x"
    assert _errors(tmp_path / "over", file, _with(template, over)) == [
        f"{file}:{line}:{col}: {where}: {limit.chars + 1:,} characters is more than the "
        f"{limit.chars:,} allowed for {limit.what}"
    ]
    # The schema draws the same line, at the same text.
    kind = _kind(file)
    assert SCHEMAS[kind].is_valid(yaml.safe_load(_with(template, longest)))
    refused = list(SCHEMAS[kind].iter_errors(yaml.safe_load(_with(template, over))))
    assert len(refused) == 1
    assert f"{over!r} is too long" in _messages(refused[0])  # within an anyOf when optional


def _messages(error: Any) -> list[str]:
    """An error's message and those of the branches it was chosen from (anyOf, oneOf)."""
    return [error.message, *(m for sub in error.context or [] for m in _messages(sub))]


def test_the_lengths_a_curator_meets_are_named_with_thousands_separated(tmp_path: Path) -> None:
    """The case the issue names: a megabyte-long title, refused in one located sentence."""
    title = "x" * 1_000_000
    errors = _errors(tmp_path, "slides/one.yaml", f"id: one\ntype: title\ntitle: {title}\n")
    assert errors == [
        "slides/one.yaml:3:8: title.title: 1,000,000 characters is more than the 200 allowed "
        "for a title"
    ]


def _text_fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    return [(name, info) for name, info in model.model_fields.items() if _holds_text(info)]


def _holds_text(info: Any) -> bool:
    def texts(tp: Any) -> bool:
        if tp is Text:
            return True
        if get_origin(tp) is Annotated or get_origin(tp) in (Union, types.UnionType):
            return any(texts(a) for a in get_args(tp))
        return False

    return texts(info.annotation)


def _limit_of(info: Any) -> list[TextLimit]:
    def found(tp: Any) -> list[TextLimit]:
        if get_origin(tp) is Annotated:
            return [m for m in get_args(tp)[1:] if isinstance(m, TextLimit)]
        return [f for a in get_args(tp) for f in found(a)]

    return [m for m in info.metadata if isinstance(m, TextLimit)] + found(info.annotation)


def _models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo: list[Any] = [DeckFile, MetricsFile, Metric, *SLIDE_TYPES]
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen or tp is Text:
                continue
            seen.append(tp)
            todo.extend(info.annotation for info in tp.model_fields.values())
        else:
            todo.extend(get_args(tp))
    return seen


def test_every_visible_text_has_one_limit_and_its_description_says_it() -> None:
    fields = {
        f"{model.__name__}.{name}": info
        for model in _models()
        for name, info in _text_fields(model)
    }
    assert len(fields) >= 35  # the walk reached the nested models
    unlimited = [name for name, info in fields.items() if len(_limit_of(info)) != 1]
    assert unlimited == []
    unsaid = [
        name
        for name, info in fields.items()
        if f"(at most {_limit_of(info)[0].chars:,} characters)" not in (info.description or "")
    ]
    assert unsaid == []
    # Every field's limit is in the generated reference.
    reference = (BUNDLED.parent / "docs" / "content.md").read_text(encoding="utf-8")
    assert reference.count("(at most ") >= len({info.description for info in fields.values()})


# --- characters ------------------------------------------------------------------------------

SHOWN_SAMPLES = [
    "重庆两江新区，长江与嘉陵江交汇之地。",
    "Chóngqìng Liǎngjiāng, Chongqing\u0301 (decomposed accents)",
    "“Quotes” — dashes – and ellipses…",
    "3.52 km²; 25 ℃; № 1; ① ② ③; ★ ■ ●; × ÷ ≈ ≤; → ←; ¥ € £; ½",
    "《两江》「新区」【注】，。、；：？！（）１２３ＡＢＣ ㎡ ㎞",
    "μ Ω α β; Москва",
    "non\u00a0breaking, zero\u200bwidth",
]
UNSHOWN_SAMPLES = {
    "an emoji": ("Good 😀", 6, "😀", "1F600"),
    "a rare ideograph beyond U+FFFF": ("名𠀋字", 2, "𠀋", "2000B"),
    "a bidi override": ("abc\u202edef", 4, "\u202e", "202E"),
    "Arabic": ("نص", 1, "ن", "0646"),
    "a private-use character": ("x\ue000", 2, "\ue000", "E000"),
    "a byte-order mark": ("\ufeffTitle", 1, "\ufeff", "FEFF"),
}


@pytest.mark.parametrize("text", SHOWN_SAMPLES)
def test_the_characters_of_chinese_and_english_text_are_taken(tmp_path: Path, text: str) -> None:
    slide = (
        f"id: one\ntype: title\ntitle: {{zh: 标题, en: {json.dumps(text, ensure_ascii=False)}}}\n"
    )
    assert _errors(tmp_path, "slides/one.yaml", slide) == []
    assert SCHEMAS["slide"].is_valid(yaml.safe_load(slide))


@pytest.mark.parametrize("name", UNSHOWN_SAMPLES)
def test_a_character_the_kiosk_cannot_show_is_refused_where_it_is(
    tmp_path: Path, name: str
) -> None:
    text, place, char, code = UNSHOWN_SAMPLES[name]
    slide = (
        f"id: one\ntype: title\ntitle: {{zh: 标题, en: {json.dumps(text, ensure_ascii=False)}}}\n"
    )
    assert _errors(tmp_path, "slides/one.yaml", slide) == [
        f'slides/one.yaml:3:21: title.title.en: character {place} is "{char}" (U+{code}), which '
        "the kiosk cannot show: texts hold Chinese, Latin, Greek and Cyrillic letters, digits, "
        "punctuation and common symbols"
    ]
    assert not SCHEMAS["slide"].is_valid(yaml.safe_load(slide))


# --- counts ----------------------------------------------------------------------------------


def _nodes(count: int) -> str:
    return "".join(f"  - {{id: n{i}, label: N, detail: D, x: 0, y: 0}}\n" for i in range(count))


def _chart(categories: int, series: int = 1, values: int | None = None) -> str:
    cats = ", ".join("{label: A}" for _ in range(categories))
    row = json.dumps([1] * (categories if values is None else values))
    rows = "".join(f"  - {{name: S, values: {row}}}\n" for _ in range(series))
    return f"id: two\ntype: chart\nkind: bar\ntitle: T\ncategories: [{cats}]\nseries:\n{rows}"


def _metrics(count: int) -> str:
    lines = ["metrics:"]
    for i in range(count):
        lines.append(f"  m{i}: {{value: {i}, label: L, detail: D, source: S, as_of: 2026}}")
    return "\n".join(lines) + "\n"


def _deck(slides: list[str], metrics: list[str] | None = None, languages: str = "[zh, en]") -> str:
    listed = "".join(f"  - {s}\n" for s in slides)
    files = json.dumps(metrics or ["metrics.yaml"])
    return f"title: T\nlanguages: {languages}\nmetrics: {files}\nslides:\n{listed}"


# (file, content at the limit, content one over, the message for one over)
# fmt: off
COUNTS: dict[str, tuple[str, str, str, str]] = {
    "links": (
        "slides/two.yaml",
        "id: two\ntype: diagram\ntitle: T\nnodes:\n" + _nodes(2) + "links:\n"
        + "  - {from: n0, to: n1}\n" * MAX_LINKS,
        "id: two\ntype: diagram\ntitle: T\nnodes:\n" + _nodes(2) + "links:\n"
        + "  - {from: n0, to: n1}\n" * (MAX_LINKS + 1),
        f"slides/two.yaml:8:3: diagram.links: {MAX_LINKS + 1} items is more than the "
        f"{MAX_LINKS} allowed",
    ),
    "nodes": (
        "slides/two.yaml",
        "id: two\ntype: diagram\ntitle: T\nnodes:\n" + _nodes(16),
        "id: two\ntype: diagram\ntitle: T\nnodes:\n" + _nodes(17),
        "slides/two.yaml:5:3: diagram.nodes: 17 items is more than the 16 allowed",
    ),
    "categories": ("slides/two.yaml", _chart(24), _chart(25),
                   "slides/two.yaml:5:13: chart.categories: 25 items is more than the 24 allowed"),
    "series": ("slides/two.yaml", _chart(2, series=4), _chart(2, series=5),
               "slides/two.yaml:7:3: chart.series: 5 items is more than the 4 allowed"),
    "values of a series": (
        "slides/two.yaml", _chart(24), _chart(24, values=25),
        "slides/two.yaml:7:23: chart.series[0].values: 25 items is more than the 24 allowed",
    ),
    "tiles": (
        "slides/two.yaml",
        "id: two\ntype: metrics\ntitle: T\ntiles:\n" + "  - metric: area\n" * 8,
        "id: two\ntype: metrics\ntitle: T\ntiles:\n" + "  - metric: area\n" * 9,
        "slides/two.yaml:5:3: metrics.tiles: 9 items is more than the 8 allowed",
    ),
    "events": (
        "slides/two.yaml",
        "id: two\ntype: timeline\ntitle: T\nevents:\n" + "  - {date: 2026, label: L, detail: D}\n"
        * 8,
        "id: two\ntype: timeline\ntitle: T\nevents:\n" + "  - {date: 2026, label: L, detail: D}\n"
        * 9,
        "slides/two.yaml:5:3: timeline.events: 9 items is more than the 8 allowed",
    ),
    "metrics in a file": (
        "metrics.yaml", BASE_FILES["metrics.yaml"].rstrip("\n") + "\n"
        + _metrics(MAX_METRICS - 2).removeprefix("metrics:\n"),
        BASE_FILES["metrics.yaml"].rstrip("\n") + "\n"
        + _metrics(MAX_METRICS - 1).removeprefix("metrics:\n"),
        f"metrics.yaml:2:3: metrics: has more than the {MAX_METRICS:,} items allowed",
    ),
    "languages": ("deck.yaml", _deck(["slides/one.yaml", "slides/two.yaml"]),
                  _deck(["slides/one.yaml", "slides/two.yaml"], languages="[zh, en, zh]"),
                  "deck.yaml:2:12: languages: 3 items is more than the 2 allowed"),
    "slide id": ("slides/one.yaml", f"id: {'a' * MAX_ID}\ntype: title\ntitle: T\n",
                 f"id: {'a' * (MAX_ID + 1)}\ntype: title\ntitle: T\n",
                 f"slides/one.yaml:1:5: title.id: {MAX_ID + 1} characters is more than the "
                 f"{MAX_ID} allowed"),
    "node id": (
        "slides/two.yaml",
        f"id: two\ntype: diagram\ntitle: T\nnodes:\n  - {{id: {'n' * MAX_ID}, label: N, "
        "detail: D, x: 0, y: 0}\n",
        f"id: two\ntype: diagram\ntitle: T\nnodes:\n  - {{id: {'n' * (MAX_ID + 1)}, label: N, "
        "detail: D, x: 0, y: 0}\n",
        f"slides/two.yaml:5:10: diagram.nodes[0].id: {MAX_ID + 1} characters is more than the "
        f"{MAX_ID} allowed",
    ),
}
# fmt: on


@pytest.mark.parametrize("name", COUNTS)
def test_a_count_at_its_limit_is_taken_and_one_more_is_refused(tmp_path: Path, name: str) -> None:
    file, at, over, message = COUNTS[name]
    assert _errors(tmp_path / "at", file, at) == []
    assert message in _errors(tmp_path / "over", file, over)
    kind = _kind(file)
    assert SCHEMAS[kind].is_valid(yaml.safe_load(at))
    assert not SCHEMAS[kind].is_valid(yaml.safe_load(over))


def _files(root: Path, names: list[str], content: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")


def test_a_deck_holds_at_most_its_slides(tmp_path: Path) -> None:
    names = [f"slides/s{i:04d}.yaml" for i in range(MAX_SLIDES + 1)]
    root = write_show(tmp_path, {"deck.yaml": _deck(names[:MAX_SLIDES])})
    for i, name in enumerate(names):
        (root / name).write_text(f"id: s{i}\ntype: title\ntitle: T\n", encoding="utf-8")
    (root / "slides" / "one.yaml").unlink()
    (root / "slides" / "two.yaml").unlink()
    (root / names[-1]).unlink()  # listed by neither deck: not a warning in the way
    deck, problems = check_folder(root)
    assert deck is not None
    assert len(deck.slides) == MAX_SLIDES
    (root / names[-1]).write_text("id: last\ntype: title\ntitle: T\n", encoding="utf-8")
    (root / "deck.yaml").write_text(_deck(names), encoding="utf-8")
    deck, problems = check_folder(root)
    assert deck is None
    assert [str(p) for p in problems if p.is_error] == [
        f"deck.yaml:5:3: slides: {MAX_SLIDES + 1:,} items is more than the {MAX_SLIDES:,} allowed"
    ]
    assert not SCHEMAS["deck"].is_valid(yaml.safe_load(_deck(names)))


def test_a_deck_holds_at_most_its_metric_files(tmp_path: Path) -> None:
    names = [f"metrics/m{i:03d}.yaml" for i in range(MAX_METRIC_FILES + 1)]
    root = write_show(tmp_path, {"deck.yaml": _deck(["slides/one.yaml"], names[:MAX_METRIC_FILES])})
    (root / "slides" / "two.yaml").unlink()
    (root / "metrics.yaml").unlink()
    for i, name in enumerate(names):
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(
            f"metrics:\n  k{i}: {{value: 1, label: L, detail: D, source: S, as_of: 2026}}\n",
            encoding="utf-8",
        )
    (root / names[-1]).rename(root / "spare.txt")
    deck, problems = check_folder(root)
    assert deck is not None, problems
    (root / "spare.txt").rename(root / names[-1])
    (root / "deck.yaml").write_text(_deck(["slides/one.yaml"], names), encoding="utf-8")
    deck, problems = check_folder(root)
    assert deck is None
    assert [str(p) for p in problems if p.is_error] == [
        f"deck.yaml:3:10: metrics: {MAX_METRIC_FILES + 1} items is more than the "
        f"{MAX_METRIC_FILES} allowed"
    ]


# --- the worst allowed slides: bounded work ---------------------------------------------------


def test_eliding_a_long_text_lays_it_out_a_bounded_number_of_times(qapp: object) -> None:
    """Cutting a text to its room searched one character at a time, a layout each: 2,000
    characters that do not fit took thousands of layouts (11 s for a body of emoji)."""
    load_fonts()
    layouts = 0
    real = text_toolbox.QTextLayout

    def counting(*args: Any) -> Any:
        nonlocal layouts
        layouts += 1
        return real(*args)

    text_toolbox.QTextLayout = counting  # type: ignore[misc]
    try:
        for text in ("😀" * BODY.chars, "两江新区" * (BODY.chars // 4), "Rivers " * 285):
            layouts = 0
            block = TextBlock([text], ui_font(40), 700, 1.3, max_height=300)
            assert block.elided
            assert block.height <= 300.5
            assert layouts <= 40, (text[:4], layouts)
    finally:
        text_toolbox.QTextLayout = real  # type: ignore[misc]


def _worst_diagram(tmp_path: Path) -> Path:
    label = json.dumps("两江" * (SHORT.chars // 2), ensure_ascii=False)
    nodes = "".join(
        f"  - {{id: n{i}, label: {json.dumps('Node ' * (LABEL.chars // 5))}, "
        f"detail: D, x: {(i % 4) / 3:.3f}, y: {(i // 4) / 3:.3f}}}\n"
        for i in range(16)
    )
    links = "".join(
        f"  - {{from: n{i % 16}, to: n{(i * 7 + 3) % 16}, label: {label}}}\n"
        for i in range(MAX_LINKS)
    )
    slide = f"id: two\ntype: diagram\ntitle: T\nnodes:\n{nodes}links:\n{links}"
    return write_show(tmp_path, {"slides/two.yaml": slide})


def test_the_worst_diagram_lays_out_its_link_labels_once_not_every_frame(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_fonts()
    deck, problems = check_folder(_worst_diagram(tmp_path))
    assert deck is not None, problems
    calls = 0
    real = diagram_module.balanced

    def counting(*args: Any, **kwargs: Any) -> TextBlock:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(diagram_module, "balanced", counting)
    view = create_view(deck, deck.slides[1], lang="en")
    qtbot.addWidget(view)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.resize(3840, 2160)
    view.show()
    view.set_elapsed(100.0)
    image = QImage(3840, 2160, QImage.Format.Format_RGB32)
    view.render(image)
    first = calls
    for _ in range(3):
        view.render(image)  # frames, as an entry animation or a tap paints them
    assert first >= MAX_LINKS  # every link's label was laid out...
    assert calls == first  # ...once: nothing is laid out again for a frame
