from fastapi.testclient import TestClient

from models.activations import ACTIVATIONS
from models.datasets import DATASETS
from models.optimizers import OPTIMIZERS
from server import limits


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["device"] == "cpu"
    assert body["torch"] and body["version"]


def test_catalog_lists_every_registry_with_descriptions(client: TestClient) -> None:
    body = client.get("/api/catalog").json()
    assert [d["name"] for d in body["datasets"]] == list(DATASETS)
    assert [a["name"] for a in body["activations"]] == list(ACTIVATIONS)
    assert [o["name"] for o in body["optimizers"]] == list(OPTIMIZERS)
    assert body["losses"][0]["name"] == "bce"
    for section in ("datasets", "activations", "optimizers", "losses"):
        assert all(entry["description"] for entry in body[section]), section
    assert {"circle", "xor", "gauss", "spiral"} <= {d["name"] for d in body["datasets"]}
    relu = next(a for a in body["activations"] if a["name"] == "relu")
    assert relu["piecewise_linear"] is True
    assert body["limits"]["max_units"] == limits.MAX_UNITS
    assert body["defaults"]["dataset"]["name"] in DATASETS


def test_page_is_served_or_explains_how_to_build_it(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert "make run" in response.text
    else:
        assert "<html" in response.text.lower()


def test_unknown_api_route_is_404(client: TestClient) -> None:
    assert client.get("/api/nope").status_code == 404
