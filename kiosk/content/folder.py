"""The content folder's files: asset paths resolved inside the folder and read safely, every
refusal a located problem; the folder walked without its hidden files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from kiosk.content.errors import display_path
from kiosk.content.files import FileTooLarge, UnreadableFile, check_file, os_reason, read_limited
from kiosk.content.images import image_problem
from kiosk.content.problems import Problem, closest, quoted
from kiosk.content.schema import SCHEMA_FOLDER
from kiosk.content.yamlfile import MAX_FILE_BYTES, Path_, YamlDocument, too_large

DECK_FILE = "deck.yaml"
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
IGNORED_FOLDERS = (SCHEMA_FOLDER,)
"""Folders of the content folder that hold no show files (the editors' JSON Schemas)."""


class OutsideFolder(UnreadableFile):
    """A path that leads out of the content folder (through a link, most often)."""


class MissingFile(UnreadableFile):
    """A path at which there is nothing."""


class FolderReader:
    """Reads the files of one content folder, collecting problems instead of stopping at the
    first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = _realpath(root)
        self.problems: list[Problem] = []
        self._real_dirs: dict[Path, Path] = {}

    # -- files ------------------------------------------------------------------------------
    # Every file the loader reads (deck.yaml, slides, metrics, images) is read by `_read`: where
    # it really leads is checked to be inside the content folder, and the bytes come from the
    # one reading function, which turns every refusal of the system into a reason. The bytes
    # read are the bytes parsed and hashed: the revision is of exactly what is shown.

    def _file(self, candidate: Path) -> Path:
        """Where `candidate` really leads, when that is a regular file in the content folder;
        raise OutsideFolder, MissingFile or UnreadableFile otherwise."""
        try:
            real = self._real(candidate)
        except ValueError as exc:  # a NUL in a path written as an escape
            raise UnreadableFile(os_reason(exc, candidate)) from None
        if not real.is_relative_to(self.real_root):
            raise OutsideFolder(f'leads outside the content folder (to "{real}")')
        try:
            check_file(real)
        except UnreadableFile as exc:
            if _nothing_at(real):
                if os.path.islink(candidate):
                    raise MissingFile(
                        "is a symbolic link to something that does not exist"
                    ) from None
                raise MissingFile("does not exist") from None
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
        except OutsideFolder:
            self.problems.append(self._outside(doc, path, shown, relative))
        except MissingFile as exc:
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
            elif isinstance(exc, FileTooLarge) and limit == MAX_FILE_BYTES:
                # (a larger limit's file, a recording, is told at the field, below, with its own)
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

    def _display(self, file: Path) -> str:
        return file.relative_to(self.real_root).as_posix()

    def _not_an_image(self, doc: YamlDocument, path: Path_, shown: str, relative: str) -> None:
        self.problems.append(
            doc.problem(
                path, f"{shown}: {quoted(relative)} is not an image ({', '.join(IMAGE_SUFFIXES)})"
            )
        )

    def unlisted(self, listed: set[str]) -> None:
        """Warn of each YAML file of the folder that `listed` (the files the deck names) leaves
        out, and of each folder that cannot be listed."""
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
