"""POST /api/runs and GET /api/runs/{id}: a trained run published and opened exactly, limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from sqlalchemy import update

from models.analysis.grid import eval_grid
from models.config import DataSpec, RunSpec
from models.datasets import BOX
from models.trainer import Trainer
from server import limits
from server.app import create_app
from server.protocol import SetupFile
from server.runs_store import runs
from server.settings import Settings
from server.setup_io import export_setup, import_setup

CPU = torch.device("cpu")


def trained_setup(steps: int = 40) -> tuple[Trainer, dict[str, Any]]:
    """A trained xor run and its setup file (with weights) as JSON."""
    trainer = Trainer(RunSpec(data=DataSpec(name="xor")), CPU)
    trainer.step(steps)
    return trainer, export_setup(trainer, with_weights=True).model_dump(mode="json")


def curves(n: int = 3) -> dict[str, list[Any]]:
    return {"steps": list(range(1, n + 1)), "train_loss": [0.7] * n, "test_loss": [0.69] * n}


@pytest.fixture
def make_client(tmp_path: Path, database: str) -> Iterator[Callable[..., TestClient]]:
    """Clients of apps on the test's database (SQLite or PostgreSQL), with extra settings."""
    made: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        app = create_app(Settings(device="cpu", database_url=database, **settings))
        client = TestClient(app)
        made.append(client)
        return client

    yield make
    for client in made:
        client.app.state.playground.runs.close()  # type: ignore[attr-defined]
        client.close()


def test_a_published_run_opens_with_the_same_weights_and_picture(make_client) -> None:
    client = make_client()
    trainer, setup = trained_setup()
    answer = client.post("/api/runs", json={"setup": setup, "history": curves()})
    assert answer.status_code == 201, answer.text
    run_id = answer.json()["id"]
    assert answer.json()["hash"] == f"#run={run_id}"
    opened = make_client().get(f"/api/runs/{run_id}")  # another server process, same database
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["setup"] == setup
    assert body["history"] == curves()
    reopened = import_setup(SetupFile.model_validate(body["setup"]), CPU)
    assert reopened.steps == trainer.steps == 40
    # The oracle: the boundary drawn from the opened run is the trained network's, bit for bit.
    np.testing.assert_array_equal(eval_grid(reopened.net, BOX), eval_grid(trainer.net, BOX))


def test_the_status_says_what_publishing_needs(make_client) -> None:
    assert make_client().get("/api/publishing").json() == {
        "enabled": True,
        "token_required": False,
        "max_run_bytes": limits.PUBLISH_MAX_RUN_BYTES,
        "runs_per_hour": 20,
        "max_curve_points": 5000,
    }
    status = make_client(publish="off", publish_token="s3cret").get("/api/publishing").json()
    assert status["enabled"] is False
    assert status["token_required"] is True


def test_publishing_switched_off_is_refused(make_client) -> None:
    answer = make_client(publish="off").post("/api/runs", json={"setup": trained_setup(1)[1]})
    assert answer.status_code == 403
    assert answer.json()["detail"] == "publishing is switched off on this server"


def test_a_token_protected_server_needs_the_token(make_client) -> None:
    client = make_client(publish_token="s3cret")
    run = {"setup": trained_setup(1)[1]}
    missing = client.post("/api/runs", json=run)
    assert (missing.status_code, missing.json()["detail"]) == (
        403,
        "publishing on this server needs its publish token",
    )
    wrong = client.post("/api/runs", json=run, headers={"X-Publish-Token": "guess"})
    assert (wrong.status_code, wrong.json()["detail"]) == (
        403,
        "the publish token is not this server's",
    )
    right = client.post("/api/runs", json=run, headers={"X-Publish-Token": "s3cret"})
    assert right.status_code == 201
    assert client.get(f"/api/runs/{right.json()['id']}").status_code == 200  # opening needs none


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda s: s.pop("weights"), "a published run needs its trained weights"),
        (lambda s: s["weights"].pop("0.weight"), "this run could not be opened again: weights"),
        (
            lambda s: s["settings"]["network"]["hidden"][0].update(units=7),
            "this run could not be opened again: weights",
        ),
    ],
)
def test_a_run_that_would_not_open_again_is_refused(make_client, change, detail: str) -> None:
    client = make_client()
    setup = trained_setup(1)[1]
    change(setup)
    answer = client.post("/api/runs", json={"setup": setup})
    assert answer.status_code == 422
    assert detail in answer.json()["detail"]
    assert client.app.state.playground.runs.usage() == (0, 0)  # type: ignore[attr-defined]


def test_curves_that_do_not_line_up_are_refused(make_client) -> None:
    bad = {**curves(), "test_loss": [0.5]}
    answer = make_client().post("/api/runs", json={"setup": trained_setup(1)[1], "history": bad})
    assert answer.status_code == 422
    assert "same length" in answer.json()["detail"]


def test_an_oversized_run_is_refused_before_it_is_read(make_client) -> None:
    big = b'{"setup": ' + b" " * limits.PUBLISH_MAX_RUN_BYTES + b"}"
    answer = make_client().post(
        "/api/runs", content=big, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert "detail" in answer.json()


def test_too_many_runs_from_one_address(make_client) -> None:
    client = make_client(publish_runs_per_hour=2)
    run = {"setup": trained_setup(1)[1]}
    assert [client.post("/api/runs", json=run).status_code for _ in range(2)] == [201, 201]
    refused = client.post("/api/runs", json=run)
    assert refused.status_code == 429
    assert "2 runs an hour" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 3000


def test_unknown_and_malformed_ids_are_not_found(make_client) -> None:
    client = make_client()
    for run_id in ["A" * 24, "short", "has%20space" + "x" * 20]:
        answer = client.get(f"/api/runs/{run_id}")
        assert answer.status_code == 404
        assert "no published run" in answer.json()["detail"]


def test_a_damaged_run_is_refused_and_others_still_open(make_client) -> None:
    client = make_client()
    run = {"setup": trained_setup(1)[1]}
    bad, good = (client.post("/api/runs", json=run).json()["id"] for _ in range(2))
    store = client.app.state.playground.runs  # type: ignore[attr-defined]
    with store.engine().begin() as conn:  # valid storage, unreadable content
        conn.execute(update(runs).where(runs.c.id == bad).values(body=b"x", digest="0" * 64))
    damaged = client.get(f"/api/runs/{bad}")
    assert damaged.status_code == 422
    assert "damaged" in damaged.json()["detail"]
    assert client.get(f"/api/runs/{good}").status_code == 200


def test_an_unreachable_database_answers_503(tmp_path: Path) -> None:
    settings = Settings(device="cpu", database_url="postgresql://nobody@127.0.0.1:9/none")
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/runs/" + "A" * 24)
    assert answer.status_code == 503
    assert answer.json()["detail"] == "the database of published runs is unavailable"
