"""The one encoder of outgoing events: frames as msgpack bytes, the rest as JSON text."""

from __future__ import annotations

import msgpack

from server.latest import OutgoingEvent
from server.protocol import FrameEvent, InspectionEvent


def encode_event(event: OutgoingEvent) -> str | bytes:
    """Frames and inspections (with their binary arrays) as msgpack, the rest as JSON text."""
    if isinstance(event, FrameEvent | InspectionEvent):
        packed: bytes = msgpack.packb(event.model_dump(), use_bin_type=True)
        return packed
    return event.model_dump_json()
