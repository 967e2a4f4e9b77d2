import torch
import torch.nn.functional as F

from models.losses import binary_accuracy, binary_cross_entropy


def test_bce_matches_the_definition_in_float64() -> None:
    logits = torch.tensor([-3.0, -0.5, 0.0, 0.7, 4.0], dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    p = torch.sigmoid(logits)
    by_hand = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    assert torch.allclose(binary_cross_entropy(logits.unsqueeze(1), y), by_hand)
    assert torch.allclose(binary_cross_entropy(logits, y), F.binary_cross_entropy(p, y))


def test_bce_stays_finite_on_huge_logits_where_the_naive_form_does_not() -> None:
    logits = torch.tensor([1000.0, -1000.0])
    y = torch.tensor([0.0, 1.0])  # confidently wrong: the loss is large but finite
    naive = -(y * torch.log(torch.sigmoid(logits)) + (1 - y) * torch.log(1 - torch.sigmoid(logits)))
    assert not torch.isfinite(naive).all()
    loss = binary_cross_entropy(logits, y)
    assert torch.isfinite(loss) and torch.isclose(loss, torch.tensor(1000.0))


def test_accuracy_counts_the_sign_of_the_logit() -> None:
    logits = torch.tensor([[2.0], [-1.0], [0.5], [-0.1]])
    y = torch.tensor([1.0, 0.0, 0.0, 0.0])
    assert binary_accuracy(logits, y).item() == 0.75
