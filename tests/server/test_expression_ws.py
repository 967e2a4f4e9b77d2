"""An own activation over HTTP, the websocket and setup files: the plot route, training,
refusals, and files from before the field."""

import math

import torch
from fastapi.testclient import TestClient

from models.config import LayerSpec, NetworkSpec, RunSpec
from models.trainer import Trainer
from server import limits
from server.protocol import SetupFile
from server.setup_io import export_setup, import_setup
from tests.conftest import is_type, wait_for

LEAKY = "max(0, x) - 0.01*max(0, -x)"


def test_the_route_plots_f_and_its_derivative(client: TestClient) -> None:
    answer = client.post("/api/expression", json={"expression": "x * sigmoid(1.5*x)"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["problem"] is None and not body["piecewise_linear"]
    assert body["x"][0] == -4.0 and body["x"][-1] == 4.0 and len(body["x"]) == len(body["f"])
    for x, f, df in zip(body["x"], body["f"], body["df"], strict=True):
        s = 1 / (1 + math.exp(-1.5 * x))
        assert math.isclose(f, x * s, abs_tol=1e-9)
        assert math.isclose(df, s + 1.5 * x * s * (1 - s), abs_tol=1e-9)
    leaky = client.post("/api/expression", json={"expression": LEAKY}).json()
    assert leaky["piecewise_linear"] and leaky["kinks"] == [0.0]
    log = client.post("/api/expression", json={"expression": "log(x)"}).json()
    assert log["f"][0] is None and log["f"][-1] == math.log(4)  # nan is null, not invalid JSON


def test_the_route_names_the_position_and_reason(client: TestClient) -> None:
    body = client.post("/api/expression", json={"expression": "max(0, foo)"}).json()
    assert body["problem"]["position"] == 7
    assert body["problem"]["reason"].startswith("unknown name 'foo'")
    assert body["problem"]["message"].endswith("at 7") and body["x"] == []
    long = client.post("/api/expression", json={"expression": "x" * 250}).json()
    assert long["problem"]["position"] == limits.MAX_EXPRESSION_LENGTH
    assert client.post("/api/expression", json={"expression": "x" * 5000}).status_code == 422


def _hidden(expression: str) -> list[dict[str, object]]:
    return [{"units": 5, "activation": "expr", "expression": expression}] * 2


def test_training_with_an_own_activation_counts_its_regions_exactly(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "configure", "network": {"hidden": _hidden(LEAKY)}, "seed": 2})
        settings = wait_for(ws, is_type("settings"))
        assert settings["settings"]["network"]["hidden"][0]["expression"] == LEAKY
        ws.send_json({"type": "step", "steps": 20})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 20)
        assert math.isfinite(frame["train_loss"])
        own = (frame["train_loss"], frame["regions"], frame["regions_exact"])
        hidden = [{"units": 5, "activation": "leaky_relu"}] * 2
        ws.send_json({"type": "configure", "network": {"hidden": hidden}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 20})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 20)
        assert own[1:] == (frame["regions"], True)  # the same net, written by hand
        assert math.isclose(own[0], frame["train_loss"], rel_tol=1e-4)


def test_a_refused_expression_names_position_and_reason_and_changes_nothing(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "configure", "network": {"hidden": _hidden("sin(x) + x")}})
        before = wait_for(ws, is_type("settings"))["settings"]
        ws.send_json({"type": "step", "steps": 3})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 3)
        ws.send_json({"type": "configure", "network": {"hidden": _hidden("sin(x) + (x")}})
        error = wait_for(ws, is_type("error"))
        assert "network.hidden[0]" in error["message"]
        assert "expression: expected ')', found the end at 11" in error["message"]
        ws.send_json(
            {"type": "configure", "network": {"hidden": [{"units": 3, "activation": "expr"}]}}
        )
        assert "empty expression" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "step", "steps": 1})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 4)
        assert frame["step"] == 4  # the run went on from where it was
        ws.send_json({"type": "configure", "seed": before["seed"]})
        assert wait_for(ws, is_type("settings"))["settings"]["network"] == before["network"]


def test_other_activations_drop_a_stray_expression(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        hidden = [{"units": 3, "activation": "relu", "expression": "x"}]
        ws.send_json({"type": "configure", "network": {"hidden": hidden}})
        layer = wait_for(ws, is_type("settings"))["settings"]["network"]["hidden"][0]
        assert layer["activation"] == "relu" and layer["expression"] == ""


def test_a_setup_file_carries_the_expression_and_old_files_load_unchanged() -> None:
    layer = LayerSpec(4, "expr", expression="x * sigmoid(1.5*x)")
    trainer = Trainer(RunSpec(NetworkSpec((layer, LayerSpec(2, "relu")))))
    trainer.step(3)
    text = export_setup(trainer, with_weights=True).model_dump_json()
    assert '"expression":"x * sigmoid(1.5*x)"' in text
    back = import_setup(SetupFile.model_validate_json(text), torch.device("cpu"))
    assert back.spec == trainer.spec
    points = trainer.split.test.x
    torch.testing.assert_close(back.net(points), trainer.net(points))
    assert text.count(',"expression":""') == 1  # the relu layer's, as a file from before it
    old = SetupFile.model_validate_json(text.replace(',"expression":""', ""))
    assert import_setup(old, torch.device("cpu")).spec == trainer.spec


def test_inspecting_a_network_of_own_activations(client: TestClient) -> None:
    """Clicked-point tables, neurons and monitors run through the generic (autograd) path."""
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "configure", "network": {"hidden": _hidden("x * sigmoid(x)")}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 5})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 5)
        ws.send_json({"type": "inspect", "neurons": True, "hidden_layer": 0, "monitors": True})
        assert wait_for(ws, is_type("inspection"))["layers"][0]["inputs"] == 2
        ws.send_json({"type": "inspect", "probe": {"point": [0.5, 0.5], "target": 1}})
        inspection = wait_for(ws, lambda e: e["type"] in ("inspection", "error"))
        assert inspection["type"] == "inspection", inspection
