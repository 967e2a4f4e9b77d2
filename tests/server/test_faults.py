"""Load and faults: connection churn, a client that stops reading, a worker that fails.

Each leaves the process as it found it: threads back to baseline, memory flat, other
sessions training at their pace, the failing session still open and answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from models.trainer import StepResult, Trainer
from server import ws as ws_module
from server.app import create_app
from server.latest import Outbox
from server.settings import Settings
from tests.conftest import is_type, wait_for
from tests.server.live import frames_within, serving

TIMEOUT = 15.0
WORKER_THREAD = "nnp-worker"
ANYIO_POOL_THREAD = "AnyIO worker thread"


def status_field(name: str) -> int:
    """VmRSS (kB) or Threads from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {name} in /proc/self/status")


def worker_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == WORKER_THREAD)


def own_threads() -> int:
    """Threads of this process outside anyio's pool, which keeps up to 40 idle for reuse."""
    pool = sum(1 for thread in threading.enumerate() if thread.name == ANYIO_POOL_THREAD)
    return status_field("Threads") - pool


def eventually(condition: Any, seconds: float = 5.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (threads end on their own time)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# ------------------------------------------------------------------------ live server


@pytest.fixture
def live_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[Outbox]]]:
    """The app under a real uvicorn on a free port; yields its /ws URL and every Outbox made."""
    outboxes: list[Outbox] = []

    def recording_outbox(loop: asyncio.AbstractEventLoop, *, page_grid: bool = False) -> Outbox:
        outbox = Outbox(loop, page_grid=page_grid)
        outboxes.append(outbox)
        return outbox

    monkeypatch.setattr(ws_module, "Outbox", recording_outbox)
    with serving(create_app(Settings(device="cpu"))) as (host, port):
        yield f"ws://{host}:{port}/ws", outboxes


# ---------------------------------------------------------------------------- churn


def test_connection_churn_leaves_threads_and_memory_flat(
    live_url: tuple[str, list[Outbox]],
) -> None:
    # Over a real server: TestClient cancels the app task as a socket closes, which is not
    # how a server ends a session (and skips ws.py's cleanup: see docs/reliability.md).
    url, _ = live_url

    def cycle(seed: int) -> None:
        with connect(url, proxy=None) as ws:
            ws.send(json.dumps({"type": "configure", "seed": seed, "dataset": {"points": 100}}))
            while not (isinstance(m := ws.recv(timeout=TIMEOUT), str) and '"settings"' in m):
                pass

    # Earlier TestClient tests in this process may have left workers behind (the cancelled
    # clean-up in docs/reliability.md), so every count is against what was there before.
    for seed in range(50):  # first costs: imports, anyio's thread pool (40), allocator arenas
        cycle(seed)
    workers = worker_threads()
    threads, rss_kb = own_threads(), status_field("VmRSS")
    for seed in range(200):
        cycle(seed)
    assert eventually(lambda: worker_threads() <= workers), "a worker outlived its socket"
    assert eventually(lambda: own_threads() <= threads), [t.name for t in threading.enumerate()]
    grown_mb = (status_field("VmRSS") - rss_kb) / 1024
    assert grown_mb < 50, f"RSS grew {grown_mb:.1f} MB over 200 sessions"


# ---------------------------------------------------------------------- slow client


def stalled_connection(url: str) -> ClientConnection:
    """A client whose kernel buffer is tiny and whose library queues one message: once it stops
    reading, the server's writes to it block within a few frames."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before the window is agreed
    sock.connect(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])))
    return connect(url, sock=sock, max_queue=1, compression=None, close_timeout=2)


def test_a_client_that_stops_reading_loses_frames_not_memory_or_others_speed(
    live_url: tuple[str, list[Outbox]],
) -> None:
    url, outboxes = live_url
    with stalled_connection(url) as slow, connect(url, proxy=None, close_timeout=2) as fast:
        slow_outbox = outboxes[0]
        for ws in (slow, fast):
            ws.send(json.dumps({"type": "play"}))
        before = frames_within(fast, 2.0)
        assert frames_within(slow, 1.0), "the slow client got no frames before it stalled"
        rss_kb, started = status_field("VmRSS"), time.monotonic()
        during: list[dict[str, Any]] = []  # `slow` reads nothing from here on
        while slow_outbox.frames_dropped == 0 and time.monotonic() - started < 20:
            during += frames_within(fast, 0.5)  # until the kernel's buffers for `slow` fill
        during += frames_within(fast, 2.0)  # and on, while its frames are dropped
        stalled_seconds = time.monotonic() - started
        grown_mb = (status_field("VmRSS") - rss_kb) / 1024
        assert slow_outbox.frames_dropped > 0, "the stalled client's frames were not dropped"
        assert len(during) / stalled_seconds >= 0.5 * len(before) / 2.0, (before, during)
        assert during[-1]["step"] > during[0]["step"]
        assert grown_mb < 20, f"RSS grew {grown_mb:.1f} MB while a client stalled"
        stalled_at = max(f["step"] for f in frames_within(slow, 0.5))
        later = frames_within(slow, 2.0)  # reading again, it is up to date within moments
        assert later and later[-1]["step"] > stalled_at and later[-1]["running"]
        for ws in (slow, fast):
            ws.send(json.dumps({"type": "pause"}))


def test_invalid_utf8_text_gets_a_clean_close_and_others_go_on(
    live_url: tuple[str, list[Outbox]],
) -> None:
    url, _ = live_url
    with connect(url, proxy=None) as bad, connect(url, proxy=None) as good:
        bad.send(b'{"type": "\xff\xfe"}', text=True)  # a text frame that is not UTF-8
        with contextlib.suppress(ConnectionClosed):
            while True:
                bad.recv(timeout=TIMEOUT)  # until the server closes it
        assert bad.close_code == 1007  # invalid frame payload data
        good.send(json.dumps({"type": "step", "steps": 2}))
        assert any(f["step"] == 2 for f in frames_within(good, 3.0))


# --------------------------------------------------------------------------- worker


def test_a_worker_exception_is_reported_and_the_session_recovers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    armed = threading.Event()
    real_step = Trainer.step

    def failing_step(self: Trainer, k: int = 1) -> StepResult:
        if armed.is_set():
            armed.clear()
            raise RuntimeError("simulated device failure")
        return real_step(self, k)

    monkeypatch.setattr(Trainer, "step", failing_step)
    with client.websocket_connect("/ws") as failing, client.websocket_connect("/ws") as other:
        for ws in (failing, other):
            wait_for(ws, is_type("frame"))
        armed.set()
        failing.send_json({"type": "step", "steps": 3})
        error = wait_for(failing, is_type("error"))
        assert "internal error" in error["message"] and "simulated" in error["message"]
        for ws in (failing, other):  # both train on; the failed one kept its state
            ws.send_json({"type": "step", "steps": 4})
            frame = wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 4)
            assert math.isfinite(frame["train_loss"]) and not frame["running"]


def test_a_diverging_session_reports_it_and_others_are_unaffected(client: TestClient) -> None:
    diverge = {
        "type": "configure",
        "network": {"init": "large_normal", "hidden": [{"units": 8, "activation": "relu"}] * 3},
        "training": {"optimizer": "sgd", "learning_rate": 10.0, "batch_size": 1},
    }
    with client.websocket_connect("/ws") as wild, client.websocket_connect("/ws") as calm:
        wild.send_json(diverge)
        wait_for(wild, is_type("settings"))
        wild.send_json({"type": "step", "steps": 5000})
        calm.send_json({"type": "step", "steps": 50})
        assert "diverged at step" in wait_for(wild, is_type("error"))["message"]
        frame = wait_for(calm, lambda e: e["type"] == "frame" and e["step"] == 50)
        assert math.isfinite(frame["train_loss"])
        wild.send_json({"type": "reset"})
        wild.send_json({"type": "configure", "training": {"learning_rate": 0.01}})
        wait_for(wild, is_type("settings"))
        wild.send_json({"type": "step", "steps": 5})
        frame = wait_for(wild, lambda e: e["type"] == "frame" and e["step"] == 5)
        assert math.isfinite(frame["train_loss"]) and frame["diverged_at"] is None


def test_closing_sockets_stops_every_worker_thread(client: TestClient) -> None:
    """The join in ws.py is shielded from the session task's cancellation: no thread leaks."""
    before = {t for t in threading.enumerate() if t.name == "nnp-worker"}
    for _ in range(10):
        with client.websocket_connect("/ws") as ws:
            ws.send_json({"type": "step", "steps": 3})
            wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 3)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = {t for t in threading.enumerate() if t.name == "nnp-worker"} - before
        if not alive:
            break
        time.sleep(0.05)
    assert not alive, f"{len(alive)} worker threads outlived their sockets"
