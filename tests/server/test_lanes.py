"""Comparing in lanes over the websocket (server/lanes.py), and each lane's spec
(server/lane_specs.py): lockstep, lane == alone, promote, end, and refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from models.config import LayerSpec, NetworkSpec, RunSpec
from server import limits
from server.lane_specs import lane_specs
from server.specs import ConfigureError
from tests.conftest import Event, is_type, wait_for

SPIRAL = {
    "type": "configure",
    "network": {"hidden": [{"units": 8, "activation": "tanh"}, {"units": 8, "activation": "tanh"}]},
    "dataset": {"name": "spiral"},
    "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10},
    "seed": 5,
}
ACTIVATIONS = {"type": "compare", "setting": "activation", "values": ["tanh", "relu", "sigmoid"]}


def lanes_frame_at(step: int) -> Any:
    return lambda e: e["type"] == "lanes_frame" and all(lane["step"] == step for lane in e["lanes"])


def frame_at(step: int) -> Any:
    return lambda e: e["type"] == "frame" and e["step"] == step


def start(ws: WebSocketTestSession, *commands: dict[str, Any]) -> Event:
    """Configure the spiral, send `commands`, return the first lanes frame."""
    wait_for(ws, is_type("frame"))
    ws.send_json(SPIRAL)
    wait_for(ws, is_type("settings"))
    for command in commands:
        ws.send_json(command)
    return wait_for(ws, is_type("lanes_frame"))


# ---------------------------------------------------------------------- lane_specs


def test_each_lane_changes_the_one_setting_in_every_hidden_layer() -> None:
    base = RunSpec(network=NetworkSpec(hidden=(LayerSpec(4, "tanh"), LayerSpec(2, "tanh"))))
    relu, sigmoid = lane_specs(base, "activation", ["relu", "sigmoid"])
    assert [layer.activation for layer in relu.network.hidden] == ["relu", "relu"]
    assert [layer.units for layer in sigmoid.network.hidden] == [4, 2]
    assert relu.data == base.data and relu.training == base.training and relu.seed == base.seed
    shallow, deep = lane_specs(base, "depth", [1, 4])
    assert [layer.units for layer in shallow.network.hidden] == [4]
    assert [layer.units for layer in deep.network.hidden] == [4, 2, 2, 2]
    (fast,) = lane_specs(base, "learning_rate", [0.3])
    assert fast.training.learning_rate == 0.3 and fast.network == base.network


@pytest.mark.parametrize(
    ("setting", "values", "words"),
    [
        ("activation", ["tanh", "swish"], "lane 2 (activation swish): "),
        ("width", [4, 500], f"must be at most {limits.MAX_UNITS}"),
        ("depth", [2, limits.MAX_HIDDEN_LAYERS + 1], "lane 2"),
        ("width", [4, 2.5], "whole number"),
        ("learning_rate", [0.1, "fast"], "takes a number"),
        ("optimizer", ["adam", 3], "takes a name"),
        ("learning_rate", [0.1, 50], "at most 10"),
    ],
)
def test_values_that_do_not_fit_are_refused_by_lane(
    setting: Any, values: list[Any], words: str
) -> None:
    with pytest.raises(ConfigureError, match=words.replace("(", r"\(").replace(")", r"\)")):
        lane_specs(RunSpec(), setting, values)


# ---------------------------------------------------------------------- over the websocket


def test_lanes_train_in_lockstep_and_a_lane_equals_the_same_setup_alone(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        first = start(ws, ACTIVATIONS)
        assert [lane["step"] for lane in first["lanes"]] == [0, 0, 0]
        assert all(len(lane["grid"]["data"]) == 2 * 40 * 40 for lane in first["lanes"])
        ws.send_json({"type": "step", "steps": 60})
        lanes = wait_for(ws, lanes_frame_at(60))["lanes"]
    with client.websocket_connect("/ws") as alone:
        wait_for(alone, is_type("frame"))
        relu = {**SPIRAL, "network": {"hidden": [{"units": 8, "activation": "relu"}] * 2}}
        alone.send_json(relu)
        wait_for(alone, is_type("settings"))
        alone.send_json({"type": "step", "steps": 60})
        frame = wait_for(alone, frame_at(60))
    assert (lanes[1]["train_loss"], lanes[1]["test_loss"]) == (
        frame["train_loss"],
        frame["test_loss"],
    )
    assert lanes[0]["test_loss"] != lanes[1]["test_loss"] != lanes[2]["test_loss"]


def test_two_lanes_of_the_same_value_give_bit_identical_curves(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, {"type": "compare", "setting": "learning_rate", "values": [0.03, 0.03]})
        curves: list[list[tuple[float, float]]] = [[], []]
        for steps in (1, 10, 25):
            ws.send_json({"type": "step", "steps": steps})
            event = wait_for(ws, lambda e: e["type"] == "lanes_frame" and not e["running"])
            for curve, lane in zip(curves, event["lanes"], strict=True):
                history = lane["history"]
                curve += list(zip(history["train_loss"], history["test_loss"], strict=True))
        assert curves[0] == curves[1] and len(curves[0]) >= 3
        assert event["lanes"][0]["grid"] == event["lanes"][1]["grid"]


def test_playing_steps_every_lane_alike_and_pause_stops_them_all(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, {"type": "speed", "steps_per_second": None}, ACTIVATIONS, {"type": "play"})
        for _ in range(3):
            event = wait_for(ws, lambda e: e["type"] == "lanes_frame" and e["lanes"][0]["step"])
            assert len({lane["step"] for lane in event["lanes"]}) == 1
        ws.send_json({"type": "pause"})
        paused = wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])
        lanes = wait_for(ws, is_type("lanes_frame"))["lanes"]
        assert [lane["step"] for lane in lanes] == [paused["step"]] * 3
        ws.send_json({"type": "reset"})
        wait_for(ws, lanes_frame_at(0))


def test_promote_keeps_the_lanes_weights_and_step(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, ACTIVATIONS)
        ws.send_json({"type": "step", "steps": 40})
        lanes = wait_for(ws, lanes_frame_at(40))["lanes"]
        ws.send_json({"type": "promote_lane", "lane": 2})
        assert wait_for(ws, is_type("lanes")) == {"type": "lanes", "setting": None, "values": []}
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert {h["activation"] for h in settings["network"]["hidden"]} == {"sigmoid"}
        frame = wait_for(ws, is_type("frame"))
        assert frame["step"] == 40 and frame["test_loss"] == lanes[2]["test_loss"]
        ws.send_json({"type": "step", "steps": 5})
        assert wait_for(ws, is_type("frame"))["step"] == 45


def test_end_compare_keeps_lane_one_as_the_run(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, ACTIVATIONS)
        ws.send_json({"type": "step", "steps": 20})
        lanes = wait_for(ws, lanes_frame_at(20))["lanes"]
        ws.send_json({"type": "end_compare"})
        assert wait_for(ws, is_type("lanes"))["setting"] is None
        frame = wait_for(ws, is_type("frame"))
        assert frame["step"] == 20 and frame["test_loss"] == lanes[0]["test_loss"]


def test_a_configure_that_replaces_the_run_ends_the_comparison(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, ACTIVATIONS)
        ws.send_json({"type": "configure", "training": {"learning_rate": 0.1}})
        assert wait_for(ws, is_type("lanes"))["setting"] is None


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ({"type": "compare", "setting": "activation", "values": ["relu", "nope"]}, "lane 2"),
        ({"type": "compare", "setting": "colour", "values": [1, 2]}, "setting"),
        ({"type": "compare", "setting": "width", "values": [1] * (limits.MAX_LANES + 1)}, "most"),
        ({"type": "compare", "setting": "width", "values": [4]}, "at least 2"),
        ({"type": "promote_lane", "lane": 0}, "not comparing"),
    ],
)
def test_bad_lanes_commands_get_an_error_and_change_nothing(
    client: TestClient, command: dict[str, Any], words: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "step", "steps": 7})
        wait_for(ws, frame_at(7))
        ws.send_json(command)
        error = wait_for(ws, is_type("error"))
        assert words in error["message"] and error["command"] == command["type"]
        ws.send_json({"type": "step", "steps": 1})
        assert wait_for(ws, is_type("frame"))["step"] == 8  # the same run went on


def test_promoting_a_lane_that_does_not_exist_is_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(ws, {"type": "compare", "setting": "width", "values": [4, 8]})
        ws.send_json({"type": "promote_lane", "lane": 3})
        assert "lane must be below 2" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "step", "steps": 2})
        assert len(wait_for(ws, lanes_frame_at(2))["lanes"]) == 2
