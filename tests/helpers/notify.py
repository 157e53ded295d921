"""A stand-in for the socket systemd listens on for a Type=notify service."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable


class NotifySocket:
    """A datagram socket for sd_notify's messages, at an abstract address (any user can send
    to it: the kiosk run as nobody, or inside cage, too); `env` names it as systemd would."""

    def __init__(self, name: str) -> None:
        self.address = f"\0kiosk-notify-{os.getpid()}-{name}"
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.address)
        self.messages: list[str] = []

    @property
    def env(self) -> dict[str, str]:
        return {"NOTIFY_SOCKET": "@" + self.address[1:]}

    def wait_for(
        self,
        field: str,
        *,
        count: int = 1,
        timeout: float = 60.0,
        ended: Callable[[], str | None] = lambda: None,
    ) -> None:
        """Until `count` messages carrying `field` (a line such as READY=1) have arrived; fails
        at `timeout`, or as soon as `ended` says why the sender is gone."""
        deadline = time.monotonic() + timeout
        while sum(field in m.splitlines() for m in self.messages) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {field} ({count}) within {timeout} s: {self.messages}")
            if (why := ended()) is not None:
                raise AssertionError(f"the sender ended before {field}: {why}")
            self.socket.settimeout(min(left, 0.5))
            try:
                self.messages.append(self.socket.recv(4096).decode("utf-8"))
            except TimeoutError:
                continue

    def close(self) -> None:
        self.socket.close()
