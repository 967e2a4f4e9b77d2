"""`python -m server.serve`: the app under uvicorn, NNP_WORKERS processes on HOST:PORT.

Several processes need no shared state: a session lives with its websocket in the process
that accepted it, and the HTTP routes are stateless. Each process has its own training gate
(server/worker.py) and so its own GIL: NNP_WORKERS near the number of cores uses them all.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from multiprocessing.connection import wait
from types import FrameType

import uvicorn

from server import limits
from server.settings import Settings

APP = "server.app:create_app"
GRACEFUL_SHUTDOWN_SECONDS = 5
"""Open sockets get close code 1012 (service restart); then the process exits regardless."""


WS_MAX_SIZE = limits.MAX_MESSAGE_BYTES + 4096
"""uvicorn reads a websocket message whole before the app sees it (16 MiB by default): a bit
over our own limit, so a message just over it still gets our readable error, and a huge one
is cut off by the protocol (close 1009) instead of filling memory."""


def main() -> None:
    """Serve until Ctrl-C or SIGTERM (exit 0); exit 1 as soon as a worker process fails."""
    settings = Settings()
    if settings.workers == 1:
        uvicorn.run(
            APP,
            factory=True,
            host=settings.host,
            port=settings.port,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            ws_max_size=WS_MAX_SIZE,
        )
        return
    # Each process listens on its own SO_REUSEPORT socket, so the kernel spreads connections
    # over them. `uvicorn --workers` shares one socket instead, and a burst of connections
    # all land in whichever process wakes first (20 of 20 in a test), where they stay, since a
    # session lives with its socket.
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_serve, args=(settings,)) for _ in range(settings.workers)]
    for worker in workers:
        worker.start()
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for worker in workers:
            if worker.is_alive():
                os.kill(worker.pid or 0, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # Ctrl-C reaches the workers too; they shut down
    wait([worker.sentinel for worker in workers])  # returns when any worker exits
    failed = not stopping  # a worker that stops unasked failed (it could not bind, say)
    stop(signal.SIGTERM, None)  # take the others down with it
    for worker in workers:
        worker.join()
    sys.exit(1 if failed else 0)


def _serve(settings: Settings) -> None:
    """One worker process: uvicorn on a socket of its own that shares the port."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((settings.host, settings.port))
    config = uvicorn.Config(
        APP,
        factory=True,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        ws_max_size=WS_MAX_SIZE,
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
