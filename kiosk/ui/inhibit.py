"""Keeping the screen awake while the show runs, where the desktop offers a way to ask.

The kiosk session itself turns blanking off (see packaging/); this also asks a desktop's
screen saver, over the freedesktop D-Bus interface, not to start while the kiosk runs.
"""

from __future__ import annotations

import logging

from kiosk.ops.paths import APP

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"


def inhibit_screen_saver(reason: str = "exhibition show") -> int | None:
    """Ask the session's screen saver not to start; the cookie, or None when nobody listens."""
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface
    except ImportError:  # a Qt build without D-Bus
        return None
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        log.debug("no D-Bus session bus: screen saver not inhibited (the session handles it)")
        return None
    saver = QDBusInterface(SERVICE, PATH, SERVICE, bus)
    if not saver.isValid():
        log.debug("no screen saver on the session bus")
        return None
    reply = saver.call("Inhibit", APP, reason)
    arguments = reply.arguments()
    if not arguments:
        log.warning("the screen saver refused to be inhibited: %s", reply.errorMessage())
        return None
    log.info("screen saver inhibited")
    return int(arguments[0])
