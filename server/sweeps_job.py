"""One running sweep: its thread, its cancel flag, its throttled progress events, its estimate.

The local engine trains chunk after chunk in this thread, a slice of steps per turn at the
training gate (server/gate.py), so the live sessions' workers keep taking their turns; after
each turn it rests outside the gate long enough that the sweeps of the process take at most
limits.SWEEP_CPU_SHARE of the gate's time (one process-wide lock makes it "together").
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Literal, TypeVar

from models.user_sweep import Chunk, PlannedRun, UserSweep, fitted_parameters, plan_chunks
from models.user_sweep_chunk import ChunkRun, RunOutcome, finite_or_none, step_cost
from server import limits
from server.gate import TrainingGate
from server.latest import Outbox
from server.protocol.sweeps import SweepProgressEvent, SweepRunResult

Engine = Literal["local", "ray"]
T = TypeVar("T")
State = Literal["running", "done", "cancelled", "failed"]

LOCAL_CHUNK_RUNS = 200
"""Runs a local chunk stacks: enough that a step's matmuls outweigh its Python overhead."""
RAY_CHUNK_RUNS = 50
"""Runs a Ray task stacks: smaller chunks spread a sweep over more of the cluster's CPUs."""
SEQUENTIAL_CHUNK_RUNS = 8
"""Runs of a one-Trainer-at-a-time chunk (their turns are long already)."""
TURN_SECONDS = 0.02
"""A sweep's turn at the gate trains about this long: a live session waits at most this."""
SECONDS_PER_BATCHED_STEP = 3e-4
SECONDS_PER_BATCHED_RUN_STEP = 1.5e-6
SECONDS_PER_MULTIPLY_ADD = 3.5e-10
SECONDS_PER_TRAINER_STEP = 2e-4
SECONDS_PER_RUN_SETUP = 2.5e-3
"""The estimate's model, fitted to CPU times of chunk steps on the 2-vCPU dev VM (spiral, widths
2-32, 2-200 runs a chunk, within 10%): a batched chunk's step costs a fixed overhead, a little
per run and its multiply-adds; a Trainer step a fixed overhead plus its own multiply-adds."""

_slowness: dict[Engine, float] = {"local": 1.0, "ray": 1.0}
"""Finished sweeps' wall time over their estimate, smoothed (the model knows no load)."""
_SHARE_LOCK = threading.Lock()
"""Held by a sweep for a turn and the rest after it: all sweeps of the process share one
SWEEP_CPU_SHARE, not one each."""


def estimate_seconds(planned: list[PlannedRun], steps: int, engine: Engine) -> float:
    """Expected wall time: the cost model above, summed over the chunks, at the sweep share
    (the local engine) or spread over the Ray cluster's CPUs (as many as Ray reports, else 1),
    times how far this process's finished sweeps of that engine were off the model."""
    seconds = 0.0
    for chunk in chunks_for(planned, engine):
        madds = sum(step_cost(run.spec) for run in chunk.runs) * SECONDS_PER_MULTIPLY_ADD
        runs = len(chunk.runs)
        batched = SECONDS_PER_BATCHED_STEP + SECONDS_PER_BATCHED_RUN_STEP * runs
        overhead = batched if chunk.batched else SECONDS_PER_TRAINER_STEP * runs
        seconds += steps * (overhead + madds) + SECONDS_PER_RUN_SETUP * runs
    if engine == "ray":
        from server.sweeps_ray import cluster_cpus

        seconds /= max(1, cluster_cpus())
    else:
        seconds /= limits.SWEEP_CPU_SHARE
    return seconds * _slowness[engine]


def _learn_slowness(engine: Engine, estimated: float, took: float) -> None:
    """Move the engine's correction a third of the way to took / estimated (within 0.2–20):
    a busy machine or a slow cluster makes later estimates longer."""
    if estimated > 0.5:  # short sweeps measure mostly noise
        ratio = min(20.0, max(0.2, took / estimated))
        _slowness[engine] += (ratio - _slowness[engine]) / 3


def chunks_for(runs: list[PlannedRun], engine: Engine) -> list[Chunk]:
    """The sweep's chunks: Ray gets smaller batched ones, to spread them over its CPUs."""
    batched = LOCAL_CHUNK_RUNS if engine == "local" else RAY_CHUNK_RUNS
    return plan_chunks(runs, batched, SEQUENTIAL_CHUNK_RUNS)


class SweepJob:
    """A sweep in its own thread; `cancel` stops it between slices, `join` waits for it."""

    def __init__(
        self,
        runs: list[PlannedRun],
        sweep: UserSweep,
        engine: Engine,
        outbox: Outbox,
        gate: TrainingGate,
        request_id: int | None,
    ) -> None:
        self.runs, self.sweep, self.engine = runs, sweep, engine
        self._by_index = {run.index: run for run in runs}
        self._outbox, self._gate, self._request_id = outbox, gate, request_id
        self._cancelled = threading.Event()
        self._over = threading.Event()
        self._reason: str | None = None
        self._pending: list[SweepRunResult] = []
        self._done = 0
        self._started = time.perf_counter()
        self._estimate = estimate_seconds(runs, sweep.steps, engine)
        self._last_sent = time.perf_counter()
        self._run_steps = 0
        """Training steps of the finished runs, for the progress fraction."""
        self._partial_steps = 0
        """Steps of the chunk in training (the local engine's), dropped once it finishes."""
        self.ray_refs: list[Any] = []
        """The Ray engine's task refs, once submitted (tests check that a cancel stops them)."""
        self._thread = threading.Thread(target=self._main, name="nnp-sweep", daemon=True)

    @property
    def alive(self) -> bool:
        """Until its last event is on its way (the thread may live a moment longer)."""
        return self._thread.is_alive() and not self._over.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def start(self) -> None:
        self._thread.start()

    def cancel(self, reason: str) -> None:
        if not self._cancelled.is_set():
            self._reason = reason
            self._cancelled.set()

    def join(self, timeout: float) -> None:
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def rest(self, seconds: float) -> None:
        """Wait outside the gate; a cancel ends the wait at once."""
        self._cancelled.wait(seconds)

    def finished(self, outcomes: list[RunOutcome]) -> None:
        """Record finished runs; sends a progress event when the throttle allows."""
        self._pending.extend(self._result(outcome) for outcome in outcomes)
        self._done += len(outcomes)
        self._run_steps += len(outcomes) * self.sweep.steps
        self.tick()

    def trained(self, run_steps: int) -> None:
        """Count steps of runs still training (the progress fraction moves within a chunk)."""
        self._partial_steps += run_steps
        self.tick()

    def tick(self) -> None:
        """Send progress: new results at most SWEEP_PROGRESS_PER_SECOND a second, and at
        least once a second while the sweep trains, so the page's progress bar moves."""
        since = time.perf_counter() - self._last_sent
        if since >= 1.0 or (self._pending and since >= 1 / limits.SWEEP_PROGRESS_PER_SECOND):
            self._send("running")

    def _main(self) -> None:
        try:
            if self.engine == "ray":
                from server.sweeps_ray import run_on_ray

                run_on_ray(self)
            else:
                self._run_local()
        except Exception as exc:  # a bug, Ray gone: the sweep fails, the session lives on
            self._over.set()
            self._send("failed", f"the sweep failed: {type(exc).__name__}: {exc}")
            return
        self._over.set()
        if self.cancelled:
            self._send("cancelled", self._reason)
        else:
            if self.engine == "local":  # Ray's estimate at the start may predate its CPU count
                _learn_slowness(self.engine, self._estimate, time.perf_counter() - self._started)
            self._send("done")

    def _run_local(self) -> None:
        slice_steps = 10
        for chunk in chunks_for(self.runs, "local"):
            if self.cancelled:
                return
            # Built outside the gate: 200 runs' data and weights take a few hundred ms, too
            # long a turn for the live sessions waiting behind it; the share still counts it.
            run, _ = self._in_share(partial(ChunkRun, chunk, self.sweep.steps), gate=False)
            while not run.done:
                if self.cancelled:
                    return
                before = run.steps
                _, took = self._in_share(partial(run.advance, slice_steps), gate=True)
                self.trained((run.steps - before) * len(chunk.runs))
                if took > 0:  # aim the next slice at TURN_SECONDS
                    slice_steps = max(1, min(1000, int(TURN_SECONDS * slice_steps / took)))
            self._partial_steps = 0
            self.finished(self._in_share(run.outcomes, gate=True)[0])

    def _in_share(self, work: Callable[[], T], gate: bool) -> tuple[T, float]:
        """Do `work` (in a turn at the gate, or beside it), then rest so that sweeps take at
        most SWEEP_CPU_SHARE; returns what it returned and how long it took."""
        with _SHARE_LOCK:
            with self._gate.turn() if gate else contextlib.nullcontext():
                began = time.perf_counter()
                result = work()
                took = time.perf_counter() - began
            share = limits.SWEEP_CPU_SHARE
            self.rest(took * (1 - share) / share)
        return result, took

    def _result(self, outcome: RunOutcome) -> SweepRunResult:
        run = self._by_index[outcome.index]
        return SweepRunResult(
            index=run.index,
            values=list(run.values),
            seed=run.spec.seed,
            parameters=fitted_parameters(run.spec),
            train_loss=finite_or_none(outcome.train_loss),
            test_loss=finite_or_none(outcome.test_loss),
            train_accuracy=outcome.train_accuracy,
            test_accuracy=outcome.test_accuracy,
            diverged=outcome.diverged,
        )

    def _send(self, state: State, message: str | None = None) -> None:
        results, self._pending = self._pending, []
        total_steps = max(1, len(self.runs) * self.sweep.steps)
        self._last_sent = time.perf_counter()
        event = SweepProgressEvent(
            request_id=self._request_id,
            state=state,
            runs_done=self._done,
            fraction=min(1.0, (self._run_steps + self._partial_steps) / total_steps),
            runs_total=len(self.runs),
            engine=self.engine,
            elapsed_seconds=round(self._last_sent - self._started, 3),
            message=message,
            results=results,
        )
        self._outbox.put(event)
