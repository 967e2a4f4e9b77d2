"""Save, load, share: the setup file, its websocket commands and the HTTP conversions.

A setup file is plain JSON (settings, the user's points, optionally the weights as numbers),
so nothing a user uploads is ever unpickled; weights also travel as safetensors.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from server import limits
from server.protocol.base import Message
from server.protocol.custom import CustomPoints
from server.protocol.settings import RunSettings

SETUP_FORMAT: Literal["nn-playground/setup"] = "nn-playground/setup"
SETUP_VERSION: Literal[1] = 1
MAX_REQUEST_ID = 2**31 - 1
"""Request ids fit a 32-bit signed integer, so any client counts them without overflow."""


class TensorValues(Message):
    """One tensor of the network's state: its shape and its values, flattened row-major."""

    model_config = ConfigDict(allow_inf_nan=False)
    shape: list[int] = Field(max_length=4, fail_fast=True)
    values: list[float] = Field(max_length=limits.MAX_UNITS * limits.MAX_UNITS, fail_fast=True)


class SetupFile(Message):
    """Everything that reproduces a session: the JSON file of Export and Import."""

    format: Literal["nn-playground/setup"] = SETUP_FORMAT
    version: Literal[1] = SETUP_VERSION
    settings: RunSettings
    custom: CustomPoints | None = None
    """The user's own points, when the dataset is "custom"."""
    step: int | None = Field(None, ge=0, le=limits.MAX_STEP)
    """The step the weights were saved at."""
    weights: dict[str, TensorValues] | None = Field(None, max_length=limits.MAX_STATE_TENSORS)
    """The network's state by torch's state_dict names ("1.weight", …); None for a fresh start."""


class Requested(Message):
    """A command whose reply the client matches to it by an id of its own choosing."""

    request_id: int | None = Field(None, ge=0, le=MAX_REQUEST_ID)
    """Echoed in the reply (`setup_file`, `settings` or `error`), so the client knows which
    of its requests was answered; null when the client does not care."""


class ExportCommand(Requested):
    """Ask for the current setup as a SetupFile (answered by `setup_file`)."""

    type: Literal["export"] = "export"
    weights: bool = True
    """Include the current weights (and the step they were saved at)."""


class ImportCommand(Requested):
    """Replace the whole setup, paused; with weights, training resumes from them (answered by
    `settings`, or `error` when the file is refused)."""

    type: Literal["import"] = "import"
    setup: SetupFile


class SetupFileEvent(Message):
    """The answer to `export`."""

    type: Literal["setup_file"] = "setup_file"
    setup: SetupFile
    request_id: int | None = None
    """The `request_id` of the export this answers."""


class WeightsBody(Message):
    """POST /api/weights/safetensors: weights to pack, and the settings to keep beside them."""

    weights: dict[str, TensorValues] = Field(max_length=limits.MAX_STATE_TENSORS)
    settings: RunSettings | None = None


class PytorchRequest(Message):
    """POST /api/pytorch: the setup to write as PyTorch code."""

    settings: RunSettings
    custom: CustomPoints | None = None
    """The user's points, when the dataset is "custom" (they decide the classes)."""


class PytorchCode(Message):
    """The code that rebuilds the network, its loss and its optimizer in plain PyTorch."""

    code: str
