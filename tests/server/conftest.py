"""Storage fixtures: the same tests run on SQLite (a temp file) and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from server.runs_store import database_url, metadata
from tests.postgres import MISSING, TempPostgres, postgres_bin


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One PostgreSQL server for the whole session (started on first use, stopped after)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.fail(MISSING)
    server = TempPostgres(bin_dir)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLAlchemy URL of an empty database of either kind."""
    if request.param == "sqlite":
        return database_url(str(tmp_path / "data"), None)
    url = database_url("", request.getfixturevalue("postgres_server"))
    engine = create_engine(url)
    try:
        metadata.drop_all(engine)  # a clean database for every test
    finally:
        engine.dispose()
    return url
