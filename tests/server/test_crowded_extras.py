"""Among many playing sessions the extras of a frame (approximate region counts of smooth nets,
monitor samples nobody watches) keep to their duty of the session's own share of the process,
so frames and training come first; piecewise-linear counts stay at least once a second."""

from __future__ import annotations

import pytest

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec
from models.trainer import Trainer
from server import inspection
from server.inspection import Inspector
from server.tempo import MIN_SHARE, REGIONS_INTERVAL, REGIONS_MAX_DUTY, Chunks, FrameClock


def test_the_share_is_the_time_a_session_holds_the_gate_over_how_often_its_turn_comes() -> None:
    alone, crowded = Chunks(), Chunks()
    for _ in range(20):
        alone.turn_ended(10, round_seconds=0.010, paced=False, turn_seconds=0.010)
        crowded.turn_ended(10, round_seconds=0.120, paced=False, turn_seconds=0.003)
    assert alone.share == pytest.approx(1.0)
    assert crowded.share == pytest.approx(0.025, rel=1e-3)
    stalled = Chunks()
    stalled.turn_ended(1, round_seconds=1e6, paced=False, turn_seconds=0.0)
    assert stalled.share >= MIN_SHARE


def test_a_count_keeps_to_its_duty_of_the_sessions_share() -> None:
    cheap = 0.003  # an approximate count of the spiral's tanh net
    for share, gap in ((1.0, REGIONS_INTERVAL), (0.025, cheap / (REGIONS_MAX_DUTY * 0.025))):
        clock = FrameClock()
        clock.regions_counted(100.0, cheap, share)
        assert not clock.regions_due(100.0 + gap - 0.01, running=True)
        assert clock.regions_due(100.0 + gap + 0.01, running=True)
        assert clock.regions_due(100.0, running=False)  # a resting frame always counts


def test_monitor_samples_nobody_watches_keep_to_their_duty_of_the_share(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = RunSpec(network=NetworkSpec(hidden=(LayerSpec(4, "tanh"),)), data=DataSpec("xor"))
    trainer = Trainer(spec)
    now = [1000.0]

    def clock() -> float:  # every reading 1 ms on: a monitor sample takes a millisecond
        now[0] += 0.001
        return now[0]

    monkeypatch.setattr(inspection.time, "perf_counter", clock)

    def samples(share: float) -> int:
        inspector = Inspector()
        for _ in range(40):  # 40 frames 0.1 s apart while training
            trainer.step(1)
            inspector.for_frame(trainer, run=1, running=True, share=share)
            now[0] += 0.1
        return len(inspector.monitor_history)

    alone, crowded = samples(1.0), samples(0.002)
    assert inspection.MONITOR_RECORD_INTERVAL == 0.5
    assert alone == 8  # every 0.5 s of the 4 s: 1 ms is within 5% of the session's time
    assert crowded == 1  # 1 ms is 5% of a 0.2% share of 10 s
