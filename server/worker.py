"""The training thread of one session: applies commands, steps the Trainer, emits frames.

Only this thread touches the Trainer. Commands arrive through `submit` from the event loop
and are applied between chunks; a chunk is as many steps as fit in a hundredth of a second
(server/tempo.py), so a pause takes effect within milliseconds while per-call overhead stays
small. While playing at a pace (server/pace.py) a chunk is the steps earned since the last
one, and between chunks the thread waits on its condition, outside the gate, so a command
still wakes it at once.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque

import torch

from models.config import RunSpec
from models.presets import PresetError, build_preset
from models.trainer import Trainer
from server.edits import edit_weight, overfit_check
from server.frames import dataset_event
from server.gate import GateLeft, Place, TrainingGate
from server.inbox import queue_command
from server.lanes import LanesCommand
from server.latest import ControlEvent, Outbox
from server.protocol import (
    AnyCommand,
    CompareCommand,
    ConfigureCommand,
    EndCompareCommand,
    ErrorEvent,
    ExportCommand,
    ImportCommand,
    InspectCommand,
    OverfitCheckCommand,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    PromoteLaneCommand,
    ResetCommand,
    SettingsEvent,
    SetUnitCommand,
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
from server.sweeps import SWEEP_COMMANDS, SweepRunner
from server.training import Training

COMMAND_SECONDS = 0.01
"""A turn applies waiting commands for about this long (at least one), then trains."""


class Worker:
    """One training thread; start() it, submit() commands, close() it."""

    def __init__(
        self, spec: RunSpec, device: torch.device, outbox: Outbox, gate: TrainingGate
    ) -> None:
        self._spec = spec
        self._device = device
        self._outbox = outbox
        self._gate = gate
        self._place = Place()
        self._cond = threading.Condition()
        self._inbox: deque[AnyCommand] = deque()
        self._closed = False
        self._training = Training(outbox)
        self._sweeps = SweepRunner(outbox, gate)
        self._training.regions.wake = self._wake
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
            refusal = queue_command(self._inbox, command)
            if refusal is None:
                self._cond.notify()
        if refusal is not None:
            request_id = getattr(command, "request_id", None)  # export and import carry one
            error = ErrorEvent(message=refusal, command=command.type, request_id=request_id)
            self._outbox.put(error)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it; nothing trains after this returns.

        Waiting commands are dropped; a command already running finishes first (an overfit
        check on the largest network takes about two seconds). A turn it waits for at the
        gate is given up at once, so a closing session never waits behind the others.
        """
        with self._cond:
            self._closed = True
            self._inbox.clear()
            self._cond.notify()
        self._gate.leave(self._place)
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sweeps.close(timeout)  # a sweep ends with its session

    # ---------------------------------------------------------------- the thread

    def _main(self) -> None:
        torch.set_num_threads(1)  # tiny nets: a second thread only adds contention
        with contextlib.suppress(GateLeft):  # closed while waiting for a turn: done
            self._run()

    def _run(self) -> None:
        with self._gate.turn(self._place):
            if self._closed:
                return
            self._restart(self._spec)
        while True:
            with self._cond:
                while not (self._closed or self._inbox or self._regions_arrived()):
                    idle = self._training.state.idle_seconds(time.perf_counter())
                    if idle == 0.0:
                        break
                    self._cond.wait(idle)  # None: until a command comes
                if self._closed:
                    return
            asked, steps = time.perf_counter(), 0
            with self._gate.turn(self._place):  # all torch work happens in a turn
                began = time.perf_counter()
                if self._closed:
                    return
                try:
                    self._apply_some()
                    steps = self._training.chunk() if self._training.state.active else 0
                    if not steps and self._regions_arrived():  # at rest: show the count
                        self._training.emit_frame()
                except Exception as exc:  # a bug or a device failure must not kill the session
                    self._training.state.stop()
                    self._outbox.put(
                        ErrorEvent(message=f"Training stopped by an internal error: {exc}")
                    )
            if steps:
                ended = time.perf_counter()
                self._training.turn_ended(steps, ended - asked, ended - began)

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify()

    def _regions_arrived(self) -> bool:
        """A background region count is done; a resting session sends a frame with it."""
        return self._training.trainer is not None and self._training.regions.arrived()

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
                self._training.state.play(time.perf_counter())
            case SpeedCommand(steps_per_second=steps_per_second):
                self._training.state.pace.change(steps_per_second, time.perf_counter())
                speed = SpeedEvent(steps_per_second=steps_per_second)
                # Playing, a frame comes with it: the page sees at once the step where the old
                # pace ended, not with the next slow step a second later.
                if self._training.state.playing:
                    self._training.emit_frame(speed)
                else:
                    self._outbox.put(speed)
            case PauseCommand():
                self._training.state.stop()
                self._training.emit_frame()
            case StepCommand(steps=steps):
                self._training.state.step(steps)
            case ResetCommand():
                self._training.trainer_or_fail().reset()
                self._training.lanes.reset(self._training.trainer_or_fail())
                self._training.new_run()
            case ConfigureCommand():
                self._configure(command)
            case PresetCommand():
                self._load_preset(command)
            case InspectCommand():
                self._training.subscribe(command)
            case SetWeightCommand() | SetUnitCommand():
                edit_weight(self._training, self._outbox, command)
            case UndoCommand():
                self._training.undo()
            case OverfitCheckCommand(points=points):
                overfit_check(self._training, self._outbox, points, lambda: self._closed)
            case ExportCommand(weights=weights, request_id=request_id):
                setup = export_setup(self._training.trainer_or_fail(), weights)
                self._outbox.put(SetupFileEvent(setup=setup, request_id=request_id))
            case ImportCommand(setup=setup, request_id=request_id):
                self._import(setup, request_id)
            case CompareCommand() | PromoteLaneCommand() | EndCompareCommand():
                self._compare(command)
            case _ if isinstance(command, SWEEP_COMMANDS):
                self._sweeps.handle(command, self._spec)
        self._training.lanes.check(self._training.trainer_or_fail())  # a configure, import or
        # undo that changed the main run ends the lanes

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
            self._training.trainer_or_fail().set_training(new.training)
            self._spec = new
            self._outbox.put(settings)

    def _compare(self, command: LanesCommand) -> None:
        """Fork into lanes, promote one or end comparing (server/lanes.py)."""
        training = self._training
        try:
            main = training.lanes.apply(command, training.trainer_or_fail())
        except ConfigureError as exc:  # nothing changed
            self._outbox.put(ErrorEvent(message=str(exc), command=command.type))
            return
        if main is training.trainer:
            training.emit_frame()
        else:  # a new lane 1 at step 0, or the promoted lane at its step; playing or not
            self._spec = main.spec
            training.use(main, SettingsEvent(settings=settings_from_spec(main.spec)))

    def _load_preset(self, command: PresetCommand) -> None:
        """Pause and restart on a hand-built network (models/presets.py), weights loaded."""
        try:
            chosen = build_preset(
                self._spec, command.name, depth=command.depth, bumps=command.bumps
            )
        except PresetError as exc:
            self._outbox.put(ErrorEvent(message=str(exc), command="preset"))
            return
        trainer = chosen.trainer(self._device)
        events: list[ControlEvent] = [SettingsEvent(settings=settings_from_spec(chosen.spec))]
        if chosen.spec.data != self._spec.data:
            events.append(dataset_event(trainer))
        self._replace(trainer, *events)

    def _import(self, setup: SetupFile, request_id: int | None) -> None:
        """Replace the whole setup, weights included, paused; a bad file changes nothing."""
        try:
            trainer = import_setup(setup, self._device)
        except SetupError as exc:
            error = ErrorEvent(message=str(exc), command="import", request_id=request_id)
            self._outbox.put(error)
            return
        settings = SettingsEvent(settings=settings_from_spec(trainer.spec), request_id=request_id)
        self._replace(trainer, settings, dataset_event(trainer))

    def _replace(self, trainer: Trainer, *events: ControlEvent) -> None:
        """Go on paused with `trainer`, its setup and weights, as a new run."""
        self._training.state.stop()
        self._spec = trainer.spec
        self._training.use(trainer, *events)

    def _restart(self, spec: RunSpec, *events: ControlEvent) -> None:
        self._spec = spec
        trainer = Trainer(spec, self._device)
        self._training.use(trainer, *events, dataset_event(trainer))
