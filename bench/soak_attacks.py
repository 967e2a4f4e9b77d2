"""The soak's attack phase, run in its own process by bench/soak.py: `python -m bench.soak_attacks
URL SECONDS` prints one JSON line (attack counts, /api/health latencies, response statuses)."""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
from typing import Any

import torch
from websockets.sync.client import connect as sync_connect


def attack(url: str, seconds: float) -> dict[str, Any]:
    """The attack phase: from seconds/3 to 2·seconds/3 after start, one attack at a time."""
    host, port = url.removeprefix("ws://").split("/")[0].split(":")
    where = (host, int(port))
    start = time.time()
    t_from, t_to = seconds / 3, 2 * seconds / 3
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    stop = threading.Event()

    def post(path: str, body: bytes) -> int:
        conn = http.client.HTTPConnection(*where, timeout=60)
        try:
            conn.request("POST", path, body=body, headers={"content-type": "application/json"})
            status = conn.getresponse().status
        finally:
            conn.close()
        statuses[f"{path} {status}"] = statuses.get(f"{path} {status}", 0) + 1
        return status

    def probe() -> None:
        while not stop.wait(0.1):
            began = time.perf_counter()
            conn = http.client.HTTPConnection(*where, timeout=10)
            try:
                conn.request("GET", "/api/health")
                conn.getresponse().read()
            except OSError:
                pass
            finally:
                conn.close()
            latencies.append(time.perf_counter() - began)

    def bombs() -> None:
        labels = ", ".join(['"a"'] * 200_000)
        head = '{"type": "configure", "dataset": {"name": "custom", "custom": '
        bomb = head + '{"x": [[0, 0], [1, 1]], "y": [' + labels + "]}}}"
        with sync_connect(url, proxy=None, max_size=None) as ws:
            for _ in range(3):
                ws.send(bomb)
            time.sleep(1.0)

    def overfits() -> None:
        largest = {
            "type": "configure",
            "network": {"hidden": [{"units": 32, "activation": "tanh"}] * 6},
            "training": {"learning_rate": 1e-5},
        }
        with sync_connect(url, proxy=None, max_size=None) as ws:
            ws.send(json.dumps(largest))
            for _ in range(8):
                ws.send(json.dumps({"type": "overfit_check", "points": 64}))
            time.sleep(0.3)

    def strips() -> None:
        rows = [[50.0, 0.0]] * 95 + [[0.0, 1.0]]
        bias = [-50.0 * (-0.95 + 1.9 * i / 94) for i in range(95)] + [0.0]
        gen = torch.Generator().manual_seed(0)
        crossing = [
            [*(torch.rand(95, generator=gen) * 0.02 - 0.01).tolist(), 1.0] for _ in range(128)
        ]
        body = {
            "layers": [
                {"weight": rows, "bias": bias},
                {"weight": crossing, "bias": (torch.rand(128, generator=gen) * 1.8 - 0.9).tolist()},
                {"weight": [[1.0] * 128], "bias": [0.0]},
            ],
            "activation": "hardtanh",
            "bounds": [-1, 1, -1, 1],
        }
        data = json.dumps(body).encode()
        _parallel(3, lambda: post("/api/regions", data))

    def explores() -> None:
        data = json.dumps({"budget": 64, "depths": list(range(1, 9)), "seeds": 10}).encode()
        _parallel(10, lambda: post("/api/regions/explore", data))

    def safetensors() -> None:
        empty = {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}
        raw = json.dumps({str(i): empty for i in range(16_000)}).encode()
        post("/api/weights/from-safetensors", len(raw).to_bytes(8, "little") + raw)

    mix = [bombs, overfits, strips, explores, safetensors]
    counts = dict.fromkeys((f.__name__ for f in mix), 0)
    time.sleep(max(0.0, t_from - (time.time() - start)))
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    for run in itertools.cycle(mix):
        if time.time() - start > t_to:
            break
        run()
        counts[run.__name__] += 1
        time.sleep(1.0)
    stop.set()
    prober.join(15)
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {
        "from_s": t_from,
        "to_s": t_to,
        "counts": counts,
        "health_p99_ms": round(1000 * p99, 1),
        "health_max_ms": round(1000 * ordered[-1], 1),
        "statuses": statuses,
    }


def _parallel(count: int, call: Any) -> None:
    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)


if __name__ == "__main__":
    print(json.dumps(attack(sys.argv[1], float(sys.argv[2]))))
