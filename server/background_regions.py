"""Region counts of large networks, counted beside training instead of inside a frame.

An exact count grows with the network: on this 2-core VM a 6 × 32 ReLU net took 0.3-1.2 s
and an 8 × 128 one 10 s (issue 20). Counted in the frame, that stalled the session's frames
and, holding the training gate, every other session's. Networks wider than
limits.LIVE_REGIONS_SYNC_MAX_UNITS in all are counted here instead, on a copy of the weights,
by one thread per process: frames go on meanwhile and the next frame after the count carries it.
While training a count starts at most every REGIONS_INTERVAL (server/tempo.py) and keeps the
counting thread busy at most BACKGROUND_DUTY of the time; at rest the weights a frame shows are
counted.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from models.trainer import Trainer
from server import limits
from server.frames import LiveRegions, live_regions
from server.tempo import REGIONS_INTERVAL

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnp-regions")
"""One counting thread per process, whatever the sessions: counts queue for it."""
BACKGROUND_DUTY = 0.5
"""Counting beside training can take more than the 5% a count inside the frames may
(tempo.REGIONS_MAX_DUTY): it holds no gate and, niced, yields the CPU to training first."""
_NICE = 10
"""The counting thread's nice value: training and frames come first on a busy CPU."""


def in_background(trainer: Trainer) -> bool:
    """Whether this trainer's regions are counted here rather than in its frames."""
    units = sum(layer.units for layer in trainer.spec.network.hidden)
    return units > limits.LIVE_REGIONS_SYNC_MAX_UNITS


class BackgroundRegions:
    """One session's count in the counting thread: at most one at a time."""

    def __init__(self) -> None:
        self.wake: Callable[[], None] = lambda: None
        """Called from the counting thread when a count is done (the worker wakes for it)."""
        self._pending: Future[tuple[LiveRegions, float]] | None = None
        self._run = 0
        self._stale = False
        self._next_at = 0.0
        self.last_seconds = 0.0
        """How long the latest count took."""

    def arrived(self) -> bool:
        """A count is done and waits for a frame to carry it."""
        return self._pending is not None and self._pending.done()

    def for_frame(self, trainer: Trainer, run: int, running: bool) -> LiveRegions | None:
        """The finished count of this run's weights to send with this frame, if any; starts
        the next count when one is due."""
        now = time.perf_counter()
        done = self._take(run)
        if self._pending is not None:  # still counting older weights
            self._stale = self._stale or not running
            return None
        # At rest: count the weights shown, unless this frame shows their count.
        if now >= self._next_at if running else done is None or self._stale:
            self._start(trainer, run)
        return done

    def _take(self, run: int) -> LiveRegions | None:
        if self._pending is None or not self._pending.done():
            return None
        pending, self._pending = self._pending, None
        try:
            regions, seconds = pending.result()
        except Exception:  # a failed count shows as no count, as in a frame
            regions, seconds = LiveRegions(None), 0.0
        self.last_seconds = seconds
        self._next_at = time.perf_counter() + max(REGIONS_INTERVAL, seconds / BACKGROUND_DUTY)
        if self._run != run or self._stale:  # counted weights the page no longer shows
            self._stale = True
            return None
        return regions

    def _start(self, trainer: Trainer, run: int) -> None:
        snapshot = copy.copy(trainer)  # shares the data and spec, which stay as they are
        snapshot.net = copy.deepcopy(trainer.net)
        self._run, self._stale = run, False
        self._pending = _EXECUTOR.submit(_count, snapshot)
        self._pending.add_done_callback(lambda _: self.wake())


_niced = threading.local()


def _count(trainer: Trainer) -> tuple[LiveRegions, float]:
    if not getattr(_niced, "done", False):
        with contextlib.suppress(OSError, AttributeError):  # Linux: per-thread nice
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICE)
        _niced.done = True
    started = time.perf_counter()
    regions = live_regions(trainer)
    return regions, time.perf_counter() - started
