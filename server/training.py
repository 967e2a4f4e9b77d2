"""One session's training between commands: chunks of steps, frames, the run's bookkeeping.

server/worker.py owns the thread and applies commands; this runs the trainer it is given
while the run state says so (server/pace.py), sized and timed by server/tempo.py, and keeps
what undo needs (server/undo.py). It touches the trainer only from the worker's thread.
"""

from __future__ import annotations

import time
from typing import Any

from models.guards import nonfinite_report
from models.trainer import Trainer
from server import frame_budget, limits
from server.background_regions import BackgroundRegions, in_background
from server.divergence import divergence_message
from server.frames import LiveRegions, build_frame, live_regions, metrics, repeated
from server.inspection import Inspector, probe_problem
from server.lanes import LaneSet
from server.latest import ControlEvent, Outbox
from server.pace import RunState
from server.page_grid import page_weights
from server.protocol import ErrorEvent, InspectCommand
from server.tempo import FRAME_INTERVAL, PAGE_FRAME_INTERVAL, Chunks, FrameClock
from server.undo import UndoHistory


class Training:
    """The trainer of one session, whether and how fast it runs, and the frames it sends."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self.trainer: Trainer | None = None
        self.run = 0
        """Counts resets, new setups and new weights: the page starts its charts afresh."""
        self.state = RunState(limits.DEFAULT_STEPS_PER_SECOND)
        self.inspector = Inspector()
        self.history = UndoHistory()
        self.lanes = LaneSet(outbox)
        """Comparing: the lanes, this trainer first, which step together."""
        self.regions = BackgroundRegions()
        """Large networks' region counts, done beside training (server/background_regions.py)."""
        self._chunks = Chunks()
        self._clock = FrameClock()
        self._losses: tuple[int, dict[str, Any]] | None = None
        """(run, metrics) of the newest frame that computed its losses."""
        self._early_stop: tuple[int, int | None] | None = None
        """(stopped at, best step) once early stopping ended this run's training."""

    def trainer_or_fail(self) -> Trainer:
        """The trainer; the worker builds one before any command."""
        assert self.trainer is not None, "the worker builds its trainer before any command"
        return self.trainer

    def use(self, trainer: Trainer, *events: ControlEvent) -> None:
        """Go on with `trainer` (new setup or weights) as a new run, sending `events` first."""
        self.trainer = trainer
        self.new_run(*events)

    def subscribe(self, command: InspectCommand) -> None:
        """Take the new inspect subscription and answer it at once, so a newly opened view
        fills; a probe the trainer cannot take is refused with an error, the rest stands."""
        trainer = self.trainer_or_fail()
        problem = command.probe and probe_problem(trainer, command.probe)
        if problem:
            self._outbox.put(ErrorEvent(message=problem, command="inspect"))
            command = command.model_copy(update={"probe": None})
        self.inspector.subscribe(command)
        if self.inspector.due(running=False):
            self._outbox.put(inspection=self.inspector.inspect(trainer, self.run))

    def undo(self) -> None:
        """Back to the newest kept weights that evaluate finite, paused, as a new run."""
        if self.history.undo(self.trainer_or_fail()):
            self.state.stop()
            self.new_run()
            return
        message = (
            "Nothing to undo: no finite weights were kept from before a divergence in this run "
            "(they are kept from the second chunk of steps on). Reset for new weights."
        )
        self._outbox.put(ErrorEvent(message=message, command="undo"))

    def turn_ended(self, steps: int, round_seconds: float, held_seconds: float) -> None:
        """A turn at the gate took `steps` steps, `round_seconds` from asking to the end,
        `held_seconds` of them holding the gate."""
        self._chunks.turn_ended(steps, round_seconds, self.state.paced, held_seconds)

    def new_run(self, *events: ControlEvent) -> None:
        """Count a new run (a reset, new setup or weights) and send its first frame."""
        self.run += 1
        self._early_stop = None
        self.history.clear()
        self.inspector.new_run()
        self.emit_frame(*events)

    def chunk(self) -> int:
        """Run one chunk of steps, emit a frame if one is due; returns the steps taken."""
        trainer = self.trainer_or_fail()
        now = time.perf_counter()
        k = self.state.allow(self._chunks.size(self._clock.until_frame(now)), now)
        if k == 0:
            return 0
        self.history.keep(trainer)
        started = time.perf_counter()
        result = self.lanes.step(trainer, k)  # comparing: every lane takes the same k steps
        self._chunks.ran(k, time.perf_counter() - started)
        if result.diverged_at is not None:
            self.state.stop()
            where = nonfinite_report(trainer.net)
            message = divergence_message(result.diverged_at, trainer.spec.training.loss, where)
            undo_step = self.history.diverged(result.diverged_at)
            error = ErrorEvent(message=message, undo_step=undo_step, diverged_at=result.diverged_at)
            self.emit_frame(error, diverged_at=result.diverged_at)
        elif result.early_stopped_at is not None:
            self.state.stop()
            self._early_stop = (result.early_stopped_at, trainer.best_step)
            self.emit_frame()
        elif self.state.took(k):
            self.emit_frame()  # a step command always ends with its frame
        elif self.state.slow_motion:
            self.emit_frame()  # in slow motion every step is seen
        elif self._clock.frame_due(time.perf_counter()):
            self.emit_frame(periodic=True)
        return k

    def emit_frame(
        self, *events: ControlEvent, diverged_at: int | None = None, periodic: bool = False
    ) -> None:
        """Send a frame of the trainer now, after `events`, with the inspection views due; a
        `periodic` one (training goes on) repeats the last losses unless they are due."""
        started = time.perf_counter()
        trainer = self.trainer_or_fail()
        running = self.state.active
        stopped_at, best_step = self._early_stop or (None, None)
        weights = page_weights(trainer) if self._outbox.page_grid else None
        self._clock.interval = PAGE_FRAME_INTERVAL if weights else FRAME_INTERVAL
        frame = build_frame(
            trainer,
            run=self.run,
            running=running,
            regions=self._regions_if_due(trainer, running),
            diverged_at=diverged_at,
            early_stopped_at=stopped_at,
            best_step=best_step,
            grid_resolution=self._grid_side(trainer, running),
            losses=self._frame_losses(trainer, running, periodic, started),
            weights=weights,
        )
        share = self._chunks.share
        inspection = self.inspector.for_frame(trainer, self.run, running, share)
        lanes = self.lanes.frame(trainer, self.run, running)
        self._outbox.put(*events, frame=frame, inspection=inspection, lanes=lanes)
        self._chunks.framed(time.perf_counter() - started)
        self._clock.frame_sent(started)

    def _frame_losses(
        self, trainer: Trainer, running: bool, periodic: bool, started: float
    ) -> dict[str, Any]:
        """The frame's losses: computed now (on at most frame_budget.eval_points while
        training), or, for a periodic frame before they are due again, the last ones repeated."""
        last = self._losses
        if periodic and last and last[0] == self.run and not self._clock.losses_due(started):
            return repeated(last[1], trainer)
        computed = metrics(trainer, frame_budget.eval_points(trainer) if running else None)
        self._losses = (self.run, computed)
        self._clock.losses_computed(started)
        return computed

    def _grid_side(self, trainer: Trainer, running: bool) -> int:
        """The full grid at rest; while training, a coarser one when sessions queue for the
        gate or the network is large (server/frame_budget.py)."""
        if not running:
            return limits.GRID_RESOLUTION
        crowded = self._chunks.crowded
        side = limits.GRID_RESOLUTION_CROWDED if crowded else limits.GRID_RESOLUTION
        return frame_budget.grid_side(trainer, side)

    def _regions_if_due(self, trainer: Trainer, running: bool) -> LiveRegions | None:
        """Count regions for every resting frame, and while training when the budget allows;
        a large network's count comes from the background, with the first frame after it."""
        if in_background(trainer):
            return self.regions.for_frame(trainer, self.run, running)
        started = time.perf_counter()
        if not self._clock.regions_due(started, running):
            return None
        regions = live_regions(trainer)
        # Piecewise-linear nets are counted every second (CONTRACT); approximate counts of
        # smooth nets keep to the duty of this session's share of a crowded process.
        share = 1.0 if regions.exact else self._chunks.share
        self._clock.regions_counted(started, time.perf_counter() - started, share)
        return regions
