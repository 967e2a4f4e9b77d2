import itertools

import numpy as np
import pytest
from fastapi.testclient import TestClient

from server import limits

CONTRACT_EXAMPLE = {
    "layers": [
        {"weight": [[1.0, -0.5], [0.3, 2.0]], "bias": [0.1, -0.2]},
        {"weight": [[1.0, 1.0]], "bias": [0.0]},
    ],
    "activation": "relu",
    "bounds": [-1.0, 1.0, -1.0, 1.0],
    "polygons": False,
}


def test_contract_example_two_lines_crossing_inside_the_box(client: TestClient) -> None:
    response = client.post("/api/regions", json=CONTRACT_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    # two lines, both crossing the box, meeting inside it: 1 + 2 + 1 regions
    assert body["count"] == 4 and body["seconds"] >= 0
    assert "polygons" not in body


def test_polygons_tile_the_box(client: TestClient) -> None:
    body = client.post("/api/regions", json={**CONTRACT_EXAMPLE, "polygons": True}).json()
    assert len(body["polygons"]) == body["count"]
    area = 0.0
    for polygon in body["polygons"]:
        x, y = np.array(polygon).T
        area += 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))  # shoelace, CCW > 0
    assert area == pytest.approx(4.0)


def test_one_hidden_layer_in_general_position_matches_the_closed_form(client: TestClient) -> None:
    rng = np.random.default_rng(5)
    n = 7
    weight, bias = rng.normal(size=(n, 2)), rng.normal(size=n)
    crossings = [
        np.linalg.solve(weight[[i, j]], -bias[[i, j]])
        for i, j in itertools.combinations(range(n), 2)
    ]
    reach = float(np.abs(crossings).max()) + 1
    request = {
        "layers": [
            {"weight": weight.tolist(), "bias": bias.tolist()},
            {"weight": [[1.0] * n], "bias": [0.0]},
        ],
        "activation": "relu",
        "bounds": [-reach, reach, -reach, reach],
    }
    assert client.post("/api/regions", json=request).json()["count"] == 1 + n + n * (n - 1) // 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"activation": "tanh"}, "not piecewise linear"),
        ({"activation": "swish"}, "not piecewise linear"),
        ({"bounds": [1.0, -1.0, -1.0, 1.0]}, "empty"),
        ({"bounds": [0.0, 0.0, -1.0, 1.0]}, "empty"),
        ({"layers": [{"weight": [[1.0, 2.0, 3.0]], "bias": [0.0]}]}, "2 entries"),
        ({"layers": [{"weight": [[1.0, 2.0]], "bias": [0.0, 1.0]}]}, "bias"),
        ({"layers": []}, "at least 1"),
        ({"bounds": [-1.0, 1.0, -1.0]}, "bounds"),
        ({"layers": "nope"}, "layers"),
    ],
)
def test_bad_input_is_a_422_that_says_what_is_wrong(
    client: TestClient, change: dict[str, object], expected: str
) -> None:
    response = client.post("/api/regions", json={**CONTRACT_EXAMPLE, **change})
    assert response.status_code == 422
    assert expected in response.json()["detail"]


def test_nan_and_inf_are_refused(client: TestClient) -> None:
    text = (
        '{"layers": [{"weight": [[NaN, 1.0]], "bias": [Infinity]}],'
        ' "activation": "relu", "bounds": [-1, 1, -1, 1]}'
    )
    response = client.post(
        "/api/regions", content=text, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "finite" in response.json()["detail"]


def test_too_many_units_is_refused(client: TestClient) -> None:
    wide = limits.REGIONS_MAX_UNITS + 1
    request = {
        **CONTRACT_EXAMPLE,
        "layers": [{"weight": [[1.0, 0.0]] * wide, "bias": [0.0] * wide}],
    }
    response = client.post("/api/regions", json=request)
    assert response.status_code == 422
    assert "at most" in response.json()["detail"]


def test_too_many_regions_is_refused_not_computed_forever(client: TestClient) -> None:
    rng = np.random.default_rng(0)
    units = limits.REGIONS_MAX_UNITS
    layers = [
        {"weight": rng.normal(size=(units, 2)).tolist(), "bias": rng.normal(size=units).tolist()}
    ]
    for _ in range(limits.REGIONS_MAX_LAYERS - 1):
        layers.append(
            {
                "weight": rng.normal(size=(units, units)).tolist(),
                "bias": rng.normal(size=units).tolist(),
            }
        )
    layers.append({"weight": [[1.0] * units], "bias": [0.0]})
    request = {"layers": layers, "activation": "relu", "bounds": [-50.0, 50.0, -50.0, 50.0]}
    response = client.post("/api/regions", json=request)
    assert response.status_code == 422
    assert "too large" in response.json()["detail"]


def test_explore_counts_random_nets_per_depth(client: TestClient) -> None:
    request = {"budget": 12, "depths": [1, 2, 3], "seeds": 2, "activation": "relu"}
    response = client.post("/api/regions/explore", json=request)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["depth"], r["width"], len(r["counts"])) for r in results] == [
        (1, 12, 2),
        (2, 6, 2),
        (3, 4, 2),
    ]
    for r in results:
        assert r["min"] <= r["mean"] <= r["max"]


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        ({"budget": 0, "depths": [1]}, "at least 1"),
        ({"budget": limits.EXPLORE_MAX_BUDGET + 1, "depths": [1]}, "at most"),
        ({"budget": 8, "depths": []}, "at least 1"),
        ({"budget": 8, "depths": [0, 2]}, "every depth"),
        ({"budget": 8, "depths": [1], "activation": "tanh"}, "not piecewise linear"),
        ({"budget": 8, "depths": [1], "seeds": 1000}, "at most"),
    ],
)
def test_explore_refuses_bad_requests(
    client: TestClient, request_body: dict[str, object], expected: str
) -> None:
    response = client.post("/api/regions/explore", json=request_body)
    assert response.status_code == 422
    assert expected in response.json()["detail"]
