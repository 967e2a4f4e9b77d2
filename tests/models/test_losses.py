import pytest
import torch
import torch.nn.functional as F

from models.losses import (
    LOSSES,
    accuracy,
    binary_accuracy,
    binary_cross_entropy,
    predictions,
)

GEN = torch.Generator().manual_seed(0)


def batch(loss: str, b: int = 8, k: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """Return float64 outputs (b, out) and targets (b,) that suit `loss`."""
    if loss.startswith("cross_entropy"):
        return torch.randn(b, k, generator=GEN, dtype=torch.float64) * 2, torch.randint(
            0, k, (b,), generator=GEN
        ).double()
    outputs = torch.randn(b, 1, generator=GEN, dtype=torch.float64) * 2
    if loss == "mse":
        return outputs, torch.randn(b, generator=GEN, dtype=torch.float64)
    return outputs, torch.randint(0, 2, (b,), generator=GEN).double()


def test_the_registry_has_every_loss_with_a_sentence() -> None:
    assert LOSSES["bce"].fn is binary_cross_entropy  # FastMLP recognises bce by identity
    for name, record in LOSSES.items():
        assert record.name == name and record.description.endswith(".")
        if record.twin is not None:  # twins come in pairs, one stable, one naive, same head
            twin = LOSSES[record.twin]
            assert twin.twin == name and twin.naive != record.naive and twin.head == record.head


def test_bce_matches_the_definition_in_float64() -> None:
    logits = torch.tensor([-3.0, -0.5, 0.0, 0.7, 4.0], dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    p = torch.sigmoid(logits)
    by_hand = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    assert torch.allclose(binary_cross_entropy(logits.unsqueeze(1), y), by_hand)
    assert torch.allclose(binary_cross_entropy(logits, y), F.binary_cross_entropy(p, y))


@pytest.mark.parametrize("loss", ["bce", "bce_naive"])
def test_both_bces_match_torch_on_moderate_logits(loss: str) -> None:
    logits, y = batch(loss)
    expected = F.binary_cross_entropy_with_logits(logits[:, 0], y)
    assert torch.allclose(LOSSES[loss].fn(logits, y), expected)


@pytest.mark.parametrize("loss", ["cross_entropy", "cross_entropy_naive"])
def test_both_cross_entropies_match_torch_and_the_closed_form(loss: str) -> None:
    logits, y = batch(loss)
    expected = F.cross_entropy(logits, y.long())
    assert torch.allclose(LOSSES[loss].fn(logits, y), expected)
    # -log softmax(z)[y] = logsumexp(z) - z[y], spelled out
    rows = torch.arange(len(y))
    by_hand = (torch.log(torch.exp(logits).sum(1)) - logits[rows, y.long()]).mean()
    assert torch.allclose(LOSSES[loss].fn(logits, y), by_hand)


def test_two_class_cross_entropy_equals_bce_on_the_logit_difference() -> None:
    logits, y = batch("cross_entropy", k=2)
    difference = (logits[:, 1] - logits[:, 0]).unsqueeze(1)
    assert torch.allclose(LOSSES["cross_entropy"].fn(logits, y), LOSSES["bce"].fn(difference, y))


def test_mse_is_the_mean_squared_difference() -> None:
    outputs = torch.tensor([[1.0], [2.0], [-1.0]])
    y = torch.tensor([0.0, 4.0, -1.0])
    assert LOSSES["mse"].fn(outputs, y).item() == pytest.approx((1 + 4 + 0) / 3)
    outputs, y = batch("mse")
    assert torch.allclose(LOSSES["mse"].fn(outputs, y), F.mse_loss(outputs[:, 0], y))


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_vmap_over_a_stack_of_batches_equals_a_python_loop(loss: str) -> None:
    pairs = [batch(loss) for _ in range(5)]
    outputs = torch.stack([o for o, _ in pairs])  # (k, B, out)
    targets = torch.stack([t for _, t in pairs])  # (k, B)
    vmapped = torch.vmap(LOSSES[loss].fn)(outputs, targets)
    looped = torch.stack([LOSSES[loss].fn(o, t) for o, t in pairs])
    assert vmapped.shape == (5,)
    assert torch.allclose(vmapped, looped)


def test_bce_at_huge_logits_fused_stays_finite_naive_does_not() -> None:
    logits = torch.tensor([[1000.0], [-1000.0]])
    wrong = torch.tensor([0.0, 1.0])  # confidently wrong: the loss is 1000, large but finite
    right = torch.tensor([1.0, 0.0])  # confidently right: the loss is 0
    assert LOSSES["bce"].fn(logits, wrong).item() == pytest.approx(1000.0)
    assert LOSSES["bce"].fn(logits, right).item() == 0.0
    assert torch.isinf(LOSSES["bce_naive"].fn(logits, wrong))  # log(0)
    assert torch.isnan(LOSSES["bce_naive"].fn(logits, right))  # 0·log(0)


def test_cross_entropy_at_huge_logits_fused_stays_finite_naive_does_not() -> None:
    logits = torch.tensor([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    wrong = torch.tensor([1.0, 0.0])
    right = torch.tensor([0.0, 1.0])
    assert LOSSES["cross_entropy"].fn(logits, wrong).item() == pytest.approx(2000.0)
    assert LOSSES["cross_entropy"].fn(logits, right).item() == 0.0
    assert torch.isinf(LOSSES["cross_entropy_naive"].fn(logits, wrong))
    assert LOSSES["cross_entropy_naive"].fn(logits, right).item() == 0.0


def test_accuracy_counts_the_sign_of_the_logit() -> None:
    logits = torch.tensor([[2.0], [-1.0], [0.5], [-0.1]])
    y = torch.tensor([1.0, 0.0, 0.0, 0.0])
    assert binary_accuracy(logits, y).item() == 0.75
    for loss in ("bce", "bce_naive"):
        result = accuracy(logits, y, loss)
        assert result is not None and result.item() == 0.75


def test_class_accuracy_counts_the_largest_logit() -> None:
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 5.0], [1.0, 0.0, 2.0]])
    y = torch.tensor([0.0, 1.0, 1.0, 0.0])
    for loss in ("cross_entropy", "cross_entropy_naive"):
        result = accuracy(logits, y, loss)
        assert result is not None and result.item() == 0.5
    assert accuracy(torch.zeros(4, 1), torch.zeros(4), "mse") is None


def test_predictions_follow_the_head() -> None:
    logits = torch.tensor([[0.0], [2.0], [-1.0]])
    assert torch.allclose(predictions(logits, "bce"), torch.sigmoid(logits[:, 0]))
    assert predictions(logits, "bce_naive").shape == (3,)
    assert torch.equal(predictions(logits, "mse"), logits[:, 0])
    many = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    probs = predictions(many, "cross_entropy")
    assert probs.shape == (2, 3)
    assert torch.allclose(probs, F.softmax(many, dim=1))
    assert torch.allclose(probs.sum(1), torch.ones(2))
