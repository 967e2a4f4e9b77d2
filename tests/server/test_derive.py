"""The wire models derive from models/config.py: every dataclass field is on the wire once, with
the same default, and a complete setup travels and comes back as the same RunSpec."""

import dataclasses

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from server import limits
from server.protocol import (
    DatasetPatch,
    DatasetSettings,
    HiddenLayer,
    Lesson,
    Limits,
    NetworkPatch,
    NetworkSettings,
    TrainingPatch,
    TrainingSettings,
)
from server.specs import settings_from_spec, spec_from_settings

PAIRS: list[tuple[type, type[BaseModel], set[str]]] = [
    (LayerSpec, HiddenLayer, set()),
    (NetworkSpec, NetworkSettings, set()),
    (NetworkSpec, NetworkPatch, set()),
    (DataSpec, DatasetSettings, {"custom"}),  # the points travel apart
    (DataSpec, DatasetPatch, set()),  # custom as the wire's CustomPoints
    (TrainSpec, TrainingSettings, set()),
    (TrainSpec, TrainingPatch, set()),
]


@pytest.mark.parametrize(("spec", "wire", "apart"), PAIRS, ids=lambda x: getattr(x, "__name__", ""))
def test_every_dataclass_field_is_on_the_wire_with_its_description(
    spec: type, wire: type[BaseModel], apart: set[str]
) -> None:
    names = [f.name for f in dataclasses.fields(spec) if f.name not in apart]
    assert sorted(wire.model_fields) == sorted(names)
    documented = [n for n in names if n != "custom" and not wire.model_fields[n].description]
    assert documented == [] or (spec is LayerSpec and set(documented) <= {"batch_norm"})


def test_patches_are_the_all_optional_form_with_the_same_bounds() -> None:
    assert TrainingPatch().model_dump(exclude_none=True) == {}
    for bad in ({"learning_rate": limits.MAX_LEARNING_RATE * 2}, {"optimizer": "nope"}):
        for model in (TrainingPatch, TrainingSettings):
            with pytest.raises(ValidationError):
                model.model_validate({**dataclasses.asdict(TrainSpec()), **bad})


def test_a_hidden_layer_keeps_the_dataclass_defaults_but_needs_units_and_activation() -> None:
    layer = HiddenLayer(units=3, activation="relu")
    assert layer.model_dump() == dataclasses.asdict(LayerSpec(3, "relu"))
    with pytest.raises(ValidationError):
        HiddenLayer.model_validate({"units": 3})


def test_a_complete_setup_comes_back_as_the_same_runspec() -> None:
    spec = RunSpec(
        network=NetworkSpec(hidden=(LayerSpec(5, "relu", dropout=0.2),), outputs=3),
        data=DataSpec(name="spiral", points=300, noise=0.1, classes=3),
        training=TrainSpec(optimizer="sgd", loss="cross_entropy", l2=0.01, schedule="cosine"),
        seed=7,
    )
    assert spec_from_settings(settings_from_spec(spec), None) == spec


def test_the_catalog_limits_are_typed_and_hold_every_constant(client: TestClient) -> None:
    constants = {k.lower(): v for k, v in vars(limits).items() if k.isupper()}
    assert client.get("/api/catalog").json()["limits"] == constants
    assert Limits().max_units == limits.MAX_UNITS
    assert Limits.model_fields["max_step"].description  # the constant's docstring


def test_an_experiment_route_follows_its_name_even_from_an_older_file() -> None:
    lesson = {
        "id": "x",
        "number": 1,
        "title": "t",
        "summary": "s",
        "try_this": "t",
        "preset": {"type": "configure"},
        "checks": [{"label": "l", "metric": "experiment", "op": ">=", "value": 0,
                    "field": "narrowest_rate"}],
    }  # fmt: skip
    for experiment in ({"name": "xor_seeds", "params": {}},
                       {"name": "xor_seeds", "route": "/old", "params": {}}):  # fmt: skip
        parsed = Lesson.model_validate({**lesson, "experiment": experiment})
        assert parsed.experiment is not None
        assert parsed.experiment.model_dump()["route"] == "/api/experiments/xor_seeds"
