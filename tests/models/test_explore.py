from models.analysis.explore import depth_vs_width
from models.datasets import BOX


def test_each_depth_shares_the_budget_and_counts_every_seed() -> None:
    results = depth_vs_width(budget=12, depths=[1, 2, 3], seeds=3, activation="relu", box=BOX)
    assert [(r.depth, r.width, len(r.counts)) for r in results] == [
        (1, 12, 3),
        (2, 6, 3),
        (3, 4, 3),
    ]
    one_layer = results[0]
    # n lines cut the plane into at most 1 + n + n(n-1)/2 regions; fewer cross the box
    assert all(1 <= c <= 1 + 12 + 66 for c in one_layer.counts)
    assert min(one_layer.counts) <= one_layer.mean <= max(one_layer.counts)


def test_the_same_seeds_give_the_same_counts() -> None:
    a = depth_vs_width(8, [2], 2, "relu", BOX)
    b = depth_vs_width(8, [2], 2, "relu", BOX)
    assert a == b
