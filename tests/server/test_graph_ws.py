"""The computational graph over the wire: asked for beside a probe, equal to the probe's tables,
and a naive loss's −∞ carried as it is (msgpack has infinities, JSON would not)."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.conftest import Event, is_type, wait_for

POINT = [0.5, -1.0]
CORNERS = [[5.5, 5.5], [-5.5, -5.5], [5.5, -5.5], [-5.5, 5.5]]


def _at_rest(ws: WebSocketTestSession) -> Event:
    return wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])


def _inspect(ws: WebSocketTestSession, point: list[float], target: float, graph: bool) -> Event:
    probe = {"point": point, "target": target}
    ws.send_json({"type": "inspect", "probe": probe, "graph": graph})
    return wait_for(
        ws, lambda e: e["type"] == "inspection" and e["probe"] and e["probe"]["point"] == point
    )


def test_the_graph_comes_with_the_probe_only_when_asked(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        assert _inspect(ws, POINT, 1, graph=False)["graph"] is None
        event = _inspect(ws, POINT, 1, graph=True)
        graph, probe = event["graph"], event["probe"]
        nodes = {node["id"]: node for node in graph["nodes"]}
        assert graph["nodes"][0]["op"] == "input" and graph["nodes"][-1]["op"] == "loss"
        assert nodes["input"]["value"] == pytest.approx(POINT)
        # Two computations of the same point, layer by layer: the graph's and the tables'.
        for stage in probe["layers"]:
            i = stage["layer"]
            assert nodes[f"l{i}.bias"]["value"] == pytest.approx(stage["pre"], rel=1e-5)
            assert nodes[f"l{i}.bias"]["grad"] == pytest.approx(stage["grad_pre"], rel=1e-4)
            if i < len(probe["layers"]) - 1:
                activation = nodes[f"l{i}.0"]
                assert activation["value"] == pytest.approx(stage["post"], rel=1e-5)
                assert activation["grad"] == pytest.approx(stage["grad_post"], rel=1e-4)
        assert nodes["loss"]["value"] == pytest.approx([probe["loss"]], rel=1e-5)
        assert graph["overflow_reason"] is None


def test_the_naive_loss_sends_minus_infinity_and_says_why(client: TestClient) -> None:
    hidden = [{"units": 8, "activation": "relu"}] * 2
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json(
            {
                "type": "configure",
                "network": {"hidden": hidden, "init": "large_normal"},
                "training": {"loss": "bce_naive"},
                "seed": 0,
            }
        )
        wait_for(ws, is_type("settings"))
        _at_rest(ws)
        flagged = []
        for point in CORNERS:
            graph = _inspect(ws, point, 0, graph=True)["graph"]
            flagged += [n for n in graph["nodes"] if n["overflow"]]
            if flagged:
                break
        assert flagged, "no corner's logit rounded σ to 0 or 1"
        assert flagged[0]["op"] == "log" and -math.inf in flagged[0]["value"]
        assert "log 0 = −∞" in graph["overflow_reason"]
        loss = graph["nodes"][-1]["value"][0]
        assert math.isinf(loss) or math.isnan(loss)


def test_a_graph_without_a_probe_is_no_subscription(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _at_rest(ws)
        ws.send_json({"type": "inspect", "graph": True, "monitors": True})
        event = wait_for(ws, is_type("inspection"))
        assert event["graph"] is None and event["probe"] is None
        ws.send_json({"type": "inspect", "graph": "yes please"})
        assert "graph" in wait_for(ws, is_type("error"))["message"]
