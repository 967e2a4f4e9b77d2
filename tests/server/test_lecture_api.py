"""The lecture's pieces through the server: the hand-built presets in a session, the suspicious
experiment's route, and checks that read an experiment's answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server import limits
from server.lesson_routes import LESSONS_DIR, LessonFileError, load_lessons
from tests.conftest import receive_event, wait_for

LESSONS = {lesson.id: lesson for lesson in load_lessons()}


def _preset(ws: Any, command: dict[str, object]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send a preset; return the settings it answers with and its first frame (step 0)."""
    ws.send_json(command)
    settings = wait_for(ws, lambda e: e["type"] in ("settings", "error"))
    assert settings["type"] == "settings", settings
    frame = wait_for(ws, lambda e: e["type"] == "frame")
    return settings, frame


def test_the_two_unit_preset_loads_xor4_and_classifies_it_all(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        settings, frame = _preset(ws, {"type": "preset", "name": "xor_two_units"})
        body = settings["settings"]
        assert body["dataset"]["name"] == "xor4"
        assert [layer["units"] for layer in body["network"]["hidden"]] == [2]
        assert (
            frame["step"] == 0 and frame["test_accuracy"] == 1.0 and frame["train_accuracy"] == 1.0
        )


def test_the_bump_preset_loads_the_sine_and_fits_it_paused(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        settings, frame = _preset(ws, {"type": "preset", "name": "sine_bumps", "bumps": 10})
        body = settings["settings"]
        assert body["dataset"]["name"] == "sine"
        assert body["network"]["hidden"][0]["units"] == 20
        assert body["network"]["hidden"][0]["activation"] == "sigmoid"
        assert frame["step"] == 0 and frame["test_loss"] < 0.01


@pytest.mark.parametrize(
    "command",
    [
        {"type": "preset", "name": "sine_bumps", "bumps": 0},
        {"type": "preset", "name": "sine_bumps", "bumps": limits.BUMPS_MAX + 1},
        {"type": "preset", "name": "bumps"},
    ],
)
def test_a_bad_preset_is_refused_with_a_message(
    client: TestClient, command: dict[str, object]
) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json(command)
        event = wait_for(ws, lambda e: e["type"] == "error")
        assert event["message"]


def test_suspicious_route_answers_both_pitfalls(client: TestClient) -> None:
    answer = client.post("/api/experiments/suspicious", json={"seed": 0, "steps": 300})
    assert answer.status_code == 200
    body = answer.json()
    leak, shape = body["results"]
    assert leak["pitfall"] == "leakage" and leak["shown"] - leak["truth"] == pytest.approx(
        body["leak_gap"]
    )
    assert body["leak_gap"] >= 0.1
    assert shape["pitfall"] == "shape_bug" and shape["shown"] > 100 * shape["truth"]
    assert body["shape_bug_spread"] < 0.05


@pytest.mark.parametrize(
    "body",
    [{"steps": 0}, {"steps": 5000}, {"seed": -1}, {"seed": "x"}, {"extra": 1}, []],
)
def test_bad_suspicious_bodies_get_a_422(client: TestClient, body: object) -> None:
    answer = client.post("/api/experiments/suspicious", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_an_experiment_check_must_name_a_field_its_experiment_answers(tmp_path: Path) -> None:
    good = json.loads((LESSONS_DIR / "09-double-descent.json").read_text(encoding="utf-8"))
    bad = {**good, "number": 1, "checks": [{**good["checks"][0], "field": "peak_width"}]}
    (tmp_path / "01-bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(LessonFileError, match=r"checks\[0\]\.field"):
        load_lessons(tmp_path)
    no_field = {**good, "number": 1, "checks": [{**good["checks"][0], "field": None}]}
    (tmp_path / "01-bad.json").write_text(json.dumps(no_field), encoding="utf-8")
    with pytest.raises(LessonFileError, match="field"):
        load_lessons(tmp_path)


def _experiment_answers(client: TestClient, lesson_id: str) -> list[dict[str, Any]]:
    experiment = LESSONS[lesson_id].experiment
    assert experiment is not None
    runs = [experiment.params]
    if experiment.name == "double_descent":  # the page's second button: label noise 0.2
        runs.append({**experiment.params, "label_noise": 0.2})
    answers = []
    for params in runs:
        answer = client.post(experiment.route, json=params)
        assert answer.status_code == 200, answer.text
        answers.append(answer.json())
    return answers


def _holds(op: str, value: float, bar: float) -> bool:
    return value >= bar if op == ">=" else value <= bar


@pytest.mark.parametrize(
    "lesson_id", ["xor", "universal-approximation", "double-descent", "suspicious-results"]
)
def test_each_experiment_check_is_met_by_running_the_lessons_experiment(
    client: TestClient, lesson_id: str
) -> None:
    lesson = LESSONS[lesson_id]
    checks = [c for c in lesson.checks if c.metric == "experiment"]
    assert checks
    answers = _experiment_answers(client, lesson_id)
    for check in checks:
        assert check.field is not None
        assert any(_holds(check.op, a[check.field], check.value) for a in answers), check


def test_double_descent_without_noise_does_not_pass_the_noise_check(client: TestClient) -> None:
    lesson = LESSONS["double-descent"]
    clean = _experiment_answers(client, "double-descent")[0]
    noise_check = next(c for c in lesson.checks if c.field == "peak_test_mse")
    assert not _holds(noise_check.op, clean["peak_test_mse"], noise_check.value)
    assert clean["model"] == "trained"
    assert clean["peak_features"] == clean["train_points"] == 40


@pytest.mark.parametrize(
    "body",
    [
        {"model": "trained", "features": [401]},
        {"model": "trained", "steps": 0},
        {"model": "trained", "steps": 301},
        {"model": "grown"},
    ],
)
def test_bad_trained_double_descent_bodies_get_a_422(client: TestClient, body: object) -> None:
    answer = client.post("/api/experiments/double_descent", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_the_lessons_preset_actions_meet_their_checks(client: TestClient) -> None:
    """Lessons 4, 5 and 6: pressing the demo (paused, step 0) turns the live check green."""
    cases = [
        ("xor", "The two-unit solution", 0),
        ("universal-approximation", "10 bumps (20 sigmoids)", 0),
        ("depth-vs-width", "Folding, depth 2", 1),
    ]
    with client.websocket_connect("/ws") as ws:
        receive_event(ws)
        for lesson_id, label, index in cases:
            lesson = LESSONS[lesson_id]
            ws.send_json(lesson.preset.model_dump(exclude_none=True))
            wait_for(ws, lambda e: e["type"] == "settings")
            action = next(a for a in lesson.actions if a.label == label)
            _, frame = _preset(ws, action.command.model_dump(exclude_none=True))
            check = lesson.checks[index]
            value = frame[check.metric]
            assert value is not None and _holds(check.op, value, check.value), (lesson_id, value)
