"""The Ray engine (NNP_SWEEP_BACKEND=ray): each chunk of a sweep is one Ray task.

A task runs models/user_sweep_chunk.train_chunk, the same batched function the local engine
steps through, so the same seeds give the same numbers. Results stream back as tasks finish
(ray.wait); a cancel cancels the tasks still pending or running. Ray is imported here only,
on first use: it is an optional extra (`pip install -e '.[ray]'`). NNP_RAY_ADDRESS names an
existing cluster (`ray start --head` prints it); unset, a local Ray starts on demand.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from models.user_sweep_chunk import RunOutcome, train_chunk
from server.sweeps_job import chunks_for

if TYPE_CHECKING:
    from server.sweeps_job import SweepJob

WAIT_SECONDS = 0.2
"""How long one ray.wait waits for a task before checking for a cancel."""

_init_lock = threading.Lock()
_remote: Any = None


def ray_module() -> Any:
    """Import Ray and connect, once: to NNP_RAY_ADDRESS, or a local Ray started here."""
    try:
        import ray
    except ImportError as exc:  # the extra is not installed
        raise RuntimeError("NNP_SWEEP_BACKEND=ray needs Ray: pip install -e '.[ray]'") from exc
    global _remote
    with _init_lock:
        if not ray.is_initialized():
            address = os.environ.get("NNP_RAY_ADDRESS") or None
            ray.init(address=address, include_dashboard=False, ignore_reinit_error=True)
        if _remote is None:
            _remote = ray.remote(num_cpus=1, max_retries=0)(train_chunk)
    return ray


def cluster_cpus() -> int:
    """The CPUs Ray may use, for the estimate; 1 while Ray is not connected yet."""
    ray = sys.modules.get("ray")  # never imported for an estimate: that takes seconds
    if ray is None or not ray.is_initialized():
        return 1
    return int(ray.cluster_resources().get("CPU", 1))


def submit_chunks(job: SweepJob) -> list[Any]:
    """Start one task per chunk; returns their object refs."""
    ray_module()
    return [_remote.remote(chunk, job.sweep.steps) for chunk in chunks_for(job.runs, "ray")]


def run_on_ray(job: SweepJob) -> None:
    """Run the job's chunks as Ray tasks, handing results to the job as tasks finish."""
    ray = ray_module()
    pending = submit_chunks(job)
    job.ray_refs = list(pending)
    while pending:
        if job.cancelled:
            for ref in pending:
                ray.cancel(ref, force=False)
            return
        done, pending = ray.wait(pending, num_returns=1, timeout=WAIT_SECONDS)
        for ref in done:
            outcomes: list[RunOutcome] | None = ray.get(ref)
            job.finished(outcomes or [])
        job.tick()
