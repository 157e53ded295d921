"""Every kind of curator mistake gives exact, located messages, all in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.loader import check_folder, load_deck
from kiosk.content.problems import ContentError
from tests.helpers.show import BASE_FILES, write_show

CHART = BASE_FILES["slides/two.yaml"].replace("values: [4, 5, 6]", 'values: [4, 5, "lots"]')

CASES: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "wrong type in a nested list",
        {"slides/two.yaml": CHART},
        ['slides/two.yaml:13:20: chart.series[1].values[2]: expected a number, got "lots"'],
    ),
    (
        "misspelt key",
        {"slides/one.yaml": "id: one\ntype: title\ntitel: {zh: 标题, en: Title}\n"},
        [
            'slides/one.yaml:1:1: title.title: missing required key "title"',
            'slides/one.yaml:3:1: title.titel: unknown key "titel"; did you mean "title"?',
        ],
    ),
    (
        "misspelt slide type",
        {"slides/one.yaml": "id: one\ntype: chrat\ntitle: x\n"},
        ['slides/one.yaml:2:7: unknown slide type "chrat"; did you mean "chart"?'],
    ),
    (
        "unknown slide type with no near match",
        {"slides/one.yaml": "id: one\ntype: video\ntitle: x\n"},
        [
            'slides/one.yaml:2:7: unknown slide type "video" (types: title, metrics, chart, '
            "timeline, text, diagram, quote, map, tiles)"
        ],
    ),
    (
        "missing slide type",
        {"slides/one.yaml": "id: one\ntitle: x\n"},
        [
            'slides/one.yaml:1:1: missing required key "type" (the kind of slide: title, '
            "metrics, chart, ...)"
        ],
    ),
    (
        "malformed YAML",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: [unclosed\n"},
        [
            "slides/one.yaml:4:1: not valid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence)"
        ],
    ),
    (
        "tab indentation",
        {"slides/one.yaml": "id: one\ntype: title\ntitle:\n\tzh: 标题\n"},
        ["slides/one.yaml:4:1: tab character: indent with spaces, not tabs"],
    ),
    (
        "duplicate key",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: A\ntitle: B\n"},
        ['slides/one.yaml:4:1: duplicate key "title" (first written at line 3)'],
    ),
    (
        "out-of-range value",
        {
            "deck.yaml": "title: T\nloop: {slide_duration: -3}\nslides: [slides/one.yaml, "
            "slides/two.yaml]\nmetrics: [metrics.yaml]\n"
        },
        ["deck.yaml:2:24: loop.slide_duration: must be greater than 0, got -3"],
    ),
    (
        "wrong literal with suggestion",
        {
            "deck.yaml": "title: T\nloop: {transition: fdae}\nslides: [slides/one.yaml, "
            "slides/two.yaml]\nmetrics: [metrics.yaml]\n"
        },
        [
            'deck.yaml:2:20: loop.transition: expected one of fade, push, none, got "fdae"; '
            'did you mean "fade"?'
        ],
    ),
    (
        "text given as a number",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: 2026\n"},
        ["slides/one.yaml:3:8: title.title: expected text or {zh: ..., en: ...}, got 2026"],
    ),
    (
        "unknown language",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: {zh: 标题, fr: Titre}\n"},
        ['slides/one.yaml:3:8: title.title: unknown language "fr" (languages are zh and en)'],
    ),
    (
        "missing translation",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: {zh: 标题}\n"},
        [
            "slides/one.yaml:3:8: title.title: missing the English (en) text; the deck is "
            "shown in zh and en"
        ],
    ),
    (
        "listed slide file does not exist",
        {"slides/two.yaml": None},
        ['deck.yaml:8:5: slides[1]: slide file "slides/two.yaml" does not exist'],
    ),
    (
        "misspelt slide file",
        {
            "deck.yaml": "title: T\nmetrics: [metrics.yaml]\nslides:\n  - slides/one.yaml\n"
            "  - slides/tow.yaml\n",
        },
        [
            'deck.yaml:5:5: slides[1]: slide file "slides/tow.yaml" does not exist; '
            'did you mean "slides/two.yaml"?',
            "slides/two.yaml: warning: not listed in deck.yaml, so it is not shown",
        ],
    ),
    (
        "unknown metric key",
        {
            "slides/two.yaml": "id: two\ntype: metrics\ntitle: T\ntiles:\n  - metric: aera\n",
        },
        [
            "slides/two.yaml:5:13: metrics.tiles[0].metric: no metric is defined with the key "
            '"aera"; did you mean "area"?'
        ],
    ),
    (
        "unknown metric key among a title slide's figures",
        {
            "slides/one.yaml": "id: one\ntype: title\ntitle: T\nfigures: [area, populaton]\n",
        },
        ['slides/one.yaml:4:17: title.figures[1]: no metric is defined with the key "populaton"'],
    ),
    (
        "share chart of a figure that is not a percentage",
        {
            "slides/two.yaml": "id: two\ntype: chart\nkind: share\ntitle: T\n"
            "categories: [{}]\nseries:\n  - name: S\n    metrics: [area]\n",
        },
        [
            "slides/two.yaml:8:15: chart.series[0].metrics[0]: a share chart shows percentages, "
            'but metric "area" is not a percent figure (format: percent)'
        ],
    ),
    (
        "series of the wrong length",
        {
            "slides/two.yaml": "id: two\ntype: chart\nkind: bar\ntitle: T\n"
            "categories: [{label: A}, {label: B}]\nseries:\n  - name: S\n    values: [1]\n",
        },
        ["slides/two.yaml:1:1: chart: every series needs one value per category (2), one has 1"],
    ),
    (
        "image that does not exist",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: T\nbackground: images/sky.png\n"},
        ['slides/one.yaml:4:13: title.background: image "images/sky.png" does not exist'],
    ),
    (
        "image path leaving the folder",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: T\nbackground: ../../etc/passwd\n"},
        [
            'slides/one.yaml:4:13: title.background: path "../../etc/passwd" leads outside '
            "the content folder; files must be inside it"
        ],
    ),
    (
        "absolute image path",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: T\nbackground: /etc/passwd\n"},
        [
            'slides/one.yaml:4:13: title.background: absolute path "/etc/passwd" is not '
            "allowed; write the path relative to the content folder"
        ],
    ),
    (
        "asset that is not an image",
        {
            "slides/one.yaml": "id: one\ntype: title\ntitle: T\nbackground: metrics.yaml\n",
        },
        [
            'slides/one.yaml:4:13: title.background: "metrics.yaml" is not an image '
            "(.svg, .png, .jpg, .jpeg, .webp)"
        ],
    ),
    (
        "empty file",
        {"slides/one.yaml": "# nothing yet\n"},
        ["slides/one.yaml: the file is empty"],
    ),
    (
        "not UTF-8",
        {"slides/one.yaml": b"id: one\ntype: title\ntitle: " + "标题".encode("gbk")},
        ["slides/one.yaml:3:8: the file is not UTF-8 text (byte 0xb1); save it as UTF-8"],
    ),
    (
        "two slides with the same id",
        {"slides/two.yaml": "id: one\ntype: quote\nquote: Q\nattribution: A\n"},
        ['slides/two.yaml:1:5: id: slide id "one" is already used by slides/one.yaml:1:5'],
    ),
    (
        "slide id not a slug",
        {"slides/one.yaml": "id: Slide One\ntype: title\ntitle: T\n"},
        [
            "slides/one.yaml:1:5: title.id: expected lower-case letters and digits joined by "
            'hyphens, like nev-share, got "Slide One"'
        ],
    ),
    (
        "diagram link to an unknown node",
        {
            "slides/two.yaml": "id: two\ntype: diagram\ntitle: T\nnodes:\n"
            "  - {id: port, label: P, detail: D, x: 0.2, y: 0.5}\n"
            "  - {id: airport, label: A, detail: D, x: 0.8, y: 0.5}\n"
            "links:\n  - {from: port, to: airprot}\n",
        },
        [
            'slides/two.yaml:8:22: diagram.links[0].to: no node has the id "airprot"; '
            'did you mean "airport"?'
        ],
    ),
    (
        "bad date",
        {
            "slides/two.yaml": "id: two\ntype: timeline\ntitle: T\nevents:\n"
            "  - {date: 2010-13-01, label: L, detail: D}\n",
        },
        ['slides/two.yaml:5:12: timeline.events[0].date: "2010-13-01" is not a real date'],
    ),
    (
        "metric defined with a wrong type and a yes/no trap",
        {
            "metrics.yaml": "metrics:\n  area:\n    value: 1360\n    label: Area\n"
            "    detail: D\n    source: S\n    as_of: 2026\n    format: no\n",
        },
        # YAML 1.2, as the curator's editor reads it: `no` is the word, not false.
        ['metrics.yaml:8:13: metrics.area.format: expected one of auto, plain, percent, got "no"'],
    ),
    (
        "merge key",
        {"slides/one.yaml": "id: one\ntype: title\n<<: {title: T}\n"},
        ["slides/one.yaml:3:1: merge keys (<<) are not supported; write the keys out"],
    ),
    (
        "custom YAML tag",
        {"slides/one.yaml": "id: one\ntype: title\ntitle: !!python/name:os.system T\n"},
        [
            "slides/one.yaml:3:8: the YAML tag tag:yaml.org,2002:python/name:os.system is not "
            "supported here"
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exact_located_messages(
    tmp_path: Path, files: dict[str, str | bytes | None], expected: list[str]
) -> None:
    root = write_show(tmp_path / "show", files)
    deck, problems = check_folder(root)
    assert deck is None
    assert [str(p) for p in problems] == expected


def test_all_errors_reported_in_one_pass(tmp_path: Path) -> None:
    root = write_show(
        tmp_path / "show",
        {
            "deck.yaml": "title: T\nloop: {idle_timout: 3}\nmetrics: [metrics.yaml]\nslides:\n"
            "  - slides/one.yaml\n  - slides/two.yaml\n  - slides/three.yaml\n",
            "slides/one.yaml": "id: one\ntype: title\ntitel: T\n",
            "slides/two.yaml": CHART,
        },
    )
    _, problems = check_folder(root)
    assert [str(p) for p in problems] == [
        'deck.yaml:2:8: loop.idle_timout: unknown key "idle_timout"; did you mean "idle_timeout"?',
        'deck.yaml:7:5: slides[2]: slide file "slides/three.yaml" does not exist',
        'slides/one.yaml:1:1: title.title: missing required key "title"',
        'slides/one.yaml:3:1: title.titel: unknown key "titel"; did you mean "title"?',
        'slides/two.yaml:13:20: chart.series[1].values[2]: expected a number, got "lots"',
    ]


def test_unlisted_slide_is_a_warning_not_an_error(show: Path) -> None:
    (show / "slides" / "extra.yaml").write_text(
        "id: extra\ntype: quote\nquote: Q\nattribution: A\n"
    )
    deck, problems = check_folder(show)
    assert deck is not None
    assert [str(p) for p in problems] == [
        "slides/extra.yaml: warning: not listed in deck.yaml, so it is not shown"
    ]
    assert [str(p) for p in deck.warnings] == [str(problems[0])]


def test_missing_folder_and_missing_deck(tmp_path: Path) -> None:
    _, problems = check_folder(tmp_path / "nowhere")
    assert [p.message for p in problems] == ["no such content folder"]
    (tmp_path / "empty").mkdir()
    _, problems = check_folder(tmp_path / "empty")
    assert [str(p) for p in problems] == ["deck.yaml: the content folder has no deck.yaml"]


def test_symlink_leaving_the_folder_is_refused(show: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG")
    (show / "images").mkdir()
    (show / "images" / "link.png").symlink_to(outside)
    (show / "slides" / "one.yaml").write_text(
        "id: one\ntype: title\ntitle: T\nbackground: images/link.png\n"
    )
    _, problems = check_folder(show)
    assert [p.message for p in problems] == [
        'title.background: path "images/link.png" leads outside the content folder; '
        "files must be inside it"
    ]


def test_load_deck_raises_with_every_problem(show: Path) -> None:
    (show / "slides" / "one.yaml").write_text("id: one\ntype: title\n")
    with pytest.raises(ContentError) as info:
        load_deck(show)
    assert str(info.value) == 'slides/one.yaml:1:1: title.title: missing required key "title"'


def test_valid_show_loads(show: Path) -> None:
    deck = load_deck(show)
    assert [s.id for s in deck.slides] == ["one", "two"]
    assert deck.duration(deck.slides[0]) == 10
    assert deck.transition(deck.slides[0]) == "fade"
    assert deck.index_of("two") == 1
    assert deck.metrics["area"].value == 1360
    assert len(deck.revision) == 16


def test_hidden_folders_and_files_are_not_content(show: Path) -> None:
    (show / ".git" / "refs").mkdir(parents=True)
    (show / ".git" / "config.yaml").write_text("not: content\n")
    (show / "slides" / ".one.yaml.tmp.yaml").write_text("an editor's temporary file\n")
    deck, problems = check_folder(show)
    assert deck is not None
    assert problems == []


# --- the loop's languages and the glossary ---------------------------------------------------

DECK = (
    "title: {zh: 测试展, en: Test show}\nmetrics: [metrics.yaml]\n"
    "slides: [slides/one.yaml, slides/two.yaml]\n"
)
"""The base show's deck, three lines; each case below adds its own from line 4."""
SPACE_HINT = "a glossary term is one unbroken name, and a line may break at a space anyway"
UNSHOWN_HINT = (
    "which the kiosk cannot show: texts hold Chinese, Latin, Greek and Cyrillic letters, "
    "digits, punctuation and common symbols"
)

DECK_CASES: list[tuple[str, str, list[str]]] = [
    (
        "a loop language given twice",
        "loop: {languages: [zh, en, zh]}\n",
        ['deck.yaml:4:28: loop.languages[2]: "zh" is listed twice (also loop.languages[0])'],
    ),
    (
        "a loop language given twice, in a block list",
        "loop:\n  languages:\n    - en\n    - en\n",
        ['deck.yaml:7:7: loop.languages[1]: "en" is listed twice (also loop.languages[0])'],
    ),
    (
        "a loop language the deck does not offer",
        "languages: [zh]\nloop: {languages: [zh, en]}\n",
        ['deck.yaml:5:24: loop.languages[1]: "en" is not one of the deck\'s languages (zh)'],
    ),
    (
        "a loop in no language",
        "loop: {languages: []}\n",
        ["deck.yaml:4:19: loop.languages: needs at least 1 item, has 0"],
    ),
    (
        "a loop language the kiosk does not know",
        "loop: {languages: [zh, fr]}\n",
        ['deck.yaml:4:24: loop.languages[1]: expected one of zh, en, got "fr"'],
    ),
    (
        "a loop language written as a word, not a list",
        "loop: {languages: zh}\n",
        ['deck.yaml:4:19: loop.languages: expected a list, got "zh"'],
    ),
    (
        "a misspelt way of alternating",
        "loop: {alternate: slides}\n",
        [
            'deck.yaml:4:19: loop.alternate: expected one of cycle, slide, got "slides"; '
            'did you mean "slide"?'
        ],
    ),
    (
        "a glossary term given twice",
        "glossary:\n  - 西部陆海新通道\n  - 两江新区\n  - 西部陆海新通道\n",
        ['deck.yaml:7:5: glossary[2]: "西部陆海新通道" is listed twice (also glossary[0])'],
    ),
    (
        "a glossary term with a space",
        "glossary: [成渝 双城经济圈]\n",
        [
            'deck.yaml:4:12: glossary[0]: character 3 of "成渝 双城经济圈" is a space (U+0020): '
            + SPACE_HINT
        ],
    ),
    (
        "a glossary term with an ideographic space",
        'glossary: ["成渝\u3000双城"]\n',
        [
            'deck.yaml:4:12: glossary[0]: character 3 of "成渝\u3000双城" is a space (U+3000): '
            + SPACE_HINT
        ],
    ),
    (
        "a glossary term with a zero-width space, as pasted text carries it",
        'glossary: ["两江\\u200b新区"]\n',
        [
            'deck.yaml:4:12: glossary[0]: character 3 of "两江\u200b新区" is a space (U+200B): '
            + SPACE_HINT
        ],
    ),
    (
        "a glossary term that is too long",
        "glossary: [" + "两" * 41 + "]\n",
        [
            "deck.yaml:4:12: glossary[0]: 41 characters is more than the 40 allowed for a "
            "glossary term"
        ],
    ),
    (
        "a glossary term of one character",
        "glossary: [两]\n",
        ['deck.yaml:4:12: glossary[0]: "两" is 1 character; a glossary term has 2 to 40'],
    ),
    (
        "a glossary term the kiosk cannot show",
        "glossary: [两江🚀]\n",
        [f'deck.yaml:4:12: glossary[0]: character 3 is "🚀" (U+1F680), {UNSHOWN_HINT}'],
    ),
    (
        "a glossary term written as a number",
        "glossary: [2026]\n",
        [
            "deck.yaml:4:12: glossary[0]: expected text, got 2026 (put it in quotes to keep it "
            "as text)"
        ],
    ),
    (
        "a glossary written as one term",
        "glossary: 两江新区\n",
        ['deck.yaml:4:11: glossary: expected a list, got "两江新区"'],
    ),
    (
        "every bad term and every repeat, in one pass",
        "glossary: [两, 成渝 双城, 两江新区, 两江新区, 成渝 双城]\n",
        [
            'deck.yaml:4:12: glossary[0]: "两" is 1 character; a glossary term has 2 to 40',
            'deck.yaml:4:15: glossary[1]: character 3 of "成渝 双城" is a space (U+0020): '
            + SPACE_HINT,
            'deck.yaml:4:28: glossary[3]: "两江新区" is listed twice (also glossary[2])',
            'deck.yaml:4:34: glossary[4]: character 3 of "成渝 双城" is a space (U+0020): '
            + SPACE_HINT,
        ],
    ),
]


@pytest.mark.parametrize(
    ("lines", "expected"), [c[1:] for c in DECK_CASES], ids=[c[0] for c in DECK_CASES]
)
def test_exact_located_messages_about_the_loop_and_glossary(
    tmp_path: Path, lines: str, expected: list[str]
) -> None:
    root = write_show(tmp_path / "show", {"deck.yaml": DECK + lines})
    deck, problems = check_folder(root)
    assert deck is None
    assert [str(p) for p in problems] == expected


def test_the_loop_plays_in_the_default_language_unless_told() -> None:
    from kiosk.content.model import DeckFile

    base = {"title": "T", "slides": ["slides/one.yaml"]}
    assert DeckFile.model_validate(base).loop_languages == ("zh",)
    assert DeckFile.model_validate({**base, "default_language": "en"}).loop_languages == ("en",)
    told = DeckFile.model_validate({**base, "loop": {"languages": ["en", "zh"]}})
    assert told.loop_languages == ("en", "zh")
    assert told.loop.alternate == "cycle"


def test_a_deck_with_a_bilingual_loop_and_a_glossary_loads(tmp_path: Path) -> None:
    lines = "loop: {languages: [en, zh], alternate: slide}\nglossary: [西部陆海新通道, 两江新区]\n"
    deck = load_deck(write_show(tmp_path / "show", {"deck.yaml": DECK + lines}))
    assert deck.settings.loop_languages == ("en", "zh")
    assert deck.settings.loop.alternate == "slide"
    assert deck.settings.glossary == ["西部陆海新通道", "两江新区"]


def test_a_glossary_term_in_no_text_is_a_warning(tmp_path: Path) -> None:
    lines = "glossary:\n  - 测试\n  - 兩江新區\n  - Subtitle\n"  # the second in traditional form
    deck, problems = check_folder(write_show(tmp_path / "show", {"deck.yaml": DECK + lines}))
    assert deck is not None
    assert [str(p) for p in problems] == [
        'deck.yaml:6:5: warning: glossary[1]: "兩江新區" is in no text of the deck, so it keeps '
        "nothing together (is it written as the texts write it?)"
    ]
