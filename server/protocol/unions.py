"""The two unions a websocket carries: every command, every event, told apart by `type`."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter

from server.protocol.commands import (
    ConfigureCommand,
    OverfitCheckCommand,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    ResetCommand,
    SetWeightCommand,
    SpeedCommand,
    StepCommand,
    UndoCommand,
)
from server.protocol.events import (
    DatasetEvent,
    ErrorEvent,
    FrameEvent,
    HelloEvent,
    OverfitResultEvent,
    SettingsEvent,
    SpeedEvent,
)
from server.protocol.inspection import InspectCommand, InspectionEvent
from server.protocol.lanes import (
    CompareCommand,
    EndCompareCommand,
    LanesEvent,
    LanesFrameEvent,
    PromoteLaneCommand,
)
from server.protocol.setup import ExportCommand, ImportCommand, SetupFileEvent

AnyCommand = (
    ConfigureCommand
    | PlayCommand
    | PauseCommand
    | StepCommand
    | ResetCommand
    | PresetCommand
    | InspectCommand
    | SetWeightCommand
    | UndoCommand
    | OverfitCheckCommand
    | ExportCommand
    | ImportCommand
    | SpeedCommand
    | CompareCommand
    | PromoteLaneCommand
    | EndCompareCommand
)
"""Every validated command, as the session hands it to its worker."""
ClientCommand = Annotated[AnyCommand, Field(discriminator="type")]
CLIENT_COMMAND = TypeAdapter(ClientCommand)
COMMAND_TYPES = frozenset(c.model_fields["type"].default for c in get_args(AnyCommand))
"""Every command's `type`."""

ServerEvent = Annotated[
    HelloEvent
    | SettingsEvent
    | DatasetEvent
    | FrameEvent
    | ErrorEvent
    | InspectionEvent
    | OverfitResultEvent
    | SetupFileEvent
    | SpeedEvent
    | LanesEvent
    | LanesFrameEvent,
    Field(discriminator="type"),
]
