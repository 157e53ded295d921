"""A run's settings, resolved once: options over the environment over kiosk.yaml over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.ops.config import KioskConfig
from kiosk.ops.paths import (
    INSTALLED_STATE,
    default_analytics_path,
    default_snapshot_dir,
    default_status_file,
    service_state_dir,
)
from kiosk.ops.settings import RunSettings, resolve_run_settings
from kiosk.show.staff import hash_pin

BUNDLED = Path("/bundled")
HASH = hash_pin("2468", salt="feedbeef", iterations=1000)
OTHER = hash_pin("1357", salt="deadbeef", iterations=1000)
FULL = KioskConfig(
    content=Path("/srv/show"),
    kiosk=True,
    screen=1,
    language="en",
    idle_timeout=90,
    pin_hash=HASH,
    log_level="DEBUG",
    log_file=Path("/srv/kiosk.log"),
    status_file=Path("/srv/status.json"),
    analytics=Path("/srv/analytics.sqlite3"),
)


def resolve(
    *argv: str, config: KioskConfig | None = None, environ: dict[str, str] | None = None
) -> RunSettings:
    args = build_parser().parse_args(["run", *argv])
    return resolve_run_settings(args, environ or {}, config, bundled=BUNDLED)


@pytest.fixture(autouse=True)
def _platform_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_without_options_or_configuration_the_defaults() -> None:
    assert resolve() == RunSettings(
        folder=BUNDLED,
        watch=True,
        snapshot=default_snapshot_dir(),
        kiosk=False,
        screen=None,
        size=None,
        lang=None,
        idle_timeout=None,
        pin_hash=None,
        pin_source="",
        log_level="INFO",
        log_file=None,
        status_file=default_status_file(),
        analytics=default_analytics_path(),
        analytics_days=180,
    )


def test_the_configuration_fills_what_the_options_leave() -> None:
    settings = resolve("--config", "/etc/k.yaml", config=FULL)
    assert (settings.folder, settings.kiosk, settings.screen, settings.lang) == (
        Path("/srv/show"),
        True,
        1,
        "en",
    )
    assert (settings.idle_timeout, settings.pin_hash, settings.pin_source) == (
        90,
        HASH,
        "/etc/k.yaml: pin_hash",
    )
    assert (settings.log_level, settings.log_file) == ("DEBUG", Path("/srv/kiosk.log"))
    assert settings.status_file == Path("/srv/status.json")
    assert settings.analytics == Path("/srv/analytics.sqlite3")


def test_options_win_over_the_configuration(tmp_path: Path) -> None:
    settings = resolve(
        str(tmp_path / "show"),
        "--config",
        "/etc/k.yaml",
        "--no-kiosk",
        "--screen",
        "0",
        "--lang",
        "zh",
        "--pin-hash",
        OTHER,
        "--log-level",
        "ERROR",
        "--status-file",
        str(tmp_path / "s.json"),
        "--analytics",
        str(tmp_path / "a.db"),
        "--size",
        "800x600",
        "--no-watch",
        "--analytics-days",
        "30",
        config=FULL,
    )
    assert (settings.folder, settings.kiosk, settings.screen, settings.lang) == (
        tmp_path / "show",
        False,
        0,
        "zh",
    )
    assert (settings.pin_hash, settings.pin_source) == (OTHER, "--pin-hash")
    assert settings.log_level == "ERROR"
    assert settings.status_file == tmp_path / "s.json"
    assert settings.analytics == tmp_path / "a.db"
    assert (settings.size, settings.watch, settings.analytics_days) == ((800, 600), False, 30)
    assert settings.idle_timeout == 90  # only the configuration sets it


def test_the_pin_hash_comes_from_the_option_then_the_environment_then_the_file() -> None:
    environ = {"KIOSK_PIN_HASH": OTHER}
    named = resolve("--config", "/etc/k.yaml", config=FULL, environ=environ)
    assert (named.pin_hash, named.pin_source) == (OTHER, "$KIOSK_PIN_HASH")
    filed = resolve("--config", "/etc/k.yaml", config=FULL)
    assert (filed.pin_hash, filed.pin_source) == (HASH, "/etc/k.yaml: pin_hash")
    given = resolve("--pin-hash", HASH, environ=environ)
    assert (given.pin_hash, given.pin_source) == (HASH, "--pin-hash")


def test_an_impossible_pin_hash_is_named_by_its_source() -> None:
    bad = "pbkdf2_sha256$0$salt$00"
    assert resolve(environ={"KIOSK_PIN_HASH": bad}).pin_problem() == (
        "$KIOSK_PIN_HASH: the PIN hash's iteration count 0 is outside 1,000 to 5,000,000; "
        "make one with `kiosk pin`"
    )
    assert resolve("--pin-hash", HASH).pin_problem() is None
    assert resolve().pin_problem() is None


def test_no_analytics_from_either_side_records_nothing() -> None:
    assert resolve("--no-analytics", config=FULL).analytics is None
    off = FULL.model_copy(update={"no_analytics": True})
    assert resolve("--analytics", "/tmp/a.db", config=off).analytics is None


def test_the_service_state_folder() -> None:
    assert service_state_dir({}) == (INSTALLED_STATE, False)
    assert service_state_dir({"STATE_DIRECTORY": "/run/a:/run/b"}) == (Path("/run/a"), True)
