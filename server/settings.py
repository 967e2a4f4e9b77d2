"""Server settings, read once from the environment (NNP_* variables)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import HTTPConnection


class Settings(BaseSettings):
    """Everything an operator may set; `NNP_DEVICE=cpu` forces CPU training, for example."""

    model_config = SettingsConfigDict(env_prefix="NNP_")

    host: str = Field(default="127.0.0.1", validation_alias="HOST")
    """Address `python -m server.serve` listens on (HOST, as for `make run`)."""
    port: int = Field(default=8000, ge=0, le=65535, validation_alias="PORT")
    """Port `python -m server.serve` listens on (PORT)."""
    workers: int = Field(default=1, ge=1)
    """Server processes; sessions live with their socket, so any process may take any client."""
    device: Literal["cpu", "cuda"] | None = None
    """Where sessions train; None picks CUDA when available."""
    static_dir: str | None = None
    """Built frontend to serve at /; None means server/static inside the package."""
    max_sessions: int = Field(default=200, ge=1)
    """Open sessions per process; more are closed with code 1013 (try again later)."""


def get_settings(connection: HTTPConnection) -> Settings:
    """The app's settings, for routes and websockets alike."""
    settings: Settings = connection.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
