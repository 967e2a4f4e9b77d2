"""POST /api/experiments/*: the lessons' experiments, each run in a thread.

A few run at once (server/slots.py, the app's experiment slots), so torch never runs on the
event loop and a burst waits briefly, then gets 503. The science is in models/experiments;
these routes only take the request, run it and pack the answer.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict

from fastapi import APIRouter, HTTPException

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
from server.protocol import (
    ApproximationRequest,
    ApproximationResponse,
    ApproximationResult,
    DoubleDescentRequest,
    DoubleDescentResponse,
    FeatureCountResult,
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
from server.state import AppStateDep

CURVE_POINTS = 201
"""Samples of each best approximation sent back for drawing."""

router = APIRouter(prefix="/api/experiments")


@router.post("/xor_seeds")
async def xor_seeds(body: XorSeedsRequest, state: AppStateDep) -> XorSeedsResponse:
    """See _xor_seeds; a few experiments run at once (server/slots.py)."""
    return await state.experiment_slots.run(lambda: _xor_seeds(body))


def _xor_seeds(body: XorSeedsRequest) -> XorSeedsResponse:
    """Train widths × seeds XOR nets at once and count how many reach the threshold."""
    started = time.perf_counter()
    tallies = xor_success(body.widths, body.seeds, body.steps, body.data, body.threshold)
    results = [XorWidthResult.model_validate(t, from_attributes=True) for t in tallies]
    return XorSeedsResponse(
        results=results, narrowest_rate=results[0].rate, seconds=time.perf_counter() - started
    )


@router.post("/approximation")
async def approximation(body: ApproximationRequest, state: AppStateDep) -> ApproximationResponse:
    """See _approximation; a few experiments run at once (server/slots.py)."""
    return await state.experiment_slots.run(lambda: _approximation(body))


def _approximation(body: ApproximationRequest) -> ApproximationResponse:
    """Best fits of sin 2πx by one ReLU layer of each width, with their max errors."""
    started = time.perf_counter()
    fits = fit_sine(body.units, body.seeds, body.steps, curve_points=CURVE_POINTS)
    results = [
        ApproximationResult(
            **asdict(f), bump_error=max_bump_error(f.units // 2) if f.units >= 2 else None
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


@router.post("/optimizers")
async def optimizers(body: OptimizersRequest, state: AppStateDep) -> OptimizersResponse:
    """See _optimizers; a few experiments run at once (server/slots.py)."""
    return await state.experiment_slots.run(lambda: _optimizers(body))


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


@router.post("/double_descent")
async def double_descent_sweep(
    body: DoubleDescentRequest, state: AppStateDep
) -> DoubleDescentResponse:
    """See _double_descent_sweep; a few experiments run at once (server/slots.py)."""
    return await state.experiment_slots.run(lambda: _double_descent_sweep(body))


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
    results = [FeatureCountResult.model_validate(f, from_attributes=True) for f in fits]
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


@router.post("/suspicious")
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
