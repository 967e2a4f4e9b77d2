"""HTTP routes for save and share: weights <-> safetensors, and the setup as PyTorch code.

They are stateless conversions: the page fetches the session's weights over the websocket
(`export`), converts them here, and sends an import back over the websocket, so no session is
ever changed by a request that fails.
"""

from __future__ import annotations

import json

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError

from models.pytorch_code import pytorch_snippet
from models.weights_io import WeightsError, from_safetensors, to_safetensors
from server import limits
from server.errors import describe_validation_error
from server.openapi import OCTET_STREAM, bytes_answer, raw_body
from server.protocol import PytorchCode, PytorchRequest, RunSettings, TensorValues, WeightsBody
from server.specs import ConfigureError, spec_from_settings

router = APIRouter(prefix="/api")

SETTINGS_METADATA_KEY = "nn-playground/settings"
"""Where a safetensors file made here keeps the settings, as JSON, in its header."""


@router.post("/weights/safetensors", response_class=Response, responses=bytes_answer())
def weights_to_safetensors(body: WeightsBody) -> Response:
    """Pack weights (as `export` sends them) into a safetensors file, settings in its header."""
    weights = {name: t.model_dump() for name, t in body.weights.items()}
    metadata = None
    if body.settings is not None:
        metadata = {SETTINGS_METADATA_KEY: body.settings.model_dump_json()}
    try:
        data = to_safetensors(weights, metadata)  # type: ignore[arg-type]
    except WeightsError as exc:
        raise HTTPException(422, str(exc)) from exc
    headers = {"content-disposition": 'attachment; filename="weights.safetensors"'}
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.post("/weights/from-safetensors", openapi_extra=raw_body(OCTET_STREAM, "binary"))
async def weights_from_safetensors(request: Request) -> WeightsBody:
    """Read an uploaded safetensors file: its tensors, and its settings when it has them."""
    data = await request.body()
    return await anyio.to_thread.run_sync(_read_safetensors, data)  # off the event loop


def _read_safetensors(data: bytes) -> WeightsBody:
    """The tensors and settings of a safetensors file; the counts and shapes are checked from
    its header before a tensor is built."""
    most = limits.MAX_UNITS * limits.MAX_UNITS  # what TensorValues carries
    try:
        weights, metadata = from_safetensors(
            data, limits.MAX_SAFETENSORS_BYTES, limits.MAX_STATE_TENSORS, most
        )
    except WeightsError as exc:
        status = 413 if len(data) > limits.MAX_SAFETENSORS_BYTES else 422
        raise HTTPException(status, str(exc)) from exc
    settings = None
    if SETTINGS_METADATA_KEY in metadata:
        try:
            settings = RunSettings.model_validate(json.loads(metadata[SETTINGS_METADATA_KEY]))
        except (ValueError, ValidationError) as exc:
            reason = describe_validation_error(exc) if isinstance(exc, ValidationError) else exc
            raise HTTPException(422, f"the file's settings are unreadable: {reason}") from exc
    if len(weights) > limits.MAX_STATE_TENSORS:
        most = limits.MAX_STATE_TENSORS
        raise HTTPException(422, f"{len(weights)} tensors; a network here has at most {most}")
    try:
        tensors = {name: TensorValues(**t) for name, t in weights.items()}
    except ValidationError as exc:
        raise HTTPException(422, describe_validation_error(exc)) from exc
    return WeightsBody(weights=tensors, settings=settings)


@router.post("/pytorch")
def pytorch_code(body: PytorchRequest) -> PytorchCode:
    """Plain PyTorch code that rebuilds this setup's network, loss and optimizer."""
    try:
        spec = spec_from_settings(body.settings, body.custom)
    except ConfigureError as exc:
        raise HTTPException(422, str(exc)) from exc
    return PytorchCode(code=pytorch_snippet(spec))
