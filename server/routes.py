"""HTTP routes: /api/health, /api/catalog, /api/regions and /api/datasets/csv."""

from __future__ import annotations

import time
from dataclasses import asdict

import numpy as np
import torch
from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from models.analysis.explore import depth_vs_width
from models.analysis.regions import compute_regions, count_regions
from models.analysis.tiling import TooManyRegions
from models.csv_data import CsvError, parse_csv
from models.datasets import BOX
from server import __version__, limits
from server.catalog import build_catalog
from server.errors import describe_errors
from server.openapi import raw_body
from server.protocol import (
    Catalog,
    CustomPoints,
    DepthCounts,
    ExploreRequest,
    ExploreResponse,
    RegionsRequest,
    RegionsResponse,
)
from server.state import AppStateDep

router = APIRouter(prefix="/api")

MAX_ERRORS_LISTED = 10
"""A 422's `errors` lists at most this many; `error_count` says how many there were."""


@router.get("/health")
@router.head("/health", include_in_schema=False)  # one operation id per path and function
async def health(state: AppStateDep) -> dict[str, str]:
    """Liveness and what this server runs on.

    On the event loop, not in the thread pool: it answers in milliseconds however many
    computations hold threads (Docker's HEALTHCHECK allows 4 s).
    """
    return {
        "status": "ok",
        "version": __version__,
        "torch": torch.__version__,
        "device": state.device.type,
    }


@router.get("/catalog")
def catalog() -> Catalog:
    """Every name the UI and the websocket accept, with descriptions and limits."""
    return build_catalog()


@router.post("/regions", response_model_exclude_none=True)
async def regions(body: RegionsRequest, state: AppStateDep) -> RegionsResponse:
    """Exact linear regions of a piecewise-linear network over a 2D box (CONTRACT §2).

    A few at a time (server/slots.py), each in a thread.
    """
    return await state.region_slots.run(lambda: linear_regions(body))


def linear_regions(body: RegionsRequest) -> RegionsResponse:
    """POST /api/regions's work: count (and draw) the regions; 422 when there are too many."""
    layers = [(np.array(x.weight, np.float64), np.array(x.bias, np.float64)) for x in body.layers]
    started = time.perf_counter()
    try:
        if body.polygons:
            most = limits.REGIONS_MAX_POLYGONS
            result = compute_regions(layers, body.activation, body.bounds, most)
            count, polygons = result.count, [p.tolist() for p in result.polygons]
        else:
            count = count_regions(layers, body.activation, body.bounds, limits.REGIONS_MAX_COUNT)
            polygons = None
    except TooManyRegions as exc:
        hint = "; ask without polygons to count up to " if body.polygons else ""
        hint += str(limits.REGIONS_MAX_COUNT) if body.polygons else ""
        raise HTTPException(
            422, f"too large: {exc}{hint}; use fewer units or a smaller box"
        ) from exc
    return RegionsResponse(count=count, seconds=time.perf_counter() - started, polygons=polygons)


@router.post("/regions/explore")
async def explore(body: ExploreRequest, state: AppStateDep) -> ExploreResponse:
    """Depth vs width: exact region counts of random nets of each depth on the same budget."""
    return await state.region_slots.run(lambda: depth_vs_width_counts(body))


def depth_vs_width_counts(body: ExploreRequest) -> ExploreResponse:
    """POST /api/regions/explore's work."""
    started = time.perf_counter()
    try:
        results = depth_vs_width(
            body.budget, body.depths, body.seeds, body.activation, BOX, limits.REGIONS_MAX_COUNT
        )
    except TooManyRegions as exc:
        raise HTTPException(422, f"too large: {exc}; use a smaller budget") from exc
    counts = [
        DepthCounts(**asdict(r), mean=r.mean, std=r.std, min=min(r.counts), max=max(r.counts))
        for r in results
    ]
    return ExploreResponse(results=counts, seconds=time.perf_counter() - started)


@router.post("/datasets/csv", openapi_extra=raw_body("text/csv", "string"))
async def parse_csv_upload(request: Request) -> CustomPoints:
    """Read an uploaded CSV (`x1,x2,label` or `x1,x2,y`) into points for a custom dataset.

    The body is the file's text. Nothing about any session changes here: the page sends the
    points in a configure once they parsed, so a bad file leaves the current data untouched.
    """
    body = await request.body()
    if len(body) > limits.MAX_CSV_BYTES:
        raise HTTPException(
            413, f"the file has {len(body)} bytes; the limit is {limits.MAX_CSV_BYTES}"
        )
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(422, "not a CSV file: the bytes are not UTF-8 text") from exc
    try:
        data = parse_csv(text, limits.MAX_POINTS)
    except CsvError as exc:
        raise HTTPException(422, str(exc)) from exc
    return CustomPoints(x=[(a, b) for a, b in data.x], y=list(data.y), task=data.task)


async def readable_validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 with `detail` as one sentence a person can act on (and the raw list as `errors`)."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    # The offending inputs stay out of the body: they may be NaN, which JSON cannot carry.
    # Only the first few: every list is capped and stops at its first bad item, but a body's
    # errors still add up, and the answer should stay small whatever was sent.
    shown = errors[:MAX_ERRORS_LISTED]
    where = [{"loc": e["loc"][:8], "msg": e["msg"][:200], "type": e["type"]} for e in shown]
    body = {
        "detail": describe_errors(errors),
        "errors": jsonable_encoder(where),
        "error_count": len(errors),
    }
    return JSONResponse(body, status_code=422)
