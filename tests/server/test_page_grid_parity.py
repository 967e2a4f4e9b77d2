"""The page's evaluator against the server's own grid: same weights, same planes.

For every activation the page evaluates, every head, BatchNorm (with running statistics) and
LayerNorm, every input feature and 1D data, the test builds a network with random weights,
packs its weights as a frame would (server/page_grid.py), runs frontend/src/lib/evaluate.ts
through node (bundled by the frontend's rolldown, Vite's bundler) and compares with
server/frames.py's float32 planes. An activation of the catalog must be either evaluated by
the page (and so tested here) or listed as server-only: a new activation fails this test
until it is one or the other.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from models.activations import ACTIVATIONS
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.trainer import Trainer
from server import limits
from server.frames import grid_planes
from server.page_grid import PAGE_ACTIVATIONS, PAGE_FEATURES, SERVER_ONLY_ACTIVATIONS, page_weights

ROOT = Path(__file__).resolve().parents[2]
BUNDLER = ROOT / "frontend" / "node_modules" / ".bin" / "rolldown"
RUNNER = Path(__file__).with_name("page_grid_parity.mjs")
SIDE = 48
TOLERANCE = 2e-5
"""Largest |page - server| allowed, relative to max(1, |server|): float32 rounding, a few ulps
after a handful of layers summed in another order."""


def _spec(hidden: tuple[LayerSpec, ...], **kw: object) -> RunSpec:
    data = kw.pop("data", DataSpec("circle"))
    loss = kw.pop("loss", "bce")
    outputs = kw.pop("outputs", 1)
    features = kw.pop("features", ("x1", "x2"))
    assert not kw
    network = NetworkSpec(hidden=hidden, outputs=outputs, features=features)  # type: ignore[arg-type]
    return RunSpec(network=network, data=data, training=TrainSpec(loss=loss))  # type: ignore[arg-type]


CASES: dict[str, RunSpec] = {
    **{
        f"act-{name}": _spec((LayerSpec(5, name), LayerSpec(4, name)))
        for name in sorted(PAGE_ACTIVATIONS)
    },
    "softmax-head": _spec(
        (LayerSpec(6, "tanh"),), data=DataSpec("blobs", classes=4), loss="cross_entropy", outputs=4
    ),
    "identity-head": _spec((LayerSpec(6, "gelu"),), data=DataSpec("plane"), loss="mse"),
    "batch-norm": _spec((LayerSpec(6, "relu", batch_norm=True, dropout=0.3), LayerSpec(3, "elu"))),
    "layer-norm": _spec((LayerSpec(6, "silu", layer_norm=True), LayerSpec(3, "sigmoid"))),
    "both-norms": _spec((LayerSpec(5, "tanh", batch_norm=True, layer_norm=True),)),
    "features": _spec((LayerSpec(5, "tanh"),), features=tuple(sorted(PAGE_FEATURES))),
    "linear-model": _spec(()),
    "line": _spec((LayerSpec(8, "tanh"),), data=DataSpec("sine"), loss="mse", features=("x1",)),
}


def _trainer(spec: RunSpec, seed: int) -> Trainer:
    """A trainer with large random weights (the activations' curved parts are reached) and
    random normalisation statistics."""
    trainer = Trainer(spec)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in trainer.net.modules():
            if isinstance(module, torch.nn.Linear):
                module.weight.copy_(torch.randn(module.weight.shape, generator=gen) * 1.5)
                module.bias.copy_(torch.randn(module.bias.shape, generator=gen))
            elif isinstance(module, torch.nn.BatchNorm1d | torch.nn.LayerNorm):
                module.weight.copy_(torch.randn(module.weight.shape, generator=gen))
                module.bias.copy_(torch.randn(module.bias.shape, generator=gen))
            if isinstance(module, torch.nn.BatchNorm1d):
                assert module.running_mean is not None and module.running_var is not None
                module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=gen))
                module.running_var.copy_(torch.rand(module.running_var.shape, generator=gen) + 0.2)
    return trainer


def _run_page(cases: list[dict[str, object]], tmp: Path) -> list[dict[str, object]]:
    """The page evaluator's grids for `cases`, through node."""
    if shutil.which("node") is None or not BUNDLER.exists():
        pytest.fail(
            "node and the frontend's rolldown are needed: make frontend/node_modules/.installed"
        )
    bundle = tmp / "parity.mjs"
    build = [
        str(BUNDLER),
        str(RUNNER),
        "--platform",
        "node",
        "--format",
        "esm",
        "--file",
        str(bundle),
    ]
    subprocess.run(build, check=True, capture_output=True)
    (tmp / "cases.json").write_text(json.dumps(cases))
    subprocess.run(
        ["node", str(bundle), str(tmp / "cases.json"), str(tmp / "out.json")], check=True
    )
    result: list[dict[str, object]] = json.loads((tmp / "out.json").read_text())
    return result


def test_every_activation_is_evaluated_by_the_page_or_marked_server_only() -> None:
    unlisted = set(ACTIVATIONS) - PAGE_ACTIVATIONS - SERVER_ONLY_ACTIVATIONS
    assert not unlisted, f"add to PAGE_ACTIVATIONS (and evaluate.ts) or SERVER_ONLY: {unlisted}"
    assert not PAGE_ACTIVATIONS & SERVER_ONLY_ACTIVATIONS


def test_the_page_evaluates_the_servers_grid_for_every_activation_head_and_norm(
    tmp_path: Path,
) -> None:
    trainers = {name: _trainer(spec, seed) for seed, (name, spec) in enumerate(CASES.items())}
    cases = []
    for trainer in trainers.values():
        weights = page_weights(trainer)
        assert weights is not None
        line = trainer.split.dims == 1
        wire = weights.model_dump()
        wire["data"] = base64.b64encode(weights.data).decode()
        cases.append(
            {"weights": wire, "box": trainer.split.box, "side": 256 if line else SIDE, "line": line}
        )
    results = _run_page(cases, tmp_path)
    worst = {}
    for (name, trainer), case, got in zip(trainers.items(), cases, results, strict=True):
        expected, kind = grid_planes(trainer, int(case["side"]))  # type: ignore[call-overload]
        assert got["kind"] == kind, name
        planes = np.stack([np.frombuffer(base64.b64decode(p), "<f4") for p in got["planes"]])  # type: ignore[attr-defined]
        planes = planes.reshape(expected.shape)
        if kind == "class":
            # A near-tie may pick the other class: then both must give it the same probability.
            same = planes[0] == expected[0]
            assert same.mean() > 0.99, name
            expected, planes = expected[1:], planes[1:]
        error = np.abs(planes - expected) / np.maximum(1.0, np.abs(expected))
        assert np.isfinite(planes).all() == np.isfinite(expected).all(), name
        worst[name] = float(error.max())
    bad = {name: err for name, err in worst.items() if not err <= TOLERANCE}
    assert not bad, f"page grid off the server's by more than {TOLERANCE}: {bad}"


def test_large_and_image_networks_keep_the_servers_grid() -> None:
    wide = limits.PAGE_GRID_MAX_PARAMETERS // 20
    big = Trainer(_spec((LayerSpec(wide, "relu"), LayerSpec(wide, "relu"))))
    assert page_weights(big) is None
    digits = Trainer(
        RunSpec(
            data=DataSpec("digits"),
            network=NetworkSpec(features=("pixels",), outputs=10),
            training=TrainSpec(loss="cross_entropy"),
        )
    )
    assert page_weights(digits) is None


def test_a_module_the_page_does_not_know_keeps_the_servers_grid() -> None:
    trainer = Trainer(_spec((LayerSpec(4, "leaky_relu"),)))
    assert page_weights(trainer) is not None
    trainer.net[1] = torch.nn.LeakyReLU(0.2)  # not the catalog's options: the page would be wrong
    assert page_weights(trainer) is None
    trainer.net[1] = torch.nn.Softsign()  # a module the page has never heard of
    assert page_weights(trainer) is None
