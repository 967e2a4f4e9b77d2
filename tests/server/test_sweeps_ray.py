"""The Ray engine (server/sweeps_ray.py) on a local Ray of two CPUs: the same numbers as the
local engine for the same seeds, and a cancel stops the tasks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
import ray
from fastapi.testclient import TestClient

from models.config import RunSpec
from models.user_sweep import Axis, UserSweep, expand
from server.gate import TrainingGate
from server.latest import Outbox
from server.sweeps_job import SweepJob
from tests.conftest import is_type, wait_for
from tests.server.test_sweeps_ws import LONG, progress_until_end, sweep_command


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


class Collected:
    """An outbox that keeps what is put in it (the job only calls `put`)."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def put(self, *events: Any) -> None:
        self.events.extend(events)


def _results(client: TestClient, sweep: dict[str, Any]) -> dict[int, Any]:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", sweep, steps=30))
        events = progress_until_end(ws)
    assert events[-1]["state"] == "done", events[-1]["message"]
    return {r["index"]: (r, events[-1]["engine"]) for e in events for r in e["results"]}


def test_ray_gives_the_local_engines_numbers(
    local_ray: None, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweep = {
        "axes": [
            {"setting": "width", "values": [2, 6], "layer": None},
            {"setting": "dropout", "values": [0, 0.2]},  # one by one, as Trainer
        ],
        "seeds_per_point": 2,
    }
    local = _results(client, sweep)
    monkeypatch.setenv("NNP_SWEEP_BACKEND", "ray")
    remote = _results(client, sweep)
    assert sorted(remote) == sorted(local) == list(range(8))
    for index, (result, engine) in remote.items():
        assert engine == "ray" and local[index][1] == "local"
        assert result == local[index][0]  # the same function: the same floats


def test_cancel_cancels_the_ray_tasks(local_ray: None) -> None:
    sweep = UserSweep((Axis("seed", tuple(float(s) for s in range(120))),), 1, 20_000)
    outbox = Collected()
    runs = expand(RunSpec(), sweep)
    job = SweepJob(runs, sweep, "ray", cast(Outbox, outbox), TrainingGate(), 1)
    job.start()
    deadline = time.monotonic() + 30
    while not job.ray_refs:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)  # some tasks running, some waiting for a CPU
    job.cancel("test")
    job.join(10)
    assert not job.alive
    assert outbox.events[-1].state == "cancelled"
    for ref in job.ray_refs:
        with pytest.raises((ray.exceptions.TaskCancelledError, ray.exceptions.RayTaskError)):
            ray.get(ref, timeout=20)


def test_closing_the_socket_cancels_the_ray_sweep(
    local_ray: None, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NNP_SWEEP_BACKEND", "ray")
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", LONG, steps=20_000))
        ws.send_json(sweep_command("plan_sweep", LONG))  # answered once the start is
        wait_for(ws, is_type("sweep_plan"))
    deadline = time.monotonic() + 30
    while any(t.name == "nnp-sweep" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the Ray sweep outlived its session"
        time.sleep(0.05)
