"""Every websocket message, both ways, and every HTTP body, as pydantic models.

Client -> server classes end in `Command` (commands.py), server -> client ones in `Event`
(events.py); the discriminator is always `type`. The settings both send live in settings.py,
the HTTP bodies in http.py. `python -m server.protocol` prints the JSON schema that
`make codegen` turns into frontend/src/lib/protocol.gen.ts. docs/protocol.md describes each
message with an example.
"""

from __future__ import annotations

from pydantic import TypeAdapter

from server.protocol.base import CUSTOM_DATASET, PROTOCOL_VERSION, Message
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
from server.protocol.custom import CustomPoints
from server.protocol.events import (
    DatasetEvent,
    ErrorEvent,
    FrameEvent,
    Grid,
    HelloEvent,
    History,
    NetWeights,
    OverfitResultEvent,
    RegionPolygons,
    SettingsEvent,
    SpeedEvent,
    WeightImages,
)
from server.protocol.experiments import (
    ApproximationRequest,
    ApproximationResponse,
    ApproximationResult,
    OptimizerCurveResult,
    OptimizerRun,
    OptimizersRequest,
    OptimizersResponse,
    XorSeedsRequest,
    XorSeedsResponse,
    XorWidthResult,
)
from server.protocol.generalisation import (
    DoubleDescentRequest,
    DoubleDescentResponse,
    FeatureCountResult,
    SuspiciousRequest,
    SuspiciousResponse,
    SuspiciousResult,
)
from server.protocol.http import (
    Catalog,
    CatalogEntry,
    DepthCounts,
    ExploreRequest,
    ExploreResponse,
    LayerWeights,
    LossEntry,
    RegionsRequest,
    RegionsResponse,
)
from server.protocol.inspection import (
    FocusPlane,
    HiddenSpaceView,
    InspectCommand,
    InspectedLayer,
    InspectionEvent,
    LayerMonitorStats,
    MonitorSample,
    NeuronPlanes,
    NeuronRef,
    ProbeRequest,
    ProbeResult,
    ProbeStage,
)
from server.protocol.lanes import (
    CompareCommand,
    CompareSetting,
    EndCompareCommand,
    LaneFrame,
    LanesEvent,
    LanesFrameEvent,
    LaneValue,
    PromoteLaneCommand,
)
from server.protocol.lessons import Check, Lesson, LessonAction, LessonExperiment, LessonsResponse
from server.protocol.limits import Limits
from server.protocol.runs import (
    LossCurves,
    PublishAnswer,
    PublishedRun,
    PublishingStatus,
    PublishRequest,
)
from server.protocol.settings import (
    DatasetPatch,
    DatasetSettings,
    HiddenLayer,
    NetworkPatch,
    NetworkSettings,
    RunSettings,
    TrainingPatch,
    TrainingSettings,
)
from server.protocol.setup import (
    SETUP_FORMAT,
    SETUP_VERSION,
    ExportCommand,
    ImportCommand,
    PytorchCode,
    PytorchRequest,
    SetupFile,
    SetupFileEvent,
    TensorValues,
    WeightsBody,
)
from server.protocol.unions import (
    CLIENT_COMMAND,
    COMMAND_TYPES,
    AnyCommand,
    ClientCommand,
    ServerEvent,
)
from server.protocol.units import SetUnitCommand

__all__ = [
    "CLIENT_COMMAND",
    "COMMAND_TYPES",
    "CUSTOM_DATASET",
    "PROTOCOL_VERSION",
    "SETUP_FORMAT",
    "SETUP_VERSION",
    "AnyCommand",
    "ApproximationRequest",
    "ApproximationResponse",
    "ApproximationResult",
    "Catalog",
    "CatalogEntry",
    "Check",
    "ClientCommand",
    "CompareCommand",
    "CompareSetting",
    "ConfigureCommand",
    "CustomPoints",
    "DatasetEvent",
    "DatasetPatch",
    "DatasetSettings",
    "DepthCounts",
    "DoubleDescentRequest",
    "DoubleDescentResponse",
    "EndCompareCommand",
    "ErrorEvent",
    "ExploreRequest",
    "ExploreResponse",
    "ExportCommand",
    "FeatureCountResult",
    "FocusPlane",
    "FrameEvent",
    "Grid",
    "HelloEvent",
    "HiddenLayer",
    "HiddenSpaceView",
    "History",
    "ImportCommand",
    "InspectCommand",
    "InspectedLayer",
    "InspectionEvent",
    "LaneFrame",
    "LaneValue",
    "LanesEvent",
    "LanesFrameEvent",
    "LayerMonitorStats",
    "LayerWeights",
    "Lesson",
    "LessonAction",
    "LessonExperiment",
    "LessonsResponse",
    "Limits",
    "LossCurves",
    "LossEntry",
    "Message",
    "MonitorSample",
    "NetWeights",
    "NetworkPatch",
    "NetworkSettings",
    "NeuronPlanes",
    "NeuronRef",
    "OptimizerCurveResult",
    "OptimizerRun",
    "OptimizersRequest",
    "OptimizersResponse",
    "OverfitCheckCommand",
    "OverfitResultEvent",
    "PauseCommand",
    "PlayCommand",
    "PresetCommand",
    "ProbeRequest",
    "ProbeResult",
    "ProbeStage",
    "PromoteLaneCommand",
    "PublishAnswer",
    "PublishRequest",
    "PublishedRun",
    "PublishingStatus",
    "PytorchCode",
    "PytorchRequest",
    "RegionPolygons",
    "RegionsRequest",
    "RegionsResponse",
    "ResetCommand",
    "RunSettings",
    "ServerEvent",
    "SetUnitCommand",
    "SetWeightCommand",
    "SettingsEvent",
    "SetupFile",
    "SetupFileEvent",
    "SpeedCommand",
    "SpeedEvent",
    "StepCommand",
    "SuspiciousRequest",
    "SuspiciousResponse",
    "SuspiciousResult",
    "TensorValues",
    "TrainingPatch",
    "TrainingSettings",
    "UndoCommand",
    "WeightImages",
    "WeightsBody",
    "XorSeedsRequest",
    "XorSeedsResponse",
    "XorWidthResult",
    "json_schema",
]


def json_schema() -> dict[str, object]:
    """One JSON schema holding both unions, for the TypeScript code generator.

    Commands use the validation schema (defaults are optional to send); events use the
    serialization schema (every field is always present).
    """
    unions, top = TypeAdapter.json_schemas(
        [
            ("ClientCommand", "validation", TypeAdapter(ClientCommand)),
            ("ServerEvent", "serialization", TypeAdapter(ServerEvent)),
            ("Catalog", "serialization", TypeAdapter(Catalog)),
            ("ExploreRequest", "validation", TypeAdapter(ExploreRequest)),
            ("ExploreResponse", "serialization", TypeAdapter(ExploreResponse)),
            ("SetupFile", "validation", TypeAdapter(SetupFile)),
            ("WeightsBody", "validation", TypeAdapter(WeightsBody)),
            ("PytorchRequest", "validation", TypeAdapter(PytorchRequest)),
            ("PytorchCode", "serialization", TypeAdapter(PytorchCode)),
            ("PublishRequest", "validation", TypeAdapter(PublishRequest)),
            ("PublishedRun", "serialization", TypeAdapter(PublishedRun)),
            ("PublishAnswer", "serialization", TypeAdapter(PublishAnswer)),
            ("PublishingStatus", "serialization", TypeAdapter(PublishingStatus)),
            ("LessonsResponse", "serialization", TypeAdapter(LessonsResponse)),
            ("XorSeedsRequest", "validation", TypeAdapter(XorSeedsRequest)),
            ("XorSeedsResponse", "serialization", TypeAdapter(XorSeedsResponse)),
            ("ApproximationRequest", "validation", TypeAdapter(ApproximationRequest)),
            ("ApproximationResponse", "serialization", TypeAdapter(ApproximationResponse)),
            ("OptimizersRequest", "validation", TypeAdapter(OptimizersRequest)),
            ("OptimizersResponse", "serialization", TypeAdapter(OptimizersResponse)),
            ("DoubleDescentRequest", "validation", TypeAdapter(DoubleDescentRequest)),
            ("DoubleDescentResponse", "serialization", TypeAdapter(DoubleDescentResponse)),
            ("SuspiciousRequest", "validation", TypeAdapter(SuspiciousRequest)),
            ("SuspiciousResponse", "serialization", TypeAdapter(SuspiciousResponse)),
        ],
        ref_template="#/$defs/{model}",
    )
    defs = dict(top["$defs"])
    for (name, _mode), schema in unions.items():
        if "$ref" not in schema:  # the unions; Catalog is already a def of its own
            defs[name] = {**schema, "title": name}
    return {"title": "Protocol", "$defs": defs}
