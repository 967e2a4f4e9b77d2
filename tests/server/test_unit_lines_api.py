"""Dragged unit lines over the wire: `set_unit` (server/protocol/units.py) and the lesson steps
that read a hand edit (`after_edit` checks of lessons 4 and 5).

Oracles: the weights the inspection reports, the unit's zero set evaluated by hand, and the
session's own accuracy and loss at step 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from models.config import RunSpec
from models.presets import build_preset
from models.unit_lines import UnitLine, UnitStep, set_unit, weights_from_line, weights_from_step
from server.lesson_routes import load_lessons
from server.protocol import ConfigureCommand
from server.protocol.lessons import Check, Lesson
from server.specs import apply_configure
from tests.conftest import Event, is_type, wait_for

LESSONS = {lesson.id: lesson for lesson in load_lessons()}

XOR_LINES = [
    UnitLine((1.5, 1.5), math.pi / 4, 2 * math.sqrt(2)),  # on in the corner at (3, 3)
    UnitLine((-1.5, -1.5), -3 * math.pi / 4, 2 * math.sqrt(2)),  # on at (−3, −3)
]
"""A hand solution of lesson 4's paused two-ReLU net: x1 + x2 = 3 and x1 + x2 = −3."""
SINE_STEPS = [UnitStep(0.08, 16), UnitStep(0.5, 16), UnitStep(0.5, 16), UnitStep(0.92, 16)]
"""Lesson 5's text: the two bumps' outer steps moved in to about 0.08 and 0.92."""


def _edit_check(lesson: Lesson) -> tuple[Check, dict[str, object]]:
    """The lesson's after_edit check and the action it reads."""
    check = next(c for c in lesson.checks if c.after_edit)
    assert check.after_action is not None
    return check, lesson.actions[check.after_action].command.model_dump(exclude_none=True)


def _frame(ws: WebSocketTestSession) -> Event:
    return wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])


def _xor_lesson_network(ws: WebSocketTestSession) -> None:
    """Lesson 4's preset, then its paused two-ReLU action, inspected."""
    _frame(ws)
    ws.send_json(LESSONS["xor"].preset.model_dump(exclude_none=True))
    wait_for(ws, is_type("settings"))
    ws.send_json(_edit_check(LESSONS["xor"])[1])
    wait_for(ws, lambda e: e["type"] == "settings" and e["settings"]["seed"] == 50)
    ws.send_json({"type": "inspect", "neurons": True})


def test_dragged_lines_solve_xor_at_step_0_and_the_weights_put_them_there(
    client: TestClient,
) -> None:
    check, _ = _edit_check(LESSONS["xor"])
    with client.websocket_connect("/ws") as ws:
        _xor_lesson_network(ws)
        before = _frame(ws)
        assert before["step"] == 0 and before["train_accuracy"] < check.value  # not by chance
        for unit, line in enumerate(XOR_LINES):
            w1, w2, b = weights_from_line(line)
            ws.send_json(
                {"type": "set_unit", "layer": 0, "unit": unit, "weights": [w1, w2], "bias": b}
            )
        after = wait_for(ws, lambda e: e["type"] == "frame" and e["train_accuracy"] >= check.value)
        assert after["step"] == 0 and after["test_accuracy"] == 1.0
        inspection = wait_for(
            ws,
            lambda e: (
                e["type"] == "inspection"
                and np.frombuffer(e["layers"][0]["bias"], "<f4")[1] == pytest.approx(-6)
            ),
        )
        weight = np.frombuffer(inspection["layers"][0]["weight"], "<f4").reshape(2, 2)
        bias = np.frombuffer(inspection["layers"][0]["bias"], "<f4")
        for unit, line in enumerate(XOR_LINES):
            # The reported weights put the zero set through the dropped line, active side kept.
            normal = (math.cos(line.angle), math.sin(line.angle))
            for t in (-2.0, 0.0, 3.0):
                x = (line.point[0] - t * normal[1], line.point[1] + t * normal[0])
                assert weight[unit] @ x + bias[unit] == pytest.approx(0, abs=1e-5)
            ahead = np.add(line.point, normal)
            assert weight[unit] @ ahead + bias[unit] == pytest.approx(line.steepness, rel=1e-5)
        ws.send_json({"type": "reset"})  # as after a weight edit: new random weights, step 0
        reset = wait_for(ws, lambda e: e["type"] == "frame" and e["train_accuracy"] < 1)
        assert reset["step"] == 0


def test_set_unit_is_refused_while_training_and_for_a_wrong_shape(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _xor_lesson_network(ws)
        _frame(ws)
        ws.send_json({"type": "set_unit", "layer": 0, "unit": 0, "weights": [1, 2, 3], "bias": 0})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "set_unit" and "has 2 inputs, got 3 weights" in error["message"]
        ws.send_json({"type": "set_unit", "layer": 0, "unit": 7, "weights": [1, 2], "bias": 0})
        assert "row must be 0 to 1" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "set_unit", "layer": 0, "unit": 0, "weights": [1e9, 2], "bias": 0})
        assert wait_for(ws, is_type("error"))["command"] == "set_unit"
        ws.send_json({"type": "play"})
        ws.send_json({"type": "set_unit", "layer": 0, "unit": 0, "weights": [1, 2], "bias": 0})
        assert "Pause" in wait_for(ws, is_type("error"))["message"]
        ws.send_json({"type": "pause"})
        _frame(ws)


def test_lesson_5_dragged_steps_meet_its_check_and_the_bumps_alone_do_not() -> None:
    lesson = LESSONS["universal-approximation"]
    check, action = _edit_check(lesson)
    assert action == {"type": "preset", "name": "sine_bumps", "bumps": 2, "depth": 1}
    spec = apply_configure(RunSpec(), ConfigureCommand.model_validate(lesson.preset))
    trainer = build_preset(spec, "sine_bumps", bumps=2).trainer(torch.device("cpu"))
    assert trainer.evaluate().test_loss > check.value  # the check waits for the learner
    for unit, step in enumerate(SINE_STEPS):
        w, b = weights_from_step(step)
        set_unit(trainer.net, 0, unit, [w], b)
    assert trainer.evaluate().test_loss <= check.value
    assert trainer.steps == 0
