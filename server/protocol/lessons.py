"""The lessons (GET /api/lessons) and the experiments they run (POST /api/experiments/*)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from models.activations import ACTIVATIONS
from models.datasets import DATASETS
from models.optimizers import OPTIMIZERS
from server import limits
from server.errors import describe_validation_error
from server.protocol.base import Message, known_name
from server.protocol.commands import ConfigureCommand, OverfitCheckCommand, PresetCommand
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
]

# ------------------------------------------------------------ experiments


class XorSeedsRequest(Message):
    """POST /api/experiments/xor_seeds: how often one hidden tanh layer of each width solves XOR."""

    widths: list[int] = Field([2, 3, 4, 8], min_length=1, max_length=limits.XOR_SEEDS_MAX_WIDTHS)
    """Hidden units of each trial, each 1 … max_units."""
    seeds: int = Field(100, ge=1, le=limits.XOR_SEEDS_MAX_SEEDS)
    """Runs per width: seeds 0 … seeds−1 (each its own initial weights and batch order)."""
    steps: int = Field(300, ge=1, le=limits.XOR_SEEDS_MAX_STEPS)
    """Adam steps (learning rate 0.03, batches of 10) per run."""
    data: Literal["corners", "quadrants"] = "corners"
    """`corners`: the classic XOR, four clusters at (±3, ±3); `quadrants`: the catalog's xor."""
    threshold: float = Field(0.95, ge=0.5, le=1.0)
    """Test accuracy a run must reach to count as solved."""

    @field_validator("widths")
    @classmethod
    def _widths_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= w <= limits.MAX_UNITS for w in value):
            raise ValueError(f"every width must be 1 … {limits.MAX_UNITS}")
        return value


class XorWidthResult(Message):
    """The runs of one width."""

    width: int
    runs: int
    successes: int
    rate: float
    """successes / runs."""
    accuracies: list[float]
    """Each seed's final test accuracy, seed 0 first."""


class XorSeedsResponse(Message):
    """Success counts per width, and the time it took."""

    results: list[XorWidthResult]
    narrowest_rate: float
    """The success rate of the first width asked for (two units in the lesson): checks read it."""
    seconds: float


class ApproximationRequest(Message):
    """POST /api/experiments/approximation: fit sin 2πx on [0, 1] with one ReLU layer of N units."""

    units: list[int] = Field(
        [5, 10, 20, 40], min_length=1, max_length=limits.APPROXIMATION_MAX_WIDTHS
    )
    """The widths N to compare, each 1 … approximation_max_units."""
    seeds: int = Field(4, ge=1, le=limits.APPROXIMATION_MAX_SEEDS)
    """Random starts per width; the best one is reported."""
    steps: int = Field(200, ge=1, le=limits.APPROXIMATION_MAX_STEPS)
    """Adam steps on the kinks (the output layer is solved by least squares at each step)."""

    @field_validator("units")
    @classmethod
    def _units_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= n <= limits.APPROXIMATION_MAX_UNITS for n in value):
            raise ValueError(f"every width must be 1 … {limits.APPROXIMATION_MAX_UNITS}")
        return value


class ApproximationResult(Message):
    """The fits of one width N."""

    units: int
    max_errors: list[float]
    """Maximum |f(x) − sin 2πx| over [0, 1] of each seed, seed 0 first."""
    best_error: float
    knots: list[float]
    """The best fit's kinks inside [0, 1], sorted: where its linear pieces meet."""
    curve: list[float]
    """The best fit at `curve_points` evenly spaced x from 0 to 1, ends included."""
    bump_error: float | None
    """Maximum error of the hand-built sigmoid net with the same units: ⌊units / 2⌋ bumps of two
    shifted sigmoids each (models.presets.sine_bumps); null below two units."""


class ApproximationResponse(Message):
    """Best fits per width, and the time it took."""

    results: list[ApproximationResult]
    curve_points: int
    widest_bump_error: float | None
    """bump_error of the widest N asked for: a check reads it."""
    widest_relu_error: float
    """best_error of the widest N asked for."""
    seconds: float


class OptimizerRun(Message):
    """One optimizer of the race and its learning rate (null: its usual default)."""

    optimizer: str
    learning_rate: float | None = Field(
        None, ge=limits.MIN_LEARNING_RATE, le=limits.MAX_LEARNING_RATE
    )

    @field_validator("optimizer")
    @classmethod
    def _optimizer_known(cls, value: str) -> str:
        return known_name(value, OPTIMIZERS, "optimizer")


def _default_runs() -> list[OptimizerRun]:
    return [
        OptimizerRun(optimizer=name, learning_rate=None)
        for name in ("sgd", "momentum", "rmsprop", "adam")
    ]


class OptimizersRequest(Message):
    """POST /api/experiments/optimizers: one problem, one seed, several optimizers."""

    runs: list[OptimizerRun] = Field(
        default_factory=_default_runs, min_length=1, max_length=limits.OPTIMIZERS_MAX_RUNS
    )
    dataset: str = "moons"
    """A two-class dataset from the catalog."""
    hidden: list[int] = Field([8, 8], max_length=limits.MAX_HIDDEN_LAYERS)
    """Hidden layer widths, each 1 … max_units."""
    activation: str = "tanh"
    steps: int = Field(300, ge=1, le=limits.OPTIMIZERS_MAX_STEPS)
    every: int = Field(10, ge=1)
    """Record the full-set losses every this many steps."""
    seed: int = Field(0, ge=0, le=limits.MAX_SEED)

    @field_validator("dataset")
    @classmethod
    def _two_classes(cls, value: str) -> str:
        info = DATASETS.get(value)
        if info is None or info.task != "classification" or info.min_classes != 2:
            two = [n for n, i in DATASETS.items() if i.task == "classification"]
            raise ValueError(f"dataset {value!r}: choose a two-class dataset ({', '.join(two)})")
        return value

    @field_validator("hidden")
    @classmethod
    def _widths_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= w <= limits.MAX_UNITS for w in value):
            raise ValueError(f"every width must be 1 … {limits.MAX_UNITS}")
        return value

    @field_validator("activation")
    @classmethod
    def _activation_known(cls, value: str) -> str:
        return known_name(value, ACTIVATIONS, "activation")

    @model_validator(mode="after")
    def _few_enough_samples(self) -> OptimizersRequest:
        if self.steps // self.every > limits.OPTIMIZERS_MAX_CURVE_POINTS:
            most = limits.OPTIMIZERS_MAX_CURVE_POINTS
            raise ValueError(f"every: steps / every must be at most {most}")
        return self


class OptimizerCurveResult(Message):
    """One optimizer's loss curve."""

    optimizer: str
    learning_rate: float
    steps: list[int]
    """The steps the losses were measured at, 0 first."""
    train_loss: list[float | None]
    """Binary cross-entropy on the whole training set; null where it was not finite."""
    test_loss: list[float | None]
    test_accuracy: float | None
    diverged_at: int | None
    """The first step whose minibatch loss was not finite, if any."""


class OptimizersResponse(Message):
    """One curve per run, in the request's order."""

    results: list[OptimizerCurveResult]
    seconds: float


def _default_feature_counts() -> list[int]:
    return [10, 20, 40, 60, 80, 90, 100, 110, 125, 150, 200, 300, 500, 1000, 2000]


class DoubleDescentRequest(Message):
    """POST /api/experiments/double_descent: one ReLU layer of p units on two moons.

    `random_features`: the hidden layer stays random, n = 100 training points, p up to 2,000;
    `trained`: the hidden layer is trained by Adam for `steps` steps, n = 40, p up to 400. Either
    way the output layer is the minimum-norm least-squares fit.
    """

    model: Literal["random_features", "trained"] = "random_features"
    steps: int = Field(100, ge=1, le=limits.DOUBLE_DESCENT_MAX_STEPS)
    """Adam steps on the hidden layer (trained only)."""

    features: list[int] = Field(
        default_factory=_default_feature_counts,
        min_length=1,
        max_length=limits.DOUBLE_DESCENT_MAX_COUNTS,
    )
    """The feature counts p to fit, each 1 … double_descent_max_features."""
    seeds: int = Field(5, ge=1, le=limits.DOUBLE_DESCENT_MAX_SEEDS)
    label_noise: float = Field(0.0, ge=0.0, le=limits.MAX_LABEL_NOISE)
    """Share of training labels flipped; the test labels stay clean."""

    @field_validator("features")
    @classmethod
    def _counts_in_range(cls, value: list[int]) -> list[int]:
        if not all(1 <= p <= limits.DOUBLE_DESCENT_MAX_FEATURES for p in value):
            raise ValueError(f"every count must be 1 … {limits.DOUBLE_DESCENT_MAX_FEATURES}")
        return value

    @model_validator(mode="after")
    def _trained_widths(self) -> DoubleDescentRequest:
        most = limits.DOUBLE_DESCENT_TRAINED_MAX_WIDTH
        if self.model == "trained" and max(self.features) > most:
            raise ValueError(f"features: a trained network's width must be 1 … {most}")
        return self


class FeatureCountResult(Message):
    """The fits with p random features."""

    features: int
    test_mse: float
    """Median over seeds of the test mean squared error on labels ±1."""
    test_error: float
    """Mean over seeds of the test classification error."""
    train_mse: float
    """Median over seeds of the training mean squared error (0 once p ≥ n)."""


class DoubleDescentResponse(Message):
    """Test error against the number of features; the peak is at p = train_points."""

    model: Literal["random_features", "trained"]
    train_points: int
    results: list[FeatureCountResult]
    threshold_features: int | None
    """The smallest p whose median training MSE is at most 0.001 (fits every point), if any."""
    peak_features: int
    """The p whose median test MSE is highest."""
    peak_test_mse: float
    """That highest median test MSE (random features: about 2.6 clean, 180 with label noise 0.2;
    trained: 0.43 and 350)."""
    peak_at_threshold: float
    """1 when the peak sits at the interpolation threshold (0.8 n ≤ p ≤ 1.25 n), else 0."""
    seconds: float


class SuspiciousRequest(Message):
    """POST /api/experiments/suspicious: a leaking test set and a broadcasting loss, together."""

    seed: int = Field(0, ge=0, le=limits.MAX_SEED)
    """Draws the points, the label noise and the initial weights."""
    steps: int = Field(300, ge=1, le=limits.SUSPICIOUS_MAX_STEPS)
    """Full-batch Adam steps of each of the three small nets."""


class SuspiciousResult(Message):
    """One pitfall: the number that looked fine and the number that tells the truth."""

    pitfall: Literal["leakage", "shape_bug"]
    measure: str
    """What both numbers are, e.g. "test accuracy"."""
    shown: float
    """What the mistake shows: accuracy on a leaked test set; test MSE of the net trained with
    the broadcasting loss."""
    truth: float
    """The same measure done right: accuracy on fresh points; the test MSE trained with
    shapes asserted."""


class SuspiciousResponse(Message):
    """Both pitfalls, and the numbers a lesson's checks read."""

    results: list[SuspiciousResult]
    leak_gap: float
    """Leaked test accuracy − honest test accuracy (about 0.2)."""
    honest_accuracy: float
    shape_bug_ratio: float
    """Test MSE trained with the broadcasting loss ÷ test MSE trained right (thousands)."""
    shape_bug_spread: float
    """max − min of the buggy net's outputs on [0, 1]: about 0, it learned a flat line."""
    seconds: float


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

# ------------------------------------------------------------ lessons


class LessonExperiment(Message):
    """An experiment a lesson offers, with the request body to send it."""

    name: Literal[
        "xor_seeds", "approximation", "optimizers", "double_descent", "suspicious", "explore"
    ]
    route: str
    """Where to POST `params`: /api/experiments/<name> (explore: /api/regions/explore)."""
    params: dict[str, Any]
    """The request body; validated against the experiment's request model when loaded."""

    @model_validator(mode="after")
    def _params_fit(self) -> LessonExperiment:
        expected = (
            "/api/regions/explore" if self.name == "explore" else f"/api/experiments/{self.name}"
        )
        if self.route != expected:
            raise ValueError(f"route: {self.name} is at {expected}, not {self.route}")
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
    experiment: a number of the lesson's experiment answer, named by `field`."""
    op: Literal[">=", "<="]
    value: float
    after_step: int | None = Field(None, ge=0)
    """Only frames at or past this step count (for checks that something stays bad)."""
    after_action: int | None = Field(None, ge=0)
    """Only frames of a run that began after the learner pressed this action (0-based index
    into the lesson's actions) count; the action should restart the run (a new network,
    dataset or seed), so the check reads the demonstration and nothing before it. Without it,
    the check reads the lesson's own runs and none that a demonstration started."""
    expected_failure: bool = False
    """A failure shown on purpose (the symmetry that never breaks, a divergence): the page
    marks it "expected to fail: watch this" once seen, never with a green tick."""
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
