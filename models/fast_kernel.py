"""Plain SGD on small MLPs in C: models/fast_kernel.c, built once with the system's compiler.

At batch 10 on TF Playground's 2-8-8-1 net a NumPy step is ~25 µs, nearly all of it the fixed
cost of ~30 small NumPy calls; the arithmetic is ~2,000 multiply-adds. `KernelSGD.run` trains a
whole chunk of minibatches in one call to the C loop (a few µs a step). The library is built
on first use into a cache directory (`NNP_KERNEL_DIR`, else ~/.cache/nn-playground), named by
a hash of the source and the flags, so an edited source is rebuilt and never loaded stale; the
Docker image builds it at image build time. Without a C compiler, or with `NNP_FAST_KERNEL=0`,
`load()` returns None and FastMLP keeps its NumPy step. tests/models/test_fast_kernel.py holds
the kernel to the NumPy step and to torch.optim.SGD.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

SOURCE = Path(__file__).with_name("fast_kernel.c")
FLAGS = ("-O3", "-std=c99", "-shared", "-fPIC")
"""No -ffast-math (NaN and inf must pass as IEEE has them) and no -march=native (the image's
library runs on whatever CPU pulls the image)."""
KINDS = {"linear": 0, "tanh": 1, "relu": 2}
"""The activations the C loop knows, by FastMLP's names, as fast_kernel.c numbers them."""
MAX_LAYERS, MAX_WIDTH = 64, 4096
"""The most layers and units a layer fast_kernel.c takes (its arrays on the stack)."""

_log = logging.getLogger(__name__)
_float_p = ctypes.POINTER(ctypes.c_float)
_int_p = ctypes.POINTER(ctypes.c_int)


def kernel_dir() -> Path:
    """Where the built library lives: $NNP_KERNEL_DIR, else the user's cache directory."""
    explicit = os.environ.get("NNP_KERNEL_DIR")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "nn-playground"


def library_path() -> Path:
    """The library's file name: a hash of the source, the flags and the machine."""
    digest = hashlib.sha256(SOURCE.read_bytes())
    digest.update(" ".join((*FLAGS, platform.machine())).encode())
    return kernel_dir() / f"fast_kernel-{digest.hexdigest()[:16]}.so"


def build() -> Path | None:
    """Compile fast_kernel.c unless its library is there already; None where it cannot."""
    target = library_path()
    if target.exists():
        return target
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        _log.info("no C compiler: plain SGD keeps the NumPy step")
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Built under a temporary name and renamed: processes building at once never load
        # a half-written file.
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            built = Path(scratch) / target.name
            command = [compiler, *FLAGS, "-o", str(built), str(SOURCE), "-lm"]
            subprocess.run(command, check=True, capture_output=True, timeout=120)
            os.replace(built, target)
    except (OSError, subprocess.SubprocessError) as exc:
        _log.warning("could not build %s (%s): plain SGD keeps the NumPy step", SOURCE, exc)
        return None
    return target


@functools.cache
def load() -> ctypes.CDLL | None:
    """The built kernel (built now if need be), or None: disabled, no compiler, or a failure."""
    if os.environ.get("NNP_FAST_KERNEL", "1") == "0":
        return None
    path = build()
    if path is None:
        return None
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as exc:
        _log.warning("could not load %s (%s): plain SGD keeps the NumPy step", path, exc)
        return None
    lib.nnp_work_floats.argtypes = [ctypes.c_int, _int_p, ctypes.c_int]
    lib.nnp_work_floats.restype = ctypes.c_long
    lib.nnp_sgd_steps.argtypes = [
        ctypes.c_int,  # layers
        _int_p,  # sizes
        _int_p,  # kinds
        ctypes.c_void_p,  # weights: float *[layers]
        ctypes.c_void_p,  # biases
        ctypes.c_void_p,  # x
        ctypes.c_void_p,  # y
        ctypes.c_int,  # steps
        ctypes.c_int,  # batch
        ctypes.c_double,  # lr
        ctypes.c_void_p,  # logits
        ctypes.c_void_p,  # work
    ]
    lib.nnp_sgd_steps.restype = ctypes.c_int
    lib.nnp_tanh.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    lib.nnp_tanh.restype = None
    return lib


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
