"""The data's fit rules: what a DataSpec draws, and which features and classes fit it."""

import torch

from models.config import CustomData, DataSpec
from models.datasets import DIGITS_COUNT, make_split
from models.features import LINE_FEATURES, PIXEL_FEATURES, PLANE_FEATURES
from models.fit import (
    classes_problem,
    data_shape,
    features_problem,
    fitting_features,
    point_count,
)


def test_data_shape_matches_the_split_the_dataset_draws() -> None:
    for data in (DataSpec("spiral", classes=4), DataSpec("circle"), DataSpec("sine")):
        task, classes, dims = data_shape(data)
        split = make_split(data, torch.Generator().manual_seed(0))
        assert (task, dims) == (split.task, split.dims)
        if task == "classification":
            assert int(split.train.y.max()) + 1 <= classes
        else:
            assert classes == 1


def test_the_users_points_decide_their_count_and_classes() -> None:
    custom = CustomData(x=((0.0, 0.0), (1.0, 1.0), (2.0, 0.0)), y=(0.0, 2.0, 1.0))
    data = DataSpec("custom", points=500, custom=custom)
    assert point_count(data) == 3 and data_shape(data) == ("classification", 3, 2)
    assert point_count(DataSpec("digits")) == DIGITS_COUNT


def test_features_follow_the_datas_dimensions() -> None:
    assert fitting_features(PLANE_FEATURES, 1) == LINE_FEATURES
    assert fitting_features(LINE_FEATURES, 2) == PLANE_FEATURES
    assert fitting_features(PLANE_FEATURES, 64) == PIXEL_FEATURES
    assert features_problem(PLANE_FEATURES, 1) is not None
    assert features_problem(PLANE_FEATURES, 2) is None
    assert features_problem(PIXEL_FEATURES, 2) is not None


def test_a_dataset_refuses_classes_it_cannot_draw() -> None:
    assert classes_problem("spiral", 3) is None
    assert classes_problem("circle", 3) == "circle has exactly 2 classes"
    assert classes_problem("sine", 2) == "sine has values, not classes"
