"""CONTRACT §6, a watchable pace: the default trains at a pace the eye can follow, `max` at least
ten times faster, a change applies while playing, and slow motion shows every step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

STEPS_AFTER_PLAY = """async (ms) => {
    const count = () => Number(document.querySelector('[data-testid=step-count]').textContent);
    document.querySelector('[data-testid=play]').click();
    await new Promise((done) => setTimeout(done, ms));
    return count();
}"""
"""Clicks play and reads the step counter `ms` later, both in the page, so no round trip of
the test's own counts."""

STEPS_SEEN = """async (ms) => {
    const counter = document.querySelector('[data-testid=step-count]');
    const canvas = document.querySelector('[data-testid=boundary-canvas]');
    const ctx = canvas.getContext('2d');
    const picture = () => {
        const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let hash = 0;
        for (let i = 0; i < data.length; i += 4 * 7) hash = (hash * 31 + data[i]) | 0;
        return hash;
    };
    const seen = [];
    const end = performance.now() + ms;
    await new Promise((done) => {
        const look = () => {
            const step = Number(counter.textContent);
            // The canvas draws a frame after the counter: keep the last picture of each step.
            if (seen.length && seen[seen.length - 1][0] === step) seen.pop();
            seen.push([step, picture()]);
            if (performance.now() < end) requestAnimationFrame(look); else done();
        };
        look();
    });
    return seen;
}"""
"""Every step count the page shows in `ms`, each with a hash of the boundary it showed last."""


def connected(page: Page, url: str) -> Page:
    """The page, once its session has answered: a hello (the speed select) and a first frame."""
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("speed")).to_be_enabled()
    expect(page.get_by_test_id("train-loss")).to_have_text(re.compile(r"\d"))
    return page


def pause_and_reset(page: Page) -> None:
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("step-count")).to_have_text("0")


def step_count(page: Page) -> int:
    return int(page.get_by_test_id("step-count").inner_text())


def test_the_default_pace_is_watchable_and_max_is_ten_times_faster(
    page: Page, live_server: str
) -> None:
    connected(page, live_server)
    speed = page.get_by_test_id("speed")
    default = speed.input_value()
    assert default != "max" and 1 <= float(default) <= 1000, default

    watched = page.evaluate(STEPS_AFTER_PLAY, 2000)
    assert 30 <= watched <= 5000, f"{watched} steps in the first 2 s at the default pace"
    pause_and_reset(page)

    speed.select_option("max")
    fastest = page.evaluate(STEPS_AFTER_PLAY, 2000)
    page.get_by_test_id("pause").click()
    assert fastest >= 10 * watched, f"max: {fastest} steps in 2 s, default: {watched}"


def test_a_new_speed_applies_at_once_while_playing_and_is_kept(
    page: Page, live_server: str
) -> None:
    connected(page, live_server)
    speed = page.get_by_test_id("speed")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=step-count]').textContent) > 20"
    )

    speed.select_option("1")
    page.wait_for_timeout(600)  # the speed reaches the server, which answers with a frame
    slow_from = step_count(page)
    page.wait_for_timeout(2000)  # absence of progress can only be seen by waiting
    slow_to = step_count(page)
    assert slow_from <= slow_to <= slow_from + 4, (slow_from, slow_to)

    speed.select_option("max")
    page.wait_for_function(  # the same run goes on, much faster: no restart at step 0
        f"() => Number(document.querySelector('[data-testid=step-count]').textContent)"
        f" > {slow_to + 1000}",
        timeout=10_000,
    )
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()

    page.reload()  # a new session: it trains at the pace chosen before
    connected(page, live_server)
    expect(speed).to_have_value("max")


def test_slow_motion_shows_every_step_and_its_boundary(
    page: Page, live_server: str, artifacts: Path
) -> None:
    connected(page, live_server)
    page.get_by_test_id("speed").select_option("3")
    page.get_by_test_id("play").click()
    seen = page.evaluate(STEPS_SEEN, 2500)
    page.get_by_test_id("pause").click()
    steps = [step for step, _ in seen if step > 0]
    assert 4 <= len(steps) <= 12, seen
    assert steps == list(range(steps[0], steps[0] + len(steps))), f"a step went unseen: {seen}"
    pictures = [picture for step, picture in seen[:-1]]  # the last may not be drawn yet
    assert len(set(pictures)) == len(pictures), f"a step did not move the boundary: {seen}"
    expect(page.get_by_test_id("play")).to_be_visible()
    step = step_count(page)
    epoch = (page.get_by_test_id("epoch-count").text_content() or "").strip()
    assert epoch.endswith(f"epoch {int(step / 25 * 10) / 10:g}"), (step, epoch)  # 250 points, 10
    page.screenshot(path=str(artifacts / "pace-slow-motion.png"))
