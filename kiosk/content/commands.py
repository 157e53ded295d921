"""The curator's commands on a content folder: `kiosk validate`, `kiosk audit`, `kiosk schema`,
and the check the other commands make before they play a deck."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from kiosk.content.audit import Check
    from kiosk.content.loader import Deck


def validate_main(folder: Path, *, strict: bool) -> int:
    """`kiosk validate`: every problem as file:line:col on stdout, the summary last."""
    from kiosk.content.loader import check_folder

    deck, problems = check_folder(folder)
    errors = [p for p in problems if p.is_error or strict]
    # Findings are the command's output, as a linter's are: on stdout, the summary last, so
    # `kiosk validate DIR | grep ...` and editors' problem matchers see them.
    for problem in problems:
        print(problem)
    warnings = len(problems) - len([p for p in problems if p.is_error])
    if deck is None or errors:
        print(f"{folder}: not valid ({len(errors)} error{'s' if len(errors) != 1 else ''})")
        return 1
    note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    print(f"{folder}: valid, {len(deck.slides)} slides, {len(deck.metrics)} figures{note}")
    return 0


def audit_main(
    folder: Path,
    *,
    as_json: bool,
    strict: bool,
    checks: Sequence[Check] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> int:
    """`kiosk audit`: each slide's text counted and timed, and the findings as file:line:col.

    Exit 0 when clean or with warnings only, 1 with `strict` and any finding, 2 when the
    content is not valid (its problems are printed as validate prints them). `checks` are
    the content's own (`audit.CHECKS`) unless given: a layer above content (the screen, the
    themes as drawn) adds its checks by passing them from the command line's entry, with
    what they read in `extra` (the context's)."""
    import json

    from kiosk.content.audit import CHECKS, audit_deck, audit_json, audit_summary, table_lines
    from kiosk.content.loader import check_folder

    deck, problems = check_folder(folder)
    if deck is None:
        errors = [p for p in problems if p.is_error]
        if as_json:
            shown = [
                {
                    "severity": p.severity,
                    "message": p.message,
                    "location": {"file": p.path, "line": p.line, "column": p.col},
                }
                for p in problems
            ]
            report = {"folder": str(folder), "valid": False, "problems": shown}
            sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        else:
            for problem in problems:
                print(problem)
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            print(f"{folder}: not valid ({count}); `kiosk validate` says the same")
        return 2
    audit = audit_deck(deck, CHECKS if checks is None else checks, extra)
    if as_json:
        report = audit_json(audit, str(folder), strict=strict)
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        for line in table_lines(audit):
            print(line)
        for problem in audit.problems():
            print(problem)
        print(audit_summary(audit, str(folder), strict=strict))
    return 0 if audit.passed(strict=strict) else 1


def schema_main(*, kind: str | None, write: Path | None, reference: bool) -> int:
    """`kiosk schema`: the JSON Schema of one file kind or all, written out, or the reference."""
    import json

    from kiosk.content.schema import SCHEMA_KINDS, schema_for, schema_text, write_schemas

    if reference:
        from kiosk.content.reference import reference_markdown

        sys.stdout.write(reference_markdown())
        return 0
    if write:
        for path in write_schemas(write):
            print(path)
        return 0
    if kind:
        sys.stdout.write(schema_text(kind))
    else:
        bundle = {kind: schema_for(kind) for kind in SCHEMA_KINDS}
        sys.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
    return 0


def load_or_report(folder: Path) -> Deck | None:
    """The folder's deck, printing every problem; None (and a last line) when not valid."""
    from kiosk.content.loader import check_folder

    deck, problems = check_folder(folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if deck is None:
        print(f"{folder}: not valid; fix the errors above", file=sys.stderr)
    return deck
