"""Session: one per websocket. Validates incoming text and steers the worker thread."""

from __future__ import annotations

import json

import torch
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from models.config import RunSpec
from server import limits
from server.errors import describe_errors, error_details
from server.gate import TrainingGate
from server.latest import Outbox
from server.protocol import CLIENT_COMMAND, COMMAND_TYPES, ErrorEvent, RunSettings
from server.protocol.setup import MAX_REQUEST_ID
from server.specs import settings_from_spec
from server.worker import Worker


class Session:
    """The state behind one connection: its outbox and its training worker."""

    def __init__(
        self, spec: RunSpec, device: torch.device, outbox: Outbox, gate: TrainingGate
    ) -> None:
        self.spec = spec
        self.outbox = outbox
        self._worker = Worker(spec, device, outbox, gate)

    @property
    def settings(self) -> RunSettings:
        """The setup the session started with (the worker owns the current one)."""
        return settings_from_spec(self.spec)

    def start(self) -> None:
        """Start training on command; call after the hello is sent."""
        self._worker.start()

    def handle_text(self, text: str) -> None:
        """Validate one client message; a bad one gets an error event, a good one goes on."""
        try:
            command = CLIENT_COMMAND.validate_json(text)
        except ValidationError as exc:
            errors = error_details(exc, inputs=len(text) <= limits.DESCRIBED_INPUT_BYTES)
            message, refused = describe_errors(errors), _type_of(errors)
            self.outbox.put(ErrorEvent(message=message, command=refused, request_id=_id_of(text)))
            return
        self._worker.submit(command)

    def refuse(self, message: str) -> None:
        """Answer a message that could not even be read (binary, too large) with an error."""
        self.outbox.put(ErrorEvent(message=message))

    def close(self) -> None:
        """Stop the worker thread; blocks briefly, so call it off the event loop."""
        self._worker.close()


def _type_of(errors: list[ErrorDetails]) -> str | None:
    """The message's `type` if it names a command, for the error event; never an arbitrary
    client string.

    The tagged union puts a known tag first in each error's location, so the message is not
    parsed again. An unknown type stays out: it may hold a lone surrogate (JSON can escape
    one as \\ud800) that no event can be encoded with.
    """
    where = errors[0]["loc"] if errors else ()
    kind = where[0] if where else None
    return kind if isinstance(kind, str) and kind in COMMAND_TYPES else None


def _id_of(text: str) -> int | None:
    """The `request_id` of a refused message when it has a valid one, so the client can tell
    which of its requests failed (only the refusal pays for reading the text again)."""
    try:
        value = json.loads(text).get("request_id")
    except (ValueError, AttributeError, RecursionError):
        return None
    return value if type(value) is int and 0 <= value <= MAX_REQUEST_ID else None
