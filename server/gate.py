"""TrainingGate: the workers of one process train in turns, first come first served."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator


class TrainingGate:
    """A lock the workers of one process take in turn, in the order they asked for it.

    Torch releases the GIL inside every op, and our ops are tiny: 20 threads training at once
    handed the GIL around after each one, and frames fell to 3/s per session. Taking turns, one
    chunk each, keeps the GIL with one worker at a time. A freed gate goes straight to the
    longest waiter, never back to the thread that let it go, so no session starves. One at a
    time, because with a second slot each frame took half as much CPU again, for no more
    frames per second (measured on 2 vCPUs): a process is bound by its GIL, so more cores
    want more processes (server/serve.py).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Event] = deque()

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the gate for the duration of the block; waits in line while another holds it."""
        with self._lock:
            waiting = self._busy
            self._busy = True
            if waiting:
                ready = threading.Event()
                self._waiting.append(ready)
        if waiting:
            ready.wait()  # the releasing worker hands the gate over: it stays busy
        try:
            yield
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting.popleft().set()
                else:
                    self._busy = False
