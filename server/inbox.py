"""The worker's inbox: commands wait here, coalesced and bounded, until the thread takes them."""

from __future__ import annotations

from collections import deque

from server import limits
from server.protocol import (
    AnyCommand,
    ExportCommand,
    ImportCommand,
    InspectCommand,
    OverfitCheckCommand,
    PauseCommand,
    PlayCommand,
    PresetCommand,
    StepCommand,
)

HEAVY_COMMANDS = (OverfitCheckCommand, ImportCommand, ExportCommand, PresetCommand)
"""Commands that take long or carry much: at most limits.MAX_QUEUED_HEAVY of them wait."""
RUN_COMMANDS = (PlayCommand, PauseCommand, StepCommand)


def queue_command(inbox: deque[AnyCommand], command: AnyCommand) -> str | None:
    """Put `command` in the worker's inbox, coalesced; the refusal when it cannot wait."""
    if isinstance(command, InspectCommand):  # a subscription replaces the previous one whole
        for waiting in [c for c in inbox if isinstance(c, InspectCommand)]:
            inbox.remove(waiting)
    elif isinstance(command, RUN_COMMANDS) and inbox and isinstance(inbox[-1], RUN_COMMANDS):
        inbox.pop()  # play, pause, step in a row: the last one decides
    elif isinstance(command, HEAVY_COMMANDS):
        heavy = sum(isinstance(c, HEAVY_COMMANDS) for c in inbox)
        if heavy >= limits.MAX_QUEUED_HEAVY:
            return (
                f"{command.type} dropped: {heavy} slow commands (overfit check, import, export,"
                " preset) are already waiting; send it again once they are answered"
            )
    if len(inbox) >= limits.MAX_QUEUED_COMMANDS:
        return (
            f"{command.type} dropped: {len(inbox)} commands are already waiting;"
            " send it again once they are answered"
        )
    inbox.append(command)
    return None
