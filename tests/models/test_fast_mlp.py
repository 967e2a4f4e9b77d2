import pytest
import torch
from torch import nn

from models.activations import ACTIVATIONS
from models.config import LayerSpec, NetworkSpec, TrainSpec
from models.fast_mlp import FastMLP, compile_mlp
from models.losses import binary_cross_entropy
from models.network import build_network
from models.optimizers import FusedAdam, FusedSGD


def _double_net(activation: str, seed: int) -> nn.Sequential:
    spec = NetworkSpec(hidden=(LayerSpec(5, activation), LayerSpec(3, activation)))
    return build_network(spec, torch.Generator().manual_seed(seed)).double()


def _batch(seed: int, size: int = 7) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    x = 3 * torch.randn(size, 2, generator=gen, dtype=torch.float64)  # wide: units saturate
    y = torch.randint(0, 2, (size,), generator=gen).double()
    return x, y


def _compiled(net: nn.Module) -> FastMLP:
    mlp = compile_mlp(net, binary_cross_entropy)
    assert mlp is not None
    return mlp


def _assert_grads_match_autograd(net: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> None:
    mlp = _compiled(net)
    loss = binary_cross_entropy(net(x), y)
    expected = torch.autograd.grad(loss, list(net.parameters()))
    assert torch.allclose(mlp.gradients(x, y), loss.detach(), rtol=1e-12, atol=0)
    for got, want in zip(mlp.grads, expected, strict=True):
        assert torch.allclose(got, want, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hand_gradients_equal_autograd(activation: str, seed: int) -> None:
    _assert_grads_match_autograd(_double_net(activation, seed), *_batch(seed))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_hand_gradients_equal_autograd_at_the_kinks(activation: str) -> None:
    net = _double_net(activation, 0)
    with torch.no_grad():  # pre-activations of exactly 0 and ±1, where relu and hardtanh bend
        net[0].weight.zero_()
        net[0].bias.copy_(torch.tensor([0.0, 1.0, -1.0, 0.5, -2.0]))
    _assert_grads_match_autograd(net, *_batch(0))


@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_softplus_gradients_equal_autograd_where_torch_turns_it_linear(beta: float) -> None:
    net = nn.Sequential(nn.Linear(2, 5), nn.Softplus(beta=beta), nn.Linear(5, 1)).double()
    with torch.no_grad():  # beta·z on both sides of and exactly at the threshold 20
        net[0].weight.zero_()
        net[0].bias.copy_(torch.tensor([19.0, 20.0, 21.0, -30.0, 0.0]) / beta)
    _assert_grads_match_autograd(net, *_batch(0))


def test_a_net_without_hidden_layers_is_supported() -> None:
    net = build_network(NetworkSpec(hidden=()), torch.Generator().manual_seed(0)).double()
    _assert_grads_match_autograd(net, *_batch(0))


def test_gradients_leave_the_weights_and_their_grad_alone() -> None:
    net = _double_net("tanh", 0)
    before = [p.clone() for p in net.parameters()]
    _compiled(net).gradients(*_batch(0))
    assert all(torch.equal(p, q) for p, q in zip(before, net.parameters(), strict=True))
    assert all(p.grad is None for p in net.parameters())


@pytest.mark.parametrize(
    "net",
    [
        nn.Sequential(
            nn.Linear(2, 4), nn.SELU(), nn.Linear(4, 1)
        ),  # an activation it does not know
        nn.Sequential(nn.Linear(2, 4), nn.GELU(approximate="tanh"), nn.Linear(4, 1)),
        nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 1)),
        nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Dropout(0.5), nn.Linear(4, 1)),
        nn.Sequential(nn.Linear(2, 4), nn.Tanh()),  # no logit layer at the end
        nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2)),  # two logits
        nn.Sequential(nn.Linear(2, 1, bias=False)),
        nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Tanh(), nn.Linear(4, 1)),
        nn.Linear(2, 1),  # not a Sequential
    ],
)
def test_unsupported_networks_get_no_fast_path(net: nn.Module) -> None:
    assert compile_mlp(net, binary_cross_entropy) is None


def test_another_loss_gets_no_fast_path() -> None:
    net = _double_net("tanh", 0)
    assert compile_mlp(net, lambda logits, y: (logits.reshape(-1) - y).square().mean()) is None


def test_a_subclass_of_a_known_activation_gets_no_fast_path() -> None:
    class ShiftedTanh(nn.Tanh):
        def forward(self, z: torch.Tensor) -> torch.Tensor:
            return torch.tanh(z) + 1

    net = nn.Sequential(nn.Linear(2, 4), ShiftedTanh(), nn.Linear(4, 1))
    assert compile_mlp(net, binary_cross_entropy) is None


def _random_grads(params: list[torch.Tensor], gen: torch.Generator) -> list[torch.Tensor]:
    return [torch.randn(p.shape, generator=gen) for p in params]


@pytest.mark.parametrize(
    ("fused_kind", "torch_kind"), [(FusedSGD, torch.optim.SGD), (FusedAdam, torch.optim.Adam)]
)
def test_fused_optimizers_follow_torch_optim_step_by_step(
    fused_kind: type[FusedSGD | FusedAdam], torch_kind: type[torch.optim.Optimizer]
) -> None:
    gen = torch.Generator().manual_seed(0)
    ours = [torch.randn(4, 3, generator=gen), torch.randn(4, generator=gen)]
    theirs = [nn.Parameter(p.clone()) for p in ours]
    fused = fused_kind(ours, TrainSpec(learning_rate=0.05))
    # foreach=False: torch's plain per-tensor loop, written apart from the fused kernels
    reference = torch_kind(theirs, lr=0.05, foreach=False)
    for step in range(30):
        if step == 15:  # a new learning rate mid-run keeps the state
            fused.param_groups[0]["lr"] = reference.param_groups[0]["lr"] = 0.2
        grads = _random_grads(ours, gen)
        with torch.no_grad():
            fused.step(grads)
        for p, g in zip(theirs, grads, strict=True):
            p.grad = g.clone()
        reference.step()
        for p, q in zip(ours, theirs, strict=True):
            assert torch.allclose(p, q, rtol=1e-6, atol=1e-6)


def test_fused_adam_keeps_torch_optims_state() -> None:
    gen = torch.Generator().manual_seed(1)
    ours = [torch.randn(3, 2, generator=gen)]
    theirs = [nn.Parameter(ours[0].clone())]
    fused, reference = FusedAdam(ours, TrainSpec()), torch.optim.Adam(theirs, lr=0.01)
    for _ in range(5):
        (grad,) = _random_grads(ours, gen)
        with torch.no_grad():
            fused.step([grad])
        theirs[0].grad = grad.clone()
        reference.step()
    state = reference.state[theirs[0]]
    assert float(fused.state_steps[0]) == float(state["step"]) == 5
    assert torch.allclose(fused.exp_avg[0], state["exp_avg"], rtol=1e-6, atol=1e-7)
    assert torch.allclose(fused.exp_avg_sq[0], state["exp_avg_sq"], rtol=1e-6, atol=1e-7)


def test_numpy_sgd_is_only_for_the_activations_it_knows() -> None:
    spec = NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "sigmoid")))
    assert _compiled(build_network(spec, torch.Generator().manual_seed(0)))._numpy is None
    assert _compiled(_double_net("tanh", 0))._numpy is None  # float64: torch's kernels
