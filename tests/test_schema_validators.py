"""The bundled JSON Schemas as standard validators read them: they accept what the loader accepts.

Curators meet the schemas in an editor (yaml-language-server) and CI meets them in
check-jsonschema, neither of which knows pydantic. So the files in content/schema/ are checked
here with `jsonschema` (Draft 2020-12) and with check-jsonschema itself, on the bundled files,
on broken copies of them, and against the loader on many documents.

YAML is read here as those clients read it: timestamps stay the text written (JSON has no
dates; check-jsonschema does the same), keys are strings. "The loader accepts" means the
validation of one file by its model, as `check_folder` does it; what needs the other files
(metric keys, slide files, images, every language given) is beyond any one file's schema.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel, TypeAdapter, ValidationError

from kiosk.content.model import (
    SLIDE_TYPES,
    DeckFile,
    Event,
    MapBase,
    MetricsFile,
    Slide,
    Text,
    slide_type_name,
)
from kiosk.content.yamlfile import YamlFileError, parse_yaml_bytes
from tests.helpers.show import BUNDLED

SCHEMAS = BUNDLED / "schema"
SLIDE_TYPE_NAMES = [slide_type_name(cls) for cls in SLIDE_TYPES]
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _JsonView(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML as a JSON Schema client sees it: a timestamp stays the text written."""


_JsonView.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def json_view(text: str) -> Any:
    return _stringify_keys(yaml.load(text, Loader=_JsonView))  # a safe loader: no Python objects


def _stringify_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _stringify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stringify_keys(v) for v in data]
    return data


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


VALIDATORS = {kind: validator(kind) for kind in ("deck", "slide", "metrics", "map")}
_MODELS: dict[str, TypeAdapter[Any] | type[BaseModel]] = {
    "deck": DeckFile,
    "slide": TypeAdapter(Slide),
    "metrics": MetricsFile,
    "map": MapBase,
}


def kind_of(path: Path) -> str:
    if path.name == "deck.yaml":
        return "deck"
    return {"slides": "slide", "metrics": "metrics", "maps": "map"}[path.parent.name]


def bundled_files() -> list[Path]:
    return [
        BUNDLED / "deck.yaml",
        *sorted((BUNDLED / "slides").glob("*.yaml")),
        *sorted((BUNDLED / "metrics").glob("*.yaml")),
        *sorted((BUNDLED / "maps").glob("*.yaml")),
    ]


def schema_errors(kind: str, text: str) -> list[tuple[str, str]]:
    """Every error the standard validator reports, as (JSON path, message), in path order."""
    found = VALIDATORS[kind].iter_errors(json_view(text))
    return sorted((error.json_path, error.message) for error in found)


def loader_errors(kind: str, text: str) -> list[str] | None:
    """The loader's error types for one file, [] when it accepts it, None when it is no YAML
    document the schema could see (the reader refuses it first)."""
    try:
        data = parse_yaml_bytes(text.encode("utf-8"), f"x.{kind}.yaml").data
    except YamlFileError:
        return None
    model = _MODELS[kind]
    try:
        if isinstance(model, TypeAdapter):
            model.validate_python(data)
        else:
            model.model_validate(data)
    except ValidationError as exc:
        return [str(error["type"]) for error in exc.errors()]
    return []


# --- the bundled files ----------------------------------------------------------------------


def test_every_bundled_file_passes_its_schema() -> None:
    files = bundled_files()
    assert set(files) == set(BUNDLED.rglob("*.yaml"))  # no content file left out by a glob
    failures = {
        path.relative_to(BUNDLED).as_posix(): errors
        for path in files
        if (errors := schema_errors(kind_of(path), path.read_text(encoding="utf-8")))
    }
    assert failures == {}


# --- broken copies: the error is where the mistake is ---------------------------------------

MILESTONES = "slides/04-milestones.yaml"
ALLOWED_TYPES = (
    "['title', 'metrics', 'chart', 'timeline', 'text', 'diagram', 'quote', 'map', 'tiles']"
)


def broken(relative: str, old: str, new: str) -> str:
    """A bundled file with one mistake made in it."""
    text = (BUNDLED / relative).read_text(encoding="utf-8")
    assert text.count(old) == 1, (relative, old)
    return text.replace(old, new)


EXTRA = "Additional properties are not allowed ('{}' was unexpected)"
ANY_OF = "{} is not valid under any of the given schemas"


def check_table(cases: dict[str, tuple[str, str, str, str, str]]) -> None:
    """Each case: (file, text, its replacement, JSON path, message) of the one error expected.
    Every case is compared in one go, so a run shows every wrong report, not just the first."""
    actual = {
        name: schema_errors(kind_of(BUNDLED / file), broken(file, old, new))
        for name, (file, old, new, _, _) in cases.items()
    }
    expected = {name: [(where, message)] for name, (*_, where, message) in cases.items()}
    assert actual == expected


# fmt: off
def test_an_unknown_key_is_reported_on_its_mapping() -> None:
    check_table({
        "slide": (MILESTONES, "duration: 16\n", "duration: 16\ntitel: T\n", "$",
                  EXTRA.format("titel")),
        "event": (MILESTONES, "- date: 2010-06-18\n", "- date: 2010-06-18\n    lable: L\n",
                  "$.events[0]", EXTRA.format("lable")),
        "series": ("slides/08-shares.yaml", "  - name:", "  - nmae: N\n    name:",
                   "$.series[0]", EXTRA.format("nmae")),
        "deck": ("deck.yaml", "theme: rivers\n", "theme: rivers\nthem: rivers\n", "$",
                 EXTRA.format("them")),
        "metric": ("metrics/figures.yaml", "value: 1360\n", "value: 1360\n    vlaue: 1\n",
                   "$.metrics.area", EXTRA.format("vlaue")),
        "metric key": ("metrics/figures.yaml", "  area:\n", "  Area:\n", "$.metrics",
                       "'Area' does not match any of the regexes: '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
    })


def test_a_wrong_type_is_reported_at_the_value() -> None:
    check_table({
        "slide": (MILESTONES, "duration: 16", "duration: long", "$.duration",
                  ANY_OF.format("'long'")),
        "date": (MILESTONES, "- date: 2010-06-18", "- date: true", "$.events[0].date",
                 ANY_OF.format("True")),
        "text": (MILESTONES, "title: {zh: 发展历程, en: Milestones}", "title: [Milestones]",
                 "$.title", ANY_OF.format("['Milestones']")),
        "deck": ("deck.yaml", "slide_duration: 12", "slide_duration: 12s", "$.loop.slide_duration",
                 "'12s' is not of type 'number'"),
        "metric": ("metrics/figures.yaml", "value: 1360", "value: '1360'", "$.metrics.area.value",
                   "'1360' is not of type 'number'"),
    })


def test_a_misspelt_slide_type_is_reported_at_type_with_the_allowed_values() -> None:
    check_table({
        "misspelt": (MILESTONES, "type: timeline", "type: timelin", "$.type",
                     f"'timelin' is not one of {ALLOWED_TYPES}"),
        "a number": (MILESTONES, "type: timeline", "type: 3", "$.type",
                     f"3 is not one of {ALLOWED_TYPES}"),
        "missing": (MILESTONES, "type: timeline\n", "", "$", "'type' is a required property"),
    })
    assert repr(SLIDE_TYPE_NAMES) == ALLOWED_TYPES  # every type, in the models' order
# fmt: on


# --- check-jsonschema, as CI and a curator's pre-commit hook run it ------------------------


def run_check_jsonschema(kind: str, *files: Path) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip(f"check-jsonschema is not installed beside {sys.executable}")
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_jsonschema_passes_every_bundled_file() -> None:
    by_kind: dict[str, list[Path]] = {}
    for path in bundled_files():
        by_kind.setdefault(kind_of(path), []).append(path)
    for kind, files in by_kind.items():
        result = run_check_jsonschema(kind, *files)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "ok -- validation done" in result.stdout


def test_check_jsonschema_reports_a_misspelt_type_at_type(tmp_path: Path) -> None:
    copy_ = tmp_path / "04-milestones.yaml"
    copy_.write_text(broken(MILESTONES, "type: timeline", "type: timelin"), encoding="utf-8")
    result = run_check_jsonschema("slide", copy_)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert f"{copy_}::$.type: 'timelin' is not one of {ALLOWED_TYPES}" in lines, result.stdout
    assert "not valid under any of the given schemas" not in result.stdout


# --- the loader and the schema agree ---------------------------------------------------------

# One document of each kind (deck, metrics, each slide type) with every key written, so that
# every field is edited below.
FULL: dict[str, str] = {
    "deck": """\
title: {zh: 展, en: Show}
languages: [zh, en]
default_language: en
loop: {slide_duration: 12, idle_timeout: 60, transition: push, reduce_motion: false,
  languages: [en, zh], alternate: slide}
theme: rivers
metrics: [metrics/figures.yaml]
glossary: [两江新区, 西部陆海新通道]
slides: [slides/one.yaml]
""",
    "metrics": """\
metrics:
  nev-share:
    value: 30.5
    unit: "%"
    label: {zh: 份额, en: Share}
    qualifier: about
    format: percent
    decimals: 1
    detail: {zh: 细节, en: Detail}
    source: Source
    as_of: 2026-01
""",
    "title": """\
id: welcome
type: title
duration: 10
transition: none
source: {zh: 来源, en: Source}
kicker: K
title: {zh: 标题, en: Title}
subtitle: {en: Sub}
background: images/rivers.svg
""",
    "metrics slide": """\
id: glance
type: metrics
title: T
intro: I
note: N
tiles:
  - {metric: area, detail: D, icon: images/a.svg, chips: [X]}
""",
    "share chart": """\
id: shares
type: chart
kind: share
title: T
unit: "%"
note: N
categories:
  - {label: A, detail: D, hero: true, items: [X, Y]}
series:
  - {name: S, values: [40]}
""",
    "bar chart": """\
id: industries
type: chart
kind: bar
title: T
categories: [{label: A}, {}]
series:
  - {name: S, metrics: [a, b]}
  - {name: R, values: [1, 2.5]}
""",
    "timeline": """\
id: milestones
type: timeline
title: T
events:
  - {date: 2010-06-18, label: L, detail: D}
  - {date: 2026, until: 2030, label: L, detail: D}
  - {date: 2025-10, until: 2026-01, label: L, detail: D}
""",
    "text": """\
id: rivers
type: text
title: T
body: B
image: images/confluence.svg
image_caption: C
""",
    "diagram": """\
id: platforms
type: diagram
title: T
note: N
nodes:
  - {id: port, label: P, detail: D, x: 0.3, y: 0.5, kind: hub, icon: images/p.svg}
  - {id: air, label: A, detail: D, x: 1, y: 0}
links:
  - {from: port, to: air, label: L}
""",
    "quote": "id: imprint\ntype: quote\nquote: Q\nattribution: A\n",
    "tiles": """\
id: direction
type: tiles
title: T
intro: I
tiles:
  - {icon: images/a.svg, label: A, detail: D}
  - {icon: images/b.svg, label: B, detail: D}
""",
    "map": """\
id: where
type: map
title: T
intro: I
note: N
base: maps/here.yaml
base_names: false
aspect: 1.5
rivers:
  - {name: R, points: [[0, 0.5], [0.5, 0.4], [1, 0.3]], width: 2, color: gold, label_at: 0.3}
areas:
  - {label: A, points: [[0.2, 0.2], [0.8, 0.2], [0.5, 0.6]], label_at: [0.5, 0.3], detail: D,
    color: sky}
places:
  - {id: port, label: P, detail: D, x: 0.3, y: 0.5, kind: port}
  - {id: city, label: C, x: 1, y: 0}
""",
    "map base": """\
aspect: 2
rivers:
  - {name: R, points: [[0, 0.5], [1, 0.3]], width: 1.5, color: teal, label_at: 0.5}
  - {points: [[0, 0], [1, 1]]}
areas:
  - {label: A, points: [[0.2, 0.2], [0.8, 0.2], [0.5, 0.6]], detail: D}
""",
}

# What each value is replaced by in turn: every YAML type, and the edges of what the models
# take (whole years and their bounds, real and unreal dates, full-width digits, blank text,
# per-language text, the words of each choice, percentages, the bounds of seconds).
# fmt: off
VALUES: list[Any] = [
    None, True, 0, 1, -1, 0.5, 2.5, 100, 150, 3600, 3601, 999, 1000, 2026, 9999, 10000,
    "", " ", "\u3000", "\u00a0x", "x", "中", "a-b", "A b", "2026", "2025-10", "2024-02-29",
    "2023-02-29", "2026-00", "2026-13", "2026-1", "２０２６", "２０２６-０１", "images/x.svg",
    "percent", "share", "hub", "place", "en", "zh", "fade", "over",
    [], [1], [0.5, 2], ["zh"], ["en"], ["x"], ["a", "b"], [{}],
    {}, {"zh": "中"}, {"en": "E"}, {"zh": " ", "en": "E"}, {"fr": "F"}, {"zh": 1}, {"x": 1},
    {"zh": "中", "en": "E"},
]
# fmt: on

BEYOND_A_SCHEMA = {"series_length", "until_before", "duplicate_node", "duplicate_place"}
"""The loader's rules that no JSON Schema can state (a count equal to another, one date after
another, ids unique): documents the loader refuses only for these are left out."""

Path_ = tuple[str | int, ...]


def _paths(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _edited(data: Any, path: Path_, value: Any = None, *, delete: bool = False) -> str:
    """`data` with the value at `path` replaced (or removed), written back as YAML."""
    if not path:
        return yaml.dump(value, Dumper=_SafeDumper, allow_unicode=True)
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return yaml.dump(data, Dumper=_SafeDumper, allow_unicode=True)


def edits(text: str) -> Iterator[tuple[str, str]]:
    """Every document one edit away from `text`, with a word on the edit: each value replaced
    by each of VALUES, each key or item removed, an unknown key added to each mapping."""
    data = yaml.load(text, Loader=_SafeLoader)  # a safe loader: no Python objects
    yield "as written", text
    for path in _paths(data):
        for value in VALUES:
            yield f"{path} = {value!r}", _edited(data, path, value)
        if path:
            yield f"del {path}", _edited(data, path, delete=True)
        if isinstance(_at(data, path), dict):
            yield f"{path} + extra", _edited(data, (*path, "extra"), 1)


def _at(data: Any, path: Path_) -> Any:
    for key in path:
        data = data[key]
    return data


def _kind(name: str) -> str:
    return {"deck": "deck", "metrics": "metrics", "map base": "map"}.get(name, "slide")


@pytest.mark.parametrize("name", FULL)
def test_the_loader_and_the_schema_agree_on_every_edit(name: str) -> None:
    kind, text = _kind(name), FULL[name]
    assert loader_errors(kind, text) == [], "the document to edit must be valid"
    disagreements, judged = [], 0
    for edit, changed in edits(text):
        by_loader = loader_errors(kind, changed)
        if by_loader is None or (by_loader and set(by_loader) <= BEYOND_A_SCHEMA):
            continue
        judged += 1
        schema_refuses = not VALIDATORS[kind].is_valid(json_view(changed))
        if bool(by_loader) != schema_refuses:
            verdict = "refuses" if schema_refuses else "accepts"
            disagreements.append(f"{edit}: loader {by_loader or 'accepts'}, schema {verdict}")
    assert disagreements == []
    assert judged > 200  # the edits reached the validators


def test_whole_years_and_dates_are_accepted_by_both() -> None:
    event = "id: a\ntype: timeline\ntitle: T\nevents:\n- {{label: L, detail: D, {}}}\n"
    documents = [
        ("slide", event.format("date: 2026, until: 2030")),  # as slides/04-milestones.yaml
        ("slide", event.format("date: '2026', until: 2030-12")),
        ("slide", event.format("date: 2010-06-18, until: 2024-02-29")),
        ("slide", event.format("date: ２０２６")),
        ("metrics", "metrics:\n  a: {value: 1, label: L, detail: D, source: S, as_of: 2026}\n"),
    ]
    verdicts = {
        text: (loader_errors(kind, text), schema_errors(kind, text)) for kind, text in documents
    }
    assert verdicts == {text: ([], []) for _, text in documents}


def test_a_time_of_day_on_a_date_is_refused_by_both() -> None:
    """Once a gap: PyYAML's YAML 1.1 timestamp made a datetime, a date to the model. The reader
    reads YAML 1.2 now, as the schema's clients do, and both see text that is no date."""
    text = (
        "id: a\ntype: timeline\ntitle: T\nevents:\n"
        "- {date: 2010-06-18 10:00:00, label: L, detail: D}\n"
    )
    assert loader_errors("slide", text) == ["date_format"]
    assert schema_errors("slide", text) != []


def test_every_date_string_is_judged_alike() -> None:
    """Each day of each month (00 to 13, 00 to 32) of years around every leap-year rule, in
    ASCII and in full-width digits (as a Chinese input method types them), and the bounds of
    whole years: the schema of a date says yes exactly where the model does."""
    date_schema = Draft202012Validator(
        VALIDATORS["slide"].schema["$defs"]["Event"]["properties"]["date"]
    )
    years = ["0000", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "2100", "9999"]
    candidates: list[object] = [*years, "2026-1", "20261", "2026-", "-2026", " 2026", "2026-01-01x"]
    for year in years:
        for month in range(14):
            candidates.append(f"{year}-{month:02d}")
            candidates += [f"{year}-{month:02d}-{day:02d}" for day in range(33)]
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    candidates += [c.translate(wide) for c in candidates if isinstance(c, str)]
    candidates += ["２０２4-02-29", "2024-０２-29", *range(990, 1010), *range(9990, 10010), -2026]

    def by_model(value: object) -> bool:
        try:
            Event.model_validate({"date": value, "label": "L", "detail": "D"})
        except ValidationError:
            return False
        return True

    wrong = [c for c in candidates if date_schema.is_valid(c) != by_model(c)]
    assert wrong == []
    assert sum(map(by_model, candidates)) > 1000  # real dates among them, not only refusals


def test_blank_text_is_judged_alike() -> None:
    """The schema's whitespace is `str.strip()`'s, character for character."""
    text = VALIDATORS["slide"].schema["$defs"]["Text"]
    pattern = re.compile(text["anyOf"][0]["pattern"])
    wrong = [
        hex(code)
        for code in range(0x110000)
        if (pattern.search(chr(code)) is None) != (chr(code).strip() == "")
    ]
    assert wrong == []
    text_schema = Draft202012Validator(text)
    for value in ["\u3000", "\u2028 \x1c", "\x85", "\ufeff", "x", " x ", {"zh": "\u3000"}]:
        try:
            Text.model_validate(value)
        except ValidationError:
            assert not text_schema.is_valid(value), repr(value)
        else:
            assert text_schema.is_valid(value), repr(value)


# What the two still judge differently, and why. Each is pinned so that a change shows here:
# when one agrees, move it to the tests above.
GAPS = {
    # JSON has one kind of number: 2.0 is an integer to every JSON Schema validator.
    "integral float for a whole number": (
        "metrics",
        "metrics:\n  a: {value: 1, decimals: 2.0, label: L, detail: D, source: S, as_of: 2026}\n",
        "loader",
    ),
    # JSON has no infinity either; `allow_inf_nan=False` refuses YAML's .inf.
    "infinity": (
        "metrics",
        "metrics:\n  a: {value: .inf, label: L, detail: D, source: S, as_of: 2026}\n",
        "loader",
    ),
    # Link sets populate_by_name, so the model also takes its Python field name `from_`.
    "from_ for from": (
        "slide",
        "id: a\ntype: diagram\ntitle: T\nnodes:\n- {id: p, label: P, detail: D, x: 0, y: 0}\n"
        "links:\n- {from_: p, to: p}\n",
        "schema",
    ),
    # Python's \d is the digits of every script; the schema takes ASCII and full width.
    "Arabic-Indic digits": (
        "slide",
        "id: a\ntype: timeline\ntitle: T\nevents:\n- {date: ٢٠٢٦, label: L, detail: D}\n",
        "schema",
    ),
}


@pytest.mark.parametrize("name", GAPS)
def test_known_gaps_are_still_gaps(name: str) -> None:
    kind, text, refuses = GAPS[name]
    by_loader, by_schema = loader_errors(kind, text) == [], schema_errors(kind, text) == []
    assert (by_loader, by_schema) == (refuses == "schema", refuses == "loader")
