"""The one encoder of outgoing events: frames as msgpack bytes, the rest as JSON text."""

from __future__ import annotations

import msgpack

from server.latest import OutgoingEvent
from server.protocol import FrameEvent, InspectionEvent, LanesFrameEvent


def encode_event(event: OutgoingEvent) -> str | bytes:
    """Frames, lanes frames and inspections (with binary arrays) as msgpack, the rest as JSON."""
    if isinstance(event, FrameEvent | InspectionEvent | LanesFrameEvent):
        packed: bytes = msgpack.packb(event.model_dump(), use_bin_type=True)
        return packed
    return event.model_dump_json()
