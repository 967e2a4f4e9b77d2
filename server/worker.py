"""The training thread of one session: applies commands, steps the Trainer, emits frames.

Only this thread touches the Trainer. Commands arrive through `submit` from the event loop
and are applied between chunks; a chunk is as many steps as fit in CHUNK_SECONDS, so a pause
takes effect within milliseconds while per-call overhead stays small.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import replace

import torch

from models.config import LayerSpec, NetworkSpec, RunSpec
from models.presets import FOLDING_UNITS, folding_layers, load_layers
from models.tasks import is_naive
from models.trainer import Trainer
from server import limits
from server.frames import LiveRegions, build_frame, dataset_event, live_regions
from server.latest import ControlEvent, Outbox
from server.protocol import (
    ConfigureCommand,
    ErrorEvent,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    ResetCommand,
    SettingsEvent,
    StepCommand,
)
from server.specs import (
    ConfigureError,
    apply_configure,
    data_shape,
    restarts_training,
    settings_from_spec,
)

WorkerCommand = (
    ConfigureCommand | PlayCommand | PauseCommand | StepCommand | ResetCommand | PresetCommand
)

CHUNK_SECONDS = 0.01
REGIONS_INTERVAL = 1.0
"""While playing, count regions at most this often (contract: at least once a second)..."""
REGIONS_MAX_DUTY = 0.05
"""...and never spend more than this share of the time on it, so training keeps its speed."""
FRAME_INTERVAL = 1.0 / limits.MAX_FRAMES_PER_SECOND
MAX_CHUNK_STEPS = 5_000
FRAMES_PER_SECOND_UNDER_LOAD = 12
"""When sessions queue for the gate, chunks shrink until each session's turn comes round
this often, frame included: every session keeps a live view, and training gets the rest."""


def divergence_message(step: int, loss: str) -> str:
    """What to tell the user when the loss went NaN or infinite, and what to try."""
    if is_naive(loss):
        return (
            f"Training diverged at step {step}: the naive loss became infinite or NaN. It "
            "takes the log of a probability computed first, and in float32 a sigmoid or "
            "softmax of a large logit rounds to exactly 0 or 1, so log(0) = −∞. The stable "
            "loss computes the log in one step (log-sum-exp) and stays finite: switch to it, "
            "then reset."
        )
    return (
        f"Training diverged at step {step}: the loss became NaN or infinite. Lower the "
        "learning rate (or clip gradients, or normalise the layers), then reset."
    )


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


class Worker:
    """One training thread; start() it, submit() commands, close() it."""

    def __init__(
        self, spec: RunSpec, device: torch.device, outbox: Outbox, gate: TrainingGate
    ) -> None:
        self._spec = spec
        self._device = device
        self._outbox = outbox
        self._gate = gate
        self._cond = threading.Condition()
        self._inbox: list[WorkerCommand] = []
        self._closed = False
        self._running = False
        self._pending_steps = 0
        self._run = 0
        self._steps_per_second = 1000.0  # first guess; measured from then on
        self._chunk_steps: float = MAX_CHUNK_STEPS  # fewer while sessions queue for the gate
        self._frame_seconds = 0.0  # measured
        self._last_frame_at = 0.0
        self._next_regions_at = 0.0
        self._trainer: Trainer | None = None
        self._early_stop: tuple[int, int | None] | None = None
        """(stopped at, best step) once early stopping ended this run's training."""
        self._thread = threading.Thread(target=self._main, name="nnp-worker", daemon=True)

    def start(self) -> None:
        """Build the first trainer and start training on command."""
        self._thread.start()

    def submit(self, command: WorkerCommand) -> None:
        """Hand a validated command to the thread; returns at once."""
        with self._cond:
            self._inbox.append(command)
            self._cond.notify()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it; nothing trains after this returns."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # ---------------------------------------------------------------- the thread

    def _main(self) -> None:
        torch.set_num_threads(1)  # tiny nets: a second thread only adds contention
        with self._gate.turn():
            self._restart(self._spec)
        while True:
            with self._cond:
                while not (self._closed or self._inbox or self._running or self._pending_steps):
                    self._cond.wait()
                if self._closed:
                    return
                commands, self._inbox = self._inbox, []
            asked, steps = time.perf_counter(), 0
            with self._gate.turn():  # all torch work happens in a turn
                try:
                    for command in commands:
                        self._apply(command)
                    steps = self._train_chunk() if self._running or self._pending_steps else 0
                except Exception as exc:  # a bug or a device failure must not kill the session
                    self._running, self._pending_steps = False, 0
                    self._outbox.put(
                        ErrorEvent(message=f"Training stopped by an internal error: {exc}")
                    )
            if steps:
                self._pace(steps, time.perf_counter() - asked)

    def _apply(self, command: WorkerCommand) -> None:
        match command:
            case PlayCommand():
                self._running, self._pending_steps = True, 0
            case PauseCommand():
                self._running, self._pending_steps = False, 0
                self._emit_frame()
            case StepCommand(steps=steps):
                self._running, self._pending_steps = False, steps
            case ResetCommand():
                self._trainer_or_fail().reset()
                self._new_run()
            case ConfigureCommand():
                self._configure(command)
            case PresetCommand(depth=depth):
                self._load_folding(depth)

    def _configure(self, command: ConfigureCommand) -> None:
        try:
            new = apply_configure(self._spec, command)
        except ConfigureError as exc:  # parts that do not fit together: nothing changes
            self._outbox.put(ErrorEvent(message=str(exc), command="configure"))
            return
        settings = SettingsEvent(settings=settings_from_spec(new))
        if restarts_training(self._spec, new):
            self._restart(new, settings)
        else:
            self._trainer_or_fail().set_training(new.training)
            self._spec = new
            self._outbox.put(settings)

    def _load_folding(self, depth: int) -> None:
        """Pause and restart on the hand-built folding network; the data stays."""
        task, classes, dims = data_shape(self._spec.data)
        if (task, classes, dims) != ("classification", 2, 2):
            message = "The folding preset draws a two-class boundary: pick a 2D two-class dataset."
            self._outbox.put(ErrorEvent(message=message, command="preset"))
            return
        hidden = tuple(LayerSpec(FOLDING_UNITS, "relu") for _ in range(depth))
        network = NetworkSpec(hidden=hidden, outputs=1, init=self._spec.network.init)
        loss = "bce_naive" if is_naive(self._spec.training.loss) else "bce"
        training = replace(self._spec.training, loss=loss)
        spec = replace(self._spec, network=network, training=training)
        self._running, self._pending_steps = False, 0
        self._spec = spec
        self._trainer = Trainer(spec, self._device)
        load_layers(self._trainer.net, folding_layers(depth, self._trainer.split.box))
        self._new_run(SettingsEvent(settings=settings_from_spec(spec)))

    def _restart(self, spec: RunSpec, *events: ControlEvent) -> None:
        self._spec = spec
        self._trainer = Trainer(spec, self._device)
        self._new_run(*events, dataset_event(self._trainer))

    def _new_run(self, *events: ControlEvent) -> None:
        self._run += 1
        self._early_stop = None
        self._emit_frame(*events)

    def _pace(self, steps: int, round_seconds: float) -> None:
        """Cap the next chunk by how long this turn took to come round, waiting included.

        Every queued worker takes one turn (a chunk, usually a frame) before this one's next,
        so scaling the chunks by target/round brings each session back to
        FRAMES_PER_SECOND_UNDER_LOAD. With no queue the cap doubles away and CHUNK_SECONDS
        rules. The square root damps it, since all workers adjust at once. When the process
        cannot keep that frame rate, frames give way, not training: a chunk never gets less
        time than its frame, else a crowded server would show a boundary that never moves.
        """
        scale = min(2.0, (1.0 / FRAMES_PER_SECOND_UNDER_LOAD / round_seconds) ** 0.5)
        floor = max(1.0, self._steps_per_second * self._frame_seconds)
        chunk = max(floor, min(self._chunk_steps, steps) * scale)
        self._chunk_steps = min(MAX_CHUNK_STEPS, chunk)

    def _train_chunk(self) -> int:
        """Run one chunk of steps, emit a frame if one is due; returns the steps taken."""
        trainer = self._trainer_or_fail()
        # End the chunk when the next frame is due, so frames keep their rate; a frame that
        # fell due while this worker waited for its turn goes out after a full chunk.
        until_frame = self._last_frame_at + FRAME_INTERVAL - time.perf_counter()
        budget = min(CHUNK_SECONDS, until_frame) if until_frame > 0 else CHUNK_SECONDS
        k = max(1, min(int(self._chunk_steps), int(self._steps_per_second * budget)))
        if self._pending_steps:
            k = min(k, self._pending_steps)
        started = time.perf_counter()
        result = trainer.step(k)
        elapsed = max(time.perf_counter() - started, 1e-6)
        self._steps_per_second = 0.8 * self._steps_per_second + 0.2 * (k / elapsed)
        if result.diverged_at is not None:
            self._running, self._pending_steps = False, 0
            message = divergence_message(result.diverged_at, trainer.spec.training.loss)
            self._emit_frame(ErrorEvent(message=message), diverged_at=result.diverged_at)
            return k
        if result.early_stopped_at is not None:
            self._running, self._pending_steps = False, 0
            self._early_stop = (result.early_stopped_at, trainer.best_step)
            self._emit_frame()
            return k
        if self._pending_steps:
            self._pending_steps -= k
            if not self._pending_steps:
                self._emit_frame()  # a step command always ends with its frame
                return k
        if time.perf_counter() - self._last_frame_at >= FRAME_INTERVAL:
            self._emit_frame()
        return k

    def _emit_frame(self, *events: ControlEvent, diverged_at: int | None = None) -> None:
        started = time.perf_counter()
        trainer = self._trainer_or_fail()
        running = self._running or bool(self._pending_steps)
        stopped_at, best_step = self._early_stop or (None, None)
        frame = build_frame(
            trainer,
            run=self._run,
            running=running,
            regions=self._regions_if_due(trainer, running),
            diverged_at=diverged_at,
            early_stopped_at=stopped_at,
            best_step=best_step,
        )
        self._outbox.put(*events, frame=frame)
        built = time.perf_counter() - started
        self._frame_seconds = 0.8 * self._frame_seconds + 0.2 * built
        # Frames keep to a fixed grid of due times, so neither building a frame nor a chunk
        # ending a little late costs frame rate; after a long stall the grid starts afresh.
        slot = self._last_frame_at + FRAME_INTERVAL
        self._last_frame_at = slot if 0 <= started - slot < FRAME_INTERVAL else started

    def _regions_if_due(self, trainer: Trainer, running: bool) -> LiveRegions | None:
        """Count regions for every resting frame, and while training when the budget allows."""
        started = time.perf_counter()
        if running and started < self._next_regions_at:
            return None
        regions = live_regions(trainer)
        cost = time.perf_counter() - started
        self._next_regions_at = started + max(REGIONS_INTERVAL, cost / REGIONS_MAX_DUTY)
        return regions

    def _trainer_or_fail(self) -> Trainer:
        assert self._trainer is not None, "the worker builds its trainer before any command"
        return self._trainer
