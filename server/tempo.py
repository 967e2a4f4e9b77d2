"""The worker's timing: how many steps a chunk takes, when a frame is due, when regions are.

Pure bookkeeping with the time passed in, like server/pace.py; server/worker.py measures and
waits. A chunk is as many steps as fit in CHUNK_SECONDS, so a pause takes effect within
milliseconds while per-call overhead stays small; frames keep a fixed rate, and counting
regions keeps to a small share of the time.
"""

from __future__ import annotations

from server import limits

CHUNK_SECONDS = 0.01
MAX_CHUNK_STEPS = 5_000
FRAME_INTERVAL = 1.0 / limits.MAX_FRAMES_PER_SECOND
PAGE_FRAME_INTERVAL = 1.0 / limits.MAX_PAGE_FRAMES_PER_SECOND
"""Frames with weights for the page to evaluate (server/page_grid.py) cost little: twice as
often."""
FRAMES_PER_SECOND_UNDER_LOAD = 12
"""When sessions queue for the gate, chunks shrink until each session's turn comes round
this often, frame included: every session keeps a live view, and training gets the rest."""
REGIONS_INTERVAL = 1.0
"""While playing, count regions at most this often (contract: at least once a second)..."""
REGIONS_MAX_DUTY = 0.05
"""...and never spend more than this share of the time on it, so training keeps its speed.
Approximate counts (smooth nets) take this share of the session's own share of the process:
with 40 sessions queueing for the gate, a count every few seconds instead of every second."""
LOSSES_INTERVAL = 1.0 / limits.MAX_LOSSES_PER_SECOND
"""While training, a frame computes its losses afresh at most this often; frames between
repeat the last ones (FrameEvent.loss_step) and add no point to the loss chart."""
MIN_SHARE = 1.0 / 256
"""The least share of the process a session is taken to have (bounds the intervals above)."""


class Chunks:
    """The size of the next chunk of steps, from the measured speed and how turns come round."""

    def __init__(self) -> None:
        self.steps_per_second = 1000.0  # first guess; measured from then on
        self._cap: float = MAX_CHUNK_STEPS  # fewer while sessions queue for the gate
        self.frame_seconds = 0.0  # measured
        self.share = 1.0
        """This session's share of the time, measured: its turns' length over how often they
        come round (1 alone, ~1/40 among 40 playing sessions)."""
        self.crowded = False
        """Turns come round slower than FRAMES_PER_SECOND_UNDER_LOAD: frames while training
        carry a coarser grid (limits.GRID_RESOLUTION_CROWDED), so detail gives way before
        frames and training do; a resting frame always has the full grid."""

    def size(self, until_frame: float) -> int:
        """Steps for the next chunk, ending it when the next frame is due (`until_frame` s).

        A frame that fell due while this worker waited for its turn goes out after a full chunk.
        """
        budget = min(CHUNK_SECONDS, until_frame) if until_frame > 0 else CHUNK_SECONDS
        return max(1, min(int(self._cap), int(self.steps_per_second * budget)))

    def ran(self, steps: int, seconds: float) -> None:
        """`steps` took `seconds` of compute."""
        rate = steps / max(seconds, 1e-6)
        self.steps_per_second = 0.8 * self.steps_per_second + 0.2 * rate

    def framed(self, seconds: float) -> None:
        """A frame took `seconds` to build."""
        self.frame_seconds = 0.8 * self.frame_seconds + 0.2 * seconds

    def turn_ended(
        self, steps: int, round_seconds: float, paced: bool, turn_seconds: float | None = None
    ) -> None:
        """A turn took `steps` steps and `round_seconds` from asking for the gate to the end,
        `turn_seconds` of them holding it (None: all).

        A turn that came round slowly means sessions queue for the gate. Paced chunks are the
        steps earned, small anyway, so they leave the cap alone.
        """
        held = round_seconds if turn_seconds is None else turn_seconds
        share = min(1.0, max(MIN_SHARE, held / max(round_seconds, 1e-9)))
        self.share = 0.5 * (self.share + share)
        self.crowded = round_seconds > 1.0 / FRAMES_PER_SECOND_UNDER_LOAD
        if not paced:
            self._fit(steps, round_seconds)

    def _fit(self, steps: int, round_seconds: float) -> None:
        """Cap the next chunk by how long this turn took to come round, waiting included.

        Every queued worker takes one turn (a chunk, usually a frame) before this one's next,
        so scaling the chunks by target/round brings each session back to
        FRAMES_PER_SECOND_UNDER_LOAD. With no queue the cap doubles away and CHUNK_SECONDS
        rules. The square root damps it, since all workers adjust at once. When the process
        cannot keep that frame rate, frames give way, not training: a chunk never gets less
        time than its frame, else a crowded server would show a boundary that never moves.
        """
        scale = min(2.0, (1.0 / FRAMES_PER_SECOND_UNDER_LOAD / round_seconds) ** 0.5)
        floor = max(1.0, self.steps_per_second * self.frame_seconds)
        fitted = min(self._cap, steps) * scale
        # A turn that came round in time leaves the cap (a chunk cut short by a due frame
        # says nothing about the queue): shrinking it to twice that chunk made the next
        # chunks grow back from a few hundred steps, 4-5 turns a frame instead of 1-2.
        chunk = max(floor, fitted if scale < 1.0 else max(self._cap, fitted))
        self._cap = min(MAX_CHUNK_STEPS, chunk)


class FrameClock:
    """When the next frame and the next region count are due."""

    def __init__(self) -> None:
        self._last_frame_at = 0.0
        self._next_regions_at = 0.0
        self._losses_at = -1e9
        self.interval = FRAME_INTERVAL
        """FRAME_INTERVAL, or PAGE_FRAME_INTERVAL while frames carry weights, not grids."""

    def until_frame(self, now: float) -> float:
        """Seconds until the next frame is due; negative when it is late."""
        return self._last_frame_at + self.interval - now

    def frame_due(self, now: float) -> bool:
        """A frame interval has passed since the last frame."""
        return now - self._last_frame_at >= self.interval

    def frame_sent(self, started: float) -> None:
        """A frame begun at `started` went out.

        Frames keep to a fixed grid of due times, so neither building a frame nor a chunk
        ending a little late costs frame rate; after a long stall the grid starts afresh.
        """
        slot = self._last_frame_at + self.interval
        self._last_frame_at = slot if 0 <= started - slot < self.interval else started

    def regions_due(self, now: float, running: bool) -> bool:
        """Every resting frame counts regions; while training, when the budget allows."""
        return not running or now >= self._next_regions_at

    def regions_counted(self, started: float, seconds: float, share: float = 1.0) -> None:
        """A region count begun at `started` took `seconds`; the next keeps to REGIONS_MAX_DUTY
        of `share` of the time."""
        duty = REGIONS_MAX_DUTY * max(MIN_SHARE, share)
        self._next_regions_at = started + max(REGIONS_INTERVAL, seconds / duty)

    def losses_due(self, now: float) -> bool:
        """Whether a training frame begun `now` computes its losses afresh: at most every
        LOSSES_INTERVAL, with half a frame interval of slack for a frame a little early, so at
        60 frames/s every other frame computes them and at 30 every one."""
        return now - self._losses_at >= LOSSES_INTERVAL - self.interval / 2

    def losses_computed(self, started: float) -> None:
        """A frame begun at `started` computed its losses."""
        self._losses_at = started
