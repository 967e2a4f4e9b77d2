"""`make bench`: engine vs NumPy, live sessions (one, 20, 40, the largest network, churn), exact
regions; JSON on the last line."""

from __future__ import annotations

import contextlib
import json
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any

import msgpack
import numpy as np
import torch
import uvicorn
from websockets.sync.client import ClientConnection, connect

from bench.browser import browser_fps, live_boundary_fps
from bench.churn import churn
from bench.lanes import lanes_vs_alone
from bench.largest import largest_costs, largest_session
from bench.numpy_reference import NumpyMLP
from bench.regioncam_race import regions_vs_regioncam
from bench.sessions import AT_MAX_SPEED, SPIRAL_SETTING, many_sessions
from bench.spiral import spiral_seconds_to_0_1
from bench.sweep import sweep_speedup
from bench.user_sweep import frames_during_sweep, sweep_speed
from models.analysis.regions import count_regions, layers_from_module
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import BOX
from models.device import pick_device
from models.network import build_network
from models.trainer import Trainer
from server.app import create_app
from server.settings import Settings

ENGINE_SPEC = RunSpec(
    network=NetworkSpec(hidden=(LayerSpec(8, "tanh"), LayerSpec(8, "tanh"))),
    data=DataSpec("circle", points=500),
    training=TrainSpec("adam", learning_rate=0.01, batch_size=10),
)
STEPS = 3000


def engine_steps_per_s() -> float:
    trainer = Trainer(ENGINE_SPEC)
    trainer.step(200)  # warm-up
    started = time.perf_counter()
    trainer.step(STEPS)
    return STEPS / (time.perf_counter() - started)


def numpy_steps_per_s() -> float:
    trainer = Trainer(ENGINE_SPEC)  # the same data and batch size
    x, y = trainer.split.train.x.numpy(), trainer.split.train.y.numpy()
    mlp = NumpyMLP([2, 8, 8, 1], lr=0.01)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    started = time.perf_counter()
    for i in range(STEPS):
        start = (i * 10) % (len(x) - 10)
        idx = order[start : start + 10]
        mlp.step(x[idx], y[idx])
    return STEPS / (time.perf_counter() - started)


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """The real app under uvicorn on a free loopback port; yields its http base URL."""
    config = uvicorn.Config(create_app(Settings()), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def next_frame(ws: ClientConnection) -> dict[str, Any]:
    """Skip text events; decode the next binary frame."""
    frame: dict[str, Any] = msgpack.unpackb(next_frame_bytes(ws))
    return frame


def next_frame_bytes(ws: ClientConnection) -> bytes:
    """Skip text events; the next binary frame as it came over the wire."""
    while True:
        message = ws.recv(timeout=5)
        if isinstance(message, bytes):
            return message


def live_session(url: str, seconds: float = 5.0) -> tuple[float, float, float]:
    """Examples/s, frames/s and mean bytes per frame of one streaming session on TF
    Playground's spiral setting."""
    with connect(url, max_size=None) as ws:
        ws.send(json.dumps(SPIRAL_SETTING))
        ws.send(json.dumps(AT_MAX_SPEED))
        ws.send(json.dumps({"type": "play"}))
        frames, wire_bytes, first, last = 0, 0, None, None
        deadline = time.perf_counter() + seconds + 1
        while time.perf_counter() < deadline:
            message = next_frame_bytes(ws)
            frame = msgpack.unpackb(message)
            if frame["step"] == 0:
                continue
            now = time.perf_counter()
            if first is None:
                first = (now, frame["step"])  # start the clock on the first frame
            else:
                frames += 1
                wire_bytes += len(message)
            last = (now, frame["step"])
        assert first is not None and last is not None
        elapsed = last[0] - first[0]
        return (last[1] - first[1]) * 10 / elapsed, frames / elapsed, wire_bytes / max(1, frames)


def command_latency_ms(url: str, commands: int = 30) -> float:
    """Median time from a `step` command to the frame that shows it, on loopback."""
    with connect(url, max_size=None) as ws:
        ws.send(json.dumps(SPIRAL_SETTING))
        step = next_frame(ws)["step"]
        latencies = []
        for _ in range(commands):
            started = time.perf_counter()
            ws.send(json.dumps({"type": "step", "steps": 1}))
            while next_frame(ws)["step"] != step + 1:
                pass
            latencies.append(time.perf_counter() - started)
            step += 1
        return 1000 * statistics.median(latencies)


def regions_ms(hidden: tuple[int, ...], repeats: int = 5) -> tuple[float, int]:
    """Best-of-`repeats` milliseconds to count the regions of a default-initialised ReLU net."""
    spec = NetworkSpec(hidden=tuple(LayerSpec(units, "relu") for units in hidden))
    layers = layers_from_module(build_network(spec, torch.Generator().manual_seed(0)))
    times, count = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        count = count_regions(layers, "relu", BOX)
        times.append(time.perf_counter() - started)
    return 1000 * min(times), count


def main() -> None:
    torch.set_num_threads(1)
    engine, reference = engine_steps_per_s(), numpy_steps_per_s()
    with serving() as base:
        socket = base.replace("http://", "ws://") + "/ws"
        # As the page connects (frames carry weights), then as a plain client (server grids).
        examples, frames, frame_bytes = live_session(socket + "?grid=page")
        grid_examples, grid_frames, grid_bytes = live_session(socket)
        lanes = lanes_vs_alone(socket, examples)
        latency = command_latency_ms(socket)
        spiral = spiral_seconds_to_0_1(socket)
        browser = browser_fps(base)
        page_grid = browser_fps(base, weights=True)["browser_fps"]
        boundary = live_boundary_fps(base)
        crowd = many_sessions(socket)
        during_sweep = frames_during_sweep(socket, live_session)
        classroom = many_sessions(socket, sessions=40, prefix="sessions_40")
        largest = largest_session(socket)
        churned = churn(socket, cycles=2000)
    largest |= largest_costs()
    regions_2k, count_2k = regions_ms((32, 32))
    regions_18k, count_18k = regions_ms((100, 100), repeats=3)
    sweep = sweep_speedup()
    user_sweep = sweep_speed()
    regioncam = regions_vs_regioncam()
    result = {
        "engine_steps_per_s": round(engine, 1),
        "numpy_steps_per_s": round(reference, 1),
        "engine_vs_numpy": round(engine / reference, 3),
        "session_examples_per_s": round(examples, 1),
        "frames_per_s": round(frames, 1),
        "bytes_per_frame": round(frame_bytes),
        "session_examples_per_s_server_grid": round(grid_examples, 1),
        "frames_per_s_server_grid": round(grid_frames, 1),
        "bytes_per_frame_server_grid": round(grid_bytes),
        "command_latency_ms": round(latency, 2),
        "regions_2k_ms": round(regions_2k, 2),
        "regions_2k_count": count_2k,
        "regions_18k_ms": round(regions_18k, 1),
        "regions_18k_count": count_18k,
        **{key: round(value, 2) for key, value in sweep.items()},
        **user_sweep,
        "frames_per_s_during_sweep": round(during_sweep, 1),
        **lanes,
        **spiral,
        **regioncam,
        **{key: round(value, 1) for key, value in browser.items()},
        "browser_boundary_fps_256": round(page_grid, 1),
        **{key: round(value, 1) for key, value in boundary.items()},
        **{key: round(value, 1) for key, value in crowd.items()},
        **{key: round(value, 1) for key, value in classroom.items()},
        **{key: round(value, 1) for key, value in largest.items()},
        **churned,
        "device": pick_device(None).type,
    }
    for key, value in result.items():
        print(f"{key:>24}  {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
