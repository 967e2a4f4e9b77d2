"""The two unions a websocket carries: every command, every event, told apart by `type`."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field, TypeAdapter

from server.protocol import commands, events, inspection, lanes, setup, sweeps

AnyCommand = (
    commands.ConfigureCommand
    | commands.PlayCommand
    | commands.PauseCommand
    | commands.StepCommand
    | commands.ResetCommand
    | commands.PresetCommand
    | inspection.InspectCommand
    | commands.SetWeightCommand
    | commands.UndoCommand
    | commands.OverfitCheckCommand
    | setup.ExportCommand
    | setup.ImportCommand
    | commands.SpeedCommand
    | lanes.CompareCommand
    | lanes.PromoteLaneCommand
    | lanes.EndCompareCommand
    | sweeps.PlanSweepCommand
    | sweeps.StartSweepCommand
    | sweeps.CancelSweepCommand
)
"""Every validated command, as the session hands it to its worker."""
ClientCommand = Annotated[AnyCommand, Field(discriminator="type")]
CLIENT_COMMAND = TypeAdapter(ClientCommand)
COMMAND_TYPES = frozenset(cmd.model_fields["type"].default for cmd in get_args(AnyCommand))
"""Every command's `type`."""

ServerEvent = Annotated[
    events.HelloEvent
    | events.SettingsEvent
    | events.DatasetEvent
    | events.FrameEvent
    | events.ErrorEvent
    | inspection.InspectionEvent
    | events.OverfitResultEvent
    | setup.SetupFileEvent
    | events.SpeedEvent
    | lanes.LanesEvent
    | lanes.LanesFrameEvent
    | sweeps.SweepPlanEvent
    | sweeps.SweepProgressEvent,
    Field(discriminator="type"),
]
