"""HTTP routes for published runs: publish one (POST /api/runs), open one (GET /api/runs/{id}).

A run is checked whole before it is stored (its settings and weights must load into a network,
as an import would), so every stored run can be opened again; what the store refuses comes back
as 403, 413, 422 or 429 with a `detail`, a database that cannot be reached as 503.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from typing import Annotated, TypeVar

import torch
from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from server import limits
from server.protocol import PublishAnswer, PublishedRun, PublishingStatus, PublishRequest
from server.runs_store import (
    RunStore,
    SchemaTooNew,
    StoreError,
    StoreLimits,
    TooManyRuns,
    client_key,
    database_url,
)
from server.settings import Settings
from server.setup_io import SetupError, import_setup
from server.state import AppStateDep

router = APIRouter(prefix="/api")
log = logging.getLogger(__name__)

RUN_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
TOKEN_HEADER = "X-Publish-Token"
T = TypeVar("T")


def make_store(settings: Settings) -> RunStore:
    """The app's store of published runs (it opens the database on first use)."""
    url = settings.database_url.get_secret_value() if settings.database_url else None
    store_limits = StoreLimits(
        max_run_bytes=limits.PUBLISH_MAX_RUN_BYTES,
        runs_per_hour=settings.publish_runs_per_hour,
        max_total_bytes=settings.publish_max_total_bytes,
    )
    return RunStore(database_url(settings.data_dir, url), store_limits)


@router.get("/publishing")
def publishing(state: AppStateDep) -> PublishingStatus:
    """Whether this server publishes runs, whether it needs a token, and its limits."""
    settings = state.settings
    return PublishingStatus(
        enabled=settings.publish == "on",
        token_required=settings.publish_token is not None,
        max_run_bytes=limits.PUBLISH_MAX_RUN_BYTES,
        runs_per_hour=settings.publish_runs_per_hour,
        max_curve_points=limits.PUBLISH_MAX_CURVE_POINTS,
    )


@router.post("/runs", status_code=201)
def publish_run(
    body: PublishRequest,
    request: Request,
    state: AppStateDep,
    x_publish_token: Annotated[str | None, Header()] = None,
) -> PublishAnswer:
    """Stores a trained run; anyone with the answer's `#run=<id>` link can open it."""
    _check_allowed(state.settings, x_publish_token)
    if body.setup.weights is None:
        raise HTTPException(422, "setup.weights: a published run needs its trained weights")
    try:
        import_setup(body.setup, torch.device("cpu"))  # what opening it will do
    except SetupError as exc:
        raise HTTPException(422, f"this run could not be opened again: {exc}") from exc
    client = client_key(request.client.host if request.client else "unknown")
    record = body.model_dump_json().encode()
    run_id = _stored(lambda: state.runs.publish(record, client))
    return PublishAnswer(id=run_id, hash=f"#run={run_id}")


@router.get("/runs/{run_id}")
def open_run(run_id: str, state: AppStateDep) -> PublishedRun:
    """A published run: its setup with the weights, and its loss curves."""
    if not RUN_ID.fullmatch(run_id):
        raise HTTPException(404, "no published run has this id (it is not one this server makes)")
    record, published_at = _stored(lambda: state.runs.get(run_id))
    try:
        run = PublishRequest.model_validate_json(record)
    except ValidationError as exc:
        log.warning("published run %s is unreadable: %s", run_id, exc.error_count())
        raise HTTPException(422, "this published run is damaged and cannot be opened") from exc
    return PublishedRun(id=run_id, published_at=published_at, setup=run.setup, history=run.history)


def _check_allowed(settings: Settings, token: str | None) -> None:
    if settings.publish == "off":
        raise HTTPException(403, "publishing is switched off on this server")
    expected = settings.publish_token
    if expected is None:
        return
    if not token:
        raise HTTPException(403, "publishing on this server needs its publish token")
    if not hmac.compare_digest(token.encode(), expected.get_secret_value().encode()):
        raise HTTPException(403, "the publish token is not this server's")


def _stored(call: Callable[[], T]) -> T:
    """The store's answer, or its refusal as an HTTP error (503 when the database fails)."""
    try:
        return call()
    except TooManyRuns as exc:
        headers = {"retry-after": str(exc.retry_after)}
        raise HTTPException(exc.status, str(exc), headers=headers) from exc
    except StoreError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    except (SQLAlchemyError, SchemaTooNew) as exc:
        log.error("the database of published runs failed: %s", exc)
        raise HTTPException(503, "the database of published runs is unavailable") from exc
