"""Plain SGD on small MLPs in C: one call trains a whole chunk of minibatches.

At batch 10 on TF Playground's 2-8-8-1 net a NumPy step is ~25 µs, nearly all of it the fixed
cost of ~30 small NumPy calls; the arithmetic is ~2,000 multiply-adds and 160 tanh.
`KernelSGD.run` hands k minibatches to models/fast_kernel.c's loop (~2.5 µs a step), built and
loaded by models/fast_build.py; where it cannot be, `KernelSGD.of` gives None and FastMLP
keeps its NumPy step. tests/models/test_fast_mlp_kernel.py holds the kernel to float64's tanh,
to autograd with torch.optim.SGD and to the NumPy step.
"""

from __future__ import annotations

import ctypes

import numpy as np
from numpy.typing import NDArray

from models.fast_build import load

KINDS = {"linear": 0, "tanh": 1, "relu": 2}
"""The activations the C loop knows, by FastMLP's names, as fast_kernel.c numbers them."""
MAX_LAYERS, MAX_WIDTH = 64, 4096
"""The most layers and units a layer fast_kernel.c takes (its arrays on the stack)."""


class KernelSGD:
    """The C loop bound to one network's weights (float32, C-contiguous, updated in place)."""

    def __init__(
        self,
        lib: ctypes.CDLL,
        weights: list[NDArray[np.float32]],
        biases: list[NDArray[np.float32]],
        kinds: list[str],
    ) -> None:
        self._lib = lib
        self._arrays = weights, biases  # kept alive: the pointers below are into them
        layers = len(weights)
        self._layers = layers
        self._sizes = (ctypes.c_int * (layers + 1))(weights[0].shape[1], *(len(b) for b in biases))
        self._kinds = (ctypes.c_int * layers)(*(KINDS[k] for k in kinds))
        self._weights = (ctypes.c_void_p * layers)(*(w.ctypes.data for w in weights))
        self._biases = (ctypes.c_void_p * layers)(*(b.ctypes.data for b in biases))
        self._work = np.empty(0, np.float32)
        self._work_batch = -1

    @staticmethod
    def of(
        weights: list[NDArray[np.float32]],
        biases: list[NDArray[np.float32]],
        kinds: list[str],
    ) -> KernelSGD | None:
        """The C loop for these arrays, or None where the kernel is unavailable or unfit."""
        lib = load()
        fits = (
            len(weights) <= MAX_LAYERS
            and max(max(w.shape) for w in weights) <= MAX_WIDTH
            and len(biases[-1]) == 1
            and all(
                a.dtype == np.float32 and a.flags.c_contiguous and a.flags.writeable
                for a in (*weights, *biases)
            )
        )
        return KernelSGD(lib, weights, biases, kinds) if lib is not None and fits else None

    def run(self, x: NDArray[np.float32], y: NDArray[np.float32], lr: float) -> NDArray[np.float32]:
        """Train on k minibatches x (k, B, inputs), y (k, B) in order; return the logits
        (k, B, 1), each before its own step's update."""
        steps, batch = y.shape
        x, y = np.ascontiguousarray(x, np.float32), np.ascontiguousarray(y, np.float32)
        if batch != self._work_batch:
            floats = self._lib.nnp_work_floats(self._layers, self._sizes, batch)
            self._work, self._work_batch = np.empty(floats, np.float32), batch
        logits = np.empty((steps, batch, 1), np.float32)
        failed = self._lib.nnp_sgd_steps(
            self._layers,
            self._sizes,
            self._kinds,
            self._weights,
            self._biases,
            x.ctypes.data,
            y.ctypes.data,
            steps,
            batch,
            lr,
            logits.ctypes.data,
            self._work.ctypes.data,
        )
        if failed:  # `of` checked the shapes: this is a bug
            raise RuntimeError("fast_kernel.c refused the network's shapes")
        return logits
