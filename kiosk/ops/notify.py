"""systemd's sd_notify in pure Python: `READY=1` and `WATCHDOG=1` over `$NOTIFY_SOCKET`.

The installed unit (`packaging/liangjiang-kiosk.service`) is `Type=notify` with `WatchdogSec=`:
the show says READY=1 once its window is up and WATCHDOG=1 each time it writes its status file
(every few seconds, from the window's one timer). If the event loop hangs, the heartbeats stop
and systemd restarts the whole session. Outside systemd every call does nothing.
"""

from __future__ import annotations

import os
import socket

SOCKET_ENV = "NOTIFY_SOCKET"


def notify(message: str) -> bool:
    """Send `message` (such as `READY=1` or `WATCHDOG=1`) to systemd; False when not sent.

    Never raises: a kiosk must not stop because its supervisor cannot be told something.
    """
    address = os.environ.get(SOCKET_ENV, "")
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    elif not address.startswith("/"):  # unset, or a kind we do not speak (vsock:)
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError:
        return False
    return True


def ready(status: str | None = None) -> bool:
    """Tell systemd that start-up is over (and optionally a one-line status)."""
    return notify("READY=1" + (f"\nSTATUS={status}" if status else ""))


def watchdog(status: str | None = None) -> bool:
    """Feed systemd's watchdog: the show is alive (and optionally a one-line status)."""
    return notify("WATCHDOG=1" + (f"\nSTATUS={status}" if status else ""))


def stopping(status: str | None = None) -> bool:
    """Tell systemd that the show is shutting down on purpose (a stop, not a hang)."""
    return notify("STOPPING=1" + (f"\nSTATUS={status}" if status else ""))
