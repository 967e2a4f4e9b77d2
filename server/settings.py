"""Server settings, read once from the environment (NNP_* variables)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import HTTPConnection


class Settings(BaseSettings):
    """Everything an operator may set; `NNP_DEVICE=cpu` forces CPU training, for example."""

    model_config = SettingsConfigDict(env_prefix="NNP_")

    device: Literal["cpu", "cuda"] | None = None
    """Where sessions train; None picks CUDA when available."""
    static_dir: str | None = None
    """Built frontend to serve at /; None means server/static inside the package."""


def get_settings(connection: HTTPConnection) -> Settings:
    """The app's settings, for routes and websockets alike."""
    settings: Settings = connection.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
