"""Train many small networks at once: seeds × widths as stacked weights and batched matmuls.

A sweep of K runs keeps each layer's weights as one (K, out, in) tensor, so a training step
is a handful of `torch.baddbmm`/`torch.bmm` calls whatever K is, instead of K Trainer steps
each paying Python and dispatch overhead on a tiny net. Every run keeps Trainer's semantics:
the same data split, batch order and initial weights for its seed (the same generator
streams), binary cross-entropy on one logit, and the same SGD or Adam kernel, which updates
each weight from its own gradient only, so stacking cannot mix runs.

Widths may differ inside a batch: narrower layers are padded with masked units that start
with zero weights in and zero weights out. Their pre-activation is 0, and for every activation
with f(0) = 0 their gradients are exactly 0; a sigmoid unit outputs 1/2, which would give its
zero outgoing weights a gradient, so gradients are multiplied by the mask. A zero gradient
leaves both SGD and Adam (zero moments, 0 / (0 + eps)) weights unchanged, so masked units stay
exactly zero and add exact zeros to every sum: the real units train as they would unpadded.

The stacked step itself (forward, hand-derived backward) is models/stacked.py's.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from models.config import RunSpec, TrainSpec
from models.datasets import make_split
from models.network import build_network
from models.optimizers import OPTIMIZERS, FusedOptimizer
from models.stacked import stacked_activations, stacked_forward, stacked_gradients
from models.streams import DATA_STREAM, INIT_STREAM, StackedMinibatches, stream_generator


@dataclass(frozen=True)
class SweepResult:
    """One run of a sweep: its final losses and accuracies, loss history and weights."""

    spec: RunSpec
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    diverged_at: int | None
    """The first step whose minibatch loss was NaN or infinite, if any."""
    history_steps: tuple[int, ...]
    history_train_loss: tuple[float, ...]
    history_test_loss: tuple[float, ...]
    """Columns: full-set losses after every `history_every` steps; empty when not asked."""
    state_dict: dict[str, torch.Tensor]
    """The trained weights, unpadded, keyed as in `build_network(spec.network, ...)`."""

    def network(self) -> nn.Sequential:
        """Return the trained network as build_network builds it."""
        net = build_network(self.spec.network, torch.Generator())
        net.load_state_dict(self.state_dict)
        return net


def batch_key(spec: RunSpec) -> Hashable:
    """Return what runs must share to train in one batch: all but seeds, widths and dataset.

    Depth and activations fix the layers, points and split fix the tensor shapes, and the
    training spec (learning rate included) is one optimizer call for the whole batch.
    """
    network, data = spec.network, spec.data
    activations = tuple(layer.activation for layer in network.hidden)
    shapes = (network.inputs, network.outputs, data.points, data.train_fraction)
    return (activations, *shapes, spec.training)


class Sweep:
    """K runs sharing a `batch_key`, trained together; run k behaves as `Trainer(specs[k])`."""

    def __init__(self, specs: Sequence[RunSpec], device: torch.device | None = None) -> None:
        if not specs or len({batch_key(s) for s in specs}) != 1:
            raise ValueError("a Sweep needs one or more runs that share batch_key(spec)")
        if specs[0].network.outputs != 1:
            raise ValueError("a Sweep trains binary cross-entropy on one output logit")
        self.specs = list(specs)
        self.device = device or torch.device("cpu")
        self.training: TrainSpec = specs[0].training
        # Trainer's own generator streams: run k draws its data, weights and batches as it does
        splits = [make_split(s.data, stream_generator(s.seed, DATA_STREAM)) for s in specs]
        self._train_x = self._stack([split.train.x for split in splits])  # (K, N, inputs)
        self._train_y = self._stack([split.train.y for split in splits])  # (K, N)
        self._test_x = self._stack([split.test.x for split in splits])
        self._test_y = self._stack([split.test.y for split in splits])
        self._batches = StackedMinibatches(self._train_x, self._train_y, [s.seed for s in specs])
        self._widths = [[layer.units for layer in s.network.hidden] for s in specs]
        hidden = [max(column) for column in zip(*self._widths, strict=True)]
        self._sizes = [specs[0].network.inputs, *hidden, 1]
        self._activations = stacked_activations(specs[0].network)
        self.params = self._initial_weights()
        """[W1 (K, h1, in), b1 (K, h1), W2, b2, ...]: layer i is params[2i], params[2i + 1]."""
        self._masks = self._padding_masks()
        self._grads = [torch.zeros_like(p) for p in self.params]
        self._opt = _make_optimizer(self.params, self.training)
        self.steps = 0

    def step(self, k: int = 1) -> torch.Tensor:
        """Run k optimizer steps on every run; return the minibatch losses (k, K)."""
        with torch.no_grad():
            batches = (self._batches.next(self.training.batch_size) for _ in range(k))
            losses = torch.stack([self._train_step(x, y) for x, y in batches])
        self.steps += k
        return losses

    def evaluate(self) -> torch.Tensor:
        """Return (4, K): train loss, test loss, train accuracy, test accuracy of each run."""
        with torch.inference_mode():
            train_logits = self._logits(self._train_x)  # (K, N, 1) -> (K, N)
            test_logits = self._logits(self._test_x)
            return torch.stack(
                [
                    _bce(train_logits, self._train_y),
                    _bce(test_logits, self._test_y),
                    ((train_logits > 0).float() == self._train_y).float().mean(1),
                    ((test_logits > 0).float() == self._test_y).float().mean(1),
                ]
            )

    def state_dict(self, k: int) -> dict[str, torch.Tensor]:
        """Return run k's weights, unpadded, keyed as its build_network module names them."""
        sizes = [self._sizes[0], *self._widths[k], 1]
        state = {}
        for i in range(len(sizes) - 1):
            weight, bias = self.params[2 * i][k], self.params[2 * i + 1][k]
            state[f"{2 * i}.weight"] = weight[: sizes[i + 1], : sizes[i]].cpu().clone()
            state[f"{2 * i}.bias"] = bias[: sizes[i + 1]].cpu().clone()
        return state

    def _logits(self, x: torch.Tensor) -> torch.Tensor:
        """Each run's logits (K, N) on its points x (K, N, inputs)."""
        return stacked_forward(self.params, self._activations, x)[0][-1].squeeze(2)

    def _stack(self, tensors: list[torch.Tensor]) -> torch.Tensor:
        return torch.stack(tensors).to(self.device)

    def _initial_weights(self) -> list[torch.Tensor]:
        """Each run's build_network weights from its init stream, zero-padded and stacked."""
        params = [
            torch.zeros(len(self.specs), *shape)
            for fan_in, fan_out in itertools.pairwise(self._sizes)
            for shape in ((fan_out, fan_in), (fan_out,))
        ]
        for k, spec in enumerate(self.specs):
            net = build_network(spec.network, stream_generator(spec.seed, INIT_STREAM))
            for stacked, p in zip(params, net.parameters(), strict=True):
                stacked[k][tuple(slice(n) for n in p.shape)] = p.detach()
        return [p.to(self.device) for p in params]

    def _padding_masks(self) -> list[torch.Tensor] | None:
        """1 where a weight belongs to its run and 0 where it pads; None when nothing pads."""
        if all(widths == self._sizes[1:-1] for widths in self._widths):
            return None
        masks = [torch.zeros_like(p) for p in self.params]
        for k, widths in enumerate(self._widths):
            sizes = [self._sizes[0], *widths, 1]
            for i in range(len(sizes) - 1):
                masks[2 * i][k, : sizes[i + 1], : sizes[i]] = 1
                masks[2 * i + 1][k, : sizes[i + 1]] = 1
        return masks

    def _train_step(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return each run's minibatch loss (K,) before one optimizer step on its gradients."""
        logits = stacked_gradients(self.params, self._grads, self._activations, x, y)
        if self._masks is not None:
            torch._foreach_mul_(self._grads, self._masks)
        self._opt.step(self._grads)
        return _bce(logits.squeeze(2), y)


def train_many(
    specs: Sequence[RunSpec],
    steps: int,
    device: torch.device | None = None,
    history_every: int | None = None,
) -> list[SweepResult]:
    """Train every run for `steps` steps and return its results, in the order of `specs`.

    Runs that share a `batch_key` train together in one Sweep; the batches run one after
    another. With `history_every`, each result carries its full-set train and test losses
    after every `history_every` steps.
    """
    groups: dict[Hashable, list[int]] = {}
    for i, spec in enumerate(specs):
        groups.setdefault(batch_key(spec), []).append(i)
    by_index: dict[int, SweepResult] = {}
    for indices in groups.values():
        batch = [specs[i] for i in indices]
        by_index.update(
            zip(indices, _train_batch(batch, steps, device, history_every), strict=True)
        )
    return [by_index[i] for i in range(len(specs))]


def _train_batch(
    specs: list[RunSpec], steps: int, device: torch.device | None, history_every: int | None
) -> list[SweepResult]:
    """Train one Sweep for `steps` steps; one device sync per history point, not per step."""
    sweep = Sweep(specs, device)
    chunk = history_every or max(steps, 1)
    losses, history_steps, history = [torch.zeros(0, len(specs))], [], []
    while sweep.steps < steps:
        losses.append(sweep.step(min(chunk, steps - sweep.steps)).cpu())
        if history_every:
            history_steps.append(sweep.steps)
            history.append(sweep.evaluate()[:2].cpu())  # (2, K)
    bad = ~torch.isfinite(torch.cat(losses))  # (steps, K)
    diverged = torch.where(bad.any(0), bad.int().argmax(0) + 1, 0).tolist()
    curves = torch.stack(history, 2).tolist() if history else [[[]] * len(specs)] * 2
    final = sweep.evaluate().tolist()
    return [
        SweepResult(
            spec=spec,
            train_loss=final[0][k],
            test_loss=final[1][k],
            train_accuracy=final[2][k],
            test_accuracy=final[3][k],
            diverged_at=diverged[k] or None,
            history_steps=tuple(history_steps),
            history_train_loss=tuple(curves[0][k]),
            history_test_loss=tuple(curves[1][k]),
            state_dict=sweep.state_dict(k),
        )
        for k, spec in enumerate(specs)
    ]


def _bce(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of each run: logits and labels (K, N) -> (K,)."""
    return F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(1)


def _make_optimizer(params: list[torch.Tensor], training: TrainSpec) -> FusedOptimizer:
    """Return the fused optimizer Trainer would use, or torch.optim's where there is none or
    where Trainer trains through torch.optim too (weight decay: the fused kernels know none)."""
    fused = OPTIMIZERS[training.optimizer].fused
    if fused is None or training.weight_decay:
        return _TorchOptimizer(params, training)
    return fused(params, training)


class _TorchOptimizer:
    """A torch.optim optimizer from OPTIMIZERS, stepped with given gradients.

    Exact for a batch as long as the update is elementwise, as SGD and Adam are; one that
    mixes weights across a tensor (LBFGS, gradient-norm clipping) would couple the runs.
    """

    def __init__(self, params: list[torch.Tensor], training: TrainSpec) -> None:
        self._params = [nn.Parameter(p) for p in params]  # shares each tensor's storage
        self._opt = OPTIMIZERS[training.optimizer].build(self._params, training)
        self.param_groups: list[dict[str, Any]] = self._opt.param_groups

    def step(self, grads: list[torch.Tensor]) -> None:
        """Update the weights in place from `grads`."""
        for p, g in zip(self._params, grads, strict=True):
            p.grad = g
        self._opt.step()
