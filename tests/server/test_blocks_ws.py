"""Every building-block record works end to end over the websocket, with no code of its own."""

import math

import pytest
from fastapi.testclient import TestClient

from models.activations import ACTIVATIONS
from models.optimizers import OPTIMIZERS
from tests.conftest import is_type, wait_for


def _configure_and_step(client: TestClient, configure: dict[str, object]) -> dict[str, object]:
    """The frame after 3 steps of the configured setup."""
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "configure", **configure})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "step", "steps": 3})
        frame: dict[str, object] = wait_for(
            ws, lambda e: e["type"] == "frame" and e["step"] == 3 and not e["running"]
        )
        return frame


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_trains_and_counts_its_regions(client: TestClient, name: str) -> None:
    hidden = [{"units": 4, "activation": name}, {"units": 3, "activation": name}]
    frame = _configure_and_step(client, {"network": {"hidden": hidden}})
    assert isinstance(frame["train_loss"], float) and math.isfinite(frame["train_loss"])
    assert isinstance(frame["regions"], int) and frame["regions"] >= 1
    assert frame["regions_exact"] is ACTIVATIONS[name].piecewise_linear  # smooth: approximate


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_trains(client: TestClient, name: str) -> None:
    frame = _configure_and_step(client, {"training": {"optimizer": name, "learning_rate": 0.03}})
    assert isinstance(frame["train_loss"], float) and math.isfinite(frame["train_loss"])
