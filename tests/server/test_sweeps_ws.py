"""Sweeps over the websocket (server/sweeps.py): plan, start, progress, cancel, disconnect, and
refusals that name the limit; the numbers are Trainer's for the same spec and seed."""

from __future__ import annotations

import importlib.util
import threading
import time
from dataclasses import replace
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from models.config import RunSpec
from models.trainer import Trainer
from models.user_sweep import SETTINGS, Axis, UserSweep, apply_value, expand, parameter_count
from server import sweeps_job
from server.protocol.sweeps import SweepSetting
from server.sweeps_job import estimate_seconds
from tests.conftest import Event, is_type, wait_for

SMALL = {"axes": [{"setting": "width", "values": [2, 5], "layer": 0}], "seeds_per_point": 3}
LONG = {"axes": [{"setting": "seed", "values": list(range(40))}], "steps": 20_000}


def sweep_command(kind: str, sweep: dict[str, Any], request_id: int = 7, steps: int = 40) -> Event:
    return {"type": kind, "request_id": request_id, "sweep": {"steps": steps, **sweep}}


def progress_until_end(ws: WebSocketTestSession) -> list[Event]:
    events = []
    while True:
        event = wait_for(ws, is_type("sweep_progress"))
        events.append(event)
        if event["state"] != "running":
            return events


def first_error(ws: WebSocketTestSession) -> Event:
    return wait_for(ws, is_type("error"))


def test_the_wire_settings_are_the_engines() -> None:
    assert get_args(SweepSetting) == SETTINGS


def test_plan_counts_runs_points_and_parameters(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("plan_sweep", SMALL))
        plan = wait_for(ws, is_type("sweep_plan"))
    assert plan["request_id"] == 7
    assert (plan["runs"], plan["points"], plan["engine"]) == (6, 2, "local")
    expected = [parameter_count(apply_value(RunSpec(), "width", w, 0).network) for w in (2, 5)]
    assert plan["parameters"] == expected
    assert plan["estimate_seconds"] > 0 and plan["sequential_runs"] == 0


def test_a_sweep_streams_every_run_with_trainers_numbers(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", SMALL))
        events = progress_until_end(ws)
    assert events[-1]["state"] == "done"
    assert all(e["request_id"] == 7 and e["runs_total"] == 6 for e in events)
    results = [r for e in events for r in e["results"]]
    assert sorted(r["index"] for r in results) == list(range(6))
    assert events[-1]["runs_done"] == 6 and events[-1]["fraction"] == 1.0
    fractions = [e["fraction"] for e in events]
    assert fractions == sorted(fractions) and all(0 <= f <= 1 for f in fractions)
    last = next(r for r in results if r["index"] == 5)  # width 5, seed 0 + 2
    assert (last["values"], last["seed"]) == ([5.0], 2)
    trainer = Trainer(replace(apply_value(RunSpec(), "width", 5, 0), seed=2))
    trainer.step(40)
    expected = trainer.evaluate()
    assert last["test_loss"] == pytest.approx(expected.test_loss, rel=1e-5, abs=1e-5)
    assert last["train_loss"] == pytest.approx(expected.train_loss, rel=1e-5, abs=1e-5)


def test_cancel_ends_the_sweep_with_a_cancelled_progress(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", LONG, steps=20_000))
        ws.send_json({"type": "cancel_sweep"})
        events = progress_until_end(ws)
        assert events[-1]["state"] == "cancelled"
        assert events[-1]["runs_done"] < 40 and events[-1]["message"]
        ws.send_json({"type": "cancel_sweep"})  # nothing runs now
        assert "no sweep is running" in first_error(ws)["message"]


def test_a_second_start_is_refused_while_one_runs(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", LONG, steps=20_000))
        ws.send_json(sweep_command("start_sweep", SMALL, request_id=8))
        error = first_error(ws)
        assert error["message"] == "a sweep is already running; cancel it first"
        assert (error["command"], error["request_id"]) == ("start_sweep", 8)
        beat = wait_for(ws, is_type("sweep_progress"))  # within a second, no run finished yet
        assert (beat["state"], beat["runs_done"], beat["results"]) == ("running", 0, [])
        assert 0 < beat["fraction"] < 0.5
        ws.send_json({"type": "cancel_sweep"})
        assert progress_until_end(ws)[-1]["state"] == "cancelled"


def test_closing_the_socket_cancels_the_sweep(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", LONG, steps=20_000))
        ws.send_json(sweep_command("plan_sweep", SMALL))  # answered once the start is
        wait_for(ws, is_type("sweep_plan"))
        assert any(t.name == "nnp-sweep" for t in threading.enumerate())
    deadline = time.monotonic() + 20
    while any(t.name == "nnp-sweep" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the sweep thread outlived its session"
        time.sleep(0.05)


def test_an_over_limit_sweep_is_refused_naming_the_limit(client: TestClient) -> None:
    big = {"axes": [{"setting": "learning_rate", "values": [0.01] * 50}], "seeds_per_point": 48}
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("plan_sweep", big, request_id=9))
        error = first_error(ws)
    assert error["request_id"] == 9 and error["command"] == "plan_sweep"
    assert error["message"] == (
        "this sweep has 2,400 runs (50 points × 48 seeds); the limit is 2,000, 400 too many"
    )


@pytest.mark.parametrize(
    ("sweep", "message"),
    [
        ({"axes": [{"setting": "colour", "values": [1]}]}, "setting"),
        ({"axes": [{"setting": "width", "values": [400]}]}, "width must be in [1, 128], got 400"),
        ({"axes": [{"setting": "width", "values": [2.5]}]}, "width takes whole numbers"),
        ({"axes": [{"setting": "width", "values": []}]}, "values: a width axis needs at least one"),
        ({"axes": []}, "a sweep needs one or two axes, got none"),
        (
            {"axes": [{"setting": "seed", "values": [1, 2]}], "seeds_per_point": 3},
            "seeds_per_point must be 1 when seed is an axis",
        ),
        (
            {"axes": [{"setting": "depth", "values": [1]}, {"setting": "depth", "values": [2]}]},
            "different settings",
        ),
        (
            {"axes": [{"setting": "width", "values": [3], "layer": 4}]},
            "width of hidden layer 5: the network has 2 hidden layers",
        ),
    ],
)
def test_bad_axes_are_refused_with_the_request_id(
    client: TestClient, sweep: dict[str, Any], message: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", sweep, request_id=11))
        error = first_error(ws)
        assert message in error["message"]
        assert error["request_id"] == 11
        ws.send_json(sweep_command("plan_sweep", SMALL))  # the session goes on
        assert wait_for(ws, is_type("sweep_plan"))["runs"] == 6


@pytest.mark.parametrize(
    ("configure", "axis", "message"),
    [
        (
            {"dataset": {"name": "plane"}, "training": {"loss": "mse"}},
            {"setting": "label_noise", "values": [0.1]},
            "label_noise: regression data has no labels to flip",
        ),
        (
            {"dataset": {"name": "digits"}},
            {"setting": "points", "values": [100]},
            "points: the digits dataset's number of points is fixed",
        ),
    ],
)
def test_a_setting_the_setup_cannot_vary_is_refused(
    client: TestClient, configure: dict[str, Any], axis: dict[str, Any], message: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", **configure})
        wait_for(ws, is_type("settings"))
        ws.send_json(sweep_command("plan_sweep", {"axes": [axis]}, request_id=12))
        error = first_error(ws)
    assert (error["message"], error["request_id"]) == (message, 12)


def test_the_estimate_grows_with_the_work_and_learns_from_finished_sweeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sweeps_job, "_slowness", {"local": 1.0, "ray": 1.0})
    sweep = UserSweep((Axis("width", (2.0, 16.0)),), 10, 500)
    runs = expand(RunSpec(), sweep)
    first = estimate_seconds(runs, 500, "local")
    assert estimate_seconds(runs, 1000, "local") > 1.5 * first  # setup does not double
    more_seeds = expand(RunSpec(), replace(sweep, seeds_per_point=40))
    assert estimate_seconds(more_seeds, 500, "local") > first
    sweeps_job._learn_slowness("local", 1.0, 4.0)  # took 4 s where 1 s was expected
    assert estimate_seconds(runs, 500, "local") == pytest.approx(2 * first)


def test_the_ray_engine_without_ray_is_refused_clearly(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NNP_SWEEP_BACKEND", "ray")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with client.websocket_connect("/ws") as ws:
        ws.send_json(sweep_command("start_sweep", SMALL, request_id=13))
        error = first_error(ws)
    assert error["request_id"] == 13
    assert error["message"] == (
        "NNP_SWEEP_BACKEND=ray, but Ray is not installed: pip install -e '.[ray]'"
    )
