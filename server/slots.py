"""Slots: at most a few expensive requests of one kind at a time; a burst waits briefly, then 503.

Region counts and the lessons' experiments run for up to seconds in a thread each. Without a
bound, a burst of them took all of AnyIO's 40 threads and the memory of forty computations at
once (issue 15: 40 explores, 57-66 s each, health timed out). A request waits for a slot at
most `wait` seconds on the event loop (a coroutine, no thread), then runs in a thread.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import HTTPException

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
                return await anyio.to_thread.run_sync(_trimmed, fn)
            finally:
                semaphore.release()
        self.refused += 1
        raise HTTPException(
            503,
            f"busy: {self.count} {self.what} requests are running and others are waiting;"
            f" try again in a few seconds",
            headers={"retry-after": "5"},
        )


def _trimmed(fn: Callable[[], T]) -> T:
    """`fn()`, then the freed memory handed back to the system (see trim_memory)."""
    try:
        return fn()
    finally:
        trim_memory()


def trim_memory() -> None:
    """glibc keeps freed memory in its arenas: after a computation of hundreds of megabytes
    the process stayed that large. malloc_trim(0) returns what is free; elsewhere a no-op."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc (macOS, musl)
        return None
    return libc


_LIBC = _load_libc()
