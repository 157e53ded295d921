"""`kiosk bench`'s targets: each measured figure against its budget, as verdicts and a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# --- targets ------------------------------------------------------------------------------------

FRAME_P95_MS = {"1080p": 4.0, "2160p": 12.0}
"""A frame's p95 budget: a 60 Hz frame is 16.7 ms, and the show must leave room for the rest."""
FIRST_FRAME_MS = 800.0
TAP_P95_MS = 20.0
ACCESS_P95_MS = {"1080p": 100.0, "2160p": 250.0}
"""A visitor's switch to larger text or high contrast lays the slide out anew: at once to the
eye (a tenth of a second at 1080p), a little more at 4K."""
LOAD_GROWTH = 10.0
"""1000 slides load in under 10 times the time of 100: loading grows linearly, not worse."""
RELOAD_MS = 1000.0
RSS_GROWTH_MB = 10.0
VALIDATE_MS = 500.0


@dataclass(frozen=True)
class Verdict:
    """One figure against its target."""

    figure: str
    result: str
    target: str
    met: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "result": self.result,
            "target": self.target,
            "met": self.met,
        }


def verdicts(results: dict[str, Any]) -> list[Verdict]:
    """Every figure of `results` with its target, met or missed."""
    out = [
        Verdict(
            "first frame",
            f"{results['first_frame_ms']} ms",
            f"< {FIRST_FRAME_MS:.0f} ms",
            results["first_frame_ms"] < FIRST_FRAME_MS,
        )
    ]
    for name, value in results["frame_ms"].items():
        budget = FRAME_P95_MS["2160p" if name.endswith("2160p") else "1080p"]
        out.append(
            Verdict(
                f"frame {name}",
                f"p50 {value['p50']}  p95 {value['p95']}  max {value['max']}",
                f"p95 < {budget:.0f} ms",
                value["p95"] < budget,
            )
        )
    tap = results["tap_to_frame_ms"]
    out.append(
        Verdict(
            "tap to frame",
            f"p50 {tap['p50']}  p95 {tap['p95']}",
            f"p95 < {TAP_P95_MS:.0f} ms",
            tap["p95"] < TAP_P95_MS,
        )
    )
    # Results saved before the figure existed have none (and so no verdict for it).
    for label, value in results.get("access_switch_ms", {}).items():
        budget = ACCESS_P95_MS[label]
        out.append(
            Verdict(
                f"access switch {label}",
                f"p50 {value['p50']}  p95 {value['p95']}  max {value['max']}",
                f"p95 < {budget:.0f} ms",
                value["p95"] < budget,
            )
        )
    load = results["load_ms"]
    out.append(
        Verdict(
            "load 10/100/1000 slides",
            f"{load['10']} / {load['100']} / {load['1000']} ms",
            f"1000 < {LOAD_GROWTH:.0f} x 100",
            load["1000"] < LOAD_GROWTH * load["100"],
        )
    )
    out.append(
        Verdict(
            "reload",
            f"{results['reload_ms']} ms",
            f"< {RELOAD_MS:.0f} ms",
            results["reload_ms"] < RELOAD_MS,
        )
    )
    rss = results["rss_mb"]
    growth = round(rss["after_10000"] - rss["after_100"], 1)
    out.append(
        Verdict(
            "memory after 100 / 10000",
            f"{rss['after_100']} / {rss['after_10000']} MiB (growth {growth})",
            f"growth < {RSS_GROWTH_MB:.0f} MiB",
            growth < RSS_GROWTH_MB,
        )
    )
    out.append(
        Verdict(
            "kiosk validate",
            f"{results['validate_cli_ms']} ms",
            f"< {VALIDATE_MS:.0f} ms",
            results["validate_cli_ms"] < VALIDATE_MS,
        )
    )
    return out


def table(results: dict[str, Any]) -> str:
    """The results as a readable table, each figure with its target and verdict, and a last
    line that counts the missed targets."""
    judged = verdicts(results)
    rows = [("measure", "result", "target", "verdict")]
    rows += [(v.figure, v.result, v.target, "met" if v.met else "MISSED") for v in judged]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    rss = results["rss_mb"]
    if "note" in rss:
        lines.append(f"note: {rss['note']}")
    m = results["machine"]
    lines.append(
        f"machine: {m['cores']} cores, Qt {m['qt']} ({m['qt_platform']}), Python {m['python']}"
    )
    lines.append(summary(judged))
    return "\n".join(lines)


def summary(judged: list[Verdict]) -> str:
    """`all 14 targets met`, or `2 of 14 targets missed: frame metrics_1080p, reload`."""
    missed = [v.figure for v in judged if not v.met]
    if not missed:
        return f"all {len(judged)} targets met"
    return f"{len(missed)} of {len(judged)} targets missed: {', '.join(missed)}"
