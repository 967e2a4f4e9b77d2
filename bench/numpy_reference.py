"""The bench's reference: 2-8-8-1 tanh MLP trained with Adam, forward and backward by hand."""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


class NumpyMLP:
    """Plain NumPy training of the benchmark network; the yardstick for the torch engine."""

    def __init__(self, sizes: list[int], lr: float, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.params: list[F32] = []
        for fan_in, fan_out in itertools.pairwise(sizes):
            bound = 1 / np.sqrt(fan_in)
            self.params.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32))
            self.params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.lr, self.t = lr, 0

    def step(self, x: F32, y: F32) -> float:
        """One Adam step on a minibatch; returns the BCE-with-logits loss."""
        acts = [x]
        n_layers = len(self.params) // 2
        for i in range(n_layers):
            z = acts[-1] @ self.params[2 * i] + self.params[2 * i + 1]
            acts.append(np.tanh(z) if i < n_layers - 1 else z)
        logits = acts[-1][:, 0]
        loss = float(
            np.mean(np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits))))
        )
        delta = ((1 / (1 + np.exp(-logits)) - y) / len(y))[:, None].astype(np.float32)
        grads: list[F32] = [np.empty(0, np.float32)] * len(self.params)
        for i in reversed(range(n_layers)):
            grads[2 * i] = acts[i].T @ delta
            grads[2 * i + 1] = delta.sum(0)
            if i:
                delta = (delta @ self.params[2 * i].T) * (1 - acts[i] ** 2)
        self._adam(grads)
        return loss

    def _adam(
        self, grads: list[F32], b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.t += 1
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + eps)
