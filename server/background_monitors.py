"""Monitor samples of large networks, taken beside training instead of inside a frame.

A sample is a forward and backward pass over the whole training set: for 8 × 128 units on
5,000 points ~0.1-0.2 s on a quiet core, which stalled the frame it was taken in (3-6 frames
lost every few seconds, issue 20: 29 instead of 30 frames/s). For networks whose regions are
counted in the background (server/background_regions.py) the samples nobody watches while
training are taken here instead, on a copy of the weights, by one thread per process: frames go
on meanwhile and the sample joins the run's history when it is done, at the step it was taken.
"""

from __future__ import annotations

import copy
import time
from concurrent.futures import Future, ThreadPoolExecutor

import torch

from models.analysis.monitors import LayerMonitor, MonitorTracker
from models.trainer import Trainer

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnp-monitors")
"""One sampling thread per process, whatever the sessions: samples queue for it."""

Sample = tuple[int, int, list[LayerMonitor], float]
"""(run, step, monitors, seconds the sample took)."""


class BackgroundMonitors:
    """One session's samples in the sampling thread: at most one at a time."""

    def __init__(self) -> None:
        self._pending: Future[Sample] | None = None
        self._tracker = MonitorTracker()

    @property
    def busy(self) -> bool:
        """A sample is still being taken."""
        return self._pending is not None and not self._pending.done()

    def new_run(self) -> None:
        """Update ratios start afresh; a sample of the old run still pending is dropped."""
        self._tracker = MonitorTracker()  # a pending sample keeps the old one

    def start(self, trainer: Trainer, run: int) -> None:
        """Take a sample of the trainer's weights now, beside training."""
        net = copy.deepcopy(trainer.net)
        split = trainer.split
        x, y = split.train.x.to(trainer.device), split.train.y.to(trainer.device)
        tracker, loss_fn, step = self._tracker, trainer.loss_fn, trainer.steps

        def sample() -> Sample:
            torch.set_num_threads(1)
            started = time.perf_counter()
            observed = tracker.observe(net, loss_fn, x, y, step)
            return run, step, observed, time.perf_counter() - started

        self._pending = _EXECUTOR.submit(sample)

    def take(self, run: int) -> Sample | None:
        """The finished sample of this run, once; None while none is done (or it failed)."""
        if self._pending is None or not self._pending.done():
            return None
        pending, self._pending = self._pending, None
        try:
            done = pending.result()
        except Exception:  # a failed sample leaves a gap in the history, as a skipped one
            return None
        return done if done[0] == run else None
