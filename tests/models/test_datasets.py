import pytest
import torch

from models.config import DataSpec
from models.datasets import BOX, DATASETS, make_split


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_shapes_labels_and_box(name: str) -> None:
    data = DATASETS[name](200, 0.0, torch.Generator().manual_seed(1))
    assert data.x.shape == (200, 2) and data.x.dtype == torch.float32
    assert data.y.shape == (200,)
    assert set(data.y.unique().tolist()) == {0.0, 1.0}
    xmin, xmax, ymin, ymax = BOX
    assert xmin <= data.x[:, 0].min() and data.x[:, 0].max() <= xmax
    assert ymin <= data.x[:, 1].min() and data.x[:, 1].max() <= ymax


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_same_seed_same_points_other_seed_other_points(name: str) -> None:
    a = DATASETS[name](100, 0.1, torch.Generator().manual_seed(7))
    b = DATASETS[name](100, 0.1, torch.Generator().manual_seed(7))
    c = DATASETS[name](100, 0.1, torch.Generator().manual_seed(8))
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
    assert not torch.equal(a.x, c.x)


def test_clean_xor_label_is_the_sign_of_the_product() -> None:
    data = DATASETS["xor"](300, 0.0, torch.Generator().manual_seed(0))
    assert torch.equal(data.y, (data.x[:, 0] * data.x[:, 1] > 0).float())


def test_clean_circle_separates_by_radius() -> None:
    data = DATASETS["circle"](300, 0.0, torch.Generator().manual_seed(0))
    radius = data.x.norm(dim=1)
    assert radius[data.y == 1].max() <= 2.5 + 1e-5
    assert radius[data.y == 0].min() >= 3.5 - 1e-5


def test_split_sizes_follow_the_train_fraction() -> None:
    split = make_split(
        DataSpec("spiral", points=500, noise=0.1, train_fraction=0.3), torch.Generator()
    )
    assert len(split.train.x) == 150 and len(split.test.x) == 350
    both = torch.cat([split.train.x, split.test.x])
    assert len(torch.unique(both, dim=0)) == 500  # a partition: no point in both halves
