"""The experiment routes behind the lessons: each answers with its figures, or 422 on bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


def test_xor_seeds_route(client: TestClient) -> None:
    body = {"widths": [2, 8], "seeds": 8, "steps": 50}
    answer = client.post("/api/experiments/xor_seeds", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["width"] for r in results] == [2, 8]
    assert all(len(r["accuracies"]) == r["runs"] == 8 for r in results)


def test_approximation_route(client: TestClient) -> None:
    answer = client.post(
        "/api/experiments/approximation", json={"units": [3], "seeds": 1, "steps": 5}
    )
    assert answer.status_code == 200
    data = answer.json()
    assert len(data["results"][0]["curve"]) == data["curve_points"]


def test_optimizers_route(client: TestClient) -> None:
    body = {
        "runs": [{"optimizer": "sgd"}, {"optimizer": "adam", "learning_rate": 0.02}],
        "steps": 20,
        "every": 5,
    }
    answer = client.post("/api/experiments/optimizers", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["learning_rate"] for r in results] == [0.1, 0.02]
    assert results[0]["steps"] == [0, 5, 10, 15, 20]
    assert results[0]["train_loss"][0] == results[1]["train_loss"][0]  # the same start


def test_double_descent_route(client: TestClient) -> None:
    body = {"features": [10, 100, 400], "seeds": 2, "label_noise": 0.1}
    answer = client.post("/api/experiments/double_descent", json=body)
    assert answer.status_code == 200
    assert answer.json()["train_points"] == 100
    assert [r["features"] for r in answer.json()["results"]] == [10, 100, 400]


@pytest.mark.parametrize(
    ("route", "body", "words"),
    [
        ("xor_seeds", {"seeds": 1000}, "seeds: must be at most 100"),
        ("xor_seeds", {"widths": [0]}, "every width must be 1"),
        ("approximation", {"units": [500]}, "every width must be 1"),
        ("optimizers", {"runs": [{"optimizer": "lbfgs"}]}, "unknown optimizer"),
        ("optimizers", {"dataset": "sine"}, "two-class dataset"),
        ("optimizers", {"steps": 3000, "every": 1}, "steps / every"),
        ("double_descent", {"features": [5000]}, "every count must be 1"),
        ("double_descent", {"label_noise": float("nan")}, "label_noise"),
    ],
)
def test_bad_experiment_requests_get_a_readable_422(
    client: TestClient, route: str, body: dict[str, object], words: str
) -> None:
    answer = client.post(
        f"/api/experiments/{route}",
        content=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert words in answer.json()["detail"]
