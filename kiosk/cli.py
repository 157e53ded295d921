"""The `kiosk` command: run the show, and the curator's and installer's tools around it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

BUNDLED_CONTENT = Path(__file__).resolve().parent.parent / "content"


def default_content() -> Path:
    """The bundled Liangjiang deck (beside the package in a checkout), else ./content."""
    return BUNDLED_CONTENT if (BUNDLED_CONTENT / "deck.yaml").is_file() else Path("content")


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="content folder (default: the bundled Liangjiang deck)",
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from kiosk.content.loader import check_folder

    folder = args.dir or default_content()
    deck, problems = check_folder(folder)
    errors = [p for p in problems if p.is_error or args.strict]
    for problem in problems:
        print(problem, file=sys.stderr)
    warnings = len(problems) - len([p for p in problems if p.is_error])
    if deck is None or errors:
        print(
            f"{folder}: not valid ({len(errors)} error{'s' if len(errors) != 1 else ''})",
            file=sys.stderr,
        )
        return 1
    note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    print(f"{folder}: valid, {len(deck.slides)} slides, {len(deck.metrics)} figures{note}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from kiosk.content.schema import SCHEMA_KINDS, schema_for, schema_text, write_schemas

    if args.reference:
        from kiosk.content.reference import reference_markdown

        sys.stdout.write(reference_markdown())
        return 0
    if args.write:
        for path in write_schemas(args.write):
            print(path)
        return 0
    if args.kind:
        sys.stdout.write(schema_text(args.kind))
    else:
        bundle = {kind: schema_for(kind) for kind in SCHEMA_KINDS}
        sys.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Liangjiang Kiosk: an exhibition touch-screen show from YAML content.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate", help="check a content folder and report every problem as file:line:col"
    )
    _content_arg(validate)
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="print the JSON Schema of the content files")
    schema.add_argument(
        "--kind", choices=("deck", "slide", "metrics"), help="print only this file kind's schema"
    )
    schema.add_argument(
        "--write", type=Path, metavar="FOLDER", help="write deck/slide/metrics.schema.json there"
    )
    schema.add_argument(
        "--reference", action="store_true", help="print the curator's reference in Markdown"
    )
    schema.set_defaults(func=cmd_schema)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script and `python -m kiosk`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
