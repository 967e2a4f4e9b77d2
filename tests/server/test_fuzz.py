# Over 300 lines for one reason: the strategies must sit with the properties that draw from them.
"""Property-based fuzz of the edges: every websocket message and HTTP body a client can send.

Whatever arrives, the server answers with an `error` (or a 4xx), the session keeps working and
the process stays healthy. The examples are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from starlette.testclient import WebSocketTestSession

from models.activations import ACTIVATIONS
from models.config import RunSpec
from models.datasets import DATASETS
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.optimizers import OPTIMIZERS
from models.schedules import SCHEDULES
from models.trainer import Trainer
from server import limits
from server.protocol import (
    CLIENT_COMMAND,
    ClientCommand,
    DatasetPatch,
    ExportCommand,
    NetworkPatch,
    NeuronRef,
    ProbeRequest,
    TrainingPatch,
)
from server.setup_io import export_setup
from tests.conftest import Event, is_type, receive_event, wait_for

COMMANDS: list[type[BaseModel]] = list(get_args(get_args(ClientCommand)[0]))
COMMAND_TYPES = [c.model_fields["type"].default for c in COMMANDS]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis/ left in the checkout; failures print their example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INTERNAL_ERROR = "internal error"
"""What the worker says when a command raised: a validated command must never get there."""

# ------------------------------------------------------------------------------ strategies

EDGE_NUMBERS: list[Any] = [
    *(0, 1, -1, 2, 0.5, 1e-6, -0.0, 6, 7, 31, 32, 33, 64, 65, 1000, 2000, 2001, 100_000),
    *(100_001, 2**31 - 1, 2**31, 2**53, 2**63, 2**64, -(2**63) - 1, 10**30, 10**400),
    *(1e308, -1e308, 1e-320, math.nan, math.inf, -math.inf),
]
"""Around every limit, past every integer width, and the floats JSON cannot carry."""

NAMES = sorted({*DATASETS, *ACTIVATIONS, *LOSSES, *OPTIMIZERS, *SCHEDULES, *INITS})
NAMES += [*FEATURES, "custom", "folding", "", "relu ", "RELU", "__class__", "\u00e9\u4e2d"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(EDGE_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(NAMES),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def fields_of(model: type[BaseModel], nested: dict[str, st.SearchStrategy[Any]]) -> Any:
    """Dicts with some of `model`'s fields (odd values, or `nested` ones), maybe extra keys."""
    names = sorted(model.model_fields)
    value = st.one_of(scalars, json_values)
    entries = {name: nested.get(name, value) | value for name in names}
    return st.fixed_dictionaries({}, optional=entries).flatmap(
        lambda known: st.dictionaries(
            st.sampled_from(["extra", "Type", ""]), value, max_size=1
        ).map(lambda extra: {**extra, **known})
    )


def layers(units: st.SearchStrategy[Any]) -> Any:
    layer = {"units": units, "activation": st.sampled_from(NAMES)}
    optional = {"batch_norm": st.booleans(), "layer_norm": st.booleans(), "dropout": scalars}
    return st.lists(st.fixed_dictionaries(layer, optional=optional), max_size=8)


def points(count: int) -> Any:
    coordinate = st.floats(-6.5, 6.5) | st.sampled_from(EDGE_NUMBERS)
    x = st.lists(st.tuples(coordinate, coordinate), min_size=count, max_size=count)
    y = st.lists(st.sampled_from([0, 1, 2, 0.5, -1, 6, math.nan]), min_size=count, max_size=count)
    task = st.sampled_from(["classification", "regression", "other"])
    return st.fixed_dictionaries({"x": x, "y": y}, optional={"task": task})


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document where a value sits, containers included."""
    inner: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        inner = [p for key, item in value.items() for p in leaf_paths(item, (*path, key))]
    elif isinstance(value, list):
        inner = [p for i, item in enumerate(value[:3]) for p in leaf_paths(item, (*path, i))]
    return [path, *inner] if path else inner


_MISSING = object()


def _child(container: Any, key: Any) -> Any:
    """container[key] when that exists (a dict's key, a list's index), else _MISSING."""
    if isinstance(container, dict) and key in container:
        return container[key]
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return _MISSING


def mutated(document: dict[str, Any]) -> Any:
    """`document` with up to three values (anywhere in it) replaced by odd ones."""
    paths = leaf_paths(document)

    def apply(changes: list[tuple[tuple[Any, ...], Any]]) -> dict[str, Any]:
        copy = json.loads(json.dumps(document))
        for path, value in changes:
            target = copy
            for key in path[:-1]:
                target = _child(target, key)
            if _child(target, path[-1]) is not _MISSING:  # an earlier change may have
                target[path[-1]] = value  # replaced a parent with something of another shape
        return copy

    change = st.tuples(st.sampled_from(paths), scalars | json_values)
    return st.lists(change, min_size=1, max_size=3).map(apply)


SETUP = export_setup(Trainer(RunSpec()), with_weights=True).model_dump(mode="json")
"""A whole setup file, weights included, as `export` sends it."""
setups = mutated(SETUP)
run_settings = mutated(SETUP["settings"])


def command_fields(command: type[BaseModel]) -> Any:
    """One command's fields, each nested model's fields fuzzed in turn."""
    nested: dict[str, st.SearchStrategy[Any]] = {
        "network": fields_of(
            NetworkPatch,
            {"hidden": layers(st.integers(0, 40)), "features": st.lists(st.sampled_from(NAMES))},
        ),
        "dataset": fields_of(DatasetPatch, {"custom": st.integers(0, 12).flatmap(points)}),
        "training": fields_of(TrainingPatch, {}),
        "focus": fields_of(NeuronRef, {}),
        "probe": fields_of(ProbeRequest, {"point": st.lists(st.floats(-8, 8), max_size=3)}),
        "setup": setups,
    }
    return fields_of(command, nested)


commands_with_odd_fields = st.sampled_from(COMMANDS).flatmap(
    lambda command: command_fields(command).map(
        lambda fields: {**fields, "type": command.model_fields["type"].default}
    )
)

in_range_commands = st.one_of(
    setups.map(lambda setup: {"type": "import", "setup": setup}),
    st.builds(lambda n: {"type": "step", "steps": n}, st.integers(1, 20)),
    st.sampled_from([{"type": t} for t in ("play", "pause", "reset", "undo", "export")]),
    st.builds(
        lambda layer, row, col, value: {
            "type": "set_weight",
            "layer": layer,
            "row": row,
            "col": col,
            "value": value,
        },
        st.integers(0, limits.MAX_HIDDEN_LAYERS),
        st.integers(0, 40),
        st.none() | st.integers(0, 40),
        st.floats(-limits.MAX_WEIGHT_VALUE, limits.MAX_WEIGHT_VALUE),
    ),
    st.builds(
        lambda hidden, name, lr, batch, seed: {
            "type": "configure",
            "network": {"hidden": hidden},
            "dataset": {"name": name, "points": 100},
            "training": {"learning_rate": lr, "batch_size": batch},
            "seed": seed,
        },
        layers(st.integers(1, 8)).map(lambda ls: ls[:3]),
        st.sampled_from(sorted(DATASETS)),
        st.floats(limits.MIN_LEARNING_RATE, limits.MAX_LEARNING_RATE),
        st.integers(1, 100),
        st.integers(0, limits.MAX_SEED),
    ),
    st.builds(
        lambda depth: {"type": "preset", "name": "folding", "depth": depth}, st.integers(1, 2)
    ),
    st.builds(
        lambda neurons, monitors, layer, point: {
            "type": "inspect",
            "neurons": neurons,
            "monitors": monitors,
            "hidden_layer": layer,
            "probe": {"point": point, "target": 1},
        },
        st.booleans(),
        st.booleans(),
        st.none() | st.integers(0, 5),
        st.lists(st.floats(-6, 6), min_size=1, max_size=2),
    ),
    st.builds(lambda n: {"type": "overfit_check", "points": n}, st.integers(1, 8)),
)
"""Commands that pass validation; the worker must answer each without an internal error."""


def deep(depth: int, open_: str, close: str) -> str:
    return open_ * depth + close * depth


deep_json = st.one_of(
    st.integers(100, 10_000).map(lambda d: deep(d, "[", "]")),
    st.integers(100, 10_000).map(lambda d: '{"a":' * d + "1" + "}" * d),
    st.integers(100, 10_000).map(
        lambda d: '{"type": "configure", "network": ' + deep(d, "[", "]") + "}"
    ),
)
garbage_text = st.one_of(
    st.just(""),
    st.text(max_size=50),
    st.sampled_from(["null", "[]", "{}", '""', "NaN", "Infinity", "-Infinity", "1e999", "{"]),
    st.sampled_from(['{"type": NaN}', '{"type": "step", "steps": Infinity}', '{"type": null}']),
    st.sampled_from([r'{"type": "\ud800"}', r'{"type": "step", "\udfff": 1}', '{"type":"play"}x']),
    st.sampled_from(['{"type": "step", "steps": 1, "steps": 2}', '{"type": "play"}' * 3]),
)


def to_text(value: Any) -> str:
    """JSON with NaN and Infinity as bare tokens, as a careless client writes them."""
    return json.dumps(value, allow_nan=True)


ws_messages = st.one_of(
    commands_with_odd_fields.map(to_text),
    in_range_commands.map(to_text),
    json_values.map(to_text),
    garbage_text,
    deep_json,
    st.binary(max_size=64),
)


# ----------------------------------------------------------------------------- websocket


def exchange(ws: WebSocketTestSession, message: str | bytes) -> list[Event]:
    """Send `message` then an export; return every event before the export's answer.

    The worker handles commands in order and an export answers with a control event, which
    queues behind any error the message caused, so the export's answer ends the reply.
    """
    answers = 1
    if isinstance(message, bytes):
        ws.send_bytes(message)
    else:
        ws.send_text(message)
        answers += isinstance(parsed(message), ExportCommand)
    ws.send_json({"type": "pause"})
    ws.send_json({"type": "export", "weights": False})
    events: list[Event] = []
    while answers:
        event = receive_event(ws)
        if event["type"] == "setup_file":
            answers -= 1
        elif event["type"] != "frame":
            events.append(event)
    return events


def parsed(text: str) -> BaseModel | None:
    try:
        command: BaseModel = CLIENT_COMMAND.validate_json(text)
    except ValidationError:
        return None
    return command


def assert_trains(ws: WebSocketTestSession, steps: int = 3) -> None:
    """A step command brings a resting frame `steps` further on, with finite losses."""
    ws.send_json({"type": "pause"})
    ws.send_json({"type": "export"})
    target = wait_for(ws, is_type("setup_file"))["setup"]["step"] + steps
    ws.send_json({"type": "step", "steps": steps})
    frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == target)
    assert not frame["running"]
    assert math.isfinite(frame["train_loss"]) and math.isfinite(frame["test_loss"]), frame


def test_every_websocket_message_gets_an_answer_and_the_session_lives(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "export"})
        original = wait_for(ws, is_type("setup_file"))["setup"]

        @FUZZ
        @given(message=ws_messages)
        def throw(message: str | bytes) -> None:
            events = exchange(ws, message)
            errors = [e for e in events if e["type"] == "error"]
            for error in errors:
                assert error["message"] and INTERNAL_ERROR not in error["message"], error
            if isinstance(message, bytes) or parsed(message) is None:
                assert errors, f"no error for {message!r}"

        throw()
        ws.send_json({"type": "import", "setup": original})  # back to a known, finite setup
        wait_for(ws, is_type("settings"))
        assert_trains(ws)
    with client.websocket_connect("/ws") as fresh:
        wait_for(fresh, is_type("frame"))
        assert_trains(fresh, steps=5)


def test_an_oversize_message_is_refused_and_the_session_lives(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_text(" " * limits.MAX_MESSAGE_BYTES + '{"type": "play"}')
        error = wait_for(ws, is_type("error"))
        assert "too large" in error["message"]
        assert_trains(ws)


def test_an_escaped_lone_surrogate_gets_an_error_not_a_dead_session(client: TestClient) -> None:
    # Found by the fuzz: the error echoed the surrogate, which no event can be encoded with.
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        for text in (r'{"type": "\ud800"}', r'{"type": "step", "\udfff": 1}'):
            ws.send_text(text)
            assert wait_for(ws, is_type("error"))["command"] in (None, "step")
        ws.send_json({"type": "\u00e9t\u00e9"})
        assert wait_for(ws, is_type("error"))["command"] is None  # not a command's type
        assert_trains(ws)


def test_an_import_with_a_huge_step_is_refused(client: TestClient) -> None:
    # Found by the fuzz: a step past 64 bits could not be packed into a frame and the
    # session's sender died.
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "export"})
        setup = wait_for(ws, is_type("setup_file"))["setup"]
        ws.send_json({"type": "import", "setup": {**setup, "step": 10**30}})
        error = wait_for(ws, is_type("error"))
        assert "setup.step: must be at most" in error["message"], error
        ws.send_json({"type": "import", "setup": {**setup, "step": limits.MAX_STEP}})
        frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == limits.MAX_STEP)
        assert math.isfinite(frame["train_loss"])


# --------------------------------------------------------------------------------- HTTP

OK_STATUSES = {200, 400, 413, 422}
"""400 is FastAPI's answer to a JSON body too deeply nested to parse; never a 500."""

regions_bodies = st.fixed_dictionaries(
    {},
    optional={
        "layers": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "weight": st.lists(
                        st.lists(scalars | st.floats(-2, 2), max_size=3), max_size=6
                    ),
                    "bias": st.lists(scalars | st.floats(-2, 2), max_size=6),
                },
            ),
            max_size=4,
        ),
        "activation": st.sampled_from(NAMES),
        "bounds": st.lists(scalars | st.floats(-5, 5), max_size=5),
        "polygons": scalars,
    },
)
explore_bodies = st.fixed_dictionaries(
    {},
    optional={
        "budget": scalars | st.integers(1, 12),
        "depths": st.lists(scalars | st.integers(1, 3), max_size=3),
        "seeds": scalars | st.integers(1, 2),
        "activation": st.sampled_from(NAMES),
    },
)
weight_bodies = st.fixed_dictionaries(
    {},
    optional={
        "weights": st.dictionaries(
            st.sampled_from(["0.weight", "0.bias", "2.weight", "x", ""]),
            st.fixed_dictionaries(
                {},
                optional={
                    "shape": st.lists(scalars | st.integers(0, 4), max_size=5),
                    "values": st.lists(scalars | st.floats(-1, 1), max_size=8),
                },
            ),
            max_size=3,
        ),
        "settings": run_settings | json_values,
    },
)
csv_bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.lists(
        st.tuples(scalars, scalars, scalars).map(lambda row: ",".join(map(str, row))), max_size=12
    ).map(lambda rows: "\n".join(["x1,x2,label", *rows]).encode()),
)


def json_body(strategy: Any) -> Any:
    return st.one_of(
        strategy.map(to_text),
        json_values.map(to_text),
        garbage_text,
        deep_json,
    ).map(lambda text: text.encode("utf-8", "surrogatepass"))


def raw_bytes() -> Any:
    return st.binary(max_size=300) | st.just(b"")


ENDPOINTS: dict[str, Callable[[], Any]] = {
    "/api/regions": lambda: json_body(regions_bodies) | raw_bytes(),
    "/api/regions/explore": lambda: json_body(explore_bodies) | raw_bytes(),
    "/api/datasets/csv": lambda: csv_bodies | raw_bytes(),
    "/api/weights/safetensors": lambda: json_body(weight_bodies) | raw_bytes(),
    "/api/weights/from-safetensors": raw_bytes,
    "/api/pytorch": lambda: json_body(
        st.fixed_dictionaries(
            {"settings": run_settings | json_values},
            optional={"custom": st.integers(0, 12).flatmap(points)},
        )
    ),
}


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_every_http_body_gets_a_client_error_or_an_answer(client: TestClient, path: str) -> None:
    @settings(FUZZ, max_examples=100)
    @given(body=ENDPOINTS[path]())
    def post(body: bytes) -> None:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code in OK_STATUSES, (body[:300], response.text[:300])
        if response.status_code != 200:
            assert response.json()["detail"]

    post()
    assert client.get("/api/health").json()["status"] == "ok"
