"""GET /api/lessons and POST /api/experiments/*: the course as data, and its experiments.

The lessons are JSON files in server/lessons/, one per lesson, read and validated when this
module is imported (at app start), so a bad file stops the server and fails the tests instead
of surprising a learner. A deployment adds its own lessons with NNP_LESSONS_DIR (a folder of
lesson files, read and validated by create_app: a bad one stops the start with its name). The
experiments run in threads, a few at a time (server/slots.py), so torch never runs on the
event loop.
"""

from __future__ import annotations

import math
import time
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from pydantic import ValidationError

from models.experiments.approximation import fit_sine, max_bump_error
from models.experiments.double_descent import (
    double_descent,
    interpolation_threshold,
    trained_double_descent,
)
from models.experiments.optimizer_race import DEFAULT_LEARNING_RATES, race_optimizers
from models.experiments.suspicious import leakage, one_thread, shape_bug
from models.experiments.xor_seeds import xor_success
from server import limits
from server.errors import describe_validation_error
from server.protocol import (
    ApproximationRequest,
    ApproximationResponse,
    ApproximationResult,
    DoubleDescentRequest,
    DoubleDescentResponse,
    FeatureCountResult,
    Lesson,
    LessonsResponse,
    OptimizerCurveResult,
    OptimizersRequest,
    OptimizersResponse,
    SuspiciousRequest,
    SuspiciousResponse,
    SuspiciousResult,
    XorSeedsRequest,
    XorSeedsResponse,
    XorWidthResult,
)
from server.slots import slots_of

LESSONS_DIR = Path(__file__).parent / "lessons"
CURVE_POINTS = 201
"""Samples of each best approximation sent back for drawing."""

router = APIRouter(prefix="/api")


class LessonFileError(ValueError):
    """A lesson file that does not parse or validate; the message names the file."""


def read_lesson_files(directory: Path) -> list[tuple[str, Lesson]]:
    """(file name, lesson) for every `*.json` file in `directory`, validated, by file name.

    Raises LessonFileError, naming the file and the field, for a file that does not validate.
    """
    if not directory.is_dir():
        raise LessonFileError(f"{directory}: not a folder of lesson files")
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            found.append((path.name, Lesson.model_validate_json(path.read_bytes())))
        except ValidationError as exc:
            raise LessonFileError(f"{path}: {describe_validation_error(exc)}") from exc
        except OSError as exc:
            raise LessonFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    return found


def order_lessons(found: list[tuple[str, Lesson]]) -> list[Lesson]:
    """The lessons ordered by number; numbers must run 1, 2, 3, … and ids be distinct.

    Raises LessonFileError naming the file whose number or id does not fit.
    """
    found = sorted(found, key=lambda item: item[1].number)
    seen: dict[str, str] = {}
    for expected, (name, lesson) in enumerate(found, start=1):
        if lesson.number != expected:
            raise LessonFileError(
                f"{name}: number: lesson numbers must run 1, 2, 3, … without gaps or repeats; "
                f"expected {expected}, got {lesson.number}"
            )
        if lesson.id in seen:
            raise LessonFileError(f"{name}: id: {lesson.id!r} is also the id of {seen[lesson.id]}")
        seen[lesson.id] = name
    return [lesson for _, lesson in found]


def load_lessons(directory: Path = LESSONS_DIR) -> list[Lesson]:
    """Every `*.json` lesson in `directory`, validated, ordered by number.

    Raises LessonFileError for a bad file, a repeated id or number, or numbers that skip.
    """
    return order_lessons(read_lesson_files(directory))


@cache
def lessons_response() -> LessonsResponse:
    """The built-in lessons as GET /api/lessons sends them, read once."""
    return LessonsResponse(lessons=load_lessons())


lessons_response()  # read at import: a bad lesson file stops the app from starting


def load_course(extra: Path | None) -> LessonsResponse:
    """The built-in lessons, then the lessons in `extra` (NNP_LESSONS_DIR), whose numbers go on
    from the built-in ones (after n built-in lessons, the first added one is number n + 1).

    Raises LessonFileError naming the file for anything that does not validate or fit.
    """
    if extra is None:
        return lessons_response()
    built_in = [(f"built-in lesson {x.number}", x) for x in lessons_response().lessons]
    return LessonsResponse(lessons=order_lessons(built_in + read_lesson_files(extra)))


@router.get("/lessons")
def lessons(request: Request) -> LessonsResponse:
    """Every lesson, in order: the built-in ones, then the deployment's own."""
    course: LessonsResponse = getattr(request.app.state, "lessons", None) or lessons_response()
    return course


@router.post("/lessons/validate")
def validate_lesson(body: Lesson) -> Lesson:
    """Checks a lesson file (e.g. one made by "Save as lesson") against the schema; a lesson
    that does not validate is answered 422 with the field and the reason."""
    return body


@router.post("/experiments/xor_seeds")
async def xor_seeds(body: XorSeedsRequest, request: Request) -> XorSeedsResponse:
    """See _xor_seeds; a few experiments run at once (server/slots.py)."""
    return await slots_of(request, "experiment_slots").run(lambda: _xor_seeds(body))


def _xor_seeds(body: XorSeedsRequest) -> XorSeedsResponse:
    """Train widths × seeds XOR nets at once and count how many reach the threshold."""
    started = time.perf_counter()
    tallies = xor_success(body.widths, body.seeds, body.steps, body.data, body.threshold)
    results = [
        XorWidthResult(
            width=t.width,
            runs=t.runs,
            successes=t.successes,
            rate=t.rate,
            accuracies=list(t.accuracies),
        )
        for t in tallies
    ]
    return XorSeedsResponse(
        results=results, narrowest_rate=results[0].rate, seconds=time.perf_counter() - started
    )


@router.post("/experiments/approximation")
async def approximation(body: ApproximationRequest, request: Request) -> ApproximationResponse:
    """See _approximation; a few experiments run at once (server/slots.py)."""
    return await slots_of(request, "experiment_slots").run(lambda: _approximation(body))


def _approximation(body: ApproximationRequest) -> ApproximationResponse:
    """Best fits of sin 2πx by one ReLU layer of each width, with their max errors."""
    started = time.perf_counter()
    fits = fit_sine(body.units, body.seeds, body.steps, curve_points=CURVE_POINTS)
    results = [
        ApproximationResult(
            units=f.units,
            max_errors=list(f.max_errors),
            best_error=f.best_error,
            knots=list(f.knots),
            curve=list(f.curve),
            bump_error=max_bump_error(f.units // 2) if f.units >= 2 else None,
        )
        for f in fits
    ]
    widest = max(results, key=lambda r: r.units)
    return ApproximationResponse(
        results=results,
        curve_points=CURVE_POINTS,
        widest_bump_error=widest.bump_error,
        widest_relu_error=widest.best_error,
        seconds=time.perf_counter() - started,
    )


@router.post("/experiments/optimizers")
async def optimizers(body: OptimizersRequest, request: Request) -> OptimizersResponse:
    """See _optimizers; a few experiments run at once (server/slots.py)."""
    return await slots_of(request, "experiment_slots").run(lambda: _optimizers(body))


def _optimizers(body: OptimizersRequest) -> OptimizersResponse:
    """The same network, data and seed trained by each optimizer: loss curves to overlay."""
    started = time.perf_counter()
    runs = [
        (run.optimizer, run.learning_rate or DEFAULT_LEARNING_RATES.get(run.optimizer, 0.01))
        for run in body.runs
    ]
    curves = race_optimizers(
        runs, body.dataset, body.hidden, body.activation, body.steps, body.every, body.seed
    )
    results = [
        OptimizerCurveResult(
            optimizer=c.optimizer,
            learning_rate=c.learning_rate,
            steps=list(c.steps),
            train_loss=[_finite(v) for v in c.train_loss],
            test_loss=[_finite(v) for v in c.test_loss],
            test_accuracy=_finite(c.test_accuracy),
            diverged_at=c.diverged_at,
        )
        for c in curves
    ]
    return OptimizersResponse(results=results, seconds=time.perf_counter() - started)


@router.post("/experiments/double_descent")
async def double_descent_sweep(
    body: DoubleDescentRequest, request: Request
) -> DoubleDescentResponse:
    """See _double_descent_sweep; a few experiments run at once (server/slots.py)."""
    return await slots_of(request, "experiment_slots").run(lambda: _double_descent_sweep(body))


def _double_descent_sweep(body: DoubleDescentRequest) -> DoubleDescentResponse:
    """Test error of minimum-norm random-feature fits against the number of features."""
    started = time.perf_counter()
    trained = body.model == "trained"
    n = limits.DOUBLE_DESCENT_TRAINED_POINTS if trained else limits.DOUBLE_DESCENT_TRAIN_POINTS
    try:
        with one_thread():
            if trained:
                fits = trained_double_descent(
                    body.features,
                    n,
                    seeds=body.seeds,
                    label_noise=body.label_noise,
                    steps=body.steps,
                )
            else:
                fits = double_descent(
                    body.features, n, seeds=body.seeds, label_noise=body.label_noise
                )
    except RuntimeError as exc:  # a pseudo-inverse whose SVD did not converge
        raise HTTPException(422, f"the least-squares fit failed: {exc}") from exc
    results = [
        FeatureCountResult(
            features=f.features, test_mse=f.test_mse, test_error=f.test_error, train_mse=f.train_mse
        )
        for f in fits
    ]
    peak = max(results, key=lambda r: r.test_mse)
    return DoubleDescentResponse(
        model=body.model,
        train_points=n,
        results=results,
        threshold_features=interpolation_threshold(fits),
        peak_features=peak.features,
        peak_test_mse=peak.test_mse,
        peak_at_threshold=1.0 if 0.8 * n <= peak.features <= 1.25 * n else 0.0,
        seconds=time.perf_counter() - started,
    )


@router.post("/experiments/suspicious")
def suspicious(body: SuspiciousRequest) -> SuspiciousResponse:
    """A test set leaked from the training set, and a loss whose (N, 1) and (N,) broadcast."""
    started = time.perf_counter()
    with one_thread():
        leak = leakage(body.seed, body.steps)
        shapes = shape_bug(body.seed, body.steps)
    results = [
        SuspiciousResult(
            pitfall="leakage",
            measure="test accuracy",
            shown=leak.leaked_accuracy,
            truth=leak.honest_accuracy,
        ),
        SuspiciousResult(
            pitfall="shape_bug",
            measure="test MSE",
            shown=shapes.buggy_test_loss,
            truth=shapes.fixed_test_loss,
        ),
    ]
    return SuspiciousResponse(
        results=results,
        leak_gap=leak.gap,
        honest_accuracy=leak.honest_accuracy,
        shape_bug_ratio=shapes.ratio,
        shape_bug_spread=shapes.buggy_spread,
        seconds=time.perf_counter() - started,
    )


def _finite(value: float) -> float | None:
    """`value`, or None where JSON could not carry it (NaN, ±inf)."""
    return value if math.isfinite(value) else None
