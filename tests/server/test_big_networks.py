"""The largest networks and datasets (issue 20): 8 hidden layers of 128 units, 10,000 points.

Their region counts come from a background thread (server/background_regions.py): a frame never
waits for one, and the first frame after a count carries it. Up to LIVE_REGIONS_EXACT_MAX_UNITS
hidden units the count is exact, beyond it approximate.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from server import limits
from tests.conftest import Event, is_type, wait_for


def relu_layers(units: int, count: int) -> list[dict[str, Any]]:
    return [{"units": units, "activation": "relu"}] * count


def counted_frame(ws: WebSocketTestSession, step: int) -> Event:
    """The first frame at `step` that carries a region count."""
    return wait_for(
        ws, lambda e: e["type"] == "frame" and e["step"] == step and e["regions"] is not None
    )


def test_the_largest_network_trains_on_the_most_points_and_counts_its_regions_approximately(
    client: TestClient,
) -> None:
    largest = {
        "type": "configure",
        "network": {"hidden": relu_layers(limits.MAX_UNITS, limits.MAX_HIDDEN_LAYERS)},
        "dataset": {"name": "spiral", "points": limits.MAX_POINTS},
    }
    with client.websocket_connect("/ws") as ws:
        ws.send_json(largest)
        settings = wait_for(ws, is_type("settings"))["settings"]
        assert [layer["units"] for layer in settings["network"]["hidden"]] == [128] * 8
        assert settings["dataset"]["points"] == 10_000
        ws.send_json({"type": "step", "steps": 3})
        frame = counted_frame(ws, 3)
        assert frame["regions_exact"] is False  # 1,024 units: patterns on the grid
        assert 1 <= frame["regions"] <= limits.REGIONS_APPROX_RESOLUTION**2
        too_deep = relu_layers(8, limits.MAX_HIDDEN_LAYERS + 1)
        ws.send_json({"type": "configure", "network": {"hidden": too_deep}})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "configure" and str(limits.MAX_HIDDEN_LAYERS) in error["message"]


def test_a_background_count_is_exact_and_matches_the_regions_route(client: TestClient) -> None:
    hidden = relu_layers(100, 2)  # 200 units: past the in-frame size, within the exact one
    assert limits.LIVE_REGIONS_SYNC_MAX_UNITS < 200 <= limits.LIVE_REGIONS_EXACT_MAX_UNITS
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "network": {"hidden": hidden}, "seed": 3})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 5})
        frame = counted_frame(ws, 5)
        assert frame["regions_exact"] is True
        ws.send_json({"type": "export", "weights": True})
        weights = wait_for(ws, is_type("setup_file"))["setup"]["weights"]
    layers = []
    for name in sorted((k for k in weights if k.endswith(".weight")), key=lambda k: int(k[0])):
        weight, bias = weights[name], weights[name.replace("weight", "bias")]
        rows, columns = weight["shape"]
        values = weight["values"]
        matrix = [values[r * columns : (r + 1) * columns] for r in range(rows)]
        layers.append({"weight": matrix, "bias": bias["values"]})
    box = frame_box(client)
    answer = client.post(
        "/api/regions", json={"layers": layers, "activation": "relu", "bounds": box}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["count"] == frame["regions"]


def frame_box(client: TestClient) -> list[float]:
    """The default dataset's box, as its dataset event says."""
    with client.websocket_connect("/ws") as ws:
        box: list[float] = wait_for(ws, is_type("dataset"))["box"]
        return box
