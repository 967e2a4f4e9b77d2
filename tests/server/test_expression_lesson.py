"""Lesson 6's "propose a module" check: reached only by a run with the learner's own activation."""

from dataclasses import replace

from models.config import LayerSpec, RunSpec
from models.trainer import Trainer
from server.lesson_routes import load_lessons
from server.protocol import Check
from server.specs import apply_configure


def test_the_own_activation_check_is_reached_by_training_an_own_activation() -> None:
    lesson = next(x for x in load_lessons() if x.id == "depth-vs-width")
    own: list[Check] = [check for check in lesson.checks if check.own_activation]
    assert len(own) == 1 and own[0].metric == "step" and own[0].after_action is None
    assert "Your own…" in lesson.try_this
    spec = apply_configure(RunSpec(), lesson.preset)
    layer = LayerSpec(8, "expr", expression="max(0, x) - 0.1*max(0, -x)")
    trainer = Trainer(replace(spec, network=replace(spec.network, hidden=(layer, layer))))
    trainer.step(int(own[0].value))
    assert trainer.steps >= own[0].value and trainer.evaluate().test_accuracy is not None
