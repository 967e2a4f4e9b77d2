"""Shared fixtures: an in-process app client, and helpers to read websocket events."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import msgpack
import pytest
import torch
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from server.app import create_app
from server.settings import Settings

Event = dict[str, Any]

# One intra-op thread, as every training worker runs: the nets are tiny, and on a loaded
# 2-core machine a second thread made Trainer and Sweep steps up to 20x slower.
torch.set_num_threads(1)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(device="cpu"))) as c:
        yield c


def receive_event(ws: WebSocketTestSession) -> Event:
    """The next server event, decoded from JSON text or msgpack bytes."""
    message = ws.receive()
    if message.get("bytes") is not None:
        event: Event = msgpack.unpackb(message["bytes"])
        return event
    if message.get("text") is not None:
        decoded: Event = json.loads(message["text"])
        return decoded
    raise AssertionError(f"socket closed: {message}")


def wait_for(
    ws: WebSocketTestSession, predicate: Callable[[Event], bool], limit: int = 2000
) -> Event:
    """Read events until one satisfies `predicate` (bounded, so a bug fails instead of hanging)."""
    for _ in range(limit):
        event = receive_event(ws)
        if predicate(event):
            return event
    raise AssertionError("no matching event")


def is_type(kind: str) -> Callable[[Event], bool]:
    return lambda event: event["type"] == kind
