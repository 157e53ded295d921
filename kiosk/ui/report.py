"""The visitor report: `kiosk stats` prints the statistics, and writes them as one HTML file.

The HTML file is self-contained (inline CSS, charts as embedded PNGs painted by
`kiosk.ui.report_charts`, so Chinese renders the same in any browser). Qt is imported only when
a report is written: `kiosk stats --json` stays fast.
"""

from __future__ import annotations

import base64
import html
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.analytics.database import VISITORS
from kiosk.analytics.stats import Stats, StatsError, compute_stats
from kiosk.analytics.summary import ACCESS_NAMES, duration, summary_text
from kiosk.ops.paths import default_analytics_path

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
"""How the report names the languages the loop showed."""
ACCESS_LABELS = {
    "listen": "朗读 · Listen",
    "larger": "大字 · Larger text",
    "contrast": "高对比度 · High contrast",
}
"""How the report's chart names the access controls (the band shows marks, not words)."""

if TYPE_CHECKING:
    from kiosk.content.theme import Colors


def stats_main(
    dbs: Sequence[Path] | None,
    since: date | None,
    until: date | None,
    as_json: bool,
    out: Path | None,
) -> int:
    """`kiosk stats`: print the statistics (JSON or a summary) and optionally write the report."""
    paths = list(dbs) if dbs else [default_analytics_path()]
    if since is not None and until is not None and since > until:
        print(f"--since {since} is after --until {until}", file=sys.stderr)
        return 2
    try:
        stats = compute_stats(paths, since, until)
    except StatsError as exc:
        print(exc, file=sys.stderr)
        return 1
    for db in stats.databases:
        if db.purpose != VISITORS:
            print(f"note: {db.path} records a {db.purpose}, not visitors", file=sys.stderr)
    if as_json:
        print(json.dumps(stats.as_json(), ensure_ascii=False, indent=2))
    else:
        print(summary_text(stats))
    if out is not None:
        try:
            write_report(stats, out)
        except OSError as exc:
            print(f"cannot write {out}: {exc}", file=sys.stderr)
            return 1
        print(f"report written to {out}", file=sys.stderr if as_json else sys.stdout)
    return 0


def _img(png: bytes, alt: str) -> str:
    from kiosk.ui.report_charts import CHART_W

    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" width="{CHART_W}">'


def _css(c: Colors) -> str:
    """The page's style sheet, in the theme's colours."""
    return f"""
:root {{ color-scheme: dark; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: {c.background}; color: {c.text};
  font: 16px/1.5 Inter, "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
  "Microsoft YaHei", system-ui, sans-serif; }}
main {{ max-width: 1104px; margin: 0 auto; padding: 40px 32px 64px; }}
img {{ display: block; max-width: 100%; height: auto; border-radius: 24px; }}
header img {{ border-radius: 0; }}
.kpis {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr));
  gap: 16px; margin: 24px 0 32px; }}
.kpi {{ background: {c.panel}; border: 1px solid {c.panel_edge}; border-radius: 24px;
  padding: 20px 24px; }}
.kpi b {{ display: block; font-size: 36px; line-height: 1.2; font-weight: 700;
  font-variant-numeric: tabular-nums; }}
.kpi.accent b {{ color: {c.gold}; }}
.kpi span {{ color: {c.muted}; font-size: 14px; }}
section {{ margin: 0 0 28px; }}
h2 {{ font-size: 14px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase;
  color: {c.teal}; margin: 0 0 12px; }}
table {{ width: 100%; border-collapse: collapse; background: {c.panel}; border-radius: 24px;
  overflow: hidden; margin-top: 16px; font-variant-numeric: tabular-nums; }}
th, td {{ text-align: left; padding: 10px 20px; border-bottom: 1px solid {c.panel_edge}; }}
th {{ color: {c.muted}; font-weight: 500; font-size: 13px; }}
td.n, th.n {{ text-align: right; }}
tr:last-child td {{ border-bottom: 0; }}
footer {{ color: {c.muted}; font-size: 13px; margin-top: 40px; }}
code {{ font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 14px; }}
"""


def write_report(stats: Stats, out: Path) -> None:
    """Write `stats` as one self-contained HTML file: inline CSS, charts as embedded PNGs."""
    # Qt (and the theme's YAML) only here: `kiosk stats --json` never loads them.
    from kiosk.content.theme import load_theme
    from kiosk.ui.app import ensure_app
    from kiosk.ui.report_charts import ReportCharts

    ensure_app(offscreen=True)
    theme = load_theme()
    charts = ReportCharts(theme.colors, theme.series_color)
    e = html.escape
    s = stats.sessions
    first, last = stats.period.first, stats.period.last
    period = (
        f"{first.date().isoformat()} – {last.date().isoformat()}"
        if first and last
        else "no events in this period"
    )

    per_day = stats.per_day
    day_labels = [f"{d:%m-%d}" for d in per_day]
    day_every = max(1, -(-len(per_day) // 10))
    slides = list(stats.slide_views.items())
    slide_rows = [
        (slide_id, float(row.views), f"{row.views} views · median {duration(row.median_dwell_s)}")
        for slide_id, row in slides
    ]
    card_rows = [
        (f"{card.slide_id} · {card.element}", float(card.count), f"{card.count}×")
        for card in stats.top_cards(12)
    ]
    # The most used first, in gold as in every chart here; the band's order among equals.
    access_rows = [
        (
            ACCESS_LABELS.get(feature, feature),
            use.share,
            f"{use.sessions} session{'' if use.sessions == 1 else 's'} · {use.share:.0%}"
            f" · on {use.switched_on}×",
        )
        for feature, use in sorted(stats.access.items(), key=lambda kv: -kv[1].sessions)
    ]
    total_views = sum(row.views for _, row in slides)
    total_cards = sum(card.count for card in stats.top_cards())

    images = {
        "banner": charts.banner(
            "两江新区展览 · 观众数据", "Liangjiang Kiosk — visitor report", period
        ),
        "days": charts.columns(
            "每日观众 · Sessions per day",
            "Visitor sessions started each day (kiosk local time); the busiest day in gold",
            day_labels,
            list(per_day.values()),
            day_every,
        ),
        "hours": charts.columns(
            "时段分布 · Sessions by hour of day",
            "When visitors start exploring (kiosk local time)",
            [f"{h:02d}" for h in range(24)],
            list(stats.per_hour),
            3,
        ),
        "slides": charts.bars(
            "幻灯片浏览 · Slide views",
            "Views during visitor sessions, most viewed first, with the median dwell time",
            slide_rows,
        ),
        "cards": charts.bars(
            "详情卡片 · Detail cards opened most",
            "Which elements visitors tapped for more",
            card_rows,
            theme.colors.sky,
            note_w=90.0,
        ),
        "languages": charts.shares(
            "语言 · Languages",
            "Share of visitors' time in each language",
            stats.languages,
        ),
        "access": charts.bars(
            "无障碍功能 · Access controls",
            "Share of visitor sessions that switched each on at least once",
            access_rows,
            theme.colors.sky,
            note_w=260.0,
            full=1.0,
        ),
    }
    english = stats.languages.get("en")
    kpis = [
        ("Visitor sessions", str(s.count), True),
        ("Median visit", duration(s.median_active_s), False),
        ("Slide views", str(total_views), False),
        ("Cards opened", str(total_cards), False),
        ("In English", "-" if english is None else f"{english:.0%}", False),
        ("Attract loop cycles", str(stats.loop_cycles), False),
        ("Used an access control", f"{stats.access_any.share:.0%}" if s.count else "-", False),
    ]
    kpi_html = "\n".join(
        f'<div class="kpi{" accent" if accent else ""}"><b>{e(value)}</b>'
        f"<span>{e(label)}</span></div>"
        for label, value, accent in kpis
    )
    slide_table = "\n".join(
        f"<tr><td><code>{e(slide_id)}</code></td><td class=n>{row.views}</td>"
        f"<td class=n>{e(duration(row.median_dwell_s))}</td>"
        f"<td class=n>{e(duration(row.total_dwell_s))}</td>"
        f"<td class=n>{row.attract_views}</td></tr>"
        for slide_id, row in slides
    )
    card_table = "\n".join(
        f"<tr><td><code>{e(card.slide_id)}</code></td><td><code>{e(card.element)}</code></td>"
        f"<td class=n>{card.count}</td></tr>"
        for card in stats.top_cards()
    )
    loop_table = "\n".join(
        f"<tr><td><code>{e(lang)}</code> {e(LANGUAGE_NAMES.get(lang, ''))}</td>"
        f"<td class=n>{row.views}</td><td class=n>{e(duration(row.time_s))}</td>"
        f"<td class=n>{row.share:.0%}</td></tr>"
        for lang, row in stats.loop_languages.items()
    )
    access_table = "\n".join(
        f"<tr><td>{e(ACCESS_NAMES.get(feature, feature).capitalize())}</td>"
        f"<td class=n>{use.sessions}</td><td class=n>{use.share:.0%}</td>"
        f"<td class=n>{use.switched_on}</td></tr>"
        for feature, use in [*stats.access.items(), ("any of them", stats.access_any)]
    )
    sources = ", ".join(e(db.path.name) for db in stats.databases)
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>两江新区展览 · Liangjiang Kiosk visitor report ({e(period)})</title>
<style>{_css(theme.colors)}</style>
</head>
<body>
<main>
<header>{_img(images["banner"], "Liangjiang Kiosk visitor report, " + period)}</header>
<div class="kpis">
{kpi_html}
</div>
<section><h2>Sessions per day</h2>{_img(images["days"], "Sessions per day")}</section>
<section><h2>Time of day</h2>{_img(images["hours"], "Sessions by hour of day")}</section>
<section><h2>Slides</h2>{_img(images["slides"], "Slide views")}
<table><thead><tr><th>Slide</th><th class=n>Visitor views</th><th class=n>Median dwell</th>
<th class=n>Total dwell</th><th class=n>Attract-loop views</th></tr></thead>
<tbody>
{slide_table or "<tr><td colspan=5>No slide views in this period.</td></tr>"}
</tbody></table></section>
<section><h2>Detail cards</h2>{_img(images["cards"], "Detail cards opened most")}
<table><thead><tr><th>Slide</th><th>Element</th><th class=n>Opened</th></tr></thead>
<tbody>
{card_table or "<tr><td colspan=3>No cards opened in this period.</td></tr>"}
</tbody></table></section>
<section><h2>Languages</h2>{_img(images["languages"], "Language share")}
<table><thead><tr><th>Attract loop in</th><th class=n>Slide views</th><th class=n>Time</th>
<th class=n>Share of the loop's time</th></tr></thead>
<tbody>
{loop_table or "<tr><td colspan=4>No attract-loop views in this period.</td></tr>"}
</tbody></table></section>
<section><h2>Access controls</h2>{_img(images["access"], "Access controls used")}
<table><thead><tr><th>Control</th><th class=n>Sessions that switched it on</th>
<th class=n>Share of sessions</th><th class=n>Times switched on</th></tr></thead>
<tbody>
{access_table}
</tbody></table></section>
<footer>Period {e(period)} · sessions: first touch until the idle reset; "median visit" leaves
out the idle wait · {s.unfinished} unfinished sessions · sources: {sources or "-"} ·
Recorded on the kiosk: slide ids, element keys, languages and times only.</footer>
</main>
</body>
</html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
