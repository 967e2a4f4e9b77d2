"""Churn: a closing session leaves the training gate's line at once (issue 20, target 6).

Before, a worker waiting for its turn at the gate had to get it before it could end, so a
close took as long as the line ahead of it; clients that connected and left back to back
filled every session slot with closing sessions and new sockets got 1013.
"""

from __future__ import annotations

import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from server.app import create_app
from server.gate import GateLeft, Place, TrainingGate
from server.settings import Settings
from tests.server.live import frames_within, serving
from tests.server.test_faults import eventually, worker_threads

CYCLES = 300
SLOTS = 8
TIMEOUT = 15.0


def test_a_place_that_leaves_while_waiting_wakes_at_once_and_the_line_moves_on() -> None:
    gate, order = TrainingGate(), []
    leaving, staying = Place(), Place()

    def wait_in_line(place: Place, name: str) -> None:
        try:
            with gate.turn(place):
                order.append(name)
        except GateLeft:
            order.append(f"{name} left")

    with gate.turn():  # the gate is busy: both queue behind this holder
        threads = [
            threading.Thread(target=wait_in_line, args=(place, name))
            for place, name in ((leaving, "leaving"), (staying, "staying"))
        ]
        for thread in threads:
            thread.start()
            while gate.waiting < threads.index(thread) + 1:
                time.sleep(0.001)
        gate.leave(leaving)
        threads[0].join(TIMEOUT)
        assert order == ["leaving left"]  # woke while the gate was still held
    threads[1].join(TIMEOUT)
    assert order == ["leaving left", "staying"]
    with pytest.raises(GateLeft), gate.turn(leaving):  # a place that left gets no more turns
        pass
    with gate.turn():  # and the gate is free again
        pass


def test_leaving_while_holding_the_gate_still_hands_it_on() -> None:
    gate, holder = TrainingGate(), Place()
    with gate.turn(holder):
        gate.leave(holder)  # the turn it holds runs to its end
    with gate.turn():
        pass


def test_immediate_connect_close_cycles_free_their_slots_and_a_new_session_trains() -> None:
    app = create_app(Settings(device="cpu", max_sessions=SLOTS))
    gate: TrainingGate = app.state.playground.gate
    with serving(app) as (host, port):
        url = f"ws://{host}:{port}/ws"
        workers = worker_threads()
        # The gate stays busy throughout, as on a crowded server: every new worker queues for
        # its first turn. A close that waited for that turn held its slot (5 s, then its thread
        # stayed blocked), so cycle SLOTS + 1 was refused with 1013.
        with gate.turn():
            for cycle in range(CYCLES):
                hello_soon(url, cycle)
            assert eventually(lambda: worker_threads() <= workers), "closed workers still wait"
        with connect(url, proxy=None) as ws:  # the gate is free: a new session trains at once
            ws.send('{"type": "step", "steps": 5}')
            deadline = time.monotonic() + 60  # a bound for a hang, not a speed test
            while not any(frame["step"] == 5 for frame in frames_within(ws, 1.0)):
                assert time.monotonic() < deadline, "the new session never stepped"


def hello_soon(url: str, cycle: int) -> None:
    """Connect, read the hello and close at once; a refusal is retried for 3 s (a close the
    server is finishing may still hold its slot for a moment; one waiting for the gate held it
    5 s, then its thread stayed blocked)."""
    deadline = time.monotonic() + 3.0
    while True:
        try:
            with connect(url, proxy=None, open_timeout=TIMEOUT) as ws:
                assert '"hello"' in str(ws.recv(timeout=TIMEOUT))
                return
        except ConnectionClosed as closed:
            if time.monotonic() > deadline:
                raise AssertionError(f"cycle {cycle}: refused ({closed})") from closed
            time.sleep(0.02)
