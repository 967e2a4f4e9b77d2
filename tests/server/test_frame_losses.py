"""Frames between loss evaluations (limits.MAX_LOSSES_PER_SECOND): the numbers are the last
computed ones, labelled with the step they belong to, and the loss chart never gets an
invented point."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from server import tempo
from server.latest import Outbox
from server.protocol import FrameEvent
from server.tempo import FrameClock
from server.training import Training

SPIRAL = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec("spiral", points=200, train_fraction=0.5),
    training=TrainSpec("sgd", learning_rate=0.03, batch_size=10),
)


def test_at_60_frames_a_second_every_other_frame_computes_losses_and_at_30_every_one() -> None:
    for frames_per_second, expected in ((60, [True, False] * 6), (30, [True] * 12)):
        clock = FrameClock()
        clock.interval = 1.0 / frames_per_second
        due = []
        for i in range(12):
            now = 100.0 + i / frames_per_second + (0.002 if i % 3 else -0.002)  # jitter
            due.append(clock.losses_due(now))
            if due[-1]:
                clock.losses_computed(now)
        assert due == expected, frames_per_second


class _Frames(Outbox):
    """An outbox that keeps every frame (its loop never runs)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop, page_grid=True)
        self.frames: list[FrameEvent] = []

    def put(self, *events: object, frame: FrameEvent | None = None, **views: object) -> None:
        if frame is not None:
            self.frames.append(frame)


@pytest.fixture
def outbox() -> Iterator[_Frames]:
    loop = asyncio.new_event_loop()
    yield _Frames(loop)
    loop.close()


def _playing(monkeypatch: pytest.MonkeyPatch, outbox: _Frames) -> tuple[Training, Trainer]:
    """A session whose step-0 frame (at rest) computed its losses, now playing, with no
    second evaluation coming due by the clock."""
    monkeypatch.setattr(tempo, "LOSSES_INTERVAL", 3600.0)
    training = Training(outbox)
    trainer = Trainer(SPIRAL)
    training.use(trainer)
    training.state.pace.change(None, 0.0)
    training.state.play(0.0)
    return training, trainer


SAME = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "loss_points")


def test_a_frame_between_evaluations_repeats_the_last_losses_and_adds_no_chart_point(
    monkeypatch: pytest.MonkeyPatch, outbox: _Frames
) -> None:
    training, trainer = _playing(monkeypatch, outbox)
    first = outbox.frames[-1]
    assert first.step == 0 and first.loss_step is None and first.history.steps == [0]
    assert first.test_loss == trainer.evaluate().test_loss

    trainer.step(7)
    training.emit_frame(periodic=True)
    again = outbox.frames[-1]
    assert again.step == 7 and again.loss_step == 0 and again.running
    assert again.history.steps == [] and again.history.train_loss == []
    assert all(getattr(again, key) == getattr(first, key) for key in SAME)
    assert again.train_loss != trainer.evaluate().train_loss  # stale, and the frame says so

    training.state.stop()
    training.emit_frame()  # a pause (a step command, a speed change): exact at its step
    paused = outbox.frames[-1]
    ev = trainer.evaluate()
    assert paused.loss_step is None and paused.step == 7 and paused.history.steps == [7]
    assert (paused.train_loss, paused.test_loss) == (ev.train_loss, ev.test_loss)


def test_losses_due_again_are_computed_at_the_frames_step(
    monkeypatch: pytest.MonkeyPatch, outbox: _Frames
) -> None:
    training, trainer = _playing(monkeypatch, outbox)
    monkeypatch.setattr(tempo, "LOSSES_INTERVAL", 0.0)  # every frame is due
    trainer.step(4)
    training.emit_frame(periodic=True)
    frame = outbox.frames[-1]
    assert frame.loss_step is None and frame.history.steps == [4]
    assert frame.train_loss == trainer.evaluate().train_loss


def test_a_new_run_never_repeats_the_old_runs_losses(
    monkeypatch: pytest.MonkeyPatch, outbox: _Frames
) -> None:
    training, trainer = _playing(monkeypatch, outbox)
    trainer.step(3)
    trainer.reset()
    training.new_run()  # its own first frame computes
    training.state.play(0.0)
    trainer.step(2)
    training.emit_frame(periodic=True)
    newest = outbox.frames[-1]
    assert newest.run == 2 and newest.loss_step == 0 and newest.history.steps == []
    assert newest.train_loss == outbox.frames[-2].train_loss
    assert outbox.frames[-2].run == 2
