"""The catalog publishes the records' facts, so the page never guesses them from a name."""

import torch
from fastapi.testclient import TestClient

from models.activations import ACTIVATIONS
from models.features import FEATURES
from models.inits import INITS
from models.losses import LOSSES
from models.schedules import SCHEDULES


def test_every_record_is_in_the_catalog_with_its_own_words(client: TestClient) -> None:
    body = client.get("/api/catalog").json()
    for section, records in [
        ("activations", ACTIVATIONS),
        ("losses", LOSSES),
        ("inits", INITS),
        ("features", FEATURES),
        ("schedules", SCHEDULES),
    ]:
        entries = {entry["name"]: entry["description"] for entry in body[section]}
        assert entries == {name: r.description for name, r in records.items()}, section


def test_each_loss_says_its_head_and_twin(client: TestClient) -> None:
    losses = {entry["name"]: entry for entry in client.get("/api/catalog").json()["losses"]}
    assert losses["bce"] | {"description": ""} == {
        "name": "bce",
        "description": "",
        "task": "classification",
        "head": "sigmoid",
        "naive": False,
        "twin": "bce_naive",
        "piecewise_linear": False,
        "dims": None,
        "image_shape": None,
        "min_classes": None,
        "max_classes": None,
    }
    assert (losses["cross_entropy_naive"]["head"], losses["cross_entropy_naive"]["naive"]) == (
        "softmax",
        True,
    )
    assert losses["mse"]["head"] == "identity" and losses["mse"]["twin"] is None


def test_the_head_is_what_the_loss_reads(client: TestClient) -> None:
    """Oracle: a sigmoid-head loss on one logit z equals the same loss on logits (0, z) read
    through a softmax; a softmax loss needs one logit per class; identity compares values."""
    gen = torch.Generator().manual_seed(0)
    one, three = torch.randn(6, 1, generator=gen), torch.randn(6, 3, generator=gen)
    y = torch.tensor([0.0, 1, 1, 0, 1, 0])
    for entry in client.get("/api/catalog").json()["losses"]:
        fn = LOSSES[entry["name"]].fn
        if entry["head"] == "sigmoid":
            z = one
            softmax = torch.log_softmax(torch.cat([torch.zeros_like(z), z], 1), 1)
            expected = -softmax.gather(1, y.long()[:, None]).mean()
        elif entry["head"] == "softmax":
            z = three
            expected = -torch.log_softmax(z, 1).gather(1, y.long()[:, None]).mean()
        else:
            z = one
            expected = ((z[:, 0] - y) ** 2).mean()
        torch.testing.assert_close(fn(z, y), expected, msg=entry["name"])


def test_piecewise_linear_is_published_per_activation(client: TestClient) -> None:
    activations = client.get("/api/catalog").json()["activations"]
    flagged = {entry["name"] for entry in activations if entry["piecewise_linear"]}
    assert flagged == {"relu", "leaky_relu", "hardtanh", "linear"}
