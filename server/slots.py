"""Slots: at most a few expensive requests of one kind at a time; a burst waits briefly, then 503.

Region counts and the lessons' experiments run for up to seconds in a thread each. Without a
bound, a burst of them took all of AnyIO's 40 threads and the memory of forty computations at
once (issue 15: 40 explores, 57-66 s each, health timed out). A request waits for a slot at
most `wait` seconds on the event loop (a coroutine, no thread), then runs in a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import HTTPException, Request

T = TypeVar("T")


class Slots:
    """`count` concurrent computations of one kind, named `what` in the 503's detail."""

    def __init__(self, what: str, count: int, wait: float) -> None:
        self.what, self.count, self.wait = what, count, wait
        self._semaphore: anyio.Semaphore | None = None
        self.refused = 0

    async def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` in a thread once a slot is free; 503 when none frees within `wait`."""
        if self._semaphore is None:  # made on the loop that serves the app
            self._semaphore = anyio.Semaphore(self.count)
        semaphore, acquired = self._semaphore, False
        with anyio.move_on_after(self.wait):
            await semaphore.acquire()
            acquired = True
        if acquired:
            try:
                return await anyio.to_thread.run_sync(fn)
            finally:
                semaphore.release()
        self.refused += 1
        raise HTTPException(
            503,
            f"busy: {self.count} {self.what} requests are running and others are waiting;"
            f" try again in a few seconds",
            headers={"retry-after": "5"},
        )


def slots_of(request: Request, name: str) -> Slots:
    """The app's Slots of that name (server/app.py makes them)."""
    slots: Slots = getattr(request.app.state, name)
    return slots
