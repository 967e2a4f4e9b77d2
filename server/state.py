"""What one app holds for its routes and sockets, reached through one typed dependency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import torch
from fastapi import Depends
from starlette.requests import HTTPConnection

from server import limits
from server.gate import TrainingGate
from server.protocol import LessonsResponse
from server.runs_store import RunStore
from server.settings import Settings
from server.slots import Slots


def _slots(what: str, count: int) -> Slots:
    return Slots(what, count, limits.SLOT_WAIT_SECONDS)


@dataclass
class AppState:
    """One per create_app: settings, device, course, published runs, gate, slots, sessions."""

    settings: Settings
    device: torch.device
    lessons: LessonsResponse
    """The built-in lessons and the deployment's own (NNP_LESSONS_DIR), read at start."""
    runs: RunStore
    """Published runs (SQLite or PostgreSQL); the database opens on first use."""
    gate: TrainingGate = field(default_factory=TrainingGate)
    """One per process: its sessions take turns."""
    region_slots: Slots = field(default_factory=lambda: _slots("region", limits.REGIONS_CONCURRENT))
    experiment_slots: Slots = field(
        default_factory=lambda: _slots("experiment", limits.EXPERIMENTS_CONCURRENT)
    )
    open_sessions: int = 0
    """Websockets open now; only the event loop counts them, so no lock."""


async def app_state(connection: HTTPConnection) -> AppState:
    """The AppState of the app serving this request or websocket.

    Async, so FastAPI calls it on the event loop: a sync dependency would wait for a thread,
    and /api/health must answer while computations hold them all.
    """
    state: AppState = connection.app.state.playground
    return state


AppStateDep = Annotated[AppState, Depends(app_state)]
"""A route's or websocket's parameter type for the app's state."""
