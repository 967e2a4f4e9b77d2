"""Many users on one server: per-session frame and step rates, memory and idle CPU.

`many_sessions(url)` expects the server in this process (bench's `serving()` runs uvicorn in a
thread), because memory and CPU are read from /proc/self and `time.process_time()`. The playing
clients run in a child process (`python -m bench.sessions URL ...`), so that decoding their
frames takes neither this process's CPU time nor its GIL: the numbers are the server's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as connect_async
from websockets.sync.client import ClientConnection as SyncConnection
from websockets.sync.client import connect

SPIRAL_SETTING = {  # TensorFlow Playground's spiral: 2 inputs, [8, 8] tanh, 250 training points
    "type": "configure",
    "network": {"hidden": [{"units": 8, "activation": "tanh"}] * 2},
    "dataset": {"name": "spiral", "points": 500, "train_fraction": 0.5},
    "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10},
}
AT_MAX_SPEED = {"type": "speed", "steps_per_second": None}
"""Sent before play: sessions start at a pace a person can watch, and the bench measures what
the machine can do."""
WARM_UP_SECONDS = 1.0
"""Playing time before the clock starts, so every session has settled into its rate."""
IDLE_SECONDS = 3.0
TIMEOUT = 10.0


def many_sessions(
    url: str, sessions: int = 20, seconds: float = 8.0, prefix: str = "sessions"
) -> dict[str, float]:
    """Frame and step rates of `sessions` playing spiral sessions, and what idle ones cost.

    Rates are per session over the same `seconds`-long window, after a warm-up; the minimum
    shows whether any session starves. Memory is the growth of this process's resident set
    per connected, paused session; idle CPU is this process's CPU time while they sit idle.
    Keys start with `prefix` (the memory and idle keys take it after their name).
    """
    memory_mb, idle_cpu = _idle_cost(url, sessions)
    rates = _play_in_child(url, sessions, seconds)
    frames = [rate["frames_per_s"] for rate in rates]
    steps = [rate["steps_per_s"] for rate in rates]
    suffix = prefix.removeprefix("sessions")  # "" for the 20, "_40" for the 40
    return {
        prefix: sessions,
        f"{prefix}_min_frames_per_s": round(min(frames), 1),
        f"{prefix}_median_frames_per_s": round(statistics.median(frames), 1),
        f"{prefix}_min_steps_per_s": round(min(steps), 1),
        f"{prefix}_median_steps_per_s": round(statistics.median(steps), 1),
        f"memory_per_session_mb{suffix}": round(memory_mb, 2),
        f"idle_cpu_percent{suffix}": round(idle_cpu, 2),
    }


def _idle_cost(url: str, sessions: int) -> tuple[float, float]:
    """RSS growth (MB) per connected paused session, and process CPU (%) while they idle."""
    with connect(url, proxy=None) as ws:  # first-session costs (imports, pools)
        _first_frame(ws)
    before = _rss_mb()
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(connect(url, proxy=None)) for _ in range(sessions)]
        for ws in sockets:
            _first_frame(ws)  # the worker has built its trainer and sent step 0
        memory_mb = (_rss_mb() - before) / sessions
        cpu, wall = time.process_time(), time.perf_counter()
        time.sleep(IDLE_SECONDS)  # the measurement itself: nothing should run meanwhile
        idle_cpu = 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)
    return memory_mb, idle_cpu


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def _first_frame(ws: SyncConnection) -> None:
    while not isinstance(ws.recv(timeout=TIMEOUT), bytes):
        pass


def _play_in_child(url: str, sessions: int, seconds: float) -> list[dict[str, float]]:
    """Run the playing clients in a child process; one {frames_per_s, steps_per_s} each."""
    command = [sys.executable, "-m", "bench.sessions", url, str(sessions), str(seconds)]
    budget = WARM_UP_SECONDS + seconds + 2 * TIMEOUT
    done = subprocess.run(command, capture_output=True, text=True, timeout=budget, check=True)
    rates: list[dict[str, float]] = json.loads(done.stdout)
    return rates


async def play_all(url: str, sessions: int, seconds: float) -> list[dict[str, float]]:
    """Open `sessions` spiral sessions, play them all, and measure each over one window."""
    sockets = [await connect_async(url, proxy=None) for _ in range(sessions)]
    try:
        for ws in sockets:
            await ws.send(json.dumps(SPIRAL_SETTING))
            await ws.send(json.dumps(AT_MAX_SPEED))
            await ws.send(json.dumps({"type": "play"}))
        start = time.perf_counter() + WARM_UP_SECONDS
        window = (start, start + seconds)
        return list(await asyncio.gather(*(_measure(ws, window) for ws in sockets)))
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))


async def _measure(ws: ClientConnection, window: tuple[float, float]) -> dict[str, float]:
    """Frames received in the window, and steps/s between the window's first and last frame."""
    start, end = window
    seen: list[tuple[float, int]] = []
    while (now := time.perf_counter()) < end:
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=max(end - now, 0.001))
        except TimeoutError:
            break
        if not isinstance(message, bytes):
            continue
        frame: dict[str, Any] = msgpack.unpackb(message)
        received = time.perf_counter()
        if frame["running"] and received >= start:
            seen.append((received, frame["step"]))
    frames_per_s = len(seen) / (end - start)
    if len(seen) < 2:
        return {"frames_per_s": frames_per_s, "steps_per_s": 0.0}
    (first_at, first_step), (last_at, last_step) = seen[0], seen[-1]
    return {
        "frames_per_s": frames_per_s,
        "steps_per_s": (last_step - first_step) / (last_at - first_at),
    }


if __name__ == "__main__":  # the child process of `_play_in_child`: URL, sessions, seconds
    url, sessions, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(asyncio.run(play_all(url, sessions, seconds))))
