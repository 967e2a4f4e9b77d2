"""The training thread of one session: applies commands, steps the Trainer, emits frames.

Only this thread touches the Trainer. Commands arrive through `submit` from the event loop
and are applied between chunks; a chunk is as many steps as fit in CHUNK_SECONDS, so a pause
takes effect within milliseconds while per-call overhead stays small. While playing at a pace
(server/pace.py) a chunk is the steps earned since the last one, and between chunks the thread
waits on its condition, outside the gate, so a command still wakes it at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

import torch

from models.analysis.overfit import overfit_small_sample
from models.config import RunSpec
from models.guards import nonfinite_report, set_weight
from models.presets import load_layers
from models.trainer import Checkpoint, Trainer
from server import limits
from server.divergence import divergence_message
from server.frames import LiveRegions, build_frame, dataset_event, live_regions
from server.gate import TrainingGate
from server.inspection import Inspector, probe_problem
from server.latest import ControlEvent, Outbox
from server.pace import Pace
from server.presets import preset
from server.protocol import (
    AnyCommand,
    ConfigureCommand,
    ErrorEvent,
    ExportCommand,
    ImportCommand,
    InspectCommand,
    OverfitCheckCommand,
    OverfitResultEvent,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    ResetCommand,
    SettingsEvent,
    SetupFile,
    SetupFileEvent,
    SetWeightCommand,
    SpeedCommand,
    SpeedEvent,
    StepCommand,
    UndoCommand,
)
from server.setup_io import SetupError, export_setup, import_setup
from server.specs import (
    ConfigureError,
    apply_configure,
    restarts_training,
    settings_from_spec,
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
COMMAND_SECONDS = 0.01
"""A turn applies waiting commands for about this long (at least one), then trains."""
HEAVY_COMMANDS = (OverfitCheckCommand, ImportCommand, ExportCommand, PresetCommand)
"""Commands that take long or carry much: at most limits.MAX_QUEUED_HEAVY of them wait."""
RUN_COMMANDS = (PlayCommand, PauseCommand, StepCommand)
UNDO_CHECKPOINTS = 3
"""Finite states kept, one per chunk, for undo after a divergence."""


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
        self._inbox: deque[AnyCommand] = deque()
        self._closed = False
        self._running = False
        self._pending_steps = 0
        self._run = 0
        self._pace = Pace(limits.DEFAULT_STEPS_PER_SECOND)
        self._steps_per_second = 1000.0  # first guess; measured from then on
        self._chunk_steps: float = MAX_CHUNK_STEPS  # fewer while sessions queue for the gate
        self._crowded = False
        """Turns come round slower than FRAMES_PER_SECOND_UNDER_LOAD: frames while training
        carry a coarser grid (limits.GRID_RESOLUTION_CROWDED), so detail gives way before
        frames and training do; a resting frame always has the full grid."""
        self._frame_seconds = 0.0  # measured
        self._last_frame_at = 0.0
        self._next_regions_at = 0.0
        self._trainer: Trainer | None = None
        self._early_stop: tuple[int, int | None] | None = None
        """(stopped at, best step) once early stopping ended this run's training."""
        self._inspector = Inspector()
        self._checkpoints: deque[Checkpoint] = deque(maxlen=UNDO_CHECKPOINTS)
        """Weights at the start of the last chunks: what `undo` goes back to. Weights that are
        already bad diverge at their first step, which rules them out (_undo_candidates)."""
        self._diverged_at: int | None = None
        """The step whose loss first went non-finite in this run; no checkpoints after it."""
        self._thread = threading.Thread(target=self._main, name="nnp-worker", daemon=True)

    def start(self) -> None:
        """Build the first trainer and start training on command."""
        self._thread.start()

    def submit(self, command: AnyCommand) -> None:
        """Hand a validated command to the thread; returns at once.

        The queue is bounded: a newer inspect replaces a waiting one, a play, pause or step
        replaces one waiting at the end (the last says how to run), at most
        MAX_QUEUED_HEAVY heavy commands and MAX_QUEUED_COMMANDS in all wait; an extra one is
        answered with an error and dropped.
        """
        with self._cond:
            refusal = _queue(self._inbox, command)
            if refusal is None:
                self._cond.notify()
        if refusal is not None:
            request_id = getattr(command, "request_id", None)  # export and import carry one
            error = ErrorEvent(message=refusal, command=command.type, request_id=request_id)
            self._outbox.put(error)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it; nothing trains after this returns.

        Waiting commands are dropped; a command already running finishes first (an overfit
        check on the largest network takes about two seconds).
        """
        with self._cond:
            self._closed = True
            self._inbox.clear()
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
                while not (self._closed or self._inbox):
                    idle = self._idle_seconds()
                    if idle == 0.0:
                        break
                    self._cond.wait(idle)  # None: until a command comes
                if self._closed:
                    return
            asked, steps = time.perf_counter(), 0
            with self._gate.turn():  # all torch work happens in a turn
                try:
                    self._apply_some()
                    steps = self._train_chunk() if self._running or self._pending_steps else 0
                except Exception as exc:  # a bug or a device failure must not kill the session
                    self._running, self._pending_steps = False, 0
                    self._outbox.put(
                        ErrorEvent(message=f"Training stopped by an internal error: {exc}")
                    )
            if steps:  # a turn that came round slowly: sessions queue for the gate
                round_seconds = time.perf_counter() - asked
                self._crowded = round_seconds > 1.0 / FRAMES_PER_SECOND_UNDER_LOAD
            paced = self._running and self._pace.steps_per_second is not None
            if steps and not paced:  # paced chunks are the steps earned: small anyway
                self._fit_chunks(steps, time.perf_counter() - asked)

    def _idle_seconds(self) -> float | None:
        """How long the thread may wait for a command: 0 when work is due, None for ever."""
        if self._pending_steps:
            return 0.0
        if not self._running:
            return None
        return self._pace.wait_seconds(time.perf_counter())

    def _apply_some(self) -> None:
        """Apply waiting commands in order for at most COMMAND_SECONDS of this turn (one at
        least), so one session's queue never holds the gate from the others for long; the
        rest wait for the next turn. Stops as soon as the session closes."""
        started = time.perf_counter()
        while True:
            with self._cond:
                if self._closed or not self._inbox:
                    return
                command = self._inbox.popleft()
            self._apply(command)
            if time.perf_counter() - started >= COMMAND_SECONDS:
                return

    def _apply(self, command: AnyCommand) -> None:
        match command:
            case PlayCommand():
                self._running, self._pending_steps = True, 0
                self._pace.start(time.perf_counter())
            case SpeedCommand(steps_per_second=steps_per_second):
                self._pace.change(steps_per_second, time.perf_counter())
                speed = SpeedEvent(steps_per_second=steps_per_second)
                if self._running:  # the page sees the step where the old pace ended at once,
                    self._emit_frame(speed)  # not with the next slow step a second later
                else:
                    self._outbox.put(speed)
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
            case PresetCommand():
                self._load_preset(command)
            case InspectCommand():
                self._inspect(command)
            case SetWeightCommand():
                self._set_weight(command)
            case UndoCommand():
                self._undo()
            case OverfitCheckCommand(points=points):
                self._overfit_check(points)
            case ExportCommand(weights=weights, request_id=request_id):
                setup = export_setup(self._trainer_or_fail(), weights)
                self._outbox.put(SetupFileEvent(setup=setup, request_id=request_id))
            case ImportCommand(setup=setup, request_id=request_id):
                self._import(setup, request_id)

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

    def _load_preset(self, command: PresetCommand) -> None:
        """Pause and restart on a hand-built network (server/presets.py), weights loaded."""
        try:
            chosen = preset(self._spec, command)
        except ConfigureError as exc:
            self._outbox.put(ErrorEvent(message=str(exc), command="preset"))
            return
        new_data = chosen.spec.data != self._spec.data
        self._running, self._pending_steps = False, 0
        self._spec = chosen.spec
        self._trainer = Trainer(chosen.spec, self._device)
        load_layers(self._trainer.net, chosen.layers(self._trainer.split.box))
        events: list[ControlEvent] = [SettingsEvent(settings=settings_from_spec(chosen.spec))]
        if new_data:
            events.append(dataset_event(self._trainer))
        self._new_run(*events)

    def _inspect(self, command: InspectCommand) -> None:
        """Take the new subscription and answer it at once, so a newly opened view fills."""
        trainer = self._trainer_or_fail()
        problem = command.probe and probe_problem(trainer, command.probe)
        if problem:
            self._outbox.put(ErrorEvent(message=problem, command="inspect"))
            command = command.model_copy(update={"probe": None})
        self._inspector.subscribe(command)
        if self._inspector.due(running=False):
            self._outbox.put(inspection=self._inspector.inspect(trainer, self._run))

    def _set_weight(self, command: SetWeightCommand) -> None:
        """Edit one weight of the paused network; the next frame shows its effect."""
        if self._running or self._pending_steps:
            message = "Pause training to edit a weight: the optimizer would overwrite it."
            self._outbox.put(ErrorEvent(message=message, command="set_weight"))
            return
        try:
            set_weight(
                self._trainer_or_fail().net, command.layer, command.row, command.col, command.value
            )
        except ValueError as exc:
            self._outbox.put(ErrorEvent(message=str(exc), command="set_weight"))
            return
        self._emit_frame()

    def _undo_candidates(self) -> list[Checkpoint]:
        """Checkpoints from before the divergence whose own next step still had a finite loss.

        Step d's loss is computed with the weights after step d − 1, so those weights are the
        first bad ones even when every number in them is finite (just huge).
        """
        if self._diverged_at is None:
            return []
        return [c for c in self._checkpoints if c.step < self._diverged_at - 1]

    def _undo(self) -> None:
        """Back to the newest kept weights that evaluate finite, paused, as a new run."""
        trainer = self._trainer_or_fail()
        diverged = trainer.checkpoint()
        for checkpoint in reversed(self._undo_candidates()):
            trainer.restore(checkpoint)
            losses = trainer.evaluate()
            if math.isfinite(losses.train_loss) and math.isfinite(losses.test_loss):
                self._running, self._pending_steps = False, 0
                self._new_run()
                return
        trainer.restore(diverged)  # nothing kept evaluates finite: leave the session as it was
        message = (
            "Nothing to undo: no finite weights were kept from before a divergence in this run "
            "(they are kept from the second chunk of steps on). Reset for new weights."
        )
        self._outbox.put(ErrorEvent(message=message, command="undo"))

    def _overfit_check(self, points: int) -> None:
        """The checklist's first test on a fresh copy of the model; the session is untouched."""
        trainer = self._trainer_or_fail()
        # A closed session's check stops within a few steps: nobody waits for its answer, and
        # the sessions behind it at the training gate should not wait for it either.
        result = overfit_small_sample(
            trainer.spec,
            trainer.net,
            trainer.split,
            points,
            limits.OVERFIT_STEPS,
            cancelled=lambda: self._closed,
        )
        if self._closed:
            return
        self._outbox.put(
            OverfitResultEvent(
                passed=result.passed,
                points=result.points,
                steps=result.steps,
                loss=result.loss if math.isfinite(result.loss) else None,
                accuracy=result.accuracy,
                attempts=result.attempts,
                message=result.message,
            )
        )

    def _import(self, setup: SetupFile, request_id: int | None) -> None:
        """Replace the whole setup, weights included, paused; a bad file changes nothing."""
        try:
            trainer = import_setup(setup, self._device)
        except SetupError as exc:
            error = ErrorEvent(message=str(exc), command="import", request_id=request_id)
            self._outbox.put(error)
            return
        self._running, self._pending_steps = False, 0
        self._spec, self._trainer = trainer.spec, trainer
        settings = SettingsEvent(settings=settings_from_spec(trainer.spec), request_id=request_id)
        self._new_run(settings, dataset_event(trainer))

    def _restart(self, spec: RunSpec, *events: ControlEvent) -> None:
        self._spec = spec
        self._trainer = Trainer(spec, self._device)
        self._new_run(*events, dataset_event(self._trainer))

    def _new_run(self, *events: ControlEvent) -> None:
        self._run += 1
        self._early_stop = None
        self._checkpoints.clear()
        self._diverged_at = None
        self._inspector.new_run()
        self._emit_frame(*events)

    def _fit_chunks(self, steps: int, round_seconds: float) -> None:
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
        if self._pending_steps:  # a step command runs at once, whatever the pace
            k = min(k, self._pending_steps)
        elif (due := self._pace.due(time.perf_counter())) is not None:
            if due == 0:
                return 0
            k = 1 if self._pace.slow else min(k, due)
            self._pace.spend(k)
        if self._diverged_at is None:
            self._checkpoints.append(trainer.checkpoint())
        started = time.perf_counter()
        result = trainer.step(k)
        elapsed = max(time.perf_counter() - started, 1e-6)
        self._steps_per_second = 0.8 * self._steps_per_second + 0.2 * (k / elapsed)
        if result.diverged_at is not None:
            self._running, self._pending_steps = False, 0
            where = nonfinite_report(trainer.net)
            message = divergence_message(result.diverged_at, trainer.spec.training.loss, where)
            if self._diverged_at is None:
                self._diverged_at = result.diverged_at
            candidates = self._undo_candidates()
            undo_step = candidates[-1].step if candidates else None
            error = ErrorEvent(message=message, undo_step=undo_step, diverged_at=result.diverged_at)
            self._emit_frame(error, diverged_at=result.diverged_at)
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
        slow_motion = self._running and self._pace.slow  # every step is seen
        if slow_motion or time.perf_counter() - self._last_frame_at >= FRAME_INTERVAL:
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
            grid_resolution=limits.GRID_RESOLUTION_CROWDED
            if running and self._crowded
            else limits.GRID_RESOLUTION,
        )
        inspection = self._inspector.for_frame(trainer, self._run, running)
        self._outbox.put(*events, frame=frame, inspection=inspection)
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


def _queue(inbox: deque[AnyCommand], command: AnyCommand) -> str | None:
    """Put `command` in the worker's inbox, coalesced; the refusal when it cannot wait."""
    if isinstance(command, InspectCommand):  # a subscription replaces the previous one whole
        for waiting in [c for c in inbox if isinstance(c, InspectCommand)]:
            inbox.remove(waiting)
    elif isinstance(command, RUN_COMMANDS) and inbox and isinstance(inbox[-1], RUN_COMMANDS):
        inbox.pop()  # play, pause, step in a row: the last one decides
    elif isinstance(command, HEAVY_COMMANDS):
        heavy = sum(isinstance(c, HEAVY_COMMANDS) for c in inbox)
        if heavy >= limits.MAX_QUEUED_HEAVY:
            return (
                f"{command.type} dropped: {heavy} slow commands (overfit check, import, export,"
                " preset) are already waiting; send it again once they are answered"
            )
    if len(inbox) >= limits.MAX_QUEUED_COMMANDS:
        return (
            f"{command.type} dropped: {len(inbox)} commands are already waiting;"
            " send it again once they are answered"
        )
    inbox.append(command)
    return None
