"""Be suspicious of good results: a test set that leaks, and a loss whose shapes broadcast.

Both answer with the number a careful person would have checked, next to the number that
looked fine:

- `leakage`: one tanh net fits noisy moons (label noise 0.2 on every point, so a perfect
  score means memorised noise). Scored on test points drawn from its own training points
  (the leak: e.g. splitting after augmenting or de-duplicating after the split), it looks
  near perfect; scored on fresh points from the same source, it is 20-odd points worse.
- `shape_bug`: one sigmoid-free regression net fits the sine twice, once with
  mse(net(x), y) where net(x) is (N, 1) and y is (N,), once with net(x).squeeze(1). The
  first broadcasts to (N, N): it compares every output with every target and its minimum is
  the constant mean of y, so that net learns a flat line while its training loss still falls.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn

from models.datasets import flip_labels
from models.generators import make_moons

LEAK_POINTS = 200
"""Training points of the leakage demo; the leaked test set is 100 of them."""
LEAK_LABEL_NOISE = 0.2
SHAPE_POINTS = 100


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread here: these nets are tiny, and on a busy machine a second
    intra-op thread made the demo 30 times slower (115 s against 4 s)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@dataclass(frozen=True)
class LeakageResult:
    """Accuracy and loss on a leaked test set and on an honest one, same trained net."""

    leaked_accuracy: float
    honest_accuracy: float
    leaked_loss: float
    honest_loss: float
    train_accuracy: float

    @property
    def gap(self) -> float:
        """How much better the leaked test set makes the net look (accuracy points)."""
        return self.leaked_accuracy - self.honest_accuracy


@dataclass(frozen=True)
class ShapeBugResult:
    """Test MSE of the net trained with the broadcasting loss and of the one trained right."""

    buggy_test_loss: float
    fixed_test_loss: float
    buggy_train_loss: float
    """The broadcast (N, N) loss the buggy run minimised: it falls, so nothing looks wrong."""
    buggy_spread: float
    """max − min of the buggy net's outputs over [0, 1]: near 0, a flat line."""

    @property
    def ratio(self) -> float:
        """How many times the buggy net's test MSE exceeds the fixed one's."""
        return self.buggy_test_loss / max(self.fixed_test_loss, 1e-12)


def _net(inputs: int, gen: torch.Generator, width: int = 32) -> nn.Sequential:
    torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
    return nn.Sequential(
        nn.Linear(inputs, width), nn.Tanh(), nn.Linear(width, width), nn.Tanh(), nn.Linear(width, 1)
    )


def _train(net: nn.Module, loss_of: object, steps: int, lr: float) -> float:
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loss = torch.tensor(0.0)
    for _ in range(steps):
        loss = loss_of()  # type: ignore[operator]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return float(loss.detach())


def leakage(seed: int = 0, steps: int = 300) -> LeakageResult:
    """Train on noisy moons; score a test set drawn from the training points, and fresh points."""
    gen = torch.Generator().manual_seed(seed)
    data = make_moons(2 * LEAK_POINTS, 0.1, 2, gen)
    order = torch.randperm(2 * LEAK_POINTS, generator=gen)
    x = data.x[order] / 3.5
    y = flip_labels(data.y[order], LEAK_LABEL_NOISE, 2, gen)  # noisy labels everywhere
    train_x, train_y = x[:LEAK_POINTS], y[:LEAK_POINTS]
    leaked = torch.randperm(LEAK_POINTS, generator=gen)[: LEAK_POINTS // 2]
    honest_x, honest_y = x[LEAK_POINTS:], y[LEAK_POINTS:]
    net = _net(2, gen)
    bce = nn.BCEWithLogitsLoss()
    _train(net, lambda: bce(net(train_x).squeeze(1), train_y), steps, 0.02)

    def score(px: torch.Tensor, py: torch.Tensor) -> tuple[float, float]:
        with torch.no_grad():
            logits = net(px).squeeze(1)
            return float(((logits > 0).float() == py).float().mean()), float(bce(logits, py))

    leaked_acc, leaked_loss = score(train_x[leaked], train_y[leaked])
    honest_acc, honest_loss = score(honest_x, honest_y)
    train_acc, _ = score(train_x, train_y)
    return LeakageResult(leaked_acc, honest_acc, leaked_loss, honest_loss, train_acc)


def shape_bug(seed: int = 0, steps: int = 300) -> ShapeBugResult:
    """Fit the sine with mse(net(x), y) on (N, 1) vs (N,), and with the shapes asserted."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(SHAPE_POINTS, 1, generator=gen)  # (N, 1), as the sine dataset gives
    y = torch.sin(2 * math.pi * x[:, 0])  # (N,)
    test_x = torch.linspace(0, 1, 201).unsqueeze(1)
    test_y = torch.sin(2 * math.pi * test_x[:, 0])
    mse = nn.MSELoss()
    state = torch.Generator().manual_seed(seed + 1)
    buggy, fixed = _net(1, state), _net(1, torch.Generator().manual_seed(seed + 1))
    with warnings.catch_warnings():  # torch warns about the broadcast once; the demo is the bug
        warnings.simplefilter("ignore", UserWarning)
        buggy_train = _train(buggy, lambda: mse(buggy(x), y), steps, 0.01)  # (N,1) vs (N,)

    def fixed_loss() -> torch.Tensor:
        out = fixed(x).squeeze(1)
        assert out.shape == y.shape, (out.shape, y.shape)
        loss: torch.Tensor = mse(out, y)
        return loss

    _train(fixed, fixed_loss, steps, 0.01)
    with torch.no_grad():
        buggy_out, fixed_out = buggy(test_x).squeeze(1), fixed(test_x).squeeze(1)
        return ShapeBugResult(
            float(mse(buggy_out, test_y)),
            float(mse(fixed_out, test_y)),
            buggy_train,
            float(buggy_out.max() - buggy_out.min()),
        )
