"""The one encoder of outgoing events: frames as msgpack bytes, the rest as JSON text."""

from __future__ import annotations

import msgpack

from server.latest import OutgoingEvent
from server.protocol import FrameEvent


def encode_event(event: OutgoingEvent) -> str | bytes:
    """Frames (with their binary grid) as msgpack, every other event as JSON text."""
    if isinstance(event, FrameEvent):
        packed: bytes = msgpack.packb(event.model_dump(), use_bin_type=True)
        return packed
    return event.model_dump_json()
