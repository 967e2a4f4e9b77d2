"""Server settings, read once from the environment (NNP_* variables)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from server import limits
from server.security import normalize_origin


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
    lessons_dir: str | None = None
    """A folder of lesson JSON files added after the built-in lessons (NNP_LESSONS_DIR);
    read and validated when the app is created, so a bad file stops the start."""
    allowed_origins: Annotated[list[str], NoDecode] = []
    """Other sites whose pages may open /ws and call /api, as `scheme://host[:port]`; the env
    NNP_ALLOWED_ORIGINS takes them comma-separated. The page's own origin is always allowed."""

    allowed_hosts: Annotated[list[str], NoDecode] = []
    """Names this server is reached by besides localhost and IP addresses, for a server that
    listens on loopback only (or any server, once set): other Host headers are refused, which
    stops DNS rebinding. NNP_ALLOWED_HOSTS takes them comma-separated."""

    data_dir: str = "data"
    """Where the server keeps its SQLite database of published runs (NNP_DATA_DIR), relative to
    the working directory; created on the first publish or open, unused with a database URL."""
    database_url: SecretStr | None = None
    """A PostgreSQL database for published runs, e.g. postgresql://user:password@db/nnp
    (NNP_DATABASE_URL); several servers behind a load balancer share it. None: SQLite."""
    publish: Literal["on", "off"] = "on"
    """NNP_PUBLISH=off switches publishing off (published runs can still be opened)."""
    publish_token: SecretStr | None = None
    """When set, publishing needs this token in the X-Publish-Token header (NNP_PUBLISH_TOKEN)."""
    publish_runs_per_hour: int = Field(default=limits.PUBLISH_RUNS_PER_HOUR, ge=0)
    publish_max_total_bytes: int = Field(default=limits.PUBLISH_MAX_TOTAL_BYTES, ge=0)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept `https://a.example,https://b.example` and check each is an origin."""
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple):
            return value
        origins = [normalize_origin(str(part)) for part in value]
        for origin in origins:
            scheme, _, rest = origin.partition("://")
            if scheme not in ("http", "https") or not rest or "/" in rest:
                raise ValueError(f"{origin!r} is not an origin; write it as https://host[:port]")
        return origins
