"""Whatever the server reports as the settings, it accepts back as a configure.

The page restores a setup after a reload (or a reconnect) by sending the settings it was last
told as one configure, over a fresh session's defaults. So for every setup a session can
reach (every catalog dataset, custom data, every loss, every option) the settings must
validate as a configure, rebuild the same setup from the defaults, and change nothing (no
restart) when sent to the session that reported them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.activations import ACTIVATIONS
from models.config import RunSpec
from models.datasets import BOX, DATASETS
from models.features import FEATURES, PIXEL_FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.schedules import SCHEDULES
from server import limits
from server.protocol import CLIENT_COMMAND, CUSTOM_DATASET, ConfigureCommand
from server.specs import (
    ConfigureError,
    apply_configure,
    custom_points_of,
    restarts_training,
    settings_from_spec,
)
from tests.conftest import is_type, wait_for

PLANE_FEATURES = sorted(name for name in FEATURES if name not in PIXEL_FEATURES)

layers = st.lists(
    st.fixed_dictionaries(
        {
            "units": st.integers(1, limits.MAX_UNITS),
            "activation": st.sampled_from(sorted(ACTIVATIONS)),
            "batch_norm": st.booleans(),
            "layer_norm": st.booleans(),
            "dropout": st.sampled_from([0.0, 0.5]),
        }
    ),
    max_size=3,
)


@st.composite
def custom_points(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(limits.MIN_CUSTOM_POINTS, 12))
    xmin, xmax, ymin, ymax = BOX
    coordinate = st.tuples(st.floats(xmin, xmax), st.floats(ymin, ymax))
    x = draw(st.lists(coordinate, min_size=n, max_size=n))
    task = draw(st.sampled_from(["classification", "regression"]))
    labels = (
        st.integers(0, limits.MAX_CLASSES - 1).map(float)
        if task == "classification"
        else st.floats(-5, 5)
    )
    y = draw(st.lists(labels, min_size=n, max_size=n))
    return {"x": x, "y": y, "task": task}


@st.composite
def configures(draw: st.DrawFn) -> dict[str, Any]:
    """A configure that a page could send: any dataset, loss and option (some do not fit)."""
    name = draw(st.sampled_from([*sorted(DATASETS), CUSTOM_DATASET]))
    dataset: dict[str, Any] = {
        "name": name,
        "points": draw(st.integers(limits.MIN_POINTS, limits.MAX_POINTS)),
        "noise": draw(st.sampled_from([0.0, 0.2])),
        "label_noise": draw(st.sampled_from([0.0, 0.1])),
    }
    if name == CUSTOM_DATASET:
        dataset = {"name": name, "custom": draw(custom_points())}
    elif draw(st.booleans()):
        dataset["classes"] = draw(st.integers(2, limits.MAX_CLASSES))
    network: dict[str, Any] = {
        "hidden": draw(layers),
        "init": draw(st.sampled_from(sorted(INITS))),
    }
    if name != "digits" and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(PLANE_FEATURES), min_size=1, unique=True))
        network["features"] = chosen
    training: dict[str, Any] = {
        "optimizer": draw(st.sampled_from(sorted(OPTIMIZERS))),
        "schedule": draw(st.sampled_from(sorted(SCHEDULES))),
        "learning_rate": draw(st.sampled_from([0.003, 0.03, 1.0])),
        "batch_size": draw(st.integers(1, 64)),
        "momentum": draw(st.sampled_from([0.0, 0.9])),
        "nesterov": draw(st.booleans()),
        "weight_decay": draw(st.sampled_from([0.0, 0.01])),
        "clip_norm": draw(st.sampled_from([0.0, 1.0])),
        "l1": draw(st.sampled_from([0.0, 0.001])),
        "l2": draw(st.sampled_from([0.0, 0.001])),
        "input_noise": draw(st.sampled_from([0.0, 0.1])),
        "early_stopping": draw(st.sampled_from([0, 5])),
    }
    if draw(st.booleans()):
        training["loss"] = draw(st.sampled_from(sorted(LOSSES)))
    return {
        "type": "configure",
        "network": network,
        "dataset": dataset,
        "training": training,
        "seed": draw(st.integers(0, limits.MAX_SEED)),
    }


def reached(configure: dict[str, Any], start: RunSpec | None = None) -> RunSpec:
    """The spec a session reaches by this configure, or the example is skipped as a misfit."""
    command = CLIENT_COMMAND.validate_json(json.dumps(configure))
    assert isinstance(command, ConfigureCommand)
    try:
        return apply_configure(start or RunSpec(), command)
    except ConfigureError:
        assume(False)
        raise  # unreachable: assume(False) raises


def settings_as_configure(spec: RunSpec) -> dict[str, Any]:
    """The settings the server reports, sent back whole, with the user's points (the page's
    restore sends these; it keeps the points itself)."""
    message: dict[str, Any] = {"type": "configure", **settings_from_spec(spec).model_dump()}
    custom = custom_points_of(spec.data)
    if custom is not None:
        message["dataset"]["custom"] = custom.model_dump()
    return message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(first=configures(), second=configures())
def test_reported_settings_are_accepted_back_as_a_configure(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    spec = reached(second, reached(first))  # two steps: what one session may pass through
    message = settings_as_configure(spec)
    command = CLIENT_COMMAND.validate_json(json.dumps(message))  # the wire's validation
    assert isinstance(command, ConfigureCommand)
    fresh = apply_configure(RunSpec(), command)  # a reload: a new session's defaults
    assert settings_from_spec(fresh) == settings_from_spec(spec)
    again = apply_configure(spec, command)  # the same session: nothing changes
    assert settings_from_spec(again) == settings_from_spec(spec)
    assert not restarts_training(spec, again)
    assert not restarts_training(fresh, apply_configure(fresh, command))


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_comes_back_over_a_new_socket(client: TestClient, name: str) -> None:
    """The reload, end to end: a session's settings restore in a new one without an error."""
    hidden = [{"units": 3, "activation": "relu"}]
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "dataset": {"name": name}})
        wait_for(ws, is_type("settings"))
        ws.send_json({"type": "configure", "network": {"hidden": hidden}})
        reported = wait_for(ws, is_type("settings"))["settings"]
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", **reported})
        answer = wait_for(ws, lambda e: e["type"] in ("settings", "error"))
        assert answer["type"] == "settings", answer
        assert answer["settings"] == reported


def test_outputs_that_contradict_the_loss_are_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "configure", "network": {"outputs": 3}})
        error = wait_for(ws, lambda e: e["type"] in ("settings", "error"))
        assert error["type"] == "error" and "network.outputs" in error["message"], error
