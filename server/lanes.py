"""The session side of comparing in lanes: fork, follow the main run in lockstep, promote, end.

Lane 1 is the worker's own trainer (the main run), which the worker pauses, paces and resets
as always; while comparing, its chunks of steps run through `step`, which gives every lane the
same k steps at once (models/lanes.py: one batched computation for lanes that share their
shapes, turns for the rest), so the pace applies to all lanes together. Should the main run
be replaced under the lanes (a configure, a preset, an import, an undo), the comparison ends
by itself and the page is told.
"""

from __future__ import annotations

import time

from models.config import RunSpec
from models.lanes import Lane, Lanes
from models.trainer import StepResult, Trainer
from server import limits
from server.frames import live_regions, metrics, output_grid
from server.lane_specs import lane_specs
from server.latest import Outbox
from server.protocol import lanes as wire
from server.specs import ConfigureError

LanesCommand = wire.CompareCommand | wire.PromoteLaneCommand | wire.EndCompareCommand

REGIONS_INTERVAL = 1.0
"""While playing, count every lane's regions at most this often..."""
REGIONS_MAX_DUTY = 0.05
"""...and never spend more than this share of the time on it."""


class LaneSet:
    """The lanes of one session, if it is comparing; only the worker thread calls it."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._setting: wire.CompareSetting | None = None
        self._values: list[wire.LaneValue] = []
        self._main: Trainer | None = None
        """Lane 1, the worker's trainer; the lanes end when the worker's trainer is another."""
        self._main_spec: RunSpec | None = None
        """Lane 1's setup: a configure that changes only training settings keeps the trainer
        but ends the comparison too, since lane 1 would then differ in two things."""
        self._lanes = Lanes([])
        """Every lane, lane 1 (the main run) first."""
        self._steps = 0
        """Where the lockstep stands: the main run's step after the last `step`."""
        self._next_regions_at = 0.0

    @property
    def active(self) -> bool:
        """Whether the session is comparing."""
        return self._main is not None

    def apply(self, command: LanesCommand, main: Trainer) -> Trainer:
        """Carry out a lanes command; returns the trainer that is the main run afterwards.

        Raises ConfigureError for a command that cannot be carried out; nothing changes then.
        """
        match command:
            case wire.CompareCommand(setting=setting, values=values):
                return self._start(setting, values, main)
            case wire.PromoteLaneCommand(lane=lane):
                return self._promote(lane, main)
            case wire.EndCompareCommand():
                self.end()
                return main

    def step(self, main: Trainer, k: int) -> StepResult:
        """k steps of the main run and, while comparing, of every other lane with it."""
        if not self._in_step_with(main):
            return main.step(k)
        first = self._lanes.lanes[0]
        first.diverged_at = first.early_stopped_at = None  # the worker decides when lane 1 stops
        result = self._lanes.step(k)[0]
        assert result is not None, "lane 1 always takes its steps"
        self._steps = main.steps
        return result

    def reset(self, main: Trainer) -> None:
        """The main run was reset: new weights for every lane, step 0."""
        if main is self._main:  # not _in_step_with: the main run is back at step 0 already
            for lane in self._lanes.lanes[1:]:
                lane.trainer.reset()
                lane.diverged_at = lane.early_stopped_at = None
            self._steps = main.steps

    def check(self, main: Trainer) -> None:
        """End the comparison if `main` was replaced, reconfigured or rewound under the lanes."""
        self._in_step_with(main)

    def end(self) -> None:
        """Drop the lanes (the main run goes on alone) and tell the page."""
        if self.active:
            self._main, self._lanes, self._setting, self._values = None, Lanes([]), None, []
            self._outbox.put(wire.LanesEvent(setting=None, values=[]))

    def frame(self, main: Trainer, run: int, running: bool) -> wire.LanesFrameEvent | None:
        """Every lane's state now, or None when not comparing."""
        if not self._in_step_with(main):
            return None
        started = time.perf_counter()
        with_regions = not running or started >= self._next_regions_at
        lanes = [Lane(main), *self._lanes.lanes[1:]]
        frames = [_lane_frame(lane, with_regions) for lane in lanes]
        if with_regions:
            cost = time.perf_counter() - started
            self._next_regions_at = started + max(REGIONS_INTERVAL, cost / REGIONS_MAX_DUTY)
        return wire.LanesFrameEvent(run=run, running=running, lanes=frames)

    def _start(
        self, setting: wire.CompareSetting, values: list[wire.LaneValue], main: Trainer
    ) -> Trainer:
        specs = lane_specs(main.spec, setting, values)
        self._lanes = Lanes.build(specs, main.device)
        self._main = self._lanes.trainers[0]
        self._main_spec = self._main.spec
        self._setting, self._values, self._steps = setting, list(values), 0
        self._next_regions_at = 0.0
        self._outbox.put(wire.LanesEvent(setting=setting, values=list(values)))
        return self._main

    def _promote(self, lane: int, main: Trainer) -> Trainer:
        if not self._in_step_with(main):
            raise ConfigureError("promote_lane: not comparing; send compare first")
        trainers = self._lanes.trainers
        if lane >= len(trainers):
            raise ConfigureError(
                f"promote_lane: lane must be below {len(trainers)} (lanes are 0-based), got {lane}"
            )
        self.end()
        return trainers[lane]

    def _in_step_with(self, main: Trainer) -> bool:
        """Whether the lanes still follow `main`; ends them when it was replaced or rewound."""
        if self._main is None:
            return False
        if main is self._main and main.spec == self._main_spec and main.steps >= self._steps:
            return True
        self.end()
        return False


def _lane_frame(lane: Lane, with_regions: bool) -> wire.LaneFrame:
    """One lane's metrics, last loss sample and coarse output grid."""
    trainer = lane.trainer
    image = trainer.split.image_shape is not None
    regions = live_regions(trainer).count if with_regions and not image else None
    return wire.LaneFrame(
        **metrics(trainer),
        grid=None if image else output_grid(trainer, limits.LANE_GRID_RESOLUTION),
        regions=regions,
        diverged_at=lane.diverged_at,
        early_stopped_at=lane.early_stopped_at,
    )
