"""`/ws?grid=page`: frames carry the weights of networks the page evaluates, grids otherwise."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from server import limits
from tests.conftest import is_type, wait_for


def _configure(hidden: list[dict[str, object]]) -> dict[str, object]:
    return {"type": "configure", "network": {"hidden": hidden}}


def test_a_page_client_gets_weights_that_match_the_net_and_a_plain_client_grids(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws?grid=page") as ws:
        frame = wait_for(ws, is_type("frame"))
        weights = frame["weights"]
        assert frame["grid"] is None
        assert weights["ops"] == ["linear:4", "act:tanh", "linear:2", "act:tanh", "linear:1"]
        assert weights["features"] == ["x1", "x2"] and weights["head"] == "sigmoid"
        values = np.frombuffer(weights["data"], "<f4")
        assert values.size == 2 * 4 + 4 + 4 * 2 + 2 + 2 + 1 and np.isfinite(values).all()
    with client.websocket_connect("/ws") as ws:
        frame = wait_for(ws, is_type("frame"))
        assert frame["weights"] is None and frame["grid"]["width"] == limits.GRID_RESOLUTION


def test_a_network_over_the_limit_falls_back_to_the_servers_grid(client: TestClient) -> None:
    wide = [{"units": 24, "activation": "relu"}, {"units": 24, "activation": "relu"}]
    assert limits.PAGE_GRID_MAX_PARAMETERS < (2 * 24 + 24) + (24 * 24 + 24) + 25
    with client.websocket_connect("/ws?grid=page") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json(_configure(wide))
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["grid"] is not None)
        assert frame["weights"] is None
        ws.send_json(_configure([{"units": 3, "activation": "relu", "batch_norm": True}]))
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["weights"] is not None)
        assert frame["weights"]["ops"] == ["linear:3", "batch_norm", "act:relu", "linear:1"]
