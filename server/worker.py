"""The training thread of one session: applies commands, steps the Trainer, emits frames.

Only this thread touches the Trainer. Commands arrive through `submit` from the event loop
and are applied between chunks; a chunk is as many steps as fit in CHUNK_SECONDS, so a pause
takes effect within milliseconds while per-call overhead stays small.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import torch

from models.config import LayerSpec, RunSpec
from models.presets import FOLDING_UNITS, folding_layers, load_layers
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
from server.specs import apply_configure, restarts_training, settings_from_spec

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


class Worker:
    """One training thread; start() it, submit() commands, close() it."""

    def __init__(self, spec: RunSpec, device: torch.device, outbox: Outbox) -> None:
        self._spec = spec
        self._device = device
        self._outbox = outbox
        self._cond = threading.Condition()
        self._inbox: list[WorkerCommand] = []
        self._closed = False
        self._running = False
        self._pending_steps = 0
        self._run = 0
        self._steps_per_second = 1000.0  # first guess; measured from then on
        self._last_frame_at = 0.0
        self._next_regions_at = 0.0
        self._trainer: Trainer | None = None
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
        self._restart(self._spec)
        while True:
            with self._cond:
                while not (self._closed or self._inbox or self._running or self._pending_steps):
                    self._cond.wait()
                if self._closed:
                    return
                commands, self._inbox = self._inbox, []
            try:
                for command in commands:
                    self._apply(command)
                if self._running or self._pending_steps:
                    self._train_chunk()
            except Exception as exc:  # a bug or a device failure must not kill the session
                self._running, self._pending_steps = False, 0
                self._outbox.put(
                    ErrorEvent(message=f"Training stopped by an internal error: {exc}")
                )

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
        new = apply_configure(self._spec, command)
        settings = SettingsEvent(settings=settings_from_spec(new))
        if restarts_training(self._spec, new):
            self._restart(new, settings)
        else:
            self._trainer_or_fail().set_training(new.training)
            self._spec = new
            self._outbox.put(settings)

    def _load_folding(self, depth: int) -> None:
        """Pause and restart on the hand-built folding network; the data stays."""
        hidden = tuple(LayerSpec(FOLDING_UNITS, "relu") for _ in range(depth))
        spec = replace(self._spec, network=replace(self._spec.network, hidden=hidden))
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
        self._emit_frame(*events)

    def _train_chunk(self) -> None:
        trainer = self._trainer_or_fail()
        # End the chunk when the next frame is due, so frames keep their rate.
        budget = min(CHUNK_SECONDS, self._last_frame_at + FRAME_INTERVAL - time.perf_counter())
        k = max(1, min(MAX_CHUNK_STEPS, int(self._steps_per_second * budget)))
        if self._pending_steps:
            k = min(k, self._pending_steps)
        started = time.perf_counter()
        result = trainer.step(k)
        elapsed = max(time.perf_counter() - started, 1e-6)
        self._steps_per_second = 0.8 * self._steps_per_second + 0.2 * (k / elapsed)
        if result.diverged_at is not None:
            self._running, self._pending_steps = False, 0
            message = (
                f"Training diverged at step {result.diverged_at}: the loss became NaN or "
                "infinite. Lower the learning rate, then reset."
            )
            self._emit_frame(ErrorEvent(message=message), diverged_at=result.diverged_at)
            return
        if self._pending_steps:
            self._pending_steps -= k
            if not self._pending_steps:
                self._emit_frame()  # a step command always ends with its frame
                return
        if time.perf_counter() - self._last_frame_at >= FRAME_INTERVAL:
            self._emit_frame()

    def _emit_frame(self, *events: ControlEvent, diverged_at: int | None = None) -> None:
        trainer = self._trainer_or_fail()
        running = self._running or bool(self._pending_steps)
        frame = build_frame(
            trainer,
            run=self._run,
            running=running,
            regions=self._regions_if_due(trainer, running),
            diverged_at=diverged_at,
        )
        self._outbox.put(*events, frame=frame)
        self._last_frame_at = time.perf_counter()

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
