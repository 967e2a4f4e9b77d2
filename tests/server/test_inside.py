"""Issue 7 over the wire: inspections, weight edits, the NaN guard and undo, the overfit check,
export and import of whole setups, and the save/share HTTP routes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.conftest import Event, is_type, wait_for

W1 = [[1.0, -2.0], [0.5, 0.25]]
B1 = [0.1, -0.3]
W2 = [[1.5, -1.0]]
B2 = [0.2]


def _at_rest(ws: WebSocketTestSession) -> Event:
    return wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])


def _export(ws: WebSocketTestSession, weights: bool = True) -> dict[str, Any]:
    ws.send_json({"type": "export", "weights": weights})
    setup: dict[str, Any] = wait_for(ws, is_type("setup_file"))["setup"]
    return setup


def _tiny_relu_setup(ws: WebSocketTestSession) -> dict[str, Any]:
    """The session's own setup, made a 2-2-1 ReLU net with the weights above."""
    ws.send_json({"type": "configure", "network": {"hidden": [{"units": 2, "activation": "relu"}]}})
    wait_for(ws, is_type("settings"))
    setup = _export(ws)
    setup["weights"] = {
        "0.weight": {"shape": [2, 2], "values": [v for row in W1 for v in row]},
        "0.bias": {"shape": [2], "values": B1},
        "2.weight": {"shape": [1, 2], "values": W2[0]},
        "2.bias": {"shape": [1], "values": B2},
    }
    setup["step"] = 7
    return setup


def _by_hand(point: list[float], w1: list[list[float]], w2: list[list[float]]) -> float:
    """P(class 1) of the 2-2-1 ReLU net, computed without torch."""
    hidden = [
        max(0.0, sum(w * x for w, x in zip(row, point, strict=True)) + b)
        for row, b in zip(w1, B1, strict=True)
    ]
    logit = sum(w * h for w, h in zip(w2[0], hidden, strict=True)) + B2[0]
    return 1 / (1 + math.exp(-logit))


def _probe(ws: WebSocketTestSession, point: list[float], target: float = 1) -> Event:
    ws.send_json({"type": "inspect", "probe": {"point": point, "target": target}})
    return wait_for(ws, lambda e: e["type"] == "inspection" and e["probe"] is not None)


def test_inspection_carries_what_is_subscribed(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "inspect", "neurons": True, "hidden_layer": 0, "monitors": True})
        event = wait_for(ws, is_type("inspection"))
        layers = event["layers"]
        hidden = [layer["units"] for layer in layers[:-1]]
        assert [layer["name"] for layer in layers][-1] == "output layer"
        for layer in layers:
            weight = np.frombuffer(layer["weight"], "<f4")
            assert weight.size == layer["units"] * layer["inputs"]
        neurons = event["neurons"]
        assert neurons["counts"] == [2, *hidden, 1]
        planes = np.frombuffer(neurons["data"], "<f2")
        assert planes.size == sum(neurons["counts"]) * neurons["width"] * neurons["height"]
        space = event["hidden_space"]
        assert len(np.frombuffer(space["points"], "<f4")) == 2 * space["count"]
        assert len(np.frombuffer(space["grid"], "<f4")) == 2 * space["lines"] * space["samples"]
        assert [m["name"] for m in event["monitors"]] == [layer["name"] for layer in layers]
        assert event["probe"] is None and event["focus"] is None


def test_an_empty_subscription_stops_inspections(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "inspect", "monitors": True})
        wait_for(ws, is_type("inspection"))
        ws.send_json({"type": "inspect"})
        ws.send_json({"type": "step", "steps": 3})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 3)
        ws.send_json({"type": "export", "weights": False})
        seen = []
        while (event := wait_for(ws, lambda e: True))["type"] != "setup_file":
            seen.append(event["type"])
        assert "inspection" not in seen
        assert frame["step"] == 3


def test_probe_and_weight_edit_match_a_hand_computation(client: TestClient) -> None:
    point = [0.5, -1.0]
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "import", "setup": _tiny_relu_setup(ws)})
        assert _at_rest(ws)["step"] == 7
        before = _probe(ws, point)["probe"]
        assert before["output"][0] == pytest.approx(_by_hand(point, W1, W2), rel=1e-6)
        assert before["loss"] == pytest.approx(-math.log(_by_hand(point, W1, W2)), rel=1e-6)
        ws.send_json({"type": "set_weight", "layer": 1, "row": 0, "col": 1, "value": 3.0})
        after = wait_for(ws, lambda e: e["type"] == "inspection" and e["probe"] is not None)
        edited = [[1.5, 3.0]]
        assert after["probe"]["output"][0] == pytest.approx(_by_hand(point, W1, edited), rel=1e-6)
        weight = np.frombuffer(after["layers"][1]["weight"], "<f4")
        assert weight.tolist() == [1.5, 3.0]


def test_weights_can_only_be_edited_while_paused_and_in_range(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "set_weight", "layer": 0, "row": 99, "col": 0, "value": 1.0})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "set_weight" and "row" in error["message"]
        ws.send_json({"type": "play"})
        ws.send_json({"type": "set_weight", "layer": 0, "row": 0, "col": 0, "value": 1.0})
        error = wait_for(ws, is_type("error"))
        assert "Pause" in error["message"]
        ws.send_json({"type": "pause"})
        _at_rest(ws)


def test_a_probe_that_does_not_fit_the_data_is_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "inspect", "probe": {"point": [0.0, 0.0], "target": 5}})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "inspect" and "class 0 … 1" in error["message"]
        ws.send_json({"type": "step", "steps": 1})  # the session goes on
        _at_rest(ws)


def test_divergence_names_the_layer_and_undo_brings_back_finite_weights(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json(
            {
                "type": "configure",
                "network": {
                    "init": "large_normal",
                    "hidden": [{"units": 8, "activation": "relu"}] * 3,
                },
                "training": {"optimizer": "sgd", "learning_rate": 10.0, "batch_size": 1},
            }
        )
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 5000})
        error = wait_for(ws, is_type("error"))
        assert "diverged at step" in error["message"]
        assert "layer" in error["message"] and "learning rate" in error["message"]
        assert error["undo_step"] is not None
        frame = _at_rest(ws)
        assert frame["diverged_at"] is not None
        assert error["diverged_at"] == frame["diverged_at"]
        assert f"diverged at step {error['diverged_at']}" in error["message"]
        ws.send_json({"type": "undo"})
        restored = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == error["undo_step"])
        assert math.isfinite(restored["train_loss"]) and not restored["running"]
        ws.send_json({"type": "configure", "training": {"learning_rate": 0.001}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 20})
        later = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == restored["step"] + 20)
        assert math.isfinite(later["train_loss"])


def test_undo_without_a_divergence_says_why(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "undo"})
        assert "Nothing to undo" in wait_for(ws, is_type("error"))["message"]


def test_overfit_check_passes_for_a_hidden_layer_and_leaves_the_session(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        before = _export(ws)
        ws.send_json({"type": "overfit_check", "points": 8})
        result = wait_for(ws, is_type("overfit_result"))
        assert result["passed"] and result["points"] == 8 and result["accuracy"] == 1.0
        assert _export(ws) == before


def test_export_then_import_reproduces_the_session(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "step", "steps": 40})
        trained = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 40)
        setup = _export(ws)
        ws.send_json({"type": "reset"})
        _at_rest(ws)
        ws.send_json({"type": "import", "setup": setup})
        restored = _at_rest(ws)
        assert restored["step"] == 40
        assert restored["train_loss"] == pytest.approx(trained["train_loss"], rel=1e-6)


def test_custom_points_travel_with_the_setup(client: TestClient) -> None:
    custom = {"x": [[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]], "y": [0, 1, 1]}
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "configure", "dataset": {"name": "custom", "custom": custom}})
        wait_for(ws, is_type("settings"))
        setup = _export(ws, weights=False)
        assert setup["custom"]["x"] == custom["x"] and setup["weights"] is None
        ws.send_json({"type": "configure", "dataset": {"name": "xor"}})
        wait_for(ws, is_type("dataset"))
        ws.send_json({"type": "import", "setup": setup})
        dataset = wait_for(ws, is_type("dataset"))
        points = sorted(map(tuple, dataset["train_x"] + dataset["test_x"]))
        assert points == sorted(map(tuple, custom["x"]))


def _bad_setups(good: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    weights = good["weights"]
    first = next(iter(weights))
    renamed = {("extra" if k == first else k): v for k, v in weights.items()}
    wrong_shape = {**weights, first: {"shape": [3, 3], "values": [0.0] * 9}}
    short = {**weights, first: {"shape": weights[first]["shape"], "values": [1.0]}}
    return [
        ({**good, "weights": renamed}, "extra"),
        ({**good, "weights": wrong_shape}, first),
        ({**good, "weights": short}, first),
        (
            {
                **good,
                "settings": {
                    **good["settings"],
                    "dataset": {**good["settings"]["dataset"], "name": "nope"},
                },
            },
            "nope",
        ),
        (
            {
                **good,
                "settings": {
                    **good["settings"],
                    "dataset": {**good["settings"]["dataset"], "name": "custom"},
                },
            },
            "custom",
        ),
        ({**good, "format": "something else"}, "format"),
        ({**good, "version": 99}, "version"),
    ]


def test_a_bad_import_leaves_the_session_untouched(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "step", "steps": 10})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 10)
        good = _export(ws)
        for bad, named in _bad_setups(good):
            ws.send_json({"type": "import", "setup": bad})
            error = wait_for(ws, is_type("error"))
            assert error["command"] == "import" and named in error["message"], error
        ws.send_text('{"type": "import", "setup": {"settings": 1, "weights": {"a": NaN}}}')
        assert wait_for(ws, is_type("error"))["command"] == "import"
        assert _export(ws) == good
