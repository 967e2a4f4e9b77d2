"""The Inspector's monitor history: bounded, thinned evenly, newest kept, one per step."""

from __future__ import annotations

import itertools

from server import inspection
from server.inspection import Inspector
from server.protocol import LayerMonitorStats, MonitorSample


def _sample(step: int) -> MonitorSample:
    stats = LayerMonitorStats(
        layer=0,
        name="output layer",
        weight_norm=1.0,
        grad_norm=1.0,
        update_ratio=None,
        activation_mean=0.0,
        activation_std=1.0,
        dead_fraction=None,
    )
    return MonitorSample(step=step, layers=[stats])


def test_history_is_bounded_and_keeps_the_whole_run() -> None:
    inspector = Inspector()
    cap = inspection.MONITOR_HISTORY_SAMPLES
    for step in range(10 * cap):
        inspector._keep(_sample(step))
    steps = [s.step for s in inspector.monitor_history]
    assert len(steps) <= cap
    assert steps[0] == 0 and steps[-1] == 10 * cap - 1
    assert steps == sorted(set(steps))
    # Thinning halves the detail of what is kept, so no stretch of the run goes missing.
    gaps = [b - a for a, b in itertools.pairwise(steps)]
    assert max(gaps) <= 2 * (10 * cap) // cap
    assert len(set(gaps[:-1])) == 1  # evenly spaced, the newest apart


def test_a_sample_at_the_same_step_replaces_and_older_ones_are_ignored() -> None:
    inspector = Inspector()
    inspector._keep(_sample(3))
    inspector._keep(_sample(3))
    inspector._keep(_sample(1))
    assert [s.step for s in inspector.monitor_history] == [3]
    inspector.new_run()
    assert inspector.monitor_history == []
