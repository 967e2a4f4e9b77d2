"""The C loop for plain SGD (models/fast_kernel.c) against its oracles: float64's tanh,
autograd with torch.optim.SGD, and FastMLP's NumPy step; chunked steps against single steps."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from models import fast_build
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.fast_mlp import FastMLP, compile_mlp
from models.losses import binary_cross_entropy
from models.network import build_network
from models.optimizers import FusedSGD
from models.streams import Minibatches
from models.trainer import Trainer

needs_kernel = pytest.mark.skipif(
    fast_build.load() is None, reason="no C compiler here: the NumPy step is the one in use"
)
SPIRAL = RunSpec(  # TF Playground's spiral setting, as bench/spiral.py trains it
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec("spiral", points=500, train_fraction=0.5),
    training=TrainSpec("sgd", learning_rate=0.03, batch_size=10),
)


@pytest.fixture
def fresh_load() -> Iterator[None]:
    """Let a test load (or fail to load) the kernel afresh; the next test sees the usual one."""
    fast_build.load.cache_clear()
    yield
    fast_build.load.cache_clear()


def _compiled(net: torch.nn.Module) -> FastMLP:
    mlp = compile_mlp(net, binary_cross_entropy)
    assert mlp is not None
    return mlp


def _ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many float32s lie between a and b (elementwise)."""

    def ordered(v: np.ndarray) -> np.ndarray:
        bits = v.astype(np.float32).view(np.int32).astype(np.int64)
        return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)

    return np.abs(ordered(a) - ordered(b))


@needs_kernel
def test_the_kernels_tanh_is_within_one_float_ulp_of_float64s() -> None:
    lib = fast_build.load()
    assert lib is not None
    rng = np.random.default_rng(0)
    z = np.concatenate(
        [
            np.linspace(-12, 12, 400_001, dtype=np.float32),
            (3 * rng.standard_normal(200_000)).astype(np.float32),
            (10.0 ** rng.uniform(-40, 1.5, 200_000) * rng.choice([-1, 1], 200_000)),
            [0.0, -0.0, 2**-13, -(2**-13), 1e-45, 9.0, 9.02, 20.0, 21.0, 3e38, -3e38],
        ]
    ).astype(np.float32)
    special = np.array([np.inf, -np.inf, np.nan], np.float32)
    out, odd = np.empty_like(z), np.empty_like(special)
    lib.nnp_tanh(z.ctypes.data, out.ctypes.data, len(z))
    lib.nnp_tanh(special.ctypes.data, odd.ctypes.data, len(special))
    assert _ulps(out, np.tanh(z.astype(np.float64))).max() <= 1
    assert np.array_equal(np.signbit(out), np.signbit(z))  # -0 stays -0, as in torch
    assert odd[0] == 1 and odd[1] == -1 and np.isnan(odd[2])


@pytest.mark.parametrize("engine", ["kernel", "numpy"])
@pytest.mark.parametrize(
    ("hidden", "activation", "batch"),
    [
        ((8, 8), "tanh", 10),
        ((8, 8), "relu", 10),
        ((8, 8), "linear", 10),
        ((5, 16, 3), "tanh", 7),
        ((), "linear", 4),
        ((12,), "relu", 1),
    ],
)
def test_plain_sgd_follows_autograd_and_torch_sgd(
    engine: str, hidden: tuple[int, ...], activation: str, batch: int
) -> None:
    """Plain SGD through tanh/ReLU/linear runs in C (KernelSGD) or, without it, in NumPy
    (_NumpySGD), on the weights' memory; torch.optim.SGD on autograd's gradients, from a copy
    of the net, is the oracle."""
    spec = NetworkSpec(hidden=tuple(LayerSpec(units, activation) for units in hidden))
    ours = build_network(spec, torch.Generator().manual_seed(1))
    theirs = build_network(spec, torch.Generator().manual_seed(1))
    mlp = _compiled(ours)
    assert mlp._numpy is not None
    if engine == "numpy":
        mlp._kernel = None
    elif mlp._kernel is None:
        pytest.skip("no C compiler here: the NumPy step is the one in use")
    fused = FusedSGD(mlp.params, TrainSpec("sgd", learning_rate=0.1))
    reference = torch.optim.SGD(theirs.parameters(), lr=0.1, foreach=False)
    gen = torch.Generator().manual_seed(2)
    for chunk in range(20):
        if chunk == 10:  # a new learning rate mid-run is read at the next call
            fused.param_groups[0]["lr"] = reference.param_groups[0]["lr"] = 0.3
        x = 2 * torch.randn(5, batch, 2, generator=gen)  # 5 minibatches
        y = torch.randint(0, 2, (5, batch), generator=gen).float()
        if chunk % 2:  # in one call, as Trainer.step takes a chunk
            logits = mlp.train_steps(x, y, fused)
        else:  # one call a minibatch, as early stopping and the overfit check take them
            logits = torch.stack([mlp.train_step(a, b, fused) for a, b in zip(x, y, strict=True)])
        for i in range(5):
            out = theirs(x[i])
            reference.zero_grad()
            binary_cross_entropy(out, y[i]).backward()  # type: ignore[no-untyped-call]
            reference.step()
            assert torch.allclose(logits[i], out.detach(), rtol=1e-5, atol=1e-6)
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            assert torch.allclose(p, q, rtol=1e-5, atol=1e-6)


@needs_kernel
def test_a_spiral_run_on_the_kernel_follows_the_numpy_step() -> None:
    """5,000 steps of the spiral setting: same minibatches, same losses, weights within 1e-4
    (the two differ by float rounding only: tanh and the order of the sums)."""
    kernel, numpy = Trainer(SPIRAL), Trainer(SPIRAL)
    assert kernel.fast_mlp is not None and numpy.fast_mlp is not None
    assert kernel.fast_mlp._kernel is not None
    numpy.fast_mlp._kernel = None
    for _ in range(10):
        ours, theirs = kernel.step(500), numpy.step(500)
        assert ours.step == theirs.step
        assert ours.loss == pytest.approx(theirs.loss, abs=1e-5)
    for p, q in zip(kernel.net.parameters(), numpy.net.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-4, rtol=0)
    ours_eval, theirs_eval = kernel.evaluate(), numpy.evaluate()
    assert ours_eval.test_loss == pytest.approx(theirs_eval.test_loss, abs=1e-5)


@pytest.mark.parametrize("engine", ["kernel", "numpy"])
def test_any_chunking_gives_the_same_numbers_bit_for_bit(engine: str) -> None:
    """The worker sizes chunks by the clock; the numbers must not depend on it."""
    one, chunked = Trainer(SPIRAL), Trainer(SPIRAL)
    for trainer in (one, chunked):
        assert trainer.fast_mlp is not None
        if engine == "numpy":
            trainer.fast_mlp._kernel = None
    singles = [one.step(1).loss for _ in range(120)]
    losses = []
    for k in (1, 7, 24, 25, 26, 37):  # across epoch ends (25 minibatches an epoch)
        result = chunked.step(k)
        losses.append(result.loss)
        assert result.step == chunked.steps
    ends = [1, 8, 32, 57, 83, 120]
    assert losses == [singles[end - 1] for end in ends]
    for p, q in zip(one.net.parameters(), chunked.net.parameters(), strict=True):
        assert torch.equal(p, q)


@pytest.mark.parametrize(("points", "batch"), [(250, 10), (23, 5), (4, 4)])
def test_minibatches_take_is_next_called_k_times(points: int, batch: int) -> None:
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(points, 2, generator=gen), torch.randint(0, 2, (points,), generator=gen)
    taken, drawn = Minibatches(x, y, seed=3), Minibatches(x, y, seed=3)
    for k in (1, 3, 0, 17, 60, 2):
        xs, ys = taken.take(k, batch)
        assert xs.shape == (k, batch, 2) and ys.shape == (k, batch)
        for i in range(k):
            bx, by = drawn.next(batch)
            assert torch.equal(xs[i], bx) and torch.equal(ys[i], by)
        bx, by = drawn.next(batch)  # and a `next` between takes goes on from there
        assert all(map(torch.equal, taken.next(batch), (bx, by)))


def test_a_diverging_run_reports_its_step_on_the_kernel() -> None:
    trainer = Trainer(SPIRAL)
    trainer.step(3)
    with torch.no_grad():
        next(trainer.net.parameters())[0, 0] = float("nan")
    assert trainer.step(5).diverged_at == 4


def test_without_a_compiler_plain_sgd_keeps_the_numpy_step(
    fresh_load: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NNP_KERNEL_DIR", str(tmp_path))
    monkeypatch.setenv("CC", "no-such-compiler")
    assert fast_build.build() is None and fast_build.load() is None
    fallback, numpy = Trainer(SPIRAL), Trainer(SPIRAL)
    assert fallback.fast_mlp is not None and numpy.fast_mlp is not None
    assert fallback.fast_mlp._kernel is None and fallback.fast_mlp._numpy is not None
    numpy.fast_mlp._kernel = None  # built before: the kernel of the other tests, if any
    assert fallback.step(60).loss == numpy.step(60).loss  # the same NumPy steps


def test_the_kernel_can_be_switched_off(fresh_load: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNP_FAST_KERNEL", "0")
    assert fast_build.load() is None


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_the_library_is_built_once_under_a_name_that_follows_the_source(
    fresh_load: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NNP_KERNEL_DIR", str(tmp_path))
    built = fast_build.build()
    assert built is not None and built.parent == tmp_path and built.exists()
    assert fast_build.build() == built  # the second call finds it
    assert [p.name for p in tmp_path.iterdir()] == [built.name]  # no scratch left behind
    assert fast_build.load() is not None
