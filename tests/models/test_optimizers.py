import math
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn

from models.config import TrainSpec
from models.optimizers import OPTIMIZERS, set_hyperparameters
from models.schedules import SCHEDULES


def _params(seed: int) -> list[nn.Parameter]:
    gen = torch.Generator().manual_seed(seed)
    return [
        nn.Parameter(torch.randn(4, 3, generator=gen)),
        nn.Parameter(torch.randn(4, generator=gen)),
    ]


def _run(
    opt: torch.optim.Optimizer, params: list[nn.Parameter], steps: int, seed: int
) -> list[list[torch.Tensor]]:
    """Step `opt` on a fixed stream of random gradients; the weights after each step."""
    gen = torch.Generator().manual_seed(seed)
    history = []
    for _ in range(steps):
        for p in params:
            p.grad = torch.randn(p.shape, generator=gen)
        opt.step()
        history.append([p.detach().clone() for p in params])
    return history


# (name, TrainSpec options, torch's class and the arguments that mean the same)
OptimizerClass = Callable[..., torch.optim.Optimizer]

REFERENCES: list[tuple[str, dict[str, Any], OptimizerClass, dict[str, Any]]] = [
    ("sgd", {}, torch.optim.SGD, {}),
    ("sgd", {"weight_decay": 0.1}, torch.optim.SGD, {"weight_decay": 0.1}),
    ("momentum", {"momentum": 0.9}, torch.optim.SGD, {"momentum": 0.9}),
    (
        "momentum",
        {"momentum": 0.5, "nesterov": True, "weight_decay": 0.01},
        torch.optim.SGD,
        {"momentum": 0.5, "nesterov": True, "weight_decay": 0.01},
    ),
    ("rmsprop", {}, torch.optim.RMSprop, {}),
    ("rmsprop", {"weight_decay": 0.1}, torch.optim.RMSprop, {"weight_decay": 0.1}),
    ("adam", {}, torch.optim.Adam, {}),
    ("adam", {"weight_decay": 0.1}, torch.optim.Adam, {"weight_decay": 0.1}),
    ("adamw", {"weight_decay": 0.0}, torch.optim.AdamW, {"weight_decay": 0.0}),
    ("adamw", {"weight_decay": 0.3}, torch.optim.AdamW, {"weight_decay": 0.3}),
    ("adagrad", {}, torch.optim.Adagrad, {}),
    ("adagrad", {"weight_decay": 0.1}, torch.optim.Adagrad, {"weight_decay": 0.1}),
]


@pytest.mark.parametrize(("name", "options", "kind", "kwargs"), REFERENCES)
def test_each_optimizer_follows_torch_optims_plain_loop_step_by_step(
    name: str, options: dict[str, Any], kind: OptimizerClass, kwargs: dict[str, Any]
) -> None:
    ours_params, theirs_params = _params(0), _params(0)
    ours = OPTIMIZERS[name].build(ours_params, TrainSpec(name, learning_rate=0.03, **options))
    # foreach=False: torch's per-tensor Python loop, written apart from the fused kernels
    theirs = kind(theirs_params, lr=0.03, foreach=False, **kwargs)
    for a, b in zip(
        _run(ours, ours_params, 25, 1), _run(theirs, theirs_params, 25, 1), strict=True
    ):
        for p, q in zip(a, b, strict=True):
            assert torch.allclose(p, q, rtol=1e-5, atol=1e-6)


# hand(weights, grads, t): one hand-written step t (from 1) on copies of the weights
Update = Callable[[list[torch.Tensor], list[torch.Tensor], int], None]


def _follows_the_hand_written_update(
    ours: torch.optim.Optimizer, params: list[nn.Parameter], update: Update, seed: int
) -> None:
    """Step `ours` and `update` on the same 20 random gradients; the weights agree after each."""
    hand = [p.detach().clone() for p in params]
    gen = torch.Generator().manual_seed(seed)
    for t in range(1, 21):
        grads = [torch.randn(p.shape, generator=gen) for p in params]
        for p, g in zip(params, grads, strict=True):
            p.grad = g.clone()
        ours.step()
        update(hand, grads, t)
        for p, q in zip(params, hand, strict=True):
            assert torch.allclose(p, q, rtol=1e-5, atol=1e-6)


def _hand_momentum(nesterov: bool, wd: float) -> Update:
    """Momentum as torch's docs write it: b = μb + g, then step along b (or g + μb: Nesterov)."""
    lr, mu = 0.05, 0.8
    buffers: list[torch.Tensor | None] = [None, None]

    def step(params: list[torch.Tensor], grads: list[torch.Tensor], _t: int) -> None:
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            g = g + wd * p
            buf = buffers[i]
            buf = g.clone() if buf is None else mu * buf + g
            buffers[i] = buf
            direction = g + mu * buf if nesterov else buf
            p -= lr * direction

    return step


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_the_hand_written_update(nesterov: bool) -> None:
    params = _params(2)
    ours = OPTIMIZERS["momentum"].build(
        params, TrainSpec("momentum", 0.05, momentum=0.8, nesterov=nesterov, weight_decay=0.02)
    )
    _follows_the_hand_written_update(ours, params, _hand_momentum(nesterov, 0.02), 3)


def test_adamw_decays_the_weights_apart_from_the_gradient() -> None:
    # Loshchilov & Hutter: w ← w - lr·(m̂ / (√v̂ + ε) + λ·w), with m, v from the raw gradient.
    lr, wd, (b1, b2), eps = 0.01, 0.5, (0.9, 0.999), 1e-8
    params = _params(4)
    ours = OPTIMIZERS["adamw"].build(params, TrainSpec("adamw", lr, weight_decay=wd))
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]

    def update(hand: list[torch.Tensor], grads: list[torch.Tensor], t: int) -> None:
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            m_hat, v_hat = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
            hand[i] = hand[i] * (1 - lr * wd) - lr * m_hat / (v_hat.sqrt() + eps)

    _follows_the_hand_written_update(ours, params, update, 5)


def test_rmsprop_matches_the_hand_written_update() -> None:
    # v ← αv + (1-α)g², w ← w - lr·g / (√v + ε), α = 0.99
    lr, alpha, eps = 0.01, 0.99, 1e-8
    params = _params(6)
    ours = OPTIMIZERS["rmsprop"].build(params, TrainSpec("rmsprop", lr))
    v = [torch.zeros_like(p) for p in params]

    def update(hand: list[torch.Tensor], grads: list[torch.Tensor], _t: int) -> None:
        for i, g in enumerate(grads):
            v[i] = alpha * v[i] + (1 - alpha) * g * g
            hand[i] = hand[i] - lr * g / (v[i].sqrt() + eps)

    _follows_the_hand_written_update(ours, params, update, 7)


def test_nesterov_without_momentum_is_plain_sgd_not_an_error() -> None:
    params, reference = _params(8), _params(8)
    ours = OPTIMIZERS["momentum"].build(
        params, TrainSpec("momentum", 0.1, momentum=0.0, nesterov=True)
    )
    plain = torch.optim.SGD(reference, lr=0.1)
    for a, b in zip(_run(ours, params, 5, 9), _run(plain, reference, 5, 9), strict=True):
        assert all(torch.allclose(p, q) for p, q in zip(a, b, strict=True))


def test_set_hyperparameters_changes_momentum_and_decay_and_keeps_the_buffer() -> None:
    params, reference = _params(10), _params(10)
    spec = TrainSpec("momentum", 0.05, momentum=0.9)
    ours = OPTIMIZERS["momentum"].build(params, spec)
    theirs = torch.optim.SGD(reference, lr=0.05, momentum=0.9, foreach=False)
    _run(ours, params, 5, 11)
    _run(theirs, reference, 5, 11)
    set_hyperparameters(
        ours, TrainSpec("momentum", 0.05, momentum=0.5, nesterov=True, weight_decay=0.1)
    )
    for group in theirs.param_groups:  # torch's own way: edit the live param group
        group.update(momentum=0.5, nesterov=True, weight_decay=0.1)
    for a, b in zip(_run(ours, params, 5, 12), _run(theirs, reference, 5, 12), strict=True):
        assert all(torch.allclose(p, q, rtol=1e-5, atol=1e-6) for p, q in zip(a, b, strict=True))


def test_adagrad_matches_its_formula_in_float64() -> None:
    """Duchi et al.: the sum s of every squared gradient so far, w ← w - lr·g / (√s + ε), with
    weight decay added to the gradient first."""
    lr, wd, eps = 0.1, 0.01, 1e-10
    gen = torch.Generator().manual_seed(8)
    w = nn.Parameter(torch.randn(5, generator=gen, dtype=torch.float64))
    ours = OPTIMIZERS["adagrad"].build([w], TrainSpec("adagrad", lr, weight_decay=wd))
    expected, total = w.detach().clone(), torch.zeros(5, dtype=torch.float64)
    for grad in torch.randn(30, 5, generator=gen, dtype=torch.float64):
        w.grad = grad.clone()
        ours.step()
        g = grad + wd * expected
        total += g * g
        expected -= lr * g / (total.sqrt() + eps)
        torch.testing.assert_close(w.detach(), expected)


def test_every_optimizer_and_schedule_has_one_sentence() -> None:
    assert {"sgd", "momentum", "rmsprop", "adam", "adamw"} <= set(OPTIMIZERS)
    assert set(SCHEDULES) == {"constant", "step", "cosine"}
    for name, record in [*OPTIMIZERS.items(), *SCHEDULES.items()]:
        assert record.name == name
        assert record.description.endswith(".") and record.description.count(". ") == 0


@pytest.mark.parametrize("period", [10, 7, 1000])
def test_schedules_follow_their_closed_forms(period: int) -> None:
    base = 0.3
    for step in range(3 * period + 5):
        assert SCHEDULES["constant"].rate(base, step, period) == base
        assert math.isclose(
            SCHEDULES["step"].rate(base, step, period), base / 2 ** (step // period)
        )
        phase = (step % period) / period
        expected = base * (1 + math.cos(math.pi * phase)) / 2
        assert math.isclose(SCHEDULES["cosine"].rate(base, step, period), expected, abs_tol=1e-15)
    assert SCHEDULES["cosine"].rate(base, period, period) == base  # the warm restart
    rates = [SCHEDULES["cosine"].rate(base, step, period) for step in range(period)]
    assert rates == sorted(rates, reverse=True)  # annealing all the way to the restart


@pytest.mark.parametrize(
    ("name", "make_scheduler"),
    [
        ("step", lambda opt, n: torch.optim.lr_scheduler.StepLR(opt, step_size=n, gamma=0.5)),
        ("cosine", lambda opt, n: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=n)),
    ],
)
def test_schedules_agree_with_torchs_schedulers(
    name: str, make_scheduler: Callable[[torch.optim.Optimizer, int], Any]
) -> None:
    opt = torch.optim.SGD(_params(0), lr=0.2)
    scheduler = make_scheduler(opt, 12)
    for step in range(40):
        assert math.isclose(
            opt.param_groups[0]["lr"], SCHEDULES[name].rate(0.2, step, 12), rel_tol=1e-9
        )
        opt.step()
        scheduler.step()
