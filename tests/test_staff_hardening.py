"""What a staff member, a deploy script or a window manager can get wrong: PIN hashes with
impossible parameters, full-width PIN digits, a retention of zero days, a minimised show."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.cli import build_parser, main
from kiosk.content.loader import load_deck
from kiosk.content.problems import ContentError
from kiosk.ops.config import load_config
from kiosk.ops.display import DisplaySettings
from kiosk.show.staff import check_hash_format, hash_pin, normalise_pin, verify_pin
from kiosk.ui.window import KioskWindow
from tests.helpers.install import clean_env
from tests.helpers.show import REPO, TITLES, write_show
from tests.helpers.windows import shown_window

DIGEST = "0" * 64


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        # The hash that crashed the show at the first PIN (0 iterations).
        (
            "pbkdf2_sha256$0$salt$00",
            "the PIN hash's iteration count 0 is outside 1,000 to 5,000,000",
        ),
        (f"pbkdf2_sha256$999$salt${DIGEST}", "iteration count 999 is outside"),
        (f"pbkdf2_sha256$99999999999$salt${DIGEST}", "iteration count 99,999,999,999 is outside"),
        (f"pbkdf2_sha256$１０００$salt${DIGEST}", "iteration count '１０００' is not a number"),
        (f"pbkdf2_sha256$-5$salt${DIGEST}", "iteration count '-5' is not a number"),
        (f"pbkdf2_sha256$200000$${DIGEST}", "salt must be 1 to 64 printable ASCII"),
        (f"pbkdf2_sha256$200000${'s' * 65}${DIGEST}", "salt must be 1 to 64 printable ASCII"),
        (f"pbkdf2_sha256$200000$sal\tt${DIGEST}", "salt must be 1 to 64 printable ASCII"),
        ("pbkdf2_sha256$200000$salt$00", "digest must be 64 lower-case hex digits"),
        (f"pbkdf2_sha256$200000$salt${DIGEST.upper()}A", "digest must be 64 lower-case hex"),
        (f"pbkdf2_sha256$200000$salt${'g' * 64}", "digest must be 64 lower-case hex digits"),
        (f"md5$200000$salt${DIGEST}", "not a PIN hash (expected pbkdf2_sha256$iterations$"),
        ("pbkdf2_sha256$200000$salt", "not a PIN hash"),
        ("", "not a PIN hash"),
    ],
)
def test_impossible_hashes_are_refused_with_the_reason(encoded: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check_hash_format(encoded)
    assert not verify_pin("1234", encoded)


def test_every_hash_kiosk_pin_makes_is_accepted() -> None:
    for pin in ("0000", "123456789012", "２４６８"):
        check_hash_format(hash_pin(pin))


def test_config_names_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text("content: show\npin_hash: 'pbkdf2_sha256$0$salt$00'\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:11: pin_hash: the PIN hash's iteration count 0 is outside 1,000 to "
        "5,000,000; set one with `kiosk pin --config FILE`"
    ]


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_env(tmp_path / "home", PYTHONPATH=str(REPO))
    environment.pop("KIOSK_PIN_HASH", None)  # not the developer's own
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            str(REPO / "content"),
            "--no-analytics",
            "--status-file",
            str(tmp_path / "status.json"),
            *args,
        ],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("source", ["--pin-hash", "$KIOSK_PIN_HASH"])
def test_run_refuses_an_impossible_hash_before_the_show_starts(tmp_path: Path, source: str) -> None:
    bad = "pbkdf2_sha256$0$salt$00"
    if source == "--pin-hash":
        result = _run(tmp_path, "--pin-hash", bad)
    else:
        result = _run(tmp_path, KIOSK_PIN_HASH=bad)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        f"{source}: the PIN hash's iteration count 0 is outside 1,000 to 5,000,000; "
        "make one with `kiosk pin`"
    ) in result.stderr


def test_full_width_digits_make_the_pin_the_pad_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert normalise_pin("１２３４") == "1234"
    assert main(["pin", "--pin", "１２３４"]) == 0
    encoded = capsys.readouterr().out.strip()
    assert verify_pin("1234", encoded)  # what the on-screen pad sends
    assert verify_pin("１２３４", encoded)


@pytest.mark.parametrize("pin", ["١٢٣٤", "१२३४", "12 34", "123", "1234567890123", "12a4"])
def test_pins_the_pad_cannot_type_are_refused(pin: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pin", "--pin", pin]) == 1
    assert capsys.readouterr().err.strip() == "a PIN is 4 to 12 digits, 0 to 9"


@pytest.mark.parametrize("days", ["0", "-1", "0.5", "nan", "inf", "36501", "many"])
def test_analytics_days_that_would_delete_the_history_are_refused(
    days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["run", "--analytics-days", days])
    assert caught.value.code == 2
    assert "argument --analytics-days:" in capsys.readouterr().err


def test_analytics_days_in_range_are_taken() -> None:
    assert build_parser().parse_args(["run", "--analytics-days", "1"]).analytics_days == 1
    assert build_parser().parse_args(["run", "--analytics-days", "365"]).analytics_days == 365


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[KioskWindow]:
    deck = load_deck(write_show(tmp_path / "show", TITLES))
    display = DisplaySettings(kiosk=request.param, status_file=tmp_path / "status.json")
    with shown_window(qtbot, deck, display) as win:
        yield win


@pytest.mark.parametrize("window", [False], indirect=True)
def test_the_status_says_when_the_window_shows_nothing(window: KioskWindow, qtbot: QtBot) -> None:
    assert window.status()["window"] == {"visible": True, "exposed": True}
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    assert window.status()["window"] == {"visible": False, "exposed": False}
    window.hide()
    assert window.status()["window"] == {"visible": False, "exposed": False}


@pytest.mark.parametrize("window", [True], indirect=True)
def test_a_minimised_kiosk_restores_itself(window: KioskWindow, qtbot: QtBot) -> None:
    window.showMinimized()
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible(), timeout=2000)
    assert window.status()["window"]["visible"]
    assert window.isFullScreen()
