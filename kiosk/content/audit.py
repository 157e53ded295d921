"""The curator's audit of a deck: reading time, glance limit, sources and repeated cards."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.content.contrast import ROLE_NAMES, layers, measure, nearest_passing
from kiosk.content.errors import display_path
from kiosk.content.loader import Deck, metric_keys
from kiosk.content.model import PartialDate, SlideBase
from kiosk.content.model.deck import AuditSettings
from kiosk.content.problems import Problem, Severity, quoted
from kiosk.content.theme import THEMES, Theme, theme_names
from kiosk.content.visible import (
    HAN,
    RUN,
    UNITS,
    Location,
    Piece,
    SlideText,
    count,
    slide_texts,
    word_list,
)
from kiosk.content.yamlfile import Path_, YamlDocument, YamlFileError, read_yaml_file

# -- where things are ---------------------------------------------------------------------


class Locator:
    """Line and column of a path in a content file, read again from the folder (the deck keeps
    its models, not its YAML): every finding says where to edit, as validate's problems do."""

    def __init__(self, deck: Deck) -> None:
        self.root = Path(os.path.realpath(deck.root))
        self.metric_list = list(deck.settings.metrics)
        self._docs: dict[str, YamlDocument | None] = {}
        self._metric_file: dict[str, str] = {}

    def doc(self, file: str) -> YamlDocument | None:
        if file not in self._docs:
            try:
                self._docs[file] = read_yaml_file(self.root / file, file)
            except (YamlFileError, OSError):
                self._docs[file] = None  # changed since it was loaded: the file, unplaced
        return self._docs[file]

    def data(self, file: str) -> Any:
        """The YAML data of a file, or None when it cannot be read."""
        doc = self.doc(file)
        return doc.data if doc is not None else None

    def metric_file(self, key: str) -> str:
        """The metrics file (as deck.yaml lists it) that defines `key`."""
        if not self._metric_file:
            for file in self.metric_list:
                doc = self.doc(file)
                data = doc.data.get("metrics") if doc and isinstance(doc.data, dict) else None
                for name in data if isinstance(data, dict) else ():
                    self._metric_file.setdefault(str(name), file)
        return self._metric_file.get(key, self.metric_list[0] if self.metric_list else "")

    def place(self, at: Location) -> tuple[int | None, int | None]:
        doc = self.doc(at.file)
        if doc is None:
            return None, None
        mark = doc.value_mark(at.path)
        return mark.line, mark.col


# -- findings and checks ------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the audit asks the curator to look at."""

    kind: str
    message: str
    at: Location | None = None
    slide: str | None = None
    language: str | None = None
    severity: Severity = "warning"


@dataclass
class AuditContext:
    """What every check reads: the deck, its audit settings and every slide's text (the
    visible text per language, `SlideText.visible`, is also what a narration would speak;
    `of("card")` the cards). `extra` carries what a layer above content hands its own checks
    (a screen's size, the themes as drawn), by name."""

    deck: Deck
    settings: AuditSettings
    slides: list[SlideText]
    locator: Locator
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def languages(self) -> Sequence[str]:
        return tuple(self.deck.settings.languages)


Check = Callable[[AuditContext], Iterable[Finding]]
"""A check: a small function of the context, yielding its findings. Each has a `kind` of its
own (the JSON's and the README's name for it); one of no one slide (a theme's colours) has
`slide=None` and is listed in the JSON's top-level `findings`."""


def _amount(n: int, lang: str) -> str:
    unit = UNITS.get(lang, "words")
    return f"{n} {unit[:-1] if n == 1 else unit}"


def _in(piece: Piece, lang: str) -> Location:
    """The place of a text's `lang` (`body.en`), or of the text when it is not per language."""
    at = piece.at
    return Location(at.file, (*at.path, lang)) if piece.by_language else at


def check_glance(ctx: AuditContext) -> Iterator[Finding]:
    """A body (all a slide shows but its headline) longer than the deck's glance limit."""
    for st in ctx.slides:
        body = st.of("body")
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            if n.body <= n.limit:
                continue
            key = "glance_chars" if lang == "zh" else "glance_words"
            at = next((_in(p, lang) for p in body if count(p.text(lang))), None)
            yield Finding(
                "glance",
                f"{st.slide.id}: the {lang} text under the headline has "
                f"{_amount(n.body, lang)}, more than a glance ({n.limit}, audit.{key}): "
                "keep a headline and one figure or picture, move the rest into cards",
                at,
                st.slide.id,
                lang,
            )


def check_reading_time(ctx: AuditContext) -> Iterator[Finding]:
    """Visible text that takes longer to read than the slide stays on screen."""
    for st in ctx.slides:
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            if n.reading_seconds <= n.duration:
                continue
            path: Path_ = ("duration",) if st.slide.duration is not None else ("id",)
            yield Finding(
                "reading",
                f"{st.slide.id}: reading its {lang} text takes about {n.reading_seconds:g} s "
                f"({_amount(n.total, lang)}), longer than its {n.duration:g} s on screen: "
                "shorten the text or lengthen duration",
                Location(st.file, path),
                st.slide.id,
                lang,
            )


_DIGITS = re.compile(r"[0-9\uff10-\uff19][0-9\uff10-\uff19.,]*")


def check_figure_sources(ctx: AuditContext) -> Iterator[Finding]:
    """A number on a slide with no source line to trace it to: a figure written in the slide
    (a chart's values, a date, digits in a text) when the slide has no `source`. A metric's
    figure carries its own source, which the slide's foot shows (`Deck.source`): one the foot
    does not show (an element of a new type the loader's `metric_keys` does not know) has no
    source on screen either."""
    for st in ctx.slides:
        if st.slide.source is not None:
            continue
        footed = set(metric_keys(st.slide))
        for piece in st.of("headline", "body"):
            if piece.figure == "metric":
                if piece.metric is not None and piece.metric not in footed:
                    yield Finding(
                        "unsourced",
                        f"{st.slide.id}: {display_path(piece.at.path)} shows the figure "
                        f"{quoted(piece.metric)}, whose source the slide's foot does not show: "
                        "give the slide a source line (source:)",
                        piece.at,
                        st.slide.id,
                    )
                continue
            found = next(
                (
                    (m.group(), lang)
                    for lang in ctx.languages
                    for m in [_DIGITS.search(piece.text(lang))]
                    if m
                ),
                None,
            )
            if found is None:
                continue
            number, lang = found
            what = "date" if _is_date(st.slide, piece.at.path) else "figure"
            at = _in(piece, lang)
            yield Finding(
                "unsourced",
                f"{st.slide.id}: {display_path(at.path)} shows the {what} "
                f"{quoted(number.rstrip('.,'))} with no source: give the slide a source line "
                "(source:), or take the figure from a metrics file, which carries its own",
                at,
                st.slide.id,
            )


def _is_date(slide: SlideBase, path: Path_) -> bool:
    value: Any = slide
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, str(part), None)
    return isinstance(value, PartialDate)


_STOP = frozenset(
    word_list(
        "a an the of and or in on at to for by with from as is are was were be been being has "
        "have had it its this that these those which who whose here there also such than into "
        "per all each both one"
    )
) | frozenset("的了是为和与在及其之也并而等个")
"""Function words: no card adds anything by them."""
_EQUIVALENT = {
    "km²": "square kilometre kilometres km",
    "km2": "square kilometre kilometres km",
    "%": "percent per cent",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "us$": "us dollar dollars",
    "nevs": "nev new energy vehicle vehicles",
    "nev": "new energy vehicle vehicles",
}
"""What a shown text says in other words, so a card that spells it out adds nothing."""


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The words of a text that carry meaning, in one form for comparing: Han characters one
    by one, words lower-cased and singular, numbers without their commas, no function words."""
    found = HAN.findall(text)
    for run in RUN.findall(HAN.sub(" ", text.lower())):
        word = run.replace(",", "") if run[0].isdigit() else run
        found.extend(_stem(part) for part in re.split(r"[-'\u2019]", word) if part)
    return [t for t in found if t not in _STOP]


def _seen(text: str) -> set[str]:
    seen = set(tokens(text))
    lowered = text.lower()
    for shown, means in _EQUIVALENT.items():
        if shown in lowered:
            seen.update(tokens(means))
    return seen


def novelty(card: str, shown: str) -> tuple[int, int]:
    """How many of a card's meaningful words `shown` lacks, and of how many."""
    words = tokens(card)
    seen = _seen(shown)
    return sum(1 for w in words if w not in seen), len(words)


def _plain(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


SOURCE_LINES = re.compile(r"^\s*(?:sources?\s*[:：]|来源\s*[:：]|资料来源)", re.IGNORECASE)
"""A card's line naming its source (`Source: ECNS, Jan 2026`, `来源：中国新闻网`): the card
should carry it, but it adds nothing to what the element says."""


def without_sources(card: str) -> str:
    """A card's text without its source lines."""
    return "\n".join(line for line in card.splitlines() if not SOURCE_LINES.match(line))


def repeats(card: str, shown: str, least_new: float) -> tuple[bool, int, int]:
    """Whether a card only repeats `shown`: under `least_new` of its words are new, or its
    text is nearly the same (difflib's ratio above 0.8) or contained in what is shown. Its
    source lines are left out: they belong on a card but say nothing of the element."""
    card = without_sources(card)
    new, total = novelty(card, shown)
    a, b = _plain(card), _plain(shown)
    same = bool(a) and (a in b or difflib.SequenceMatcher(None, a, b).ratio() > 0.8)
    return same or total == 0 or new < least_new * total, new, total


def _new_of(new: int, total: int, lang: str, *, named: bool) -> str:
    unit = UNITS.get(lang, "words")
    said = f"{new} of its {total} {unit[:-1] if total == 1 else unit} new"
    return f"{lang}: {said}" if named else said


def _card_languages(card: Piece, languages: Sequence[str]) -> Sequence[str]:
    """The languages to compare a card in: each of its own, or, for one text shown in every
    language, the one it is written in (Chinese when it has Han characters)."""
    if card.by_language or len(languages) < 2:
        return languages
    lang = "zh" if HAN.search(card.text(languages[0])) else "en"
    return [lang if lang in languages else languages[0]]


def check_repeated_cards(ctx: AuditContext) -> Iterator[Finding]:
    """A card that adds nothing to what its element shows (with the slide's headline and the
    show's title, which the visitor has already read)."""
    title = ctx.deck.settings.title
    for st in ctx.slides:
        headline = st.of("headline")
        for element, card, shown in st.cards():
            said: list[str] = []
            for lang in _card_languages(card, ctx.languages):
                context = [title.get(lang), *(p.text(lang) for p in headline + shown)]
                repeated, new, total = repeats(
                    card.text(lang), "\n".join(context), ctx.settings.card_novelty
                )
                if repeated:
                    said.append(_new_of(new, total, lang, named=card.by_language))
            if not said:
                continue
            whose = (
                f" (the metric {quoted(card.at.path[1])}'s detail)"
                if card.at.file != element.file and card.at.path[:1] == ("metrics",)
                else ""
            )
            yield Finding(
                "repeated-card",
                f"{st.slide.id}: the card of {display_path(element.path)}{whose} only repeats what "
                f"it shows ({'; '.join(said)}): give the date, context or comparison it does not",
                card.at,
                st.slide.id,
            )


# -- colours ----------------------------------------------------------------------------------


def audited_themes(deck: Deck, folder: Path | None = None) -> list[Path]:
    """Every theme a visitor can see: each theme file the kiosk has in `folder` (its own
    themes by default), the deck's and the high-contrast one the visitor's control switches
    to among them."""
    base = folder or THEMES
    names = theme_names() if folder is None else sorted(p.stem for p in folder.glob("*.yaml"))
    files = [base / f"{name}.yaml" for name in names]
    ours = base / f"{deck.settings.theme}.yaml"
    return files if ours in files else [ours, *files]


def read_theme(path: Path) -> Theme:
    """A theme file, read as the kiosk reads its own (ValueError or OSError when it cannot be)."""
    return Theme.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def check_contrast(ctx: AuditContext) -> Iterator[Finding]:
    """A colour pair the slides or the chrome draw, in any theme, under WCAG 2.2 AA: 4.5:1
    for text, 3:1 for large text and for what makes a control or a graphic seen (the
    kiosk's theme files, or those of the folder `extra["themes"]`)."""
    for path in audited_themes(ctx.deck, ctx.extra.get("themes")):
        name, file = path.stem, str(path)
        try:
            theme = read_theme(path)
            measured = list(measure(theme))
        except (OSError, ValueError, yaml.YAMLError) as exc:  # pydantic's are ValueErrors
            first = str(exc).splitlines()[0]
            yield Finding(
                "contrast",
                f"theme {name}: cannot be measured: {first}",
                Location(file, ()),
                severity="error",
            )
            continue
        for m in measured:
            if m.passed:
                continue
            pair = m.pair
            ink = " + ".join(str(layer) for layer in layers(pair.ink))
            ground = " + ".join(str(layer) for layer in layers(pair.ground))
            yield Finding(
                "contrast",
                f"theme {name}: {pair.used}: {ink} on {ground} is {m.ratio:.2f}:1, under the "
                f"{m.minimum:g}:1 WCAG 2.2 AA asks of {ROLE_NAMES[m.role]}; "
                f"nearest passing: {nearest_passing(m, theme.colors)}",
                Location(file, ("colors", pair.named)),
                severity="error",
            )


# -- narration --------------------------------------------------------------------------------


def check_narration(ctx: AuditContext) -> Iterator[Finding]:
    """A slide the listen control would be silent on in a language: no words to synthesise
    (`narration.slide_script` is empty) and no recording (`audio:`) in that language."""
    from kiosk.content.narration import recorded, slide_script

    for st in ctx.slides:
        slide = st.slide
        for lang in ctx.languages:
            if recorded(ctx.deck, slide, lang) is not None:
                continue
            if slide_script(ctx.deck, slide, lang).strip():
                continue
            yield Finding(
                "narration",
                f"{slide.id}: nothing to say in {lang}: the slide shows no text the kiosk "
                f"can speak and has no recording; give it a heading or a recording "
                f"(audio: {{{lang}: audio/{slide.id}.{lang}.wav}})",
                Location(st.file, ("id",)),
                slide.id,
                lang,
                severity="error",
            )


CHECKS: list[Check] = [
    check_glance,
    check_reading_time,
    check_figure_sources,
    check_repeated_cards,
    check_contrast,
    check_narration,
]
"""The audit's checks, in the order their findings are listed; each is a small function of
the context, so another check is one more function here."""


# -- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """The audit of one deck: each slide counted in each language, and the findings."""

    context: AuditContext
    findings: tuple[Finding, ...]

    def problems(self) -> list[Problem]:
        """The findings as validate's located problems."""
        out: list[Problem] = []
        for f in self.findings:
            file, line, col = self.where(f)
            out.append(
                Problem(file or str(self.context.deck.root), line, col, f.message, f.severity)
            )
        return out

    def passed(self, *, strict: bool) -> bool:
        """No finding is an error (and none at all, with `strict`)."""
        return not any(strict or f.severity == "error" for f in self.findings)

    def where(self, finding: Finding) -> tuple[str | None, int | None, int | None]:
        if finding.at is None:
            return None, None, None
        line, col = self.context.locator.place(finding.at)
        return finding.at.file, line, col


def audit_deck(
    deck: Deck, checks: Sequence[Check] = CHECKS, extra: Mapping[str, Any] | None = None
) -> Audit:
    """Run `checks` over a valid deck (`extra`: what checks of other layers read)."""
    locator = Locator(deck)
    texts = slide_texts(deck, locator.metric_file, locator.data)
    context = AuditContext(deck, deck.settings.audit, texts, locator, dict(extra or {}))
    order = {st.slide.id: st.index for st in context.slides}
    found = [f for check in checks for f in check(context)]
    # A slide's findings together, in slide order (the deck's own first), each check's in turn.
    findings = sorted(found, key=lambda f: -1 if f.slide is None else order.get(f.slide, -1))
    return Audit(context, tuple(findings))


def audit_summary(audit: Audit, folder: str, *, strict: bool) -> str:
    """The last line: how many slides in which languages, and how many findings."""
    slides = len(audit.context.slides)
    languages = " and ".join(audit.context.languages)
    errors = sum(f.severity == "error" for f in audit.findings)
    warnings = len(audit.findings) - errors
    said = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((errors, "error"), (warnings, "warning"))
        if n
    ]
    audited = f"{folder}: audited {slides} slide{'s' if slides != 1 else ''} in {languages}"
    if not said:
        return f"{audited}, no findings"
    if not audit.passed(strict=strict):
        why = ", errors with --strict" if strict and warnings else ""
        return f"{folder}: audit failed ({', '.join(said)}{why})"
    return f"{audited}, {', '.join(said)}"


def table_lines(audit: Audit) -> list[str]:
    """The per-slide table: slide, language, headline and body counts, reading time."""
    ctx = audit.context
    width = max([len(st.slide.id) for st in ctx.slides] + [5])
    lines = [
        f"{'#':>3}  {'slide':<{width}}  lang  {'headline':>8}  {'body / glance':>18}  "
        "reading / on screen"
    ]
    for st in ctx.slides:
        for i, lang in enumerate(ctx.languages):
            n = st.count(lang, ctx.settings)
            unit = "chars" if lang == "zh" else "words"
            over_body = "!" if n.body > n.limit else " "
            over_time = "!" if n.reading_seconds > n.duration else " "
            number = f"{st.index + 1:>3}" if i == 0 else "   "
            name = st.slide.id if i == 0 else ""
            lines.append(
                f"{number}  {name:<{width}}  {lang:<4}  {n.headline:>8}  "
                f"{f'{n.body} / {n.limit} {unit}':>17}{over_body}  "
                f"{n.reading_seconds:>5.1f} s / {n.duration:g} s{over_time}".rstrip()
            )
    return lines + screen_lines(audit)


def screen_lines(audit: Audit) -> list[str]:
    """The screens measured (when a check of the UI measured them): each picture's size and
    height, its highest control against the reach, its smallest control and tap target."""
    screens = audit.context.extra.get("screens") or []
    if not screens:
        return []
    width = max(len(s["name"]) for s in screens)
    lines = [
        f"{'screen':<{width}}  {'picture, above the floor':<30}  highest control  "
        "smallest control  tap targets"
    ]
    for s in screens:
        picture = (
            f"{s['width_mm']:.0f} x {s['height_mm']:.0f} mm, "
            f"{s['bottom']:.2f}-{s['bottom'] + s['height_mm'] / 1000:.2f} m"
        )
        reach = f"{s['highest_control']:.2f} / {s['reach']:g} m"
        smallest = s["smallest_target_mm"]
        targets = f"{s['targets']}" + (f", smallest {smallest:.1f} mm" if smallest else "")
        lines.append(
            f"{s['name']:<{width}}  {picture:<30}  {reach:>15}  "
            f"{s['smallest_control_mm']:>13.1f} mm  {targets}"
        )
    return lines


def audit_json(audit: Audit, folder: str, *, strict: bool) -> dict[str, Any]:
    """The audit as one JSON object (its keys are documented in the README)."""
    ctx = audit.context

    def finding(f: Finding) -> dict[str, Any]:
        file, line, col = audit.where(f)
        return {
            "kind": f.kind,
            "severity": "error" if strict else f.severity,
            "message": f.message,
            "language": f.language,
            "location": None
            if file is None
            else {
                "file": file,
                "line": line,
                "column": col,
                "path": display_path(f.at.path) if f.at else "",
            },
        }

    slides = []
    for st in ctx.slides:
        languages = {}
        for lang in ctx.languages:
            n = st.count(lang, ctx.settings)
            languages[lang] = {
                "unit": UNITS.get(lang, "words"),
                "headline": n.headline,
                "body": n.body,
                "total": n.total,
                "glance_limit": n.limit,
                "reading_seconds": n.reading_seconds,
                "duration": n.duration,
                "cards": len(st.of("card")),
            }
        slides.append(
            {
                "index": st.index + 1,
                "id": st.slide.id,
                "type": st.slide.slide_type,
                "file": st.file,
                "duration": st.duration,
                "languages": languages,
                "findings": [finding(f) for f in audit.findings if f.slide == st.slide.id],
            }
        )
    settings = ctx.settings.model_dump()
    return {
        "folder": folder,
        "valid": True,
        "strict": strict,
        "passed": audit.passed(strict=strict),
        "settings": settings,
        "languages": list(ctx.languages),
        "slides": slides,
        "findings": [finding(f) for f in audit.findings if f.slide is None],
        "themes": themes_json(ctx.deck, ctx.extra.get("themes")),
        "screens": list(ctx.extra.get("screens", [])),
        "summary": {"slides": len(ctx.slides), "findings": len(audit.findings)},
    }


def themes_json(deck: Deck, folder: Path | None = None) -> list[dict[str, Any]]:
    """Each theme's colour pairs in short: how many, how many fail, the lowest against its
    minimum (the contrast findings say which fail and where)."""
    out: list[dict[str, Any]] = []
    for path in audited_themes(deck, folder):
        name = path.stem
        try:
            measured = list(measure(read_theme(path)))
        except (OSError, ValueError, yaml.YAMLError):
            out.append({"name": name, "pairs": 0, "failing": None, "lowest": None})
            continue
        low = min(measured, key=lambda m: m.ratio / m.minimum)
        out.append(
            {
                "name": name,
                "pairs": len(measured),
                "failing": sum(not m.passed for m in measured),
                "lowest": {
                    "used": low.pair.used,
                    "role": low.role,
                    "ratio": round(low.ratio, 2),
                    "minimum": low.minimum,
                },
            }
        )
    return out
