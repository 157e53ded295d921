"""Turning pydantic's validation errors into located messages in a curator's words."""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kiosk.content.problems import Problem, did_you_mean, quoted
from kiosk.content.yamlfile import Path_, YamlDocument

SLUG_HINT = "lower-case letters and digits joined by hyphens, like nev-share"


def display_path(parts: tuple[Any, ...]) -> str:
    """`('series', 1, 'values', 2)` as a curator reads it: `series[1].values[2]`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin is Union or origin is types.UnionType:
            members = [a for a in get_args(tp) if a is not type(None)]
            structured = [
                a
                for a in members
                if get_origin(_strip(a)) in (list, dict)
                or (isinstance(_strip(a), type) and issubclass(_strip(a), BaseModel))
            ]
            tp = (structured or members)[0]
        else:
            return tp


def _strip(tp: Any) -> Any:
    return get_args(tp)[0] if get_origin(tp) is Annotated else tp


def model_at(root: Any, path: Path_) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` under `root`, if there is one."""
    tp = root
    for step in path:
        tp = _unwrap(tp)
        origin = get_origin(tp)
        if origin is list and isinstance(step, int):
            tp = get_args(tp)[0]
        elif origin is dict:
            tp = get_args(tp)[1]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = next((f for n, f in tp.model_fields.items() if (f.alias or n) == step), None)
            if field is None:
                return None
            tp = field.annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a curator may write in a mapping validated by `model`."""
    return [f.alias or n for n, f in model.model_fields.items()]


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def humanize(
    error: Mapping[str, Any], model: type[BaseModel] | None, *, written: str | None = None
) -> str:
    """One pydantic error as a curator's sentence; `model` is the mapping's model, if known,
    and `written` the value as the curator wrote it when that was not text (`010`, `1e999`)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    got = written if written is not None and not isinstance(given, str) else quoted(given)
    loc = error["loc"]
    if kind == "missing":
        return f"missing required key {quoted(loc[-1])}"
    if kind == "extra_forbidden":
        names = field_names(model) if model else []
        hint = did_you_mean(str(loc[-1]), names)
        if not hint and names:
            hint = f" (allowed here: {', '.join(names)})"
        return f"unknown key {quoted(loc[-1])}{hint}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        if isinstance(given, str) and any(c.isdigit() for c in given):
            # Text with digits is a number written in a form YAML does not read as one.
            return f"expected a number, got {got} (write a number like 12, -3.5 or 1.2e6)"
        return f"expected a number, got {got}"
    if kind == "int_from_float":
        return f"expected a whole number, got {got}"
    if kind == "finite_number":
        return f"expected a finite number, got {got}"
    if kind == "string_type":
        return f"expected text, got {got} (put it in quotes to keep it as text)"
    if kind == "bool_type":
        return f"expected true or false, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {got}"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(error.get("input")), options)
        return f"expected one of {', '.join(options)}, got {got}{hint}"
    if kind == "string_pattern_mismatch":
        return f"expected {SLUG_HINT}, got {got}"
    if kind == "string_too_short":
        return "may not be empty"
    if kind == "greater_than":
        return f"must be greater than {_num(ctx['gt'])}, got {got}"
    if kind == "greater_than_equal":
        return f"must be at least {_num(ctx['ge'])}, got {got}"
    if kind == "less_than":
        return f"must be less than {_num(ctx['lt'])}, got {got}"
    if kind == "less_than_equal":
        return f"must be at most {_num(ctx['le'])}, got {got}"
    if kind == "too_short":
        return f"needs at least {_plural(ctx['min_length'], 'item')}, has {ctx['actual_length']}"
    if kind == "too_long":
        # pydantic counts a list but not a mapping (it stops at the first key too many).
        actual = ctx.get("actual_length")
        if actual is None:
            return f"has more than the {ctx['max_length']:,} items allowed"
        return f"{actual:,} items is more than the {ctx['max_length']:,} allowed"
    if kind == "string_too_long":
        given = error.get("input")
        if isinstance(given, str):
            return f"{len(given):,} characters is more than the {ctx['max_length']:,} allowed"
        return f"is longer than the {ctx['max_length']:,} characters allowed"
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        hint = did_you_mean(str(ctx.get("tag")), tags) or f" (types: {', '.join(tags)})"
        return f"unknown slide type {quoted(ctx.get('tag'))}{hint}"
    if kind == "union_tag_not_found":
        return 'missing required key "type" (the kind of slide: title, metrics, chart, ...)'
    message = str(error.get("msg", kind))
    return message.removeprefix("Value error, ")


def located(
    doc: YamlDocument,
    exc: ValidationError,
    root: Any,
    *,
    tagged: bool = False,
) -> list[Problem]:
    """Every error of `exc` as a Problem placed in `doc`.

    With `tagged`, the first part of each error's loc is a discriminated union's tag (the slide
    type): it is shown (`chart.series[1]`) but is not a step into the data.
    """
    problems: list[Problem] = []
    data_root = root
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        shown = loc
        if tagged and error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            path: Path_ = ("type",) if error["type"] == "union_tag_invalid" else ()
            problems.append(doc.problem(path, humanize(error, None)))
            continue
        if tagged and loc:
            tag = loc[0]
            loc = loc[1:]
            data_root = _variant(root, tag)
        at_key = False
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            shown = shown[:-1]
            at_key = True
            error = {**error, "loc": loc}
        if error["type"] == "missing":
            path = loc[:-1]
        elif error["type"] == "extra_forbidden":
            path, at_key = loc, True
        else:
            path = loc
        model = model_at(data_root, loc[:-1]) if loc else None
        written = doc.written.get(loc) if error["type"] != "missing" else None
        message = humanize(error, model, written=written)
        where = display_path(tuple(shown))
        text = f"{where}: {message}" if where else message
        problems.append(doc.problem(path, text, at_key=at_key))
    return problems


def _variant(root: Any, tag: Any) -> Any:
    for member in get_args(_strip(root)):
        fields = getattr(member, "model_fields", {})
        annotation = fields["type"].annotation if "type" in fields else None
        if annotation is not None and tag in get_args(annotation):
            return member
    return root
