"""Image data over the wire: the digits' dataset event, frames with a confusion matrix and
weight images instead of a grid, the way back to 2D data, and inspections that do not crash."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from server.catalog import build_catalog
from tests.conftest import Event, is_type, wait_for

DIGITS = {
    "type": "configure",
    "dataset": {"name": "digits"},
    "network": {"hidden": []},
    "training": {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 32},
}


def _settled_frame(ws: WebSocketTestSession, step: int) -> Event:
    return wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == step and not e["running"])


def test_the_catalog_lists_digits_with_its_image_shape() -> None:
    entry = next(d for d in build_catalog().datasets if d.name == "digits")
    assert (entry.dims, entry.image_shape, entry.min_classes, entry.max_classes) == (
        64,
        (8, 8),
        10,
        10,
    )


def test_digits_over_the_websocket(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json(DIGITS)
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["network"]["features"] == ["pixels"]
        assert settings["network"]["outputs"] == 10
        assert settings["training"]["loss"] == "cross_entropy"
        assert settings["dataset"]["points"] == 1797
        dataset = wait_for(ws, is_type("dataset"))
        assert dataset["image_shape"] == [8, 8] and dataset["dims"] == 64
        assert dataset["classes"] == 10
        assert {len(x) for x in dataset["train_x"] + dataset["test_x"]} == {64}
        test_size = len(dataset["test_y"])
        assert len(dataset["train_y"]) + test_size == 1797

        ws.send_json({"type": "step", "steps": 300})
        frame = _settled_frame(ws, 300)
        assert frame["grid"] is None and frame["regions"] is None
        confusion = np.array(frame["confusion"])
        assert confusion.shape == (10, 10)
        assert confusion.sum() == test_size
        assert np.trace(confusion) / test_size == pytest.approx(frame["test_accuracy"])
        assert frame["test_accuracy"] >= 0.92
        assert list(confusion.sum(axis=1)) == list(
            np.bincount(np.array(dataset["test_y"], dtype=int), minlength=10)
        )
        images = frame["weight_images"]
        assert (images["count"], images["height"], images["width"]) == (10, 8, 8)
        assert np.frombuffer(images["data"], "<f4").size == 10 * 8 * 8

        ws.send_json({"type": "inspect", "neurons": True, "hidden_layer": 0, "monitors": True})
        inspection = wait_for(ws, is_type("inspection"))
        assert inspection["neurons"] is None and inspection["hidden_space"] is None
        assert inspection["layers"][0]["inputs"] == 64

        ws.send_json({"type": "inspect", "probe": {"point": [0.5, 0.5], "target": 3}})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "inspect" and "image data" in error["message"]

        ws.send_json({"type": "configure", "dataset": {"name": "circle"}})
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert settings["network"]["features"] == ["x1", "x2"]
        assert settings["network"]["outputs"] == 2
        dataset = wait_for(ws, is_type("dataset"))
        assert dataset["image_shape"] is None and dataset["dims"] == 2
        frame = wait_for(ws, is_type("frame"))
        assert frame["grid"] is not None and frame["confusion"] is None
        assert frame["weight_images"] is None


def test_a_hidden_layer_on_digits_shows_its_space_and_one_image_per_unit(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({**DIGITS, "network": {"hidden": [{"units": 16, "activation": "relu"}]}})
        wait_for(ws, is_type("dataset"))
        ws.send_json({"type": "step", "steps": 5})
        frame = _settled_frame(ws, 5)
        assert frame["weight_images"]["count"] == 16
        ws.send_json(
            {
                "type": "inspect",
                "neurons": True,
                "hidden_layer": 0,
                "focus": {"layer": 0, "unit": 0},
            }
        )
        inspection = wait_for(ws, is_type("inspection"))
        assert inspection["neurons"] is None and inspection["focus"] is None
        space = inspection["hidden_space"]
        assert space["units"] == 16 and space["lines"] == 0
        assert len(np.frombuffer(space["points"], "<f4")) == 2 * space["count"]


def test_pixels_do_not_fit_points_and_points_features_do_not_fit_images(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "configure", "network": {"features": ["pixels"]}})
        assert "image data" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({**DIGITS, "network": {"features": ["x1", "x2"]}})
        assert "pixels" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "configure", "network": {"features": ["pixels", "x1"]}})
        assert "stands alone" in wait_for(ws, is_type("error"))["message"]
