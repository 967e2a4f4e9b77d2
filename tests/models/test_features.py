from collections.abc import Callable

import pytest
import torch

from models.features import (
    FEATURES,
    IMAGE_INPUTS,
    PIXEL_FEATURES,
    FeatureMap,
    features_need_dims,
)

# Each feature by its closed form, written apart from the module.
CLOSED_FORM: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1_squared": lambda x1, x2: x1**2,
    "x2_squared": lambda x1, x2: x2**2,
    "x1_x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: torch.sin(x1),
    "sin_x2": lambda x1, x2: torch.sin(x2),
}

COMPUTED = [name for name, record in FEATURES.items() if record.fn is not None]


def test_the_registry_holds_the_wire_names_with_a_sentence_each() -> None:
    assert [*COMPUTED, *PIXEL_FEATURES] == list(FEATURES)
    assert list(CLOSED_FORM) == COMPUTED
    for name, record in FEATURES.items():
        assert record.name == name and record.description.endswith(".")
        assert record.dims == features_need_dims([name])


def test_pixels_stand_alone_and_need_no_feature_map() -> None:
    assert features_need_dims(PIXEL_FEATURES) == IMAGE_INPUTS
    with pytest.raises(ValueError, match="stands alone"):
        features_need_dims(["pixels", "x1"])
    with pytest.raises(ValueError, match="no FeatureMap"):
        FeatureMap(PIXEL_FEATURES)


def test_every_feature_computes_its_formula_in_the_order_given() -> None:
    points = torch.randn(50, 2, generator=torch.Generator().manual_seed(0)) * 3
    names = list(reversed(COMPUTED))
    out = FeatureMap(names)(points)
    assert out.shape == (50, len(names))
    for column, name in enumerate(names):
        expected = CLOSED_FORM[name](points[:, 0], points[:, 1])
        assert torch.allclose(out[:, column], expected)


def test_one_dimensional_points_take_the_x1_features() -> None:
    x = torch.linspace(0, 1, 11).unsqueeze(1)  # (11, 1), as the sine dataset gives
    out = FeatureMap(["x1", "sin_x1", "x1_squared"])(x)
    assert torch.allclose(out, torch.stack([x[:, 0], torch.sin(x[:, 0]), x[:, 0] ** 2], dim=1))
    with pytest.raises(ValueError, match="uses x2"):
        FeatureMap(["x1", "x2"])(x)


def test_features_need_dims_is_two_exactly_when_a_feature_uses_x2() -> None:
    assert features_need_dims(["x1"]) == 1
    assert features_need_dims(["x1", "sin_x1", "x1_squared"]) == 1
    for name in ("x2", "x2_squared", "x1_x2", "sin_x2"):
        assert features_need_dims(["x1", name]) == 2
    # the oracle: 1D points work exactly for the features that need one dimension
    x = torch.rand(4, 1)
    for name in COMPUTED:
        if features_need_dims([name]) == 1:
            FeatureMap([name])(x)
        else:
            with pytest.raises(ValueError):
                FeatureMap([name])(x)


def test_unknown_or_no_features_are_refused_readably() -> None:
    with pytest.raises(ValueError, match="unknown feature 'x3'; known features: x1, x2"):
        FeatureMap(["x1", "x3"])
    with pytest.raises(ValueError, match="unknown feature 'cos_x1'"):
        features_need_dims(["cos_x1"])
    with pytest.raises(ValueError, match="at least one"):
        FeatureMap([])


def test_gradients_flow_through_the_map() -> None:
    points = torch.tensor([[0.5, -2.0]], dtype=torch.float64, requires_grad=True)
    FeatureMap(["x1_x2", "x2_squared"])(points).sum().backward()
    assert points.grad is not None
    # d(x1·x2 + x2²) = (x2, x1 + 2·x2)
    assert torch.allclose(points.grad, torch.tensor([[-2.0, 0.5 - 4.0]], dtype=torch.float64))
