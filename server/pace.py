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


class RunState:
    """Whether a session trains: playing at its pace, running a step command, or paused."""

    def __init__(self, steps_per_second: float | None) -> None:
        self.playing = False
        self.pending_steps = 0
        """Steps a step command still has to run; it runs them at once, whatever the pace."""
        self.pace = Pace(steps_per_second)

    @property
    def active(self) -> bool:
        """Steps are due: playing, or a step command not finished."""
        return self.playing or self.pending_steps > 0

    @property
    def paced(self) -> bool:
        """Playing at a target rate: chunks are the steps earned, small anyway."""
        return self.playing and self.pace.steps_per_second is not None

    @property
    def slow_motion(self) -> bool:
        """Playing so slowly that every step gets a frame of its own."""
        return self.playing and self.pace.slow

    def play(self, now: float) -> None:
        """Train on, at the pace, from `now`."""
        self.playing, self.pending_steps = True, 0
        self.pace.start(now)

    def step(self, steps: int) -> None:
        """Run `steps` steps, then stop."""
        self.playing, self.pending_steps = False, steps

    def stop(self) -> None:
        """Pause: nothing is due any more."""
        self.playing, self.pending_steps = False, 0

    def idle_seconds(self, now: float) -> float | None:
        """How long the thread may wait for a command: 0 when work is due, None for ever."""
        if self.pending_steps:
            return 0.0
        if not self.playing:
            return None
        return self.pace.wait_seconds(now)

    def allow(self, steps: int, now: float) -> int:
        """How many of `steps` to take now (spent from the pace); 0 when none is due yet."""
        if self.pending_steps:
            return min(steps, self.pending_steps)
        due = self.pace.due(now)
        if due is None:
            return steps
        steps = 0 if due == 0 else 1 if self.pace.slow else min(steps, due)
        self.pace.spend(steps)
        return steps

    def took(self, steps: int) -> bool:
        """Count `steps` taken; True when that finished a step command."""
        if not self.pending_steps:
            return False
        self.pending_steps = max(0, self.pending_steps - steps)
        return self.pending_steps == 0
