"""`make soak`: many sessions playing for a long time; memory, threads and frame rates drift?

The server runs in this process (uvicorn in a thread), so its resident set and thread count are
read from /proc/self; the playing clients run in a child process (bench/soak_players.py), so
decoding their frames costs the server neither CPU nor GIL. Prints a table, then one JSON line.
NNP_SOAK_SECONDS (default 600) and NNP_SOAK_SESSIONS (default 20) size it;
`NNP_SOAK_SECONDS=30 make soak` is a quick trial.

The attack phase (issue 15; NNP_SOAK_ATTACKS=0 leaves it out): through the middle third of the
soak a third child process (bench/soak_attacks.py) runs a bounded mix of the attacks of
tests/server/test_attacks.py, one every few seconds, while a thread of it asks /api/health
every 100 ms. Reported: health p99 and worst, each session's frame rate during the
attacks, RSS before the attacks and after the sessions closed, and error events of the playing
sessions (a legal command refused would show there).
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import torch

from bench.__main__ import serving
from models.device import pick_device

WARM_UP_SECONDS = 5.0
"""Playing time before the start window, so every session has settled into its rate."""
MAX_WINDOW_SECONDS = 30.0
"""Rates at the start and the end are averaged over this long (less on a short soak)."""
SAMPLE_SECONDS = 1.0
TIMELINE_ROWS = 10
WORKER_THREAD_NAME = "nnp-worker"


def status_field(name: str) -> int:
    """A number from /proc/self/status: VmRSS in kB, Threads as a count (Linux only)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {name} in /proc/self/status")


@dataclass
class Sample:
    at: float
    rss_mb: float
    threads: int
    """Every thread of the process, torch's and anyio's thread pool's included."""
    workers: int
    """Training threads (one per open session)."""
    load: float
    """The machine's one-minute load average: other work on a shared machine shows here."""


@dataclass
class Sampler:
    """Reads this process's RSS and thread count once a second on a thread of its own."""

    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            self.samples.append(take_sample())

    def nearest(self, at: float) -> Sample:
        return min(self.samples, key=lambda s: abs(s.at - at))


def take_sample() -> Sample:
    workers = sum(1 for t in threading.enumerate() if t.name == WORKER_THREAD_NAME)
    rss_mb, threads = status_field("VmRSS") / 1024, status_field("Threads")
    return Sample(time.time(), rss_mb, threads, workers, os.getloadavg()[0])


def soak(seconds: float, sessions: int) -> dict[str, Any]:
    """Play `sessions` sessions for `seconds`; figures at the start, at the end and after."""
    window = min(MAX_WINDOW_SECONDS, seconds / 4)
    with serving() as base:
        url = base.replace("http://", "ws://") + "/ws"
        time.sleep(1.0)  # let uvicorn settle before the baseline (a measurement pause)
        baseline = take_sample()
        sampler = Sampler()
        threading.Thread(target=sampler.run, daemon=True).start()
        attacks = None
        if os.environ.get("NNP_SOAK_ATTACKS", "1") != "0":
            attacker = _attack_in_child(url, seconds)
        played = _play_in_child(url, sessions, seconds)
        if os.environ.get("NNP_SOAK_ATTACKS", "1") != "0":
            out, _ = attacker.communicate(timeout=120)
            attacks = json.loads(out)
        sampler.stop.set()
        deadline = time.monotonic() + 10
        while take_sample().workers and time.monotonic() < deadline:
            time.sleep(0.1)  # workers join as their sockets close; polling for that only
        after = take_sample()
    t0, buckets = played["t0"], played["sessions"]
    total = len(buckets[0]["frames"])
    start_from = int(WARM_UP_SECONDS)
    start_to = start_from + int(window)
    end_from, end_to = total - int(window), total
    start_rates = [_rate(b["frames"], start_from, start_to) for b in buckets]
    end_rates = [_rate(b["frames"], end_from, end_to) for b in buckets]
    start_steps = [_steps_rate(b["steps"], start_from, start_to) for b in buckets]
    end_steps = [_steps_rate(b["steps"], end_from, end_to) for b in buckets]
    worst = min(range(len(buckets)), key=lambda i: end_rates[i])
    start = sampler.nearest(t0 + start_to)
    end = sampler.nearest(t0 + end_to - SAMPLE_SECONDS)  # before the sockets close
    figures: dict[str, Any] = {}
    if attacks is not None:
        a_from, a_to = int(attacks["from_s"]), int(attacks["to_s"])
        during = [_rate(b["frames"], a_from, a_to) for b in buckets]
        before = sampler.nearest(t0 + a_from)
        figures = {
            "attack_counts": attacks["counts"],
            "attack_health_p99_ms": attacks["health_p99_ms"],
            "attack_health_max_ms": attacks["health_max_ms"],
            "attack_min_frames_per_s": round(min(during), 1),
            "attack_median_frames_per_s": round(statistics.median(during), 1),
            "attack_start_rss_mb": round(before.rss_mb, 1),
            "attack_statuses": attacks["statuses"],
        }
    return {
        **figures,
        "sessions": sessions,
        "seconds": seconds,
        "window_s": window,
        "baseline_rss_mb": round(baseline.rss_mb, 1),
        "baseline_threads": baseline.threads,
        "start_rss_mb": round(start.rss_mb, 1),
        "end_rss_mb": round(end.rss_mb, 1),
        "peak_rss_mb": round(max(s.rss_mb for s in sampler.samples), 1),
        "after_rss_mb": round(after.rss_mb, 1),
        "start_threads": start.threads,
        "end_threads": end.threads,
        "after_threads": after.threads,
        "start_worker_threads": start.workers,
        "end_worker_threads": end.workers,
        "after_worker_threads": after.workers,
        "start_median_frames_per_s": round(statistics.median(start_rates), 1),
        "end_median_frames_per_s": round(statistics.median(end_rates), 1),
        "start_min_frames_per_s": round(min(start_rates), 1),
        "end_min_frames_per_s": round(min(end_rates), 1),
        "start_median_steps_per_s": round(statistics.median(start_steps), 1),
        "end_median_steps_per_s": round(statistics.median(end_steps), 1),
        "worst_session": worst,
        "worst_start_frames_per_s": round(start_rates[worst], 1),
        "worst_end_frames_per_s": round(end_rates[worst], 1),
        "timeline": _timeline(buckets, sampler, t0),
        "error_events": sum(b["errors"] for b in buckets),
        "closed_early": sum(1 for b in buckets if b["closed"]),
        "device": pick_device(None).type,
        "cpus": os.cpu_count(),
        "machine": f"{platform.machine()} {_cpu_model()}",
        "torch": torch.__version__,
    }


def _timeline(buckets: list[dict[str, Any]], sampler: Sampler, t0: float) -> list[dict[str, Any]]:
    """Ten rows across the soak: rates over each tenth, memory and load at its end."""
    total = len(buckets[0]["frames"])
    edges = [round(total * i / TIMELINE_ROWS) for i in range(TIMELINE_ROWS + 1)]
    rows = []
    for start, end in itertools.pairwise(edges):
        frames = [_rate(b["frames"], start, end) for b in buckets]
        sample = sampler.nearest(t0 + end - SAMPLE_SECONDS)
        rows.append(
            {
                "until_s": end,
                "median_frames_per_s": round(statistics.median(frames), 1),
                "min_frames_per_s": round(min(frames), 1),
                "median_steps_per_s": round(
                    statistics.median(_steps_rate(b["steps"], start, end) for b in buckets), 1
                ),
                "rss_mb": round(sample.rss_mb, 1),
                "threads": sample.threads,
                "load": round(sample.load, 2),
            }
        )
    return rows


def _rate(frames: list[int], start: int, end: int) -> float:
    return sum(frames[start:end]) / max(1, end - start)


def _steps_rate(steps: list[int], start: int, end: int) -> float:
    """Steps per second between the last step seen in second start−1 and in second end−1."""
    return (steps[end - 1] - steps[max(0, start - 1)]) / max(1, end - start)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _attack_in_child(url: str, seconds: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.soak_attacks", url, str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _play_in_child(url: str, sessions: int, seconds: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.soak_players", url, str(sessions), str(seconds)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=True
    )
    played: dict[str, Any] = json.loads(done.stdout)
    return played


def print_table(result: dict[str, Any]) -> None:
    """Start, end and after side by side, then the rest."""
    rows = [
        ("RSS (MB)", "start_rss_mb", "end_rss_mb", "after_rss_mb"),
        ("threads", "start_threads", "end_threads", "after_threads"),
        ("training threads", "start_worker_threads", "end_worker_threads", "after_worker_threads"),
        ("median frames/s", "start_median_frames_per_s", "end_median_frames_per_s", None),
        ("min frames/s", "start_min_frames_per_s", "end_min_frames_per_s", None),
        ("worst session frames/s", "worst_start_frames_per_s", "worst_end_frames_per_s", None),
        ("median steps/s", "start_median_steps_per_s", "end_median_steps_per_s", None),
    ]
    print(f"soak: {result['sessions']} sessions, {result['seconds']:.0f} s, {result['machine']}")
    print(f"baseline: {result['baseline_rss_mb']} MB, {result['baseline_threads']} threads")
    print(f"{'':>24}  {'start':>8}  {'end':>8}  {'after':>8}")
    for label, start, end, after in rows:
        tail = f"{result[after]:>8}" if after else f"{'':>8}"
        print(f"{label:>24}  {result[start]:>8}  {result[end]:>8}  {tail}")
    print(
        f"{'until s':>8} {'median fps':>10} {'min fps':>8} {'steps/s':>8} {'RSS MB':>7} {'load':>5}"
    )
    for row in result["timeline"]:
        print(
            f"{row['until_s']:>8} {row['median_frames_per_s']:>10} {row['min_frames_per_s']:>8}"
            f" {row['median_steps_per_s']:>8} {row['rss_mb']:>7} {row['load']:>5}"
        )
    print(f"peak RSS {result['peak_rss_mb']} MB; error events {result['error_events']}; ", end="")
    print(f"sessions closed early {result['closed_early']}")
    if "attack_counts" in result:
        print(
            f"attacks {result['attack_counts']}: health p99 {result['attack_health_p99_ms']} ms"
            f" (worst {result['attack_health_max_ms']}), frames/s during them median"
            f" {result['attack_median_frames_per_s']}, worst session"
            f" {result['attack_min_frames_per_s']}; RSS {result['attack_start_rss_mb']} MB"
            f" before, {result['after_rss_mb']} MB after"
        )


def main() -> None:
    torch.set_num_threads(1)
    seconds = float(os.environ.get("NNP_SOAK_SECONDS", "600"))
    sessions = int(os.environ.get("NNP_SOAK_SESSIONS", "20"))
    result = soak(seconds, sessions)
    print_table(result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
