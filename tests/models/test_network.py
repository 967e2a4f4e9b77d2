import math
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from models.activations import ACTIVATIONS, PIECEWISE_LINEAR, activation_of
from models.analysis.regions import PIECEWISE_LINEAR_SLOPES
from models.config import LayerSpec, NetworkSpec
from models.features import FeatureMap
from models.inits import INITS
from models.network import build_network, reinitialize

# Each activation by torch's functional API or its closed form, written independently.
REFERENCE: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": F.relu,
    "leaky_relu": lambda x: torch.where(x > 0, x, 0.01 * x),
    "elu": lambda x: torch.where(x > 0, x, torch.exp(x) - 1),
    "gelu": lambda x: x * 0.5 * (1 + torch.erf(x / math.sqrt(2))),
    "hardtanh": lambda x: x.clamp(-1, 1),
    "tanh": lambda x: (torch.exp(2 * x) - 1) / (torch.exp(2 * x) + 1),
    "sigmoid": lambda x: 1 / (1 + torch.exp(-x)),
    "softplus": lambda x: torch.log(1 + torch.exp(x)),
    "silu": lambda x: x / (1 + torch.exp(-x)),
    "mish": lambda x: x * torch.tanh(torch.log(1 + torch.exp(x))),
    "sin": torch.sin,
    "linear": lambda x: x,
}

WIDE = (400, 300)  # fan_in, fan_out: 120,000 weights, so sample statistics sit within ~1%


def test_shapes_follow_the_spec() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "relu"), LayerSpec(3, "sigmoid")))
    net = build_network(spec, torch.Generator().manual_seed(0))
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(2, 8), (8, 3), (3, 1)]
    assert isinstance(net[1], nn.ReLU) and isinstance(net[3], nn.Sigmoid)
    assert net(torch.zeros(5, 2)).shape == (5, 1)


def test_no_hidden_layers_is_a_linear_model() -> None:
    net = build_network(NetworkSpec(hidden=()), torch.Generator())
    assert len(net) == 1 and isinstance(net[0], nn.Linear)


def test_every_record_is_complete_under_its_own_name() -> None:
    assert set(ACTIVATIONS) == set(REFERENCE)  # every activation has an oracle below
    assert set(PIECEWISE_LINEAR) == set(PIECEWISE_LINEAR_SLOPES)
    for name, record in [*ACTIVATIONS.items(), *INITS.items()]:
        assert record.name == name
        assert record.description.endswith(".")
    assert all(record.code for record in ACTIVATIONS.values())


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_a_piecewise_linear_record_computes_its_pieces(name: str) -> None:
    record = ACTIVATIONS[name]
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    if record.pieces is None:  # smooth: it bends all along, not at a few kinks
        y = record.build()(x)
        bends = (y[:-2] + y[2:] - 2 * y[1:-1]).abs() > 1e-9
        assert bends.sum() > 100
        return
    piece = (x[:, None] > torch.tensor(record.pieces.kinks, dtype=torch.float64)).sum(1)
    slopes = torch.tensor(record.pieces.slopes, dtype=torch.float64)[piece]
    intercepts = torch.tensor(record.pieces.intercepts, dtype=torch.float64)[piece]
    assert torch.allclose(record.build()(x), slopes * x + intercepts)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_a_fast_record_gives_the_modules_forward_and_autograds_backward(name: str) -> None:
    module = ACTIVATIONS[name].build()
    pointwise = activation_of(module)
    if pointwise is None:
        assert ACTIVATIONS[name].fast is None
        return
    z = torch.linspace(-4, 4, 81, dtype=torch.float64, requires_grad=True)
    a = module(z)
    d = torch.randn(81, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    (expected,) = torch.autograd.grad(a, z, d)
    assert torch.allclose(pointwise.forward(z.detach()), a.detach())
    assert torch.allclose(pointwise.backward(d, z.detach(), a.detach()), expected)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_each_activation_computes_its_formula(name: str) -> None:
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    assert torch.allclose(ACTIVATIONS[name].build()(x), REFERENCE[name](x), atol=1e-12)


def test_activations_match_torch_modules_where_torch_has_one() -> None:
    x = torch.randn(1000, generator=torch.Generator().manual_seed(0)) * 4
    torch_modules = {
        "elu": nn.ELU(alpha=1.0),
        "gelu": nn.GELU(),
        "softplus": nn.Softplus(beta=1),
        "silu": nn.SiLU(),
        "mish": nn.Mish(),
    }
    for name, module in torch_modules.items():
        assert torch.equal(ACTIVATIONS[name].build()(x), module(x))


def test_every_activation_builds_and_runs() -> None:
    for name in ACTIVATIONS:
        net = build_network(NetworkSpec(hidden=(LayerSpec(4, name),)), torch.Generator())
        assert torch.isfinite(net(torch.randn(3, 2))).all()


def test_module_order_per_hidden_layer() -> None:
    spec = NetworkSpec(
        hidden=(
            LayerSpec(5, "relu", batch_norm=True, layer_norm=True, dropout=0.5),
            LayerSpec(3, "tanh", layer_norm=True),
            LayerSpec(4, "elu", batch_norm=True, dropout=0.1),
        ),
        outputs=3,
    )
    net = build_network(spec, torch.Generator().manual_seed(0))
    kinds = [type(m) for m in net]
    assert kinds == [
        *(nn.Linear, nn.BatchNorm1d, nn.LayerNorm, nn.ReLU, nn.Dropout),
        *(nn.Linear, nn.LayerNorm, nn.Tanh),
        *(nn.Linear, nn.BatchNorm1d, nn.ELU, nn.Dropout),
        nn.Linear,
    ]
    dropouts = [m for m in net if isinstance(m, nn.Dropout)]
    assert [d.p for d in dropouts] == [0.5, 0.1]
    assert net(torch.randn(7, 2)).shape == (7, 3)


def test_a_feature_map_comes_first_unless_the_features_are_the_raw_point() -> None:
    gen = torch.Generator().manual_seed(0)
    plain = build_network(NetworkSpec(), gen)
    assert not any(isinstance(m, FeatureMap) for m in plain)
    spec = NetworkSpec(features=("x1", "x2", "x1_squared", "sin_x2"))
    net = build_network(spec, gen)
    assert isinstance(net[0], FeatureMap) and net[0].names == spec.features
    first = net[1]
    assert isinstance(first, nn.Linear) and first.in_features == 4
    one_d = build_network(NetworkSpec(features=("x1",)), gen)
    assert one_d(torch.rand(6, 1)).shape == (6, 1)


def test_dropout_is_off_in_eval_mode_and_drops_in_train_mode() -> None:
    hidden = 2000
    with_dropout = NetworkSpec(hidden=(LayerSpec(hidden, "relu", dropout=0.5),))
    without = NetworkSpec(hidden=(LayerSpec(hidden, "relu"),))
    net = build_network(with_dropout, torch.Generator().manual_seed(1))
    plain = build_network(without, torch.Generator().manual_seed(1))
    x = torch.randn(4, 2, generator=torch.Generator().manual_seed(2))
    net.eval()
    assert torch.equal(net(x), plain(x))  # the same weights: Dropout draws none at build time
    net.train()
    with torch.random.fork_rng(devices=[]):  # nn.Dropout's masks come from the global generator
        torch.manual_seed(0)
        h = net[1](net[0](x))  # after the ReLU, before the dropout
        dropped = net[2](h)
        assert not torch.equal(net(x), plain(x))
    kept = dropped != 0
    assert torch.allclose(dropped[kept], 2 * h[kept])  # survivors scaled by 1/(1 - p)
    live = h != 0
    assert 0.45 < (~kept[live]).float().mean().item() < 0.55


def test_batch_norm_normalises_the_batch_in_train_mode() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(6, "relu", batch_norm=True),))
    net = build_network(spec, torch.Generator().manual_seed(0))
    x = torch.randn(64, 2, generator=torch.Generator().manual_seed(1)) * 3 + 1
    net.train()
    z = net[1](net[0](x))
    expected = F.batch_norm(net[0](x), None, None, training=True)
    assert torch.allclose(z, expected, atol=1e-6)
    assert torch.allclose(z.mean(0), torch.zeros(6), atol=1e-5)


def _wide(init: str, seed: int = 0) -> nn.Linear:
    layer = nn.Linear(*WIDE)
    reinitialize(layer, torch.Generator().manual_seed(seed), init)
    return layer


@pytest.mark.parametrize(
    ("init", "std"),
    [
        ("default", 1 / math.sqrt(WIDE[0]) / math.sqrt(3)),  # uniform in ±1/√fan_in
        ("xavier_uniform", math.sqrt(2 / sum(WIDE))),
        ("xavier_normal", math.sqrt(2 / sum(WIDE))),
        ("he", math.sqrt(2 / WIDE[0])),
        ("large_normal", 3.0),
    ],
)
def test_each_init_has_its_weight_statistics(init: str, std: float) -> None:
    layer = _wide(init)
    w = layer.weight.detach()
    assert w.shape == (WIDE[1], WIDE[0])
    assert abs(w.mean().item()) < 0.02 * std
    assert w.std().item() == pytest.approx(std, rel=0.02)
    if init == "xavier_uniform":
        assert w.abs().max().item() <= math.sqrt(6 / sum(WIDE))
    if init == "default":
        assert w.abs().max().item() <= 1 / math.sqrt(WIDE[0])
        assert 0 < layer.bias.abs().max().item() <= 1 / math.sqrt(WIDE[0])
    else:
        assert torch.equal(layer.bias, torch.zeros(WIDE[1]))


def test_zeros_init_makes_every_weight_and_bias_zero() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(5, "relu"), LayerSpec(3, "tanh")), init="zeros")
    net = build_network(spec, torch.Generator().manual_seed(0))
    assert all(torch.equal(p, torch.zeros_like(p)) for p in net.parameters())


@pytest.mark.parametrize("init", sorted(INITS))
def test_the_same_seed_gives_the_same_weights_and_the_global_rng_is_untouched(init: str) -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "relu", batch_norm=True), LayerSpec(4)), init=init)
    before = torch.get_rng_state()
    a = build_network(spec, torch.Generator().manual_seed(3))
    torch.manual_seed(999)
    state = torch.get_rng_state()
    b = build_network(spec, torch.Generator().manual_seed(3))
    reinitialize(b, torch.Generator().manual_seed(4), init)
    assert torch.equal(torch.get_rng_state(), state)
    reinitialize(b, torch.Generator().manual_seed(3), init)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    if init != "zeros":
        c = build_network(spec, torch.Generator().manual_seed(4))
        assert not torch.equal(next(a.parameters()), next(c.parameters()))
    torch.set_rng_state(before)


def test_reinitialize_resets_the_norm_layers() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(4, "relu", batch_norm=True, layer_norm=True),))
    net = build_network(spec, torch.Generator().manual_seed(0))
    net.train()
    net(torch.randn(32, 2) * 5 + 3)  # moves the running statistics
    norms = [m for m in net if isinstance(m, nn.BatchNorm1d | nn.LayerNorm)]
    with torch.no_grad():
        for m in norms:
            m.weight.fill_(7.0)
            m.bias.fill_(-2.0)
    reinitialize(net, torch.Generator().manual_seed(1), "he")
    for m in norms:
        assert torch.equal(m.weight, torch.ones(4)) and torch.equal(m.bias, torch.zeros(4))
    bn = norms[0]
    assert isinstance(bn, nn.BatchNorm1d)
    assert bn.running_mean is not None and bn.running_var is not None
    assert torch.equal(bn.running_mean, torch.zeros(4))
    assert torch.equal(bn.running_var, torch.ones(4))
    assert bn.num_batches_tracked is not None and int(bn.num_batches_tracked) == 0


def test_default_init_is_torchs_distribution() -> None:
    # torch's own nn.Linear draws U(±1/√fan_in) for weight and bias: compare the ranges
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        torch_layer = nn.Linear(*WIDE)
    ours = _wide("default")
    for theirs, mine in [(torch_layer.weight, ours.weight), (torch_layer.bias, ours.bias)]:
        assert mine.abs().max().item() == pytest.approx(theirs.abs().max().item(), rel=0.01)
        assert mine.std().item() == pytest.approx(theirs.std().item(), rel=0.1)


def test_an_unknown_init_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        reinitialize(nn.Linear(2, 2), torch.Generator(), "glorot")
