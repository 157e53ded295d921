"""packaging/monitoring: the hall's alert rules (checked and unit-tested by promtool), its
Prometheus configuration and its Grafana dashboard, against the metrics a kiosk writes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk.ops import metrics
from kiosk.ops.metrics import Counters, Sample
from tests.helpers.show import REPO

MONITORING = REPO / "packaging" / "monitoring"
RULES = MONITORING / "kiosk-alerts.yml"
DASHBOARD = MONITORING / "kiosk-hall.dashboard.json"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool is not installed (Debian's `prometheus` package; make test installs it)",
)
NODE_EXPORTER = {"up", "node_textfile_mtime_seconds", "node_textfile_scrape_error"}
"""Series of Prometheus and node_exporter themselves that the rules may use."""


def written_names() -> set[str]:
    """Every series name a kiosk's file can hold (with a screenshot and a reload)."""
    sample = Sample(
        up=True,
        mode="attract",
        modes=["attract", "visitor"],
        uptime_s=1.0,
        rss_bytes=1,
        counters=Counters(last_reload_success=1.0),
        version="v",
        deck_revision="r",
        screenshot_at=1.0,
    )
    return {family.name for family in metrics.metrics(sample)}


def series_in(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (`name{` or `name[` or a bare name)."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # label values are not names
    bare = re.sub(r"\{[^}]*\}", "{}", bare)
    bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", bare)
    names = set(re.findall(r"\b([a-z_][a-z0-9_]*)\b\s*(?=[{\[]|\s|\)|$|\*|>|=|<)", bare))
    functions = {
        "count",
        "max",
        "min",
        "sum",
        "avg",
        "rate",
        "increase",
        "deriv",
        "time",
        "and",
        "or",
        "unless",
        "label_values",
        "predict_linear",
    }
    return {n for n in names if n not in functions and not n.isdigit()}


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], cwd=MONITORING, capture_output=True, text=True, timeout=120
    )


# -- the alert rules -------------------------------------------------------------------------


@needs_promtool
def test_the_rules_pass_promtool_check() -> None:
    done = run_promtool("check", "rules", RULES.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 5 rules found" in done.stdout


@needs_promtool
def test_the_rules_pass_their_unit_tests() -> None:
    done = run_promtool("test", "rules", "kiosk-alerts.test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


@needs_promtool
def test_the_halls_prometheus_configuration_is_valid() -> None:
    done = run_promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def rules() -> list[dict[str, Any]]:
    doc = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in doc["groups"] for rule in group["rules"]]


def test_every_alert_of_the_issue_is_there_and_tested() -> None:
    names = [rule["alert"] for rule in rules()]
    assert names == [
        "KioskDown",
        "KioskReloadsFailing",
        "KioskHallRevisionsDiffer",
        "KioskMemoryGrowing",
        "KioskDarkDuringOpeningHours",
    ]
    tests = yaml.safe_load((MONITORING / "kiosk-alerts.test.yml").read_text(encoding="utf-8"))
    tested = {
        case["alertname"]
        for test in tests["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert tested == set(names)  # each one seen firing, not only seen quiet
    for rule in rules():
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]


def test_the_rules_use_only_series_a_kiosk_or_node_exporter_writes() -> None:
    known = written_names() | NODE_EXPORTER
    for rule in rules():
        used = series_in(rule["expr"])
        assert used, rule["alert"]
        assert used <= known, (rule["alert"], used - known)


def test_the_expression_reader_finds_names() -> None:
    assert series_in('count by (hall) (kiosk_info{job="kiosk", x="up"}) > 1') == {"kiosk_info"}
    assert series_in("rate(kiosk_frames_painted_total[10m]) == 0 or up == 0") == {
        "kiosk_frames_painted_total",
        "up",
    }


# -- the dashboard ---------------------------------------------------------------------------


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for panel in board["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found


def test_the_dashboard_is_grafana_json_with_unique_panels() -> None:
    board = dashboard()
    assert board["uid"] == "liangjiang-kiosk-hall"
    assert board["title"]
    assert isinstance(board["schemaVersion"], int)
    ids = [p["id"] for p in panels(board)]
    assert len(ids) == len(set(ids))
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert {"hall", "instance"} <= set(variables)
    for panel in panels(board):
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert panel["targets"], panel["title"]


def test_the_dashboard_has_a_row_per_kiosk_with_what_the_issue_asks() -> None:
    board = dashboard()
    rows = [p for p in board["panels"] if p["type"] == "row"]
    assert [r.get("repeat") for r in rows] == ["instance"]
    titles = {p["title"] for p in panels(board)}
    assert {"State", "Deck revision", "Memory", "Visitors today", "Last good reload"} <= titles
    table = next(p for p in board["panels"] if p["type"] == "table")
    refs = {t["refId"] for t in table["targets"]}
    assert {"STATE", "MODE", "REVISION", "MEMORY", "VISITORS", "RELOAD"} <= refs


def test_the_dashboard_queries_only_series_a_kiosk_writes() -> None:
    board = dashboard()
    known = written_names()
    used: set[str] = set()
    for panel in panels(board):
        for target in panel.get("targets", []):
            names = series_in(target["expr"])
            assert names, target["expr"]
            assert names <= known, (panel["title"], names - known)
            used |= names
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            # label_values(SELECTOR, LABEL): the selector's names only
            selector = variable["query"]["query"].removeprefix("label_values(").rsplit(",", 1)[0]
            assert series_in(selector) <= known
    # The hall's view covers the issue's list: state, mode, revision, memory, visitors, reload.
    assert {
        "kiosk_up",
        "kiosk_mode",
        "kiosk_info",
        "kiosk_resident_memory_bytes",
        "kiosk_visitor_sessions_total",
        "kiosk_last_reload_success_timestamp_seconds",
    } <= used


# -- the installer's part --------------------------------------------------------------------


def test_the_installed_kiosk_writes_where_node_exporter_and_the_rules_look() -> None:
    from kiosk.ops.config import load_config

    config = load_config(REPO / "packaging" / "kiosk.yaml")
    assert config.metrics_file == Path("/var/lib/liangjiang-kiosk/liangjiang-kiosk.prom")
    install = (REPO / "packaging" / "install.sh").read_text(encoding="utf-8")
    assert "TEXTFILE_DIR=/var/lib/prometheus/node-exporter\n" in install
    assert (
        'ln -sfn "$STATE/liangjiang-kiosk.prom" "$DESTDIR$TEXTFILE_DIR/liangjiang-kiosk.prom"'
        in install
    )
    uninstall = (REPO / "packaging" / "uninstall.sh").read_text(encoding="utf-8")
    assert 'rm -f "$DESTDIR/var/lib/prometheus/node-exporter/liangjiang-kiosk.prom"' in uninstall
    # The staleness alert finds node_exporter's time for that file, by name or by path.
    down = next(rule for rule in rules() if rule["alert"] == "KioskDown")
    pattern = re.search(r'file=~"([^"]+)"', down["expr"])
    assert pattern is not None
    for name in (
        "liangjiang-kiosk.prom",
        "/var/lib/prometheus/node-exporter/liangjiang-kiosk.prom",
    ):
        assert re.fullmatch(pattern.group(1), name)
