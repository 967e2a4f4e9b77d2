"""While sessions queue for the training gate, frames give up grid detail before frame rate."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import torch

from models.config import RunSpec
from server import limits
from server.gate import TrainingGate
from server.latest import Outbox
from server.protocol import FrameEvent, PauseCommand, PlayCommand, SpeedCommand
from server.worker import Worker


def _grid_sides(loop: asyncio.AbstractEventLoop, outbox: Outbox, seconds: float) -> list[int]:
    """The grid side of every frame the worker sent in the next `seconds`."""
    sides: list[int] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            events = loop.run_until_complete(asyncio.wait_for(outbox.get(), 0.5))
        except TimeoutError:
            continue
        sides += [e.grid.width for e in events if isinstance(e, FrameEvent) and e.grid]
    return sides


def test_a_crowded_gate_coarsens_the_grid_while_training_and_rests_in_full() -> None:
    # A thread of its own: the browser tests' sync Playwright leaves an event loop running in
    # this one, and a second loop refuses to run inside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        quiet, crowded, resting = pool.submit(_watch_a_crowded_worker).result()
    full, coarse = limits.GRID_RESOLUTION, limits.GRID_RESOLUTION_CROWDED
    assert quiet and set(quiet) == {full}, quiet
    assert crowded[-3:] == [coarse] * 3, crowded
    assert resting and resting[-1] == full, resting


def _watch_a_crowded_worker() -> tuple[list[int], list[int], list[int]]:
    """Grid sides: playing alone, with a neighbour hogging the gate, then paused."""
    loop = asyncio.new_event_loop()
    gate = TrainingGate()
    outbox = Outbox(loop)
    worker = Worker(RunSpec(), torch.device("cpu"), outbox, gate)
    hogging = threading.Event()
    hogging.set()

    def neighbour() -> None:  # another session whose turns take 150 ms each
        while hogging.is_set():
            with gate.turn():
                time.sleep(0.15)

    try:
        worker.start()
        worker.submit(SpeedCommand(steps_per_second=None))
        worker.submit(PlayCommand())
        quiet = _grid_sides(loop, outbox, 1.0)
        hog = threading.Thread(target=neighbour, daemon=True)
        hog.start()
        crowded = _grid_sides(loop, outbox, 2.0)
        hogging.clear()
        hog.join(2)
        worker.submit(PauseCommand())
        resting = _grid_sides(loop, outbox, 1.0)
    finally:
        worker.close()
        loop.close()
    return quiet, crowded, resting
