"""The store of published runs, the same suite on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from server.runs_store import (
    RunDamaged,
    RunNotFound,
    RunStore,
    RunTooLarge,
    SchemaTooNew,
    StoreLimits,
    TooManyRuns,
    database_url,
    runs,
    schema_version,
)

ROOMY = StoreLimits(max_run_bytes=100_000, runs_per_hour=100, max_total_bytes=10_000_000)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_store(database: str, clock: Clock) -> Iterator[Callable[..., RunStore]]:
    """Makes stores on the test's database, closing them all afterwards."""
    made: list[RunStore] = []

    def make(limits: StoreLimits = ROOMY) -> RunStore:
        store = RunStore(database, limits, clock)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def noise(n: int) -> bytes:
    """Bytes that do not compress: their stored size is about n."""
    return os.urandom(n)


def test_a_published_record_comes_back_under_an_unguessable_id(open_store) -> None:
    store = open_store()
    ids = [store.publish(f"run {i}".encode(), "client") for i in range(5)]
    assert len(set(ids)) == 5
    for i, run_id in enumerate(ids):
        # token_urlsafe(18): 24 URL-safe characters, 144 random bits
        assert re.fullmatch(r"[A-Za-z0-9_-]{24}", run_id)
        record, published_at = store.get(run_id)
        assert record == f"run {i}".encode()
        assert published_at == 1_800_000_000.0


def test_an_unknown_id_is_not_found(open_store) -> None:
    store = open_store()
    store.publish(b"x", "client")
    with pytest.raises(RunNotFound, match="no published run has this id"):
        store.get("A" * 24)


def test_an_oversized_run_is_refused_and_changes_nothing(open_store) -> None:
    store = open_store(StoreLimits(max_run_bytes=1000, runs_per_hour=10, max_total_bytes=10**6))
    kept = store.publish(b"small", "client")
    with pytest.raises(RunTooLarge, match="at most 1000"):
        store.publish(noise(1001), "client")
    with pytest.raises(RunTooLarge):  # under the limit as sent, but not compressible enough
        store.publish(noise(999), "client")
    assert store.usage()[0] == 1
    assert store.get(kept)[0] == b"small"


def test_runs_per_client_per_hour(open_store, clock: Clock) -> None:
    store = open_store(StoreLimits(max_run_bytes=1000, runs_per_hour=3, max_total_bytes=10**6))
    for _ in range(3):
        store.publish(b"r", "alice")
        clock.now += 60
    with pytest.raises(TooManyRuns, match="3 runs an hour") as refused:
        store.publish(b"r", "alice")
    # The first of the three was published 180 s ago: it leaves the hour in 3420 s.
    assert refused.value.retry_after == 3600 - 180
    store.publish(b"r", "bob")  # another client is not held up
    clock.now += 3600 - 180 + 1
    store.publish(b"r", "alice")
    assert store.usage()[0] == 5


def test_the_oldest_runs_make_room_for_a_new_one(open_store) -> None:
    store = open_store(StoreLimits(max_run_bytes=5000, runs_per_hour=100, max_total_bytes=10_000))
    ids = [store.publish(noise(3000), "client") for _ in range(5)]
    count, total = store.usage()
    assert total <= 10_000
    assert count == 3
    for gone in ids[:2]:
        with pytest.raises(RunNotFound):
            store.get(gone)
    for kept in ids[2:]:
        assert len(store.get(kept)[0]) == 3000


def test_a_run_larger_than_all_the_room_is_refused(open_store) -> None:
    store = open_store(StoreLimits(max_run_bytes=5000, runs_per_hour=100, max_total_bytes=2000))
    kept = store.publish(b"small", "client")
    with pytest.raises(RunTooLarge):
        store.publish(noise(3000), "client")
    assert store.get(kept)[0] == b"small"


@pytest.mark.parametrize("damage", ["body", "digest", "not-zlib"])
def test_a_damaged_row_is_refused_alone(open_store, damage: str) -> None:
    store = open_store()
    bad, good = store.publish(b"first", "client"), store.publish(b"second", "client")
    values = {
        "body": {"body": b"bit rot"},
        "digest": {"digest": "0" * 64},
        # a digest that matches, over bytes the store never writes
        "not-zlib": {"body": b"plain", "digest": hashlib.sha256(b"plain").hexdigest()},
    }[damage]
    with store.engine().begin() as conn:
        conn.execute(update(runs).where(runs.c.id == bad).values(**values))
    with pytest.raises(RunDamaged, match="damaged"):
        store.get(bad)
    assert store.get(good)[0] == b"second"
    assert store.get(store.publish(b"third", "client"))[0] == b"third"


def test_a_database_from_a_newer_server_is_refused(open_store) -> None:
    first = open_store()
    first.publish(b"x", "client")
    with first.engine().begin() as conn:
        conn.execute(update(schema_version).values(version=99))
    with pytest.raises(SchemaTooNew, match="version 99"):
        open_store().publish(b"y", "client")


def test_sqlite_file_and_folder_are_made_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "data"
    store = RunStore(database_url(str(folder), None), ROOMY)
    assert not folder.exists()  # nothing before the first publish or open
    try:
        store.publish(b"x", "client")
    finally:
        store.close()
    assert (folder / "nn-playground.db").is_file()


def test_postgres_urls_use_psycopg_3() -> None:
    assert database_url("", "postgres://u:p@db/nnp") == "postgresql+psycopg://u:p@db/nnp"
    assert database_url("", "postgresql://db/nnp") == "postgresql+psycopg://db/nnp"
    assert database_url("", "sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def _publish_many(url: str, count: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """A worker process: publishes `count` runs as one client, reports ids and refusals."""
    limits = StoreLimits(max_run_bytes=10_000, runs_per_hour=10, max_total_bytes=10**6)
    store = RunStore(url, limits)
    outcome: list[str] = []
    for i in range(count):
        try:
            outcome.append(store.publish(f"{os.getpid()} {i}".encode(), "shared-client"))
        except TooManyRuns:
            outcome.append("refused")
    store.close()
    results.put(outcome)


def test_two_processes_publishing_at_once_keep_every_limit(database: str) -> None:
    # Two server processes, one client: of 16 publishes exactly 10 (the hourly limit) get in.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_publish_many, args=(database, 8, results)) for _ in "ab"]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=90) for _ in workers]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    ids = [x for outcome in outcomes for x in outcome if x != "refused"]
    assert len(ids) == 10
    assert len(set(ids)) == 10
    store = RunStore(database, ROOMY)
    try:
        assert store.usage()[0] == 10
        assert all(store.get(run_id)[0] for run_id in ids)
    finally:
        store.close()
