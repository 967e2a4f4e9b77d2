"""Published runs: what POST /api/runs takes, what GET /api/runs/{id} gives back."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from server import limits
from server.protocol.base import Message
from server.protocol.setup import SetupFile

MAX_CURVE = limits.PUBLISH_MAX_CURVE_POINTS


class LossCurves(Message):
    """The run's loss samples as columns, as the page keeps them; null where not finite."""

    model_config = ConfigDict(allow_inf_nan=False)
    steps: list[int] = Field(default=[], max_length=MAX_CURVE, fail_fast=True)
    train_loss: list[float | None] = Field(default=[], max_length=MAX_CURVE, fail_fast=True)
    test_loss: list[float | None] = Field(default=[], max_length=MAX_CURVE, fail_fast=True)

    @model_validator(mode="after")
    def _columns_match(self) -> LossCurves:
        lengths = {len(self.steps), len(self.train_loss), len(self.test_loss)}
        if len(lengths) > 1:
            raise ValueError("steps, train_loss and test_loss must have the same length")
        if any(b <= a for a, b in zip(self.steps, self.steps[1:], strict=False)):
            raise ValueError("steps must increase")
        return self


class PublishRequest(Message):
    """POST /api/runs: the run to publish: its setup with the trained weights, and its curves."""

    setup: SetupFile
    """As `export` with weights gives it; the weights are required."""
    history: LossCurves = LossCurves()


class PublishedRun(Message):
    """GET /api/runs/{id}: a published run, exactly as it was sent."""

    id: str
    published_at: float
    """Seconds since 1970 (UTC) when it was published."""
    setup: SetupFile
    history: LossCurves


class PublishAnswer(Message):
    """The answer to POST /api/runs: the new run's id and the address hash that opens it."""

    id: str
    hash: str
    """`#run=<id>`: append it to the page's address."""


class PublishingStatus(Message):
    """GET /api/publishing: whether this server publishes runs, and on what terms."""

    enabled: bool
    token_required: bool
    """Publishing needs the operator's token in the X-Publish-Token header."""
    max_run_bytes: int
    runs_per_hour: int
    max_curve_points: int
