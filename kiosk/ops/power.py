"""Display power outside opening hours: off and on again by wlopm, HDMI-CEC, or a black screen.

The window shows black whenever it sleeps; a backend also powers the display down where the
platform allows. `wlopm` asks the Wayland compositor (wlroots' output power management protocol)
through `WAYLAND_DISPLAY`, which cage sets for its client; `cec-client` (Debian's cec-utils)
puts an HDMI-CEC television into standby. Commands run on a worker thread with a timeout: the
UI thread never waits for them, and a failure becomes an operations notice, never a crash.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kiosk.ops.notices import NOTICES, Notices

log = logging.getLogger("kiosk.ops")

TIMEOUT_S = 10.0
"""How long a power command may take (cec-client waits for the bus)."""
NOTICE = "power the display"
"""The notice key of every power failure (one at a time: the latest)."""


@dataclass(frozen=True)
class Command:
    """One power command: the program's arguments and what it reads on standard input."""

    argv: tuple[str, ...]
    stdin: str = ""


COMMANDS: dict[str, dict[str, Command]] = {
    "wlopm": {"off": Command(("wlopm", "--off", "*")), "on": Command(("wlopm", "--on", "*"))},
    # -s: one command and exit; -d 1: errors only; device 0 is the television.
    "cec": {
        "off": Command(("cec-client", "-s", "-d", "1"), "standby 0\n"),
        "on": Command(("cec-client", "-s", "-d", "1"), "on 0\n"),
    },
}
PACKAGES = {"wlopm": "wlopm", "cec": "cec-utils"}
"""The Debian package of each backend's program."""


def resolve_method(
    method: str,
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> str:
    """The backend a configured method means here: `auto` is wlopm under a Wayland compositor
    with wlopm installed, else black (CEC is never guessed: it switches other devices too)."""
    environ = os.environ if environ is None else environ
    if method == "auto":
        return "wlopm" if environ.get("WAYLAND_DISPLAY") and which("wlopm") else "black"
    return "black" if method == "none" else method


Runner = Callable[[Command], str | None]
"""Runs a command; returns None when it worked, else why not in words."""


def run_command(command: Command, timeout: float = TIMEOUT_S) -> str | None:
    """Run `command` to its end (on a worker thread); None when it worked, else the reason."""
    try:
        done = subprocess.run(
            command.argv,
            input=command.stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"{command.argv[0]} is not installed"
    except subprocess.TimeoutExpired:
        return f"{command.argv[0]} did not finish within {timeout:g} s"
    except OSError as exc:
        return f"{command.argv[0]}: {exc.strerror or exc}"
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        return f"{command.argv[0]} failed (exit status {done.returncode})" + (
            f": {said[-1]}" if said else ""
        )
    return None


def in_thread(job: Callable[[], None]) -> None:
    """Start `job` on a daemon thread: the UI thread goes on at once."""
    threading.Thread(target=job, name="display-power", daemon=True).start()


class DisplayPower:
    """Switches the display off and on with one backend, never blocking the caller.

    Switches are done in order on a worker (a wake right after a sleep is not overtaken);
    `submit` and `runner` are injected by tests to run at once and record the commands.
    """

    def __init__(
        self,
        method: str,
        *,
        runner: Runner = run_command,
        submit: Callable[[Callable[[], None]], None] = in_thread,
        notices: Notices | None = None,
    ) -> None:
        self.method = method
        self.runner = runner
        self.submit = submit
        self.notices = NOTICES if notices is None else notices
        self._lock = threading.Lock()
        self.state: str | None = None
        """The last state asked for: `off`, `on` or None (never switched)."""

    @classmethod
    def configured(cls, method: str) -> DisplayPower:
        """The backend for a schedule's `display_power`, resolved for this machine."""
        resolved = resolve_method(method)
        if method == "auto":
            log.info("display power: %s", _describe(resolved))
        return cls(resolved)

    @property
    def commands(self) -> Mapping[str, Command]:
        return COMMANDS.get(self.method, {})

    def off(self) -> None:
        """Power the display down (the window already shows black)."""
        self._switch("off")

    def on(self) -> None:
        """Power the display up again."""
        self._switch("on")

    def _switch(self, state: str) -> None:
        self.state = state
        command = self.commands.get(state)
        if command is None:
            return  # black: the window's black screen is all there is
        self.submit(lambda: self._run(state, command))

    def _run(self, state: str, command: Command) -> None:
        with self._lock:  # one at a time, in the order asked
            reason = self.runner(command)
        what = f"switch the display {state} with {self.method}"
        if reason is None:
            self.notices.clear(NOTICE)
            log.info("display power: %s", what.replace("switch", "switched", 1))
            return
        if "is not installed" in reason:
            reason += f" (Debian package {PACKAGES[self.method]})"
        self.notices.report(
            NOTICE,
            f"cannot {what}: {reason}",
            "the screen shows black instead" if state == "off" else "the display may stay dark",
        )


def _describe(method: str) -> str:
    return {
        "wlopm": "wlopm (the compositor's output power management)",
        "cec": "HDMI-CEC with cec-client",
    }.get(method, "a black screen (no wlopm under a Wayland compositor here)")
