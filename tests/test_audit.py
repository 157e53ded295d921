"""`kiosk audit` and the visible text it counts, from the counts to the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from kiosk.cli import main
from kiosk.content.audit import CHECKS, Finding, audit_deck, repeats
from kiosk.content.loader import Deck, load_deck, metric_keys
from kiosk.content.model import SLIDE_TYPES, DeckFile, Metric, Slide, slide_type_name
from kiosk.content.visible import count, slide_texts
from tests.helpers.show import BUNDLED, REPO

METRICS = """\
metrics:
  area:
    value: 1360
    format: plain
    unit: {zh: 平方公里, en: km²}
    label: {zh: 区域面积, en: Area}
    detail: {zh: 两江新区面积为1360平方公里。, en: "The area spans 1,360 square kilometres."}
    source: {zh: 来源：测试, en: "Source: test"}
    as_of: 2026-01
  entities:
    value: 540000
    qualifier: over
    unit: {zh: 户, en: entities}
    label: {zh: 经营主体, en: Business entities}
    detail:
      zh: 除长安汽车、赛力斯等龙头企业外，这里还聚集了超过54万户经营主体。
      en: "Alongside leading companies such as Changan and Seres, over 540,000 business \
entities operate here."
    source: {zh: 来源：测试, en: "Source: test"}
    as_of: 2026-01
"""

CLEAN = """\
id: clean
type: title
title: {zh: 两江新区, en: Liangjiang}
subtitle: {zh: 长江与嘉陵江交汇之地, en: Where the Yangtze and the Jialing meet}
"""


def write(root: Path, slides: dict[str, str], deck_extra: str = "") -> Path:
    """A show of these slides (file name: YAML), in zh and en, 10 s a slide."""
    names = "\n".join(f"  - slides/{name}" for name in slides)
    (root / "slides").mkdir(parents=True, exist_ok=True)
    (root / "deck.yaml").write_text(
        "title: {zh: 重庆两江新区, en: Chongqing Liangjiang New Area}\n"
        "loop: {slide_duration: 10}\n"
        "metrics: [metrics.yaml]\n" + deck_extra + f"slides:\n{names}\n",
        encoding="utf-8",
    )
    (root / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    for name, text in slides.items():
        (root / "slides" / name).write_text(text, encoding="utf-8")
    return root


def findings(root: Path) -> list[str]:
    audit = audit_deck(load_deck(root))
    return [str(p) for p in audit.problems()]


# -- counting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where the Yangtze and the Jialing meet", 7),
        ("Liangjiang's large-scale industry", 3),  # an apostrophe or hyphen joins a word
        ("over 1,360 km²", 3),  # a number with its commas is one word; ² is no word
        ("3.52 million residents", 3),
        ("2026–2030: the main engine", 5),  # an en dash parts two numbers
        ("Source: ECNS, Jan 2026", 4),
        ("长江与嘉陵江交汇之地", 10),
        ("2010年6月18日", 6),  # each number counts one, as each character does
        ("面积1360平方公里 · 人口352万", 11),
        ("智能网联新能源汽车（NEV）", 10),  # a Latin word in Chinese counts one
        ("超过40%", 3),
        ("“两江印记”", 4),  # punctuation counts nothing
        ("the 两江 area", 4),
        ("", 0),
    ],
)
def test_count(text: str, expected: int) -> None:
    assert count(text) == expected


# -- reading time, glance limit, duration -----------------------------------------------------

LONG = """\
id: long
type: text
title: {zh: 标题文字, en: A headline}
duration: 6
body:
  zh: 两江新区融合行政区与开发区双重角色，实现体制统一、功能互补。\
它由此成为新时代西部大开发的重要战略支点和内陆开放综合枢纽。
  en: Liangjiang combines two roles, administrative district and development zone, \
with institutional unity and functional complementarity, and a strategic western pivot.
source: {zh: 来源：测试, en: "Source: test"}
"""


def test_counts_and_reading_time_per_language(tmp_path: Path) -> None:
    deck = load_deck(write(tmp_path, {"long.yaml": LONG}))
    audit = audit_deck(deck, checks=[])
    (text,) = audit.context.slides
    zh, en = (text.count(lang, deck.settings.audit) for lang in ("zh", "en"))
    assert (zh.headline, zh.body, zh.limit, zh.unit) == (4, 56, 45, "characters")
    assert (en.headline, en.body, en.limit, en.unit) == (2, 20, 20, "words")
    # At the default rates: 5 Chinese characters, 3 English words a second.
    assert (zh.reading_seconds, en.reading_seconds, zh.duration) == (12.0, 7.3, 6)


def test_glance_and_duration_messages(tmp_path: Path) -> None:
    root = write(tmp_path, {"long.yaml": LONG})
    assert findings(root) == [
        "slides/long.yaml:6:7: warning: long: the zh text under the headline has 56 "
        "characters, more than a glance (45, audit.glance_chars): keep a headline and one "
        "figure or picture, move the rest into cards",
        "slides/long.yaml:4:11: warning: long: reading its zh text takes about 12 s "
        "(60 characters), longer than its 6 s on screen: shorten the text or lengthen duration",
        "slides/long.yaml:4:11: warning: long: reading its en text takes about 7.3 s "
        "(22 words), longer than its 6 s on screen: shorten the text or lengthen duration",
    ]


def test_the_deck_sets_the_limits_and_rates(tmp_path: Path) -> None:
    extra = (
        "audit:\n  glance_words: 10\n  glance_chars: 60\n"
        "  reading: {en_words_per_second: 4, zh_chars_per_second: 12}\n"
    )
    root = write(tmp_path, {"long.yaml": LONG}, extra)
    assert findings(root) == [
        "slides/long.yaml:7:7: warning: long: the en text under the headline has 20 words, "
        "more than a glance (10, audit.glance_words): keep a headline and one figure or "
        "picture, move the rest into cards",
    ]


@pytest.mark.parametrize(
    ("audit", "message"),
    [
        (
            "{glance_words: 0}",
            "deck.yaml:4:23: audit.glance_words: must be at least 1, got 0",
        ),
        (
            "{reading: {en_word_per_second: 3}}",
            'deck.yaml:4:19: audit.reading.en_word_per_second: unknown key "en_word_per_second"'
            '; did you mean "en_words_per_second"?',
        ),
        (
            "{card_novelty: 2}",
            "deck.yaml:4:23: audit.card_novelty: must be at most 1, got 2",
        ),
    ],
)
def test_audit_settings_are_validated(tmp_path: Path, audit: str, message: str) -> None:
    root = write(tmp_path, {"clean.yaml": CLEAN}, f"audit: {audit}\n")
    assert main(["validate", str(root)]) == 1
    assert message in [str(p) for p in _problems(root)]


def _problems(root: Path) -> list[object]:
    from kiosk.content.loader import check_folder

    return list(check_folder(root)[1])


def test_defaults_are_documented_in_the_model() -> None:
    settings = DeckFile.model_validate({"title": "T", "slides": ["s.yaml"]}).audit
    assert (settings.glance_words, settings.glance_chars, settings.card_novelty) == (20, 45, 0.3)
    assert (settings.reading.en_words_per_second, settings.reading.zh_chars_per_second) == (3, 5)


# -- figures without a source -------------------------------------------------------------

CHART = """\
id: chart
type: chart
kind: bar
title: {zh: 图表, en: A chart}
categories:
  - label: A
  - label: B
series:
  - name: {zh: 甲, en: First}
    values: [1, 2]
"""
TILES = """\
id: tiles
type: metrics
title: {zh: 概览, en: At a glance}
tiles:
  - metric: entities
"""
DATED = """\
id: dated
type: text
title: {zh: 成立, en: Founded}
body: {zh: 两江新区于2010年设立。, en: Liangjiang was established in 2010.}
"""


def test_figures_without_a_source(tmp_path: Path) -> None:
    root = write(tmp_path, {"chart.yaml": CHART, "tiles.yaml": TILES, "dated.yaml": DATED})
    unsourced = [f for f in findings(root) if "no source" in f]
    assert unsourced == [
        'slides/chart.yaml:10:14: warning: chart: series[0].values[0] shows the figure "1" '
        "with no source: give the slide a source line (source:), or take the figure from a "
        "metrics file, which carries its own",
        'slides/chart.yaml:10:17: warning: chart: series[0].values[1] shows the figure "2" '
        "with no source: give the slide a source line (source:), or take the figure from a "
        "metrics file, which carries its own",
        'slides/dated.yaml:4:12: warning: dated: body.zh shows the figure "2010" with no source: '
        "give the slide a source line (source:), or take the figure from a metrics file, "
        "which carries its own",
    ]


def test_a_source_line_or_a_metric_sources_a_figure(tmp_path: Path) -> None:
    sourced = {
        "chart.yaml": CHART + "source: {zh: 来源：测试, en: 'Source: test'}\n",
        "dated.yaml": DATED + "source: {zh: 来源：测试, en: 'Source: test'}\n",
        "tiles.yaml": TILES,  # the metric's own source is the slide's foot
    }
    root = write(tmp_path, sourced)
    assert [f for f in findings(root) if "no source" in f] == []


def test_a_timeline_date_is_a_figure_to_source(tmp_path: Path) -> None:
    timeline = """\
id: when
type: timeline
title: {zh: 历程, en: Milestones}
events:
  - date: 2010-06-18
    label: {zh: 两江新区设立, en: Liangjiang New Area established}
    detail: {zh: 中国内陆首个国家级新区。, en: The first national-level new area in inland China.}
"""
    unsourced = [f for f in findings(write(tmp_path, {"when.yaml": timeline})) if "no source" in f]
    assert unsourced == [
        'slides/when.yaml:5:11: warning: when: events[0].date shows the date "2010" with no '
        "source: give the slide a source line (source:), or take the figure from a metrics "
        "file, which carries its own"
    ]


# -- cards that only repeat ---------------------------------------------------------------

TITLE_EN = "Chongqing Liangjiang New Area"
TITLE_ZH = "重庆两江新区"


@pytest.mark.parametrize(
    ("card", "shown", "repeated"),
    [
        # Cards of the bundled deck before issue 15 (tiles, nodes and bars that said their
        # element again), and cards that add a date, a comparison or context.
        ("The area spans 1,360 square kilometres.", "Area\n1,360 km²", True),
        ("两江新区面积为1360平方公里。", "区域面积\n1360 平方公里", True),
        ("The area has a population of 3.52 million.", "Population\n3.52 million residents", True),
        ("两江新区人口为352万。", "人口\n352 万 人", True),
        (
            "Shanghai Pudong New Area was the first national-level new area.",
            "The third national-level new area\n1st: Shanghai Pudong",
            True,
        ),
        (
            "上海浦东新区是全国第一个国家级新区。",
            "第三个国家级新区\n第一个：上海浦东新区",
            True,
        ),
        (
            "两江新区培育了4000亿元级智能网联新能源汽车产业。",
            "智能网联新能源汽车\n4000 亿 元",
            True,
        ),
        (
            "Alongside leading companies such as Changan and Seres, over 540,000 business "
            "entities operate here.",
            "Business entities\nover 540,000 entities",
            False,
        ),
        (
            "Jiangbei International Airport and Chongqing North Railway Station handle over "
            "120 million passengers a year.",
            "Air and rail passengers\nover 120 million passengers a year",
            False,
        ),
        (
            "Established on 18 June 2010, Liangjiang is the first national-level new area in "
            "inland China and the third nationwide.",
            "The third national-level new area\n3rd: Chongqing Liangjiang",
            False,
        ),
        (
            "中国内陆首个国家级新区，继上海浦东新区、天津滨海新区之后的全国第三个。",
            "发展历程\n2010年6月18日\n两江新区设立",
            False,
        ),
        ("Area", "Area\n1,360 km²", True),  # the same words, nothing else
        # A source line belongs on a card, but adds nothing to what the element says.
        ("The area spans 1,360 km².\n\nSource: ECNS, Jan 2026", "Area\n1,360 km²", True),
        (
            "两江新区面积为1360平方公里。\n\n来源：中国新闻网，2026年1月",
            "区域面积\n1360 平方公里",
            True,
        ),
    ],
)
def test_repeats(card: str, shown: str, repeated: bool) -> None:
    title = TITLE_ZH if any("\u4e00" <= c <= "\u9fff" for c in card) else TITLE_EN
    assert repeats(card, f"{title}\n{shown}", 0.3)[0] is repeated


def test_repeated_cards_are_found_where_they_are_written(tmp_path: Path) -> None:
    slide = """\
id: glance
type: metrics
title: {zh: 概览, en: At a glance}
tiles:
  - metric: area
  - metric: entities
  - metric: area
    detail: {zh: 面积1360平方公里。, en: "An area of 1,360 km²."}
  - metric: area
    detail: {zh: 比新加坡大近一倍（测试）。, en: Nearly twice the size of Singapore (a test).}
"""
    assert [f for f in findings(write(tmp_path, {"glance.yaml": slide})) if "repeats" in f] == [
        'metrics.yaml:7:13: warning: glance: the card of tiles[0] (the metric "area"\'s '
        "detail) only repeats what it shows (zh: 0 of its 11 characters new; en: 1 of its 5 "
        "words new): give the date, context or comparison it does not",
        "slides/glance.yaml:8:13: warning: glance: the card of tiles[2] only repeats what it "
        "shows (zh: 0 of its 7 characters new; en: 0 of its 3 words new): give the date, "
        "context or comparison it does not",
    ]


# -- every slide type is walked -------------------------------------------------------------


@pytest.mark.parametrize("cls", SLIDE_TYPES, ids=slide_type_name)
def test_every_slide_type_shows_text(tmp_path: Path, cls: type) -> None:
    import yaml

    slide = TypeAdapter(Slide).validate_python(yaml.safe_load(cls.example))
    metric = Metric.model_validate(
        {
            "value": 5,
            "label": {"zh": "数字", "en": "Figure"},
            "detail": {"zh": "细节", "en": "Detail"},
            "source": "S",
            "as_of": 2026,
        }
    )
    deck = Deck(
        root=tmp_path,
        settings=DeckFile.model_validate({"title": "T", "slides": ["s.yaml"]}),
        slides=(slide,),
        slide_files=("s.yaml",),
        metrics=dict.fromkeys(metric_keys(slide), metric),
        revision="test",
    )
    (text,) = slide_texts(deck, lambda key: "metrics.yaml")
    for lang in ("zh", "en"):
        assert text.count(lang, deck.settings.audit).body > 0
        assert text.visible(lang).strip()
    if "title" in type(slide).model_fields:
        assert [p.at.path for p in text.of("headline")] == [("title",)]
    audit = audit_deck(deck)  # no file to read: findings are unplaced, not failures
    assert all(isinstance(f, Finding) for f in audit.findings)


def test_checks_are_small_functions() -> None:
    assert [c.__name__ for c in CHECKS] == [
        "check_glance",
        "check_reading_time",
        "check_figure_sources",
        "check_repeated_cards",
        "check_contrast",
        "check_narration",
    ]


# -- the command --------------------------------------------------------------------------


def test_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write(tmp_path, {"clean.yaml": CLEAN, "long.yaml": LONG})
    assert main(["audit", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[:5] == [
        "  #  slide  lang  headline       body / glance  reading / on screen",
        "  1  clean  zh           4      10 / 45 chars     2.8 s / 10 s",
        "            en           1       7 / 20 words     2.7 s / 10 s",
        "  2  long   zh           4      56 / 45 chars!   12.0 s / 6 s!",
        "            en           2      20 / 20 words     7.3 s / 6 s!",
    ]
    # The screens measured: the deck's reference screens.
    assert lines[5:8] == [
        "screen        picture, above the floor        highest control  smallest control  "
        "tap targets",
        "landscape-55  1218 x 685 mm, 0.75-1.43 m         0.81 / 1.2 m           40.6 mm  0",
        "portrait-55   685 x 1218 mm, 0.50-1.72 m         0.65 / 1.2 m           40.6 mm  0",
    ]
    assert lines[8].startswith("slides/long.yaml:6:7: warning: long: the zh text")
    assert lines[-1] == f"{root}: audited 2 slides in zh and en, 3 warnings"


def test_strict_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "clean", {"clean.yaml": CLEAN})
    assert main(["audit", "--strict", str(clean)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{clean}: audited 1 slide in zh and en, no findings"
    )
    long = write(tmp_path / "long", {"long.yaml": LONG})
    assert main(["audit", str(long)]) == 0
    assert main(["audit", "--strict", str(long)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{long}: audit failed (3 warnings, errors with --strict)"
    )


def test_invalid_content_exits_2(show: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (show / "slides" / "one.yaml").write_text("id: one\ntype: title\ntitel: T\n")
    assert main(["audit", str(show)]) == 2
    assert capsys.readouterr().out.splitlines() == [
        'slides/one.yaml:1:1: title.title: missing required key "title"',
        'slides/one.yaml:3:1: title.titel: unknown key "titel"; did you mean "title"?',
        f"{show}: not valid (2 errors); `kiosk validate` says the same",
    ]
    assert main(["audit", "--json", "--strict", str(show)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["problems"][0] == {
        "severity": "error",
        "message": 'title.title: missing required key "title"',
        "location": {"file": "slides/one.yaml", "line": 1, "column": 1},
    }


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write(tmp_path, {"clean.yaml": CLEAN, "long.yaml": LONG})
    assert main(["audit", "--json", str(root)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == [
        "folder",
        "valid",
        "strict",
        "passed",
        "settings",
        "languages",
        "slides",
        "findings",
        "themes",
        "screens",
        "summary",
    ]
    reference = {"width_mm": None, "height_mm": None, "reach": 1.2, "diagonal": 55.0}
    assert report["settings"] == {
        "glance_words": 20,
        "glance_chars": 45,
        "reading": {"en_words_per_second": 3.0, "zh_chars_per_second": 5.0},
        "card_novelty": 0.3,
        "screens": [
            {**reference, "name": "landscape-55", "resolution": "1920x1080", "bottom": 0.75},
            {**reference, "name": "portrait-55", "resolution": "1080x1920", "bottom": 0.5},
        ],
    }
    assert [(t["name"], t["failing"]) for t in report["themes"]] == [
        ("contrast", 0),
        ("rivers", 0),
    ]
    assert [s["name"] for s in report["screens"]] == ["landscape-55", "portrait-55"]
    assert report["languages"] == ["zh", "en"]
    assert report["summary"] == {"slides": 2, "findings": 3}
    long = report["slides"][1]
    assert {k: long[k] for k in ("index", "id", "type", "file", "duration")} == {
        "index": 2,
        "id": "long",
        "type": "text",
        "file": "slides/long.yaml",
        "duration": 6,
    }
    assert long["languages"]["zh"] == {
        "unit": "characters",
        "headline": 4,
        "body": 56,
        "total": 60,
        "glance_limit": 45,
        "reading_seconds": 12.0,
        "duration": 6,
        "cards": 0,
    }
    first = long["findings"][0]
    assert first["kind"] == "glance"
    assert first["severity"] == "warning"
    assert first["language"] == "zh"
    assert first["location"] == {
        "file": "slides/long.yaml",
        "line": 6,
        "column": 7,
        "path": "body.zh",
    }
    assert report["findings"] == []  # findings of no one slide (none of the checks yet)
    assert main(["audit", "--json", "--strict", str(root)]) == 1
    strict = json.loads(capsys.readouterr().out)
    assert (strict["passed"], strict["slides"][1]["findings"][0]["severity"]) == (False, "error")


def test_end_to_end_without_qt(tmp_path: Path) -> None:
    # The content's own checks need no Qt (the screens' check builds the views: --no-screens
    # leaves it out, for a machine without Qt's libraries).
    root = write(tmp_path, {"clean.yaml": CLEAN, "long.yaml": LONG})
    code = (
        "import sys\n"
        "from kiosk.cli import main\n"
        f"status = main(['audit', '--strict', '--no-screens', {str(root)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'numpy', 'shiboken6'))\n"
        "print('heavy:', ','.join(heavy))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == "heavy: "
    entry = subprocess.run(
        [sys.executable, "-m", "kiosk", "audit", "--json", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert entry.returncode == 0, entry.stderr
    assert json.loads(entry.stdout)["summary"]["findings"] == 3


def test_the_bundled_deck_passes_a_strict_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every slide a glance, every figure sourced, every card adding something, every colour
    # pair of every theme at WCAG AA, every slide narrated in both languages, every control
    # and tap target at least 9 mm and within reach in both languages on the reference
    # screens (a 55-inch landscape screen, a 55-inch portrait totem) and on a hall's: the
    # deck the kiosk ships is the example curators copy.
    assert main(["audit", "--strict", str(BUNDLED)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{BUNDLED}: audited 13 slides in zh and en, no findings"
    )
    hall = tmp_path / "kiosk.yaml"
    hall.write_text(f"content: {BUNDLED}\ndisplay: {{diagonal: 55, bottom: 0.7}}\n")
    assert main(["audit", "--strict", "--config", str(hall)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{BUNDLED}: audited 13 slides in zh and en, no findings"
    )
    assert main(["audit", "--strict", "--no-screens", str(BUNDLED)]) == 0


# -- what a slide type shows that its fields do not say -----------------------------------

TIERS = """\
  tier:
    value: 400000000000
    qualifier: tier
    unit: {zh: 元, en: yuan}
    label: {zh: 智能网联新能源汽车, en: Connected NEVs}
    detail: {zh: 规模最大的一个产业（测试）。, en: The largest of the three (a test).}
    source: {zh: 来源：测试, en: "Source: test"}
    as_of: 2026-01
"""


def test_a_chart_shows_bar_labels_a_unit_once_and_a_legend_of_two_series(tmp_path: Path) -> None:
    one = """\
id: one
type: chart
kind: hbar
title: {zh: 规模, en: Scale}
categories: [{}]
series:
  - name: {zh: 产业规模, en: Industry scale}
    metrics: [tier]
"""
    two = CHART.replace(
        "    values: [1, 2]\n", "    values: [1, 2]\n  - name: Second\n    values: [3, 4]\n"
    )
    root = write(tmp_path, {"one.yaml": one, "two.yaml": two})
    (root / "metrics.yaml").write_text(METRICS + TIERS, encoding="utf-8")
    first, second = audit_deck(load_deck(root), checks=[]).context.slides
    # The tier's label, written as the kiosk writes it; no legend for one series, no unit
    # title for tiers (each label carries its unit).
    assert [p.text("en") for p in first.of("body")] == ["Connected NEVs", "400-billion-yuan tier"]
    assert [p.text("zh") for p in first.of("body")] == ["智能网联新能源汽车", "4000亿元级"]
    assert [p.text("en") for p in second.of("body")] == [
        "A",
        "B",
        "First",
        "1",
        "2",
        "Second",
        "3",
        "4",
    ]


def test_a_map_counts_the_label_the_kiosk_draws(tmp_path: Path) -> None:
    where = """\
id: where
type: map
title: {zh: 在哪里, en: Where}
places:
  - {id: port, label: {zh: 果园港, en: Guoyuan Port}, x: 0.5, y: 0.5}
"""
    (text,) = audit_deck(
        load_deck(write(tmp_path, {"where.yaml": where})), checks=[]
    ).context.slides
    assert [p.text("en") for p in text.of("body")] == ["Guoyuan Port", "Schematic, not to scale"]
    assert text.count("zh", load_deck(tmp_path).settings.audit).body == 3 + 7


def test_the_reference_example_is_valid() -> None:
    import yaml

    from kiosk.content.model.deck import AuditSettings
    from kiosk.content.reference import AUDIT_EXAMPLE

    block = AUDIT_EXAMPLE.split("```yaml\n", 1)[1].split("```", 1)[0]
    settings = AuditSettings.model_validate(yaml.safe_load(block)["audit"])
    assert (settings.glance_words, settings.glance_chars) == (25, 55)


def test_a_new_slide_type_is_walked_and_its_figure_traced(tmp_path: Path) -> None:
    # A type no rule knows: its `metric` is a figure; its source is not on the foot, which
    # shows only the sources of the figures the loader's metric_keys finds.
    from typing import Literal

    from kiosk.content.audit import check_figure_sources
    from kiosk.content.model import MetricKey, SlideBase, Strict, Text

    class Hero(Strict):
        metric: MetricKey
        caption: Text
        detail: Text | None = None

    class HeroSlide(SlideBase):
        type: Literal["hero"]
        title: Text
        hero: Hero

    slide = HeroSlide.model_validate(
        {
            "id": "hero",
            "type": "hero",
            "title": "Big",
            "hero": {"metric": "area", "caption": {"zh": "面积", "en": "The area"}},
        }
    )
    loaded = load_deck(write(tmp_path, {"clean.yaml": CLEAN}))
    deck = Deck(
        root=tmp_path,
        settings=loaded.settings,
        slides=(slide,),
        slide_files=("slides/hero.yaml",),
        metrics=loaded.metrics,
        revision="test",
    )
    audit = audit_deck(deck, checks=[check_figure_sources])
    (text,) = audit.context.slides
    assert [(p.role, p.text("en")) for p in text.pieces] == [
        ("headline", "Big"),
        ("body", "1,360 km²"),
        ("body", "Area"),
        ("card", "The area spans 1,360 square kilometres."),
        ("body", "The area"),
    ]
    assert [f.message for f in audit.findings] == [
        'hero: hero.metric shows the figure "area", whose source the slide\'s foot does not '
        "show: give the slide a source line (source:)"
    ]


MESSAGES = [
    (
        "glance",
        "id: s\ntype: text\ntitle: T\nbody: " + " ".join(["word"] * 21) + "\nsource: S\n",
        "slides/s.yaml:4:7: warning: s: the en text under the headline has 21 words, more than "
        "a glance (20, audit.glance_words): keep a headline and one figure or picture, move "
        "the rest into cards",
    ),
    (
        "reading",
        "id: s\ntype: text\ntitle: T\nduration: 2\nbody: one two three four five six seven\n"
        "source: S\n",
        "slides/s.yaml:4:11: warning: s: reading its en text takes about 2.7 s (8 words), longer "
        "than its 2 s on screen: shorten the text or lengthen duration",
    ),
    (
        "unsourced",
        "id: s\ntype: quote\nquote: Founded in 2010\nattribution: A\n",
        'slides/s.yaml:3:8: warning: s: quote shows the figure "2010" with no source: give the '
        "slide a source line (source:), or take the figure from a metrics file, which carries "
        "its own",
    ),
    (
        "repeated-card",
        "id: s\ntype: diagram\ntitle: Ports\nnodes:\n  - {id: p, label: Guoyuan Port, "
        "detail: The Guoyuan Port., x: 0.5, y: 0.5}\n",
        "slides/s.yaml:5:42: warning: s: the card of nodes[0] only repeats what it shows "
        "(0 of its 2 words new): give the date, context or comparison it does not",
    ),
]


@pytest.mark.parametrize(("kind", "slide", "message"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_messages(tmp_path: Path, kind: str, slide: str, message: str) -> None:
    audit = audit_deck(load_deck(write(tmp_path, {"s.yaml": slide})))
    assert [(f.kind, str(p)) for f, p in zip(audit.findings, audit.problems(), strict=True)] == [
        (kind, message)
    ]


def test_a_check_of_another_layer_joins_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As issue 17's contrast or reach checks will: a function of the context, reading what its
    # layer hands in `extra`, with a finding of no one slide.
    from kiosk.content.audit import CHECKS, AuditContext, Location
    from kiosk.content.commands import audit_main

    def check_reach(ctx: AuditContext) -> list[Finding]:
        height = ctx.extra["reach_mm"]
        return [Finding("reach", f"controls at {height} mm", Location("deck.yaml", ("title",)))]

    root = write(tmp_path, {"clean.yaml": CLEAN})
    checks = [*CHECKS, check_reach]
    assert (
        audit_main(root, as_json=False, strict=True, checks=checks, extra={"reach_mm": 1600}) == 1
    )
    assert "deck.yaml:1:8: warning: controls at 1600 mm" in capsys.readouterr().out.splitlines()
    assert audit_main(root, as_json=True, strict=False, checks=checks, extra={"reach_mm": 1}) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == [
        {
            "kind": "reach",
            "severity": "warning",
            "message": "controls at 1 mm",
            "language": None,
            "location": {"file": "deck.yaml", "line": 1, "column": 8, "path": "title"},
        }
    ]
    assert report["slides"][0]["findings"] == []


def test_the_kiosks_own_words_are_the_ones_it_draws() -> None:
    from kiosk.content.model import MapSlide
    from kiosk.content.visible import SHOWN_BY_KIOSK
    from kiosk.ui.words import STRINGS

    assert SHOWN_BY_KIOSK[MapSlide] == (STRINGS["schematic"],)


def test_figures_named_by_key_are_found_by_their_annotation(tmp_path: Path) -> None:
    from kiosk.content.model import ChartSlide, Tile, TitleSlide
    from kiosk.content.visible import metric_fields

    assert metric_fields(TitleSlide) == {"figures"}
    assert metric_fields(Tile) == {"metric"}
    assert metric_fields(ChartSlide) == set()
    welcome = CLEAN + "figures: [area, entities]\n"
    root = write(tmp_path, {"clean.yaml": welcome})
    (text,) = audit_deck(load_deck(root), checks=[]).context.slides
    assert [p.text("en") for p in text.of("body")] == [
        "Where the Yangtze and the Jialing meet",
        "1,360 km²",
        "Area",
        "over 540,000 entities",
        "Business entities",
    ]
    assert findings(root) == []  # the figures' sources are the slide's foot


def test_an_error_finding_fails_without_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.content.audit import AuditContext
    from kiosk.content.commands import audit_main

    def check_error(ctx: AuditContext) -> list[Finding]:
        return [Finding("contrast", "too faint", severity="error")]

    root = write(tmp_path, {"clean.yaml": CLEAN})
    assert audit_main(root, as_json=False, strict=False, checks=[check_error]) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        f"{root}: too faint",  # as validate prints an error
        f"{root}: audit failed (1 error)",
    ]
    assert audit_main(root, as_json=True, strict=False, checks=[check_error]) == 1
    assert json.loads(capsys.readouterr().out)["passed"] is False


def test_a_base_maps_texts_are_placed_in_the_base_map_file(tmp_path: Path) -> None:
    base = """\
rivers:
  - name: {zh: 长江, en: Yangtze}
    points: [[0, 0.9], [1, 0.6]]
areas:
  - label: {zh: 两江新区, en: Liangjiang New Area}
    points: [[0.2, 0.1], [0.8, 0.1], [0.5, 0.6]]
    detail: {zh: 两江新区。, en: The Liangjiang New Area.}
"""
    where = """\
id: where
type: map
title: {zh: 在哪里, en: Where}
base: maps/base.yaml
areas:
  - label: {zh: 江北区, en: Jiangbei}
    points: [[0.2, 0.1], [0.4, 0.1], [0.3, 0.3]]
    detail: {zh: 江北区。, en: Jiangbei.}
places:
  - {id: port, label: {zh: 果园港, en: Guoyuan Port}, x: 0.5, y: 0.5}
"""
    root = write(tmp_path, {"where.yaml": where})
    (root / "maps").mkdir()
    (root / "maps" / "base.yaml").write_text(base, encoding="utf-8")
    audit = audit_deck(load_deck(root))
    (text,) = audit.context.slides
    assert [(p.at.file, p.at.path) for p in text.of("body")][:3] == [
        ("maps/base.yaml", ("rivers", 0, "name")),
        ("maps/base.yaml", ("areas", 0, "label")),
        ("slides/where.yaml", ("areas", 0, "label")),
    ]
    assert [str(p) for p in audit.problems()] == [
        "maps/base.yaml:7:13: warning: where: the card of areas[0] only repeats what it shows "
        "(zh: 0 of its 4 characters new; en: 0 of its 3 words new): give the date, context or "
        "comparison it does not",
        "slides/where.yaml:8:13: warning: where: the card of areas[0] only repeats what it "
        "shows (zh: 0 of its 3 characters new; en: 0 of its 1 word new): give the date, "
        "context or comparison it does not",
    ]


# -- narration coverage -----------------------------------------------------------------------


def test_a_slide_with_nothing_to_say_in_a_language_is_an_error(tmp_path: Path) -> None:
    # Every slide the kiosk ships has a heading to speak; a new type with no text (a picture
    # alone) needs a recording in each language, or the listen control is silent there.
    from typing import Literal

    from kiosk.content.audit import check_narration
    from kiosk.content.model import SlideBase

    class Picture(SlideBase):
        type: Literal["picture"]

    loaded = load_deck(write(tmp_path, {"clean.yaml": CLEAN}))

    def deck_of(slide: SlideBase) -> Deck:
        return Deck(
            root=tmp_path,
            settings=loaded.settings,
            slides=(loaded.slides[0], slide),
            slide_files=("slides/clean.yaml", "slides/picture.yaml"),
            metrics=loaded.metrics,
            revision="test",
        )

    silent = Picture.model_validate({"id": "picture", "type": "picture"})
    audit = audit_deck(deck_of(silent), checks=[check_narration])
    assert [(f.kind, f.severity, f.language, f.message) for f in audit.findings] == [
        (
            "narration",
            "error",
            lang,
            f"picture: nothing to say in {lang}: the slide shows no text the kiosk can speak "
            f"and has no recording; give it a heading or a recording "
            f"(audio: {{{lang}: audio/picture.{lang}.wav}})",
        )
        for lang in ("zh", "en")
    ]
    recorded = Picture.model_validate(
        {"id": "picture", "type": "picture", "audio": {"zh": "audio/picture.zh.wav"}}
    )
    audit = audit_deck(deck_of(recorded), checks=[check_narration])
    assert [f.language for f in audit.findings] == ["en"]  # the recording speaks for zh


def test_every_bundled_slide_can_be_heard_in_both_languages() -> None:
    from kiosk.content.audit import check_narration

    assert audit_deck(load_deck(BUNDLED), checks=[check_narration]).findings == ()
