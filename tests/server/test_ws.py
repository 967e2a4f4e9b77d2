import math

import numpy as np
from fastapi.testclient import TestClient

from models.analysis.patterns import pattern_count_on_grid
from models.analysis.regions import count_regions, layers_from_module
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import BOX
from models.trainer import Trainer
from server.protocol import PROTOCOL_VERSION
from tests.conftest import is_type, receive_event, wait_for


def frame_at(step: int):  # type: ignore[no-untyped-def]
    return lambda e: e["type"] == "frame" and e["step"] == step and not e["running"]


def test_hello_then_dataset_then_a_frame_at_step_zero(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        hello = receive_event(ws)
        assert hello["type"] == "hello" and hello["protocol"] == PROTOCOL_VERSION
        assert hello["settings"]["dataset"]["name"] == "circle"
        dataset = receive_event(ws)
        assert dataset["type"] == "dataset"
        assert len(dataset["train_x"]) == len(dataset["train_y"]) == 250
        frame = receive_event(ws)
        assert frame["type"] == "frame" and frame["step"] == 0
        grid = frame["grid"]
        assert len(grid["data"]) == 2 * grid["width"] * grid["height"]  # float16 on the wire


def test_step_runs_exactly_that_many_steps_with_finite_losses(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "step", "steps": 3})
        frame = wait_for(ws, frame_at(3))
        assert math.isfinite(frame["train_loss"]) and math.isfinite(frame["test_loss"])
        assert 0 <= frame["test_accuracy"] <= 1


def test_configure_restarts_and_the_same_seed_gives_the_same_losses(client: TestClient) -> None:
    configure = {
        "type": "configure",
        "network": {
            "hidden": [{"units": 8, "activation": "tanh"}, {"units": 8, "activation": "relu"}]
        },
        "dataset": {"name": "spiral"},
        "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10},
        "seed": 0,
    }
    losses = []
    for _ in range(2):
        with client.websocket_connect("/ws") as ws:
            ws.send_json(configure)
            settings = wait_for(ws, is_type("settings"))["settings"]
            assert settings["dataset"]["name"] == "spiral"
            assert [h["units"] for h in settings["network"]["hidden"]] == [8, 8]
            ws.send_json({"type": "step", "steps": 25})
            frame = wait_for(ws, frame_at(25))
            losses.append((frame["train_loss"], frame["test_loss"]))
    assert losses[0] == losses[1]


def test_omitted_keys_keep_their_values(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "dataset": {"name": "xor", "noise": 0.2}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "configure", "dataset": {"points": 100}})
        dataset = wait_for(ws, is_type("settings"))["settings"]["dataset"]
        assert {k: dataset[k] for k in ("name", "points", "noise", "train_fraction")} == {
            "name": "xor",
            "points": 100,
            "noise": 0.2,
            "train_fraction": 0.5,
        }


def test_training_changes_keep_the_step_count(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "step", "steps": 5})
        wait_for(ws, frame_at(5))
        ws.send_json({"type": "configure", "training": {"learning_rate": 0.1, "batch_size": 20}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 2})
        wait_for(ws, frame_at(7))


def test_play_trains_and_pause_stops_the_counter(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "play"})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] > 50)
        ws.send_json({"type": "pause"})
        paused = wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])
        ws.send_json({"type": "step", "steps": 1})
        assert wait_for(ws, is_type("frame"))["step"] == paused["step"] + 1


def test_reset_returns_to_step_zero_in_a_new_run(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        first = wait_for(ws, is_type("frame"))
        ws.send_json({"type": "step", "steps": 10})
        wait_for(ws, frame_at(10))
        ws.send_json({"type": "reset"})
        frame = wait_for(ws, is_type("frame"))
        assert frame["step"] == 0 and frame["run"] > first["run"]


def test_bad_commands_get_errors_and_the_session_still_works(client: TestClient) -> None:
    bad = [
        ("not json", "JSON"),
        ('{"type": "jump"}', "unknown message type"),
        ('{"steps": 3}', "type"),
        ('{"type": "step", "steps": 0}', "at least 1"),
        (
            '{"type": "configure", "network": {"hidden": [{"units": 500, "activation": "relu"}]}}',
            "at most",
        ),
        (
            '{"type": "configure", "network": {"hidden": [{"units": 4, "activation": "swish"}]}}',
            "swish",
        ),
        ('{"type": "configure", "dataset": {"name": "moon"}}', "unknown dataset"),
        ('{"type": "configure", "training": {"learning_rate": "fast"}}', "learning_rate"),
        ('{"type": "configure", "colour": "red"}', "colour"),
    ]
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        for text, expected in bad:
            ws.send_text(text)
            error = wait_for(ws, is_type("error"))
            assert expected in error["message"], (text, error["message"])
        ws.send_bytes(b"\x00\x01")
        assert "binary" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "step", "steps": 2})
        wait_for(ws, frame_at(2))


def test_divergence_stops_training_and_says_where(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "training": {"optimizer": "sgd", "learning_rate": 10}})
        deep_linear = [{"units": 32, "activation": "linear"}] * 6  # explodes within a few steps
        ws.send_json({"type": "configure", "network": {"hidden": deep_linear}})
        ws.send_json({"type": "play"})
        error = wait_for(ws, is_type("error"))
        assert "diverged at step" in error["message"]
        frame = wait_for(ws, is_type("frame"))
        assert frame["diverged_at"] is not None and not frame["running"]


def test_frames_carry_the_exact_region_count_for_relu_networks(client: TestClient) -> None:
    hidden = [{"units": 6, "activation": "relu"}, {"units": 5, "activation": "relu"}]
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "network": {"hidden": hidden}, "seed": 3})
        ws.send_json({"type": "step", "steps": 4})
        frame = wait_for(ws, frame_at(4))
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(6, "relu"), LayerSpec(5, "relu"))),
        data=DataSpec(),
        training=TrainSpec(),
        seed=3,
    )
    trainer = Trainer(spec)
    trainer.step(4)
    layers = layers_from_module(trainer.net)
    assert frame["regions"] == count_regions(layers, "relu", BOX)
    assert frame["regions"] >= pattern_count_on_grid(trainer.net, "relu", BOX, 200)


def test_folding_preset_loads_a_net_with_sixteen_squared_regions(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "preset", "name": "folding", "depth": 2})
        settings = wait_for(ws, is_type("settings"))["settings"]
        hidden = [(h["units"], h["activation"]) for h in settings["network"]["hidden"]]
        assert hidden == [(8, "relu")] * 2
        frame = wait_for(ws, is_type("frame"))
        assert frame["step"] == 0 and not frame["running"]
        assert frame["regions"] == 256 and frame["regions_exact"]
        polygons = frame["region_polygons"]
        offsets = np.frombuffer(polygons["offsets"], "<u4")
        vertices = np.frombuffer(polygons["vertices"], "<f4").reshape(-1, 2)
        assert polygons["count"] == 256 and len(offsets) == 257 and offsets[-1] == len(vertices)
        assert len(np.frombuffer(polygons["pattern_ids"], "<u4")) == 256
        ws.send_json({"type": "preset", "name": "folding", "depth": 9})
        assert "depth" in wait_for(ws, is_type("error"))["message"]


def test_smooth_networks_get_an_approximate_pattern_count(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "step", "steps": 1})  # the default network is tanh
        frame = wait_for(ws, frame_at(1))
        assert frame["regions"] >= 1 and frame["regions_exact"] is False
        assert frame["region_polygons"] is None
