"""Issue 7 over HTTP: safetensors weights out and in, the PyTorch code route, monitors' history."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from server import limits
from tests.conftest import wait_for
from tests.server.test_inside import _at_rest, _export


def _weights(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        setup = _export(ws)
    return setup["weights"], setup["settings"]


def test_safetensors_round_trip_keeps_weights_and_settings(client: TestClient) -> None:
    weights, settings = _weights(client)
    packed = client.post(
        "/api/weights/safetensors", json={"weights": weights, "settings": settings}
    )
    assert packed.status_code == 200
    assert packed.headers["content-type"] == "application/octet-stream"
    back = client.post("/api/weights/from-safetensors", content=packed.content)
    assert back.status_code == 200
    body = back.json()
    assert body["settings"] == settings
    for name, tensor in weights.items():
        assert body["weights"][name]["shape"] == tensor["shape"]
        np.testing.assert_allclose(body["weights"][name]["values"], tensor["values"], rtol=1e-6)


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", (10**9).to_bytes(8, "little") + b"{}", (2).to_bytes(8, "little") + b"[]"],
)
def test_a_broken_safetensors_file_is_refused(client: TestClient, content: bytes) -> None:
    answer = client.post("/api/weights/from-safetensors", content=content)
    assert answer.status_code == 422 and answer.json()["detail"]


def test_an_oversized_safetensors_file_is_refused(client: TestClient) -> None:
    answer = client.post(
        "/api/weights/from-safetensors", content=b"x" * (limits.MAX_SAFETENSORS_BYTES + 1)
    )
    assert answer.status_code == 413


def test_pytorch_code_route_answers_runnable_code(client: TestClient) -> None:
    _, settings = _weights(client)
    answer = client.post("/api/pytorch", json={"settings": settings})
    assert answer.status_code == 200
    namespace: dict[str, Any] = {}
    exec(answer.json()["code"], namespace)
    assert "net" in namespace and "optimizer" in namespace


def test_pytorch_code_route_refuses_settings_that_do_not_fit(client: TestClient) -> None:
    _, settings = _weights(client)
    settings["training"]["loss"] = "mse"  # regression loss on classes
    answer = client.post("/api/pytorch", json={"settings": settings})
    assert answer.status_code == 422 and "loss" in answer.json()["detail"]


def test_monitors_opened_after_training_bring_the_run_so_far(client: TestClient) -> None:
    """Monitors are recorded whether or not anyone watches: opening them later shows history."""
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        for _ in range(3):
            ws.send_json({"type": "step", "steps": 5})
            _at_rest(ws)
        ws.send_json({"type": "inspect", "monitors": True})
        event = wait_for(ws, lambda e: e["type"] == "inspection" and e["monitors"] is not None)
        history = event["monitor_history"]
        steps = [sample["step"] for sample in history]
        # Every resting frame of the run was sampled: steps 0, 5, 10 before this look at 15.
        assert steps == [0, 5, 10] and event["step"] == 15
        names = [m["name"] for m in event["monitors"]]
        assert all([m["name"] for m in s["layers"]] == names for s in history)
        assert all(s["layers"][0]["weight_norm"] > 0 for s in history)
        # Later inspections of the same subscription carry no history again.
        ws.send_json({"type": "step", "steps": 1})
        later = wait_for(ws, lambda e: e["type"] == "inspection" and e["step"] == 16)
        assert later["monitor_history"] is None


def test_a_reset_forgets_the_monitor_history(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "step", "steps": 5})
        _at_rest(ws)
        ws.send_json({"type": "reset"})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 0)
        ws.send_json({"type": "step", "steps": 2})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 2)
        ws.send_json({"type": "inspect", "monitors": True})
        event = wait_for(ws, lambda e: e["type"] == "inspection" and e["monitors"] is not None)
        assert [s["step"] for s in event["monitor_history"]] == [0]


def test_a_setup_file_saved_before_the_readout_setting_still_imports(client: TestClient) -> None:
    """Files and published runs from before `training.readout` carry no such key: they load
    with the behaviour they were saved with (trained), weights and all."""
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "configure", "training": {"readout": "least_squares"}})
        assert wait_for(ws, lambda e: e["type"] == "settings")["settings"]["training"]["readout"]
        setup = _export(ws)
        del setup["settings"]["training"]["readout"]
        ws.send_json({"type": "import", "setup": setup})
        answer = wait_for(ws, lambda e: e["type"] in ("settings", "error"))
        assert answer["type"] == "settings", answer
        assert answer["settings"]["training"]["readout"] == "trained"
