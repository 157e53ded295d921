"""Progress for the long commands (soak, render, bench): a bar on a terminal, nothing otherwise.

The bar is drawn on stderr and only when stdout and stderr are both terminals, so that what a
command prints on stdout (paths, a table, JSON) stays exactly the same when it is piped,
redirected or run by a script, and logs and CI output carry no control sequences.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Progress(Protocol):
    def __call__(self, description: str, done: int, total: int) -> None:
        """`done` of `total` steps of the task `description` are finished."""


def _quiet(description: str, done: int, total: int) -> None:
    pass


def on_terminal(*, as_json: bool = False) -> bool:
    """Whether to show progress: a person is watching, and no machine reads the output."""
    return not as_json and sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress]:
    """A `Progress` callback drawing one bar on stderr, removed when the block ends; a callback
    that does nothing when not `enabled`."""
    if not enabled:
        yield _quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        # The command's own output goes to stdout once the bar is gone, never through it.
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task: list[Any] = []

    def update(description: str, done: int, total: int) -> None:
        if not task:
            task.append(bar.add_task(description, total=total))
        bar.update(task[0], description=description, completed=done, total=total)

    with bar:
        yield update
