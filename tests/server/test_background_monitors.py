"""Monitor samples of large networks nobody watches are taken beside training, on a copy of the
weights, and join the run's history at the step they were taken, with the numbers a sample in
the frame would have had."""

from __future__ import annotations

import time

from models.analysis.monitors import MonitorTracker
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.trainer import Trainer
from server.background_regions import in_background
from server.inspection import Inspector

LARGE = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(100, "relu"), LayerSpec(100, "relu"))),
    data=DataSpec("xor", points=200),
)


def _arrives(inspector: Inspector, trainer: Trainer) -> None:
    deadline = time.monotonic() + 30
    while not inspector.monitor_history and time.monotonic() < deadline:
        time.sleep(0.01)
        inspector.for_frame(trainer, run=1, running=True)


def test_a_large_networks_sample_is_taken_beside_training_at_its_step() -> None:
    trainer = Trainer(LARGE)
    assert in_background(trainer)
    trainer.step(5)
    expected = MonitorTracker().observe(
        trainer.net, trainer.loss_fn, trainer.split.train.x, trainer.split.train.y, 5
    )
    inspector = Inspector()
    inspector.for_frame(trainer, run=1, running=True)  # starts the sample, keeps nothing yet
    trainer.step(3)  # training goes on meanwhile; the sample is of step 5's weights
    _arrives(inspector, trainer)
    history = inspector.monitor_history
    assert [sample.step for sample in history] == [5]
    for got, want in zip(history[0].layers, expected, strict=True):
        assert got.weight_norm == want.weight_norm
        assert got.grad_norm == want.grad_norm


def test_a_sample_of_an_old_run_is_dropped_and_rest_frames_sample_at_once() -> None:
    trainer = Trainer(LARGE)
    inspector = Inspector()
    trainer.step(2)
    inspector.for_frame(trainer, run=1, running=True)
    inspector.new_run()  # a reset while the sample is taken
    trainer.reset()
    time.sleep(0.5)
    inspector.for_frame(trainer, run=2, running=False)  # at rest: in the frame, now
    assert [sample.step for sample in inspector.monitor_history] == [0]
