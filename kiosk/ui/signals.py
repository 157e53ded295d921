"""Ctrl-C (SIGINT) and systemd's stop (SIGTERM) for a Qt program.

Python runs a signal handler only when the interpreter next executes bytecode, and Qt's event
loop waits in C: without help a signal waits until some timer happens to call into Python,
and the default SIGINT handler's KeyboardInterrupt is then swallowed by PySide's slot
wrapper. So the handler only records the signal, `signal.set_wakeup_fd` makes the C-level
handler write a byte into a socket, and a QSocketNotifier on the other end wakes the event loop
and calls back into Python, where the stop is carried out (the documented way, see the
`signal` module's notes on set_wakeup_fd). Loops that stay in Python (the soak) just poll
`received`.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 0}
"""Ctrl-C is the shell's 128 + 2; a SIGTERM is systemd's normal stop, a clean end (exit 0)."""


def describe(signum: signal.Signals) -> str:
    """`SIGINT (Ctrl-C)`, `SIGTERM (stop)`."""
    return {signal.SIGINT: "SIGINT (Ctrl-C)", signal.SIGTERM: "SIGTERM (stop)"}.get(
        signum, signum.name
    )


class StopSignals:
    """While installed, SIGINT and SIGTERM ask the program to stop instead of killing it.

    `received` is the first stop signal that arrived. With `attach(app, on_stop)`, `on_stop`
    is called once on the event loop's thread, even for a signal that arrived before the loop
    started.
    """

    def __init__(self) -> None:
        self.received: signal.Signals | None = None
        self._previous: dict[signal.Signals, Any] = {}
        self._wakeup_previous: int | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self._on_stop: Callable[[signal.Signals], None] | None = None
        self._dispatched = False

    def __enter__(self) -> StopSignals:
        self.install()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.uninstall()

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)

    def attach(self, app: QCoreApplication, on_stop: Callable[[signal.Signals], None]) -> None:
        """Wake `app`'s event loop for a signal and call `on_stop` there."""
        self._on_stop = on_stop
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._sockets = (reader, writer)
        self._wakeup_previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
        self._notifier.activated.connect(self._wake)
        if self.received is not None:
            # Arrived before there was a loop to wake: stop as soon as the loop runs.
            QTimer.singleShot(0, self._dispatch)

    def uninstall(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._sockets is not None:
            signal.set_wakeup_fd(
                -1 if self._wakeup_previous is None else self._wakeup_previous,
            )
            for sock in self._sockets:
                sock.close()
            self._sockets = None
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        # Runs between two bytecodes of whatever Python code is running: record, nothing more.
        if self.received is None:
            self.received = signal.Signals(signum)

    def _wake(self) -> None:
        assert self._sockets is not None
        with contextlib.suppress(BlockingIOError):
            while self._sockets[0].recv(64):
                pass
        if self.received is None:
            # The Python-level handler runs at the interpreter's next check, which may come
            # just after this slot: look again once the loop has turned.
            QTimer.singleShot(0, self._dispatch)
        else:
            self._dispatch()

    def _dispatch(self) -> None:
        if self.received is None or self._dispatched or self._on_stop is None:
            return
        self._dispatched = True
        self._on_stop(self.received)
