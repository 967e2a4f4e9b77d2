"""Train/test splits of the datasets: sizes, what a split reports, label noise, custom points."""

import pytest
import torch

from models.config import CustomData, DataSpec
from models.datasets import BOX, SINE_BOX, flip_labels, make_split


def test_split_sizes_follow_the_train_fraction() -> None:
    split = make_split(
        DataSpec("spiral", points=500, noise=0.1, train_fraction=0.3), torch.Generator()
    )
    assert len(split.train.x) == 150 and len(split.test.x) == 350
    both = torch.cat([split.train.x, split.test.x])
    assert len(torch.unique(both, dim=0)) == 500  # a partition: no point in both halves


@pytest.mark.parametrize(
    ("spec", "task", "classes", "dims", "box"),
    [
        (DataSpec("circle", classes=4), "classification", 2, 2, BOX),
        (DataSpec("spiral", classes=4), "classification", 4, 2, BOX),
        (DataSpec("blobs", classes=6), "classification", 6, 2, BOX),
        (DataSpec("plane"), "regression", 0, 2, BOX),
        (DataSpec("sine"), "regression", 0, 1, SINE_BOX),
    ],
)
def test_split_reports_task_classes_dims_and_box(
    spec: DataSpec, task: str, classes: int, dims: int, box: tuple[float, ...]
) -> None:
    split = make_split(spec, torch.Generator().manual_seed(0))
    assert (split.task, split.classes, split.dims, split.box) == (task, classes, dims, box)
    assert split.train.x.shape[1] == dims == split.test.x.shape[1]
    if task == "classification":
        labels = sorted(set(torch.cat([split.train.y, split.test.y]).tolist()))
        assert labels == list(range(classes))


@pytest.mark.parametrize("name", ["spiral", "blobs", "moons"])
@pytest.mark.parametrize("classes", [2, 3, 6])
@pytest.mark.parametrize("noise", [0.1, 0.25, 0.5])
def test_label_noise_flips_exactly_the_promised_training_labels(
    name: str, classes: int, noise: float
) -> None:
    spec = DataSpec(name, points=301, classes=classes, train_fraction=0.6)
    clean = make_split(spec, torch.Generator().manual_seed(3))
    noisy = make_split(
        DataSpec(name, points=301, classes=classes, train_fraction=0.6, label_noise=noise),
        torch.Generator().manual_seed(3),
    )
    # The same points in the same halves: the split is drawn before the noise.
    assert torch.equal(clean.train.x, noisy.train.x) and torch.equal(clean.test.x, noisy.test.x)
    assert torch.equal(clean.test.y, noisy.test.y)  # test labels stay true
    changed = clean.train.y != noisy.train.y
    assert int(changed.sum()) == round(noise * len(clean.train.y))
    assert ((noisy.train.y >= 0) & (noisy.train.y < noisy.classes)).all()
    assert torch.equal(noisy.train.y, noisy.train.y.round())


def test_flipped_labels_go_to_every_other_class_uniformly() -> None:
    y = torch.zeros(60000)
    flipped = flip_labels(y, 1.0, 4, torch.Generator().manual_seed(0))
    counts = torch.bincount(flipped.long(), minlength=4)
    assert counts[0] == 0  # every label flipped, none to its own class
    assert ((counts[1:] - 20000).abs() < 600).all()  # ~4.5 standard deviations


def test_label_noise_ignores_regression_and_refuses_nonsense() -> None:
    clean = make_split(DataSpec("plane"), torch.Generator().manual_seed(0))
    noisy = make_split(DataSpec("plane", label_noise=0.5), torch.Generator().manual_seed(0))
    assert torch.equal(clean.train.y, noisy.train.y)
    with pytest.raises(ValueError, match="label noise"):
        make_split(DataSpec("circle", label_noise=1.5), torch.Generator())


def test_custom_points_are_split_as_given() -> None:
    x = tuple((i / 8 - 2, float(i % 7) - 3) for i in range(40))  # exact in float32
    y = tuple(float(i % 3) for i in range(40))
    spec = DataSpec("custom", points=999, train_fraction=0.25, custom=CustomData(x, y))
    split = make_split(spec, torch.Generator().manual_seed(2))
    assert (split.task, split.classes, split.dims, split.box) == ("classification", 3, 2, BOX)
    assert len(split.train.y) == 10 and len(split.test.y) == 30  # its own 40 points, not 999
    got = sorted(
        zip(
            map(tuple, torch.cat([split.train.x, split.test.x]).tolist()),
            torch.cat([split.train.y, split.test.y]).tolist(),
            strict=True,
        )
    )
    assert got == sorted(zip(x, y, strict=True))  # every point once, with its own label
    again = make_split(spec, torch.Generator().manual_seed(2))
    assert torch.equal(split.train.x, again.train.x)


def test_custom_regression_and_label_noise() -> None:
    x = ((0.0, 1.0), (1.0, 0.0), (2.0, 2.0), (-1.0, 3.0))
    regression = CustomData(x, (0.5, -0.25, 1.5, 0.0), "regression")
    split = make_split(DataSpec("custom", custom=regression), torch.Generator())
    assert (split.task, split.classes) == ("regression", 0)
    labels = CustomData(x * 25, (0.0, 1.0, 2.0, 1.0) * 25)
    spec = DataSpec("custom", custom=labels, label_noise=0.2, train_fraction=0.5)
    noisy = make_split(spec, torch.Generator().manual_seed(1))
    clean = make_split(DataSpec("custom", custom=labels), torch.Generator().manual_seed(1))
    assert int((noisy.train.y != clean.train.y).sum()) == 10


def test_custom_points_of_one_class_still_make_a_two_class_problem() -> None:
    one_class = CustomData(((0.0, 0.0), (1.0, 1.0), (2.0, 0.0)), (0.0, 0.0, 0.0))
    split = make_split(DataSpec("custom", custom=one_class), torch.Generator())
    assert split.classes == 2


def test_custom_without_points_is_refused() -> None:
    with pytest.raises(ValueError, match="custom"):
        make_split(DataSpec("custom"), torch.Generator())
    with pytest.raises(ValueError, match="at least 2"):
        make_split(DataSpec("custom", custom=CustomData(((0.0, 0.0),), (1.0,))), torch.Generator())
