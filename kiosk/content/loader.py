"""Loading a content folder into a Deck, or every located problem with it in one pass."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from kiosk.content.errors import display_path, located
from kiosk.content.files import FileTooLarge, UnreadableFile, check_file, os_reason, read_limited
from kiosk.content.images import MAX_IMAGE_BYTES, image_problem
from kiosk.content.model import (
    ChartSlide,
    DeckFile,
    DiagramSlide,
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
from kiosk.content.problems import ContentError, Problem, closest, did_you_mean, quoted
from kiosk.content.schema import SCHEMA_FOLDER
from kiosk.content.yamlfile import (
    MAX_FILE_BYTES,
    Path_,
    YamlDocument,
    YamlFileError,
    parse_yaml_bytes,
    too_large,
)

DECK_FILE = "deck.yaml"
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
LANGUAGE_NAMES = {"zh": "Chinese (zh)", "en": "English (en)"}
IGNORED_FOLDERS = (SCHEMA_FOLDER,)
"""Folders of the content folder that hold no show files (the editors' JSON Schemas)."""

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
    keys: list[str] = []
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


class _Outside(UnreadableFile):
    """A path that leads out of the content folder (through a link, most often)."""


class _Missing(UnreadableFile):
    """A path at which there is nothing."""


class _Loading:
    """One pass over a content folder, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = _realpath(root)
        self.problems: list[Problem] = []
        self.hash = hashlib.sha256()
        self.docs: dict[str, YamlDocument] = {}
        self._real_dirs: dict[Path, Path] = {}

    # -- files ------------------------------------------------------------------------------
    # Every file the loader reads (deck.yaml, slides, metrics, images) is read by `_read`: where
    # it really leads is checked to be inside the content folder, and the bytes come from the
    # one reading function, which turns every refusal of the system into a reason. The bytes
    # read are the bytes parsed and hashed: the revision is of exactly what is shown.

    def _file(self, candidate: Path) -> Path:
        """Where `candidate` really leads, when that is a regular file in the content folder;
        raise _Outside, _Missing or UnreadableFile otherwise."""
        try:
            real = self._real(candidate)
        except ValueError as exc:  # a NUL in a path written as an escape
            raise UnreadableFile(os_reason(exc, candidate)) from None
        if not real.is_relative_to(self.real_root):
            raise _Outside(f'leads outside the content folder (to "{real}")')
        try:
            check_file(real)
        except UnreadableFile as exc:
            if _nothing_at(real):
                if os.path.islink(candidate):
                    raise _Missing("is a symbolic link to something that does not exist") from None
                raise _Missing("does not exist") from None
            raise exc from None
        return real

    def _read(self, candidate: Path, limit: int) -> tuple[Path, bytes]:
        """The real path and the bytes of a content file (see `_file` for what it raises)."""
        real = self._file(candidate)
        # No link is followed any more: a link swapped in after the check is refused.
        return real, read_limited(real, limit, follow=False)

    def resolve(
        self,
        doc: YamlDocument,
        path: Path_,
        relative: str,
        *,
        what: str,
        shown: str = "",
        limit: int = MAX_FILE_BYTES,
        image: bool = False,
    ) -> tuple[Path, bytes] | None:
        """Read the file an asset path names, checking that it stays in the content folder;
        every problem is at `path` in `doc` (a file that is there but cannot be read is only a
        warning for an image, which a placeholder stands in for)."""
        shown = shown or display_path(path)
        if not relative.strip():
            self.problems.append(doc.problem(path, f"{shown}: the path is empty"))
            return None
        if relative.startswith(("/", "\\")) or PureWindowsPath(relative).drive:
            self.problems.append(
                doc.problem(
                    path,
                    f"{shown}: absolute path {quoted(relative)} is not allowed; "
                    "write the path relative to the content folder",
                )
            )
            return None
        if ".." in PurePosixPath(relative.replace("\\", "/")).parts:
            self.problems.append(self._outside(doc, path, shown, relative))
            return None
        if image and PurePosixPath(relative).suffix.lower() not in IMAGE_SUFFIXES:
            # Said before reading: a large file that is no image is not worth reading.
            self._not_an_image(doc, path, shown, relative)
            return None
        candidate = self.root / relative
        try:
            return self._read(candidate, limit)
        except _Outside:
            self.problems.append(self._outside(doc, path, shown, relative))
        except _Missing as exc:
            self.problems.append(self._missing(doc, path, shown, what, relative, exc))
        except UnreadableFile as exc:
            if image:
                problem = image_problem(candidate) or f"cannot read the image: {exc.reason}"
                self.problems.append(
                    replace(
                        doc.problem(path, f"{shown}: {problem}; a placeholder is shown instead"),
                        severity="warning",
                    )
                )
            elif isinstance(exc, FileTooLarge):
                self.problems.append(too_large(self._shown(candidate, relative), exc.size))
            else:
                self.problems.append(
                    doc.problem(
                        path, f"{shown}: cannot read {what} {quoted(relative)}: {exc.reason}"
                    )
                )
        return None

    def _outside(self, doc: YamlDocument, path: Path_, shown: str, relative: str) -> Problem:
        return doc.problem(
            path,
            f"{shown}: path {quoted(relative)} leads outside the content "
            "folder; files must be inside it",
        )

    def _missing(
        self,
        doc: YamlDocument,
        path: Path_,
        shown: str,
        what: str,
        relative: str,
        exc: UnreadableFile,
    ) -> Problem:
        target = self._real(self.root / relative)
        siblings: dict[str, str] = {}
        # A folder that cannot be listed suggests nothing.
        with contextlib.suppress(OSError, ValueError):
            # Stems, not names: "two.yaml" and "one.yaml" look alike only by their ending.
            siblings = {
                p.stem: p.relative_to(self.real_root).as_posix()
                for p in target.parent.iterdir()
                if p.suffix == target.suffix and p.is_file()
            }
        match = closest(target.stem, siblings)
        hint = f'; did you mean "{siblings[match]}"?' if match else ""
        return doc.problem(path, f"{shown}: {what} {quoted(relative)} {exc.reason}" + hint)

    def _shown(self, candidate: Path, relative: str) -> str:
        try:
            return self._display(self._real(candidate))
        except ValueError:
            return relative

    def _real(self, path: Path) -> Path:
        """`path` with every link followed, each folder resolved once: a deck's hundreds of
        slide files share a folder, and resolving it again for each file was a third of a
        load. Never raises OSError (a path that cannot be followed stays as it is)."""
        parent = self._real_dirs.get(path.parent)
        if parent is None:
            parent = self._real_dirs[path.parent] = _realpath(path.parent)
        candidate = parent / path.name
        if path.name == ".." or os.path.islink(candidate):
            return _realpath(candidate)
        return candidate

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
        except _Missing as exc:
            linked = os.path.islink(self.root / DECK_FILE)
            message = (
                f"the file {exc.reason}" if linked else f"the content folder has no {DECK_FILE}"
            )
            self.problems.append(Problem(DECK_FILE, None, None, message))
            return None
        except _Outside as exc:
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
        for key, metric in metrics.items():
            doc, path = metric_places[key]
            self._check_texts(doc, walk(metric, path), languages)
        if settings is not None:
            self._check_texts(deck_doc, walk(settings, ()), languages)
        self._unlisted({d for _, d in slide_refs} | {d for _, d in metric_refs})

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

    def _display(self, file: Path) -> str:
        return file.relative_to(self.real_root).as_posix()

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

    def _not_an_image(self, doc: YamlDocument, path: Path_, shown: str, relative: str) -> None:
        self.problems.append(
            doc.problem(
                path, f"{shown}: {quoted(relative)} is not an image ({', '.join(IMAGE_SUFFIXES)})"
            )
        )

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

    def _unlisted(self, listed: set[str]) -> None:
        known = {PurePosixPath(p.replace("\\", "/")).as_posix() for p in listed}

        def unreadable(exc: OSError) -> None:
            # os.walk passes over a folder it cannot list without a word; say so instead.
            folder = Path(exc.filename or self.root)
            relative = folder.relative_to(self.root) if folder.is_relative_to(self.root) else folder
            if relative.parts and relative.parts[0] in IGNORED_FOLDERS:
                return
            self.problems.append(
                Problem(
                    relative.as_posix() if relative.parts else str(self.root),
                    None,
                    None,
                    f"cannot read the folder: {os_reason(exc, folder)}; the files in it "
                    "are not checked",
                    severity="warning",
                )
            )

        for file in sorted(visible_files(self.root, onerror=unreadable)):
            relative = file.relative_to(self.root)
            if relative.parts[0] in IGNORED_FOLDERS or relative.as_posix() == DECK_FILE:
                continue
            # The name first: asking the file system about a file can fail, a name cannot.
            if file.suffix not in (".yaml", ".yml") or not os.path.isfile(file):
                continue
            if relative.as_posix() in known:
                continue
            self.problems.append(
                Problem(
                    relative.as_posix(),
                    None,
                    None,
                    f"not listed in {DECK_FILE}, so it is not shown",
                    severity="warning",
                )
            )


def visible_files(
    root: Path, *, onerror: Callable[[OSError], object] | None = None
) -> Iterator[Path]:
    """Every file and folder under `root`, leaving out hidden ones (`.git`, editors' temporary
    files): a content folder is often a git checkout, whose history is not content. A folder
    that cannot be listed is passed over, and given to `onerror` when there is one."""
    for folder, subfolders, files in os.walk(root, onerror=onerror):
        # Pruned in place, so a large .git is never even walked.
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        base = Path(folder)
        for name in subfolders:
            yield base / name
        for name in sorted(files):
            if not name.startswith("."):
                yield base / name


def _realpath(path: Path) -> Path:
    """`os.path.realpath`, which (unlike `Path.resolve` on Python 3.11) raises no error for a
    link loop; a NUL in the path is the one error left, and such a path is taken as written."""
    try:
        return Path(os.path.realpath(path))
    except ValueError:
        return Path(os.path.abspath(path)) if "\0" not in str(path) else path


def _nothing_at(path: Path) -> bool:
    """Whether nothing is at `path` (as opposed to something the kiosk may not look at)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def _asset_fields(walked: Iterable[tuple[Path_, Any]]) -> Iterator[tuple[Path_, str]]:
    for path, value in walked:
        if isinstance(value, TitleSlide) and value.background:
            yield (*path, "background"), value.background
        elif isinstance(value, TextSlide) and value.image:
            yield (*path, "image"), value.image
        elif isinstance(value, Tile | Node) and value.icon:
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
