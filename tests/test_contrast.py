"""WCAG 2.2 contrast: the formula against known values, the table of pairs, every theme."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.content.audit import audit_deck, check_contrast
from kiosk.content.contrast import (
    PAIRS,
    Pair,
    composite,
    contrast_ratio,
    layers,
    measure,
    nearest_passing,
    parse_color,
    relative_luminance,
    stack_color,
)
from kiosk.content.loader import load_deck
from kiosk.content.theme import THEMES, Colors, load_theme, theme_names
from tests.helpers.show import BUNDLED


def rgb(text: str) -> tuple[float, float, float]:
    return parse_color(text)[0]


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#000000", 21.0),  # the order does not matter
        ("#777777", "#FFFFFF", 4.48),  # the grey that just fails body text on white
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes
        ("#595959", "#FFFFFF", 7.0),  # AAA
        ("#FF0000", "#FFFFFF", 4.0),
        ("#0000FF", "#FFFFFF", 8.59),
        ("#00FF00", "#000000", 15.3),
        ("#FFF", "#FFFFFF", 1.0),  # the short form
        ("#F2F5F7", "#0B1E2D", 15.49),  # rivers: text on the background
        ("#9FB3C2", "#12293B", 6.9),  # rivers: muted on a panel
    ],
)
def test_ratio_of_known_pairs(a: str, b: str, ratio: float) -> None:
    assert contrast_ratio(rgb(a), rgb(b)) == pytest.approx(ratio, abs=0.01)


def test_luminance_and_compositing() -> None:
    assert relative_luminance(rgb("#FFFFFF")) == 1.0
    assert relative_luminance(rgb("#000000")) == 0.0
    # Black at half opacity over white is mid grey in sRGB values, as QPainter blends.
    assert composite(rgb("#000000"), 0.5, rgb("#FFFFFF")) == (0.5, 0.5, 0.5)
    colors = load_theme("rivers").colors
    # The chrome's button: the panel at 90 % over the background.
    button = stack_color("background + panel@0.9", colors)
    expected = composite(rgb(colors.panel), 0.9, rgb(colors.background))
    assert button == pytest.approx(expected)
    assert [str(layer) for layer in layers("background + panel@0.9")] == [
        "background",
        "panel at 90 %",
    ]


@pytest.mark.parametrize(
    ("text", "expected", "alpha"),
    [
        ("#0B1E2D", (11 / 255, 30 / 255, 45 / 255), 1.0),
        ("#80FFFFFF", (1.0, 1.0, 1.0), 128 / 255),  # Qt's #AARRGGBB
        ("white", (1.0, 1.0, 1.0), 1.0),
    ],
)
def test_parse_color(text: str, expected: tuple[float, float, float], alpha: float) -> None:
    color, opacity = parse_color(text)
    assert (color, opacity) == (pytest.approx(expected), pytest.approx(alpha))


@pytest.mark.parametrize("text", ["teal", "#12345", "rgb(0,0,0)", ""])
def test_parse_color_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a colour this audit reads"):
        parse_color(text)


@pytest.mark.parametrize(
    ("pair", "role"),
    [
        (Pair("body", "text", "background", size="caption"), "text"),  # 20 px
        (Pair("label", "text", "background", size="label"), "large text"),  # 26 px
        (Pair("24 px", "text", "background", size=24), "large text"),
        (Pair("bold 18.7 px", "text", "background", size=18.7, bold=True), "large text"),
        (Pair("18.7 px", "text", "background", size=18.7), "text"),
        (Pair("icon", "text", "background", kind="control"), "control"),
        (Pair("bar", "teal", "background", kind="graphic"), "graphic"),
    ],
)
def test_roles(pair: Pair, role: str) -> None:
    assert pair.role(load_theme("rivers")) == role


def test_the_table_names_only_theme_colours() -> None:
    names = set(Colors.model_fields)
    for pair in PAIRS:
        for layer in (*layers(pair.ink), *layers(pair.ground)):
            assert layer.color in names, pair
            assert 0 < layer.alpha <= 1, pair
        assert layers(pair.ground)[0].alpha == 1, pair  # a ground starts opaque
    assert len({p.used for p in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("name", theme_names())
def test_every_theme_passes(name: str) -> None:
    failing = [(m.pair.used, round(m.ratio, 2)) for m in measure(load_theme(name)) if not m.passed]
    assert failing == []


def test_the_themes_are_the_kiosks_own() -> None:
    assert theme_names() == ["contrast", "rivers"]


def failing_theme(folder: Path, **colors: str) -> Path:
    """A copy of the rivers theme in `folder` with some colours changed."""
    folder.mkdir()
    path = folder / "rivers.yaml"
    shutil.copy(THEMES / "rivers.yaml", path)
    text = path.read_text(encoding="utf-8")
    for name, value in colors.items():
        start = text.index(f"  {name}: ")
        end = text.index("\n", start)
        text = text[:start] + f'  {name}: "{value}"' + text[end:]
    path.write_text(text, encoding="utf-8")
    return path


def test_a_failing_theme_is_reported_with_its_pair_and_ratio(tmp_path: Path) -> None:
    path = failing_theme(tmp_path / "themes", muted="#4A5A66")
    line = path.read_text(encoding="utf-8").splitlines().index('  muted: "#4A5A66"') + 1
    deck = load_deck(BUNDLED)
    audit = audit_deck(deck, checks=[check_contrast], extra={"themes": tmp_path / "themes"})
    problems = [str(p) for p in audit.problems()]
    at = f"{path}:{line}:10: theme rivers:"
    assert problems[:2] == [
        f"{at} slide intro: muted on background is 2.38:1, under the 3:1 WCAG 2.2 AA asks of "
        "large text; nearest passing: muted #5C6B75",
        f"{at} source line: muted on background is 2.38:1, under the 4.5:1 WCAG 2.2 AA asks "
        "of text; nearest passing: muted #7B878F",
    ]
    assert (
        f"{at} progress dots, other slides: muted at 55 % on background is 1.56:1, under the "
        "3:1 WCAG 2.2 AA asks of a control; nearest passing: muted #9FA8AE"
    ) in problems
    assert all(f.kind == "contrast" and f.severity == "error" for f in audit.findings)
    # Only the changed colour's pairs fail.
    assert all("muted" in p for p in problems)


def test_a_theme_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    failing_theme(tmp_path / "themes", teal="teal-ish")
    audit = audit_deck(
        load_deck(BUNDLED), checks=[check_contrast], extra={"themes": tmp_path / "themes"}
    )
    assert [f.message for f in audit.findings] == [
        "theme rivers: cannot be measured: not a colour this audit reads: 'teal-ish' "
        "(write #RRGGBB)"
    ]


def test_the_nearest_passing_colour_passes() -> None:
    theme = load_theme("rivers")
    weak = theme.model_copy(update={"colors": theme.colors.model_copy(update={"muted": "#3A4A56"})})
    for m in measure(weak):
        if m.passed:
            continue
        said = nearest_passing(m, weak.colors)
        ink = said.split()[-1]
        # "muted #6C7A85" (drawn at full strength), or "muted at 55 % raised to 80 %".
        spec = ink if ink.startswith("#") else f"muted@{int(said.split()[-2]) / 100}"
        fixed = replace(m.pair, ink=spec)
        (again,) = measure(weak, [fixed])
        assert again.passed, (m.pair.used, said)
