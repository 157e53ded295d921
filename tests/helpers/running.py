"""`kiosk run` as a real process, with its own folders, for tests of signals, status and logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

START_S = 60.0
"""Deadline for start-up on a loaded 2-core machine (it takes about a second)."""


def wait_for(what: str, condition: Callable[[], bool], timeout: float = START_S) -> None:
    """Poll `condition` until it holds; fail with `what` at the deadline (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class RunningKiosk:
    """`python -m kiosk run` on `content`, in a window, its state, data, status file and log in
    `root`; stderr goes to a file, whose device and inode `journal_stream` can name."""

    def __init__(
        self,
        root: Path,
        content: Path,
        *,
        journal: bool = False,
        status_file: Path | None = None,
        analytics: Path | None = None,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
        prefix: list[str] | None = None,
    ) -> None:
        """`status_file`, `analytics`, more `args`, `env` (over the folders in `root`) and a
        command `prefix` (such as setpriv, to run as another user) change the defaults."""
        self.root = root
        self.status_file = status_file or root / "status.json"
        self.analytics = analytics or root / "analytics.sqlite3"
        self.stderr_path = root / "stderr.txt"
        self.log_file = root / "state" / "liangjiang-kiosk" / "log" / "kiosk.log"
        extra_env = env
        env = {
            key: value
            for key, value in os.environ.items()
            # A test run under systemd must not look like the kiosk's own journal stream.
            if key not in ("JOURNAL_STREAM", "NOTIFY_SOCKET", "KIOSK_PIN_HASH")
        }
        env.update(
            XDG_STATE_HOME=str(root / "state"),
            XDG_DATA_HOME=str(root / "data"),
            XDG_CACHE_HOME=str(root / "cache"),
            STATE_DIRECTORY=str(root / "state"),
        )
        env.update(extra_env or {})
        self._stderr: IO[bytes] = self.stderr_path.open("wb")
        if journal:
            stat = os.fstat(self._stderr.fileno())
            env["JOURNAL_STREAM"] = f"{stat.st_dev}:{stat.st_ino}"
        self.process = subprocess.Popen(
            [
                *(prefix or []),
                sys.executable,
                "-m",
                "kiosk",
                "run",
                str(content),
                "--size",
                "640x360",
                "--status-file",
                str(self.status_file),
                "--analytics",
                str(self.analytics),
                *(args or []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            env=env,
            cwd=root,
        )

    def status(self) -> dict[str, Any]:
        try:
            data = json.loads(self.status_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        assert isinstance(data, dict)
        return data

    def ended(self) -> str | None:
        """None while the kiosk runs; once it has ended, its exit status and what it printed."""
        if self.process.poll() is None:
            return None
        return f"exit {self.process.returncode}:\n{self.stderr()}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_running(self) -> None:
        """Until the show's first tick has written the status file."""
        wait_for(
            "the status file",
            lambda: self.process.poll() is not None or self.status().get("mode") == "attract",
        )
        assert self.process.poll() is None, self.stderr()

    def wait_in_log(self, text: str, source: Callable[[], str] | None = None) -> None:
        read = source or self.log_text
        wait_for(repr(text), lambda: text in read() or self.process.poll() is not None, 30)
        assert text in read(), read()

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def stop(self, signum: int, timeout: float = 30.0) -> tuple[int, float]:
        """Send `signum`; the exit status and the seconds until the process had ended."""
        start = time.monotonic()
        self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        return code, time.monotonic() - start

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._stderr.close()
