"""Many sessions at once: fair progress in one process, several processes, the session limit."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.app import create_app
from server.settings import Settings
from server.ws import CLOSE_TRY_AGAIN_LATER
from tests.conftest import Event, receive_event, wait_for

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 15.0


def running_frame(event: Event) -> bool:
    return event["type"] == "frame" and event["running"]


def test_twenty_playing_sessions_in_one_process_all_make_progress(client: TestClient) -> None:
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(client.websocket_connect("/ws")) for _ in range(20)]
        for ws in sockets:
            ws.send_json({"type": "play"})
        for ws in sockets:  # while one is read, the other nineteen keep training
            first = wait_for(ws, running_frame)
            later = wait_for(ws, running_frame)
            assert later["step"] > first["step"] > 0
        for ws in sockets:
            ws.send_json({"type": "pause"})


def test_sessions_over_the_limit_are_told_to_try_again_later() -> None:
    with TestClient(create_app(Settings(device="cpu", max_sessions=2))) as client:
        with client.websocket_connect("/ws") as a, client.websocket_connect("/ws") as b:
            assert receive_event(a)["type"] == receive_event(b)["type"] == "hello"
            with client.websocket_connect("/ws") as refused:
                message = refused.receive()
                assert message["type"] == "websocket.close"
                assert message["code"] == CLOSE_TRY_AGAIN_LATER
                assert "try again later" in message["reason"]
        with client.websocket_connect("/ws") as c:  # a and b left, so there is room again
            assert receive_event(c)["type"] == "hello"


def test_two_worker_processes_serve_many_sessions_and_stop_cleanly(tmp_path: Path) -> None:
    with (
        serve_processes(workers=2, log=tmp_path / "serve.log") as (url, server),
        contextlib.ExitStack() as stack,
    ):
        sockets = [stack.enter_context(connect(url, proxy=None)) for _ in range(10)]
        for ws in sockets:
            ws.send(json.dumps({"type": "step", "steps": 5}))
        for ws in sockets:
            assert next_resting_frame(ws)["step"] == 5
            ws.send(json.dumps({"type": "step", "steps": 3}))
        for ws in sockets:
            assert next_resting_frame(ws)["step"] == 8
        server.send_signal(signal.SIGTERM)
        assert server.wait(TIMEOUT) == 0, (tmp_path / "serve.log").read_text()
        for ws in sockets:  # the server said goodbye: 1012, service restart
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=TIMEOUT)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012


@contextlib.contextmanager
def serve_processes(workers: int, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m server.serve` on a free loopback port; yields its /ws URL and the process."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "NNP_DEVICE": "cpu"}
    env["NNP_WORKERS"] = str(workers)
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "server.serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the finally can end it all
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/api/health", server, log)
        yield f"ws://127.0.0.1:{port}/ws", server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(TIMEOUT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the health route until every worker could have answered (bounded)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server exited:\n{log.read_text()}"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
            if response.status == 200:
                return
        time.sleep(0.1)  # polling for readiness only
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


def next_resting_frame(ws: ClientConnection) -> dict[str, Any]:
    """The next frame of a paused session (the one that ends a step command)."""
    for _ in range(100):
        message = ws.recv(timeout=TIMEOUT)
        if isinstance(message, bytes):
            frame: dict[str, Any] = msgpack.unpackb(message)
            if not frame["running"] and frame["step"] > 0:
                return frame
    raise AssertionError("no resting frame")
