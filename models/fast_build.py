"""Build and load models/fast_kernel.c (plain SGD in C), with the standard library only.

The library is built on first use into a cache directory (`NNP_KERNEL_DIR`, else
~/.cache/nn-playground) under a name hashed from the source, the flags and the machine, so an
edited source is rebuilt and never loaded stale, and processes building at once never see a
half-written file. The Docker image builds it in a stage that has a compiler
(`python -m models.fast_build`, which fails loudly) and points `NNP_KERNEL_DIR` at it. Without
a C compiler, or with `NNP_FAST_KERNEL=0`, `load()` returns None and plain SGD takes the NumPy
step (models/fast_mlp.py).
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
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("fast_kernel.c")
FLAGS = ("-O3", "-std=c99", "-shared", "-fPIC")
"""No -ffast-math (NaN and inf must pass as IEEE has them) and no -march=native (the image's
library runs on whatever CPU pulls the image)."""

_log = logging.getLogger(__name__)
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


if __name__ == "__main__":  # the Docker image's build stage
    built = build()
    print(built or "fast_kernel.c did not build", file=sys.stderr)
    sys.exit(0 if built is not None and load() is not None else 1)
