"""Outbox: the worker thread's hand-off to the event loop, newest frame wins.

Frames and inspections go stale, so each has a slot holding one: a newer one replaces an
unsent one and a slow client costs frames, never memory or training speed. Control events
(settings, dataset, errors, answers) are few and must not be lost, so they wait in a short
FIFO that is bounded too.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque

from server import limits
from server.protocol import (
    DatasetEvent,
    ErrorEvent,
    FrameEvent,
    History,
    InspectionEvent,
    LanesEvent,
    LanesFrameEvent,
    OverfitResultEvent,
    SettingsEvent,
    SetupFileEvent,
    SpeedEvent,
)
from server.protocol.sweeps import SweepPlanEvent, SweepProgressEvent

ControlEvent = (
    SettingsEvent
    | DatasetEvent
    | ErrorEvent
    | OverfitResultEvent
    | SetupFileEvent
    | SpeedEvent
    | LanesEvent
    | SweepPlanEvent
    | SweepProgressEvent
)
OutgoingEvent = ControlEvent | FrameEvent | InspectionEvent | LanesFrameEvent

MAX_CONTROL_EVENTS = 64


class Outbox:
    """Thread-safe producer side, awaitable consumer side; one per websocket."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._control: deque[ControlEvent] = deque(maxlen=MAX_CONTROL_EVENTS)
        self._frame: FrameEvent | None = None
        self._inspection: InspectionEvent | None = None
        self._lanes: LanesFrameEvent | None = None
        self._ready = asyncio.Event()
        self.frames_dropped = 0

    def put(
        self,
        *events: ControlEvent,
        frame: FrameEvent | None = None,
        inspection: InspectionEvent | None = None,
        lanes: LanesFrameEvent | None = None,
    ) -> None:
        """Queue control events and/or offer a frame and an inspection, atomically.

        Doing both under one lock means a restart's settings, dataset and first frame reach
        the client together, never a stale frame of the old run after the new dataset.
        """
        with self._lock:
            self._control.extend(events)
            if frame is not None:
                if self._frame is not None:
                    self.frames_dropped += 1
                    frame = _carry_history(self._frame, frame)
                self._frame = frame
            if inspection is not None:
                if self._inspection is not None:
                    inspection = _carry_monitor_history(self._inspection, inspection)
                self._inspection = inspection
            if lanes is not None:
                if self._lanes is not None:
                    lanes = _carry_lane_histories(self._lanes, lanes)
                self._lanes = lanes
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is listening any more
            self._loop.call_soon_threadsafe(self._ready.set)

    async def get(self) -> list[OutgoingEvent]:
        """Wait until something is queued; return the control events, the newest frame, then
        the newest inspection (of the same step, when both are waiting)."""
        while True:
            await self._ready.wait()
            with self._lock:
                self._ready.clear()
                out: list[OutgoingEvent] = list(self._control)
                self._control.clear()
                if self._frame is not None:
                    out.append(self._frame)
                    self._frame = None
                if self._inspection is not None:
                    out.append(self._inspection)
                    self._inspection = None
                if self._lanes is not None:
                    out.append(self._lanes)
                    self._lanes = None
            if out:
                return out


def _carry_history(dropped: FrameEvent, newer: FrameEvent) -> FrameEvent:
    """Prepend a dropped frame's loss samples so the chart loses no history (bounded)."""
    if dropped.run != newer.run:
        return newer
    return newer.model_copy(update={"history": _merged(dropped.history, newer.history)})


def _merged(old: History, new: History) -> History:
    """The samples of both, bounded to the newest limits.HISTORY_POINTS_PER_FRAME."""
    keep = limits.HISTORY_POINTS_PER_FRAME
    return History(
        steps=(old.steps + new.steps)[-keep:],
        train_loss=(old.train_loss + new.train_loss)[-keep:],
        test_loss=(old.test_loss + new.test_loss)[-keep:],
    )


def _carry_lane_histories(dropped: LanesFrameEvent, newer: LanesFrameEvent) -> LanesFrameEvent:
    """The same for every lane of a dropped lanes frame (same run, same lanes)."""
    if dropped.run != newer.run or len(dropped.lanes) != len(newer.lanes):
        return newer
    lanes = [
        lane.model_copy(update={"history": _merged(old.history, lane.history)})
        for old, lane in zip(dropped.lanes, newer.lanes, strict=True)
    ]
    return newer.model_copy(update={"lanes": lanes})


def _carry_monitor_history(dropped: InspectionEvent, newer: InspectionEvent) -> InspectionEvent:
    """Keep a dropped inspection's monitor history (sent once per subscription) on its successor."""
    if dropped.monitor_history is None or newer.monitor_history is not None:
        return newer
    if dropped.run != newer.run or newer.monitors is None:
        return newer
    return newer.model_copy(update={"monitor_history": dropped.monitor_history})
