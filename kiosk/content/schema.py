"""JSON Schemas of the content files, generated from the models, for curators' editors."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from kiosk.content.model import (
    SLIDE_TYPES,
    DeckFile,
    MapBase,
    MetricsFile,
    Slide,
    slide_type_name,
)

SCHEMA_KINDS = ("deck", "slide", "metrics", "map")
SCHEMA_FOLDER = "schema"
"""Where a content folder keeps its schemas, so `$schema=` lines resolve inside the folder."""

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class ContentJsonSchema(GenerateJsonSchema):
    """Pydantic's generator, speaking plain JSON Schema rather than OpenAPI.

    Pydantic writes a tagged union as `oneOf` plus OpenAPI's `discriminator`, a keyword JSON
    Schema validators ignore: a misspelt `type:` then fails every branch at once and editors and
    check-jsonschema say only "not valid under any of the given schemas". Here the tag is a
    property of its own, an `enum` of every tag (so a wrong one is reported at the tag with the
    values allowed), and each tag selects its branch with `if`/`then`. Each branch keeps its
    own `additionalProperties: false`, which sees that branch's `properties`, so unknown keys
    are still refused per kind of slide.
    """

    def tagged_union_schema(self, schema: core_schema.TaggedUnionSchema) -> JsonSchemaValue:
        tag = schema["discriminator"]
        if not isinstance(tag, str):  # a callable or nested path: keep pydantic's form
            return super().tagged_union_schema(schema)
        branches = {
            str(value): self.generate_inner(choice) for value, choice in schema["choices"].items()
        }
        # `required` in each `if`: without it an absent tag would pass every `if` and the file
        # would be held to every branch at once (one error per branch, none of them useful).
        return {
            "type": "object",
            "required": [tag],
            "properties": {tag: {"enum": list(branches)}},
            "allOf": [
                {"if": {"properties": {tag: {"const": value}}, "required": [tag]}, "then": branch}
                for value, branch in branches.items()
            ],
        }


def _slide_schema() -> dict[str, Any]:
    schema = TypeAdapter(Slide).json_schema(schema_generator=ContentJsonSchema)
    kinds = ", ".join(slide_type_name(cls) for cls in SLIDE_TYPES)
    # Editors show these on hover and beside each completion of `type:`; the branches' own
    # descriptions are not reached until a type is chosen.
    schema["properties"]["type"].update(
        description=f"The kind of slide: {kinds}",
        enumDescriptions=[_first_line(cls) for cls in SLIDE_TYPES],
    )
    return {
        "title": "Slide",
        "description": "A slide file: `type` picks the kind of slide.",
        **schema,
    }


def _first_line(cls: type) -> str:
    return (inspect.getdoc(cls) or "").splitlines()[0]


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of content file."""
    if kind == "deck":
        schema = DeckFile.model_json_schema(schema_generator=ContentJsonSchema)
    elif kind == "metrics":
        schema = MetricsFile.model_json_schema(schema_generator=ContentJsonSchema)
    elif kind == "slide":
        schema = _slide_schema()
    elif kind == "map":
        schema = MapBase.model_json_schema(schema_generator=ContentJsonSchema)
    else:
        raise ValueError(f"unknown schema kind {kind!r}")
    return {"$schema": DIALECT, **schema}


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
