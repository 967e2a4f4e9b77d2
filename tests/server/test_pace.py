"""The training pace: server/pace.py's bookkeeping, and the `speed` command over the websocket."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from server import limits
from server.pace import MAX_BURST_SECONDS, TICK_SECONDS, Pace, RunState
from tests.conftest import Event, is_type, receive_event, wait_for

# ---------------------------------------------------------------------- Pace, on a fake clock


def steps_in(pace: Pace, seconds: float) -> list[float]:
    """Play for `seconds` as the worker does (wait, take what is due); when each step ran."""
    now, taken = 0.0, []
    pace.start(now)
    while now < seconds:
        due = pace.due(now)
        assert due is not None
        if due:
            pace.spend(due)
            taken += [now] * due
        now += pace.wait_seconds(now)
    return taken


@pytest.mark.parametrize("rate", [1, 3, 10, 30, 100, 300, 1000, 3000])
def test_a_pace_gives_its_rate_spread_evenly(rate: float) -> None:
    taken = steps_in(Pace(rate), 2.0)
    assert abs(len(taken) - 2 * rate) <= 1 + 2 * rate * TICK_SECONDS
    # Evenly: every 0.1 s window of the run holds its share, never a burst.
    for start in [i / 10 for i in range(19)]:
        in_window = sum(start <= t < start + 0.1 for t in taken)
        assert in_window <= math.ceil(0.1 * rate) + 1 + rate * TICK_SECONDS


def test_slow_paces_give_one_step_at_a_time_and_the_first_at_once() -> None:
    pace = Pace(2)
    pace.start(10.0)
    assert pace.slow and pace.due(10.0) == 1
    pace.spend(1)
    assert pace.due(10.2) == 0
    assert pace.wait_seconds(10.2) == pytest.approx(0.3)
    assert not Pace(limits.MAX_FRAMES_PER_SECOND + 1).slow and not Pace(None).slow


def test_a_stall_is_forgiven_beyond_a_short_burst() -> None:
    pace = Pace(1000)
    pace.start(0.0)
    pace.spend(1)
    assert pace.due(60.0) == 1000 * MAX_BURST_SECONDS  # not 60,000 steps owed
    slow = Pace(limits.MAX_FRAMES_PER_SECOND)
    slow.start(0.0)
    slow.spend(1)
    assert slow.due(60.0) == 1  # slow motion: one step, then its frame
    slow.spend(1)
    assert slow.wait_seconds(60.0) > 0


def test_no_pace_never_waits_and_a_change_applies_at_once() -> None:
    pace = Pace(1)
    pace.start(0.0)
    pace.spend(1)
    assert pace.wait_seconds(0.0) == pytest.approx(1.0)
    pace.change(None, 0.1)
    assert pace.due(0.1) is None and pace.wait_seconds(0.1) == 0.0
    pace.change(100, 0.1)
    assert pace.wait_seconds(0.1) <= 0.01


def test_a_step_command_runs_its_steps_whatever_the_pace_then_stops() -> None:
    state = RunState(1)
    state.step(250)
    assert state.active and state.idle_seconds(0.0) == 0.0
    assert state.allow(100, 0.0) == 100 and not state.took(100)
    assert state.allow(500, 0.0) == 150 and state.took(150)
    assert not state.active and state.idle_seconds(0.0) is None  # waits for a command


def test_playing_takes_what_the_pace_allows_and_stop_ends_it() -> None:
    state = RunState(2)
    state.play(10.0)
    assert state.active and state.paced and state.slow_motion
    assert state.allow(100, 10.0) == 1  # slow motion: one step at a time
    assert state.allow(100, 10.1) == 0 and state.idle_seconds(10.1) == pytest.approx(0.4)
    state.pace.change(None, 10.1)
    assert not state.paced and state.allow(100, 10.1) == 100  # no pace: the whole chunk
    state.stop()
    assert not state.active and not state.took(5)


# ---------------------------------------------------------------------- over the websocket


def set_speed(ws: WebSocketTestSession, steps_per_second: float | None) -> None:
    ws.send_json({"type": "speed", "steps_per_second": steps_per_second})
    assert wait_for(ws, is_type("speed"))["steps_per_second"] == steps_per_second


@contextmanager
def playing_at(
    client: TestClient, steps_per_second: float | None
) -> Iterator[WebSocketTestSession]:
    """A session that, once its first frame is in, sets the pace and plays."""
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        set_speed(ws, steps_per_second)
        ws.send_json({"type": "play"})
        yield ws


def frames_for(ws: WebSocketTestSession, seconds: float) -> list[Event]:
    """The running frames that arrive within about `seconds` (one may come just after)."""
    frames, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        event = receive_event(ws)
        if event["type"] == "frame" and event["running"]:
            frames.append(event)
    return frames


def pause(ws: WebSocketTestSession) -> Event:
    ws.send_json({"type": "pause"})
    return wait_for(ws, lambda e: e["type"] == "frame" and not e["running"])


def test_hello_says_the_pace_a_session_starts_at(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        hello = receive_event(ws)
        assert hello["steps_per_second"] == limits.DEFAULT_STEPS_PER_SECOND
        assert limits.DEFAULT_STEPS_PER_SECOND <= 1000  # watchable: not the machine's maximum


def test_ten_steps_a_second_gives_about_ten_steps_and_a_frame_for_each(
    client: TestClient,
) -> None:
    with playing_at(client, 10) as ws:
        frames = frames_for(ws, 1.0)
        last = pause(ws)
        assert 5 <= last["step"] <= 16, last["step"]
        steps = [frame["step"] for frame in frames]
        assert steps == list(range(1, len(steps) + 1)), steps  # every step shown, in order


def test_changing_speed_while_playing_applies_at_once_without_a_restart(
    client: TestClient,
) -> None:
    with playing_at(client, 10) as ws:
        slow = frames_for(ws, 0.5)
        set_speed(ws, None)
        fast = frames_for(ws, 0.5)
        set_speed(ws, 10)
        wait_for(ws, lambda e: e["type"] == "frame")  # the chunk in flight
        slow_again = frames_for(ws, 1.0)
        pause(ws)
    runs = {frame["run"] for frame in slow + fast + slow_again}
    assert len(runs) == 1, "a speed change restarted training"
    steps = [frame["step"] for frame in slow + fast + slow_again]
    assert steps == sorted(steps) and steps[0] >= 1
    assert fast[-1]["step"] - slow[-1]["step"] > 100, "max did not speed training up"
    assert slow_again[-1]["step"] - slow_again[0]["step"] <= 16


def test_slowing_down_shows_at_once_the_step_where_the_old_pace_ended(
    client: TestClient,
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "play"})
        frames_for(ws, 0.3)
        set_speed(ws, 1)
        asked = time.monotonic()
        at_change = wait_for(ws, is_type("frame"))["step"]
        waited = time.monotonic() - asked
        listening = time.monotonic()
        later = frames_for(ws, 2.0)
        listened = time.monotonic() - listening  # 2 s, or more when this machine is loaded
        pause(ws)
    # The frame comes with the speed (a slow step's own frame would come about 1 s later),
    # so the page shows where the old pace ended.
    assert waited < 0.5, f"the frame came {waited:.2f} s after the speed"
    # 1 step/s: at most the step owed plus one a second of listening, each in its own frame.
    most = at_change + 1 + math.ceil(listened + waited)
    assert later and later[-1]["step"] <= most, (at_change, later[-1]["step"], listened)


def test_a_step_command_runs_at_once_whatever_the_pace(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        set_speed(ws, 1)
        started = time.monotonic()
        ws.send_json({"type": "step", "steps": 100})
        wait_for(ws, lambda e: e["type"] == "frame" and e["step"] == 100)
        assert time.monotonic() - started < 10  # 100 s at the pace


def test_the_same_seed_gives_the_same_losses_at_any_pace(client: TestClient) -> None:
    with playing_at(client, 30) as ws:
        paced = frames_for(ws, 0.5)
        rest = pause(ws)
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        set_speed(ws, None)
        step = 0
        for frame in [paced[len(paced) // 2], rest]:
            ws.send_json({"type": "step", "steps": frame["step"] - step})
            step = frame["step"]
            at_max = wait_for(ws, lambda e, s=step: e["type"] == "frame" and e["step"] == s)
            assert at_max["train_loss"] == frame["train_loss"]
            assert at_max["test_loss"] == frame["test_loss"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (0, "must be at least 0.1"),
        (-5, "must be at least 0.1"),
        (1e9, "must be at most"),
        ("fast", "number"),
        (True, "number"),
        ("max", "send null"),
        (float("inf"), "finite"),
    ],
)
def test_a_bad_speed_gets_an_error_and_the_session_goes_on(
    client: TestClient, value: object, says: str
) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        if isinstance(value, float) and math.isinf(value):
            ws.send_text('{"type": "speed", "steps_per_second": Infinity}')
        else:
            ws.send_json({"type": "speed", "steps_per_second": value})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "speed" and "steps_per_second" in error["message"]
        assert says in error["message"], error["message"]
        set_speed(ws, 3)  # still served


def test_a_speed_without_its_value_is_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "speed"})
        error = wait_for(ws, is_type("error"))
        assert error["command"] == "speed" and "steps_per_second" in error["message"]
