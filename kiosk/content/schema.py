"""JSON Schemas of the content files, generated from the models, for curators' editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from kiosk.content.model import DeckFile, MetricsFile, Slide

SCHEMA_KINDS = ("deck", "slide", "metrics")
SCHEMA_FOLDER = "schema"
"""Where a content folder keeps its schemas, so `$schema=` lines resolve inside the folder."""


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of content file."""
    if kind == "deck":
        schema = DeckFile.model_json_schema()
    elif kind == "metrics":
        schema = MetricsFile.model_json_schema()
    elif kind == "slide":
        schema = TypeAdapter(Slide).json_schema()
        schema["title"] = "Slide"
        schema["description"] = "A slide file: `type` picks the kind of slide."
    else:
        raise ValueError(f"unknown schema kind {kind!r}")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text(kind: str) -> str:
    """The schema as the text written to `<kind>.schema.json`."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMA_KINDS:
        path = folder / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
