"""A session's sweeps: plan one, start one (at most one at a time), cancel it, close it.

The worker hands `plan_sweep`, `start_sweep` and `cancel_sweep` here with its current setup;
the sweep then trains in a thread of its own (server/sweeps_local.py) or as Ray tasks
(server/sweeps_ray.py, NNP_SWEEP_BACKEND=ray), and its events go to the session's outbox.
Closing the session (the socket went away) cancels the sweep.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Literal

from models.config import RunSpec
from models.fit import data_shape, fixed_points
from models.user_sweep import (
    Axis,
    SweepError,
    UserSweep,
    batchable,
    expand,
    fitted_parameters,
    point_specs,
    run_count,
)
from server import limits
from server.gate import TrainingGate
from server.latest import Outbox
from server.protocol import ErrorEvent
from server.protocol.sweeps import (
    CancelSweepCommand,
    PlanSweepCommand,
    StartSweepCommand,
    SweepPlanEvent,
    SweepRequest,
)
from server.sweeps_job import SweepJob, estimate_seconds

SweepCommand = PlanSweepCommand | StartSweepCommand | CancelSweepCommand
SWEEP_COMMANDS = (PlanSweepCommand, StartSweepCommand, CancelSweepCommand)
Engine = Literal["local", "ray"]


def sweep_engine() -> Engine:
    """The engine NNP_SWEEP_BACKEND names: "local" (the default) or "ray"."""
    return "ray" if os.environ.get("NNP_SWEEP_BACKEND", "local").strip() == "ray" else "local"


class SweepRefused(ValueError):
    """A sweep the server will not run; the message names the limit or the misfit."""


def user_sweep(request: SweepRequest) -> UserSweep:
    """The models/ form of a wire request."""
    axes = tuple(Axis(a.setting, tuple(a.values), a.layer) for a in request.axes)
    return UserSweep(axes, request.seeds_per_point, request.steps)


def check_sweep(spec: RunSpec, sweep: UserSweep) -> None:
    """Raise SweepRefused when the sweep is over a limit or does not fit the setup."""
    runs = run_count(sweep)
    if runs > limits.MAX_SWEEP_RUNS:
        sizes = " × ".join(str(len(axis.values)) for axis in sweep.axes)
        raise SweepRefused(
            f"this sweep has {runs:,} runs ({sizes} points × {sweep.seeds_per_point} seeds);"
            f" the limit is {limits.MAX_SWEEP_RUNS:,}, {runs - limits.MAX_SWEEP_RUNS:,} too many"
        )
    settings = {axis.setting for axis in sweep.axes}
    if "points" in settings and fixed_points(spec.data):
        raise SweepRefused(f"points: the {spec.data.name} dataset's number of points is fixed")
    if "label_noise" in settings and data_shape(spec.data)[0] == "regression":
        raise SweepRefused("label_noise: regression data has no labels to flip")
    if "dropout" in settings and not spec.network.hidden and "depth" not in settings:
        raise SweepRefused("dropout: the network has no hidden layer to drop units from")
    seeds = [a.values for a in sweep.axes if a.setting == "seed"]
    largest = round(max(seeds[0])) if seeds else spec.seed + sweep.seeds_per_point - 1
    if largest > limits.MAX_SEED:
        raise SweepRefused(f"seed: the last run's seed {largest} is over {limits.MAX_SEED}")


class SweepRunner:
    """One session's sweeps; the worker thread calls `handle`, closing calls `close`."""

    def __init__(self, outbox: Outbox, gate: TrainingGate) -> None:
        self._outbox = outbox
        self._gate = gate
        self._lock = threading.Lock()
        self._job: SweepJob | None = None

    def handle(self, command: SweepCommand, spec: RunSpec) -> None:
        """Answer a sweep command against the session's current setup; never raises."""
        if isinstance(command, CancelSweepCommand):
            if not self.cancel("cancelled by the user"):
                self._error("no sweep is running (it may have just finished)", command.type)
            return
        try:
            sweep = user_sweep(command.sweep)
            check_sweep(spec, sweep)
            points = point_specs(spec, sweep)
        except (SweepRefused, SweepError) as exc:
            self._error(str(exc), command.type, command.request_id)
            return
        engine = sweep_engine()
        if engine == "ray" and importlib.util.find_spec("ray") is None:
            message = "NNP_SWEEP_BACKEND=ray, but Ray is not installed: pip install -e '.[ray]'"
            self._error(message, command.type, command.request_id)
            return
        if isinstance(command, PlanSweepCommand):
            runs = expand(spec, sweep)
            self._outbox.put(
                SweepPlanEvent(
                    request_id=command.request_id,
                    runs=len(runs),
                    points=len(points),
                    engine=engine,
                    estimate_seconds=estimate_seconds(runs, sweep.steps, engine),
                    parameters=[fitted_parameters(p) for _, p in points],
                    sequential_runs=sum(not batchable(run.spec) for run in runs),
                )
            )
            return
        with self._lock:
            if self._job is not None and self._job.alive:
                message = "a sweep is already running; cancel it first"
                self._error(message, command.type, command.request_id)
                return
            self._job = SweepJob(
                expand(spec, sweep), sweep, engine, self._outbox, self._gate, command.request_id
            )
            self._job.start()

    def cancel(self, reason: str) -> bool:
        """Stop the running sweep; False when none runs."""
        with self._lock:
            job = self._job
        if job is None or not job.alive:
            return False
        job.cancel(reason)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Cancel the sweep (the session ended) and wait for its thread."""
        with self._lock:
            job = self._job
        if job is not None:
            job.cancel("the session closed")
            job.join(timeout)

    def _error(self, message: str, command: str, request_id: int | None = None) -> None:
        self._outbox.put(ErrorEvent(message=message, command=command, request_id=request_id))
