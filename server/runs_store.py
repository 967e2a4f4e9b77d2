"""Published runs in SQLite or PostgreSQL: one data-access layer over SQLAlchemy Core.

The store keeps opaque records (bytes: the routes decide what a run is), compressed, with a
SHA-256 digest that is checked on every read, so a damaged row is refused on its own and
nothing else is affected. Every write runs in one transaction that holds the database's write
lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock), so the per-hour
count, the insert and the oldest-first eviction are one step however many server processes
publish at once. The schema is versioned by a one-row table (docs/deploy.md says why not
Alembic); the engine and the tables are made on first use, not when the app starts.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url

SCHEMA_VERSION = 1
"""The tables' layout; a database written by a newer server is refused, not misread."""
SQLITE_FILE = "nn-playground.db"
ID_BYTES = 18
"""Random bytes in a run id: 144 bits, written as 24 URL-safe characters."""
_ADVISORY_LOCK = 0x6E6E70  # "nnp": PostgreSQL's lock id for publishing
_HOUR = 3600.0

metadata = MetaData()
runs = Table(
    "nnp_published_runs",
    metadata,
    # The insertion order, which eviction follows (ids are random, clocks may tie).
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("created_at", Float, nullable=False),
    Column("client", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Index("nnp_published_runs_client", "client", "created_at"),
)
schema_version = Table("nnp_schema", metadata, Column("version", Integer, nullable=False))


@dataclass(frozen=True)
class StoreLimits:
    """What the store accepts: bytes per run and in all, publishes per client per hour."""

    max_run_bytes: int
    runs_per_hour: int
    max_total_bytes: int


class StoreError(Exception):
    """A publish or read the store refuses; `status` is the HTTP answer, the message its detail."""

    status = 422


class RunTooLarge(StoreError):
    status = 413


class TooManyRuns(StoreError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RunNotFound(StoreError):
    status = 404


class RunDamaged(StoreError):
    status = 422


class SchemaTooNew(RuntimeError):
    """The database was written by a newer server; this one will not touch it."""


def database_url(data_dir: str, url: str | None) -> str:
    """SQLAlchemy's URL for a configured database: PostgreSQL through psycopg 3, else SQLite."""
    if not url:
        return f"sqlite:///{Path(data_dir).resolve() / SQLITE_FILE}"
    for scheme in ("postgres://", "postgresql://"):  # the spellings libpq and hosts use
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def client_key(address: str) -> str:
    """What the per-hour count remembers of a client: a digest of its address, not the address."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


class RunStore:
    """Published runs in one database; safe to share between threads and processes."""

    def __init__(
        self, url: str, limits: StoreLimits, clock: Callable[[], float] = time.time
    ) -> None:
        self.url = url
        self.limits = limits
        self._clock = clock
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def publish(self, record: bytes, client: str) -> str:
        """Stores `record` and returns its new id; raises RunTooLarge or TooManyRuns."""
        limits = self.limits
        if len(record) > limits.max_run_bytes:
            raise RunTooLarge(f"the run is {len(record)} bytes; at most {limits.max_run_bytes}")
        body = zlib.compress(record, 6)
        if len(body) > min(limits.max_run_bytes, limits.max_total_bytes):
            most = min(limits.max_run_bytes, limits.max_total_bytes)
            raise RunTooLarge(f"the run takes {len(body)} bytes stored; at most {most}")
        run_id = secrets.token_urlsafe(ID_BYTES)
        now = self._clock()
        with self._writing() as conn:
            self._check_rate(conn, client, now)
            row = {
                "id": run_id,
                "created_at": now,
                "client": client,
                "size": len(body),
                "digest": hashlib.sha256(body).hexdigest(),
                "body": body,
            }
            seq = conn.execute(insert(runs).values(row).returning(runs.c.seq)).scalar_one()
            self._evict(conn, keep=seq)
        return run_id

    def get(self, run_id: str) -> tuple[bytes, float]:
        """The record stored under `run_id` and when; raises RunNotFound or RunDamaged."""
        with self._reading() as conn:
            row = conn.execute(
                select(runs.c.digest, runs.c.body, runs.c.created_at).where(runs.c.id == run_id)
            ).first()
        if row is None:
            raise RunNotFound("no published run has this id (it may have been removed for room)")
        digest, body, created_at = row
        damaged = RunDamaged("this published run is damaged in storage and cannot be opened")
        if hashlib.sha256(body).hexdigest() != digest:
            raise damaged
        try:
            return zlib.decompress(body), float(created_at)
        except zlib.error as exc:
            raise damaged from exc

    def usage(self) -> tuple[int, int]:
        """(runs, bytes) stored."""
        with self._reading() as conn:
            count, total = conn.execute(
                select(func.count(), func.coalesce(func.sum(runs.c.size), 0))
            ).one()
        return int(count), int(total)

    def close(self) -> None:
        """Closes the database connections (a later call opens them again)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def engine(self) -> Engine:
        """The engine, made (with the database's file, folder and tables) on first use."""
        with self._lock:
            if self._engine is None:
                engine = _make_engine(self.url)
                try:
                    _migrate(engine)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    # ---------------------------------------------------------------- inside a write

    def _check_rate(self, conn: Connection, client: str, now: float) -> None:
        allowed = self.limits.runs_per_hour
        recent = select(runs.c.created_at).where(
            runs.c.client == client, runs.c.created_at > now - _HOUR
        )
        times = sorted(conn.execute(recent).scalars())
        if len(times) >= allowed:
            first_free = times[len(times) - allowed] + _HOUR if allowed else now + _HOUR
            wait = max(1, round(first_free - now))
            raise TooManyRuns(
                f"{allowed} runs an hour may be published from one address; try again in "
                f"{wait // 60} min {wait % 60} s",
                retry_after=wait,
            )

    def _evict(self, conn: Connection, keep: int) -> None:
        """Deletes the oldest runs (never `keep`) until all fit in max_total_bytes."""
        total = conn.execute(select(func.coalesce(func.sum(runs.c.size), 0))).scalar_one()
        excess = int(total) - self.limits.max_total_bytes
        if excess <= 0:
            return
        oldest = select(runs.c.seq, runs.c.size).where(runs.c.seq != keep).order_by(runs.c.seq)
        last = None
        for seq, size in conn.execute(oldest.limit(10_000)).all():
            excess -= size
            last = seq
            if excess <= 0:
                break
        if last is not None:
            conn.execute(delete(runs).where(runs.c.seq <= last, runs.c.seq != keep))

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with _transaction(self.engine(), write=True) as conn:
            yield conn

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with _transaction(self.engine(), write=False) as conn:
            yield conn


@contextmanager
def _transaction(engine: Engine, write: bool) -> Iterator[Connection]:
    """One transaction; a write one holds the database's publish lock until it ends."""
    with engine.connect().execution_options(nnp_write=write) as conn, conn.begin():
        if write and engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        yield conn


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    # pysqlite's own transaction handling would start writes as DEFERRED, which deadlocks
    # two writers that both read first: take the write lock when the transaction begins.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("nnp_write", True)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _migrate(engine: Engine) -> None:
    """Creates the tables in a new database, and refuses one from a newer server."""
    with _transaction(engine, write=True) as conn:
        metadata.create_all(conn)
        version = conn.execute(select(func.max(schema_version.c.version))).scalar_one()
        if version is None:
            conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        elif version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the database's schema is version {version}; this server knows up to "
                f"{SCHEMA_VERSION}: upgrade the server"
            )
