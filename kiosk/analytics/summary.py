"""The statistics as a few readable lines: what `kiosk stats` prints without `--json`."""

from __future__ import annotations

from kiosk.analytics.stats import Stats

ACCESS_NAMES = {"listen": "listen", "larger": "larger text", "contrast": "high contrast"}
"""How the summary and the report name the access controls (by their `feature`)."""


def duration(seconds: float | None) -> str:
    """`75.0` as "1 min 15 s", `12.5` as "12.5 s", None as "-"."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def summary_text(stats: Stats) -> str:
    """The statistics as a few readable lines."""
    s = stats.sessions
    lines: list[str] = []
    first, last = stats.period.first, stats.period.last
    if first is None or last is None:
        return "No visitor events recorded in this period."
    lines.append(
        f"Events from {first.isoformat(timespec='seconds')} to {last.isoformat(timespec='seconds')}"
    )
    lines.append(
        f"Visitor sessions: {s.count}, median {duration(s.median_length_s)} until the idle "
        f"reset ({duration(s.median_active_s)} of activity)"
        + (f"; {s.unfinished} unfinished" if s.unfinished else "")
    )
    if stats.per_day:
        busiest, most = max(stats.per_day.items(), key=lambda kv: kv[1])
        days = len(stats.per_day)
        lines.append(
            f"Per day: {s.count / days:.1f} on average over {days} days, "
            f"busiest {busiest.isoformat()} ({most})"
        )
    if any(stats.per_hour):
        hour = max(range(24), key=lambda h: stats.per_hour[h])
        lines.append(
            f"Busiest hour: {hour:02d}:00-{(hour + 1) % 24:02d}:00 "
            f"({stats.per_hour[hour]} sessions)"
        )
    slides = list(stats.slide_views.items())
    if slides:
        lines.append("Most viewed slides (views, median dwell):")
        for slide_id, row in slides[:5]:
            lines.append(f"  {row.views:>6}  {duration(row.median_dwell_s):>12}  {slide_id}")
        if len(slides) > 5:
            lines.append("Least viewed slides:")
            for slide_id, row in slides[-min(5, len(slides) - 5) :]:
                lines.append(f"  {row.views:>6}  {duration(row.median_dwell_s):>12}  {slide_id}")
    cards = stats.top_cards(10)
    if cards:
        lines.append("Detail cards opened most:")
        for card in cards:
            lines.append(f"  {card.count:>6}  {card.slide_id}  {card.element}")
    if stats.languages:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in stats.languages.items())
        lines.append(f"Languages (share of visitors' time): {shares}")
    lines.append(f"Attract loop cycles: {stats.loop_cycles}")
    if stats.loop_languages:
        shown = ", ".join(
            f"{lang} {row.share:.0%} ({duration(row.time_s)})"
            for lang, row in stats.loop_languages.items()
        )
        lines.append(f"Attract loop languages (share of its time): {shown}")
    if stats.access:
        lines.append("Access controls (sessions that switched each on, share, times switched on):")
        for feature, use in stats.access.items():
            lines.append(
                f"  {use.sessions:>6}  {use.share:>4.0%}  {use.switched_on:>6}  "
                f"{ACCESS_NAMES.get(feature, feature)}"
            )
        any_use = stats.access_any
        lines.append(
            f"  {any_use.sessions:>6}  {any_use.share:>4.0%}  {any_use.switched_on:>6}  any of them"
        )
    return "\n".join(lines)
