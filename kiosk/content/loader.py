"""Loading a content folder into a Deck, or every located problem with it in one pass."""

from __future__ import annotations

import gc
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from kiosk.content.audio import AUDIO_SUFFIXES, MAX_AUDIO_BYTES, AudioProblem, check_audio
from kiosk.content.errors import display_path, located
from kiosk.content.files import FileTooLarge, UnreadableFile, os_reason
from kiosk.content.folder import (
    DECK_FILE,
    IMAGE_SUFFIXES,
    FolderReader,
    MissingFile,
    OutsideFolder,
)
from kiosk.content.images import MAX_IMAGE_BYTES, image_problem
from kiosk.content.model import (
    ChartSlide,
    DeckFile,
    DiagramSlide,
    IconTile,
    MapBase,
    MapSlide,
    Metric,
    MetricsFile,
    Node,
    Series,
    Slide,
    SlideBase,
    Text,
    TextSlide,
    Tile,
    TitleSlide,
)
from kiosk.content.model.map import MAX_AREAS, MAX_RIVERS
from kiosk.content.problems import ContentError, Problem, did_you_mean, quoted
from kiosk.content.yamlfile import (
    MAX_FILE_BYTES,
    Path_,
    YamlDocument,
    YamlFileError,
    parse_yaml_bytes,
    too_large,
)

LANGUAGE_NAMES = {"zh": "Chinese (zh)", "en": "English (en)"}

_SLIDE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Slide)


@dataclass(frozen=True)
class Deck:
    """A whole valid show: settings, slides in order, figures by key, and where it came from."""

    root: Path
    settings: DeckFile
    slides: tuple[SlideBase, ...]
    slide_files: tuple[str, ...]
    metrics: Mapping[str, Metric]
    revision: str
    warnings: tuple[Problem, ...] = ()
    _index: Mapping[str, int] = field(default_factory=dict, repr=False)

    def index_of(self, slide_id: str) -> int | None:
        """Position of the slide with this id, or None when the deck has no such slide."""
        return self._index.get(slide_id)

    def asset(self, relative: str) -> Path:
        """The file of an asset path already checked to lie in the content folder."""
        return self.root / relative

    def duration(self, slide: SlideBase) -> float:
        """Seconds the slide stays on in the loop."""
        return slide.duration if slide.duration is not None else self.settings.loop.slide_duration

    def transition(self, slide: SlideBase) -> str:
        """The transition into this slide."""
        return slide.transition or self.settings.loop.transition

    def with_loop(self, **changes: Any) -> Deck:
        """This deck with some of its loop settings changed (the one way to override them:
        a kiosk's configured `idle_timeout`, a benchmark's transition)."""
        loop = self.settings.loop.model_copy(update=changes)
        return replace(self, settings=self.settings.model_copy(update={"loop": loop}))

    def source(self, slide: SlideBase) -> list[Text]:
        """Source lines for the slide's foot: its own, or those of the figures it shows."""
        if slide.source is not None:
            return [slide.source]
        sources: list[Text] = []
        for key in metric_keys(slide):
            metric = self.metrics.get(key)
            if metric is not None and metric.source not in sources:
                sources.append(metric.source)
        return sources


def metric_keys(slide: SlideBase) -> list[str]:
    """Metric keys a slide refers to, in the order it shows them."""
    keys: list[str] = list(slide.figures) if isinstance(slide, TitleSlide) else []
    for _, value in walk(slide, ()):
        if isinstance(value, Tile):
            keys.append(value.metric)
        elif isinstance(value, Series) and value.metrics:
            keys.extend(value.metrics)
    return keys


def walk(obj: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    """Every value nested in a model, with its path as the curator wrote it."""
    yield path, obj
    if isinstance(obj, Text):
        return
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            yield from walk(getattr(obj, name), (*path, info.alias or name))
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from walk(item, (*path, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk(item, (*path, key))


class _Loading(FolderReader):
    """One pass over a content folder, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.hash = hashlib.sha256()
        self.docs: dict[str, YamlDocument] = {}
        self.bases: dict[str, MapBase | None] = {}
        """Base map files read, by their place in the folder (None: one that failed)."""

    # -- documents --------------------------------------------------------------------------

    def read(self, real: Path, raw: bytes, display: str = "") -> YamlDocument | None:
        display = display or self._display(real)
        try:
            doc = parse_yaml_bytes(raw, display)
        except YamlFileError as exc:
            self.problems.extend(exc.problems)
            return None
        self.hash.update(display.encode() + b"\0" + raw + b"\0")
        self.docs[display] = doc
        return doc

    def validate(self, doc: YamlDocument, model: Any, *, tagged: bool = False) -> Any | None:
        try:
            if tagged:
                return _SLIDE_ADAPTER.validate_python(doc.data)
            return model.model_validate(doc.data)
        except ValidationError as exc:
            self.problems.extend(located(doc, exc, model, tagged=tagged))
            return None

    # -- the deck ---------------------------------------------------------------------------

    def run(self) -> Deck | None:
        try:
            status = os.stat(self.root)
        except (OSError, ValueError) as exc:
            missing = isinstance(exc, FileNotFoundError) and not os.path.islink(self.root)
            reason = (
                "no such content folder"
                if missing
                else (f"cannot read the content folder: {os_reason(exc, self.root)}")
            )
            self.problems.append(Problem(str(self.root), None, None, reason))
            return None
        if not stat.S_ISDIR(status.st_mode):
            self.problems.append(
                Problem(str(self.root), None, None, "not a folder; give the content folder")
            )
            return None
        try:
            deck_real, deck_raw = self._read(self.root / DECK_FILE, MAX_FILE_BYTES)
        except MissingFile as exc:
            linked = os.path.islink(self.root / DECK_FILE)
            message = (
                f"the file {exc.reason}" if linked else f"the content folder has no {DECK_FILE}"
            )
            self.problems.append(Problem(DECK_FILE, None, None, message))
            return None
        except OutsideFolder as exc:
            self.problems.append(
                Problem(DECK_FILE, None, None, f"the file {exc.reason}; files must be inside it")
            )
            return None
        except FileTooLarge as exc:
            self.problems.append(too_large(DECK_FILE, exc.size))
            return None
        except UnreadableFile as exc:
            self.problems.append(
                Problem(DECK_FILE, None, None, f"cannot read the file: {exc.reason}")
            )
            return None
        # Named as the curator knows it, even when it is a link to another file of the folder.
        deck_doc = self.read(deck_real, deck_raw, DECK_FILE)
        if deck_doc is None:
            return None
        settings = self.validate(deck_doc, DeckFile)
        slide_refs = self._listed(deck_doc, settings, "slides")
        metric_refs = self._listed(deck_doc, settings, "metrics")

        metrics, metric_places = self._load_metrics(deck_doc, metric_refs)
        slides: list[tuple[str, YamlDocument, SlideBase]] = []
        for index, relative in slide_refs:
            found = self.resolve(deck_doc, ("slides", index), relative, what="slide file")
            if found is None:
                continue
            doc = self.read(*found)
            if doc is None:
                continue
            slide = self.validate(doc, Slide, tagged=True)
            if slide is not None:
                slides.append((doc.path, doc, slide))

        languages = settings.languages if settings else ["zh", "en"]
        self._check_ids(slides)
        for _, doc, slide in slides:
            self._check_slide(doc, slide, metrics, languages)
            self._check_audio(doc, slide, languages, settings)
        # A map's base map goes in under its own rivers and areas here, so that everything
        # after the loader (views, audit, glossary) sees the whole map.
        slides = [
            (path, doc, self._with_base(doc, slide, languages)) for path, doc, slide in slides
        ]
        for key, metric in metrics.items():
            doc, path = metric_places[key]
            self._check_texts(doc, walk(metric, path), languages)
        if settings is not None:
            self._check_texts(deck_doc, walk(settings, ()), languages)
            shown = [slide for _, _, slide in slides] + list(metrics.values()) + [settings]
            self._check_glossary(deck_doc, settings, shown)
        self.unlisted({d for _, d in slide_refs} | {d for _, d in metric_refs} | set(self.bases))

        if settings is None or any(p.is_error for p in self.problems):
            return None
        ordered = tuple(slide for _, _, slide in slides)
        return Deck(
            root=self.root,
            settings=settings,
            slides=ordered,
            slide_files=tuple(path for path, _, _ in slides),
            metrics=MappingProxyType(metrics),
            revision=self.hash.hexdigest()[:16],
            warnings=tuple(p for p in self.problems if not p.is_error),
            _index=MappingProxyType({s.id: i for i, s in enumerate(ordered)}),
        )

    def _listed(
        self, doc: YamlDocument, settings: DeckFile | None, key: str
    ) -> list[tuple[int, str]]:
        """The files a deck lists, read from the raw data when the deck itself is invalid."""
        raw = (
            getattr(settings, key)
            if settings
            else (doc.data or {}).get(key)
            if isinstance(doc.data, dict)
            else None
        )
        if not isinstance(raw, list):
            return []
        listed: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for index, relative in enumerate(raw):
            if not isinstance(relative, str):
                continue
            normal = PurePosixPath(relative.replace("\\", "/")).as_posix()
            if normal in seen:
                self.problems.append(
                    doc.problem(
                        (key, index),
                        f"{key}[{index}]: {quoted(relative)} is listed twice "
                        f"(also {key}[{seen[normal]}])",
                    )
                )
                continue
            seen[normal] = index
            listed.append((index, relative))
        return listed

    def _load_metrics(
        self, deck_doc: YamlDocument, refs: list[tuple[int, str]]
    ) -> tuple[dict[str, Metric], dict[str, tuple[YamlDocument, Path_]]]:
        metrics: dict[str, Metric] = {}
        places: dict[str, tuple[YamlDocument, Path_]] = {}
        for index, relative in refs:
            found = self.resolve(deck_doc, ("metrics", index), relative, what="metrics file")
            if found is None:
                continue
            doc = self.read(*found)
            if doc is None:
                continue
            parsed: MetricsFile | None = self.validate(doc, MetricsFile)
            if parsed is None:
                continue
            for key, metric in parsed.metrics.items():
                if key in places:
                    other, other_path = places[key]
                    mark = other.key_mark(other_path)
                    self.problems.append(
                        doc.problem(
                            ("metrics", key),
                            f"metric {quoted(key)} is defined twice (also at "
                            f"{other.path}:{mark.line}:{mark.col})",
                            at_key=True,
                        )
                    )
                    continue
                metrics[key] = metric
                places[key] = (doc, ("metrics", key))
        return metrics, places

    # -- checks across files ----------------------------------------------------------------

    def _check_ids(self, slides: list[tuple[str, YamlDocument, SlideBase]]) -> None:
        first: dict[str, YamlDocument] = {}
        for _, doc, slide in slides:
            if slide.id in first:
                other = first[slide.id]
                mark = other.value_mark(("id",))
                self.problems.append(
                    doc.problem(
                        ("id",),
                        f"id: slide id {quoted(slide.id)} is already used by "
                        f"{other.path}:{mark.line}:{mark.col}",
                    )
                )
            else:
                first[slide.id] = doc

    def _check_slide(
        self,
        doc: YamlDocument,
        slide: SlideBase,
        metrics: Mapping[str, Metric],
        languages: list[str],
    ) -> None:
        prefix = (slide.slide_type,)

        def where(path: Path_) -> str:
            return display_path(prefix + path)

        def metric_ref(path: Path_, key: str) -> Metric | None:
            if key in metrics:
                return metrics[key]
            self.problems.append(
                doc.problem(
                    path,
                    f"{where(path)}: no metric is defined with the key {quoted(key)}"
                    + did_you_mean(key, metrics),
                )
            )
            return None

        walked = list(walk(slide, ()))  # once: every check below reads the same walk
        if isinstance(slide, TitleSlide):
            for i, key in enumerate(slide.figures):
                metric_ref(("figures", i), key)
        for path, value in walked:
            if isinstance(value, Tile):
                metric_ref((*path, "metric"), value.metric)
            elif isinstance(value, Series) and value.metrics:
                for i, key in enumerate(value.metrics):
                    metric = metric_ref((*path, "metrics", i), key)
                    if (
                        metric is not None
                        and isinstance(slide, ChartSlide)
                        and slide.kind == "share"
                        and metric.format != "percent"
                    ):
                        self.problems.append(
                            doc.problem(
                                (*path, "metrics", i),
                                f"{where((*path, 'metrics', i))}: a share chart shows "
                                f"percentages, but metric {quoted(key)} is not a percent "
                                "figure (format: percent)",
                            )
                        )
        for path, relative in _asset_fields(walked):
            found = self.resolve(
                doc,
                path,
                relative,
                what="image",
                shown=where(path),
                limit=MAX_IMAGE_BYTES,
                image=True,
            )
            if found is None:
                continue
            file, data = found
            if file.suffix.lower() not in IMAGE_SUFFIXES:  # a link to a file that is no image
                self._not_an_image(doc, path, where(path), relative)
                continue
            problem = image_problem(file, data)
            if problem is not None:
                self.problems.append(
                    replace(
                        doc.problem(
                            path, f"{where(path)}: {problem}; a placeholder is shown instead"
                        ),
                        severity="warning",
                    )
                )
            else:
                self.hash.update(self._display(file).encode() + b"\0" + data)
        if isinstance(slide, DiagramSlide):
            ids = [node.id for node in slide.nodes]
            for i, link in enumerate(slide.links):
                for end in ("from", "to"):
                    target = link.from_ if end == "from" else link.to
                    if target not in ids:
                        path = ("links", i, end)
                        self.problems.append(
                            doc.problem(
                                path,
                                f"{where(path)}: no node has the id {quoted(target)}"
                                + did_you_mean(target, ids),
                            )
                        )
        self._check_texts(doc, walked, languages, prefix=prefix)

    def _check_audio(
        self,
        doc: YamlDocument,
        slide: SlideBase,
        languages: list[str],
        settings: DeckFile | None,
    ) -> None:
        """A slide's recorded narration: each file in the content folder, of a language the
        deck shows, a whole recording the kiosk can play; longer than the slide stays on in
        the loop is a warning (the loop moves on and cuts it)."""
        if not slide.audio:
            return
        for lang, relative in slide.audio.items():
            path: Path_ = ("audio", lang)
            shown = display_path((slide.slide_type, *path))
            if lang not in languages:
                self.problems.append(
                    doc.problem(
                        path,
                        f"{shown}: the deck is not shown in {LANGUAGE_NAMES[lang]}; its "
                        f"languages are {' and '.join(languages)}",
                        at_key=True,
                    )
                )
                continue
            suffix = PurePosixPath(relative.replace("\\", "/")).suffix.lower()
            if relative.strip() and suffix not in AUDIO_SUFFIXES:
                # Said before reading: a large file that is no recording is not worth reading.
                self.problems.append(
                    doc.problem(
                        path,
                        f"{shown}: {quoted(relative)} is not a recording "
                        f"({', '.join(AUDIO_SUFFIXES)})",
                    )
                )
                continue
            found = self.resolve(
                doc, path, relative, what="audio file", shown=shown, limit=MAX_AUDIO_BYTES
            )
            if found is None:
                continue
            file, data = found
            try:
                facts = check_audio(data, file.suffix if file.suffix else suffix)
            except AudioProblem as exc:
                self.problems.append(
                    doc.problem(path, f"{shown}: cannot play {quoted(relative)}: {exc.reason}")
                )
                continue
            self.hash.update(self._display(file).encode() + b"\0" + data)
            if facts.silent:
                self.problems.append(
                    replace(
                        doc.problem(
                            path, f"{shown}: {quoted(relative)} is silent (every sample is zero)"
                        ),
                        severity="warning",
                    )
                )
            on_screen = (
                slide.duration
                if slide.duration is not None
                else settings.loop.slide_duration
                if settings is not None
                else None
            )
            if on_screen is not None and facts.seconds > on_screen:
                self.problems.append(
                    replace(
                        doc.problem(
                            path,
                            f"{shown}: the recording is {facts.seconds:.1f} s long, longer than "
                            f"the slide's {on_screen:g} s in the loop, which moves on before it "
                            "ends",
                        ),
                        severity="warning",
                    )
                )

    def _with_base(self, doc: YamlDocument, slide: SlideBase, languages: list[str]) -> SlideBase:
        """`slide` with its base map's aspect, rivers and areas under its own (a map slide
        naming a base), else as it is; a base that cannot be read is a problem at `base`."""
        if not isinstance(slide, MapSlide) or slide.base is None:
            return slide
        base = self._base(doc, slide.base, languages)
        if base is None:
            return slide
        rivers, areas = list(base.rivers), list(base.areas)
        if not slide.base_names:
            rivers = [river.model_copy(update={"name": None}) for river in rivers]
            areas = [area.model_copy(update={"label": None, "detail": None}) for area in areas]
        for what, mine, theirs, most in (
            ("rivers", slide.rivers, rivers, MAX_RIVERS),
            ("areas", slide.areas, areas, MAX_AREAS),
        ):
            if len(mine) + len(theirs) > most:
                self.problems.append(
                    doc.problem(
                        ("base",),
                        f"map.base: its {len(theirs)} {what} and the slide's {len(mine)} are "
                        f"more than the {most} a map draws",
                    )
                )
                return slide
        return slide.model_copy(
            update={
                "aspect": slide.aspect if slide.aspect is not None else base.aspect,
                "rivers": [*rivers, *slide.rivers],
                "areas": [*areas, *slide.areas],
            }
        )

    def _base(self, doc: YamlDocument, relative: str, languages: list[str]) -> MapBase | None:
        """The base map file `relative` names, read and checked once however many maps
        draw it; its problems are placed in it (a missing one at the slide's `base`)."""
        found = self.resolve(doc, ("base",), relative, what="map file", shown="map.base")
        if found is None:
            return None
        real, raw = found
        display = self._display(real)
        if display not in self.bases:
            base_doc = self.read(real, raw)
            base = self.validate(base_doc, MapBase) if base_doc is not None else None
            if base_doc is not None and base is not None:
                self._check_texts(base_doc, walk(base, ()), languages)
            self.bases[display] = base
        return self.bases[display]

    def _check_texts(
        self,
        doc: YamlDocument,
        walked: Iterable[tuple[Path_, Any]],
        languages: list[str],
        prefix: Path_ = (),
    ) -> None:
        for path, value in walked:
            if not isinstance(value, Text):
                continue
            given = value.languages()
            if given is None:
                continue
            for lang in languages:
                if lang not in given:
                    self.problems.append(
                        doc.problem(
                            path,
                            f"{display_path(prefix + path)}: missing the "
                            f"{LANGUAGE_NAMES[lang]} text; the deck is shown in "
                            f"{' and '.join(languages)}",
                        )
                    )

    def _check_glossary(
        self, doc: YamlDocument, settings: DeckFile, shown: Iterable[BaseModel]
    ) -> None:
        """Warn of a glossary term no text of the deck contains: a misspelt name (a wrong
        character, a traditional form) keeps nothing together and would go unnoticed."""
        if not settings.glossary:
            return
        texts = "\n".join(
            text
            for model in shown
            for _, value in walk(model, ())
            if isinstance(value, Text)
            for text in ([value.root] if isinstance(value.root, str) else value.root.values())
        )
        for i, term in enumerate(settings.glossary):
            if term not in texts:
                self.problems.append(
                    replace(
                        doc.problem(
                            ("glossary", i),
                            f"glossary[{i}]: {quoted(term)} is in no text of the deck, so it "
                            "keeps nothing together (is it written as the texts write it?)",
                        ),
                        severity="warning",
                    )
                )


def _asset_fields(walked: Iterable[tuple[Path_, Any]]) -> Iterator[tuple[Path_, str]]:
    for path, value in walked:
        if isinstance(value, TitleSlide) and value.background:
            yield (*path, "background"), value.background
        elif isinstance(value, TextSlide) and value.image:
            yield (*path, "image"), value.image
        elif isinstance(value, Tile | Node | IconTile) and value.icon:
            yield (*path, "icon"), value.icon


def check_folder(root: Path) -> tuple[Deck | None, list[Problem]]:
    """Load a content folder: the deck when valid, and every problem found (warnings too)."""
    loading = _Loading(Path(root))
    # A load allocates many small objects and no cycles: the cyclic collector's passes over a
    # growing heap were the only part of loading that grew faster than the deck.
    collecting = gc.isenabled()
    gc.disable()
    try:
        deck = loading.run()
    finally:
        if collecting:
            gc.enable()
    return deck, sorted(loading.problems, key=_order)


def load_deck(root: Path) -> Deck:
    """Load a content folder, raising ContentError with every problem when it is not valid."""
    deck, problems = check_folder(root)
    if deck is None:
        raise ContentError(problems)
    return deck


def _order(problem: Problem) -> tuple[str, int, int]:
    return (problem.path, problem.line or 0, problem.col or 0)
