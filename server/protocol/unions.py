"""The two unions a websocket carries: every command, every event, told apart by `type`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter

from server.protocol.commands import (
    ConfigureCommand,
    OverfitCheckCommand,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    ResetCommand,
    SetWeightCommand,
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
)
from server.protocol.inspection import InspectCommand, InspectionEvent
from server.protocol.setup import ExportCommand, ImportCommand, SetupFileEvent

ClientCommand = Annotated[
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
    | ImportCommand,
    Field(discriminator="type"),
]
CLIENT_COMMAND = TypeAdapter(ClientCommand)

ServerEvent = Annotated[
    HelloEvent
    | SettingsEvent
    | DatasetEvent
    | FrameEvent
    | ErrorEvent
    | InspectionEvent
    | OverfitResultEvent
    | SetupFileEvent,
    Field(discriminator="type"),
]
