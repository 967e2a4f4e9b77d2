"""The vendored 8×8 digits: the file's shape, classes and pixels, a seeded split, and softmax
regression reaching the 92% test accuracy the course reports."""

from __future__ import annotations

import numpy as np
import torch

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import DATASETS, DIGITS_COUNT, DIGITS_FILE, make_split
from models.features import PIXEL_FEATURES
from models.network import build_network
from models.trainer import Trainer

SOFTMAX_REGRESSION = RunSpec(
    network=NetworkSpec(hidden=(), outputs=10, features=PIXEL_FEATURES),
    data=DataSpec(name="digits"),
    training=TrainSpec(optimizer="adam", learning_rate=0.02, batch_size=32, loss="cross_entropy"),
)
STEPS = 500
"""Softmax regression must pass 92% on the test set within this many steps (it takes ~200)."""


def test_the_vendored_file_holds_all_1797_digits_as_8x8_uint8() -> None:
    with np.load(DIGITS_FILE, allow_pickle=False) as data:
        images, labels = data["images"], data["labels"]
    assert images.shape == (DIGITS_COUNT, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (DIGITS_COUNT,)
    assert images.min() == 0 and images.max() == 16
    assert np.array_equal(np.unique(labels), np.arange(10))
    assert np.bincount(labels).min() >= 170  # about 180 of each digit


def test_digits_info_and_points_scaled_to_0_1() -> None:
    info = DATASETS["digits"]
    assert (info.task, info.dims, info.image_shape) == ("classification", 64, (8, 8))
    assert info.min_classes == info.max_classes == 10
    split = make_split(DataSpec(name="digits", points=50), torch.Generator().manual_seed(0))
    assert len(split.train.y) + len(split.test.y) == DIGITS_COUNT  # points does not apply
    assert split.train.x.shape[1] == 64 and split.image_shape == (8, 8)
    assert float(split.train.x.min()) == 0.0 and float(split.train.x.max()) == 1.0
    assert split.classes == 10


def test_the_split_follows_the_seed_and_train_fraction() -> None:
    spec = DataSpec(name="digits", train_fraction=0.7)
    a = make_split(spec, torch.Generator().manual_seed(3))
    b = make_split(spec, torch.Generator().manual_seed(3))
    c = make_split(spec, torch.Generator().manual_seed(4))
    assert torch.equal(a.train.x, b.train.x) and torch.equal(a.test.y, b.test.y)
    assert not torch.equal(a.train.x, c.train.x)
    assert len(a.train.y) == round(0.7 * DIGITS_COUNT)


def test_label_noise_flips_training_labels_only() -> None:
    clean = make_split(DataSpec(name="digits"), torch.Generator().manual_seed(0))
    noisy = make_split(DataSpec(name="digits", label_noise=0.2), torch.Generator().manual_seed(0))
    assert torch.equal(clean.test.y, noisy.test.y)
    changed = (clean.train.y != noisy.train.y).float().mean().item()
    assert abs(changed - 0.2) < 0.01


def test_pixels_feed_the_first_layer_as_they_are() -> None:
    net = build_network(
        NetworkSpec((LayerSpec(16, "relu"),), 10, PIXEL_FEATURES), torch.Generator()
    )
    assert net[0].in_features == 64  # no FeatureMap in front
    assert NetworkSpec(features=PIXEL_FEATURES).inputs == 64


def test_softmax_regression_reaches_92_percent() -> None:
    trainer = Trainer(SOFTMAX_REGRESSION)
    reached = None
    while reached is None and trainer.steps < STEPS:
        trainer.step(50)
        accuracy = trainer.evaluate().test_accuracy
        assert accuracy is not None
        if accuracy >= 0.92:
            reached = trainer.steps
    assert reached is not None, f"test accuracy {accuracy:.3f} after {STEPS} steps"
