"""HTTP routes: /api/health and /api/catalog."""

from __future__ import annotations

import torch
from fastapi import APIRouter, Request

from server import __version__
from server.catalog import build_catalog
from server.protocol import Catalog

router = APIRouter(prefix="/api")


@router.get("/health")
def health(request: Request) -> dict[str, str]:
    """Liveness and what this server runs on."""
    device: torch.device = request.app.state.device
    return {
        "status": "ok",
        "version": __version__,
        "torch": torch.__version__,
        "device": device.type,
    }


@router.get("/catalog")
def catalog() -> Catalog:
    """Every name the UI and the websocket accept, with descriptions and limits."""
    return build_catalog()
