"""Issue 6 over the wire: every catalog name configures and trains; misfits are refused clearly."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from models.datasets import DATASETS
from server import limits
from server.catalog import build_catalog
from server.protocol import CUSTOM_DATASET
from tests.conftest import Event, is_type, wait_for

CATALOG = build_catalog()


def _frame_at(step: int) -> Any:
    return lambda e: e["type"] == "frame" and e["step"] == step and not e["running"]


def _configure_and_step(ws: WebSocketTestSession, **configure: Any) -> Event:
    """Configure, wait for the answer, run 5 steps; the frame after them."""
    wait_for(ws, _frame_at(0))
    ws.send_json({"type": "configure", **configure})
    answer = wait_for(ws, lambda e: e["type"] in ("settings", "error"))
    assert answer["type"] == "settings", answer
    ws.send_json({"type": "step", "steps": 5})
    return wait_for(ws, _frame_at(5))


def _finite(frame: Event) -> bool:
    return math.isfinite(frame["train_loss"]) and math.isfinite(frame["test_loss"])


def _grid_planes(frame: Event) -> np.ndarray:
    grid = frame["grid"]
    values = np.frombuffer(grid["data"], dtype="<f2")
    return values.reshape(-1, grid["height"], grid["width"])


@pytest.mark.parametrize("name", [e.name for e in CATALOG.activations])
def test_every_activation_trains(client: TestClient, name: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, network={"hidden": [{"units": 4, "activation": name}]})
        assert _finite(frame)


@pytest.mark.parametrize("name", [e.name for e in CATALOG.optimizers])
def test_every_optimizer_trains(client: TestClient, name: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, training={"optimizer": name, "learning_rate": 0.01})
        assert _finite(frame)


@pytest.mark.parametrize("name", [e.name for e in CATALOG.readouts])
def test_every_readout_trains(client: TestClient, name: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, training={"readout": name})
        assert _finite(frame)


def test_a_least_squares_read_out_interpolates_past_the_threshold(client: TestClient) -> None:
    """40 ReLU units (41 read-out parameters) on 20 noisy training points: every label fits."""
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(
            ws,
            network={"hidden": [{"units": 40, "activation": "relu"}]},
            dataset={"name": "circle", "points": 40, "train_fraction": 0.5, "label_noise": 0.2},
            training={"readout": "least_squares"},
        )
        assert frame["train_accuracy"] == 1.0
        assert frame["train_loss"] > 0  # BCE of logits ±1: honest, not 0


@pytest.mark.parametrize("name", [e.name for e in CATALOG.inits])
def test_every_init_trains(client: TestClient, name: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, network={"init": name})
        assert frame["grid"]["kind"] == "probability"


@pytest.mark.parametrize("name", [e.name for e in CATALOG.schedules])
def test_every_schedule_trains(client: TestClient, name: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, training={"schedule": name, "schedule_steps": 10})
        assert _finite(frame)


def test_image_data_trains_without_a_grid(client: TestClient) -> None:  # more in test_digits.py
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, dataset={"name": "digits"})
        assert _finite(frame) and frame["grid"] is None and frame["confusion"] is not None


def test_every_feature_trains(client: TestClient) -> None:
    features = [e.name for e in CATALOG.features if e.dims is not None and e.dims <= 2]
    with client.websocket_connect("/ws") as ws:
        frame = _configure_and_step(ws, network={"features": features})
        assert _finite(frame)


@pytest.mark.parametrize("name", [n for n, info in DATASETS.items() if info.image_shape is None])
def test_every_dataset_trains_with_the_loss_and_grid_its_task_needs(
    client: TestClient, name: str
) -> None:
    info = DATASETS[name]
    with client.websocket_connect("/ws") as ws:
        dataset: dict[str, Any] = {"name": name}
        if info.task == "classification":
            dataset["classes"] = info.max_classes
        frame = _configure_and_step(ws, dataset=dataset)
        assert _finite(frame)
        planes = _grid_planes(frame)
        if info.task == "regression":
            assert frame["grid"]["kind"] == "value" and frame["test_accuracy"] is None
        elif info.max_classes > 2:
            assert frame["grid"]["kind"] == "class"
            assert planes.shape[0] == 2 and planes[0].max() <= info.max_classes - 1
        else:
            assert frame["grid"]["kind"] == "probability"
            assert 0 <= frame["test_accuracy"] <= 1
        if info.dims == 1:
            assert frame["grid"]["height"] == 1


def test_the_loss_follows_the_data_and_the_output_layer_follows_the_loss(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", "dataset": {"name": "blobs", "classes": 4}})
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["training"]["loss"] == "cross_entropy"
        assert settings["network"]["outputs"] == 4
        dataset = wait_for(ws, is_type("dataset"))
        assert dataset["classes"] == 4 and set(dataset["train_y"]) == {0, 1, 2, 3}
        ws.send_json({"type": "configure", "dataset": {"name": "sine"}})
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["training"]["loss"] == "mse"
        assert settings["network"]["features"] == ["x1"]
        dataset = wait_for(ws, is_type("dataset"))
        assert dataset["dims"] == 1 and len(dataset["train_x"][0]) == 1
        ws.send_json({"type": "configure", "dataset": {"name": "circle"}})
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["training"]["loss"] == "bce"
        assert settings["network"]["features"] == ["x1", "x2"]


@pytest.mark.parametrize(
    ("configure", "message"),
    [
        ({"training": {"loss": "mse"}}, "regression"),
        ({"dataset": {"name": "circle", "classes": 3}}, "exactly 2"),
        ({"dataset": {"name": "sine"}, "network": {"features": ["x1", "x2"]}}, "x2"),
        ({"dataset": {"name": "blobs", "classes": 3}, "training": {"loss": "bce"}}, "3 classes"),
        ({"dataset": {"name": CUSTOM_DATASET}}, "needs its points"),
    ],
)
def test_misfits_are_refused_and_nothing_changes(
    client: TestClient, configure: dict[str, Any], message: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", **configure})
        error = wait_for(ws, lambda e: e["type"] in ("error", "settings"))
        assert error["type"] == "error" and message in error["message"], error
        assert error["command"] == "configure"
        ws.send_json({"type": "step", "steps": 2})
        frame = wait_for(ws, _frame_at(2))  # the session trains on, unchanged
        assert frame["grid"]["kind"] == "probability"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("network", {"init": "nope"}),
        ("network", {"features": ["x3"]}),
        ("training", {"loss": "hinge"}),
        ("training", {"schedule": "linear"}),
        ("training", {"optimizer": "lbfgs"}),
        ("training", {"readout": "ridge"}),
        ("network", {"hidden": [{"units": 4, "activation": "swish"}]}),
        ("dataset", {"name": "mnist"}),
    ],
)
def test_unknown_names_get_an_error_naming_them(
    client: TestClient, field: str, value: dict[str, Any]
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", field: value})
        error = wait_for(ws, is_type("error"))
        assert "unknown" in error["message"] and "choose one of" in error["message"]


def test_custom_points_train_and_come_back_in_the_dataset(client: TestClient) -> None:
    x = [[-3.0, -3.0], [3.0, 3.0], [-3.0, 3.0], [3.0, -3.0], [0.0, 1.0], [1.0, 0.0]]
    y = [0, 1, 2, 0, 1, 2]
    custom = {"x": x, "y": y, "task": "classification"}
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", "dataset": {"custom": custom}})
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["dataset"]["name"] == CUSTOM_DATASET
        assert settings["dataset"]["points"] == 6 and settings["dataset"]["classes"] == 3
        dataset = wait_for(ws, is_type("dataset"))
        points = sorted(
            zip(
                map(tuple, dataset["train_x"] + dataset["test_x"]),
                dataset["train_y"] + dataset["test_y"],
                strict=True,
            )
        )
        assert points == sorted(zip(map(tuple, x), map(float, y), strict=True))
        ws.send_json({"type": "step", "steps": 3})
        assert _finite(wait_for(ws, _frame_at(3)))


@pytest.mark.parametrize(
    ("custom", "message"),
    [
        ({"x": [[0.0, 0.0], [1.0, 1.0]], "y": [0]}, "one entry per point"),
        ({"x": [[0.0, 0.0], [9.0, 1.0]], "y": [0, 1]}, "outside the box"),
        ({"x": [[0.0, 0.0], [1.0, 1.0]], "y": [0, 1.5]}, "integer"),
        ({"x": [[0.0, 0.0]], "y": [0]}, "at least 2"),
    ],
)
def test_bad_custom_points_are_refused(
    client: TestClient, custom: dict[str, Any], message: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", "dataset": {"custom": custom}})
        error = wait_for(ws, is_type("error"))
        assert message in error["message"], error["message"]


def test_naive_loss_overflows_where_the_stable_one_does_not(client: TestClient) -> None:
    """The lesson: large logits make the naive loss infinite; the session says why."""
    setup = {
        "network": {"hidden": [{"units": 8, "activation": "relu"}], "init": "large_normal"},
        "training": {"optimizer": "sgd", "learning_rate": 1.0, "loss": "bce_naive"},
    }
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", **setup})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 200})
        error = wait_for(ws, is_type("error"))
        assert "naive loss" in error["message"] and "log(0)" in error["message"]
        stable = {**setup, "training": {**setup["training"], "loss": "bce"}}
        ws.send_json({"type": "configure", **stable, "seed": 1})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 200})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 200)
        assert frame["diverged_at"] is None and _finite(frame)


def test_early_stopping_stops_and_reports_the_best_step(client: TestClient) -> None:
    setup = {
        "dataset": {"name": "xor", "points": 60, "noise": 0.5},
        "network": {"hidden": [{"units": 32, "activation": "relu"}] * 3},
        "training": {"optimizer": "adam", "learning_rate": 0.03, "early_stopping": 5},
    }
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, _frame_at(0))
        ws.send_json({"type": "configure", **setup})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 20_000})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and not e["running"] and e["step"])
        assert frame["early_stopped_at"] is not None and frame["step"] < 20_000
        assert frame["best_step"] is not None and frame["best_step"] < frame["early_stopped_at"]


def test_csv_upload_parses_good_files_and_explains_bad_ones(client: TestClient) -> None:
    good = client.post("/api/datasets/csv", content="x1,x2,label\n1,2,0\n-1,-2,1\n0.5,0.5,1\n")
    assert good.status_code == 200
    assert good.json() == {
        "x": [[1.0, 2.0], [-1.0, -2.0], [0.5, 0.5]],
        "y": [0.0, 1.0, 1.0],
        "task": "classification",
    }
    bad = client.post("/api/datasets/csv", content="x1,x2,label\n1,2,0\n1,abc,1\n")
    assert bad.status_code == 422 and "abc" in bad.json()["detail"]
    binary = client.post("/api/datasets/csv", content=b"\xff\xfe\x00garbage")
    assert binary.status_code == 422
    rows = limits.MAX_CSV_BYTES // len("1,1,0\n") + 1
    huge = client.post("/api/datasets/csv", content="x1,x2,label\n" + "1,1,0\n" * rows)
    assert huge.status_code == 413 and "limit" in huge.json()["detail"]


def test_the_catalog_lists_the_whole_toolbox(client: TestClient) -> None:
    catalog = client.get("/api/catalog").json()
    names = {key: {e["name"] for e in catalog[key]} for key in ("activations", "optimizers")}
    assert names["activations"] >= {
        "relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "linear", "hardtanh",
        "softplus", "sin",
    }  # fmt: skip
    assert names["optimizers"] >= {"sgd", "momentum", "rmsprop", "adam", "adamw"}
    assert {e["name"] for e in catalog["datasets"]} >= {
        "circle", "xor", "gauss", "spiral", "moons", "checkerboard", "blobs", "rings",
        "plane", "multi_gauss", "sine",
    }  # fmt: skip
    assert {e["name"] for e in catalog["schedules"]} == {"constant", "step", "cosine"}
    assert all(e["description"] for key in ("inits", "features", "losses") for e in catalog[key])
