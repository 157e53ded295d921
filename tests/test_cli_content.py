"""The curator's commands: validate, schema, and the reference generated from the models."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.reference import reference_markdown
from kiosk.content.schema import SCHEMA_KINDS, schema_text
from tests.helpers.show import BUNDLED, REPO


def test_validate_valid_folder(show: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(show)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{show}: valid, 2 slides, 2 figures\n"
    assert err == ""


def test_validate_reports_all_errors_and_fails(
    show: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (show / "slides" / "one.yaml").write_text("id: one\ntype: title\ntitel: T\n")
    assert main(["validate", str(show)]) == 1
    out, err = capsys.readouterr()
    # Findings are the output, as a linter's are: on stdout, the summary last.
    assert err == ""
    assert out.splitlines() == [
        'slides/one.yaml:1:1: title.title: missing required key "title"',
        'slides/one.yaml:3:1: title.titel: unknown key "titel"; did you mean "title"?',
        f"{show}: not valid (2 errors)",
    ]


def test_strict_turns_warnings_into_errors(show: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (show / "slides" / "spare.yaml").write_text(
        "id: spare\ntype: quote\nquote: Q\nattribution: A\n"
    )
    assert main(["validate", str(show)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{show}: valid, 2 slides, 2 figures, 1 warning"
    assert out[0].startswith("slides/spare.yaml")
    assert main(["validate", "--strict", str(show)]) == 1
    out, err = capsys.readouterr()
    assert (out.splitlines()[-1], err) == (f"{show}: not valid (1 error)", "")


def test_bundled_deck_is_valid_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(BUNDLED)]) == 0


def test_validate_defaults_to_the_bundled_deck(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith(f"{BUNDLED}: valid")


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate", str(BUNDLED)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_schema_prints_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert sorted(bundle) == sorted(SCHEMA_KINDS)
    slide = bundle["slide"]
    assert "discriminator" not in slide  # OpenAPI's keyword; JSON Schema validators ignore it
    assert slide["properties"]["type"]["enum"][0] == "title"
    chart = slide["$defs"]["ChartSlide"]
    assert chart["additionalProperties"] is False
    assert chart["properties"]["kind"]["description"] == "The kind of chart"


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_files_in_the_repo_are_up_to_date(kind: str) -> None:
    path = BUNDLED / "schema" / f"{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"{path} is stale: run `kiosk schema --write content/schema`"
    )


def test_every_bundled_file_names_its_schema() -> None:
    for path in sorted(BUNDLED.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "deck" if path.name == "deck.yaml" else path.parent.name.rstrip("s")
        kind = {"slide": "slide", "metric": "metrics"}.get(kind, kind)
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert first.startswith("# yaml-language-server: $schema="), path
        assert target == (BUNDLED / "schema" / f"{kind}.schema.json").resolve(), path


def test_reference_is_up_to_date() -> None:
    path = REPO / "docs" / "content.md"
    assert path.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/content.md is stale: run `kiosk schema --reference > docs/content.md`"
    )


def test_reference_examples_are_valid_slides(tmp_path: Path) -> None:
    from pydantic import TypeAdapter

    from kiosk.content.model import SLIDE_TYPES, Slide
    from kiosk.content.yamlfile import parse_yaml_bytes

    adapter: TypeAdapter[object] = TypeAdapter(Slide)
    for cls in SLIDE_TYPES:
        doc = parse_yaml_bytes(cls.example.encode(), "example.yaml")
        assert isinstance(adapter.validate_python(doc.data), cls)
        assert f"### `type: {doc.data['type']}`" in reference_markdown()
