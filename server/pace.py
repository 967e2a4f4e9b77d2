"""Pace: how many steps a playing session may take now, at a target rate, spread evenly.

A token bucket on the worker's clock: credit grows at the target steps per second, each step
spends one, and the worker sleeps until the next whole step is due. Pure bookkeeping with the
time passed in, so it is tested without sleeping; `server/worker.py` does the waiting.
"""

from __future__ import annotations

from server import limits

TICK_SECONDS = 0.005
"""A paced worker wakes at most this often: fast paces take a few steps per wake-up, still
far finer than the 33 ms between frames, instead of one wake-up per step."""
MAX_BURST_SECONDS = 0.25
"""Steps owed after a stall (a long frame, a queue for the gate, a busy CPU that wakes the
thread late) are made up to this much of the pace and forgiven beyond it: on a loaded machine
the pace still holds, and a late worker never races through seconds of steps at once."""
SLOW_MOTION_BURST = 1.5
"""Slow motion makes up at most half a step (a late wake-up's share), never a whole one: two
steps in a row would reach the page as one frame."""


class Pace:
    """The target rate of one session and the steps it has earned; None is no pace (max)."""

    def __init__(self, steps_per_second: float | None) -> None:
        self.steps_per_second = steps_per_second
        self._credit = 0.0
        self._at = 0.0

    @property
    def slow(self) -> bool:
        """At most one step per displayed frame: each step then gets a frame of its own."""
        rate = self.steps_per_second
        return rate is not None and rate <= limits.MAX_FRAMES_PER_SECOND

    def start(self, now: float) -> None:
        """Playing starts (or resumes): the first step is due at once."""
        self._credit, self._at = 1.0, now

    def change(self, steps_per_second: float | None, now: float) -> None:
        """A new target from now on; steps already earned stay earned, up to the new burst."""
        self._refill(now)
        self.steps_per_second = steps_per_second
        self._credit = min(self._credit, self._burst())

    def due(self, now: float) -> int | None:
        """Whole steps earned by `now`; None when there is no pace (train as fast as possible)."""
        if self.steps_per_second is None:
            return None
        self._refill(now)
        return int(self._credit)

    def spend(self, steps: int) -> None:
        """`steps` were taken."""
        if self.steps_per_second is not None:
            self._credit = max(0.0, self._credit - steps)

    def wait_seconds(self, now: float) -> float:
        """Seconds until the next whole step is due: 0 when one is (or there is no pace)."""
        rate = self.steps_per_second
        if rate is None:
            return 0.0
        self._refill(now)
        missing = 1.0 - self._credit
        return 0.0 if missing <= 0 else max(missing / rate, TICK_SECONDS)

    def _burst(self) -> float:
        """The most steps that may be owed; in slow motion under two, so none runs unseen."""
        rate = self.steps_per_second
        if rate is None:
            return 1.0
        return SLOW_MOTION_BURST if self.slow else max(1.0, rate * MAX_BURST_SECONDS)

    def _refill(self, now: float) -> None:
        rate = self.steps_per_second or 0.0
        self._credit = min(self._burst(), self._credit + max(0.0, now - self._at) * rate)
        self._at = max(self._at, now)
