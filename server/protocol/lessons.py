"""The lessons (GET /api/lessons): text, presets, checks, demonstrations and an experiment."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, computed_field, model_validator

from server.errors import describe_validation_error
from server.protocol.base import Message
from server.protocol.commands import ConfigureCommand, OverfitCheckCommand, PresetCommand
from server.protocol.experiments import ApproximationRequest, OptimizersRequest, XorSeedsRequest
from server.protocol.generalisation import DoubleDescentRequest, SuspiciousRequest
from server.protocol.http import ExploreRequest

Metric = Literal[
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "regions",
    "step",
    "diverged_at",
    "experiment",
    "graph_overflow",
]


EXPERIMENT_REQUESTS: dict[str, type[BaseModel]] = {
    "xor_seeds": XorSeedsRequest,
    "approximation": ApproximationRequest,
    "optimizers": OptimizersRequest,
    "double_descent": DoubleDescentRequest,
    "suspicious": SuspiciousRequest,
    "explore": ExploreRequest,
}
"""Experiment name -> its request body. Each is POST /api/experiments/<name>, except
`explore`, which is POST /api/regions/explore."""


class LessonExperiment(Message):
    """An experiment a lesson offers, with the request body to send it."""

    name: Literal[
        "xor_seeds", "approximation", "optimizers", "double_descent", "suspicious", "explore"
    ]
    params: dict[str, Any]
    """The request body; validated against the experiment's request model when loaded."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def route(self) -> str:
        """Where to POST `params`: /api/experiments/<name> (explore: /api/regions/explore)."""
        return "/api/regions/explore" if self.name == "explore" else f"/api/experiments/{self.name}"

    @model_validator(mode="before")
    @classmethod
    def _route_follows_name(cls, data: Any) -> Any:
        """Lesson files saved before the route was derived carry it; it follows the name."""
        if isinstance(data, dict) and "route" in data:
            data = {k: v for k, v in data.items() if k != "route"}
        return data

    @model_validator(mode="after")
    def _params_fit(self) -> LessonExperiment:
        try:
            EXPERIMENT_REQUESTS[self.name].model_validate(self.params)
        except ValidationError as exc:
            raise ValueError(f"params: {describe_validation_error(exc)}") from exc
        return self


EXPERIMENT_CHECK_FIELDS: dict[str, frozenset[str]] = {
    "xor_seeds": frozenset({"narrowest_rate"}),
    "approximation": frozenset({"widest_bump_error", "widest_relu_error"}),
    "double_descent": frozenset({"peak_features", "peak_test_mse", "peak_at_threshold"}),
    "suspicious": frozenset({"leak_gap", "honest_accuracy", "shape_bug_ratio", "shape_bug_spread"}),
}
"""Experiment name -> the numbers of its answer a check may read (metric `experiment`)."""


class Check(Message):
    """A condition that shows the learner has seen the point: on the session's frames, or on an
    answer of the lesson's experiment (metric `experiment`, with the answer's `field`)."""

    label: str
    """What the learner sees, e.g. "test accuracy ≥ 0.95"."""
    metric: Metric
    """A frame field: train_loss, test_loss, train_accuracy, test_accuracy, regions, step, or
    diverged_at (the step at which the loss went non-finite; e.g. `>= 0`: it diverged); or
    experiment: a number of the lesson's experiment answer, named by `field`; or
    graph_overflow: 1 once the learner ran Backward on a Graph view with an overflowed node
    (a naive loss's log 0), else 0; read by the page, not from frames."""
    op: Literal[">=", "<="]
    value: float
    after_step: int | None = Field(None, ge=0)
    """Only frames at or past this step count (for checks that something stays bad)."""
    after_action: int | None = Field(None, ge=0)
    """Only frames of a run that began after the learner pressed this action (0-based index
    into the lesson's actions) count; the action should restart the run (a new network,
    dataset or seed), so the check reads the demonstration and nothing before it. Without it,
    the check reads the lesson's own runs and none that a demonstration started."""
    after_edit: bool = False
    """Only frames of the run in which the learner last edited the weights by hand (dragged a
    unit line, set a weight), at or before the step of that edit, count: "the network you built,
    before any training". No headless run reaches it; the tests build the edit themselves."""
    expected_failure: bool = False
    """A failure shown on purpose (the symmetry that never breaks, a divergence): the page
    marks it "expected to fail: watch this" once seen, never with a green tick."""
    own_activation: bool = False
    """Only frames of a network with the learner's own activation (activation "expr", an
    expression in x) in a hidden layer count: e.g. step ≥ 100 turns green once the learner has
    written one, applied it and trained it."""
    field: str | None = None
    """For metric `experiment`: the number of the experiment's answer to read (any run of it
    counts, the label-noise one included), e.g. `peak_test_mse`."""

    @model_validator(mode="after")
    def _field_with_experiment(self) -> Check:
        if (self.metric == "experiment") != (self.field is not None):
            raise ValueError("field: give one exactly when the metric is experiment")
        return self


LessonCommand = Annotated[
    ConfigureCommand | PresetCommand | OverfitCheckCommand, Field(discriminator="type")
]


class LessonAction(Message):
    """A one-click demonstration: a websocket command to send, with a button label."""

    label: str
    command: LessonCommand
    play: bool = True
    """After a configure, press play, so the demonstration starts what it loads; false pauses
    before the command instead, so the learner sees step 0 and presses play. A preset (a
    hand-built network, shown as built) and the overfit check go as they are."""
    reset: bool = False
    """Start from fresh weights: the page restarts training from the seed's own first weights
    (the command's seed, else the preset's), even when the command changes nothing that would
    restart it (a second press, or weights trained before). For configure commands."""


class Lesson(Message):
    """One lesson: a preset, a few sentences, a prompt, live checks and optional extras."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    """Kebab-case, stable: progress is stored under it."""
    number: int = Field(ge=1)
    title: str
    summary: str
    """Two to four sentences of explanation."""
    try_this: str
    """What to do next in the playground."""
    preset: ConfigureCommand
    """Sent as a configure (type added) in one click; every setting the lesson relies on."""
    checks: list[Check]
    actions: list[LessonAction] = Field(default_factory=list)
    """One-click demonstrations: websocket commands with button labels."""
    experiment: LessonExperiment | None = None
    available: bool = True
    note: str | None = None
    """Why an unavailable lesson is not there yet, or a caveat the learner should read."""

    @model_validator(mode="after")
    def _playable(self) -> Lesson:
        if self.available and not self.checks:
            raise ValueError("checks: an available lesson needs at least one check")
        if not self.available and not self.note:
            raise ValueError("note: say why the lesson is not available")
        for i, check in enumerate(self.checks):
            if check.after_action is not None and check.after_action >= len(self.actions):
                raise ValueError(
                    f"checks[{i}].after_action: {check.after_action} names no action "
                    f"(the lesson has {len(self.actions)})"
                )
            if check.field is None:
                continue
            name = self.experiment.name if self.experiment else None
            fields = EXPERIMENT_CHECK_FIELDS.get(name or "", frozenset())
            if check.field not in fields:
                known = ", ".join(sorted(fields)) or "none: the lesson has no such experiment"
                raise ValueError(f"checks[{i}].field: {name} answers with {known}")
        return self


class LessonsResponse(Message):
    """GET /api/lessons: every lesson, in order."""

    lessons: list[Lesson]
