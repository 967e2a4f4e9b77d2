"""TrainingGate: the workers of one process train in turns, first come first served."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator


class GateLeft(Exception):
    """The place asked for a turn after it left the gate, or left while waiting for one."""


class Place:
    """One worker's place at the gate: at most one turn asked for at a time."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.left = False
        """No more turns: the place left the gate."""
        self.dropped = False
        """Woken by leave() while waiting, not handed the gate."""


class TrainingGate:
    """A lock the workers of one process take in turn, in the order they asked for it.

    Torch releases the GIL inside every op, and our ops are tiny: 20 threads training at once
    handed the GIL around after each one, and frames fell to 3/s per session. Taking turns, one
    chunk each, keeps the GIL with one worker at a time. A freed gate goes straight to the
    longest waiter, never back to the thread that let it go, so no session starves. One at a
    time, because with a second slot each frame took half as much CPU again, for no more
    frames per second (measured on 2 vCPUs): a process is bound by its GIL, so more cores
    want more processes (server/serve.py).

    A place that leaves (its session closed) is out of the line at once: a worker waiting for
    its turn wakes with GateLeft instead of waiting for everyone before it (issue 20: after
    ~650 immediate connect/close cycles, closes queued behind the gate held every session slot).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[Place] = deque()

    @property
    def waiting(self) -> int:
        """Places waiting for a turn now."""
        with self._lock:
            return len(self._waiting)

    @contextlib.contextmanager
    def turn(self, place: Place | None = None) -> Iterator[None]:
        """Hold the gate for the duration of the block; waits in line while another holds it.

        Raises GateLeft, holding nothing, when `place` has left the gate or leaves while waiting.
        """
        place = place or Place()
        with self._lock:
            if place.left:
                raise GateLeft
            waiting = self._busy
            self._busy = True
            if waiting:
                place.ready.clear()
                place.dropped = False
                self._waiting.append(place)
        if waiting:
            place.ready.wait()  # the releasing worker hands the gate over: it stays busy
            if place.dropped:  # woken by leave(), not handed the gate
                raise GateLeft
        try:
            yield
        finally:
            self._release()

    def leave(self, place: Place) -> None:
        """Take `place` out of the line now; its turns from now on raise GateLeft. A turn it
        holds already runs to its end."""
        with self._lock:
            place.left = True
            if place in self._waiting:
                self._waiting.remove(place)
                place.dropped = True
                place.ready.set()  # wakes the waiter, which sees `left`

    def _release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().ready.set()
            else:
                self._busy = False
