"""Touch targets and reach: the screen as mounted (kiosk.yaml display:, the deck's reference
screens), the geometry, and kiosk audit's measures of the chrome's controls and the slides'
tap targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.cli import main
from kiosk.content.model.screen import DEFAULT_SCREENS, Mounting
from kiosk.content.physical import Physical
from kiosk.content.problems import ContentError
from kiosk.ops.config import load_config
from tests.helpers.show import BUNDLED

# -- the geometry ---------------------------------------------------------------------------


def test_a_55_inch_screen_in_millimetres_and_metres() -> None:
    screen = Physical.of("hall", Mounting(diagonal=55, bottom=0.75))
    assert (screen.width_mm, screen.height_mm) == pytest.approx((1217.6, 684.9), abs=0.1)
    assert screen.mm_per_px == pytest.approx((0.6342, 0.6342), abs=1e-4)
    assert screen.size_mm(64, 32) == pytest.approx((40.6, 20.3), abs=0.1)
    assert screen.height_m(1080) == 0.75  # the picture's bottom row
    assert screen.top_m == pytest.approx(1.435, abs=1e-3)
    # The reach line: 0.45 m above the bottom edge, 709.6 px up from it.
    assert screen.reach_row() == pytest.approx(1080 - 450 / 0.6342, abs=0.1)
    assert screen.height_m(screen.reach_row()) == pytest.approx(1.2)
    assert screen.describe() == "hall (1920x1080, 1218 x 685 mm, from 0.75 to 1.43 m)"


def test_a_screen_given_in_millimetres() -> None:
    screen = Physical.of(
        "portrait",
        Mounting(resolution="1080x1920", width_mm=680, height_mm=1210, bottom=0.4, reach=1.1),
    )
    assert (screen.width_px, screen.height_px, screen.width_mm) == (1080, 1920, 680)
    assert screen.mm_per_px[1] == pytest.approx(1210 / 1920)
    assert screen.reach_m == 1.1


def test_the_reference_screens() -> None:
    # ADA 308.2 / EN 17210: 1.2 m; a 55-inch landscape screen and a 55-inch portrait one.
    assert [(s.name, s.resolution, s.diagonal, s.bottom, s.reach) for s in DEFAULT_SCREENS] == [
        ("landscape-55", "1920x1080", 55, 0.75, 1.2),
        ("portrait-55", "1080x1920", 55, 0.5, 1.2),
    ]


CONFIGS = [
    (
        "display:\n  bottom: 0.8\n",
        "kiosk.yaml:4:3: display: give the picture's size: diagonal (inches), or width_mm and "
        "height_mm",
    ),
    (
        "display:\n  diagonal: 55\n  width_mm: 1210\n  height_mm: 680\n  bottom: 0.8\n",
        "kiosk.yaml:4:3: display: give diagonal or width_mm and height_mm, not both",
    ),
    (
        "display:\n  width_mm: 680\n  height_mm: 1210\n  bottom: 0.8\n",
        "kiosk.yaml:4:3: display: width_mm and height_mm (680 x 1210 mm) are not the shape of "
        "1920x1080 pixels: give resolution as the screen shows the show (1080x1920 in portrait)",
    ),
    (
        "display:\n  diagonal: 55\n  bottom: 0.8\n  reach: 12\n",
        "kiosk.yaml:6:10: display.reach: must be at most 2.5, got 12",
    ),
    (
        "display:\n  diagonal: 55\n",
        'kiosk.yaml:4:3: display.bottom: missing required key "bottom"',
    ),
    (
        "display:\n  diagonal: 55\n  bottom: 0.8\n  resolution: 1920 by 1080\n",
        "kiosk.yaml:6:15: display.resolution: ",
    ),
    (
        "display:\n  diagonal: 55\n  botom: 0.8\n",
        'kiosk.yaml:5:3: display.botom: unknown key "botom"; did you mean "bottom"?',
    ),
]


@pytest.mark.parametrize(("display", "message"), CONFIGS, ids=range(len(CONFIGS)))
def test_display_errors_are_located(tmp_path: Path, display: str, message: str) -> None:
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {BUNDLED}\n\n" + display, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(config)
    said = [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems]
    assert any(s.startswith(message) for s in said), said


def test_the_display_is_read(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.yaml"
    config.write_text(
        f"content: {BUNDLED}\ndisplay: {{resolution: 1080x1920, diagonal: 43, bottom: 0.5}}\n",
        encoding="utf-8",
    )
    display = load_config(config).display
    assert display is not None
    assert (display.resolution, display.diagonal, display.bottom, display.reach) == (
        "1080x1920",
        43,
        0.5,
        1.2,
    )
    assert load_config(tmp_path / "kiosk.yaml").display == display
    (tmp_path / "bare.yaml").write_text(f"content: {BUNDLED}\n", encoding="utf-8")
    assert load_config(tmp_path / "bare.yaml").display is None


# -- the audit on a screen ------------------------------------------------------------------


def hall(tmp_path: Path, display: str, content: Path = BUNDLED) -> Path:
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {content}\ndisplay: {display}\n", encoding="utf-8")
    return config


def audit_lines(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["audit", *args])
    return status, capsys.readouterr().out.splitlines()


def test_a_tiny_screen_fails_the_9_mm_check(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = hall(tmp_path, "{diagonal: 10, bottom: 0.8}")
    status, lines = audit_lines(capsys, "--config", str(config))
    assert status == 1  # an undersized control is an error, --strict or not
    screen = "the hall's screen (1920x1080, 221 x 125 mm, from 0.80 to 0.92 m)"
    assert (
        f"{config}:2:10: {screen}: the 'listen' control is 8.3 x 8.3 mm, under the 9 mm a "
        "fingertip needs on its smaller side"
    ) in lines
    assert (
        f"{config}:2:10: {screen}: the progress dots are 4.3 x 8.3 mm, under the 9 mm a "
        "fingertip needs on its smaller side"
    ) in lines
    assert (
        f"{config}:2:10: {screen}: a card's close button is 8.3 x 8.3 mm, under the 9 mm a "
        "fingertip needs on its smaller side"
    ) in lines
    # The slides' own tap targets too, placed at their slide.
    assert (
        f"slides/02-where.yaml:4:5: {screen}: where: the tap target place:yubei is 9.6 x 7.4 "
        "mm, under the 9 mm a fingertip needs on its smaller side"
    ) in lines
    assert lines[-1].startswith(f"{BUNDLED}: audit failed (")


def test_a_screen_mounted_too_high_fails_reach(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = hall(tmp_path, "{diagonal: 55, bottom: 1.3}")
    status, lines = audit_lines(capsys, "--config", str(config))
    assert status == 1
    screen = "the hall's screen (1920x1080, 1218 x 685 mm, from 1.30 to 1.98 m)"
    assert (
        f"{config}:2:10: {screen}: the 'next' control's top edge is 1.36 m above the floor, "
        "out of reach (1.2 m: a visitor in a wheelchair, ADA 308.2, EN 17210): mount the "
        "screen lower"
    ) in lines
    reach = [line for line in lines if "out of reach" in line]
    # Every control of the band, the dots once; not the countdown's "keep exploring" (any
    # touch keeps the visit going) nor a card's close button (a tap outside closes it).
    assert len(reach) == 8
    assert not any("keep exploring" in line or "close button" in line for line in reach)


def test_the_hall_screen_replaces_the_reference_screens(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = hall(tmp_path, "{diagonal: 55, bottom: 0.7}")
    status, _ = audit_lines(capsys, "--json", "--config", str(config))
    assert status == 0
    # The folder is the configuration's content when no DIR is given.
    status, out = audit_lines(capsys, "--json", "--strict", "--config", str(config))
    report = json.loads("\n".join(out))
    assert (status, report["folder"], report["passed"]) == (0, str(BUNDLED), True)
    (screen,) = report["screens"]
    assert {k: screen[k] for k in ("name", "resolution", "bottom", "reach", "top")} == {
        "name": "the hall's screen",
        "resolution": "1920x1080",
        "bottom": 0.7,
        "reach": 1.2,
        "top": 1.385,
    }
    assert screen["controls"]["listen"] == {
        "width_mm": 45.7,
        "height_mm": 45.7,
        "top": 0.758,
    }
    assert screen["targets"] > 20
    assert screen["smallest_target_mm"] >= 9
    assert screen["highest_control"] <= 1.2
    # Without a configuration: the deck's reference screens, both.
    status, out = audit_lines(capsys, "--json", str(BUNDLED))
    assert [s["name"] for s in json.loads("\n".join(out))["screens"]] == [
        "landscape-55",
        "portrait-55",
    ]


def test_a_portrait_screen_brings_the_controls_within_reach(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 55-inch totem from 1.1 m: the band's upper row would be above reach; the chrome
    # lowers the access controls to the navigation's row, and the audit measures them there.
    config = hall(tmp_path, "{resolution: 1080x1920, diagonal: 55, bottom: 1.1}")
    status, out = audit_lines(capsys, "--json", "--config", str(config))
    report = json.loads("\n".join(out))
    (screen,) = report["screens"]
    assert screen["highest_control"] <= 1.2
    assert screen["controls"]["listen"]["top"] == screen["controls"]["prev"]["top"]
    assert not [f for f in report["findings"] if f["kind"] in ("reach", "target-size")]


def test_a_configuration_without_a_display_is_a_warning(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {BUNDLED}\n", encoding="utf-8")
    status, lines = audit_lines(capsys, "--config", str(config))
    assert status == 0
    assert (
        f"{config}:1:1: warning: the configuration has no display: section, so no screen was "
        "measured: give the hall's screen (diagonal or width_mm and height_mm, resolution, "
        "bottom, reach)"
    ) in lines


def test_a_configuration_that_is_not_valid_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = hall(tmp_path, "{diagonal: 55}")
    status, lines = audit_lines(capsys, "--config", str(config))
    assert status == 2
    assert lines == [
        f'{config}:2:10: display.bottom: missing required key "bottom"',
        f"{config}: not valid; `python -m kiosk.ops.config {config}` says the same",
    ]
    assert main(["audit", "--no-screens", "--config", str(config)]) == 2


def test_a_view_that_cannot_be_laid_out_is_said_not_a_crash(
    qtbot: QtBot,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk.ui import reach

    measured = reach._slide_targets

    def broken(ctx: object, index: int, size: tuple[int, int]) -> list[object]:
        if index == 1:
            raise RuntimeError("no layout")
        return measured(ctx, index, size)  # type: ignore[arg-type]

    monkeypatch.setattr(reach, "_slide_targets", broken)
    config = hall(tmp_path, "{diagonal: 55, bottom: 0.75}")
    status, lines = audit_lines(capsys, "--config", str(config))
    assert status == 1
    assert [line for line in lines if "cannot be laid out" in line] == [
        "slides/02-where.yaml:4:5: the hall's screen (1920x1080, 1218 x 685 mm, from 0.75 to "
        "1.43 m): where: its view cannot be laid out to measure its tap targets (RuntimeError: "
        "no layout)"
    ]


def test_the_reach_line_for_the_running_window() -> None:
    from kiosk.content.physical import reach_line

    # A portrait totem from 0.5 m: the reach line 0.7 m up its 1.2176 m picture, whatever
    # the pixels the window has (the chrome keeps its controls below it).
    totem = Mounting(resolution="1080x1920", diagonal=55, bottom=0.5)
    assert reach_line(totem, 1920) == pytest.approx(Physical.of("t", totem).reach_row())
    assert reach_line(totem, 3840) == pytest.approx(2 * reach_line(totem, 1920))
    assert reach_line(totem, 1920) == pytest.approx(1920 * (1 - 0.7 / 1.2176), abs=0.5)


def test_the_installed_configurations_example_display_is_valid(tmp_path: Path) -> None:
    """packaging/kiosk.yaml carries a commented-out display: with its # signs removed, valid."""
    text = (Path(__file__).parents[1] / "packaging" / "kiosk.yaml").read_text(encoding="utf-8")
    _, _, example = text.partition("#display:\n")
    lines = [line.removeprefix("#") for line in example.splitlines()]
    body = lines[: next(i for i, line in enumerate(lines) if not line.startswith("  "))]
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"content: {BUNDLED}\ndisplay:\n" + "\n".join(body) + "\n")
    display = load_config(config).display
    assert display is not None
    assert (display.diagonal, display.resolution, display.bottom, display.reach) == (
        55,
        "1920x1080",
        0.75,
        1.2,
    )


def test_a_target_out_of_reach_in_one_language_is_named_with_it(qtbot: QtBot) -> None:
    # Each slide's view is laid out in both languages (a label's length moves what is placed
    # around it): a target out of reach in one of them is named with that language.
    from PySide6.QtCore import QRectF

    from kiosk.content.audit import audit_deck
    from kiosk.content.loader import load_deck
    from kiosk.content.visible import Location
    from kiosk.ui.base import HitTarget
    from kiosk.ui.reach import Screen, measure_slide

    ctx = audit_deck(load_deck(BUNDLED), checks=[]).context
    phys = Physical.of("hall", Mounting(diagonal=55, bottom=0.75))
    screen = Screen(phys, Location("kiosk.yaml", ("display",)))
    row = phys.reach_row()  # 1.2 m

    def target(key: str, top: float, height: float = 64) -> HitTarget:
        return HitTarget(key, QRectF(100, top, 200, height), None, "detail")  # type: ignore[arg-type]

    found = [
        ("zh", target("place:high", row - 20)),  # 20 px of it below the line: in reach
        ("en", target("place:high", row - 60)),  # 4 px below: out of reach
        ("zh", target("place:top", 10)),
        ("en", target("place:top", 10)),
        ("zh", target("place:slim", 700, 12)),  # 7.6 mm tall in Chinese only
        ("en", target("place:slim", 700, 20)),
    ]
    findings = list(measure_slide(ctx, screen, 1, found))
    assert [(f.kind, f.language, f.message) for f in findings] == [
        (
            "target-size",
            "zh",
            "hall (1920x1080, 1218 x 685 mm, from 0.75 to 1.43 m): where: the tap target "
            "place:slim (zh) is 126.8 x 7.6 mm, under the 9 mm a fingertip needs on its "
            "smaller side",
        ),
        (
            "reach",
            None,
            "hall (1920x1080, 1218 x 685 mm, from 0.75 to 1.43 m): where: 2 tap targets above "
            "the reach of 1.2 m (lowest edges: place:high (en) 1.197 m, place:top 1.388 m): a "
            "visitor in a wheelchair cannot open their cards",
        ),
    ]


def test_the_share_of_a_picture_above_reach() -> None:
    from kiosk.content.physical import above_reach

    landscape, portrait = DEFAULT_SCREENS
    assert above_reach(landscape) == pytest.approx(0.343, abs=1e-3)
    assert above_reach(portrait) == pytest.approx(0.425, abs=1e-3)
    assert above_reach(Mounting(diagonal=32, bottom=0.6)) == 0.0  # its top at 1.0 m
    assert above_reach(Mounting(diagonal=55, bottom=1.5)) == 1.0  # hung over every hand
